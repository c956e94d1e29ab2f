"""Unsafe content is not passed on: control and bidi characters, lone surrogates,
links that are not http(s), a base URL that breaks every file's URL, SubRip markup.

Article text is stripped of unsafe characters once, at intake; settings refuse them;
only absolute http(s) links reach the feed, the pages and the ID3 tags.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3

from suaraberita.audio.transcript import Cue, render_srt
from suaraberita.errors import ExitStatus, InputError
from suaraberita.intake.article import parse_article
from suaraberita.sound import ffmpeg_path
from suaraberita.unsafe import UNSAFE, first_unsafe, safe_url, strip_unsafe

# What YAML escapes put into a double-quoted value: NUL, BEL, ESC, a C1 CSI, a
# right-to-left override, an isolate, a lone surrogate.
ESCAPES = ("\\0", "\\a", "\\e", "\\x9b", "\\u202e", "\\u2067", "\\ud800", "\\x7f", "\\u200f")
RAW = ("\x00", "\x07", "\x1b", "\x9b", "\u202e", "\u2067", "\ud800", "\x7f", "\u200f")


def _front(title: str, author: str, subtitle: str, body: str = "Isi berita hari ini.") -> str:
    return (
        f'---\ntitle: "{title}"\nauthor: "{author}"\nsubtitle: "{subtitle}"\n'
        f'tags: ["ko\\u202eta", "banjir"]\ndate: "2024-03-01\\x1b"\n---\n\n{body}\n'
    )


@pytest.mark.parametrize("escape", ESCAPES)
def test_front_matter_escapes_are_stripped_from_every_field(escape: str) -> None:
    text = _front(f"Banjir{escape} Kota", f"Re{escape}daksi", f"Sub{escape}judul")
    article = parse_article(text, "a.md")
    fields = [article.title, article.subtitle, article.meta.author, article.meta.date]
    assert fields == ["Banjir Kota", "Subjudul", "Redaksi", "2024-03-01"]
    assert article.meta.tags == ("kota", "banjir")


# markdown-it makes NUL U+FFFD, and a file with a NUL is refused as binary before that
BODY_CASES = [(c, k) for c in RAW for k in ("text", "markdown") if (c, k) != ("\x00", "markdown")]


@pytest.mark.parametrize(("char", "kind"), BODY_CASES)
def test_unsafe_characters_in_the_body_are_stripped(char: str, kind: str) -> None:
    heading = "# " if kind == "markdown" else ""
    text = f"{heading}Judul{char} Berita\n\nWarga{char} kota mengungsi{char}.\n\n## Bagian{char} dua\n\nIsi."
    article = parse_article(text, "a", kind=kind)
    every = [article.title, *article.intro, *(s.heading for s in article.sections)]
    every += [p for s in article.sections for p in s.paragraphs]
    assert all(first_unsafe(t) is None for t in every), every
    assert article.title == "Judul Berita"
    assert article.intro[0] == "Warga kota mengungsi."


def test_the_unsafe_set_covers_every_control_and_bidi_character() -> None:
    """Cc (but white space), bidi embeddings, overrides, isolates and marks, surrogates."""
    import unicodedata

    for code in range(0x110000):
        char = chr(code)
        kind = unicodedata.category(char) if not 0xD800 <= code < 0xE000 else "Cs"
        bidi = unicodedata.bidirectional(char) if kind != "Cs" else ""
        must = (kind == "Cc" and not char.isspace()) or kind == "Cs"
        must = must or bidi in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
        must = must or char in "\u200e\u200f\u061c"
        if must:
            assert code in UNSAFE, hex(code)
    assert strip_unsafe("a\tb\nc") == "a\tb\nc"  # white space is left to the caller


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "javascript:alert(1)"),
        ("url", " JaVaScRiPt:alert(document.cookie)"),
        ("url", "file:///etc/passwd"),
        ("url", "data:text/html,<script>alert(1)</script>"),
        ("url", "//evil.example/x"),
        ("url", "berita/a.html"),
        ("url", "https://contoh.id/a b"),
        ("image", "javascript:alert(1)"),
        ("image", "data:image/png;base64,AAAA"),
        ("image", "file:///etc/passwd"),
        ("image", "//evil.example/x.png"),
    ],
)
def test_front_matter_links_must_be_http(field: str, value: str) -> None:
    text = f"---\ntitle: Judul\n{field}: '{value}'\n---\n\nIsi berita.\n"
    with pytest.raises(InputError, match=f"'{field}' must be an http\\(s\\) address"):
        parse_article(text, "a.md")


def test_http_links_and_a_local_image_name_are_kept() -> None:
    text = "---\ntitle: Judul\nurl: https://contoh.id/a?b=1\nimage: foto.jpg\n---\n\nIsi.\n"
    meta = parse_article(text, "a.md").meta
    assert (meta.url, meta.image) == ("https://contoh.id/a?b=1", "foto.jpg")
    assert safe_url("https://contoh.id/\u202egnp.exe") is None


UNSAFE_ARTICLE = """\
---
title: "Banjir\\0 Rob \\e[2J\\e]0;judul\\aMerendam \\u202eKota\\ud800"
author: "Redaksi\\e[31m Kota"
---

Air laut \x1b[5mmerendam\x1b[0m permukiman warga \u202esejak pagi.

## Warga\x07 mengungsi

Sebanyak dua ratus keluarga mengungsi ke balai desa.
"""
CLEAN_TITLE = "Banjir Rob [2J]0;judulMerendam Kota"


def test_an_article_full_of_controls_publishes_clean_files(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(UNSAFE_ARTICLE, encoding="utf-8", errors="surrogatepass")
    result = run_cli("narrate", "--voice", "id-espeak", "a.md")
    assert result.code == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    output = tmp_path / "output"
    (mp3,) = output.glob("*.mp3")
    assert str(ID3(mp3)["TIT2"]) == CLEAN_TITLE  # a NUL no longer cuts it short
    for path in output.iterdir():
        if path.suffix in (".xml", ".html", ".vtt", ".srt", ".json"):
            text = path.read_text(encoding="utf-8")
            assert first_unsafe(text) is None, (path.name, repr(first_unsafe(text)))
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title == CLEAN_TITLE


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ('title = "Kabar\\u001b[2J Kota"', ("podcast.title", "U+001B")),
        ('author = "Red\\u202eaksi"', ("podcast.author", "U+202E")),
        ('description = "Berita\\u0000"', ("podcast.description", "U+0000")),
        ('base_url = "https://contoh.id/p?utm=1"', ("podcast.base_url", "query or fragment")),
        ('base_url = "https://contoh.id/p/#x"', ("podcast.base_url", "query or fragment")),
        ('base_url = "https://contoh.id/ podcast/"', ("podcast.base_url", "space")),
        ('base_url = "https://user:rahasia@contoh.id/"', ("podcast.base_url", "password")),
        ('base_url = "https://contoh.id:99999/"', ("podcast.base_url", "not a valid URL")),
        ('base_url = "https://contoh.id:0/"', ("podcast.base_url", "port 0")),
        ('base_url = "https://contoh.id:8o/"', ("podcast.base_url", "not a valid URL")),
        ('base_url = "https://[::1/"', ("podcast.base_url", "not a valid URL")),
        ('base_url = "ftp://contoh.id/"', ("podcast.base_url", "not an http(s) URL")),
        ('link = "javascript:alert(1)"', ("podcast.link", "not an http(s) URL")),
    ],
)
def test_unsafe_settings_are_refused(run_cli, tmp_path: Path, setting: str, words: tuple) -> None:
    (tmp_path / "suaraberita.toml").write_text(f"[podcast]\n{setting}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("# Judul\n\nIsi berita.\n", encoding="utf-8")
    result = run_cli("narrate", "--voice", "id-espeak", "a.md")
    assert result.code == ExitStatus.CONFIG, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    "url", ["https://contoh.id/?a=1", "https://a@contoh.id/", "https://contoh.id:70000/"]
)
def test_a_bad_base_url_option_is_refused(run_cli, tmp_path: Path, url: str) -> None:
    (tmp_path / "a.md").write_text("# Judul\n\nIsi berita.\n", encoding="utf-8")
    result = run_cli("narrate", "--voice", "id-espeak", "--base-url", url, "a.md")
    assert result.code == ExitStatus.CONFIG, result.stderr
    assert "--base-url" in result.stderr
    assert "Traceback" not in result.stderr


def test_feed_check_flags_links_that_are_not_http(narrated: Path, tmp_path: Path) -> None:
    """A feed written by an older version (or by hand) with a javascript: link."""
    import shutil

    from suaraberita.publish.feedcheck import check_feed
    from suaraberita.settings import Podcast

    output = tmp_path / "output"
    shutil.copytree(narrated, output)
    tree = ET.parse(output / "feed.xml")
    item = tree.getroot().find("channel/item")
    assert item is not None
    link = item.find("link")
    if link is None:
        link = ET.SubElement(item, "link")
    link.text = "javascript:alert(1)"
    tree.write(output / "feed.xml", encoding="utf-8", xml_declaration=True)
    problems = check_feed(output, Podcast())
    assert any("<link> 'javascript:alert(1)' is not an http(s) address" in p for p in problems)


def test_stored_links_that_are_not_http_never_reach_feed_or_tags(tmp_path: Path) -> None:
    import datetime as dt

    from suaraberita.audio.tags import EpisodeTags, write_tags
    from suaraberita.publish.feed import render_feed, show_notes
    from suaraberita.publish.store import Episode
    from suaraberita.settings import Podcast

    episode = Episode(
        guid="g", slug="s", title="Judul", summary="Ringkas",
        pub_date=dt.datetime(2024, 3, 1, tzinfo=dt.UTC), duration=1.0, audio_file="s.mp3",
        audio_length=1, chapters=(), voice="id-espeak",
        link="javascript:alert(1)", image="data:image/png;base64,AAAA",
    )  # fmt: skip
    xml = render_feed(Podcast(), [episode], "cover.png").decode()
    assert "javascript" not in xml
    assert "data:image" not in xml
    assert "javascript" not in show_notes(episode)
    mp3 = tmp_path / "a.mp3"
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono",
         "-t", "0.2", str(mp3)],
        check=True,
    )  # fmt: skip
    write_tags(mp3, EpisodeTags(title="t", artist="a", album="b", url="file:///etc/passwd"), ())
    assert not ID3(mp3).getall("WXXX")


def test_srt_cues_cannot_become_markup_or_timing_lines(tmp_path: Path) -> None:
    """ffmpeg reads our SubRip back with as many cues as we wrote and no markup."""
    lines = [
        "00:00:05,000 --> 00:00:09,000",
        "2",
        "<font color=red>merah</font> dan <b>tebal</b>",
        "{\\an8}di atas",
        "A --> B",
    ]
    cues = [Cue(i * 2.0, i * 2.0 + 1.5, (line,)) for i, line in enumerate(lines)]
    path = tmp_path / "a.srt"
    path.write_text(render_srt(cues), encoding="utf-8")
    out = tmp_path / "a.vtt"
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "webvtt", str(out)], check=True
    )
    back = out.read_text(encoding="utf-8")
    assert back.count("-->") == len(cues)
    for markup in ("<font", "<b>", "{\\an8}"):
        assert markup not in back
    for words in ("merah", "tebal", "di atas"):
        assert words in back


def test_nothing_reaches_the_terminal_raw(run_cli, tmp_path: Path) -> None:
    """File names, articles and messages quoting them: escaped on the way out."""
    name = "berita\x1b]0;judul\x07\u202e.md"
    (tmp_path / name).write_text("# Judul \x1b[2J\n\nIsi \x1b[5mberita\x1b[0m.\n", encoding="utf-8")
    runs = [
        run_cli("preview", "--explain", name),
        run_cli("narrate", "--voice", "id-espeak", "hilang\x1b[2J.md"),
        run_cli("normalize", "-", stdin="Rp5 \x1b[31mmerah\x9b1m \u202ekiri\n".encode()),
        run_cli("narrate", "--voice", "id-espeak", name),
    ]
    for result in runs:
        shown = result.stdout + result.stderr
        assert result.code in (0, 3), shown
        assert first_unsafe(shown) is None, repr(shown)
    assert "\\x1b[2J" in runs[1].stderr  # named, escaped
