"""Parse an article (Markdown with front matter, or text pasted from a news page)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Meta:
    """Front matter fields; all optional."""

    author: str | None = None
    date: str | None = None  # ISO 8601 date or datetime as written
    url: str | None = None
    image: str | None = None
    id: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A numbered or plain section: its heading and body paragraphs."""

    heading: str  # heading text without its number, e.g. "Aplikasi eksklusif"
    paragraphs: tuple[str, ...]
    number: int | None = None  # 1 for "1. Aplikasi eksklusif"; None for "## Judul"


@dataclass(frozen=True)
class Article:
    title: str
    intro: tuple[str, ...]  # paragraphs before the first section
    sections: tuple[Section, ...]
    subtitle: str | None = None
    meta: Meta = field(default_factory=Meta)
    source: str = "-"  # file name the article came from, for messages


def parse_article(text: str, source: str = "-") -> Article:
    """Parse article text. Raises InputError naming `source` when it is not an article."""
    raise NotImplementedError
