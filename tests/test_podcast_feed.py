"""The finished feed, as podcast apps and our own XML reads see it (issue: Apple +
Podcasting 2.0). Narrates three articles once and checks every rule."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import podcastparser
import pytest

from suaraberita.errors import ConfigError, ExitStatus
from suaraberita.settings import Settings, find_settings, load_settings
from tests.conftest import MARKDOWN_ARTICLE, PASTED_ARTICLE

BASE = "https://pod.kabarkota.id/kabar/"  # not an example domain: feed check passes
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
}
HOSTILE_TITLE = 'Tom & Jerry <b onclick="x()">"kutip"</b> ]]> &amp; lagi'
HOSTILE = f"""---
title: '{HOSTILE_TITLE}'
---

Paragraf <script>alert(1)</script> pertama & satu-satunya. ]]> Selesai.
"""
SETTINGS = f"""
[podcast]
title = "Kabar & Kota"
description = "Berita kota, dibacakan."
author = "Redaksi Kabar"
email = "redaksi@contoh.id"
base_url = "{BASE}"
category = "News"
subcategory = "Daily News"
copyright = "© 2026 Kabar Kota"
"""


def _run(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "suaraberita", *args],
        cwd=work,
        capture_output=True,
        text=True,
        env={**os.environ, "SUARABERITA_CACHE": str(work / "cache")},
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("site")
    (work / "suaraberita.toml").write_text(SETTINGS, encoding="utf-8")
    (work / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (work / "pasar.txt").write_text(PASTED_ARTICLE, encoding="utf-8")
    (work / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    first = _run(work, "narrate", "kereta.md", "pasar.txt", "hostile.md")
    assert first.returncode == 0, first.stderr
    (work / "first-guids.json").write_text(json.dumps(_guids(work / "output/feed.xml")))
    (work / "pasar.txt").write_text(PASTED_ARTICLE.replace("Pembeli datang", "Para pembeli datang"))
    again = _run(work, "narrate", "pasar.txt")
    assert again.returncode == 0, again.stderr
    return work


def _guids(feed: Path) -> list[str]:
    root = ET.parse(feed).getroot()
    return sorted(g.text or "" for g in root.iter("guid"))


def _channel(site: Path) -> ET.Element:
    channel = ET.parse(site / "output/feed.xml").getroot().find("channel")
    assert channel is not None
    return channel


def test_three_items_and_stable_guids(site: Path) -> None:
    items = _channel(site).findall("item")
    assert len(items) == 3
    assert _guids(site / "output/feed.xml") == json.loads((site / "first-guids.json").read_text())
    numbers = sorted(int(i.findtext("itunes:episode", namespaces=NS) or 0) for i in items)
    assert numbers == [1, 2, 3]


def test_channel_tags(site: Path) -> None:
    channel = _channel(site)
    for tag in ("title", "description", "link", "language", "copyright",
                "itunes:author", "itunes:explicit", "itunes:type", "podcast:locked"):  # fmt: skip
        assert channel.findtext(tag, namespaces=NS), tag
    assert channel.findtext("title") == "Kabar & Kota"
    assert channel.findtext("language") == "id"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    owner = channel.find("itunes:owner", NS)
    assert owner is not None
    assert owner.findtext("itunes:email", namespaces=NS) == "redaksi@contoh.id"
    category = channel.find("itunes:category", NS)
    assert category is not None
    assert category.get("text") == "News"
    assert category[0].get("text") == "Daily News"
    image = channel.find("itunes:image", NS)
    assert image is not None
    assert image.get("href") == BASE + "cover.png"
    assert (site / "output/cover.png").is_file()
    self_link = channel.find("atom:link", NS)
    assert self_link is not None
    assert self_link.get("href") == BASE + "feed.xml"
    expected = uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "pod.kabarkota.id/kabar/feed.xml"
    )
    assert channel.findtext("podcast:guid", namespaces=NS) == str(expected)


def test_items_link_existing_files_with_exact_lengths(site: Path) -> None:
    output = site / "output"
    for item in _channel(site).findall("item"):
        enclosure = item.find("enclosure")
        assert enclosure is not None
        url = enclosure.get("url", "")
        assert url.startswith(BASE)
        assert enclosure.get("length") == str((output / url[len(BASE) :]).stat().st_size)
        assert enclosure.get("type") == "audio/mpeg"
        chapters = item.find("podcast:chapters", NS)
        assert chapters is not None
        assert chapters.get("type") == "application/json+chapters"
        assert (output / chapters.get("url", "")[len(BASE) :]).is_file()
        transcripts = item.findall("podcast:transcript", NS)
        assert {t.get("type") for t in transcripts} == {"text/vtt", "application/x-subrip"}
        for transcript in transcripts:
            assert transcript.get("rel") == "captions"
            assert (output / transcript.get("url", "")[len(BASE) :]).is_file()
        assert item.findtext("itunes:duration", namespaces=NS).isdigit()  # type: ignore[union-attr]
        assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
        assert item.find("guid").get("isPermaLink") == "false"  # type: ignore[union-attr]


def test_hostile_title_survives_escaped(site: Path) -> None:
    xml = (site / "output/feed.xml").read_bytes()
    assert b"<script" not in xml
    assert b"<b onclick" not in xml
    titles = [i.findtext("title") for i in _channel(site).findall("item")]
    assert HOSTILE_TITLE in titles
    notes = [
        i.findtext("content:encoded", namespaces=NS) or "" for i in _channel(site).findall("item")
    ]
    for note in notes:  # only our own markup; article text stays text
        tags = _tags_in(note)
        assert {tag for tag, _ in tags} <= {"p", "ul", "li", "a"}
        assert {name for _, attrs in tags for name in attrs} <= {"href", "rel"}  # nh3 adds rel
    assert any("<li>00:00 Kereta Cepat &amp; Tiket Murah" in n for n in notes)


def _tags_in(html: str) -> list[tuple[str, list[str]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[str]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, [name for name, _ in attrs]))

    Collect().feed(html)
    return found


def test_podcast_clients_read_it(site: Path) -> None:
    xml = (site / "output/feed.xml").read_bytes()
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))
    assert parsed["title"] == "Kabar & Kota"
    assert len(parsed["episodes"]) == 3
    assert HOSTILE_TITLE in [e["title"] for e in parsed["episodes"]]
    for episode in parsed["episodes"]:
        assert episode["total_time"] > 0
        [enclosure] = episode["enclosures"]
        assert enclosure["file_size"] > 0
    fp = feedparser.parse(xml)
    assert not fp.bozo, fp.get("bozo_exception")
    assert len(fp.entries) == 3
    assert fp.feed.image.href == BASE + "cover.png"
    assert fp.feed.podcast_locked if hasattr(fp.feed, "podcast_locked") else True


def test_feed_check_list_build_and_remove(site: Path) -> None:
    check = _run(site, "feed", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    listed = _run(site, "feed", "list")
    assert listed.returncode == 0
    assert len(listed.stdout.splitlines()) == 3
    assert "pasar-ikan-baru-dibuka-di-tepi-sungai" in listed.stdout

    (site / "output/feed.xml").unlink()
    assert _run(site, "feed", "build").returncode == 0
    assert len(_channel(site).findall("item")) == 3

    removed = _run(site, "feed", "remove", "pasar-ikan-baru-dibuka-di-tepi-sungai")
    assert removed.returncode == 0, removed.stderr
    assert not list((site / "output").glob("pasar-ikan-*"))
    assert len(_channel(site).findall("item")) == 2
    missing = _run(site, "feed", "remove", "tidak-ada")
    assert missing.returncode == ExitStatus.FEED
    assert "feed list" in missing.stderr


def test_feed_check_reports_problems(site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "output"
    broken.mkdir()
    xml = (site / "output/feed.xml").read_text(encoding="utf-8")
    xml = xml.replace("<itunes:explicit>false", "<itunes:explicit>no")
    xml = xml.replace("<link>https://contoh.id/berita/kereta-cepat</link>", "")
    (broken / "feed.xml").write_text(xml)
    result = _run(site, "feed", "check", "--output", str(broken))
    assert result.returncode == ExitStatus.FEED
    assert "itunes:explicit must be true or false" in result.stdout
    assert "(Kereta Cepat & Tiket Murah: Apa Kata Warga?): no <link>" in result.stdout
    assert "not in the output folder" in result.stdout
    assert re.search(r"feed\.xml: \d+ problems in the feed$", result.stderr)

    shutil.copytree(site / "output", broken, dirs_exist_ok=True)  # the files are there
    whole = (site / "output/feed.xml").read_text(encoding="utf-8")  # with its <link>s
    (broken / "feed.xml").write_text(whole.replace("<itunes:explicit>false", "<itunes:explicit>no"))
    one = _run(site, "feed", "check", "--output", str(broken))
    assert one.returncode == ExitStatus.FEED
    assert one.stdout.splitlines() == ["- itunes:explicit must be true or false"]
    assert one.stderr.endswith("feed.xml: 1 problem in the feed\n")


def test_init_writes_loadable_starter(tmp_path: Path) -> None:
    assert _run(tmp_path, "init").returncode == 0
    assert load_settings(tmp_path / "suaraberita.toml") == Settings(
        path=tmp_path / "suaraberita.toml"
    )
    again = _run(tmp_path, "init")
    assert again.returncode == ExitStatus.CONFIG
    assert "--force" in again.stderr


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('[podcast]\ncategory = "Berita"\n', ["suaraberita.toml", "category", "Berita", "News"]),
        ('[podcast]\ncategory = "News"\nsubcategory = "Football"\n', ["Football", "Daily News"]),
        ('[podcast]\nbase_url = "ftp://x"\n', ["base_url", "http"]),
        ('[podcast]\nexplicit = "no"\n', ["explicit", "bool"]),
        ("[podcast]\nwarna = 1\n", ["podcast.warna"]),
        ("[audio]\nchannels = 3\n", ["channels"]),
        ('[audio]\nbitrate = "cepat"\n', ["bitrate"]),
        ("[podcast\n", ["TOML"]),
        ('[podcast]\nimage = "kecil.png"\n', ["kecil.png", "256x256", "1400"]),
        ("[podcast]\ntxt = 5\n", ["podcast.txt", "text"]),
        ('[podcast]\ntxt = ["a\\u0007"]\n', ["podcast.txt", "control"]),
        ('[podcast]\nanalytics_prefix = "https://op3.dev/e"\n', ["analytics_prefix", "'/'"]),
        ('[podcast]\nanalytics_prefix = "op3.dev/e/"\n', ["analytics_prefix", "http"]),
        ('[podcast]\nfunding = "https://x.id"\n', ["podcast.funding", "table"]),
        ('[podcast.funding]\nurl = "https://x.id"\n', ["podcast.funding", "text"]),
        ('[podcast.funding]\nurl = "x.id"\ntext = "Dukung"\n', ["funding.url", "http"]),
        ('[[podcast.person]]\nname = "Rina"\nrole = "bos"\n', ["role", "bos", "narrator"]),
        ('[[podcast.person]]\nrole = "host"\n', ["podcast.person", "name"]),
        ('[[podcast.person]]\nname = "Rina"\numur = 3\n', ["podcast.person.umur"]),
        ('[[podcast.person]]\nname = "Rina"\nimg = "data:x"\n', ["person.img", "http"]),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, body: str, words: list[str]) -> None:
    from suaraberita.audio.cover import default_cover

    side_1400, side_256 = b"\x00\x00\x05\x78" * 2, b"\x00\x00\x01\x00" * 2
    small = default_cover().data.replace(side_1400, side_256, 1)
    (tmp_path / "kecil.png").write_bytes(small)
    path = tmp_path / "suaraberita.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        find_settings(None, tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message  # names the file at fault
    for word in words:
        assert word in message


@pytest.mark.parametrize(("category", "sub"), [("Arts", None), ("Technology", None)])
def test_another_category_needs_no_subcategory(tmp_path: Path, category: str, sub: None) -> None:
    (tmp_path / "suaraberita.toml").write_text(f'[podcast]\ncategory = "{category}"\n')
    podcast = find_settings(None, tmp_path).podcast
    assert (podcast.category, podcast.subcategory) == (category, sub)


def test_settings_default_without_file(tmp_path: Path) -> None:
    assert find_settings(None, tmp_path) == Settings()


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\xff\xd8\xff", b""])
def test_truncated_cover_is_a_clear_error(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "cover.png").write_bytes(data)
    (tmp_path / "suaraberita.toml").write_text('[podcast]\nimage = "cover.png"\n')
    with pytest.raises(ConfigError, match="not a PNG or JPEG"):
        find_settings(None, tmp_path)


FEATURES = (
    SETTINGS
    + """txt = ["kode-apple-1", "kode-apple-2"]
analytics_prefix = "https://op3.dev/e/"

[podcast.funding]
url = "https://contoh.id/dukung"
text = "Dukung Kabar & Kota"

[[podcast.person]]
name = "Rina Sari"
role = "editor"
href = "https://contoh.id/redaksi/rina"

[[podcast.person]]
name = "Suara Berita"
role = "narrator"
img = "https://contoh.id/suara.png"
"""
)


@pytest.fixture(scope="module")
def featured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("featured")
    (work / "suaraberita.toml").write_text(FEATURES, encoding="utf-8")
    (work / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    done = _run(work, "narrate", "kereta.md", "--voice", "id-espeak")
    assert done.returncode == 0, done.stderr
    return work


def test_show_features_are_in_the_feed(featured: Path) -> None:
    channel = _channel(featured)
    txts = channel.findall("podcast:txt", NS)
    assert [(t.get("purpose"), t.text) for t in txts] == [
        ("applepodcastsverify", "kode-apple-1"),
        ("applepodcastsverify", "kode-apple-2"),
    ]
    [funding] = channel.findall("podcast:funding", NS)
    assert (funding.get("url"), funding.text) == ("https://contoh.id/dukung", "Dukung Kabar & Kota")
    people = [(p.text, p.attrib) for p in channel.findall("podcast:person", NS)]
    assert people == [
        (
            "Rina Sari",
            {"role": "editor", "group": "writing", "href": "https://contoh.id/redaksi/rina"},
        ),
        (
            "Suara Berita",
            {"role": "narrator", "group": "cast", "img": "https://contoh.id/suara.png"},
        ),
    ]
    xml = (featured / "output/feed.xml").read_bytes()
    fp = feedparser.parse(xml)
    assert not fp.bozo, fp.get("bozo_exception")
    parsed = podcastparser.parse(BASE + "feed.xml", io.BytesIO(xml))
    assert len(parsed["episodes"]) == 1


def test_enclosures_go_through_the_analytics_prefix_and_check_clean(featured: Path) -> None:
    [item] = _channel(featured).findall("item")
    enclosure = item.find("enclosure")
    assert enclosure is not None
    url = enclosure.get("url", "")
    assert url.startswith("https://op3.dev/e/" + BASE.removeprefix("https://"))
    assert (featured / "output" / url.rsplit("/", 1)[1]).is_file()
    xml = (featured / "output/feed.xml").read_bytes()
    [entry] = feedparser.parse(xml).entries
    assert entry.enclosures[0]["href"] == url
    check = _run(featured, "feed", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    # an enclosure that names no file of the folder is still found out
    moved = featured / "moved"
    moved.mkdir()
    for path in (featured / "output").iterdir():
        if path.is_file() and path.suffix != ".mp3":
            (moved / path.name).write_bytes(path.read_bytes())
    missing = _run(featured, "feed", "check", "--output", str(moved))
    assert missing.returncode == ExitStatus.FEED
    assert "enclosure names kereta-cepat" in missing.stdout


def test_the_starter_s_show_features_load_when_uncommented(tmp_path: Path) -> None:
    from suaraberita.settings import STARTER, Funding, Person

    lines = STARTER.split("[audio]")[0].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# txt"))
    body = "[podcast]\n" + "\n".join(line.removeprefix("# ") for line in lines[start:])
    (tmp_path / "suaraberita.toml").write_text(body, encoding="utf-8")
    podcast = find_settings(None, tmp_path).podcast
    assert podcast.txt == ("kode-dari-apple",)
    assert podcast.analytics_prefix == "https://op3.dev/e/"
    assert podcast.funding == (Funding("https://contoh.id/dukung", "Dukung Kabar Kota"),)
    assert podcast.person == (
        Person(
            "Rina Sari",
            "editor",
            "https://contoh.id/redaksi/rina-sari",
            "https://contoh.id/redaksi/rina-sari.jpg",
        ),
    )
