"""Outputs are replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from suaraberita.files import TEMP_PREFIX, atomic_path, atomic_write


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
        with atomic_path(target) as temp:
            temp.write_bytes(b"half")
            raise RuntimeError("ffmpeg died")

    with pytest.raises(RuntimeError):
        encode_and_fail()
    assert target.read_bytes() == b"old audio"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))
