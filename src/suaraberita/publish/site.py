"""Static web pages for the output folder: an index, a subscribe page and one page per
episode.

Rendered from the episode store with Jinja2 (autoescaped): every piece of article text is
escaped, and only http(s) links from an article are kept. The transcript comes from the
episode's own WebVTT file in the output folder.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from suaraberita.audio.tags import Chapter
from suaraberita.audio.transcript import Cue
from suaraberita.errors import FeedError
from suaraberita.files import Staging
from suaraberita.publish.feed import clock
from suaraberita.publish.store import INDEX_PAGE, SUBSCRIBE_PAGE, Episode, page_file
from suaraberita.publish.subscribe import app_links, feed_address
from suaraberita.settings import Podcast
from suaraberita.unsafe import safe_url

INDEX_NAME = INDEX_PAGE
SUBSCRIBE_NAME = SUBSCRIBE_PAGE
FEED_FILE = "feed.xml"  # the raw feed, beside the pages
ASSETS_DIR = "assets"
ASSET_NAMES = ("site.css", "site.js")
# Marks the pages this module writes, so stale ones (of removed episodes) can be deleted
# without touching HTML files someone else put in the folder.
GENERATOR = '<meta name="generator" content="suaraberita">'
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Section:
    """A chapter of an episode page with the transcript cues spoken in it."""

    chapter: Chapter
    cues: tuple[Cue, ...]
    heading: Cue | None = None  # the spoken chapter title, shown as the section's heading


def page_name(slug: str) -> str:
    return page_file(slug)


def render_site(
    output: Path,
    podcast: Podcast,
    episodes: Sequence[Episode],
    cover_file: str,
    staging: Staging,
) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Stage index.html, berlangganan.html, one page per episode and the assets, where
    they changed, to be renamed into place with the feed (an episode's transcript may be
    staged there too). Returns the pages staged and the pages of episodes that are gone,
    for the caller to delete after the commit. Call with the folder lock held.

    An episode published before the subscribe page existed, or a page someone else put
    in the folder, may own its name: that page stays, and the pages' "Berlangganan" links
    lead to the feed as they used to."""
    written: list[Path] = []
    for name in ASSET_NAMES:
        data = (files("suaraberita.publish") / "static" / name).read_bytes()
        _stage(output / ASSETS_DIR / name, data, staging, written)
    pages = {INDEX_NAME}
    taken = {page_name(episode.slug) for episode in episodes}
    theirs = (output / SUBSCRIBE_NAME).exists() and not _ours(output / SUBSCRIBE_NAME)
    subscribe = FEED_FILE if SUBSCRIBE_NAME in taken or theirs else SUBSCRIBE_NAME
    for episode in episodes:
        name = page_name(episode.slug)
        pages.add(name)
        cues = read_vtt(staging.source(output / episode.sidecars[1]))
        page = render_episode(podcast, episode, cues, cover_file, subscribe)
        _stage(output / name, page, staging, written)
    if subscribe == SUBSCRIBE_NAME:
        pages.add(SUBSCRIBE_NAME)
        page = render_subscribe(podcast, cover_file)
        _stage(output / SUBSCRIBE_NAME, page, staging, written)
    page = render_index(podcast, episodes, cover_file, subscribe)
    _stage(output / INDEX_NAME, page, staging, written)
    gone = [p for p in sorted(output.glob("*.html")) if p.name not in pages and _ours(p)]
    return tuple(written), tuple(gone)


def render_index(
    podcast: Podcast,
    episodes: Sequence[Episode],
    cover_file: str,
    subscribe: str = SUBSCRIBE_NAME,
) -> bytes:
    """The show's page: cover, description, subscribe link, episodes newest first.
    `subscribe`: the page the "Berlangganan" links lead to (on every page)."""
    return _render(
        "index.html",
        podcast=podcast,
        feed=feed_address(podcast.feed_url) or podcast.feed_url,  # as the subscribe page
        episodes=episodes,
        cover_file=cover_file,
        subscribe=subscribe,
    )


def render_subscribe(podcast: Podcast, cover_file: str) -> bytes:
    """How to follow the show: the feed's address to copy, links that open it in podcast
    apps, and the raw feed last."""
    return _render(
        "berlangganan.html",
        podcast=podcast,
        feed=feed_address(podcast.feed_url) or podcast.feed_url,
        apps=app_links(podcast.feed_url, podcast.title),
        cover_file=cover_file,
        subscribe=SUBSCRIBE_NAME,
    )


def render_episode(
    podcast: Podcast,
    episode: Episode,
    cues: Sequence[Cue],
    cover_file: str,
    subscribe: str = SUBSCRIBE_NAME,
) -> bytes:
    """One episode's page: player, chapters, transcript and show notes."""
    return _render(
        "episode.html",
        podcast=podcast,
        episode=episode,
        sections=sections(episode.chapters, cues),
        link=safe_url(episode.link),
        cover_file=cover_file,
        subscribe=subscribe,
    )


def sections(chapters: Sequence[Chapter], cues: Sequence[Cue]) -> tuple[Section, ...]:
    """Cues grouped under the chapter they start in (cues before the first chapter go to
    it); without chapters, one untitled section. A chapter's first cue that says its
    title becomes the section's heading.

    >>> cues = [Cue(0, 1, ("Judul",)), Cue(1, 2, ("Satu.",)), Cue(3, 4, ("1. Bab", "dua"))]
    >>> [(len(s.cues), s.heading) for s in sections([Chapter("Judul", 0, 3)], cues)]
    [(2, Cue(start=0, end=1, lines=('Judul',)))]
    >>> [len(s.cues) for s in sections([Chapter("J", 0, 3), Chapter("1. Bab dua", 3, 4)], cues)]
    [2, 0]
    """
    if not chapters:
        return (Section(Chapter("", 0.0, 0.0), tuple(cues)),) if cues else ()
    groups: list[list[Cue]] = [[] for _ in chapters]
    for cue in cues:
        index = 0
        for number, chapter in enumerate(chapters):
            if chapter.start <= cue.start + 0.01:
                index = number
        groups[index].append(cue)
    result = []
    for chapter, group in zip(chapters, groups, strict=True):
        if group and cue_text(group[0]) == " ".join(chapter.title.split()):
            result.append(Section(chapter, tuple(group[1:]), group[0]))
        else:
            result.append(Section(chapter, tuple(group)))
    return tuple(result)


def cue_text(cue: Cue) -> str:
    return " ".join(" ".join(cue.lines).split())


def read_vtt(path: Path) -> tuple[Cue, ...]:
    """Cues of a WebVTT file as plain text (tags dropped, entities decoded); none when the
    file is missing or unreadable.

    >>> import tempfile
    >>> from suaraberita.audio.transcript import render_vtt
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     vtt = Path(folder) / "a.vtt"
    ...     _ = vtt.write_text(render_vtt([Cue(1.5, 62.25, ("A & B <b>", "-->"))]))
    ...     read_vtt(vtt)
    (Cue(start=1.5, end=62.25, lines=('A & B <b>', '-->')),)
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ()
    cues = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue  # the header, a NOTE or a STYLE block
        start, _, end = lines[timing].partition("-->")
        times = _seconds(start), _seconds(end.split()[0] if end.split() else "")
        if times[0] is None or times[1] is None:
            continue
        body = tuple(html.unescape(_TAG.sub("", line)) for line in lines[timing + 1 :])
        cues.append(Cue(times[0], times[1], body))
    return tuple(cues)


def duration_text(seconds: float) -> str:
    """A duration in Indonesian words.

    >>> duration_text(241.0), duration_text(3725), duration_text(42)
    ('4 menit 1 detik', '1 jam 2 menit', '42 detik')
    """
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} jam {minutes} menit"
    if minutes:
        return f"{minutes} menit {secs} detik" if secs else f"{minutes} menit"
    return f"{secs} detik"


def iso_duration(seconds: float) -> str:
    """For <time datetime>.

    >>> iso_duration(241.046)
    'PT4M1S'
    """
    minutes, secs = divmod(round(seconds), 60)
    return f"PT{minutes}M{secs}S"


def seconds_attr(value: float) -> str:
    """A start time as the pages carry it (href="#t=62.5", data-start="62.5").

    >>> seconds_attr(62.5), seconds_attr(0.0), seconds_attr(44.51)
    ('62.5', '0', '44.51')
    """
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _seconds(text: str) -> float | None:
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None
    hours, minutes, secs, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def _date(episode: Episode) -> str:
    day = episode.pub_date
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f}".replace(".", ",") + " MB"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("suaraberita.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        clock=clock,
        seconds=seconds_attr,
        duration=duration_text,
        iso_duration=iso_duration,
        date=_date,
        megabytes=_megabytes,
        cue_text=cue_text,
        file_url=lambda name: quote(str(name)),
    )
    env.globals.update(page_name=page_name, generator=Markup(GENERATOR))
    return env


def _render(template: str, **context: object) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")


def _stage(path: Path, data: bytes, staging: Staging, written: list[Path]) -> None:
    """Stage only what changed, so re-rendering a large show stays cheap."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FeedError(f"cannot make the folder: {exc.strerror}", path=path.parent) from None
    staging.write(path, data)
    written.append(path)


def _ours(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    return GENERATOR.encode() in head
