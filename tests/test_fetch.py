"""Fetching pages over real HTTP from the stand-in news site on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from suaraberita.cache import Cache
from suaraberita.errors import InputError, NetworkError
from suaraberita.intake.fetch import FEED_TYPES, FetchOptions, check_url, fetch
from tests.newssite import Site, news_site

QUICK = FetchOptions(backoff=0.01, read_timeout=1.0, deadline=5.0)
PAGE = "<html><head><title>Judul</title></head><body><p>Isi berita.</p></body></html>"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with news_site(tmp_path) as running:
        running.extra["/berita.html"] = PAGE.encode()
        yield running


def test_a_page_is_fetched_with_a_clear_user_agent(site: Site) -> None:
    page = fetch(f"{site.url}/berita.html", QUICK)
    assert page.text() == PAGE
    assert page.content_type == "text/html"
    assert page.etag
    assert site.requests[0][1]["User-Agent"].startswith("suaraberita/")


def test_the_charset_comes_from_the_page_when_the_server_says_none(site: Site) -> None:
    site.extra["/lama.html"] = '<meta charset="iso-8859-1"><p>Caf\xe9 di Bandung</p>'.encode(
        "latin-1"
    )
    assert "Café di Bandung" in fetch(f"{site.url}/lama.html", QUICK).text()


def test_the_cache_keeps_a_page_until_refresh(site: Site, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    url = f"{site.url}/berita.html"
    assert not fetch(url, QUICK, cache=cache).cached
    again = fetch(url, QUICK, cache=cache)
    assert again.cached
    assert again.text() == PAGE
    assert site.count("/berita.html") == 1
    fresh = fetch(url, FetchOptions(refresh=True, backoff=0.01), cache=cache)
    assert not fresh.cached
    assert site.count("/berita.html") == 2


@pytest.mark.parametrize(
    ("path", "words"), [("/tidak-ada.html", "HTTP 404"), ("/gone", "HTTP 410")]
)
def test_a_missing_page_is_an_input_error_naming_the_address(
    site: Site, path: str, words: str
) -> None:
    with pytest.raises(InputError, match=words) as info:
        fetch(site.url + path, QUICK)
    assert str(info.value.path).endswith(path)
    assert site.count(path) == 1  # not asked again


@pytest.mark.parametrize("status", [503, 502, 429])
def test_busy_answers_are_tried_again(site: Site, status: int) -> None:
    site.failures["/berita.html"] = [status, status]
    assert fetch(f"{site.url}/berita.html", QUICK).text() == PAGE
    assert site.count("/berita.html") == 3


@pytest.mark.parametrize("header", ["²", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", " 0 "])
def test_any_retry_after_header_is_read_or_ignored(site: Site, header: str) -> None:
    site.retry_after = header
    site.failures["/berita.html"] = [429]
    assert fetch(f"{site.url}/berita.html", QUICK).text() == PAGE
    assert site.count("/berita.html") == 2


def test_a_site_that_stays_down_is_a_network_error(site: Site) -> None:
    site.failures["/berita.html"] = [503] * 10
    with pytest.raises(NetworkError, match="HTTP 503"):
        fetch(f"{site.url}/berita.html", QUICK)
    assert site.count("/berita.html") == QUICK.retries + 1


def test_redirects_are_followed_and_loops_refused(site: Site) -> None:
    page = fetch(f"{site.url}/moved/berita.html", QUICK)
    assert page.url == f"{site.url}/berita.html"
    with pytest.raises(InputError, match="too many redirects"):
        fetch(f"{site.url}/loop-a", QUICK)


def test_what_is_not_a_page_is_refused(site: Site) -> None:
    with pytest.raises(InputError, match="not a web page but application/pdf"):
        fetch(f"{site.url}/report.pdf", QUICK)
    with pytest.raises(InputError, match="larger than 10 MB"):
        fetch(f"{site.url}/huge.html", QUICK)


def test_no_answer_in_time_is_a_network_error(site: Site) -> None:
    with pytest.raises(NetworkError, match=r"did not answer in time|no answer within"):
        fetch(f"{site.url}/slow", FetchOptions(read_timeout=0.3, deadline=1.0, backoff=0.01))


def test_a_name_that_is_not_there_is_not_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def lookup(host: str, *args: object, **kwargs: object) -> list[object]:
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    with pytest.raises(NetworkError, match="cannot be looked up"):
        fetch("https://berita.contoh.invalid/artikel", QUICK)
    assert asked == ["berita.contoh.invalid"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://contoh.id/a",
        "data:text/html,x",
        "https://",
    ],
)
def test_only_http_addresses_are_read(url: str) -> None:
    with pytest.raises(InputError, match="not a web address"):
        check_url(url)


def test_a_conditional_get_says_not_modified(site: Site) -> None:
    site.extra["/feed.xml"] = b"<rss><channel><title>x</title></channel></rss>"
    first = fetch(f"{site.url}/feed.xml", QUICK, accept=FEED_TYPES)
    again = fetch(f"{site.url}/feed.xml", QUICK, accept=FEED_TYPES, etag=first.etag)
    assert again.not_modified
    assert again.body == b""
    assert site.requests[-1][1]["If-None-Match"] == first.etag
