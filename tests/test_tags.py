"""ID3 chapters as ffmpeg and mutagen read them back from a real MP3."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from suaraberita.audio.tags import Chapter, EpisodeTags, read_chapters, write_tags
from suaraberita.sound import ffmpeg_path
from tests.conftest import ffmpeg_info


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    path = tmp_path / "sunyi.mp3"
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono",
         "-t", "8", "-b:a", "64k", str(path)],
        check=True,
    )  # fmt: skip
    return path


def test_chapters_in_time_order_with_long_titles(mp3: Path) -> None:
    # Sizes deliberately out of time order; one title over 128 bytes (ffmpeg's v2.4 bug).
    titles = [" ".join(["Pembuka yang panjang sekali"] * 6), "1. A", "2. Judul sedang", "3. B"]
    chapters = tuple(Chapter(t, 2.0 * i, 2.0 * (i + 1)) for i, t in enumerate(titles))
    write_tags(mp3, EpisodeTags(title="Uji & coba", artist="Redaksi", album="Siaran"), chapters)
    info = ffmpeg_info(mp3)
    assert [c[2] for c in info.chapters] == titles
    assert [c[0] for c in info.chapters] == [0.0, 2.0, 4.0, 6.0]
    assert read_chapters(mp3) == chapters


def test_optional_frames(mp3: Path) -> None:
    tags = EpisodeTags(
        title="Judul",
        artist="Redaksi",
        album="Siaran",
        date="2021-02-13",
        comment="Ringkasan",
        url="https://contoh.id/a",
    )
    write_tags(mp3, tags, ())
    id3 = ID3(mp3)
    assert id3.version == (2, 3, 0)
    assert str(id3["TCON"]) == "Podcast"
    assert str(id3.getall("COMM")[0]) == "Ringkasan"
    assert id3.getall("WXXX")[0].url == "https://contoh.id/a"
    assert str(id3["TDRC"]) == "2021-02-13"  # mutagen reads v2.3 TYER+TDAT as TDRC
    assert b"TYER" in mp3.read_bytes()[:2000]
    assert not id3.getall("CTOC")
