"""The episode store: one SQLite database per output folder; feeds are rendered from it."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from suaraberita.errors import FeedError
from suaraberita.tags import Chapter

SCHEMA_VERSION = 1
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
}


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


class Store:
    """Episodes of one output folder. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._migrate()
        except sqlite3.Error as exc:
            raise FeedError(f"cannot open the episode store: {exc}", path=path) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self._db.close()

    def _migrate(self) -> None:
        # One write transaction, so two processes never migrate the same file at once.
        with self._transaction():
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

    def get(self, guid: str) -> Episode | None:
        row = self._db.execute("SELECT * FROM episodes WHERE guid = ?", (guid,)).fetchone()
        return _episode(row, self._columns()) if row else None

    def free_slug(self, guid: str, wanted: str) -> str:
        """The episode's existing slug, or `wanted` made unique among other episodes."""
        existing = self.get(guid)
        if existing:
            return existing.slug
        taken = {r[0] for r in self._db.execute("SELECT slug FROM episodes")}
        slug, n = wanted, 2
        while slug in taken:
            slug, n = f"{wanted}-{n}", n + 1
        return slug

    def put(self, episode: Episode) -> None:
        """Insert or replace the episode with this guid."""
        chapters = json.dumps([[c.title, c.start, c.end] for c in episode.chapters])
        row = (
            episode.guid, episode.slug, episode.title, episode.summary, episode.author,
            episode.link, episode.image, episode.pub_date.isoformat(), episode.duration,
            episode.audio_file, episode.audio_length, chapters, episode.voice,
        )  # fmt: skip
        try:
            with self._transaction():
                self._db.execute(
                    "INSERT OR REPLACE INTO episodes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", row
                )
        except sqlite3.Error as exc:
            raise FeedError(f"cannot save episode {episode.slug}: {exc}", path=self.path) from exc

    def episodes(self) -> tuple[Episode, ...]:
        """All episodes, newest first."""
        rows = self._db.execute("SELECT * FROM episodes ORDER BY pub_date DESC, slug").fetchall()
        columns = self._columns()
        return tuple(_episode(row, columns) for row in rows)

    def _columns(self) -> list[str]:
        return [r[1] for r in self._db.execute("PRAGMA table_info(episodes)")]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Commit on success, roll back on error."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def _episode(row: tuple[object, ...], columns: list[str]) -> Episode:
    data = dict(zip(columns, row, strict=True))
    chapters = tuple(Chapter(t, s, e) for t, s, e in json.loads(str(data["chapters"])))
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
    )


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
