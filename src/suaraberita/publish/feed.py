"""Render the podcast RSS feed from the episode store (Apple Podcasts + Podcasting 2.0)."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from email.utils import format_datetime
from html import escape
from urllib.parse import urlsplit

from suaraberita.publish.store import Episode, page_file
from suaraberita.settings import Podcast, url_in
from suaraberita.unsafe import safe_url

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
ATOM = "http://www.w3.org/2005/Atom"
PSC = "http://podlove.org/simple-chapters"  # what podcastparser (gPodder) reads chapters from
DC = "http://purl.org/dc/elements/1.1/"
for _prefix, _uri in (
    ("itunes", ITUNES),
    ("podcast", PODCAST),
    ("content", CONTENT),
    ("atom", ATOM),
    ("psc", PSC),
    ("dc", DC),
):
    ET.register_namespace(_prefix, _uri)

# The namespace UUID Podcasting 2.0 uses for podcast:guid.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
# Characters XML 1.0 forbids even when escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def podcast_guid(feed_url: str) -> str:
    """UUIDv5 of the feed URL without its scheme and trailing slashes.

    >>> podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml")
    '917393e3-1b1e-5cef-ace4-edaa54e1f810'
    """
    parts = urlsplit(feed_url)
    bare = (parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def render_feed(podcast: Podcast, episodes: Sequence[Episode], cover_file: str) -> bytes:
    """RSS 2.0; episodes in the order given (newest first). `cover_file` is the show's
    image inside the output folder."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    link = podcast.link or podcast.base_url
    cover_url = url_in(podcast.base_url, cover_file)
    _text(channel, "title", podcast.title)
    _text(channel, "link", link)
    _text(channel, "description", podcast.description)
    _text(channel, "language", podcast.language)
    if podcast.copyright:
        _text(channel, "copyright", podcast.copyright)
    _text(channel, "generator", "suaraberita")
    if episodes:
        _text(channel, "lastBuildDate", format_datetime(max(e.pub_date for e in episodes)))
    _link(channel, f"{{{ATOM}}}link", href=podcast.feed_url, rel="self", type="application/rss+xml")
    image = ET.SubElement(channel, "image")
    for tag, value in (("url", cover_url), ("title", podcast.title), ("link", link)):
        _text(image, tag, value)
    _text(channel, f"{{{ITUNES}}}author", podcast.author)
    owner = ET.SubElement(channel, f"{{{ITUNES}}}owner")
    _text(owner, f"{{{ITUNES}}}name", podcast.author)
    if podcast.email:
        _text(owner, f"{{{ITUNES}}}email", podcast.email)
    _link(channel, f"{{{ITUNES}}}image", href=cover_url)
    category = _link(channel, f"{{{ITUNES}}}category", text=podcast.category)
    if podcast.subcategory:
        _link(category, f"{{{ITUNES}}}category", text=podcast.subcategory)
    _text(channel, f"{{{ITUNES}}}explicit", _bool(podcast.explicit))
    _text(channel, f"{{{ITUNES}}}type", podcast.type)
    _text(channel, f"{{{PODCAST}}}guid", podcast_guid(podcast.feed_url))
    locked = _text(channel, f"{{{PODCAST}}}locked", "yes" if podcast.locked else "no")
    if podcast.email:
        locked.set("owner", podcast.email)
    _show_features(channel, podcast)
    for episode in episodes:
        _item(channel, podcast, episode, cover_url)
    ET.indent(rss)
    xml: bytes = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def _show_features(channel: ET.Element, podcast: Podcast) -> None:
    """The optional [podcast] features: Apple's ownership check, funding and people."""
    for txt in podcast.txt:
        _text(channel, f"{{{PODCAST}}}txt", txt).set("purpose", "applepodcastsverify")
    for funding in podcast.funding:
        _text(channel, f"{{{PODCAST}}}funding", funding.text).set("url", funding.url)
    for person in podcast.person:
        credit = _text(channel, f"{{{PODCAST}}}person", person.name)
        credit.set("role", person.role)
        credit.set("group", person.group)
        for key, url in (("href", person.href), ("img", person.img)):
            if url:
                credit.set(key, url)


def _item(channel: ET.Element, podcast: Podcast, episode: Episode, cover_url: str) -> None:
    base = podcast.base_url
    item = ET.SubElement(channel, "item")
    _text(item, "title", episode.title)
    _text(item, "description", episode.summary)
    _text(item, f"{{{CONTENT}}}encoded", show_notes(episode))
    _text(item, "link", safe_url(episode.link) or url_in(base, page_file(episode.slug)))
    _link(
        item,
        "enclosure",
        url=podcast.enclosure_url(episode.audio_file),
        length=str(episode.audio_length),
        type="audio/mpeg",
    )
    _text(item, "guid", episode.guid).set("isPermaLink", "false")
    _text(item, "pubDate", format_datetime(episode.pub_date))
    _text(item, f"{{{ITUNES}}}title", episode.title)
    _text(item, f"{{{ITUNES}}}duration", str(round(episode.duration)))
    _text(item, f"{{{ITUNES}}}episode", str(episode.number))
    _text(item, f"{{{ITUNES}}}episodeType", "full")
    _text(item, f"{{{ITUNES}}}explicit", _bool(podcast.explicit))
    if episode.author:
        _text(item, f"{{{ITUNES}}}author", episode.author)
        # RSS's own <author> must be an e-mail address; a byline is a dc:creator
        _text(item, f"{{{DC}}}creator", episode.author)
    # the article's image only as narrating checked and fitted it, kept beside the audio
    art = url_in(base, episode.image_file) if episode.image_file else cover_url
    _link(item, f"{{{ITUNES}}}image", href=art)
    chapters, vtt, srt = episode.sidecars
    _link(
        item, f"{{{PODCAST}}}chapters", url=url_in(base, chapters), type="application/json+chapters"
    )
    _simple_chapters(item, episode)
    for name, kind in ((vtt, "text/vtt"), (srt, "application/x-subrip")):
        _link(
            item,
            f"{{{PODCAST}}}transcript",
            url=url_in(base, name),
            type=kind,
            language=podcast.language,
            rel="captions",
        )


def _simple_chapters(item: ET.Element, episode: Episode) -> None:
    """Podlove Simple Chapters: the JSON chapters again, for apps that read only these."""
    marks = _link(item, f"{{{PSC}}}chapters", version="1.2")
    for chapter in episode.chapters:
        mark = _link(marks, f"{{{PSC}}}chapter", start=npt(chapter.start), title=chapter.title)
        href = safe_url(chapter.url)
        if href:
            mark.set("href", href)


def npt(seconds: float) -> str:
    """HH:MM:SS.mmm (RFC 2326 normal play time), as Podlove Simple Chapters want it.

    >>> npt(0), npt(61.2341), npt(3725.9996)
    ('00:00:00.000', '00:01:01.234', '01:02:06.000')
    """
    millis = round(round(seconds, 3) * 1000)  # the JSON chapters' rounding
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def show_notes(episode: Episode) -> str:
    """HTML show notes: the summary and the chapters with timestamps, sanitised."""
    import nh3

    chapters = "".join(f"<li>{clock(c.start)} {escape(c.title)}</li>" for c in episode.chapters)
    html = f"<p>{escape(episode.summary)}</p><p>Bab:</p><ul>{chapters}</ul>"
    link = safe_url(episode.link)
    if link:
        html += f'<p><a href="{escape(link)}">Baca artikel aslinya</a></p>'
    return nh3.clean(html, tags={"p", "ul", "li", "a"}, attributes={"a": {"href"}})


def clock(seconds: float) -> str:
    """(H:)MM:SS, as players link chapter times in show notes and pages show them.

    >>> clock(62.5), clock(3725)
    ('01:02', '1:02:05')
    """
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _XML_ILLEGAL.sub("", value)
    return element


def _link(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    clean = {key: _XML_ILLEGAL.sub("", value) for key, value in attributes.items()}
    return ET.SubElement(parent, tag, clean)
