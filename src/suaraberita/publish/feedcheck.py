"""Our own check of a rendered feed: Apple's required tags and the Podcasting 2.0 rules."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from suaraberita.audio.cover import MAX_BYTES, MAX_SIDE, MIN_SIDE, parse_cover
from suaraberita.errors import ConfigError, SuaraberitaError
from suaraberita.files import read_bounded
from suaraberita.outside import loads_json, whole_number
from suaraberita.publish.feed import ATOM, ITUNES, PODCAST, podcast_guid
from suaraberita.settings import Podcast, apple_categories, is_local_host
from suaraberita.unsafe import safe_url

FEED_MAX_BYTES = 100_000_000  # thousands of episodes
_NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}


def check_feed(output: Path, podcast: Podcast) -> list[str]:
    """Problems found in output/feed.xml, each as one line; empty when it is fine."""
    path = output / "feed.xml"
    try:
        root = ET.fromstring(read_bounded(path, FEED_MAX_BYTES, "feed"))
    except SuaraberitaError as exc:
        return [str(exc)]
    except ET.ParseError as exc:
        return [f"feed.xml cannot be read as XML: {exc}"]
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return ["feed.xml is not an RSS 2.0 document with a channel"]
    problems = _check_publishable(podcast) + _check_channel(channel, output, podcast)
    guids: set[str] = set()
    show_image = channel.find("itunes:image", _NS)
    cover = show_image.get("href", "") if show_image is not None else ""
    for number, item in enumerate(channel.findall("item"), start=1):
        label = f"item {number} ({_text(item, 'title') or 'untitled'})"
        problems += [f"{label}: {p}" for p in _check_item(item, output, podcast, guids, cover)]
    return problems


# Example domains, of the RFCs and of our own docs and starter settings.
_EXAMPLE_SUFFIXES = (".local", ".test", ".example", ".invalid", ".internal")
_EXAMPLE_DOMAINS = ("example.com", "example.net", "example.org", "contoh.id")


def _check_publishable(podcast: Podcast) -> list[str]:
    """Settings a feed cannot go live with, each with what to set."""
    problems = []
    host = (urlsplit(podcast.base_url).hostname or "").rstrip(".").lower()
    if is_local_host(host):
        problems.append(
            f"podcast.base_url is {podcast.base_url}: listeners cannot reach {host}; set it "
            "in suaraberita.toml to the address the output folder will be published at"
        )
    elif host.endswith(_EXAMPLE_SUFFIXES) or any(
        host == domain or host.endswith("." + domain) for domain in _EXAMPLE_DOMAINS
    ):
        problems.append(
            f"podcast.base_url is {podcast.base_url}, an example address; set it in "
            "suaraberita.toml to the address the output folder will be published at"
        )
    defaults = Podcast()
    for name in ("title", "author", "description"):
        if getattr(podcast, name) == getattr(defaults, name):
            problems.append(
                f"podcast.{name} is the default {getattr(defaults, name)!r}; set your "
                f"show's {name} in suaraberita.toml"
            )
    return problems


def _check_channel(channel: ET.Element, output: Path, podcast: Podcast) -> list[str]:
    problems = [
        f"channel has no <{tag}>"
        for tag in ("title", "description", "link", "language", "itunes:author")
        if not _text(channel, tag)
    ]
    self_link = channel.find("atom:link[@rel='self']", _NS)
    if self_link is None or self_link.get("href") != podcast.feed_url:
        problems.append(f"atom:link rel=self should point at {podcast.feed_url}")
    owner = channel.find("itunes:owner", _NS)
    if owner is None or not _text(owner, "itunes:name"):
        problems.append("channel has no itunes:owner with a name")
    elif not _text(owner, "itunes:email"):
        problems.append(
            "itunes:owner has no email: Apple asks for one; set podcast.email in suaraberita.toml"
        )
    image = channel.find("itunes:image", _NS)
    href = image.get("href", "") if image is not None else ""
    problems += _check_cover(href, output, podcast)
    problems += _check_category(channel)
    if _text(channel, "itunes:explicit") not in ("true", "false"):
        problems.append("itunes:explicit must be true or false")
    if _text(channel, "itunes:type") not in ("episodic", "serial"):
        problems.append("itunes:type must be episodic or serial")
    if _text(channel, "podcast:guid") != podcast_guid(podcast.feed_url):
        problems.append("podcast:guid is not the UUIDv5 of the feed URL")
    if _text(channel, "podcast:locked") not in ("yes", "no"):
        problems.append("podcast:locked must be yes or no")
    return problems + _check_show_features(channel)


def _check_show_features(channel: ET.Element) -> list[str]:
    """podcast:txt, podcast:funding and podcast:person, when the show has them."""
    problems = []
    for txt in channel.findall("podcast:txt", _NS):
        if not (txt.text or "").strip():
            problems.append("podcast:txt is empty")
    for funding in channel.findall("podcast:funding", _NS):
        if not safe_url(funding.get("url")) or not (funding.text or "").strip():
            problems.append("podcast:funding needs an http(s) url and a text")
    for person in channel.findall("podcast:person", _NS):
        links = [person.get(key) for key in ("href", "img") if person.get(key) is not None]
        if not (person.text or "").strip() or not all(safe_url(url) for url in links):
            problems.append("podcast:person needs a name, and http(s) href and img")
    return problems


def _check_cover(
    href: str,
    output: Path,
    podcast: Podcast,
    advice: str = "set podcast.image in suaraberita.toml to such a PNG or JPEG",
    what: str = "cover",
) -> list[str]:
    if urlsplit(href).scheme not in ("http", "https"):
        return ["itunes:image needs an absolute http(s) URL"]
    local = _local_file(href, output, podcast)
    if local is None:
        return []  # hosted elsewhere: nothing to look at here
    if not local.is_file():
        return [f"itunes:image names {local.name}, which is not in the output folder"]
    try:
        cover = parse_cover(read_bounded(local, MAX_BYTES, "cover image"), local)
    except ConfigError as exc:
        return [str(exc)]
    if cover.width != cover.height or not MIN_SIDE <= cover.width <= MAX_SIDE:
        return [
            f"{what} is {cover.width}x{cover.height}: Apple wants a square of 1400-3000 px; "
            f"{advice}"
        ]
    return []


def _check_category(channel: ET.Element) -> list[str]:
    category = channel.find("itunes:category", _NS)
    if category is None:
        return ["channel has no itunes:category"]
    name = category.get("text", "")
    known = apple_categories()
    if name not in known:
        return [f"itunes:category {name!r} is not an Apple Podcasts category"]
    sub = category.find("itunes:category", _NS)
    if sub is not None and sub.get("text") not in known[name]:
        return [f"itunes:category {sub.get('text')!r} is not a subcategory of {name!r}"]
    return []


def _check_item(
    item: ET.Element, output: Path, podcast: Podcast, guids: set[str], cover: str
) -> list[str]:
    """`cover`: the show's image, checked with the channel (not again for each item)."""
    problems = [f"no <{tag}>" for tag in ("title", "description") if not _text(item, tag)]
    guid = _text(item, "guid")
    if not guid:
        problems.append("no <guid>")
    elif guid in guids:
        problems.append(f"guid {guid!r} is used twice")
    guids.add(guid)
    try:
        parsedate_to_datetime(_text(item, "pubDate"))
    except (TypeError, ValueError):
        problems.append("pubDate is not an RFC 2822 date")
    if whole_number(_text(item, "itunes:duration")) is None:
        problems.append("itunes:duration must be whole seconds")
    if _text(item, "itunes:episodeType") not in ("full", "trailer", "bonus"):
        problems.append("itunes:episodeType must be full, trailer or bonus")
    link = _text(item, "link")
    if not link:
        problems.append("no <link>")
    elif not safe_url(link):
        problems.append(f"<link> {link!r} is not an http(s) address")
    image = item.find("itunes:image", _NS)
    if image is not None and not safe_url(image.get("href")):
        problems.append(f"itunes:image {image.get('href')!r} is not an http(s) address")
    elif image is not None and image.get("href") != cover:  # the episode's own image
        advice = "narrate the article again with --force to fit its image anew"
        problems += _check_cover(image.get("href", ""), output, podcast, advice, "episode image")
    problems += _check_enclosure(item.find("enclosure"), output, podcast)
    chapters = item.find("podcast:chapters", _NS)
    if chapters is None:
        problems.append("no podcast:chapters")
    else:
        problems += _check_chapters(chapters.get("url", ""), output, podcast)
    transcripts = item.findall("podcast:transcript", _NS)
    if not any(t.get("type") == "text/vtt" for t in transcripts):
        problems.append("no WebVTT podcast:transcript")
    for transcript in transcripts:
        problems += _check_linked(transcript.get("url", ""), output, podcast, "transcript")
    return problems


def _check_enclosure(enclosure: ET.Element | None, output: Path, podcast: Podcast) -> list[str]:
    if enclosure is None:
        return ["no <enclosure>"]
    url = enclosure.get("url", "")
    problems = []
    if enclosure.get("type") != "audio/mpeg":
        problems.append("enclosure type is not audio/mpeg")
    local = _local_file(_without_prefix(url, podcast), output, podcast)
    if local is None:
        under = podcast.enclosure_url("")
        return [*problems, f"enclosure {url} is not under {under}"]
    if not local.is_file():
        return [*problems, f"enclosure names {local.name}, which is not in the output folder"]
    size = local.stat().st_size
    if enclosure.get("length") != str(size):
        problems.append(f"enclosure length {enclosure.get('length')} is not the file's {size}")
    return problems


def _check_chapters(url: str, output: Path, podcast: Podcast) -> list[str]:
    problems = _check_linked(url, output, podcast, "chapters")
    local = _local_file(url, output, podcast)
    if problems or local is None:
        return problems
    try:
        document = loads_json(read_bounded(local, FEED_MAX_BYTES, "chapters file"))
    except SuaraberitaError as exc:
        return [str(exc)]
    except ValueError as exc:
        return [f"chapters file {local.name} is not JSON: {exc}"]
    if document.get("version") != "1.2.0" or not isinstance(document.get("chapters"), list):
        return [f"chapters file {local.name} is not Podcasting 2.0 version 1.2.0"]
    return []


def _check_linked(url: str, output: Path, podcast: Podcast, what: str) -> list[str]:
    local = _local_file(url, output, podcast)
    if local is None:
        return [f"{what} {url} is not under the base URL"]
    if not local.is_file():
        return [f"{what} names {local.name}, which is not in the output folder"]
    return []


def _without_prefix(url: str, podcast: Podcast) -> str:
    """An enclosure URL as it is without the analytics prefix: under the base URL."""
    prefix = podcast.analytics_prefix
    if prefix is None or not url.startswith(prefix):
        return url
    return f"{urlsplit(podcast.base_url).scheme}://{url[len(prefix) :]}"


def _local_file(url: str, output: Path, podcast: Podcast) -> Path | None:
    """The output folder's file a URL under the base URL names, else None."""
    base = podcast.base_url.rstrip("/") + "/"
    if not url.startswith(base):
        return None
    name = unquote(url[len(base) :])
    if not name or "/" in name or name in (".", ".."):
        return None
    return output / name


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path, _NS)
    return (found.text or "").strip() if found is not None else ""
