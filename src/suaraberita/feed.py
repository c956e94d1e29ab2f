"""Render the podcast RSS feed from the episode store."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import format_datetime
from urllib.parse import quote, urljoin

from suaraberita.store import Episode

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("itunes", ITUNES)
ET.register_namespace("atom", ATOM)

# Characters XML 1.0 forbids even when escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedSettings:
    title: str = "suaraberita"
    description: str = "Berita berbahasa Indonesia, dibacakan oleh suaraberita."
    base_url: str = "http://localhost:8000/"
    language: str = "id"
    author: str = "suaraberita"
    category: str = "News"
    explicit: bool = False

    @property
    def feed_url(self) -> str:
        return url_in(self.base_url, "feed.xml")


def url_in(base_url: str, file_name: str) -> str:
    """Absolute URL of a file of the output folder.

    >>> url_in("https://example.org/pod", "a b.mp3")
    'https://example.org/pod/a%20b.mp3'
    """
    return urljoin(base_url.rstrip("/") + "/", quote(file_name))


def render_feed(settings: FeedSettings, episodes: tuple[Episode, ...]) -> bytes:
    """RSS 2.0 with the iTunes namespace; episodes in the order given (newest first)."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", settings.title)
    _text(channel, "link", settings.base_url)
    _text(channel, "description", settings.description)
    _text(channel, "language", settings.language)
    _text(channel, "generator", "suaraberita")
    ET.SubElement(
        channel,
        f"{{{ATOM}}}link",
        {"href": settings.feed_url, "rel": "self", "type": "application/rss+xml"},
    )
    _text(channel, f"{{{ITUNES}}}author", settings.author)
    _text(channel, f"{{{ITUNES}}}explicit", "true" if settings.explicit else "false")
    ET.SubElement(channel, f"{{{ITUNES}}}category", {"text": settings.category})
    for episode in episodes:
        _item(channel, settings, episode)
    ET.indent(rss)
    xml: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def _item(channel: ET.Element, settings: FeedSettings, episode: Episode) -> None:
    item = ET.SubElement(channel, "item")
    _text(item, "title", episode.title)
    _text(item, "description", episode.summary)
    if episode.link:
        _text(item, "link", episode.link)
    ET.SubElement(
        item,
        "enclosure",
        {
            "url": url_in(settings.base_url, episode.audio_file),
            "length": str(episode.audio_length),
            "type": "audio/mpeg",
        },
    )
    guid = _text(item, "guid", episode.guid)
    guid.set("isPermaLink", "false")
    _text(item, "pubDate", format_datetime(episode.pub_date))
    _text(item, f"{{{ITUNES}}}duration", str(round(episode.duration)))
    _text(item, f"{{{ITUNES}}}explicit", "true" if settings.explicit else "false")
    if episode.author:
        _text(item, f"{{{ITUNES}}}author", episode.author)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _XML_ILLEGAL.sub("", value)
    return element
