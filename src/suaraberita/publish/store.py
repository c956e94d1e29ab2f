"""The episode store: one SQLite database per output folder; feeds are rendered from it."""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from suaraberita.audio.tags import Chapter
from suaraberita.errors import FeedError, InputError, NoSpaceError, no_space
from suaraberita.files import alive

SCHEMA_VERSION = 7
_MIGRATIONS = {
    1: """
    CREATE TABLE episodes (
        guid TEXT PRIMARY KEY,
        slug TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        author TEXT,
        link TEXT,
        image TEXT,
        pub_date TEXT NOT NULL,
        duration REAL NOT NULL,
        audio_file TEXT NOT NULL,
        audio_length INTEGER NOT NULL,
        chapters TEXT NOT NULL,
        voice TEXT NOT NULL
    );
    """,
    # itunes:episode numbers, given in publication order and kept from then on
    2: """
    ALTER TABLE episodes ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
    UPDATE episodes SET number = (
        SELECT COUNT(*) FROM episodes AS older
        WHERE older.pub_date < episodes.pub_date
           OR (older.pub_date = episodes.pub_date AND older.slug <= episodes.slug)
    );
    """,
    # what the audio was made from, so an unchanged article is not narrated again
    3: """
    ALTER TABLE episodes ADD COLUMN fingerprint TEXT;
    """,
    # slugs being narrated right now, so two new articles with one title never share files
    4: """
    CREATE TABLE reservations (
        slug TEXT PRIMARY KEY,
        guid TEXT NOT NULL,
        pid INTEGER NOT NULL
    );
    """,
    # the article file and settings the episode was made from, so an unchanged one is
    # known before it is parsed
    5: """
    ALTER TABLE episodes ADD COLUMN source_key TEXT;
    """,
    # the narration order, which breaks ties of publication date in the numbering: the
    # run's clock and the article's place in it (the old numbers were given in that order)
    6: """
    ALTER TABLE episodes ADD COLUMN narrated TEXT;
    ALTER TABLE episodes ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
    UPDATE episodes SET position = number;
    """,
    # the episode's own image in the output folder, fetched from the article and checked
    7: """
    ALTER TABLE episodes ADD COLUMN image_file TEXT;
    """,
}
# what an episode keeps from its first narration when it is narrated again
_KEPT = frozenset({"guid", "number", "narrated", "position"})
_EARLIEST = datetime.min.replace(tzinfo=UTC)


INDEX_PAGE = "index.html"  # the show's page
SUBSCRIBE_PAGE = "berlangganan.html"  # how to follow the show in a podcast app
# stems whose episode files would overwrite the show's own
RESERVED_SLUGS = frozenset(page.removesuffix(".html") for page in (INDEX_PAGE, SUBSCRIBE_PAGE))


def page_file(slug: str) -> str:
    """The episode's web page."""
    return f"{slug}.html"


def episode_files(slug: str) -> tuple[str, str, str, str]:
    """The MP3 and its chapters JSON, WebVTT and SRT files, named after the slug."""
    return f"{slug}.mp3", f"{slug}.chapters.json", f"{slug}.vtt", f"{slug}.srt"


def art_files(slug: str) -> tuple[str, str]:
    """The names the episode's own image may take: a JPEG, or a PNG kept as it came."""
    return f"{slug}.jpg", f"{slug}.png"


@dataclass(frozen=True)
class Episode:
    guid: str  # never changes once published
    slug: str
    title: str
    summary: str
    pub_date: datetime  # timezone-aware
    duration: float  # seconds
    audio_file: str  # file name inside the output folder
    audio_length: int  # bytes
    chapters: tuple[Chapter, ...]
    voice: str
    author: str | None = None
    link: str | None = None
    image: str | None = None
    number: int = 0  # itunes:episode: its place by date, then narration order (the store)
    fingerprint: str | None = None  # pipeline.fingerprint of what made the audio
    source_key: str | None = None  # pipeline.source_key of the file it was narrated from
    narrated: datetime | None = None  # the clock of the run that first narrated it
    position: int = 0  # the article's place among that run's articles
    # the article's image as fitted for podcast apps (one of `art_files`); None: the show's
    image_file: str | None = None

    @property
    def sidecars(self) -> tuple[str, str, str]:
        """Chapters JSON, WebVTT and SRT file names."""
        return episode_files(self.slug)[1:]


class Store:
    """Episodes of one output folder. Use as a context manager."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        """`read_only`: only read, writing nothing into the folder (which may be read-only),
        unless the store's schema is older than this code's and must be upgraded."""
        self.path = path
        try:
            if read_only:
                self._db = sqlite3.connect(_read_only_uri(path), uri=True, timeout=30)
                if self._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                    return
                self._db.close()  # older (upgraded below) or newer (refused below)
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._set_up()
        except sqlite3.Error as exc:
            raise _full(exc, path) or FeedError(
                f"cannot open the episode store: {exc}", path=path
            ) from exc

    def _set_up(self) -> None:
        """WAL mode and migrations. Switching the journal mode does not wait for a busy
        database, so processes opening a new store together take turns here."""
        deadline = time.monotonic() + 30
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._migrate()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.01, 0.05))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self._db.close()

    def _migrate(self) -> None:
        # One write transaction, so two processes never migrate the same file at once.
        with self.transaction():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise FeedError(
                    f"episode store has schema {version}, newer than this suaraberita knows",
                    path=self.path,
                    hint="upgrade suaraberita",
                )
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {step}")
            if version < SCHEMA_VERSION:
                self._renumber()

    def get(self, guid: str) -> Episode | None:
        row = self._db.execute("SELECT * FROM episodes WHERE guid = ?", (guid,)).fetchone()
        return _episode(row, self._columns()) if row else None

    def reserve_slug(self, guid: str, wanted: str, pid: int) -> str:
        """The episode's slug: its existing one, or `wanted` made unique among the other
        episodes and the slugs other live processes are narrating into; reserved for `pid`
        until the episode is put."""
        try:
            with self.transaction():
                existing = self.get(guid)
                if existing:
                    return existing.slug
                rows = self._db.execute("SELECT slug, guid, pid FROM reservations").fetchall()
                for slug, owner, holder in rows:
                    mine, live = int(holder) == pid, alive(int(holder))
                    if owner == guid and (mine or not live):  # left by a failed run
                        self._db.execute(
                            "UPDATE reservations SET pid = ? WHERE slug = ?", (pid, slug)
                        )
                        return str(slug)
                    if owner == guid:
                        raise InputError(
                            "another article for this episode is being narrated right now",
                            hint="two articles share a title (and have no id or url), or "
                            "the same article was given twice; narrate them one at a time",
                        )
                    if not live:
                        self._db.execute("DELETE FROM reservations WHERE slug = ?", (slug,))
                taken = {r[0] for r in self._db.execute("SELECT slug FROM episodes")}
                taken |= {r[0] for r in self._db.execute("SELECT slug FROM reservations")}
                slug, n = wanted, 2
                while slug in taken or not self._free(slug):
                    slug, n = f"{wanted}-{n}", n + 1
                self._db.execute("INSERT INTO reservations VALUES (?, ?, ?)", (slug, guid, pid))
                return slug
        except sqlite3.Error as exc:
            raise _full(exc, self.path) or FeedError(
                f"cannot reserve a file name: {exc}", path=self.path
            ) from exc

    def _free(self, slug: str) -> bool:
        """No file of the show and no file of someone else's would be overwritten by a
        new episode with this slug."""
        if slug in RESERVED_SLUGS:
            return False
        folder = self.path.parent
        names = (*episode_files(slug), *art_files(slug), page_file(slug))
        return not any((folder / name).exists() for name in names)

    def put(self, episode: Episode) -> Episode:
        """Insert or replace the episode with this guid (which keeps its narration order)
        and number every episode again; returns it as stored, with its number."""
        chapters = json.dumps([[c.title, c.start, c.end, c.url] for c in episode.chapters])
        narrated = episode.narrated.isoformat() if episode.narrated else None
        try:
            with self.transaction():
                row = {
                    "guid": episode.guid, "slug": episode.slug, "title": episode.title,
                    "summary": episode.summary, "author": episode.author, "link": episode.link,
                    "image": episode.image, "pub_date": episode.pub_date.isoformat(),
                    "duration": episode.duration, "audio_file": episode.audio_file,
                    "audio_length": episode.audio_length, "chapters": chapters,
                    "voice": episode.voice, "number": 0,
                    "fingerprint": episode.fingerprint, "source_key": episode.source_key,
                    "narrated": narrated, "position": episode.position,
                    "image_file": episode.image_file,
                }  # fmt: skip
                names = ", ".join(row)
                marks = ", ".join(f":{name}" for name in row)
                # ON CONFLICT(guid): a clash on the slug is an error, never a lost episode
                updates = ", ".join(
                    f"{name} = excluded.{name}" for name in row if name not in _KEPT
                )
                self._db.execute(
                    f"INSERT INTO episodes ({names}) VALUES ({marks})"
                    f" ON CONFLICT(guid) DO UPDATE SET {updates}",
                    row,
                )
                self._db.execute("DELETE FROM reservations WHERE guid = ?", (episode.guid,))
                self._renumber()
                stored = self.get(episode.guid)
        except sqlite3.Error as exc:
            raise _full(exc, self.path) or FeedError(
                f"cannot save episode {episode.slug}: {exc}", path=self.path
            ) from exc
        assert stored is not None
        return stored

    def _renumber(self) -> None:
        """Number the episodes 1, 2, ... by publication date, then narration order (in the
        caller's transaction): the same numbers whichever article of a batch finished first."""
        rows = self._db.execute(
            "SELECT guid, pub_date, narrated, position, number FROM episodes ORDER BY rowid"
        ).fetchall()
        keyed = sorted(rows, key=lambda row: _order(*row[1:4]))
        changed = [(n, row[0]) for n, row in enumerate(keyed, start=1) if row[4] != n]
        self._db.executemany("UPDATE episodes SET number = ? WHERE guid = ?", changed)

    def by_source_key(self, key: str) -> Episode | None:
        """The episode last narrated from exactly this file and these settings."""
        row = self._db.execute("SELECT * FROM episodes WHERE source_key = ?", (key,)).fetchone()
        return None if row is None else _episode(row, self._columns())

    def remove(self, slug: str) -> Episode | None:
        """Delete the episode with this slug; returns what was deleted."""
        row = self._db.execute("SELECT * FROM episodes WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            return None
        with self.transaction():
            self._db.execute("DELETE FROM episodes WHERE slug = ?", (slug,))
            self._renumber()  # the numbers stay 1, 2, ... by date
        return _episode(row, self._columns())

    def episodes(self) -> tuple[Episode, ...]:
        """All episodes, newest first (the highest number first)."""
        rows = self._db.execute("SELECT * FROM episodes ORDER BY number DESC").fetchall()
        columns = self._columns()
        return tuple(_episode(row, columns) for row in rows)

    def _columns(self) -> list[str]:
        return [r[1] for r in self._db.execute("PRAGMA table_info(episodes)")]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit on success, roll back on error; inside another, part of it (so a
        publish that fails after `put` leaves the store as it was)."""
        if self._db.in_transaction:
            yield
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # SQLite ends it itself on some errors (disk full)
                self._db.execute("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise _full(exc, self.path) or FeedError(
                f"cannot save the episode store: {exc}", path=self.path
            ) from exc


def _order(pub_date: str, narrated: str | None, position: int) -> tuple[datetime, datetime, int]:
    """An episode's place in the numbering. Instants, not text: dates carry different
    time zones. Episodes stored before the narration order was kept come first."""
    first = datetime.fromisoformat(narrated) if narrated else _EARLIEST
    return datetime.fromisoformat(pub_date), first, position


def _full(exc: sqlite3.Error, path: Path) -> NoSpaceError | None:
    """SQLite's 'database or disk is full', said as every other full disk is."""
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return no_space(path.parent)
    return None


def _read_only_uri(path: Path) -> str:
    """Read without writing a byte: 'mode=ro' alone would make (and leave) the -wal and
    -shm files, and cannot in a read-only folder. With neither there no connection is
    open (the last one folds the log into the file and removes them), so the file is
    read as it is ('immutable'); else through the live log, read-only."""
    live = any(path.with_name(path.name + end).exists() for end in ("-wal", "-shm"))
    return f"{path.resolve().as_uri()}?{'mode=ro' if live else 'immutable=1'}"


def _episode(row: tuple[object, ...], columns: list[str]) -> Episode:
    data = dict(zip(columns, row, strict=True))
    chapters = tuple(Chapter(*fields) for fields in json.loads(str(data["chapters"])))
    return Episode(
        guid=str(data["guid"]),
        slug=str(data["slug"]),
        title=str(data["title"]),
        summary=str(data["summary"]),
        pub_date=datetime.fromisoformat(str(data["pub_date"])),
        duration=float(data["duration"]),  # type: ignore[arg-type]
        audio_file=str(data["audio_file"]),
        audio_length=int(data["audio_length"]),  # type: ignore[call-overload]
        chapters=chapters,
        voice=str(data["voice"]),
        author=_opt(data["author"]),
        link=_opt(data["link"]),
        image=_opt(data["image"]),
        number=int(data["number"]),  # type: ignore[call-overload]
        fingerprint=_opt(data["fingerprint"]),
        source_key=_opt(data.get("source_key")),
        narrated=None
        if data["narrated"] is None
        else datetime.fromisoformat(str(data["narrated"])),
        position=int(data["position"]),  # type: ignore[call-overload]
        image_file=_opt(data["image_file"]),
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_date(value: object) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))
