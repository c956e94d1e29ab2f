"""Shared fixtures: real ffmpeg, the real CLI in a subprocess, small articles."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from suaraberita.audio import ffmpeg_path

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

## 2. Jadwal lebih sering

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


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the installed CLI as a user would, in tmp_path."""

    def run(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "suaraberita", *args],
            cwd=cwd or tmp_path,
            input=stdin,
            capture_output=True,
            timeout=300,
            env={**os.environ, "COLUMNS": "120"},
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
