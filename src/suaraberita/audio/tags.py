"""ID3 v2.3 tags and chapters (CHAP + CTOC), written with mutagen."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suaraberita.audio.cover import Cover
from suaraberita.errors import AudioError, space_error
from suaraberita.unsafe import safe_url

_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: players seek by time


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds
    end: float
    url: str | None = None  # a link the chapter is about, shown by some players


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
    cover: Cover | None = None
    transcript: str | None = None  # full text, for players that show lyrics


def write_tags(path: Path, tags: EpisodeTags, chapters: tuple[Chapter, ...]) -> None:
    """Replace the file's ID3 tag with ours, as v2.3 (players mishandle v2.4 chapters)."""
    from mutagen import MutagenError
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        TALB,
        TCON,
        TDRC,
        TIT2,
        TLAN,
        TPE1,
        USLT,
        WXXX,
        CTOCFlags,
    )

    id3 = _insertion_ordered_id3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TPE1(encoding=3, text=[tags.artist]))
    id3.add(TALB(encoding=3, text=[tags.album]))
    id3.add(TCON(encoding=3, text=[tags.genre]))
    id3.add(TLAN(encoding=3, text=[tags.language]))
    if tags.date:
        id3.add(TDRC(encoding=3, text=[tags.date]))
    if tags.comment:
        id3.add(COMM(encoding=3, lang=tags.language, desc="", text=[tags.comment]))
    url = safe_url(tags.url)
    if url:
        id3.add(WXXX(encoding=3, desc="", url=url))
    if tags.transcript:
        id3.add(USLT(encoding=3, lang=tags.language, desc="", text=tags.transcript))
    ids = [f"chp{i}" for i in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=round(chapter.start * 1000),
                end_time=round(chapter.end * 1000),
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[
                    TIT2(encoding=3, text=[chapter.title]),
                    *([WXXX(encoding=3, desc="", url=chapter.url)] if chapter.url else []),
                ],
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
    if tags.cover:  # last: the biggest frame
        id3.add(APIC(encoding=3, mime=tags.cover.mime, type=3, desc="", data=tags.cover.data))
    id3.update_to_v23()
    try:
        id3.save(path, v2_version=3)
    except (MutagenError, OSError) as exc:
        full = space_error(exc, path.parent)
        raise full or AudioError(f"cannot write ID3 tags: {exc}", path=path) from exc


def _insertion_ordered_id3() -> Any:
    """An empty ID3 tag that writes its frames in the order they were added.

    mutagen sorts frames by size; ffmpeg and some players list chapters in file order,
    so CHAP frames must be written in time order.
    """
    from mutagen.id3 import ID3
    from mutagen.id3._tags import save_frame

    class InsertionOrderedID3(ID3):
        def _write(self, config: Any) -> bytearray:
            return bytearray().join(save_frame(f, config=config) for f in self.values())

    return InsertionOrderedID3()


def chapters_json(chapters: tuple[Chapter, ...]) -> bytes:
    """Podcasting 2.0 JSON chapters (version 1.2.0), the same chapters as the ID3 ones."""
    items: list[dict[str, object]] = []
    for chapter in chapters:
        item: dict[str, object] = {
            "startTime": round(chapter.start, 3),
            "endTime": round(chapter.end, 3),
            "title": chapter.title,
        }
        if chapter.url:
            item["url"] = chapter.url
        items.append(item)
    document = {"version": "1.2.0", "chapters": items}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def read_chapters(path: Path) -> tuple[Chapter, ...]:
    """Chapters as stored, sorted by start time (mutagen orders frames by size)."""
    from mutagen.id3 import ID3

    chapters = []
    for frame in ID3(path).getall("CHAP"):
        titles = frame.sub_frames.getall("TIT2")
        title = str(titles[0].text[0]) if titles else frame.element_id
        links = frame.sub_frames.getall("WXXX")
        url = str(links[0].url) if links else None
        chapters.append(Chapter(title, frame.start_time / 1000, frame.end_time / 1000, url))
    return tuple(sorted(chapters, key=lambda c: c.start))
