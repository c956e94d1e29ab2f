"""Shared fixtures: real ffmpeg, the real CLI in a subprocess, small articles."""

from __future__ import annotations

import array
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from suaraberita.sound import ffmpeg_path

# CI runs the property tests on a fixed seed, so a landing never hangs on a new random
# find; local runs stay random and keep finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

MARKDOWN_ARTICLE = """\
---
title: "Kereta Cepat & Tiket Murah: Apa Kata Warga?"
subtitle: Tiga hal yang perlu diketahui
author: Tim Redaksi
date: 2021-02-13
url: https://contoh.id/berita/kereta-cepat
tags: [transportasi, kereta]
---

Jakarta – Kereta cepat mulai beroperasi pekan ini. Warga menyambutnya dengan antusias.

## 1. Tiket lebih murah

Harga tiket turun menjadi lima puluh ribu rupiah. Banyak penumpang senang.

## 2. [Jadwal lebih sering](https://contoh.id/jadwal)

Kereta berangkat setiap tiga puluh menit dari stasiun pusat.

## 3. Stasiun baru dibuka

Dua stasiun baru melayani penumpang mulai bulan depan.
"""

PASTED_ARTICLE = """\
Pasar Ikan Baru Dibuka di Tepi Sungai

Warga menyambut gembira

Palembang, IDN Times – Pasar ikan baru resmi dibuka pada pagi hari. Ratusan pedagang pindah ke gedung yang lebih bersih.

1. Gedung yang lebih bersih

Pasar Ikan Baru Dibuka di Tepi SungaiPedagang menata ikan di lapak baru. (IDN Times/Rina Sari)

Gedung baru memiliki saluran air dan lantai keramik. Pedagang tidak lagi berjualan di pinggir jalan.

Baca Juga: Harga Ikan Naik Jelang Lebaran

2. Pembeli makin ramai

Pembeli datang sejak subuh. Menurut pengelola, jumlah pengunjung naik dua kali lipat.

Rina Sari Photo Verified Writer Rina Sari

Penulis Lepas

IDN Times Community adalah media yang menyediakan platform untuk menulis. Semua karya tulis yang dibuat adalah sepenuhnya tanggung jawab dari penulis.

Topik:

  • Pasar

Berita Terkini Lainnya
"""


MD_TITLES = [
    "Kereta Cepat & Tiket Murah: Apa Kata Warga?",
    "1. Tiket lebih murah",
    "2. Jadwal lebih sering",
    "3. Stasiun baru dibuka",
]
MD_SLUG = "kereta-cepat-tiket-murah-apa-kata-warga"


@pytest.fixture(scope="session")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MARKDOWN_ARTICLE narrated once by the real CLI; tests only read the results."""
    work = tmp_path_factory.mktemp("narrated")
    (work / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "suaraberita", "narrate", "kereta.md"],
        cwd=work,
        capture_output=True,
        env={**os.environ, "SUARABERITA_CACHE": str(work / "cache")},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return work / "output"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session", autouse=True)
def _no_google(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default voice is Google's, and no test may reach Google, Edge, the user's cache
    or the user's voice models: point the online voices at a closed local port (tests that
    want a server start a stand-in, tests/standin.py or tests/edgestandin.py), and the cache
    and the user data folder at temporary ones, for this process and its children.
    """
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    names = ("SUARABERITA_GTTS_URL", "SUARABERITA_EDGE_URL", "SUARABERITA_CACHE", "XDG_DATA_HOME")
    saved = {name: os.environ.get(name) for name in names}
    os.environ["SUARABERITA_GTTS_URL"] = f"http://127.0.0.1:{closed.getsockname()[1]}"
    os.environ["SUARABERITA_EDGE_URL"] = f"ws://127.0.0.1:{closed.getsockname()[1]}"
    os.environ["SUARABERITA_CACHE"] = str(tmp_path_factory.mktemp("audio-cache"))
    # no user's installed voice models either: a Piper voice is "not installed" unless a test
    # installs it
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("user-data"))
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    closed.close()


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the installed CLI as a user would, in tmp_path."""

    def run(
        *args: str,
        stdin: bytes | None = None,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> Run:
        # Never the user's audio cache: each test has its own (`env` may override it).
        cache = {"SUARABERITA_CACHE": str(tmp_path / ".cache")}
        proc = subprocess.run(
            [sys.executable, "-m", "suaraberita", *args],
            cwd=cwd or tmp_path,
            input=stdin,
            capture_output=True,
            timeout=300,
            env={**os.environ, "COLUMNS": "120", **cache, **(env or {})},
            check=False,
        )
        return Run(
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    return run


@dataclass(frozen=True)
class FfmpegInfo:
    duration: float
    chapters: tuple[tuple[float, float, str], ...]
    audio: str  # the "Audio:" stream line


def ffmpeg_info(path: Path) -> FfmpegInfo:
    """What ffmpeg itself reads from a file: duration, chapters, stream format."""
    proc = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-i", str(path)], capture_output=True, check=False
    )
    text = proc.stderr.decode("utf-8", "replace")
    hours, minutes, seconds = re.search(r"Duration: (\d+):(\d+):([\d.]+)", text).groups()  # type: ignore[union-attr]
    chapters = []
    for match in re.finditer(
        r"Chapter #\d+:\d+: start ([\d.]+), end ([\d.]+)\s+Metadata:\s+title\s+: (.*)", text
    ):
        chapters.append((float(match[1]), float(match[2]), match[3].strip()))
    audio = re.search(r"Audio: .*", text)
    return FfmpegInfo(
        int(hours) * 3600 + int(minutes) * 60 + float(seconds),
        tuple(chapters),
        audio[0] if audio else "",
    )


def decode_pcm(path: Path, rate: int = 8000) -> tuple[array.array[int], int]:
    """Decode an audio file with ffmpeg into mono 16-bit samples."""
    raw = subprocess.run(
        [ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    samples = array.array("h")
    samples.frombytes(raw)
    return samples, rate


def rms(samples: array.array[int], rate: int, start: float, end: float) -> float:
    window = samples[max(0, int(start * rate)) : int(end * rate)]
    return (sum(s * s for s in window) / max(1, len(window))) ** 0.5


def ebur128(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's own meter reads them."""
    proc = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-nostats", "-i", str(path),
         "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    text = proc.stderr.decode()
    integrated = re.findall(r"I:\s+(-?[\d.]+) LUFS", text)[-1]
    peak = re.findall(r"Peak:\s+(-?[\d.]+|-inf) dBFS", text)[-1]
    return float(integrated), float(peak)
