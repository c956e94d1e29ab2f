"""Benchmark: Microsoft Edge's voice against plain edge-tts, same text, same server.

Both talk to the stand-in of tests/edgestandin.py on 127.0.0.1 (real MP3 answers with
word boundaries); nothing leaves this machine. The stand-in is set to behave like the
service seen from a home connection: LATENCY seconds before the first byte of each
answer (the WebSocket handshake, TLS and the synthesis start) and audio streamed at
PACE times real time. Those two are assumptions, not measurements (the service cannot be
reached from the machine this was written on); change them with --latency and --pace.
Printed, not asserted:

- plain edge-tts: `edge_tts.Communicate(whole_text, "id-ID-GadisNeural").save(path)`,
  what the `edge-tts --text ... --write-media` command does, on the article's whole spoken
  text (edge-tts sends it in pieces of at most 4096 bytes, one after another), with its
  address (`edge_tts.communicate.WSS_URL`) pointed at the stand-in;
- our engine alone: `EdgeEngine.synthesize_all` over the same utterances, no cache;
- the whole `suaraberita narrate --voice id-edge` command, cold cache (also parsing,
  normalising, trimming, loudness, MP3 encoding, tags, transcripts, feed), then again into
  another folder (all from the cache).

Run from the repository root:  python bench/edge.py [article] [--latency 0.3] [--pace 5]

On the example article (45 utterances, 287 s of speech), 2 shared CPUs, 2026-12-01, with
six connections in flight (the profile's default), narrate with a cold cache was 3.4x
faster than plain edge-tts at --pace 5, 2.7x at --pace 10 and 2.0x at --pace 20: the
faster the service streams, the more of the time is our own fixed work (start-up,
loudness, the final encode: about 3.7 s, the cached run).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape, unescape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for tests.edgestandin

import edge_tts  # noqa: E402
import edge_tts.communicate  # noqa: E402
from tests.edgestandin import EdgeStandIn, speech_for  # noqa: E402

from suaraberita.pipeline import load_article, make_script  # noqa: E402
from suaraberita.speech.edge import EdgeEngine  # noqa: E402
from suaraberita.speech.voices import find_voice, voice_dirs  # noqa: E402

LATENCY = 0.3  # seconds before the first byte of an answer
PACE = 5.0  # audio streamed at this many times real time


def edge_tts_pieces(text: str) -> list[str]:
    """The texts edge-tts sends for `text`, as the server reads them from the SSML."""
    escaped = escape(edge_tts.communicate.remove_incompatible_characters(text))
    chunks = edge_tts.communicate.split_text_by_byte_length(escaped, 4096)
    return [unescape(chunk.decode("utf-8")) for chunk in chunks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    example = ROOT / "examples" / "bus-listrik-tirtasari.txt"
    parser.add_argument("article", nargs="?", default=str(example))
    parser.add_argument("--latency", type=float, default=LATENCY)
    parser.add_argument("--pace", type=float, default=PACE)
    args = parser.parse_args()

    voice = find_voice("id-edge", voice_dirs(Path("/nonexistent")))
    script = make_script(load_article(args.article), voice)
    texts = [u.spoken for u in script.utterances]
    whole = "\n".join(texts)
    ours = [p for t in texts for p in EdgeEngine(voice).pieces(t)]
    theirs = edge_tts_pieces(whole)

    with EdgeStandIn(latency=args.latency, pace=args.pace) as server:
        print(
            f"stand-in {server.url}: {args.latency * 1000:.0f} ms to the first byte, audio "
            f"at {args.pace:g}x real time; warming up"
        )
        for piece in {*ours, *theirs}:
            speech_for(piece)  # the stand-in's audio is made once, outside the timings
        with tempfile.TemporaryDirectory() as tmp:
            address = edge_tts.constants.WSS_URL.replace(
                "wss://speech.platform.bing.com", server.url
            )
            edge_tts.communicate.WSS_URL = address  # type: ignore[attr-defined]
            server.reset_counts()
            started = time.perf_counter()
            asyncio.run(edge_tts.Communicate(whole, voice.edge.voice).save(f"{tmp}/plain.mp3"))
            plain = time.perf_counter() - started
            plain_requests = server.requests

            server.reset_counts()
            engine = EdgeEngine(voice, cache=None, base_url=server.url)
            started = time.perf_counter()
            audio = sum(pcm.seconds for pcm in engine.synthesize_all(texts))
            alone = time.perf_counter() - started
            alone_requests, alone_flight = server.requests, server.max_in_flight

            server.reset_counts()
            env = {**os.environ, "SUARABERITA_EDGE_URL": server.url}
            env["SUARABERITA_CACHE"] = f"{tmp}/cache"
            command = [sys.executable, "-m", "suaraberita", "narrate", args.article, "-q"]
            command += ["--voice", "id-edge", "--no-fallback"]
            started = time.perf_counter()
            subprocess.run([*command, "-o", f"{tmp}/one"], env=env, check=True)
            cli = time.perf_counter() - started
            cli_requests = server.requests
            started = time.perf_counter()
            subprocess.run([*command, "-o", f"{tmp}/two"], env=env, check=True)
            cli_again = time.perf_counter() - started
            again_requests = server.requests - cli_requests

    print(f"article: {args.article} ({len(texts)} utterances, {len(whole)} characters)")
    print(f"speech: {audio:.1f} s; streamed alone it takes {audio / args.pace:.1f} s")
    print(f"{'':36}{'requests':>9}{'in flight':>10}{'seconds':>9}{'speed-up':>9}")
    rows = [
        ("plain edge-tts (save)", plain_requests, 1, plain),
        ("EdgeEngine.synthesize_all", alone_requests, alone_flight, alone),
        ("suaraberita narrate (cold cache)", cli_requests, None, cli),
        ("suaraberita narrate (cached)", again_requests, None, cli_again),
    ]
    for name, requests, flight, seconds in rows:
        shown = flight if flight is not None else ""
        print(f"{name:36}{requests:>9}{shown:>10}{seconds:>9.2f}{plain / seconds:>8.1f}x")


if __name__ == "__main__":
    main()
