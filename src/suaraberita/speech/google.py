"""Google's Indonesian voice, spoken through the gTTS protocol but fetched our own way.

gTTS builds the request (`gTTS._prepare_requests`: the batchexecute body, headers and
`_translate_url` host) and we decode the answer exactly as its `stream()` does. What we
do ourselves:

- cut each utterance into pieces of at most 100 characters at clause boundaries
  (`suaraberita.text.chunking`), instead of gTTS's mid-clause cuts;
- send the requests with `requests` sessions: a timeout per request (a deadline for the
  whole exchange, not only for each read: see `_Deadline`), at most
  `concurrency` in flight and at most `requests_per_second` started per second, across
  utterances (`synthesize_all` works up to a bounded window of pieces ahead);
- retry 429, 5xx, timeouts, connection resets and malformed answers with exponential
  backoff and jitter, honouring `Retry-After`, within a retry budget for the episode;
- decode each MP3 (ffmpeg) to 24 kHz mono PCM, trim its edge silence and join the
  pieces of one utterance with a short gap (`[gtts] piece_gap`, 0.07 s by default: with
  the 15 ms margins that trimming keeps on each side, about 0.1 s, like a breath at a
  comma), so a long sentence does not stutter;
- cache each piece's MP3 (see `suaraberita.cache`), so a narration that was interrupted
  resumes with only the missing requests and a repeated one sends none.

If Google cannot be reached at all (the first request cannot connect), or does not
answer it (something on the way, a captive portal or a stuck proxy, accepts the connection
and holds it: the first request waits at most PROBE_TIMEOUT, and `on_notice` is told at
the first such silence), or a piece keeps failing after its retries, `NetworkError` is
raised: the pipeline then narrates the whole episode with the fallback voice, or stops
when fallback is off.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import requests
import requests.adapters
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from suaraberita import sound
from suaraberita.cache import cache_key
from suaraberita.errors import AudioError, ConfigError, EngineError, NetworkError
from suaraberita.retry import backoff_delay
from suaraberita.retry import retry_after as seconds_after
from suaraberita.sound import Pcm
from suaraberita.speech import online
from suaraberita.text.chunking import GOOGLE_LIMIT, split_text

if TYPE_CHECKING:
    from suaraberita.cache import Cache
    from suaraberita.speech.voices import Voice

SAMPLE_RATE = 24000  # what Google sends (mono MP3); every piece is decoded to this rate
RPC_PATH = "_/TranslateWebserverUi/data/batchexecute"
WINDOW = 32  # pieces fetched ahead of the one being consumed (at least 4 x concurrency)
MAX_RETRY_AFTER = 120.0  # seconds: a server asking for a longer wait is taken as "no"
PROBE_ATTEMPTS = 2  # attempts to connect at all before Google counts as unreachable
CONNECT_TIMEOUT = 5.0  # seconds, at most (the read timeout is the profile's `timeout`)
PROBE_TIMEOUT = 5.0  # seconds, at most, for a whole answer until Google has answered once
NOTICE_AFTER = 2.0  # seconds of silence the user notices: say why (shorter ones pass unsaid)

# How a request failed, besides an answer: "" (an answer failed: a reset, a cut body),
# no connection at all, or a connection on which no (complete) answer came in time.
Trouble = Literal["", "unreachable", "stalled"]


@dataclass
class FetchStats:
    """What one engine did, for tests, benchmarks and reports."""

    pieces: int = 0  # pieces spoken
    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0
    cached: int = 0  # pieces taken from the cache


def decode_response(body: str) -> bytes:
    """The MP3 in a batchexecute answer, found the way gTTS's `stream()` finds it.

    >>> b64 = base64.b64encode(b"ID3 audio").decode()
    >>> decode_response(')]}\\'\\n\\n[["wrb.fr","jQ1olc","[\\\\"' + b64 + '\\\\"]",null]]\\n')
    b'ID3 audio'
    """
    from gtts import gTTS

    for line in body.splitlines():
        if gTTS.GOOGLE_TTS_RPC in line:
            found = re.search(r'jQ1olc","\[\\"(.*)\\"]', line)
            if not found:
                raise ValueError("the answer has no audio stream")
            try:
                audio = base64.b64decode(found.group(1).encode("ascii"), validate=True)
            except (binascii.Error, UnicodeEncodeError) as exc:
                raise ValueError(f"the audio in the answer is not base64: {exc}") from None
            if not audio:
                raise ValueError("the answer's audio is empty")
            return audio
    raise ValueError("the answer is not a batchexecute reply")


def decode_mp3(data: bytes, ffmpeg: str) -> Pcm:
    """MP3 bytes -> 24 kHz mono 16-bit PCM; AudioError if ffmpeg cannot read them."""
    return sound.decode_mp3(data, ffmpeg, SAMPLE_RATE, "Google")


def speakable(piece: str) -> bool:
    """Google says nothing for punctuation alone (and gTTS refuses to send it)."""
    return any(c.isalnum() for c in piece)


class _StoppedError(Exception):
    """The episode stopped (another piece failed, or the consumer went away)."""


class _RateLimiter:
    """Spaces request starts at least 1/per_second apart, across threads."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, stop: threading.Event) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now and stop.wait(start - now):
            raise _StoppedError


class GoogleEngine:
    """Google Translate's voice via the gTTS protocol, fetched concurrently and cached."""

    name = "gtts"

    def __init__(
        self,
        voice: Voice,
        cache: Cache | None = None,
        base_url: str | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        import gtts
        from gtts.utils import _translate_url

        self.settings = voice.gtts
        self.language = voice.language
        self._cache = cache
        self._on_notice = on_notice  # told of trouble that may yet pass
        self._version = f"gtts {gtts.__version__}"
        self._google_base = _translate_url(tld=self.settings.tld)  # https://translate.google.com/
        if base_url is not None:
            base_url = base_url.strip()
            if not re.match(r"https?://[^/\s]+", base_url):
                raise ConfigError(
                    f"the Google voice's address {base_url!r} is not an http(s) URL",
                    hint="set SUARABERITA_GTTS_URL to something like http://127.0.0.1:8080",
                )
            base_url = base_url.rstrip("/") + "/"
        self.base_url = base_url or self._google_base
        self.stats = FetchStats()
        self._stats_lock = threading.Lock()
        self._ffmpeg: str | None = None

    @property
    def version(self) -> str:
        return self._version

    @property
    def endpoint(self) -> str:
        return self.base_url + RPC_PATH

    def pieces(self, text: str) -> tuple[str, ...]:
        """The requests one utterance needs."""
        return tuple(p for p in split_text(text, GOOGLE_LIMIT) if speakable(p))

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
        run = _Run(self)
        window = max(WINDOW, 4 * self.settings.concurrency)
        # more threads than requests in flight: the others decode answers or wait to retry
        workers = 2 * self.settings.concurrency
        executor = ThreadPoolExecutor(workers, thread_name_prefix="gtts")
        batches = online.in_order(plans, lambda piece: executor.submit(run.piece, piece), window)
        try:
            for text, futures in zip(texts, batches, strict=False):
                try:
                    parts = [future.result() for future in futures]
                except _StoppedError:
                    # another piece failed first and stopped this one: report that failure
                    if run.failure is not None:
                        raise run.failure from None
                    raise
                yield online.join(text, parts, self.settings.piece_gap, SAMPLE_RATE)
        except BaseException as exc:
            if not isinstance(exc, Exception):  # stopped (SIGTERM, Ctrl-C, consumer gone)
                run.stop.set()
                run.cut()  # no answer is waited for (after a failure, those due are cached)
            raise
        finally:
            run.stop.set()
            batches.close()  # cancels what is not yet consumed
            executor.shutdown(wait=True, cancel_futures=True)
            run.close()

    def _count(self, **deltas: int) -> None:
        with self._stats_lock:
            for name, delta in deltas.items():
                setattr(self.stats, name, getattr(self.stats, name) + delta)

    def _key(self, piece: str) -> str:
        settings = {
            "lang": self.language,
            "slow": self.settings.slow,
            "host": self.base_url,  # a mirror or stand-in may sound different
        }
        return cache_key(self.name, self._version, settings, piece, "mp3")


class _Run:
    """The state of one synthesize_all call (one episode): limiter, budget, sessions."""

    def __init__(self, engine: GoogleEngine) -> None:
        self.engine = engine
        self.settings = engine.settings
        self.stop = threading.Event()
        self.reached = threading.Event()  # set once Google answered anything at all
        self._noticed = False  # the user was told Google is not answering
        self._limiter = _RateLimiter(self.settings.requests_per_second)
        self._slots = threading.BoundedSemaphore(self.settings.concurrency)  # in flight
        self._prober: int | None = None  # the thread whose requests probe the host
        self.failure: BaseException | None = None  # the first piece that failed
        self._budget = self.settings.retry_budget
        self._lock = threading.Lock()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._flying: set[_Deadline] = set()  # the requests in flight

    def close(self) -> None:
        for session in self._sessions:
            session.close()

    def cut(self) -> None:
        """End every request in flight now (the run stopped): nobody waits for them."""
        with self._lock:
            flying = list(self._flying)
        for deadline in flying:
            deadline.expire()

    @contextlib.contextmanager
    def _in_flight(self, deadline: _Deadline) -> Iterator[None]:
        """Run a request under `deadline`, which `cut` can end early."""
        with self._lock:
            self._flying.add(deadline)
        try:
            with deadline:
                if self.stop.is_set():  # stopped since it was checked: `cut` missed it
                    deadline.expire()
                yield
        finally:
            with self._lock:
                self._flying.discard(deadline)

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.mount("http://", _DeadlineAdapter())
            session.mount("https://", _DeadlineAdapter())
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def piece(self, text: str) -> Pcm:
        """One piece's PCM. A failure stops the whole run: the episode needs every piece."""
        try:
            return self._piece(text)
        except _StoppedError:
            raise
        except BaseException as exc:
            with self._lock:
                if self.failure is None:
                    self.failure = exc
            self.stop.set()
            raise

    def _piece(self, text: str) -> Pcm:
        """One piece's PCM: from the cache, else from Google (stored in the cache)."""
        engine = self.engine
        assert engine._ffmpeg is not None
        if self.stop.is_set():
            raise _StoppedError
        cache = engine._cache
        key = engine._key(text)
        if cache is not None:
            data = cache.get(key)
            if data is not None:
                try:
                    pcm = decode_mp3(data, engine._ffmpeg)
                except AudioError:
                    cache.discard(key)  # damaged: fetch it again
                else:
                    engine._count(pieces=1, cached=1)
                    return pcm
        data, pcm = self._fetch(text)
        if cache is not None:
            cache.put(key, data)
        engine._count(pieces=1)
        return pcm

    def _prepare(self, text: str) -> tuple[str, Any, dict[str, str]]:
        """gTTS's own request for one piece: URL (on our host), body and headers."""
        from gtts import gTTS

        tts = gTTS(
            text,
            tld=self.settings.tld,
            lang=self.engine.language,
            slow=self.settings.slow,
            lang_check=False,  # it would fetch the language list from Google
            pre_processor_funcs=[],  # our text is normalised already
        )
        (prepared,) = tts._prepare_requests()  # one piece: at most 100 characters
        url = str(prepared.url)
        if url.startswith(self.engine._google_base):
            url = self.engine.base_url + url[len(self.engine._google_base) :]
        return url, prepared.body, dict(prepared.headers)

    def _fetch(self, text: str) -> tuple[bytes, Pcm]:
        """Send one piece, retrying what may pass; return its MP3 and PCM."""
        url, body, headers = self._prepare(text)
        attempt = 0
        while True:
            response, problem, trouble = self._send(url, body, headers)
            retry_after: float | None = None
            if response is not None:
                status = response.status_code
                if status == 200:
                    try:
                        data = decode_response(response.content.decode("utf-8", "replace"))
                        return data, decode_mp3(data, self.engine._ffmpeg or "ffmpeg")
                    except (ValueError, AudioError) as exc:
                        problem = f"malformed answer ({exc})"
                elif status == 429 or status >= 500:
                    problem = f"HTTP {status} {response.reason}"
                    retry_after = seconds_after(response.headers.get("Retry-After"))
                else:
                    raise _refused(status, str(response.reason), self.engine.base_url)
            attempt += 1
            self._give_up_or_wait(text, attempt, problem, trouble, retry_after)

    def _send(
        self, url: str, body: Any, headers: dict[str, str]
    ) -> tuple[requests.Response | None, str, Trouble]:
        """One request, holding one of the `concurrency` slots only while it is in flight
        (not while its answer is decoded or a retry waits): (response, problem, trouble).
        """
        limit = self.settings.timeout
        if not self.reached.is_set():
            self._wait_for_probe()
            limit = min(limit, PROBE_TIMEOUT)  # the first answer: a held connection shows soon
        timeout = (min(CONNECT_TIMEOUT, limit), limit)
        deadline = _Deadline(limit)  # for the whole request, not each read
        self._acquire(self._slots)
        try:
            if self.stop.is_set():
                raise _StoppedError
            self._limiter.wait(self.stop)
            self.engine._count(requests=1)
            with self._in_flight(deadline):
                response = self._session().post(url, data=body, headers=headers, timeout=timeout)
                response.content  # noqa: B018 (read the whole body while the slot is held)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            # refused, unknown host or no connection in time: Google may be unreachable;
            # a reset: it was reached, but this answer failed
            trouble = _connect_trouble(exc)
            if trouble != "unreachable" and (deadline.expired or _read_timed_out(exc)):
                return self._stalled("no complete answer", limit)  # too slow
            return None, f"connection failed ({_reason(exc)})", trouble
        except requests.Timeout:
            return self._stalled("no answer", limit)
        except requests.RequestException as exc:
            if deadline.expired:
                return self._stalled("no complete answer", limit)
            raise NetworkError(
                f"cannot send a request to Google's voice at {self.engine.base_url}: {exc}"
            ) from exc
        finally:
            self._slots.release()
        self.reached.set()
        return response, "", ""

    def _wait_for_probe(self) -> None:
        """Until the host has answered once, only one thread sends (its retries too): the
        probe. The others wait, so a host that is not there costs PROBE_ATTEMPTS requests."""
        with self._lock:
            if self._prober is None:
                self._prober = threading.get_ident()
            if self._prober == threading.get_ident():
                return
        while not self.reached.wait(0.05):
            if self.stop.is_set():
                raise _StoppedError

    def _stalled(self, what: str, limit: float) -> tuple[None, str, Trouble]:
        """A request that waited `limit` seconds in vain. The user is told at once (once
        an episode), not only when it is given up; a short wait passes unsaid."""
        if self.stop.is_set():  # cut off because the run stopped, not by Google
            raise _StoppedError
        problem = f"{what} within {limit:g} s"
        with self._lock:
            tell = limit >= NOTICE_AFTER and not self._noticed
            self._noticed |= tell
        if tell and self.engine._on_notice is not None:
            host = self.engine.base_url
            self.engine._on_notice(
                f"Google's voice at {host} is not answering ({problem}); still trying ..."
            )
        return None, problem, "stalled"

    def _acquire(self, lock: threading.BoundedSemaphore) -> None:
        while not lock.acquire(timeout=0.05):
            if self.stop.is_set():
                raise _StoppedError

    def _give_up_or_wait(
        self, text: str, attempt: int, problem: str, trouble: Trouble, retry_after: float | None
    ) -> None:
        host = self.engine.base_url
        if self.stop.is_set():
            raise _StoppedError
        if trouble and not self.reached.is_set() and attempt >= PROBE_ATTEMPTS:
            if trouble == "unreachable":
                raise NetworkError(
                    f"cannot reach Google's voice at {host}: {problem}",
                    hint="no internet connection, or Google is blocked on this network",
                )
            raise NetworkError(
                f"Google's voice at {host} is not answering ({attempt} attempts; last: {problem})",
                hint="something on the way takes the connection and holds it: a Wi-Fi login "
                "page (captive portal), a proxy or a firewall; open a web page to check",
            )
        if attempt > self.settings.retries:
            raise NetworkError(
                f"Google's voice kept failing for {_quote(text)} "
                f"({attempt} attempts; last: {problem})",
                hint="the network is slow or Google is overloaded; try again later, or raise "
                "[gtts] timeout in the voice profile"
                if problem.startswith(("no answer", "no complete answer"))
                else "Google is overloaded or limiting requests from here; try again later",
            )
        if retry_after is not None and retry_after > MAX_RETRY_AFTER:
            raise NetworkError(
                f"Google's voice asks to wait {retry_after:.0f} s before the next request",
                hint="it is limiting requests from here; try again later",
            )
        with self._lock:
            if self._budget <= 0:
                raise NetworkError(
                    "too many failed requests to Google's voice: this episode's retry budget "
                    f"({self.settings.retry_budget}) is spent (last: {problem})",
                    hint="Google is limiting requests from here; lower [gtts] concurrency or "
                    "requests_per_second in the voice profile, or try again later",
                )
            self._budget -= 1
        self.engine._count(retries=1)
        delay = backoff_delay(self.settings.backoff, attempt, retry_after)
        if self.stop.wait(delay):
            raise _StoppedError


_current = threading.local()  # .deadline: the _Deadline of this thread's request


class _Deadline:
    """Cuts one request off `seconds` after it starts, however it is going.

    requests' timeout bounds the connect and each read, so a server that trickles its
    answer a byte at a time (headers or body) would hold a request open forever. While
    the `with` block runs, the connection carrying the request (see `_DeadlineConnection`)
    is known; when time is up, its socket is shut down, the blocked read returns, requests
    raises, and `expired` tells the caller why.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._connection: HTTPConnection | None = None
        self._finished = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __enter__(self) -> _Deadline:
        _current.deadline = self
        self._timer = threading.Timer(self.seconds, self.expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._finished = True
        if self._timer is not None:
            self._timer.cancel()
        _current.deadline = None

    def attach(self, connection: HTTPConnection) -> None:
        """The connection carrying the request (called from its thread, maybe late)."""
        with self._lock:
            self._connection = connection
            expired = self.expired and not self._finished
        if expired:
            _cut(connection)

    def expire(self) -> None:
        """Cut the request off now (its time is up, or the run stopped)."""
        with self._lock:
            if self._finished:
                return
            self.expired = True
            connection = self._connection
        if connection is not None:
            _cut(connection)


def _cut(connection: HTTPConnection) -> None:
    """Shut the socket down (not close: a read blocked on it returns at once)."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # not SSLSocket's own shutdown


def _attach(connection: HTTPConnection) -> None:
    deadline: _Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.attach(connection)


class _DeadlineConnection(HTTPConnection):
    """Tells the running request's deadline which connection (socket) it uses."""

    def connect(self) -> None:
        _attach(self)  # before: a TLS handshake may trickle too
        super().connect()
        _attach(self)  # and after: the deadline may have passed while connecting

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class _DeadlineTlsConnection(HTTPSConnection):
    def connect(self) -> None:
        _attach(self)
        super().connect()
        _attach(self)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach(self)
        super().request(*args, **kwargs)


class _DeadlinePool(HTTPConnectionPool):
    ConnectionCls = _DeadlineConnection


class _DeadlineTlsPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineTlsConnection


class _DeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter with connections a `_Deadline` can cut (not through a proxy:
    there only the per-read timeout applies)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _DeadlinePool,
            "https": _DeadlineTlsPool,
        }


def _refused(status: int, reason: str, host: str) -> EngineError:
    """A 4xx other than 429: retrying will not help."""
    causes = {
        400: "the request format changed upstream; update gtts",
        403: "bad token or upstream API change; update gtts",
        404: f"wrong host {host} (an unsupported tld, or a wrong SUARABERITA_GTTS_URL)",
    }
    return NetworkError(
        f"Google's voice refused the request: HTTP {status} {reason}",
        hint=causes.get(status, "the service or its protocol changed; update gtts"),
    )


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """An exception and everything it wraps (requests wraps urllib3 wraps OSError)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        stack += [e for e in (*linked, *current.args) if isinstance(e, BaseException)]


def _connect_trouble(exc: BaseException) -> Trouble:
    """Whether no connection was made at all ("unreachable": refused, no such host, a
    connect timeout) or one was, and then failed ("": a reset)."""
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

    cannot = (NewConnectionError, ConnectTimeoutError, requests.ConnectTimeout)
    return "unreachable" if any(isinstance(e, cannot) for e in _causes(exc)) else ""


def _read_timed_out(exc: BaseException) -> bool:
    """A read waited longer than its timeout (requests reports one in the middle of a body
    as a connection error)."""
    from urllib3.exceptions import ReadTimeoutError

    return any(isinstance(e, ReadTimeoutError) for e in _causes(exc))


def _reason(exc: Exception) -> str:
    """The innermost cause of a requests error, short."""
    inner: BaseException = exc
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    text = str(inner) or type(inner).__name__
    text = re.sub(r"<urllib3[^>]*>:?\s*", "", text)
    return text[:160]


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
