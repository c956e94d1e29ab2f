"""Follow a news site's RSS or Atom feed: narrate the items not narrated yet.

The feed is fetched with a conditional GET (the ETag and Last-Modified of the last
check are kept in the output folder, in ``.suaraberita-follow.json``), so a cron job
every few minutes costs one small request when nothing is new. Items are taken newest
first, limited by count and date; an item is new when its address was never narrated
from this feed and no episode has that address. The state is written after each run,
also when some items failed (they are tried again next time).
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from suaraberita.errors import InputError
from suaraberita.files import atomic_write
from suaraberita.intake.fetch import FEED_TYPES, FetchOptions, fetch
from suaraberita.outside import loads_json

STATE_NAME = ".suaraberita-follow.json"
MAX_REMEMBERED = 2000  # item addresses kept per feed; older ones fall off


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    published: datetime | None


@dataclass(frozen=True)
class FeedCheck:
    """What one look at the feed found."""

    items: tuple[Item, ...] = ()  # new items, newest first, within the limits
    not_modified: bool = False  # the server said nothing changed since the last check
    total: int = 0  # items in the feed
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FollowState:
    """Per feed: the validators of its last answer and the addresses narrated."""

    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, output: Path) -> FollowState:
        try:
            data = loads_json((output / STATE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()  # none yet, or damaged: every item counts as new once
        return cls(data if isinstance(data, dict) else {})

    def of(self, feed: str) -> dict[str, Any]:
        """The feed's entry; a damaged one (edited by hand, cut short) starts afresh."""
        entry = self.feeds.get(feed)
        fresh: dict[str, Any] = {"etag": None, "last_modified": None, "seen": []}
        if not isinstance(entry, dict):
            entry = self.feeds[feed] = fresh
        for key in ("etag", "last_modified"):
            if not isinstance(entry.get(key), str):
                entry[key] = None
        seen = entry.get("seen")
        entry["seen"] = (
            [url for url in seen if isinstance(url, str)] if isinstance(seen, list) else []
        )
        return entry

    def seen(self, feed: str) -> set[str]:
        return set(self.of(feed)["seen"])

    def remember(self, feed: str, urls: Iterable[str]) -> None:
        entry = self.of(feed)
        seen = [*entry["seen"], *urls]
        entry["seen"] = list(dict.fromkeys(seen))[-MAX_REMEMBERED:]

    def save(self, output: Path) -> None:
        data = json.dumps(self.feeds, ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write(output / STATE_NAME, data.encode("utf-8"))


def check_feed(
    feed: str,
    state: FollowState,
    known: set[str],
    *,
    limit: int | None = None,
    since: datetime | None = None,
    options: FetchOptions | None = None,
) -> FeedCheck:
    """Fetch `feed` (conditionally) and pick its new items; `known` are addresses
    already narrated (the episode store's links)."""
    entry = state.of(feed)
    page = fetch(
        feed,
        options or FetchOptions(),
        accept=FEED_TYPES,
        etag=entry.get("etag"),
        last_modified=entry.get("last_modified"),
    )
    if page.not_modified:
        return FeedCheck(not_modified=True)
    items = parse_feed(page.body, feed)
    done = state.seen(feed) | known
    new = [item for item in items if item.url not in done]
    if since is not None:
        new = [item for item in new if item.published is None or item.published >= since]
    new.sort(key=lambda item: item.published or datetime.min.replace(tzinfo=UTC), reverse=True)
    return FeedCheck(
        tuple(new[:limit] if limit else new),
        total=len(items),
        etag=page.etag,
        last_modified=page.last_modified,
    )


def parse_feed(body: bytes, source: str) -> list[Item]:
    """The items of an RSS or Atom feed that link to a web page."""
    import feedparser

    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise InputError(
            "not an RSS or Atom feed",
            path=source,
            hint="give the address of the site's feed (often /rss or /feed)",
        )
    items = []
    for entry in parsed.entries:
        url = (entry.get("link") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None
        items.append(Item(url, " ".join((entry.get("title") or url).split()), published))
    return items


def record(
    state: FollowState,
    feed: str,
    check: FeedCheck,
    narrated: Sequence[str],
    output: Path,
    *,
    failed: bool = False,
) -> None:
    """Remember the feed's validators and the items narrated, for the next run. After a
    failed item the validators are forgotten, so the next run reads the feed again
    (a conditional GET would answer "not modified" and the item would be lost)."""
    entry = state.of(feed)
    if failed:
        entry["etag"] = entry["last_modified"] = None
    elif not check.not_modified:
        entry["etag"], entry["last_modified"] = check.etag, check.last_modified
    state.remember(feed, narrated)
    state.save(output)
