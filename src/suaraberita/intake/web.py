"""Articles from the web: a news URL, or a page saved from a browser.

`read_url` fetches the page (`intake.fetch`, cached), reads a split article whole (the
outlet's one-page address when its table names one, a "Tampilkan semua" link, else the
"next page" links), and builds the same `Article` the text and Markdown readers make
(`intake.webpage` for metadata and body). The article's address becomes its URL, so
narrating the same address again updates its episode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from suaraberita.errors import InputError
from suaraberita.intake.article import (
    DEFAULT_MAX_BYTES,
    Article,
    Meta,
    article_from_blocks,
    read_article_bytes,
)
from suaraberita.intake.fetch import Fetched, FetchOptions, check_url, fetch
from suaraberita.intake.noise import Rules, default_rules
from suaraberita.intake.webpage import (
    MAX_PAGES,
    Block,
    body_blocks,
    merge_pages,
    next_page,
    page_meta,
    whole_article_url,
)

if TYPE_CHECKING:
    from suaraberita.cache import Cache

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")
_URL_SCHEMES = {"http", "https", "ftp", "file", "javascript", "data", "mailto", "about", "ws"}
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".mhtml")


@dataclass(frozen=True)
class WebOptions:
    """How pages are fetched, and where they are kept."""

    fetch: FetchOptions = FetchOptions()  # noqa: RUF009 (frozen: one shared default is safe)
    cache: Cache | None = None


def is_url(source: str) -> bool:
    """Whether `source` is written as an address (of any scheme), not a file path.

    >>> [is_url(s) for s in ("https://a.id/b", "javascript:alert(1)", "berita.md", "-")]
    [True, True, False, False]
    """
    match = _SCHEME.match(source.strip())
    return match is not None and (match["scheme"].lower() in _URL_SCHEMES or "://" in source[:40])


def is_html(path: Path, head: bytes) -> bool:
    """A saved web page: by its suffix, or by how it starts."""
    start = head.lstrip()[:200].lower()
    return path.suffix.lower() in HTML_SUFFIXES or start.startswith((b"<!doctype html", b"<html"))


def read_url(url: str, rules: Rules | None = None, options: WebOptions = WebOptions()) -> Article:
    """The article at `url`, whole, with the page's metadata."""
    url = check_url(url)
    rules = rules or default_rules()
    first = _get(url, options)
    html = first.text()
    whole = whole_article_url(html, first.url, dict(rules.whole_pages))
    if whole is not None and whole != first.url:
        try:
            single = _get(whole, options)
            return _article([single], url, rules)
        except InputError:
            pass  # no one-page version after all: read the pages one by one
    pages = [first]
    seen = {first.url}
    following = next_page(html, first.url)
    while following is not None and following not in seen and len(pages) < MAX_PAGES:
        seen.add(following)
        try:
            page = _get(following, options)
        except InputError:
            break  # a broken "next" link: what was read so far is the article
        pages.append(page)
        following = next_page(page.text(), page.url)
    return _article(pages, url, rules)


def read_saved_page(
    path: Path, max_bytes: int = DEFAULT_MAX_BYTES, rules: Rules | None = None
) -> Article:
    """A page saved from a browser (its links are not followed)."""
    data = read_article_bytes(path, max_bytes)
    page = Fetched(path.resolve().as_uri(), data, "text/html")
    return _article([page], str(path), rules or default_rules(), local=True)


def _get(url: str, options: WebOptions) -> Fetched:
    return fetch(url, options.fetch, cache=options.cache)


def _article(pages: list[Fetched], source: str, rules: Rules, local: bool = False) -> Article:
    html = pages[0].text()
    meta = page_meta(html)
    blocks = merge_pages([body_blocks(page.text(), page.url) for page in pages])
    title = meta.title or next((b.text for b in blocks if b.level == 1), None)
    if not title or not any(_sentence(block) for block in blocks):
        raise InputError(
            "no article text found on the page",
            path=source,
            hint="this looks like an index, a video or a login page; give an article's address",
        )
    base = pages[0].url
    own = _web_address(meta.canonical, base)  # the article's own address
    url = own or (None if local else base)
    image = _web_address(meta.image, base)
    return article_from_blocks(
        title,
        [(block.text, block.level) for block in blocks],
        source,
        rules,
        subtitle=_standfirst(meta.description, blocks),
        meta=Meta(author=meta.author, date=meta.published, url=url, image=image),
    )


def _web_address(value: str | None, base: str) -> str | None:
    """A link the page declares, made absolute against the page's address; only an
    http(s) link leaves the tool (never javascript:, data: or a saved page's file:).

    >>> _web_address("/berita/a.html", "https://contoh.id/x/y.html")
    'https://contoh.id/berita/a.html'
    >>> _web_address("javascript:alert(1)", "https://contoh.id/"), _web_address("a", "file:///b")
    (None, None)
    """
    if not value:
        return None
    absolute = urljoin(base, value.strip())
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def _standfirst(description: str | None, blocks: list[Block]) -> str | None:
    """The page's description, unless it is only the first paragraph cut short."""
    if not description:
        return None
    head = description.rstrip(".… ")
    lead = next((b.text for b in blocks if b.level == 0), "")
    if head[:60] in lead or len(description.split()) > 40:
        return None
    return description


def _sentence(block: Block) -> bool:
    """A paragraph of article text, not a headline in a list of links."""
    return block.level == 0 and len(block.text.split()) >= 8 and block.text[-1:] in '.!?"”…)'
