"""The static site in the output folder: rendered from the episode store, escaped,
re-rendered with the feed, and pruned when an episode is removed."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import webvtt

from suaraberita.audio.tags import Chapter
from suaraberita.audio.transcript import Cue, render_vtt
from suaraberita.files import Staging, slugify
from suaraberita.pipeline import open_store
from suaraberita.publish.site import GENERATOR, read_vtt, render_episode, render_site, safe_url
from suaraberita.publish.store import Episode, Store
from suaraberita.settings import Podcast
from tests.conftest import MARKDOWN_ARTICLE, MD_SLUG

HOSTILE = """\
---
title: "<script>alert('judul')</script> Banjir \\"besar\\" & ]]> <img src=x onerror=alert(1)>"
subtitle: "<svg onload=alert(2)>Ringkasan 'singkat'</svg>"
url: "https://contoh.id/a?q=1&b=2"
author: "<b onmouseover=alert(4)>Penulis</b>"
date: 2021-02-14
---

Warga <script>alert(5)</script> mengungsi, lihat [tautan](javascript:alert(6)) dan <a href="javascript:alert(7)" onclick="x()">klik</a> di sini.

## 1. <img src=x onerror=alert(8)> Bagian "pertama"

Air naik ]]> dan 'kutip' serta <iframe src="javascript:alert(9)"></iframe> setinggi pinggang.

## 2. Bagian kedua <style>body{display:none}</style>

Bantuan datang. Kode `<script>alert(10)</script>` tertulis di papan.

## 3. Tautan javascript:alert(11) di judul

Semua aman. <div onclick="alert(12)">Teks dalam div</div>
"""
HOSTILE_TITLE = (
    "<script>alert('judul')</script> Banjir \"besar\" & ]]> <img src=x onerror=alert(1)>"
)
# Every element the templates write; an article can add none.
TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "img", "span",
    "main", "footer", "p", "section", "div", "h1", "h2", "h3", "label", "input", "ol", "li",
    "time", "article", "audio", "track", "nav", "dl", "dt", "dd", "ul", "button",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "content"}


@dataclass
class Html(HTMLParser):
    """Elements (tag, attributes) and text of a page, as a browser's tokenizer sees them."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    script_text: list[str] = field(default_factory=list)
    _in_script: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.script_text if self._in_script else self.chunks).append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.elements
            if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())
        ]


def parse(path: Path) -> Html:
    page = Html()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _clock(text: str) -> float:
    hours, minutes, seconds = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _words(text: str) -> str:
    return " ".join(text.split())


def assert_nothing_executable(page: Html) -> None:
    scripts = page.find("script")
    assert scripts == [{"src": "assets/site.js", "defer": ""}]
    assert "".join(page.script_text).strip() == ""
    for tag, attrs in page.elements:
        assert tag in TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in URL_ATTRIBUTES:
                bare = "".join(ch for ch in value if ch > " ").lower()
                assert not bare.startswith(("javascript:", "vbscript:", "data:")), (tag, value)


def _narrate(work: Path, *files: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "suaraberita", "narrate", "--voice", "id-espeak", *files],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SUARABERITA_CACHE": str(work / "cache")},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hostile article and a plain one narrated into one folder; tests only read it."""
    work = tmp_path_factory.mktemp("two")
    (work / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    (work / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    _narrate(work, "hostile.md", "kereta.md")
    return work / "output"


def _episodes(output: Path) -> tuple[Episode, ...]:
    with open_store(output) as store:
        return store.episodes()


def test_index_links_every_episode_newest_first(two: Path) -> None:
    episodes = _episodes(two)
    assert len(episodes) == 2
    index = parse(two / "index.html")
    pages = [a["href"] for a in index.find("a") if a["href"].endswith(".html")]
    own = {"index.html", "berlangganan.html"}
    assert [p for p in pages if p not in own] == [f"{e.slug}.html" for e in episodes]
    assert all((two / f"{e.slug}.html").is_file() for e in episodes)
    assert index.find("html", lang="id")
    assert index.find("a", href="feed.xml")
    assert index.find("img", src="cover.png")
    assert "Berita berbahasa Indonesia" in index.text  # the show's description


def test_episode_page_has_player_chapters_transcript_and_notes(narrated: Path) -> None:
    (episode,) = _episodes(narrated)
    page = parse(narrated / f"{episode.slug}.html")
    assert page.find("html", lang="id")
    (audio,) = page.find("audio")
    assert audio["src"] == episode.audio_file
    assert "controls" in audio
    assert audio["preload"] == "metadata"
    assert len(episode.chapters) == 4
    for chapter in episode.chapters:
        links = [
            a
            for a in page.find("a")
            if "chapter" in a.get("class", "")
            and float(a["data-start"]) == pytest.approx(chapter.start, abs=1e-3)
        ]
        assert len(links) == 1, chapter
        assert float(links[0]["href"].removeprefix("#t=")) == pytest.approx(chapter.start, abs=1e-3)
        assert chapter.title in page.text
    captions = webvtt.read(str(narrated / episode.sidecars[1]))  # an independent reader
    assert len(captions) > 5
    cue_links = [a for a in page.find("a") if "cue" in a.get("class", "").split()]
    assert len(cue_links) == len(captions)
    for caption, link in zip(captions, cue_links, strict=True):
        assert _words(html.unescape(caption.text)) in page.text  # webvtt-py keeps entities
        assert float(link["data-start"]) == pytest.approx(_clock(caption.start), abs=1e-3)
    assert "Harga tiket turun menjadi lima puluh ribu rupiah." in page.text
    assert episode.summary in page.text  # show notes
    assert page.find("a", href="https://contoh.id/berita/kereta-cepat")
    for name in episode.sidecars:
        assert page.find("a", href=name)
    assert page.find("link", rel="stylesheet", href="assets/site.css")
    for asset in ("site.css", "site.js"):
        assert (narrated / "assets" / asset).stat().st_size > 500
    assert not list(narrated.glob(".suaraberita-tmp-*"))


def test_hostile_article_leaves_nothing_executable(two: Path) -> None:
    pages = sorted(two.glob("*.html"))
    assert len(pages) == 4  # the index, the subscribe page and two episodes
    for path in pages:
        assert_nothing_executable(parse(path))
    hostile = next(e for e in _episodes(two) if e.title == HOSTILE_TITLE)
    page = parse(two / f"{hostile.slug}.html")
    # Escaped, not dropped: a reader sees the article's words, markup and all.
    assert HOSTILE_TITLE in page.text
    assert "<svg onload=alert(2)>Ringkasan 'singkat'</svg>" in page.text
    assert "]]>" in page.text
    assert 'Bagian "pertama"' in page.text
    # a javascript: url is refused at intake (tests/test_unsafe.py); this one is escaped
    assert 'href="https://contoh.id/a?q=1&amp;b=2"' in (two / f"{hostile.slug}.html").read_text()
    assert HOSTILE_TITLE in parse(two / "index.html").text


def test_hostile_episode_fields_rendered_directly() -> None:
    evil = 'x" onmouseover="alert(1)'
    episode = Episode(
        guid="g",
        slug="evil",
        title=f"<script>alert(1)</script>{evil}",
        summary="</p><iframe src=javascript:alert(2)>",
        pub_date=datetime(2024, 1, 2, tzinfo=UTC),
        duration=10.0,
        audio_file="evil.mp3",
        audio_length=1000,
        chapters=(
            Chapter(f"<img src=x onerror=alert(3)>{evil}", 0.0, 5.0, "javascript:alert(4)"),
            Chapter("Dua", 5.0, 10.0, " JAVASCRIPT:alert(5)"),
        ),
        voice="id-espeak",
        author="<b onclick=alert(6)>A</b>",
        link=" javascript:alert(7)",
        image="javascript:alert(8)",
    )
    cues = (Cue(0.0, 5.0, ("<script>alert(9)</script>", "--> ]]>")), Cue(5.0, 10.0, (evil,)))
    rendered = render_episode(Podcast(title="<i onclick=x()>Acara</i>"), episode, cues, "cover.png")
    page = Html()
    page.feed(rendered.decode())
    assert_nothing_executable(page)
    assert "<script>alert(9)</script> --> ]]>" in page.text
    assert evil in page.text


def test_transcript_round_trips_through_the_vtt_file(tmp_path: Path) -> None:
    cues = (Cue(0.0, 1.25, ("A & B <b>x</b>", "--> 'kutip'")), Cue(61.5, 3725.125, ("Dua",)))
    path = tmp_path / "a.vtt"
    path.write_text(render_vtt(cues), encoding="utf-8")
    assert read_vtt(path) == cues
    assert read_vtt(tmp_path / "missing.vtt") == ()


def test_only_http_links_survive() -> None:
    assert safe_url("http://contoh.id/a") == "http://contoh.id/a"
    for url in ("javascript:alert(1)", "data:text/html,x", "vbscript:x", "/relative",
                "mailto:a@b.c", "https://a.b/\"onclick=x", "", None):  # fmt: skip
        assert safe_url(url) is None, url


def test_remove_deletes_the_page_and_build_renders_again(two: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    shutil.copytree(two, output)
    (output / "mine.html").write_text("<p>my own page</p>")  # not ours: kept
    gone, kept = _episodes(output)
    removed = subprocess.run(
        [sys.executable, "-m", "suaraberita", "feed", "remove", gone.slug, "-o", str(output)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert removed.returncode == 0, removed.stderr
    assert not (output / f"{gone.slug}.html").exists()
    assert (output / f"{kept.slug}.html").is_file()
    assert (output / "mine.html").is_file()
    index = parse(output / "index.html")
    assert index.find("a", href=f"{kept.slug}.html")
    assert not index.find("a", href=f"{gone.slug}.html")

    (output / "index.html").unlink()
    (output / "assets" / "site.js").unlink()
    built = subprocess.run(
        [sys.executable, "-m", "suaraberita", "feed", "build", "-o", str(output)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert (output / "index.html").is_file()
    assert (output / "assets" / "site.js").is_file()


def test_rendering_again_writes_nothing_that_did_not_change(two: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    shutil.copytree(two, output)
    episodes = _episodes(output)
    with Staging() as staging:
        assert render_site(output, Podcast(), episodes, "cover.png", staging) == ((), ())
    with Staging() as staging:
        changed, _ = render_site(
            output, Podcast(title="Acara Baru"), episodes, "cover.png", staging
        )
        staging.commit()
    pages = {"index.html", "berlangganan.html"} | {f"{e.slug}.html" for e in episodes}
    assert {p.name for p in changed} == pages
    assert GENERATOR in (output / "index.html").read_text()
    assert MD_SLUG in {e.slug for e in episodes}


# (base_url, the feed's address as apps must get it: percent-encoded, IDNA host)
FEED_ADDRESSES = [
    ("https://contoh.id/podcast/", "https://contoh.id/podcast/feed.xml"),
    (
        "https://contoh.id/siaran kota/berita ü/",
        "https://contoh.id/siaran%20kota/berita%20%C3%BC/feed.xml",
    ),
    (
        "http://bérita.id:8080/a&b=c;d/50%/x%20y/",
        "http://xn--brita-bsa.id:8080/a&b=c;d/50%25/x%20y/feed.xml",
    ),
]
APP_NAMES = (
    "Apple Podcasts", "Pocket Casts", "AntennaPod", "Podcast Addict", "Overcast", "Castro",
    "Aplikasi podcast lain", "Pembaca feed", "Alamat RSS",
)  # fmt: skip
SHOW_TITLE = 'Kabar & <Kota> "pagi"?x=1#y'


def _render_pages(output: Path, podcast: Podcast, episodes: tuple[Episode, ...] = ()) -> None:
    output.mkdir(exist_ok=True)
    with Staging() as staging:
        render_site(output, podcast, episodes, "cover.png", staging)
        staging.commit()


def _app_links(page: Html) -> list[str]:
    """The hrefs of the subscribe page's app links, in page order."""
    return [a["href"] for a in page.find("a", **{"class": "app"})]


@pytest.mark.parametrize(("base_url", "feed"), FEED_ADDRESSES)
def test_subscribe_page_opens_the_feed_in_every_app(
    tmp_path: Path, base_url: str, feed: str
) -> None:
    _render_pages(tmp_path, Podcast(title=SHOW_TITLE, base_url=base_url))
    page = parse(tmp_path / "berlangganan.html")
    assert_nothing_executable(page)
    assert page.find("html", lang="id")
    assert f"Berlangganan {SHOW_TITLE}" in page.text

    # the address, in a read-only field with a label, and a copy button for the script
    (field,) = page.find("input", id="alamat-feed")
    assert field["value"] == feed
    assert "readonly" in field
    (shown,) = parse(tmp_path / "index.html").find("input", id="alamat-feed")
    assert shown["value"] == feed  # the show's page gives the same address
    assert page.find("label", **{"for": "alamat-feed"})
    (button,) = page.find("button", data_copy="alamat-feed")
    assert "hidden" in button  # shown by the script, which is what makes it work
    assert page.find("p", id=button["data-status"], role="status")

    hrefs = _app_links(page)
    names = [name for name in APP_NAMES if name in page.text]
    assert names == list(APP_NAMES)
    assert len(hrefs) == len(APP_NAMES)
    apple, pocket, antenna, addict, overcast, castro, generic, reader, rss = hrefs
    bare = feed.split("://", 1)[1]
    assert apple == f"podcasts://{bare}"
    assert pocket == f"pktc://subscribe/{bare}"
    assert addict == f"podcastaddict://{bare}"
    assert castro == f"castros://subscribe/{bare}"
    assert generic == f"podcast://{bare}"
    assert reader == f"feed:{feed}"
    assert rss == "feed.xml"  # the raw feed, last
    # the whole address as a query parameter: encoded, so it cannot add parameters
    parts = urlsplit(overcast)
    assert (parts.scheme, parts.netloc, parts.path) == ("overcast", "x-callback-url", "/add")
    assert parse_qs(parts.query, strict_parsing=True) == {"url": [feed]}
    parts = urlsplit(antenna)
    assert (parts.scheme, parts.netloc) == ("https", "antennapod.org")
    assert parts.path == "/deeplink/subscribe"
    assert parse_qs(parts.query, strict_parsing=True) == {"url": [feed], "title": [SHOW_TITLE]}
    for href in hrefs:
        assert href.isascii(), href
        assert not any(ch.isspace() or ch in "<>\"'`\\" for ch in href), href
        assert not href.lower().startswith(("javascript:", "data:", "vbscript:"))


def test_a_feed_that_is_not_http_gets_no_app_links(tmp_path: Path) -> None:
    _render_pages(tmp_path, Podcast(base_url="ftp://contoh.id/podcast/"))
    page = parse(tmp_path / "berlangganan.html")
    assert _app_links(page) == ["feed.xml"]
    (field,) = page.find("input", id="alamat-feed")
    assert field["value"] == "ftp://contoh.id/podcast/feed.xml"  # shown, never linked


def test_every_subscribe_link_leads_to_the_subscribe_page(two: Path) -> None:
    assert (two / "berlangganan.html").is_file()
    for path in sorted(two.glob("*.html")):
        page = parse(path)
        (link,) = [a for a in page.find("a") if a.get("class") == "subscribe"]
        assert link["href"] == "berlangganan.html", path.name
        assert link.get("aria-current") == ("page" if path.name == "berlangganan.html" else None)
    assert parse(two / "index.html").find("a", href="berlangganan.html", **{"class": "button"})


def test_an_article_titled_berlangganan_does_not_take_the_subscribe_page(
    tmp_path: Path,
) -> None:
    with Store(tmp_path / "episodes.db") as store:
        wanted = slugify("Berlangganan")
        assert store.reserve_slug("g1", wanted, os.getpid()) == "berlangganan-2"


def test_an_episode_published_as_berlangganan_keeps_its_page(tmp_path: Path) -> None:
    # published before the subscribe page existed: its page stays, the links lead to the feed
    episode = Episode(
        guid="g",
        slug="berlangganan",
        title="Cara berlangganan listrik",
        summary="Ringkasan.",
        pub_date=datetime(2024, 1, 2, tzinfo=UTC),
        duration=10.0,
        audio_file="berlangganan.mp3",
        audio_length=1000,
        chapters=(),
        voice="id-espeak",
    )
    _render_pages(tmp_path, Podcast(), (episode,))
    page = parse(tmp_path / "berlangganan.html")
    assert page.find("audio", src="berlangganan.mp3")
    assert "Cara berlangganan listrik" in page.text
    for name in ("index.html", "berlangganan.html"):
        (link,) = parse(tmp_path / name).find("a", **{"class": "subscribe"})
        assert link["href"] == "feed.xml"


def test_someone_else_s_berlangganan_html_is_kept(tmp_path: Path) -> None:
    mine = "<p>halaman berlangganan saya</p>"
    (tmp_path / "berlangganan.html").write_text(mine)
    _render_pages(tmp_path, Podcast())
    assert (tmp_path / "berlangganan.html").read_text() == mine
    (link,) = parse(tmp_path / "index.html").find("a", **{"class": "subscribe"})
    assert link["href"] == "feed.xml"
    (tmp_path / "berlangganan.html").unlink()
    _render_pages(tmp_path, Podcast())  # once it is gone, the show's own page is made
    assert GENERATOR in (tmp_path / "berlangganan.html").read_text()
    (link,) = parse(tmp_path / "index.html").find("a", **{"class": "subscribe"})
    assert link["href"] == "berlangganan.html"
