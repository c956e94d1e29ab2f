"""Benchmarks for offline narration, printed as figures (not asserted):

1. `narrate` (offline voice, empty cache) of a generated ~15-minute article against the
   floor: one espeak-ng call on the same text plus one ffmpeg encode of its PCM to the
   same MP3 format, each as a whole process. Goal: at most 1.3x.
2. Re-running `narrate` on the unchanged article: it must notice and skip. Goal: at most
   0.05 of the first run.
3. Peak memory (RSS of the narrate process and of its largest child) for an article three
   times longer. Goal: at most 1.3x. And for the first article's words as one paragraph
   without a full stop or comma (long utterances are cut). Goal: at most 1.3x.
4. Four articles in one call (`--jobs`, default: the CPUs) against four calls in a row,
   the best of three rounds of each. Goal: at least 1.6x faster on 2 cores.
5. Start-up: `suaraberita --help`. Goal: within 0.3 s.
6. The Google voice against plain gTTS: run `python bench/google.py` (stand-in server).

Run from the repository root:  python bench/run.py [--minutes 15]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = """
import sys
from pathlib import Path
from suaraberita.speech.espeak import _get_library
from suaraberita.speech.voices import find_voice, voice_dirs
voice = find_voice("id-espeak", voice_dirs(Path("/nonexistent")))
library = _get_library()
library.configure(voice.language, voice.rate, voice.pitch)
Path(sys.argv[2]).write_bytes(library.synth(Path(sys.argv[1]).read_text(encoding="utf-8")))
"""

PLACES = ["Tirtasari", "Lembah Hijau", "Sukamulya", "Watukarang", "Kalinangka", "Pesisir Timur"]
PEOPLE = ["Bambang Sulistyo", "Lestari Ningsih", "Arif Setiawan", "Rina Sari", "Dewi Anggraini"]
ROLES = ["Kepala Dinas Perhubungan", "Wali Kota", "Ketua DPRD", "juru bicara BUMD", "Camat"]
THINGS = ["jembatan", "pasar", "sekolah", "puskesmas", "terminal", "perpustakaan", "bendungan"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]


def sentence(rng: random.Random) -> str:
    place, person, role = rng.choice(PLACES), rng.choice(PEOPLE), rng.choice(ROLES)
    thing, other = rng.sample(THINGS, 2)
    forms = [
        f"Pemerintah Kota {place} menyiapkan anggaran Rp{rng.randint(1, 99)},{rng.randint(1, 9)}"
        f" miliar untuk membangun {thing} baru di pinggir kota.",
        f"{role} {place}, {person}, mengatakan pekerjaan itu dimulai pada Senin"
        f" ({rng.randint(1, 28)}/{rng.randint(1, 12)}) pukul {rng.randint(7, 16):02d}.30 WIB.",
        f"Sebanyak {rng.randint(2, 900)}.{rng.randint(100, 999)} warga tercatat memakai {thing}"
        f" itu sepanjang tahun {rng.randint(2015, 2024)}, naik {rng.randint(2, 40)},"
        f"{rng.randint(1, 9)} persen dibanding tahun sebelumnya.",
        f"Menurut {person}, {other} di kawasan {place} juga akan diperbaiki sebelum"
        f" {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2025, 2030)}.",
        f"Warga yang tinggal sekitar {rng.randint(2, 40)} km dari {thing} itu berharap"
        f" perjalanan mereka menjadi lebih singkat dan lebih murah.",
        f"Di rapat ke-{rng.randint(2, 30)}, para anggota dewan meminta laporan yang"
        f" lebih rinci tentang biaya {thing}, termasuk upah sekitar {rng.randint(100, 900)}"
        f" pekerja harian.",
    ]
    return rng.choice(forms)


def article(minutes: float, seed: int = 7) -> str:
    """A varied pasted-text article of about `minutes` of speech (no repeated sentence)."""
    rng = random.Random(seed)
    words_wanted = int(minutes * 86)  # the offline voice reads about 86 words a minute here
    lines = [f"Laporan Pembangunan Kota Nomor {seed}", "", "Catatan panjang dari redaksi", ""]
    words, section, seen = 0, 0, set()
    while words < words_wanted:
        if words >= section * words_wanted / 8:
            section += 1
            lines += [f"{section}. Perkembangan bagian {section}", ""]
        paragraph = []
        while len(paragraph) < 4:
            text = sentence(rng)
            if text not in seen:
                seen.add(text)
                paragraph.append(text)
        lines += [" ".join(paragraph), ""]
        words += sum(len(s.split()) for s in paragraph)
    return "\n".join(lines)


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB, the process or its largest child) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed with {proc.returncode}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15.0)
    options = parser.parse_args()

    from suaraberita.pipeline import load_article, make_script
    from suaraberita.sound import ffmpeg_path
    from suaraberita.speech.voices import find_voice, voice_dirs

    ffmpeg = ffmpeg_path()
    cli = [sys.executable, "-m", "suaraberita"]
    voice = find_voice("id-espeak", voice_dirs(Path("/nonexistent")))
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "SUARABERITA_GTTS_URL": "http://127.0.0.1:9"}
        env["SUARABERITA_CACHE"] = str(work / "cache")
        (work / "a.txt").write_text(article(options.minutes), encoding="utf-8")
        (work / "long.txt").write_text(article(3 * options.minutes, seed=8), encoding="utf-8")

        # 1. narrate against the floor
        spoken = " ".join(
            u.spoken for u in make_script(load_article(str(work / "a.txt")), voice).utterances
        )
        (work / "spoken.txt").write_text(spoken, encoding="utf-8")
        narrate = [*cli, "narrate", "--voice", "id-espeak", "-q", "-o", "out"]
        first, rss_one = run([*narrate, "a.txt"], work, env)
        espeak, _ = run([sys.executable, "-c", FLOOR, "spoken.txt", "floor.pcm"], work, env)
        encode, _ = run(
            [ffmpeg, "-v", "error", "-y", "-f", "s16le", "-ar", "22050", "-ac", "1", "-i",
             "floor.pcm", "-ar", "44100", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k",
             "floor.mp3"],
            work, env,
        )  # fmt: skip
        audio_minutes = (work / "floor.pcm").stat().st_size / 2 / 22050 / 60
        floor = espeak + encode
        rows.append((f"1. narrate {audio_minutes:.1f} min, empty cache", f"{first:.2f} s",
                     f"floor {floor:.2f} s (espeak {espeak:.2f} + ffmpeg {encode:.2f})",
                     f"{first / floor:.2f}x (goal <= 1.3)"))  # fmt: skip

        # 2. unchanged re-run
        again, _ = run([*narrate, "a.txt"], work, env)
        rows.append(("2. narrate again, unchanged", f"{again:.2f} s", f"first {first:.2f} s",
                     f"{again / first:.3f} (goal <= 0.05)"))  # fmt: skip

        # 3. peak memory for 3x the text (fresh cache, so the work is the same kind)
        env3 = {**env, "SUARABERITA_CACHE": str(work / "cache3")}
        _, rss_three = run([*narrate, "long.txt"], work, env3)
        rows.append(("3. peak RSS, 3x the text", f"{rss_three / 1024:.0f} MiB",
                     f"1x: {rss_one / 1024:.0f} MiB",
                     f"{rss_three / rss_one:.2f}x (goal <= 1.3)"))  # fmt: skip
        text = (work / "a.txt").read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        flat = " ".join(re.sub(r"[.,;:!?()/]", " ", body).split())  # one unpunctuated paragraph
        (work / "flat.txt").write_text(f"{title}\n\n{flat}\n", encoding="utf-8")
        env_flat = {**env, "SUARABERITA_CACHE": str(work / "cache-flat")}
        _, rss_flat = run([*narrate, "flat.txt"], work, env_flat)
        rows.append(("3b. peak RSS, no punctuation", f"{rss_flat / 1024:.0f} MiB",
                     f"punctuated: {rss_one / 1024:.0f} MiB",
                     f"{rss_flat / rss_one:.2f}x (goal <= 1.3)"))  # fmt: skip

        # 4. four articles: one call against four calls in a row, each with an empty cache
        # and a new folder; the best of three rounds of each (a busy moment only slows)
        for i in range(4):
            (work / f"b{i}.txt").write_text(article(options.minutes / 3, seed=20 + i))
        batch = [f"b{i}.txt" for i in range(4)]

        def four(name: str, together: bool) -> float:
            env4 = {**env, "SUARABERITA_CACHE": str(work / f"cache-{name}")}
            narrate4 = [*cli, "narrate", "--voice", "id-espeak", "-q", "-o", f"out-{name}"]
            if together:
                return run([*narrate4, *batch], work, env4)[0]
            return sum(run([*narrate4, article], work, env4)[0] for article in batch)

        rounds = [(four(f"t{n}", True), four(f"a{n}", False)) for n in range(3)]
        together, apart = min(t for t, _ in rounds), min(a for _, a in rounds)
        each = ", ".join(f"{a / t:.2f}" for t, a in rounds)
        label = f"4. four articles, --jobs {os.cpu_count()}"
        ratio = f"{apart / together:.2f}x (goal >= 1.6; rounds {each})"
        rows.append((label, f"{together:.2f} s", f"four calls {apart:.2f} s", ratio))

        # 5. start-up
        start = min(run([*cli, "--help"], work, env)[0] for _ in range(5))
        rows.append(("5. suaraberita --help", f"{start:.3f} s", "", "goal <= 0.3 s"))

    width = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, width, strict=True)))
    print("6. the Google voice against plain gTTS: python bench/google.py")


if __name__ == "__main__":
    main()
