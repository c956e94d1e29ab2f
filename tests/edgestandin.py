"""A stand-in for Microsoft Edge's "Read aloud" speech service, on 127.0.0.1 only.

It speaks the WebSocket protocol edge-tts speaks: the upgrade at
/consumer/speech/synthesize/readaloud/edge/v1 with its query (TrustedClientToken,
ConnectionId, Sec-MS-GEC, Sec-MS-GEC-Version), then a `Path:speech.config` and a
`Path:ssml` text message in (their headers, the SSML's voice and prosody are checked and
the text is taken out), and out: `Path:turn.start`, binary audio frames (a 2-byte
big-endian header length, `X-RequestId/Content-Type:audio/mpeg/Path:audio` headers, MP3
bytes), `Path:audio.metadata` with one WordBoundary per word (Offset and Duration in
100 ns ticks; or one SentenceBoundary for the text when the config asks for those, as
edge-tts does by default), and `Path:turn.end`.

The audio is real MP3 (24 kHz, 48 kbit/s, mono, like the service's): each word a tone of
a known length (longer for longer words), with silence between words, a longer one after
a comma or a full stop, and some before and after the speech, so the word boundaries it
sends are exactly where the words are in the audio (`speech_for` gives them).

Faults on demand (`Reply`): latency before the first byte, slow streaming (`pace`: the
audio's speed in times real time), 403 on the handshake (with the Date header the real
one sends), 429/503 on the handshake, accept-and-hang, a drop mid-stream (the socket
closed after half the audio), no audio. It records each request (query, headers of the
messages, voice, prosody, text, outcome, times) and the most connections open at once.

Use the `edge_standin` fixture (it sets SUARABERITA_EDGE_URL), or `EdgeStandIn()` as a
context manager in scripts (bench/edge.py).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import re
import struct
import subprocess
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from aiohttp import WSMsgType, web

from suaraberita.sound import ffmpeg_path

PATH = "/consumer/speech/synthesize/readaloud/edge/v1"
TRUSTED_CLIENT_TOKEN = "6A5AA1D4EAFF4E9FB37E23D68491D6F4"  # edge-tts's, the browser's
RATE = 24000
TICKS = 10_000_000
LEAD = 0.2  # seconds of silence before the speech
TAIL = 0.35  # and after it
GAP = 0.06  # between words
COMMA = 0.18  # after a word ending in , ; :
STOP = 0.3  # after a word ending in . ! ?
FRAME = 1440  # bytes of MP3 per audio frame: 0.24 s at 48 kbit/s
SSML_NS = "{http://www.w3.org/2001/10/synthesis}"

# Fault kinds: "403", "429", "503" (the handshake answered with that status), "hang"
# (the WebSocket accepted, the SSML read, then nothing until `Reply.hang` seconds pass or
# the stand-in stops), "drop" (turn.start and half the audio, then the socket closed),
# "no-audio" (turn.start and turn.end, nothing between).
Fault = str
Plan = Callable[[int], "Reply | None"]  # (request number from 1) -> what to do


@dataclass(frozen=True)
class Reply:
    fault: Fault
    hang: float = 3600.0  # seconds to hold a "hang"
    retry_after: str | None = None


def first(k: int, fault: Fault) -> Plan:
    return lambda n: Reply(fault) if n <= k else None


def always(fault: Fault) -> Plan:
    return lambda n: Reply(fault)


def every(n: int, fault: Fault) -> Plan:
    return lambda number: Reply(fault) if number % n == 0 else None


@dataclass
class Record:
    number: int
    query: dict[str, str]
    start: float
    end: float = 0.0
    outcome: str = ""  # "ok", a fault, or why the request was refused
    voice: str = ""
    rate: str = ""
    pitch: str = ""
    text: str = ""
    config: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Speech:
    """What the stand-in says for one text: MP3 bytes and where each word starts/lasts."""

    mp3: bytes
    words: tuple[tuple[str, float, float], ...]  # (word, start s, duration s)
    seconds: float


def word_seconds(word: str) -> float:
    return 0.12 + 0.045 * len(word)


def plan_words(text: str) -> tuple[tuple[tuple[str, float, float], ...], float]:
    """Each word (without its punctuation) with its start and length, and the total."""
    at = LEAD
    words = []
    for token in text.split():
        bare = re.sub(r"^\W+|\W+$", "", token)
        if not bare:
            continue
        length = word_seconds(bare)
        words.append((bare, at, length))
        at += length + GAP
        if token[-1] in ",;:":
            at += COMMA
        elif token[-1] in ".!?":
            at += STOP
    return tuple(words), at + TAIL


_speech_cache: dict[str, Speech] = {}
_speech_lock = threading.Lock()


def speech_for(text: str) -> Speech:
    """The audio and word timings for `text` (made once per text)."""
    with _speech_lock:
        known = _speech_cache.get(text)
    if known is not None:
        return known
    words, total = plan_words(text)
    samples = [0.0] * round(total * RATE)
    for index, (_, start, length) in enumerate(words):
        frequency = 170.0 + 35.0 * (index % 6)
        first = round(start * RATE)
        count = round(length * RATE)
        fade = round(0.01 * RATE)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            t = i / RATE
            wobble = 0.6 + 0.4 * math.sin(2 * math.pi * 5 * t)  # syllable-like swell
            samples[first + i] = 0.35 * envelope * wobble * math.sin(2 * math.pi * frequency * t)
    pcm = struct.pack(f"<{len(samples)}h", *(round(s * 32767) for s in samples))
    args = [ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar",
            str(RATE), "-ac", "1", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "48k",
            "-f", "mp3", "pipe:1"]  # fmt: skip
    mp3 = subprocess.run(args, input=pcm, capture_output=True, check=True).stdout
    speech = Speech(mp3, words, total)
    with _speech_lock:
        _speech_cache[text] = speech
    return speech


def _message(path: str, request_id: str, body: str) -> str:
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        f"Path:{path}\r\n\r\n{body}"
    )


def _audio_frame(request_id: str, data: bytes, kind: str | None = "audio/mpeg") -> bytes:
    typed = f"Content-Type:{kind}\r\n" if kind else ""
    head = f"X-RequestId:{request_id}\r\n{typed}Path:audio\r\n".encode()
    return len(head).to_bytes(2, "big") + head + data


def _metadata(kind: str, word: str, start: float, length: float) -> str:
    item = {
        "Type": kind,
        "Data": {
            "Offset": round(start * TICKS),
            "Duration": round(length * TICKS),
            "text": {"Text": word, "Length": len(word), "BoundaryType": kind},
        },
    }
    return json.dumps({"Metadata": [item]}, ensure_ascii=False)


def _headers(message: str) -> tuple[dict[str, str], str]:
    head, _, body = message.partition("\r\n\r\n")
    headers = dict(line.split(":", 1) for line in head.split("\r\n"))
    return headers, body


class EdgeStandIn:
    def __init__(self, latency: float = 0.0, pace: float = 0.0, plan: Plan | None = None):
        self.latency = latency  # seconds before the first byte of each answer
        self.pace = pace  # audio sent at this many times real time (0: all at once)
        self.plan = plan
        self.records: list[Record] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.port = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.records)

    @property
    def texts(self) -> list[str]:
        """The texts of the answered requests, in the order they arrived."""
        with self._lock:
            return [r.text for r in self.records if r.outcome == "ok"]

    def reset_counts(self) -> None:
        with self._lock:
            self.records = []
            self.max_in_flight = 0

    def start(self) -> EdgeStandIn:
        ready = threading.Event()
        loop = asyncio.new_event_loop()
        self._loop = loop

        async def serve() -> None:
            self._stopping = asyncio.Event()
            app = web.Application()
            app.router.add_get(PATH, self._handle)
            self._runner = web.AppRunner(app, shutdown_timeout=0.5, handle_signals=False)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            server = site._server
            assert server is not None
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_until_complete(serve())
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="edge-standin", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        loop, runner = self._loop, self._runner
        if loop is None or runner is None or self._thread is None:
            return

        async def down() -> None:
            assert self._stopping is not None
            self._stopping.set()
            await runner.cleanup()

        asyncio.run_coroutine_threadsafe(down(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(10)
        self._runner = None

    def __enter__(self) -> EdgeStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            record = Record(len(self.records) + 1, dict(request.query), time.monotonic())
            self.records.append(record)
        reply = self.plan(record.number) if self.plan is not None else None
        try:
            return await self._answer(request, record, reply)
        finally:
            record.end = time.monotonic()

    async def _answer(
        self, request: web.Request, record: Record, reply: Reply | None
    ) -> web.StreamResponse:
        problem = _query_problem(record.query)
        if problem:
            record.outcome = problem
            return web.Response(status=400, text=problem)
        if reply is not None and reply.fault in ("403", "429", "503"):
            record.outcome = reply.fault
            headers = {"Date": email.utils.formatdate(usegmt=True)}
            if reply.retry_after is not None:
                headers["Retry-After"] = reply.retry_after
            return web.Response(status=int(reply.fault), headers=headers)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self._converse(ws, request, record, reply)
        finally:
            with self._lock:
                self.in_flight -= 1
        return ws

    async def _converse(
        self, ws: web.WebSocketResponse, request: web.Request, record: Record, reply: Reply | None
    ) -> None:
        config = await ws.receive()
        ssml = await ws.receive()
        if config.type != WSMsgType.TEXT or ssml.type != WSMsgType.TEXT:
            record.outcome = "not two text messages"
            await ws.close()
            return
        problem = _read_config(config.data, record) or _read_ssml(ssml.data, record)
        if problem:
            record.outcome = problem
            await ws.close()
            return
        request_id = _headers(ssml.data)[0]["X-RequestId"]
        assert self._stopping is not None
        if reply is not None and reply.fault == "hang":
            record.outcome = "hang"
            await self._sleep(reply.hang)
            await ws.close()
            return
        await self._sleep(self.latency)
        loop = asyncio.get_running_loop()
        speech = await loop.run_in_executor(None, speech_for, record.text)
        await ws.send_str(_message("turn.start", request_id, '{"context":{"serviceTag":"x"}}'))
        if reply is not None and reply.fault == "no-audio":
            record.outcome = "no-audio"
            await ws.send_str(_message("turn.end", request_id, "{}"))
            await ws.close()
            return
        frames = [speech.mp3[i : i + FRAME] for i in range(0, len(speech.mp3), FRAME)]
        seconds_per_frame = speech.seconds / max(1, len(frames))
        words = list(speech.words)
        kind = "WordBoundary"
        options = record.config.get("metadataoptions")
        if isinstance(options, dict) and options.get("wordBoundaryEnabled") != "true":
            # sentence boundaries (edge-tts's default): one for the whole text
            kind = "SentenceBoundary"
            (_, begin, _), *_, (_, last, length) = words or [("", 0.0, 0.0)]
            words = [(record.text, begin, last + length - begin)]
        for index, frame in enumerate(frames):
            if reply is not None and reply.fault == "drop" and index >= len(frames) // 2:
                record.outcome = "drop"
                transport = request.transport
                if transport is not None:
                    transport.close()  # no close frame, no turn.end: a dropped connection
                return
            await ws.send_bytes(_audio_frame(request_id, frame))
            heard = (index + 1) * seconds_per_frame
            while words and words[0][1] < heard:  # boundaries follow the audio, as Edge's do
                await ws.send_str(
                    _message("audio.metadata", request_id, _metadata(kind, *words.pop(0)))
                )
            if self.pace > 0:
                await self._sleep(seconds_per_frame / self.pace)
        for word in words:
            await ws.send_str(_message("audio.metadata", request_id, _metadata(kind, *word)))
        await ws.send_bytes(_audio_frame(request_id, b"", kind=None))  # the service's last
        await ws.send_str(_message("turn.end", request_id, "{}"))
        record.outcome = "ok"
        await ws.close()

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but not past the stand-in's stop."""
        assert self._stopping is not None
        if seconds > 0:
            try:
                await asyncio.wait_for(self._stopping.wait(), seconds)
            except TimeoutError:
                pass


def _query_problem(query: dict[str, str]) -> str:
    if query.get("TrustedClientToken") != TRUSTED_CLIENT_TOKEN:
        return "bad TrustedClientToken"
    if not re.fullmatch(r"[0-9a-f]{32}", query.get("ConnectionId", "")):
        return "bad ConnectionId"
    if not re.fullmatch(r"([0-9A-F]{16}-)?[0-9A-F]{64}", query.get("Sec-MS-GEC", "")):
        return "bad Sec-MS-GEC"
    if not re.fullmatch(r"\d-[\d.]+", query.get("Sec-MS-GEC-Version", "")):
        return "bad Sec-MS-GEC-Version"
    return ""


def _read_config(message: str, record: Record) -> str:
    headers, body = _headers(message)
    if headers.get("Path") != "speech.config" or "X-Timestamp" not in headers:
        return "bad speech.config headers"
    try:
        config = json.loads(body)
        audio = config["context"]["synthesis"]["audio"]
    except (ValueError, KeyError, TypeError):
        return "bad speech.config body"
    record.config = audio
    if audio.get("outputFormat") != "audio-24khz-48kbitrate-mono-mp3":
        return "unexpected output format"
    options = audio.get("metadataoptions", {})
    if {options.get("wordBoundaryEnabled"), options.get("sentenceBoundaryEnabled")} != {
        "true",
        "false",
    }:
        return "neither word nor sentence boundaries asked for"
    return ""


def _read_ssml(message: str, record: Record) -> str:
    headers, body = _headers(message)
    if headers.get("Path") != "ssml" or headers.get("Content-Type") != "application/ssml+xml":
        return "bad ssml headers"
    if not re.fullmatch(r"[0-9a-f]{32}", headers.get("X-RequestId", "")):
        return "bad X-RequestId"
    try:
        speak = ET.fromstring(body)
    except ET.ParseError:
        return "SSML is not XML"
    voice = speak.find(f"{SSML_NS}voice")
    prosody = voice.find(f"{SSML_NS}prosody") if voice is not None else None
    if speak.tag != f"{SSML_NS}speak" or voice is None or prosody is None:
        return "SSML without speak/voice/prosody"
    record.voice = voice.get("name", "")
    record.rate = prosody.get("rate", "")
    record.pitch = prosody.get("pitch", "")
    record.text = prosody.text or ""  # ElementTree has undone the escapes
    # edge-tts sends the long name: "Microsoft Server Speech Text to Speech Voice (id-ID, GadisNeural)"
    if not re.fullmatch(
        r"Microsoft Server Speech Text to Speech Voice \([a-z]{2,3}-[A-Z]{2,3}, \w+Neural\)",
        record.voice,
    ):
        return "SSML without a neural voice"
    if not record.text.strip():
        return "SSML without text"
    return ""


def free_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(name="edge_standin")
def edge_standin_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[EdgeStandIn]:
    with EdgeStandIn() as standin:
        monkeypatch.setenv("SUARABERITA_EDGE_URL", standin.url)
        yield standin
