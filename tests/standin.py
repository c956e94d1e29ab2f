"""A stand-in for Google Translate's speech endpoint, on 127.0.0.1 only.

It speaks the batchexecute protocol as gTTS uses it: it parses the `f.req` form field of
a POST to /_/TranslateWebserverUi/data/batchexecute, takes the text out of the RPC, and
answers in the framing gTTS's decoder expects, with real MP3 audio (24 kHz mono, like
Google's): espeak-ng reading the text, with a little silence before and after, or a tone
whose length grows with the text. It can add latency, answer 429 (with Retry-After),
503, reset the connection (before the answer or half-way through its body), send a
malformed body or undecodable audio, hang, or trickle the answer a byte at a time; it
counts requests, records texts and measures how many requests were in flight at once.

Use the `standin` fixture (it sets SUARABERITA_GTTS_URL for the test and its children),
or `StandIn()` as a context manager in scripts (bench/google.py).
"""

from __future__ import annotations

import base64
import json
import math
import os
import socket
import struct
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

RPC_PATH = "/_/TranslateWebserverUi/data/batchexecute"
RATE = 24000

# Fault kinds: "429", "503", "reset", "malformed", "bad-audio", "hang", "404", and
# "reset-mid-body" (headers and half the body, then a reset), "stall-body" (headers and
# half the body, then nothing until the stand-in stops: a proxy that got stuck), "trickle"
# (headers at once, then the body one byte every `Reply.trickle` seconds) and
# "trickle-head" (the status line and headers trickled too). "hang" and the trickles go on
# until the answer is done or the stand-in stops, so `hang=3600` hangs "forever" (a captive
# portal that takes the request and never answers) without outliving the test.
Fault = str
Plan = Callable[[int, str], "Reply | None"]  # (request number from 1, text) -> what to do


@dataclass(frozen=True)
class Reply:
    """A fault to answer with instead of audio."""

    fault: Fault
    retry_after: str | None = None  # Retry-After header for 429/503
    hang: float = 0.0  # seconds to stall before answering ("hang")
    trickle: float = 0.2  # seconds between two bytes ("trickle", "trickle-head")


@dataclass(frozen=True)
class Record:
    number: int
    text: str
    outcome: str  # "ok" or the fault
    start: float  # time.monotonic()
    end: float


def every(n: int, fault: Fault, retry_after: str | None = None) -> Plan:
    """Answer every n-th request (n, 2n, ...) with `fault`."""
    return lambda number, _text: Reply(fault, retry_after) if number % n == 0 else None


def first(k: int, fault: Fault, retry_after: str | None = None, hang: float = 0.0) -> Plan:
    """Answer the first k requests with `fault`, then normally."""
    return lambda number, _text: Reply(fault, retry_after, hang) if number <= k else None


def always(fault: Fault, retry_after: str | None = None) -> Plan:
    return lambda _number, _text: Reply(fault, retry_after)


_audio_cache: dict[tuple[str, str], bytes] = {}
_audio_lock = threading.Lock()


def mp3_for(text: str, voice: str = "speech") -> bytes:
    """Real MP3 audio for a text: espeak-ng reading it ("speech") or a tone ("tone"),
    24 kHz mono, with 150 ms of silence before and 250 ms after (trimmed by the engine)."""
    key = (voice, text)
    with _audio_lock:
        if key in _audio_cache:
            return _audio_cache[key]
    if voice == "speech":
        pcm, rate = _espeak(text)
    else:
        pcm, rate = _tone(len(text)), RATE
    pcm = bytes(2 * int(0.15 * rate)) + pcm + bytes(2 * int(0.25 * rate))
    from suaraberita.sound import ffmpeg_path

    args = [
        ffmpeg_path(), "-hide_banner", "-loglevel", "error",
        "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
        "-ar", str(RATE), "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1",
    ]  # fmt: skip
    mp3 = subprocess.run(args, input=pcm, capture_output=True, check=True).stdout
    with _audio_lock:
        _audio_cache[key] = mp3
    return mp3


def _espeak(text: str) -> tuple[bytes, int]:
    from pathlib import Path

    from suaraberita.speech.engine import create_engine
    from suaraberita.speech.voices import find_voice, voice_dirs

    engine = create_engine(find_voice("id-espeak", voice_dirs(Path("/nonexistent"))))
    pcm = engine.synthesize(text)
    return pcm.data, pcm.rate


def _tone(characters: int) -> bytes:
    """A 220 Hz tone, 60 ms per character (about the pace of speech)."""
    frames = int(RATE * 0.06 * max(1, characters))
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * i / RATE))) for i in range(frames)
    )


def batchexecute_reply(audio: bytes) -> bytes:
    """The body Google sends: XSSI guard, then length-prefixed JSON chunks."""
    inner = json.dumps([base64.b64encode(audio).decode("ascii")], separators=(",", ":"))
    envelope = [["wrb.fr", "jQ1olc", inner, None, None, None, "generic"], ["di", 58]]
    chunk = json.dumps(envelope, separators=(",", ":"))
    tail = json.dumps([["e", 4, None, None, len(chunk)]], separators=(",", ":"))
    return f")]}}'\n\n{len(chunk)}\n{chunk}\n{len(tail)}\n{tail}\n".encode()


def text_of(body: bytes) -> tuple[str, str]:
    """(text, language) from a gTTS request body; ValueError if it is not one."""
    form = urllib.parse.parse_qs(body.decode("utf-8"), strict_parsing=False)
    rpc = json.loads(form["f.req"][0])
    name, parameter = rpc[0][0][0], rpc[0][0][1]
    if name != "jQ1olc":
        raise ValueError(f"unknown RPC {name!r}")
    text, lang = json.loads(parameter)[:2]
    return str(text), str(lang)


class StandIn:
    """The server; `url` is what SUARABERITA_GTTS_URL should be."""

    def __init__(self, latency: float = 0.0, voice: str = "speech", plan: Plan | None = None):
        self.latency = latency
        self.voice = voice
        self.plan = plan
        self.records: list[Record] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._number = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # set by stop(): hanging answers end
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # What happened
    @property
    def requests(self) -> int:
        with self._lock:
            return self._number

    @property
    def texts(self) -> list[str]:
        """Every text asked for, in arrival order (retries included)."""
        with self._lock:
            return [r.text for r in sorted(self.records, key=lambda r: r.number)]

    @property
    def served(self) -> list[str]:
        """Texts answered with audio."""
        with self._lock:
            return [r.text for r in self.records if r.outcome == "ok"]

    def reset_counts(self) -> None:
        with self._lock:
            self.records.clear()
            self._number = 0
            self.max_in_flight = 0

    # Life cycle
    def start(self) -> StandIn:
        standin = self

        class Handler(_Handler):
            server_side = standin

        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering: afterwards connections to `url` are refused."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # Called by the handler
    def _begin(self, text: str) -> tuple[int, Reply | None]:
        with self._lock:
            self._number += 1
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            number = self._number
        return number, (self.plan(number, text) if self.plan else None)

    def _end(self, record: Record) -> None:
        with self._lock:
            self._in_flight -= 1
            self.records.append(record)


class _Handler(BaseHTTPRequestHandler):
    server_side: StandIn
    protocol_version = "HTTP/1.1"  # keep-alive, as Google does

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet

    def do_POST(self) -> None:  # http.server's naming
        started = time.monotonic()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0] != RPC_PATH:
            self._send(404, b"not here")
            return
        try:
            text, _lang = text_of(body)
        except (ValueError, KeyError, IndexError, json.JSONDecodeError):
            self._send(400, b"bad request")
            return
        side = self.server_side
        number, reply = side._begin(text)
        outcome = reply.fault if reply else "ok"
        try:
            payload = b""
            if reply is None or reply.fault == "bad-audio":
                payload = mp3_for(text, side.voice) if reply is None else b"not an mp3 at all"
            remaining = side.latency - (time.monotonic() - started)
            if reply is not None and reply.fault == "hang":
                remaining = max(remaining, reply.hang)
            if remaining > 0:
                side._stopping.wait(remaining)
        finally:
            # recorded before the answer goes out, so a client that has its answer
            # always finds its request in the records
            side._end(Record(number, text, outcome, started, time.monotonic()))
        if reply is None or reply.fault in ("bad-audio", "hang"):
            self._send(200, batchexecute_reply(payload))
        elif reply.fault == "reset":
            self._reset()
        elif reply.fault == "reset-mid-body":
            self._half_then_reset(batchexecute_reply(bytes(4096)))
        elif reply.fault == "stall-body":
            self._half_then_stall(batchexecute_reply(bytes(4096)))
        elif reply.fault in ("trickle", "trickle-head"):
            self._trickle(batchexecute_reply(bytes(4096)), reply)
        elif reply.fault == "malformed":
            self._send(200, b')]}\'\n\n12\n[["oops"]]\n')
        else:
            status = int(reply.fault)
            headers = {"Retry-After": reply.retry_after} if reply.retry_after else {}
            self._send(status, b"try later", headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (a timeout test)

    def _half(self, body: bytes) -> None:
        """Promise the whole body, send half of it."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
        except OSError:
            pass

    def _half_then_reset(self, body: bytes) -> None:
        """Half the body, then reset the connection."""
        self._half(body)
        time.sleep(0.05)  # let the half arrive before the reset
        self._reset()

    def _half_then_stall(self, body: bytes) -> None:
        """Half the body, then silence, the connection open, until the stand-in stops."""
        self._half(body)
        self.close_connection = True
        self.server_side._stopping.wait()

    def _trickle(self, body: bytes, reply: Reply) -> None:
        """The answer one byte at a time, every `reply.trickle` seconds, until it is all
        sent (minutes) or the stand-in stops: no single read ever waits long."""
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        if reply.fault == "trickle":
            self.wfile.write(head)
            data = body
        else:
            data = head + body
        self.close_connection = True
        stopping = self.server_side._stopping
        try:
            for index in range(len(data)):
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()
                if stopping.wait(reply.trickle):
                    break
        except OSError:
            pass  # the client gave up

    def _reset(self) -> None:
        """Close with RST: the client sees 'connection reset by peer'."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


@pytest.fixture(name="standin")
def standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    """A running stand-in (no latency, no faults: set `.latency` and `.plan` as needed);
    SUARABERITA_GTTS_URL points at it for this test and the CLI it runs."""
    with StandIn() as server:
        monkeypatch.setenv("SUARABERITA_GTTS_URL", server.url)
        yield server


__all__ = ["Record", "Reply", "StandIn", "always", "every", "first", "standin_fixture"]

if __name__ == "__main__":  # run it by hand: python -m tests.standin
    with StandIn(latency=float(os.environ.get("LATENCY", "0.15"))) as server:
        print(f"SUARABERITA_GTTS_URL={server.url}", flush=True)
        threading.Event().wait()
