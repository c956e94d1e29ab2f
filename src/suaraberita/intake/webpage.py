"""Read a news web page (HTML) as an article: its metadata and its body.

Metadata comes from the page's own declarations, in this order: JSON-LD
(NewsArticle and its kin), Open Graph, then plain <meta> tags and <title>. The body is
trafilatura's main-text extraction (the most accurate extractor in published
benchmarks), which already leaves out navigation, figures with their captions, share
bars, related boxes, scripts and most ads; its headings (h2-h4) become sections. What
it lets through (an inline "Baca juga", a dateline) is sifted by the same noise rules
as pasted text. A page split over several pages is read whole (`next_page`,
`whole_article_url`).

>>> meta = page_meta('<script type="application/ld+json">{"@type": "NewsArticle", '
...     '"headline": "Judul", "datePublished": "2026-12-01T10:15:00+07:00", '
...     '"author": {"@type": "Person", "name": "Rina Lestari"}}</script>')
>>> meta.title, meta.published, meta.author
('Judul', '2026-12-01T10:15:00+07:00', 'Rina Lestari')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from suaraberita.intake.header import is_name, parse_date_line
from suaraberita.outside import loads_json

ARTICLE_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                 "BlogPosting", "OpinionNewsArticle", "LiveBlogPosting")  # fmt: skip
MAX_PAGES = 12  # pages of one article followed at the most
_DATE_KEYS = ("pubdate", "publishdate", "date", "content_publisheddate", "dc.date", "publish-date")
_NEXT_TEXT = re.compile(
    r"(?i)^(?:halaman\s+)?(?:selanjutnya|berikutnya|next(?:\s+page)?|lanjut(?:kan)?|›|»|>)$"
)
_WHOLE_TEXT = re.compile(
    r"(?i)^(?:tampilkan|lihat|baca)\s+(?:semua|seluruh|selengkapnya)(?:\s+halaman)?$"
    r"|^(?:halaman|tampilan)\s+penuh$|^(?:show all|single page|view all)$"
)


@dataclass(frozen=True)
class Block:
    """A heading (level 1-6) or paragraph (level 0) of the extracted body."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class PageMeta:
    title: str | None = None
    description: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601, with its offset when the page gives one
    image: str | None = None
    canonical: str | None = None
    site_name: str | None = None


def _tree(html: str) -> Any:
    import lxml.html

    try:
        return lxml.html.fromstring(html.encode("utf-8"))
    except Exception:  # lxml raises several kinds on a document with no elements
        return lxml.html.fromstring("<html></html>")


def page_meta(html: str) -> PageMeta:
    """The article's metadata as the page declares it."""
    tree = _tree(html)
    ld = _json_ld(tree)
    meta = _meta_tags(tree)
    canonical = tree.xpath("string(//link[@rel='canonical']/@href)").strip() or None
    publisher = ld.get("publisher")
    return PageMeta(
        title=_text(ld.get("headline")) or meta.get("og:title") or _title_tag(tree),
        description=(
            _text(ld.get("description")) or meta.get("og:description") or meta.get("description")
        ),
        author=_ld_author(ld.get("author")) or _meta_author(meta),
        published=_first_date(
            _text(ld.get("datePublished")),
            meta.get("article:published_time"),
            *(meta.get(key) for key in _DATE_KEYS),
        ),
        image=_ld_image(ld.get("image")) or meta.get("og:image"),
        canonical=canonical or meta.get("og:url") or _text(ld.get("url")),
        site_name=meta.get("og:site_name")
        or (_text(publisher.get("name")) if isinstance(publisher, dict) else None),
    )


def _first_date(*values: str | None) -> str | None:
    return next((iso for iso in map(_iso, values) if iso), None)


def _json_ld(tree: Any) -> dict[str, Any]:
    """The first NewsArticle-like object of the page's JSON-LD, else {}."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = loads_json(script.text_content() or "null", strict=False)
        except ValueError:
            continue
        for item in _walk(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(kind in ARTICLE_TYPES for kind in kinds):
                return item
    return {}


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD document and of its @graph, in document order (with a
    stack of its own: a page's nesting may be deeper than Python's)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack += reversed(item)
        elif isinstance(item, dict):
            yield item
            stack.append(item.get("@graph", []))


def _meta_tags(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in tree.xpath("//meta[@content]"):
        name = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = " ".join(tag.get("content", "").split())
        if name and content:
            found.setdefault(name, content)
    return found


def _title_tag(tree: Any) -> str | None:
    title = " ".join(tree.xpath("string(//title)").split())
    return re.split(r"\s+[|–—-]\s+", title)[0] if title else None


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _ld_author(value: Any) -> str | None:
    people = value if isinstance(value, list) else [value]
    for person in people:
        name = _text(person.get("name")) if isinstance(person, dict) else _text(person)
        kind = person.get("@type") if isinstance(person, dict) else "Person"
        if name and kind != "Organization" and not name.startswith("http"):
            return name
    return None


def _meta_author(meta: dict[str, str]) -> str | None:
    for key in ("author", "article:author", "content_author", "dc.creator"):
        value = meta.get(key)
        if value and not value.startswith("http") and is_name(value.split(",")[0].strip()):
            return value.split(",")[0].strip()
    return None


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url")
    return _text(value)


def _iso(value: str | None) -> str | None:
    """An ISO 8601 date or datetime, or what a date line says; None when unreadable."""
    if not value:
        return None
    text = value.strip().replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", value) else value
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        line = parse_date_line(value)
        return line.iso if line else None
    if len(text) == 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


# --- the body ------------------------------------------------------------------------


def body_blocks(html: str, url: str | None = None) -> list[Block]:
    """The article body as headings and paragraphs (trafilatura, else every <p> of the
    element that holds the most paragraphs)."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_formatting=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if not xml:
        return _fallback_blocks(html)
    blocks: list[Block] = []
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    for element in main if main is not None else []:
        if element.tag == "head":
            level = int((element.get("rend") or "h2").lstrip("h") or 2)
            blocks.append(Block(" ".join(_lines(element)), level))
        elif element.tag == "list":
            blocks += [Block(line) for item in element for line in _lines(item)]
        else:  # a line break inside a paragraph parts lines, as on the page
            blocks += [Block(line) for line in _lines(element)]
    return [block for block in blocks if block.text]


def _lines(element: Any) -> list[str]:
    """The text of an element, split where trafilatura marked a line break (<lb/>)."""
    parts: list[str] = []
    for node in element.iter():
        if node.tag == "lb":
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        if node is not element and node.tail:
            parts.append(node.tail)
    return [" ".join(line.split()) for line in "".join(parts).split("\n") if line.strip()]


def _fallback_blocks(html: str) -> list[Block]:
    tree = _tree(html)
    for bad in tree.xpath("//script|//style|//nav|//footer|//aside|//figure|//form"):
        bad.drop_tree()
    holders = tree.xpath("//*[p]")
    if not holders:
        return []
    best = max(holders, key=lambda element: len(element.findall("p")))
    blocks = []
    for element in best:
        text = " ".join(element.text_content().split())
        if text and element.tag in ("p", "h2", "h3", "h4"):
            blocks.append(Block(text, 0 if element.tag == "p" else int(element.tag[1])))
    return blocks


def merge_pages(pages: Sequence[list[Block]]) -> list[Block]:
    """The blocks of every page in order; a block a later page repeats (its header,
    the lead) is said once."""
    seen: set[str] = set()
    merged: list[Block] = []
    for number, blocks in enumerate(pages):
        for block in blocks:
            if number and block.text in seen:
                continue
            seen.add(block.text)
            merged.append(block)
    return merged


# --- pages of one article --------------------------------------------------------


def whole_article_url(html: str, url: str, params: dict[str, str]) -> str | None:
    """The one-page version of a split article: a "Tampilkan semua" link, else the
    URL with the outlet's own parameter (`params`: host suffix -> "page=all")."""
    tree = _tree(html)
    for link in tree.xpath("//a[@href]"):
        if _WHOLE_TEXT.match(" ".join(link.text_content().split())):
            target = urljoin(url, str(link.get("href")))
            if _same_site(url, target) and target != url:
                return target
    host = urlsplit(url).hostname or ""
    for suffix, param in params.items():
        if host == suffix or host.endswith("." + suffix):
            return with_query(url, param)
    return None


def next_page(html: str, url: str) -> str | None:
    """The next page of a split article: rel="next", else a "Halaman selanjutnya" link."""
    tree = _tree(html)
    for href in tree.xpath("//link[@rel='next']/@href|//a[@rel='next']/@href"):
        target = urljoin(url, str(href))
        if _same_site(url, target) and target != url:
            return target
    for link in tree.xpath("//a[@href]"):
        if _NEXT_TEXT.match(" ".join(link.text_content().split())):
            target = urljoin(url, str(link.get("href")))
            if _same_site(url, target) and target != url:
                return target
    return None


def with_query(url: str, param: str) -> str:
    """`url` with `param` ("page=all") set in its query."""
    parts = urlsplit(url)
    key, _, value = param.partition("=")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != key]
    return urlunsplit(parts._replace(query=urlencode([*query, (key, value)])))


def _same_site(a: str, b: str) -> bool:
    one, two = urlsplit(a), urlsplit(b)
    return two.scheme in ("http", "https") and one.hostname == two.hostname
