"""Microsoft Edge's neural voices ("Read aloud"), spoken over its WebSocket protocol.

edge-tts knows the protocol, and we use its pieces for everything the service checks:
the address and its TrustedClientToken (`WSS_URL`), the time-based Sec-MS-GEC token and
the clock-skew correction after a 403 (`DRM`), the handshake headers, the SSML
(`mkssml`), the SSML message (`ssml_headers_plus_data`) and the reading of frames
(`get_headers_and_data`). We hold the connection ourselves (aiohttp, one connection per
piece, as edge-tts does) rather than through `Communicate`, for two reasons:

- `Communicate` builds its address from the module global `edge_tts.communicate.WSS_URL`,
  so pointing it at a mirror or a test stand-in (SUARABERITA_EDGE_URL) would mean
  rewriting another package's global for the whole process;
- it takes a connection that closes before `turn.end` for a finished answer, so a
  dropped stream would become a sentence cut short in the episode; we retry it.

The policy is Google's (see `suaraberita.speech.google`): each utterance (a sentence) is
one piece, or pieces of at most EDGE_LIMIT characters cut at clause boundaries; at most
`concurrency` requests in flight, a bounded window of pieces ahead; a deadline for each
whole request; retries of 5xx, 429, timeouts, drops and malformed answers with backoff
and jitter within an episode's retry budget; the service probed by one request until it
has answered, so a host that is not there costs PROBE_ATTEMPTS requests; the user told
at once when it does not answer; `NetworkError` when it cannot be reached, refuses (403)
or keeps failing, so the pipeline narrates with the fallback voice.

Each piece's MP3 and word boundaries are cached together; the word boundaries become
`Pcm.words` (the start of each word of the utterance), which time the transcript's cues.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import re
import ssl
import threading
from collections.abc import Callable, Coroutine, Generator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from xml.sax.saxutils import escape, unescape

from suaraberita.cache import cache_key
from suaraberita.errors import AudioError, ConfigError, NetworkError
from suaraberita.retry import backoff_delay
from suaraberita.retry import retry_after as seconds_after
from suaraberita.sound import Pcm, decode_mp3
from suaraberita.speech import online
from suaraberita.text.chunking import split_text

if TYPE_CHECKING:
    import aiohttp

    from suaraberita.cache import Cache
    from suaraberita.speech.voices import Voice

SAMPLE_RATE = 24000  # the service's audio-24khz-48kbitrate-mono-mp3
OUTPUT_FORMAT = "audio-24khz-48kbitrate-mono-mp3"
EDGE_LIMIT = 1000  # characters per piece: sentences fit; edge-tts itself cuts at 4096 bytes
TICKS_PER_SECOND = 10_000_000  # word boundary offsets are in 100 ns ticks
WINDOW = 32  # pieces fetched ahead of the one being consumed (at least 4 x concurrency)
MAX_RETRY_AFTER = 120.0  # seconds: a server asking for a longer wait is taken as "no"
PROBE_ATTEMPTS = 2  # attempts to connect at all before the service counts as unreachable
CONNECT_TIMEOUT = 5.0  # seconds, at most, for the TCP (and TLS) connection
PROBE_TIMEOUT = 5.0  # seconds, at most, for a whole answer until the service has answered
CLOSE_TIMEOUT = 0.5  # seconds to wait for the service to agree to close, then just go
NOTICE_AFTER = 2.0  # seconds of silence the user notices: say why (shorter ones pass unsaid)
WHO = "Microsoft Edge's voice"

Trouble = Literal["", "unreachable", "stalled"]  # as in google.py
T = TypeVar("T")


@dataclass
class EdgeStats:
    """What one engine did, for tests, benchmarks and reports."""

    pieces: int = 0  # pieces spoken
    requests: int = 0  # connections opened, retries included
    retries: int = 0
    cached: int = 0  # pieces taken from the cache
    max_in_flight: int = 0  # the most requests in flight at once


@dataclass(frozen=True)
class Boundary:
    """One word the service said: where it starts in the piece's audio, and its text."""

    start: float  # seconds
    text: str


@dataclass(frozen=True)
class Answer:
    """One piece as the service sent it: MP3 bytes and word boundaries."""

    audio: bytes
    words: tuple[Boundary, ...]

    def to_entry(self) -> bytes:
        """A cache entry: one JSON line of word boundaries, then the MP3 bytes."""
        words = [[w.start, w.text] for w in self.words]
        return json.dumps(words, ensure_ascii=False).encode() + b"\n" + self.audio

    @classmethod
    def from_entry(cls, data: bytes) -> Answer:
        """Read what `to_entry` wrote; ValueError if it is damaged."""
        head, _, audio = data.partition(b"\n")
        try:
            words = json.loads(head)
            bounds = tuple(Boundary(float(start), str(text)) for start, text in words)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"damaged word boundaries: {exc}") from None
        if not audio:
            raise ValueError("no audio")
        return cls(audio, bounds)


class _AnswerError(Exception):
    """The service answered something we cannot use (worth another try)."""


def check_address(base_url: str) -> str:
    """The service's address as SUARABERITA_EDGE_URL gives it (the CLI checks it before
    any output; the engine again), without a trailing slash.

    >>> check_address("ws://127.0.0.1:8080/")
    'ws://127.0.0.1:8080'
    """
    base = base_url.strip().rstrip("/")
    if not re.fullmatch(r"wss?://[^/\s?#]+(/[^\s?#]*)?", base):
        raise ConfigError(
            f"the Edge voice's address {base!r} is not a ws(s):// URL",
            hint="set SUARABERITA_EDGE_URL to something like ws://127.0.0.1:8080",
        )
    return base


class EdgeEngine:
    """Microsoft Edge's neural voices, fetched concurrently and cached."""

    name = "edge"

    def __init__(
        self,
        voice: Voice,
        cache: Cache | None = None,
        base_url: str | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        from edge_tts import constants
        from edge_tts.version import __version__

        self.settings = voice.edge
        self._cache = cache
        self._on_notice = on_notice
        self._version = f"edge-tts {__version__}"
        service = re.match(r"(wss?://[^/]+)(/.*)", constants.WSS_URL)
        assert service is not None  # wss://speech.platform.bing.com/consumer/...?Trusted...
        self.base_url = service.group(1) if base_url is None else check_address(base_url)
        self.endpoint = self.base_url + service.group(2)  # path and TrustedClientToken kept
        self.stats = EdgeStats()
        self._ffmpeg: str | None = None

    @property
    def version(self) -> str:
        return self._version

    def pieces(self, text: str) -> tuple[str, ...]:
        """The requests one utterance needs."""
        return tuple(p for p in split_text(text, EDGE_LIMIT) if any(c.isalnum() for c in p))

    def plan(self, texts: Sequence[str]) -> tuple[int, int]:
        """How many pieces (requests) `texts` need, and how many of them are cached."""
        return online.plan(texts, self.pieces, self._key, self._cache)

    def synthesize(self, text: str) -> Pcm:
        return online.first(self.synthesize_all([text]))

    def synthesize_all(self, texts: Sequence[str]) -> Generator[Pcm, None, None]:
        """One Pcm per text, in order, fetching up to WINDOW pieces ahead."""
        from suaraberita.sound import ffmpeg_path, load_pydub

        if self._ffmpeg is None:
            self._ffmpeg = ffmpeg_path()
        load_pydub()  # import it here, once, not in the worker threads
        plans = [self.pieces(text) for text in texts]
        window = max(WINDOW, 4 * self.settings.concurrency)
        loop = _Loop()
        try:
            run = loop.call(_Run.start(self))
        except BaseException:
            loop.close()
            raise
        batches = online.in_order(plans, lambda piece: loop.submit(run.piece(piece)), window)
        try:
            for text, futures in zip(texts, batches, strict=False):
                try:
                    parts = [future.result() for future in futures]
                except concurrent.futures.CancelledError:
                    # another piece failed first and stopped this one: report that failure
                    if run.failure is not None:
                        raise run.failure from None
                    raise
                yield online.join(text, parts, self.settings.piece_gap, SAMPLE_RATE)
        finally:
            batches.close()  # cancels what is not yet consumed
            loop.call(run.close())
            loop.close()

    def _count(self, **deltas: int) -> None:
        for name, delta in deltas.items():  # only the loop's thread counts
            setattr(self.stats, name, getattr(self.stats, name) + delta)

    def _key(self, piece: str) -> str:
        settings = {
            "voice": self.settings.voice,
            "rate": self.settings.rate,
            "pitch": self.settings.pitch,
            "host": self.base_url,  # a mirror or stand-in may sound different
        }
        return cache_key(self.name, self._version, settings, piece, "edge")


class _Loop:
    """An asyncio loop in a thread of its own, so the engine's caller stays synchronous."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="edge", daemon=True)
        self._thread.start()

    def submit(self, job: Coroutine[Any, Any, Pcm]) -> concurrent.futures.Future[Pcm]:
        return asyncio.run_coroutine_threadsafe(job, self._loop)

    def call(self, job: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(job, self._loop).result()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()


class _Run:
    """The state of one synthesize_all call (one episode), living in the loop's thread."""

    def __init__(self, engine: EdgeEngine, session: aiohttp.ClientSession) -> None:
        self.engine = engine
        self.settings = engine.settings
        self.session = session
        self.slots = asyncio.Semaphore(self.settings.concurrency)
        self.reached = asyncio.Event()  # set once the service answered anything at all
        self.failure: BaseException | None = None  # the first piece that failed
        self._prober: asyncio.Task[Any] | None = None  # the task whose requests probe
        self._tasks: set[asyncio.Task[Any]] = set()
        self._budget = self.settings.retry_budget
        self._noticed = False
        self._in_flight = 0
        self._skew_fixed = False  # the clock was corrected once after a 403

    @classmethod
    async def start(cls, engine: EdgeEngine) -> _Run:
        import aiohttp

        timeout = aiohttp.ClientTimeout(sock_connect=CONNECT_TIMEOUT)
        return cls(engine, aiohttp.ClientSession(trust_env=True, timeout=timeout))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.session.close()

    async def piece(self, text: str) -> Pcm:
        """One piece's PCM. A failure stops the whole run: the episode needs every piece."""
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            return await self._piece(text)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            if self.failure is None:
                self.failure = exc
                for other in self._tasks - {task}:
                    other.cancel()
            raise
        finally:
            self._tasks.discard(task)

    async def _piece(self, text: str) -> Pcm:
        """One piece: from the cache, else from the service (stored in the cache)."""
        engine = self.engine
        cache = engine._cache
        key = engine._key(text)
        if cache is not None:
            data = cache.get(key)
            if data is not None:
                try:
                    answer = Answer.from_entry(data)
                    pcm = await self._decode(text, answer)
                except (ValueError, AudioError):
                    cache.discard(key)  # damaged: fetch it again
                else:
                    engine._count(pieces=1, cached=1)
                    return pcm
        answer, pcm = await self._fetch(text)
        if cache is not None:
            cache.put(key, answer.to_entry())
        engine._count(pieces=1)
        return pcm

    async def _decode(self, text: str, answer: Answer) -> Pcm:
        ffmpeg = self.engine._ffmpeg or "ffmpeg"
        pcm = await asyncio.to_thread(decode_mp3, answer.audio, ffmpeg, SAMPLE_RATE, WHO)
        return Pcm(pcm.data, pcm.rate, word_starts(text, answer.words, pcm.seconds))

    async def _fetch(self, text: str) -> tuple[Answer, Pcm]:
        """Send one piece, retrying what may pass; return its answer and PCM."""
        attempt = 0
        while True:
            answer, problem, trouble, retry_after = await self._send(text)
            if answer is not None:
                try:
                    return answer, await self._decode(text, answer)
                except AudioError as exc:
                    problem = f"malformed answer ({exc.message})"
            attempt += 1
            await self._give_up_or_wait(text, attempt, problem, trouble, retry_after)

    async def _send(self, text: str) -> tuple[Answer | None, str, Trouble, float | None]:
        """One request, holding one of the `concurrency` slots while it is in flight:
        (answer, problem, trouble, retry-after)."""
        import aiohttp

        limit = self.settings.timeout
        if not self.reached.is_set():
            await self._wait_for_probe()
            limit = min(limit, PROBE_TIMEOUT)  # the first answer: a held connection shows soon
        async with self.slots:
            self.engine._count(requests=1)
            self._in_flight += 1
            stats = self.engine.stats
            stats.max_in_flight = max(stats.max_in_flight, self._in_flight)
            try:
                async with asyncio.timeout(limit):
                    return await self._talk(text), "", "", None
            except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
                return None, f"connection failed ({_reason(exc)})", "unreachable", None
            except aiohttp.WSServerHandshakeError as exc:
                if exc.status != 403:  # a refusal keeps the others waiting: they would be too
                    self.reached.set()
                return await self._refused(exc)
            except TimeoutError:
                return None, *self._stalled(limit), None
            except (aiohttp.ClientError, OSError) as exc:
                return None, f"connection failed ({_reason(exc)})", "", None
            except _AnswerError as exc:
                return None, f"malformed answer ({exc})", "", None
            finally:
                self._in_flight -= 1

    async def _talk(self, text: str) -> Answer:
        """One exchange: speech config and SSML out; audio frames and word boundaries in,
        until `turn.end`."""
        import aiohttp
        from edge_tts.communicate import (
            connect_id,
            date_to_string,
            get_headers_and_data,
            mkssml,
            remove_incompatible_characters,
            ssml_headers_plus_data,
        )
        from edge_tts.constants import SEC_MS_GEC_VERSION, WSS_HEADERS
        from edge_tts.data_classes import TTSConfig
        from edge_tts.drm import DRM

        url = (
            f"{self.engine.endpoint}&ConnectionId={connect_id()}"
            f"&Sec-MS-GEC={DRM.generate_sec_ms_gec()}&Sec-MS-GEC-Version={SEC_MS_GEC_VERSION}"
        )
        settings = self.settings
        config = TTSConfig(settings.voice, settings.rate, "+0%", settings.pitch, "WordBoundary")
        ssml = mkssml(config, escape(remove_incompatible_characters(text)))
        audio = bytearray()
        words: list[Boundary] = []
        async with self.session.ws_connect(
            url,
            compress=15,
            headers=DRM.headers_with_muid(WSS_HEADERS),
            ssl=_tls(),
            timeout=aiohttp.ClientWSTimeout(ws_close=CLOSE_TIMEOUT),
        ) as ws:
            await ws.send_str(_speech_config())
            await ws.send_str(ssml_headers_plus_data(connect_id(), date_to_string(), ssml))
            async for message in ws:
                self.reached.set()  # it speaks (an upgrade alone may be a proxy holding on)
                if message.type == aiohttp.WSMsgType.TEXT:
                    data = message.data.encode("utf-8")
                    headers, body = _frame(get_headers_and_data, data, data.find(b"\r\n\r\n"))
                    path = headers.get(b"Path")
                    if path == b"audio.metadata":
                        words += _boundaries(body)
                    elif path == b"turn.end":
                        break
                    elif path not in (b"turn.start", b"response"):
                        raise _AnswerError(f"unknown message {path!r}")
                elif message.type == aiohttp.WSMsgType.BINARY:
                    audio += _audio_frame(get_headers_and_data, message.data)
                elif message.type == aiohttp.WSMsgType.ERROR:
                    raise _AnswerError(f"the connection failed: {ws.exception()}")
            else:  # closed before turn.end: a dropped stream, not a short sentence
                raise aiohttp.ClientPayloadError("the connection closed before the turn's end")
        if not audio:
            raise _AnswerError("no audio")
        return Answer(bytes(audio), tuple(words))

    async def _refused(
        self, exc: aiohttp.WSServerHandshakeError
    ) -> tuple[None, str, Trouble, float | None]:
        """The handshake was answered with an HTTP status instead of a WebSocket."""
        from edge_tts.drm import DRM
        from edge_tts.exceptions import SkewAdjustmentError

        status = exc.status
        try:
            problem = f"HTTP {status} {HTTPStatus(status).phrase}"
        except ValueError:
            problem = f"HTTP {status}"
        if status == 429 or status >= 500:
            after = seconds_after(exc.headers.get("Retry-After")) if exc.headers else None
            return None, problem, "", after
        if status == 403 and not self._skew_fixed:
            # The token is made from the clock: edge-tts corrects it from the server's Date
            # and tries once more, and so do we.
            self._skew_fixed = True
            try:
                DRM.handle_client_response_error(exc)
            except SkewAdjustmentError:
                pass
            else:
                return None, problem, "", 0.0
        hints = {
            403: "the service refused this client's token: check that the computer's date, "
            "time and time zone are right, or update edge-tts (pip install -U edge-tts); "
            "some networks block the service",
            404: f"wrong address {self.engine.base_url} (a wrong SUARABERITA_EDGE_URL?)",
        }
        raise NetworkError(
            f"{WHO} refused the connection: {problem}",
            hint=hints.get(status, "the service or its protocol changed; update edge-tts"),
        )

    async def _wait_for_probe(self) -> None:
        """Until the service has answered once, only one task sends (its retries too)."""
        task = asyncio.current_task()
        if self._prober is None or self._prober.done():
            self._prober = task
        if self._prober is not task:
            await self.reached.wait()

    def _stalled(self, limit: float) -> tuple[str, Trouble]:
        """A request that waited `limit` seconds in vain; the user is told at once (once
        an episode), not only when it is given up."""
        problem = f"no complete answer within {limit:g} s"
        if limit >= NOTICE_AFTER and not self._noticed and self.engine._on_notice is not None:
            self._noticed = True
            host = self.engine.base_url
            notice = f"{WHO} at {host} is not answering ({problem}); still trying ..."
            self.engine._on_notice(notice)
        return problem, "stalled"

    async def _give_up_or_wait(
        self, text: str, attempt: int, problem: str, trouble: Trouble, retry_after: float | None
    ) -> None:
        host = self.engine.base_url
        if trouble and not self.reached.is_set() and attempt >= PROBE_ATTEMPTS:
            if trouble == "unreachable":
                raise NetworkError(
                    f"cannot reach {WHO} at {host}: {problem}",
                    hint="no internet connection, or the service is blocked on this network",
                )
            raise NetworkError(
                f"{WHO} at {host} is not answering ({attempt} attempts; last: {problem})",
                hint="something on the way takes the connection and holds it: a Wi-Fi login "
                "page (captive portal), a proxy or a firewall; open a web page to check",
            )
        if attempt > self.settings.retries:
            raise NetworkError(
                f"{WHO} kept failing for {_quote(text)} ({attempt} attempts; last: {problem})",
                hint="the network is slow or the service is overloaded; try again later, or "
                "raise [edge] timeout in the voice profile"
                if trouble == "stalled"
                else "the service is overloaded or limiting requests from here; try again later",
            )
        if retry_after is not None and retry_after > MAX_RETRY_AFTER:
            raise NetworkError(
                f"{WHO} asks to wait {retry_after:.0f} s before the next request",
                hint="it is limiting requests from here; try again later",
            )
        if self._budget <= 0:
            raise NetworkError(
                f"too many failed requests to {WHO}: this episode's retry budget "
                f"({self.settings.retry_budget}) is spent (last: {problem})",
                hint="lower [edge] concurrency in the voice profile, or try again later",
            )
        self._budget -= 1
        self.engine._count(retries=1)
        await asyncio.sleep(backoff_delay(self.settings.backoff, attempt, retry_after))


def word_starts(text: str, words: Sequence[Boundary], seconds: float) -> tuple[float, ...]:
    """When each word of `text` (split at whitespace) starts, from the service's word
    boundaries: a word starts with the first boundary found inside it; one with none (the
    service skipped or joined it) is placed between its neighbours by its characters.
    Empty when the service sent no boundaries.

    >>> word_starts("Kereta cepat tiba.", [Boundary(0.1, "Kereta"), Boundary(0.6, "tiba")], 1.2)
    (0.1, 0.369231, 0.6)
    """
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    if not words or not spans:
        return ()
    found: list[tuple[int, float]] = []  # (character, seconds), in order
    cursor = 0
    for word in words:
        at = text.find(word.text, cursor) if word.text else -1
        if at >= 0:
            found.append((at, word.start))
            cursor = at + len(word.text)
    known: list[tuple[int, float] | None] = []
    k = 0
    for start, end in spans:
        while k < len(found) and found[k][0] < start:
            k += 1
        hit = found[k] if k < len(found) and found[k][0] < end else None
        known.append((start, hit[1]) if hit else None)
    return _fill(known, spans, len(text), seconds)


def _fill(
    known: list[tuple[int, float] | None],
    spans: list[tuple[int, int]],
    length: int,
    seconds: float,
) -> tuple[float, ...]:
    """Times for the words no boundary named: by characters, between the known ones."""
    anchors = [(0, 0.0), *(k for k in known if k is not None), (length, seconds)]
    times: list[float] = []
    a = 0
    last = 0.0
    for (start, _), hit in zip(spans, known, strict=True):
        if hit is not None:
            time_ = hit[1]
        else:
            while a + 2 < len(anchors) and anchors[a + 1][0] <= start:
                a += 1
            (x0, y0), (x1, y1) = anchors[a], anchors[a + 1]
            time_ = y0 + (y1 - y0) * ((start - x0) / (x1 - x0) if x1 > x0 else 0.0)
        last = max(last, time_)  # never going back
        times.append(round(last, 6))
    return tuple(times)


def _speech_config() -> str:
    """The `speech.config` message: the audio format, and word (not sentence) boundaries."""
    from edge_tts.communicate import date_to_string

    options = {"sentenceBoundaryEnabled": "false", "wordBoundaryEnabled": "true"}
    synthesis = {"audio": {"metadataoptions": options, "outputFormat": OUTPUT_FORMAT}}
    body = json.dumps({"context": {"synthesis": synthesis}}, separators=(",", ":"))
    return (
        f"X-Timestamp:{date_to_string()}\r\n"
        "Content-Type:application/json; charset=utf-8\r\n"
        f"Path:speech.config\r\n\r\n{body}\r\n"
    )


def _frame(parse: Any, data: bytes, length: int) -> tuple[dict[bytes, bytes], bytes]:
    """A message's headers and body, or _AnswerError if its header is not `Key:value`."""
    if length < 0:
        raise _AnswerError("a message without headers")
    try:
        headers, body = parse(data, length)
    except ValueError as exc:
        raise _AnswerError(f"a message with bad headers ({exc})") from None
    return headers, body


def _audio_frame(parse: Any, data: bytes) -> bytes:
    """The MP3 bytes of one binary frame: a 2-byte big-endian header length, headers
    (Path:audio, Content-Type:audio/mpeg), then audio; the last frame may be empty."""
    if len(data) < 2:
        raise _AnswerError("an audio frame without its header length")
    length = int.from_bytes(data[:2], "big")
    if length > len(data) - 2:
        raise _AnswerError("an audio frame shorter than its header")
    # read as edge-tts reads it: the header text is data[2 : 2 + length], audio follows
    headers, body = _frame(parse, data, length)
    if headers.get(b"Path") != b"audio":
        raise _AnswerError("a binary frame that is not audio")
    kind = headers.get(b"Content-Type")
    if kind not in (b"audio/mpeg", None) or (kind is None and body):
        raise _AnswerError(f"audio of an unexpected type {kind!r}")
    return body


def _boundaries(body: bytes) -> list[Boundary]:
    """The word boundaries of one `audio.metadata` message."""
    try:
        items = json.loads(body)["Metadata"]
        said = [item["Data"] for item in items if item.get("Type") == "WordBoundary"]
        return [Boundary(d["Offset"] / TICKS_PER_SECOND, unescape(d["text"]["Text"])) for d in said]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _AnswerError(f"unreadable word boundaries ({exc!r})") from None


_tls_context: ssl.SSLContext | None = None


def _tls() -> ssl.SSLContext:
    """Certificates from certifi, as edge-tts uses (the system's may be missing)."""
    global _tls_context
    if _tls_context is None:
        import certifi

        _tls_context = ssl.create_default_context(cafile=certifi.where())
    return _tls_context


def _reason(exc: BaseException) -> str:
    """Why a connection failed, short: the system's words for a refused or unknown host."""
    inner = getattr(exc, "os_error", None)
    if isinstance(inner, OSError) and inner.errno:
        return os.strerror(inner.errno)
    text = str(exc) or type(exc).__name__
    return text[:160]


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
