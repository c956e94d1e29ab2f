"""Every file read from a path the user gives (article, settings, voice profile, lexicon,
intro clip, cover image) is read bounded, and a pipe or a device in its place is refused before it
is opened in a way that could block: a short error naming the file, the documented exit
code, at once. Before, a FIFO hung the run and /dev/zero filled the memory.

The CLI runs in a subprocess with a time limit and an address-space limit, so a
regression fails the test instead of hanging it or the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from suaraberita.errors import ConfigError, ExitStatus
from tests.conftest import MARKDOWN_ARTICLE

MEMORY_LIMIT = 3 * 2**30  # bytes of address space for the CLI under test
LIMIT_SECONDS = 60


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _narrate(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    voice = () if "--voice" in args else ("--voice", "id-espeak")
    return subprocess.run(
        [sys.executable, "-m", "suaraberita", "narrate", *args, *voice],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
        preexec_fn=_limit_memory,
        env={**os.environ, "SUARABERITA_CACHE": str(folder / ".cache")},
        check=False,
    )


# --- what stands where a file should be -----------------------------------------------------


def _fifo(path: Path) -> str:
    os.mkfifo(path)  # nobody ever writes to it: opening it to read would wait forever
    return "named pipe"


def _zero(path: Path) -> str:
    path.symlink_to("/dev/zero")  # endless
    return "character device"


def _huge(path: Path) -> str:
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(120_000_000)
    return "too large"


def _folder(path: Path) -> str:
    path.mkdir()
    return "directory"


TARGETS: dict[str, Callable[[Path], str]] = {
    "FIFO": _fifo,
    "/dev/zero": _zero,
    "huge file": _huge,
    "folder": _folder,
}

# role -> (name of the file, narrate's arguments, extra files, exit code)
ROLES: dict[str, tuple[str, tuple[str, ...], dict[str, str], int]] = {
    "article": ("berita.md", ("berita.md",), {}, ExitStatus.INPUT),
    "--config": ("lain.toml", ("kereta.md", "--config", "lain.toml"), {}, ExitStatus.CONFIG),
    "./suaraberita.toml": ("suaraberita.toml", ("kereta.md",), {}, ExitStatus.CONFIG),
    "--voice PATH": ("suara.toml", ("kereta.md", "--voice", "suara.toml"), {}, ExitStatus.CONFIG),
    "./lexicon.tsv": ("lexicon.tsv", ("kereta.md",), {}, ExitStatus.CONFIG),
    "voice lexicon": (
        "kata.tsv",
        ("kereta.md", "--voice", "voices/x.toml"),
        {"voices/x.toml": 'engine = "espeak"\nlanguage = "id"\nlexicon = "../kata.tsv"\n'},
        ExitStatus.CONFIG,
    ),
    "intro clip": (
        "jingle.mp3",
        ("kereta.md",),
        {"suaraberita.toml": '[audio]\nintro = "jingle.mp3"\n'},
        ExitStatus.CONFIG,
    ),
    "cover image": (
        "sampul.png",
        ("kereta.md",),
        {"suaraberita.toml": '[podcast]\nimage = "sampul.png"\n'},
        ExitStatus.CONFIG,
    ),
}


@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("role", list(ROLES))
def test_special_or_huge_file_is_refused(tmp_path: Path, role: str, target: str) -> None:
    name, args, extra, code = ROLES[role]
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    for extra_name, text in extra.items():
        (tmp_path / extra_name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / extra_name).write_text(text, encoding="utf-8")
    word = TARGETS[target](tmp_path / name)
    if (role, target) == ("--config", "folder"):
        code = ExitStatus.USAGE  # click's own check of the option comes first
    proc = _narrate(tmp_path, *args)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert name in proc.stderr, proc.stderr
    assert word in proc.stderr, proc.stderr
    assert not (tmp_path / "output").exists() or not list((tmp_path / "output").glob("*.mp3"))


def test_a_png_header_glued_to_other_data_is_not_a_cover(tmp_path: Path) -> None:
    """The cover goes into every MP3: only a whole PNG or JPEG, nothing after it."""
    from suaraberita.audio.cover import default_cover

    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (tmp_path / "sampul.png").write_bytes(default_cover().data + bytes(1_000_000))
    (tmp_path / "suaraberita.toml").write_text('[podcast]\nimage = "sampul.png"\n')
    proc = _narrate(tmp_path, "kereta.md")
    assert proc.returncode == ExitStatus.CONFIG, proc.stderr
    assert "sampul.png" in proc.stderr
    assert "not a PNG or JPEG" in proc.stderr


def test_read_bounded_refuses_before_reading(tmp_path: Path) -> None:
    from suaraberita.files import read_bounded

    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="named pipe") as info:
        read_bounded(fifo, 100, "lexicon")
    assert info.value.path == fifo
    big = tmp_path / "besar.tsv"
    big.write_bytes(b"a" * 101)
    assert read_bounded(big, 101, "lexicon") == b"a" * 101
    with pytest.raises(ConfigError, match=r"limit of 100 bytes \(101 bytes\)"):
        read_bounded(big, 100, "lexicon")


def test_feed_check_of_a_pipe_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "output").mkdir()
    os.mkfifo(tmp_path / "output" / "feed.xml")
    proc = subprocess.run(
        [sys.executable, "-m", "suaraberita", "feed", "check", "--output", "output"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
        check=False,
    )
    assert proc.returncode == ExitStatus.FEED, proc.stderr
    assert "named pipe" in proc.stdout, proc.stdout


def test_normalize_reads_standard_input_bounded(tmp_path: Path) -> None:
    """Endless input without a newline (/dev/zero) is refused once a line passes the
    article limit, in bounded memory."""
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run(
            [sys.executable, "-m", "suaraberita", "normalize", "--voice", "id-espeak", "-"],
            cwd=tmp_path,
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=LIMIT_SECONDS,
            preexec_fn=_limit_memory,
            check=False,
        )
    assert proc.returncode == ExitStatus.INPUT, proc.stderr
    assert "<stdin>" in proc.stderr
    assert "longer than 2,000,000 bytes" in proc.stderr


def test_a_large_cover_goes_into_the_mp3_scaled(tmp_path: Path) -> None:
    """A 3 MB show image (a whole PNG, within the limits) is linked from the feed as it
    is, but each MP3 carries a 1400 px JPEG of it: not 3 MB per episode."""
    import struct
    import zlib

    from mutagen.id3 import ID3

    from suaraberita.audio.cover import EMBED_MAX, default_cover

    png = default_cover().data
    body = os.urandom(3_000_000)  # a private chunk: readers skip it
    chunk = b"prIv" + body
    big = png[:33] + struct.pack(">I", len(body)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    big += png[33:]
    (tmp_path / "sampul.png").write_bytes(big)
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (tmp_path / "suaraberita.toml").write_text('[podcast]\nimage = "sampul.png"\n')
    proc = _narrate(tmp_path, "kereta.md")
    assert proc.returncode == 0, proc.stderr
    [mp3] = (tmp_path / "output").glob("*.mp3")
    [picture] = ID3(mp3).getall("APIC")
    assert picture.mime == "image/jpeg"
    assert len(picture.data) <= EMBED_MAX
    assert (tmp_path / "output" / "cover.png").read_bytes() == big
