"""ID3 v2.3 tags and chapters (CHAP + CTOC), written with mutagen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suaraberita.errors import AudioError

_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: players seek by time


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds
    end: float


@dataclass(frozen=True)
class EpisodeTags:
    title: str
    artist: str
    album: str
    date: str | None = None  # YYYY or YYYY-MM-DD
    language: str = "ind"  # ISO 639-2
    genre: str = "Podcast"
    comment: str | None = None
    url: str | None = None
    toc_title: str = "Daftar isi"


def write_tags(path: Path, tags: EpisodeTags, chapters: tuple[Chapter, ...]) -> None:
    """Replace the file's ID3 tag with ours, as v2.3 (players mishandle v2.4 chapters)."""
    from mutagen import MutagenError
    from mutagen.id3 import (
        CHAP,
        COMM,
        CTOC,
        ID3,
        TALB,
        TCON,
        TDRC,
        TIT2,
        TLAN,
        TPE1,
        WXXX,
        CTOCFlags,
    )  # fmt: skip

    id3 = _chapter_ordered_id3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TPE1(encoding=3, text=[tags.artist]))
    id3.add(TALB(encoding=3, text=[tags.album]))
    id3.add(TCON(encoding=3, text=[tags.genre]))
    id3.add(TLAN(encoding=3, text=[tags.language]))
    if tags.date:
        id3.add(TDRC(encoding=3, text=[tags.date]))
    if tags.comment:
        id3.add(COMM(encoding=3, lang=tags.language, desc="", text=[tags.comment]))
    if tags.url:
        id3.add(WXXX(encoding=3, desc="", url=tags.url))
    ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    if chapters:
        id3.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=[tags.toc_title])],
            )
        )
    id3.update_to_v23()
    try:
        id3.save(path, v2_version=3)
    except (MutagenError, OSError) as exc:
        raise AudioError(f"cannot write ID3 tags: {exc}", path=path) from exc


def _chapter_ordered_id3() -> Any:
    """An empty ID3 tag that writes its frames in the order they were added.

    mutagen sorts frames by size; ffmpeg and some players list chapters in file order,
    so CHAP frames must be written in time order.
    """
    from mutagen.id3 import ID3
    from mutagen.id3._tags import save_frame

    class InsertionOrderedID3(ID3):  # type: ignore[misc]
        def _write(self, config: Any) -> bytearray:
            return bytearray().join(save_frame(f, config=config) for f in self.values())

    return InsertionOrderedID3()


def read_chapters(path: Path) -> tuple[Chapter, ...]:
    """Chapters as stored, sorted by start time (mutagen orders frames by size)."""
    from mutagen.id3 import ID3

    chapters = []
    for frame in ID3(path).getall("CHAP"):
        titles = frame.sub_frames.getall("TIT2")
        title = str(titles[0].text[0]) if titles else frame.element_id
        chapters.append(Chapter(title, frame.start_time / 1000, frame.end_time / 1000))
    return tuple(sorted(chapters, key=lambda c: c.start))
