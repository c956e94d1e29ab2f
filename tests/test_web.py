"""Articles from the web, served by the stand-in news site on 127.0.0.1.

Golden files: each page of ``tests/data/html`` (written here in the shape of real
Indonesian news pages) has a hand-written ``.expect.json``: the metadata the page
declares, the spoken paragraphs and sections, and strings that must never be spoken
(captions, related headlines, ads, scripts, share bars, tags, footers).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from suaraberita.errors import InputError
from suaraberita.intake.article import Article
from suaraberita.intake.fetch import FetchOptions
from suaraberita.intake.web import WebOptions, is_url, read_saved_page, read_url
from tests.newssite import HTML, Site, news_site

QUICK = WebOptions(FetchOptions(backoff=0.01, read_timeout=2.0, deadline=10.0))
PAGES = sorted(
    page
    for page in HTML.glob("*.html")
    if page.with_suffix(".expect.json").is_file() and page.name != "index-page.html"
)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with news_site() as running:
        yield running


def _expected(page: Path) -> dict[str, object]:
    return json.loads(page.with_suffix(".expect.json").read_text(encoding="utf-8"))


def _spoken(article: Article) -> str:
    lines = [article.title, article.subtitle or "", *article.intro]
    for section in article.sections:
        lines += [section.heading, *section.paragraphs]
    return "\n".join(lines)


def _sections(article: Article) -> list[dict[str, object]]:
    return [
        {"number": s.number, "heading": s.heading, "paragraphs": list(s.paragraphs)}
        for s in article.sections
    ]


def test_there_are_pages_of_six_outlets_or_more() -> None:
    assert len(PAGES) >= 6


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_a_page_reads_as_its_article(site: Site, page: Path) -> None:
    expected = _expected(page)
    article = read_url(f"{site.url}/{page.name}", options=QUICK)
    assert article.title == expected["title"]
    assert article.meta.author == expected["author"]
    assert article.meta.date == expected["date"]
    assert article.meta.image == expected["image"]
    assert article.meta.url == expected["canonical"]
    assert list(article.intro) == expected["intro"]
    assert _sections(article) == expected["sections"]
    spoken = _spoken(article)
    for text in expected["not_spoken"]:  # type: ignore[attr-defined]
        assert text not in spoken, text


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_a_saved_page_reads_the_same_without_fetching(page: Path) -> None:
    expected = _expected(page)
    if b"-2.html" in page.read_bytes():
        pytest.skip("a saved page is one page: its next page is not fetched")
    article = read_saved_page(page)
    assert article.title == expected["title"]
    assert list(article.intro) == expected["intro"]
    assert _sections(article) == expected["sections"]


def test_an_index_page_has_no_article(site: Site) -> None:
    with pytest.raises(InputError, match="no article text"):
        read_url(f"{site.url}/index-page.html", options=QUICK)


def test_is_url() -> None:
    assert is_url("https://www.kompas.com/read/x")
    assert is_url("file:///etc/passwd")
    assert not is_url("artikel.md")
    assert not is_url("folder/berita:2026.md")


# --- through the CLI: the episode links back ------------------------------------------


def _items(feed: Path) -> list[dict[str, str]]:
    channel = ET.parse(feed).getroot().find("channel")
    assert channel is not None
    return [
        {child.tag: (child.text or "") for child in item if child.tag in ("link", "guid", "title")}
        for item in channel.findall("item")
    ]


@pytest.mark.slow
def test_narrating_an_address_links_the_episode_back(site: Site, run_cli, tmp_path: Path) -> None:
    page = PAGES[0]
    canonical = str(_expected(page)["canonical"])
    url = f"{site.url}/{page.name}"
    fetched = site.count(f"/{page.name}")
    first = run_cli("narrate", "--voice", "id-espeak", "--quiet", url)
    assert first.code == 0, first.stderr
    again = run_cli("narrate", "--voice", "id-espeak", "--quiet", "--force", url)
    assert again.code == 0, again.stderr
    items = _items(tmp_path / "output" / "feed.xml")
    assert [(item["link"], item["guid"]) for item in items] == [(canonical, canonical)]
    assert site.count(f"/{page.name}") == fetched + 1  # the second run read the cached page


@pytest.mark.parametrize(
    ("path", "words", "code"),
    [
        ("/tidak-ada.html", "HTTP 404", 3),
        ("/gone", "HTTP 410", 3),
        ("/report.pdf", "not a web page", 3),
        ("/loop-a", "too many redirects", 3),
        ("/index-page.html", "no article text", 3),
    ],
)
def test_a_bad_address_publishes_nothing(
    site: Site, run_cli, tmp_path: Path, path: str, words: str, code: int
) -> None:
    result = run_cli("narrate", "--voice", "id-espeak", site.url + path)
    assert result.code == code, result.stderr
    assert words in result.stderr
    assert site.url in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output" / "feed.xml").exists()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)"])
def test_an_address_that_is_not_http_is_refused(run_cli, tmp_path: Path, url: str) -> None:
    result = run_cli("narrate", "--voice", "id-espeak", url)
    assert result.code == 3, result.stderr
    assert "not a web address" in result.stderr
    assert not (tmp_path / "output" / "feed.xml").exists()


def test_preview_explains_an_address(site: Site, run_cli) -> None:
    result = run_cli("preview", "--explain", "--voice", "id-espeak", f"{site.url}/{PAGES[0].name}")
    assert result.code == 0, result.stderr
    assert f"== Title: {_expected(PAGES[0])['title']}" in result.stdout


# --- follow ------------------------------------------------------------------------------


def _feed(site: Site, pages: list[Path]) -> bytes:
    items = "".join(
        f"<item><title>{_expected(p)['title']}</title><link>{site.url}/{p.name}</link>"
        f"<guid>{p.stem}</guid><pubDate>Tue, 0{n + 1} Dec 2026 08:00:00 +0700</pubDate></item>"
        for n, p in enumerate(pages)
    )
    return f"<rss version='2.0'><channel><title>Berita</title>{items}</channel></rss>".encode()


@pytest.mark.slow
def test_follow_narrates_new_items_once(site: Site, run_cli, tmp_path: Path) -> None:
    site.extra["/ikuti.xml"] = _feed(site, PAGES[:2])
    feed = f"{site.url}/ikuti.xml"
    first = run_cli("follow", "--voice", "id-espeak", feed)
    assert first.code == 0, first.stderr
    assert "2 new of 2 items" in first.stdout
    assert len(_items(tmp_path / "output" / "feed.xml")) == 2

    again = run_cli("follow", "--voice", "id-espeak", feed)
    assert again.code == 0, again.stderr
    assert "Nothing to narrate" in again.stdout
    assert "If-None-Match" in site.requests[-1][1]  # a conditional GET, answered 304

    site.extra["/ikuti.xml"] = _feed(site, PAGES[:3])
    third = run_cli("follow", "--voice", "id-espeak", feed)
    assert third.code == 0, third.stderr
    assert "1 new of 3 items" in third.stdout
    assert len(_items(tmp_path / "output" / "feed.xml")) == 3


def test_follow_counts_one_item_as_one(site: Site, run_cli) -> None:
    item = f"<item><title>Hilang</title><link>{site.url}/tidak-ada.html</link></item>"
    site.extra["/satu.xml"] = f"<rss version='2.0'><channel>{item}</channel></rss>".encode()
    result = run_cli("follow", "--voice", "id-espeak", f"{site.url}/satu.xml")
    assert result.code == 8, result.stderr
    assert f"1 new of 1 item in {site.url}/satu.xml." in result.stdout
    assert result.stderr.endswith("1 of 1 item failed.\n")  # a missing page: not tried again


def test_follow_says_when_a_feed_is_not_a_feed(site: Site, run_cli) -> None:
    result = run_cli("follow", "--voice", "id-espeak", f"{site.url}/{PAGES[0].name}")
    assert result.code == 3, result.stderr
    assert "not an RSS or Atom feed but text/html" in result.stderr


def test_a_split_article_is_read_whole(site: Site) -> None:
    first = HTML / "tribunnews-jembatan-gantung-grobogan.html"
    whole = _expected(HTML / "tribunnews-jembatan-gantung-grobogan-all.html")
    article = read_url(f"{site.url}/{first.name}", options=QUICK)
    assert _sections(article) == whole["sections"]
    assert site.count("/tribunnews-jembatan-gantung-grobogan-2.html") >= 1


def test_an_outlets_one_page_address_and_next_links() -> None:
    from suaraberita.intake.noise import default_rules
    from suaraberita.intake.webpage import next_page, whole_article_url

    params = dict(default_rules().whole_pages)
    assert (
        whole_article_url("<p>x</p>", "https://www.kompas.com/read/2026/12/01/x?utm=a", params)
        == "https://www.kompas.com/read/2026/12/01/x?utm=a&page=all"
    )
    assert whole_article_url("<p>x</p>", "https://news.detik.com/d-1", params).endswith("?single=1")
    assert whole_article_url("<p>x</p>", "https://contoh.id/berita", params) is None
    page = '<a href="/berita?page=2">Halaman selanjutnya</a><a href="https://lain.id/x">Next</a>'
    assert next_page(page, "https://contoh.id/berita") == "https://contoh.id/berita?page=2"
    assert next_page('<a href="https://lain.id/x">Next</a>', "https://contoh.id/b") is None


def test_a_feed_is_read_newest_first_within_its_limits(site: Site, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from suaraberita.follow import FollowState, check_feed

    feed = f"{site.url}/feed.xml"
    everything = check_feed(feed, FollowState(), set(), options=QUICK.fetch)
    assert everything.total == 8
    dates = [item.published for item in everything.items]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    newest = everything.items[0].url
    two = check_feed(feed, FollowState(), {newest}, limit=2, options=QUICK.fetch)
    assert [item.url for item in two.items] == [item.url for item in everything.items[1:3]]
    since = datetime(2026, 11, 30, tzinfo=UTC)
    recent = check_feed(feed, FollowState(), set(), since=since, options=QUICK.fetch)
    assert recent.items
    assert all(item.published and item.published >= since for item in recent.items)
    atom = check_feed(f"{site.url}/feed-atom.xml", FollowState(), set(), options=QUICK.fetch)
    assert [item.url for item in atom.items] == [item.url for item in everything.items[:3]]


def test_a_site_that_cannot_be_reached_is_exit_9(run_cli, tmp_path: Path) -> None:
    import socket

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    try:
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/berita.html"
        result = run_cli("narrate", "--voice", "id-espeak", url)
    finally:
        closed.close()
    assert result.code == 9, result.stderr
    assert "cannot be reached" in result.stderr
    assert not (tmp_path / "output" / "feed.xml").exists()


def test_links_a_page_declares_are_made_absolute_and_only_http(site: Site) -> None:
    body = " ".join(["Warga desa memperbaiki jembatan bambu itu bersama-sama sejak pagi."] * 3)
    site.extra["/berita/jembatan.html"] = f"""<!doctype html><html><head>
<title>Jembatan Desa Diperbaiki</title>
<link rel="canonical" href="/berita/jembatan-desa.html">
<meta property="og:image" content="javascript:alert(1)">
</head><body><article><h1>Jembatan Desa Diperbaiki</h1><p>{body}</p><p>{body}</p>
</article></body></html>""".encode()
    article = read_url(f"{site.url}/berita/jembatan.html", options=QUICK)
    assert article.meta.url == f"{site.url}/berita/jembatan-desa.html"
    assert article.meta.image is None
    site.extra["/berita/gambar.html"] = (
        site.extra["/berita/jembatan.html"]
        .replace(b"/berita/jembatan-desa.html", b"data:text/html,hai")
        .replace(b"javascript:alert(1)", b"../foto/jembatan.jpg")
    )
    article = read_url(f"{site.url}/berita/gambar.html", options=QUICK)
    assert article.meta.url == f"{site.url}/berita/gambar.html"
    assert article.meta.image == f"{site.url}/foto/jembatan.jpg"


@pytest.mark.parametrize(
    "damaged",
    ["[1, 2]", '{"F": 5}', '{"F": {"etag": 7, "seen": 3}}', '{"F": {"seen": [[1], "x", null]}}'],
)
def test_a_damaged_follow_state_starts_afresh(site: Site, tmp_path: Path, damaged: str) -> None:
    from suaraberita.follow import STATE_NAME, FollowState, check_feed

    feed = f"{site.url}/feed.xml"
    (tmp_path / STATE_NAME).write_text(damaged.replace("F", feed), encoding="utf-8")
    state = FollowState.load(tmp_path)
    assert len(check_feed(feed, state, set(), options=QUICK.fetch).items) == 8
    state.remember(feed, ["https://contoh.id/a"])
    state.save(tmp_path)
    assert FollowState.load(tmp_path).seen(feed) >= {"https://contoh.id/a"}
