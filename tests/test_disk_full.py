"""A full disk (or a quota or file size limit) wherever suaraberita writes: the audio
spool, the staged files, the episode store (and through the command line, in
tests/test_bad_input.py: ffmpeg's MP3, and the spool under a file size limit). Each is one clear error,
"no space left on <folder>" (exit 7), never an unexpected OSError (exit 1) or advice to
reinstall ffmpeg; nothing published before changes.

A full disk is made real without root where it can be: /dev/full answers every write
with ENOSPC (the spool is opened on it), and SQLite's page limit gives its SQLITE_FULL.
"""

from __future__ import annotations

import errno
import io
import math
import os
from pathlib import Path
from typing import Any

import pytest

from suaraberita.errors import ExitStatus, NoSpaceError
from suaraberita.sound import Pcm

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")


def _tone(seconds: float, rate: int = 22050) -> Pcm:
    samples = (
        int(8000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(int(seconds * rate))
    )
    return Pcm(b"".join(s.to_bytes(2, "little", signed=True) for s in samples), rate)


def test_spool_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The spool beside the MP3 is where an episode first needs space (was: Unexpected
    error: OSError(28, 'No space left on device'), exit 1)."""
    import suaraberita.audio.render as render_module

    def full_spool(**_: Any) -> io.BufferedRandom:
        return open("/dev/full", "r+b")

    monkeypatch.setattr(render_module.tempfile, "TemporaryFile", full_spool)
    with pytest.raises(NoSpaceError) as caught:
        render_module.render(iter([(_tone(2.0), 0.1)] * 3), tmp_path / "a.mp3")
    assert str(caught.value).startswith(f"no space left on {tmp_path}")
    assert caught.value.exit_status == ExitStatus.FEED
    assert not (tmp_path / "a.mp3").exists()


def test_staged_file_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from suaraberita.files import TEMP_PREFIX, atomic_write

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(NoSpaceError, match=f"no space left on {tmp_path}"):
        atomic_write(tmp_path / "feed.xml", b"<rss/>")
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_episode_store_on_a_full_disk(tmp_path: Path) -> None:
    """SQLite says 'database or disk is full' (SQLITE_FULL); a page limit makes it so."""
    from suaraberita.publish.store import Store
    from tests.test_feed import _episode

    with Store(tmp_path / "episodes.db") as store:
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(NoSpaceError, match=f"no space left on {tmp_path}"):
            store.put(_episode(summary="x" * 100_000))
        assert store.episodes() == ()


def _full(*_: object, **__: object) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_lock_file_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No inode left for the lock file (was: cannot lock the output folder: No space
    left on device, a FeedError but not said as the others)."""
    import builtins

    from suaraberita.files import folder_lock

    monkeypatch.setattr(builtins, "open", _full)
    with pytest.raises(NoSpaceError, match=f"no space left on {tmp_path}"), folder_lock(tmp_path):
        pass


def test_output_folder_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from suaraberita.cli import _make_folder

    monkeypatch.setattr(Path, "mkdir", _full)
    with pytest.raises(NoSpaceError, match=f"no space left on {tmp_path}"):
        _make_folder(tmp_path / "output")
