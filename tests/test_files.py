"""Outputs are replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from suaraberita.files import TEMP_PREFIX, Staging, atomic_write


def test_atomic_write_replaces(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_text("lama")
    atomic_write(target, b"baru")
    assert target.read_text() == "baru"
    assert list(tmp_path.iterdir()) == [target]


def test_failure_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "episode.mp3"
    target.write_bytes(b"old audio")

    def encode_and_fail() -> None:
        with Staging() as staging:
            staging.path(target).write_bytes(b"half")
            raise RuntimeError("ffmpeg died")

    with pytest.raises(RuntimeError):
        encode_and_fail()
    assert target.read_bytes() == b"old audio"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_staged_files_change_together_on_commit(tmp_path: Path) -> None:
    audio, feed = tmp_path / "a.mp3", tmp_path / "feed.xml"
    audio.write_bytes(b"old audio")
    with Staging() as staging:
        staging.write(audio, b"new audio")
        staging.write(feed, b"<rss/>")
        assert audio.read_bytes() == b"old audio"  # nothing visible before the commit
        assert not feed.exists()
        staging.commit()
    assert (audio.read_bytes(), feed.read_bytes()) == (b"new audio", b"<rss/>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp3", "feed.xml"]
