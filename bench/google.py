"""Benchmark: the Google voice against plain gTTS, on the same text and the same server.

Both talk to the stand-in server of tests/standin.py on 127.0.0.1 (150 ms per request,
real MP3 answers); nothing leaves this machine. Printed, not asserted:

- plain gTTS: `gTTS(text, lang="id").save(path)` on the article's whole spoken text, with
  gTTS's host pointed at the stand-in (its `_translate_url`);
- our engine alone: `GoogleEngine.synthesize_all` over the same utterances, no cache
  (requests, decoding, trimming, joining: the part that replaces gTTS);
- the whole `suaraberita narrate --voice id-google` command, cold cache (also parsing,
  normalising, loudness, MP3 encoding, tags, feed), then again into another folder.

Run from the repository root:  python bench/google.py [article] [--latency 0.15]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.standin

import gtts.tts  # noqa: E402
from gtts import gTTS  # noqa: E402
from tests.standin import StandIn, mp3_for  # noqa: E402

from suaraberita.pipeline import load_article, make_script  # noqa: E402
from suaraberita.speech.google import GoogleEngine  # noqa: E402
from suaraberita.speech.voices import find_voice, voice_dirs  # noqa: E402
from suaraberita.text.chunking import ends_at_punctuation  # noqa: E402


def at_punctuation(pieces: list[str], text: str) -> float:
    """Share of pieces whose cut falls at punctuation in `text` (gTTS drops the mark
    from its pieces, so look at the text just after each piece)."""
    hits, position = 0, 0
    for piece in pieces:
        found = text.find(piece, position)
        if found < 0:
            continue
        position = found + len(piece)
        rest = text[position:].lstrip(" ")
        hits += ends_at_punctuation(piece) or not rest or ends_at_punctuation(rest[:1])
    return hits / len(pieces)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    example = ROOT / "examples" / "bus-listrik-tirtasari.txt"
    parser.add_argument("article", nargs="?", default=str(example))
    parser.add_argument("--latency", type=float, default=0.15)
    args = parser.parse_args()

    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    script = make_script(load_article(args.article), voice)
    texts = [u.spoken for u in script.utterances]
    whole = "\n".join(texts)
    ours = [p for t in texts for p in GoogleEngine(voice).pieces(t)]
    theirs = gTTS(whole, lang="id", lang_check=False)._tokenize(whole)

    with StandIn(latency=args.latency) as server, tempfile.TemporaryDirectory() as tmp:
        print(f"stand-in {server.url}, {args.latency * 1000:.0f} ms per request; warming up")
        for piece in {*ours, *theirs}:
            mp3_for(piece)  # the server's audio is made once, outside the timings

        gtts.tts._translate_url = lambda tld="com", path="": f"{server.url}/{path}"  # type: ignore[attr-defined]
        server.reset_counts()
        started = time.perf_counter()
        gTTS(whole, lang="id").save(Path(tmp) / "gtts.mp3")
        plain = time.perf_counter() - started
        plain_requests, plain_flight = server.requests, server.max_in_flight

        server.reset_counts()
        engine = GoogleEngine(voice, cache=None, base_url=server.url)
        started = time.perf_counter()
        audio = sum(pcm.seconds for pcm in engine.synthesize_all(texts))
        alone = time.perf_counter() - started
        alone_requests, alone_flight = server.requests, server.max_in_flight
        latency = sum(r.end - r.start for r in server.records)

        server.reset_counts()
        env = {**os.environ, "SUARABERITA_GTTS_URL": server.url, "SUARABERITA_CACHE": f"{tmp}/c"}
        command = [sys.executable, "-m", "suaraberita", "narrate", args.article, "-q"]
        command += ["--voice", "id-google", "--no-fallback"]
        started = time.perf_counter()
        subprocess.run([*command, "-o", f"{tmp}/one"], env=env, check=True)
        cli = time.perf_counter() - started
        cli_requests = server.requests
        started = time.perf_counter()
        subprocess.run([*command, "-o", f"{tmp}/two"], env=env, check=True)
        cli_again = time.perf_counter() - started
        again_requests = server.requests - cli_requests

    print(f"article: {args.article} ({len(texts)} utterances, {len(whole)} characters)")
    print(
        f"{'':34}{'requests':>9}{'in flight':>10}{'end w/ mark':>12}{'cut at mark':>12}"
        f"{'seconds':>9}{'speed-up':>9}"
    )
    rows = [
        ("plain gTTS (save)", plain_requests, plain_flight, theirs, plain),
        ("GoogleEngine.synthesize_all", alone_requests, alone_flight, ours, alone),
        ("suaraberita narrate (cold cache)", cli_requests, None, None, cli),
        ("suaraberita narrate (cached)", again_requests, None, None, cli_again),
    ]
    for name, requests, flight, pieces, seconds in rows:
        marks = cuts = ""
        if pieces:
            marks = f"{sum(map(ends_at_punctuation, pieces)) / len(pieces):.0%}"
            cuts = f"{at_punctuation(pieces, whole):.0%}"
        print(
            f"{name:34}{requests:>9}{flight if flight is not None else '':>10}{marks:>12}"
            f"{cuts:>12}{seconds:>9.2f}{plain / seconds:>8.1f}x"
        )
    share = alone / latency
    print(f"our requests: summed latency {latency:.2f} s, wall {alone:.2f} s ({share:.2f} of it)")
    print(f"audio made: {audio:.0f} s; longest piece {max(map(len, ours))} characters")


if __name__ == "__main__":
    main()
