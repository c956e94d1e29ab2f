"""`suaraberita serve`: the output folder over HTTP, as a podcast app needs it.

Standard library only. GET and HEAD, single byte ranges (206, 416), ETag and
Last-Modified with the conditional requests of RFC 9110 (304, 412, If-Range); OPTIONS, and
CORS for what in-browser players fetch (feed, MP3s, chapters, transcripts); 405 for
methods that would change the folder. Only site, feed and media files by extension,
never a dotfile (the lock file, temporary files), the episode store, a directory listing,
or anything outside the folder (`..`, encoded slashes, symlinks pointing out). A request
must arrive whole within `Handler.timeout`; a body on GET or HEAD is read and dropped (at
most MAX_BODY bytes, no transfer codings); every number read from a request has a
ceiling; what is logged goes through `terminal.printable`.
"""

from __future__ import annotations

import email.utils
import io
import math
import os
import re
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from suaraberita import __version__
from suaraberita.outside import capped_number
from suaraberita.terminal import printable

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".chapters.json": "application/json+chapters",  # as Podcasting 2.0 names it
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Pages and the feed change on every narration; media files are replaced, never edited.
REVALIDATE = {".html", ".xml", ".chapters.json", ".json", ".vtt", ".srt", ".css", ".js"}
# What an in-browser player on another site fetches: Podcasting 2.0 asks for CORS on these.
CORS = {".xml", ".mp3", ".chapters.json", ".vtt", ".srt"}
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Length, Content-Range, Accept-Ranges, ETag",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD",
    "Access-Control-Allow-Headers": "Range",
    "Access-Control-Max-Age": "86400",
}
ALLOW = "GET, HEAD, OPTIONS"
CHUNK = 64 * 1024
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}
_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")
MAX_DATE = 64  # the longest HTTP-date is 29 characters
MAX_BODY = 64 * 1024  # GET and HEAD have no use for a body: a small one is read and dropped


class NotServedError(Exception):
    """A request for something that is not served; carries the status to answer."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


def resolve(root: Path, target: str) -> Path:
    """The file of the folder `root` (already resolved) that a request target names.

    Raises NotServedError(404) for anything that is not a servable file name, and
    NotServedError(403) for a path that leaves the folder through a symlink.
    """
    if not target.startswith("/") or target.startswith("//"):
        raise NotServedError(HTTPStatus.NOT_FOUND)  # absolute-form, authority-form, '//host/...'
    raw = urlsplit(target).path
    if re.search(r"%(2f|5c|00)", raw, re.IGNORECASE) or "\\" in raw:
        raise NotServedError(HTTPStatus.NOT_FOUND)  # an encoded slash, backslash or NUL
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise NotServedError(HTTPStatus.NOT_FOUND) from None
    if path == "/":
        path = "/index.html"
    parts = path[1:].split("/")
    for part in parts:
        if not part or part.startswith(".") or "\x00" in part:
            raise NotServedError(HTTPStatus.NOT_FOUND)  # '..', dotfiles, '//', a trailing '/'
    if Path(parts[-1]).suffix.lower() not in CONTENT_TYPES:
        raise NotServedError(HTTPStatus.NOT_FOUND)  # episodes.db, its journal, anything else
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        raise NotServedError(HTTPStatus.NOT_FOUND) from None
    if not real.is_relative_to(root):
        raise NotServedError(HTTPStatus.FORBIDDEN)
    if not real.is_file():
        raise NotServedError(HTTPStatus.NOT_FOUND)
    return real


def file_kind(name: str) -> str:
    """The key of CONTENT_TYPES a file name falls under: its last two suffixes when the
    table has them ('.chapters.json'), else its last one.

    >>> file_kind("ep.chapters.json"), file_kind("EP.MP3"), file_kind("a.b.json"), file_kind("x")
    ('.chapters.json', '.mp3', '.json', '')
    """
    suffixes = [suffix.lower() for suffix in PurePath(name).suffixes]
    two = "".join(suffixes[-2:])
    return two if two in CONTENT_TYPES else "".join(suffixes[-1:])


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The (first, last) bytes a Range header asks for; None to send the whole file.

    Raises NotServedError(416) when no byte of the range exists. Several ranges or a header
    we do not understand: the whole file, as RFC 9110 allows.

    >>> byte_range("bytes=100-199", 1000), byte_range("bytes=-500", 1000)
    ((100, 199), (500, 999))
    >>> byte_range("bytes=100-", 1000), byte_range("bytes=900-5000", 1000)
    ((100, 999), (900, 999))
    >>> byte_range("bytes=0-1,5-6", 1000), byte_range("items=1-2", 1000), byte_range(None, 9)
    (None, None, None)
    >>> byte_range("bytes=0-" + "9" * 5000, 1000), byte_range("bytes=-" + "9" * 5000, 1000)
    ((0, 999), (0, 999))
    >>> byte_range("bytes=1000-", 1000)
    Traceback (most recent call last):
    suaraberita.publish.server.NotServedError: Requested Range Not Satisfiable
    """
    if header is None:
        return None
    match = _RANGE.fullmatch(header.strip().replace(" ", ""))
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # a suffix: the last N bytes
        count = capped_number(last)
        if count == 0 or size == 0:
            raise NotServedError(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
        return max(0, size - count), size - 1
    start = capped_number(first)
    if last != "" and capped_number(last) < start:
        return None  # invalid: ignore the header
    if start >= size:
        raise NotServedError(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
    return start, size - 1 if last == "" else min(capped_number(last), size - 1)


def etag(stat: os.stat_result) -> str:
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


@dataclass(frozen=True)
class Validators:
    """What conditional requests compare a file by."""

    etag: str
    modified: int  # Last-Modified, in whole seconds since the epoch; never later than now
    # The second of `modified` is over, so the file cannot have changed twice within it
    # unseen: only then is the date a strong validator (RFC 9110 section 8.8.2.2).
    strong_date: bool

    @classmethod
    def of(cls, stat: os.stat_result, now: float) -> Validators:
        second, current = stat.st_mtime_ns // 1_000_000_000, math.floor(now)
        return cls(etag(stat), min(second, current), second < current)

    def headers(self, kind: str) -> dict[str, str]:
        """ETag, Last-Modified and caching: sent with 200, 206 and 304 alike."""
        headers = {
            "ETag": self.etag,
            "Last-Modified": email.utils.formatdate(self.modified, usegmt=True),
        }
        if kind in REVALIDATE:
            headers["Cache-Control"] = "no-cache"
        return headers


def http_date(value: str | None) -> int | None:
    """Seconds since the epoch of an HTTP-date; None for a missing or unreadable one, which
    a condition then ignores.

    >>> http_date("Sun, 06 Nov 1994 08:49:37 GMT"), http_date("Sunday, 06-Nov-94 08:49:37 GMT")
    (784111777, 784111777)
    >>> http_date("Sun Nov  6 08:49:37 1994"), http_date("yesterday"), http_date("9" * 5000)
    (784111777, None, None)
    >>> http_date("Tue, 99 Foo 99999999999 99:99:99 GMT"), http_date("\\x00\\x01"), http_date(None)
    (None, None, None)
    """
    if value is None or len(value) > MAX_DATE or not value.isascii():
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
        return int(parsed.replace(tzinfo=parsed.tzinfo or UTC).timestamp())
    except (TypeError, ValueError, OverflowError):
        return None


def tag_listed(header: str, tag: str, weak: bool) -> bool:
    """Whether an If-Match (strong comparison) or If-None-Match (weak) list names `tag`;
    '*' names any file there is.

    >>> tag_listed('"a", W/"b"', '"b"', weak=True), tag_listed('W/"b"', '"b"', weak=False)
    (True, False)
    >>> tag_listed("*", '"b"', weak=False), tag_listed('"a",,', '"b"', weak=True)
    (True, False)
    """
    for listed in header.split(","):
        listed = listed.strip()
        if listed in ("*", tag) or (weak and listed.removeprefix("W/") == tag):
            return True
    return False


def precondition(headers: Message, file: Validators) -> HTTPStatus | None:
    """The answer the conditions of a GET or HEAD for an existing file call for (412 or
    304), or None to send it; evaluated in the order of RFC 9110 section 13.2.2."""
    if_match = headers.get("If-Match")
    if if_match is not None:
        if not tag_listed(if_match, file.etag, weak=False):
            return HTTPStatus.PRECONDITION_FAILED
    elif (since := http_date(headers.get("If-Unmodified-Since"))) is not None:
        if file.modified > since:
            return HTTPStatus.PRECONDITION_FAILED
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:  # If-Modified-Since is then ignored
        return HTTPStatus.NOT_MODIFIED if tag_listed(if_none_match, file.etag, weak=True) else None
    since = http_date(headers.get("If-Modified-Since"))
    if since is not None and file.modified <= since:
        return HTTPStatus.NOT_MODIFIED
    return None


def range_asked(headers: Message, file: Validators) -> str | None:
    """The Range header to honour: None when If-Range names another version of the file,
    which is then sent whole (RFC 9110 section 13.1.5). A weak tag never matches, a date
    only when it is Last-Modified and that is strong."""
    wanted, condition = headers.get("Range"), headers.get("If-Range")
    if wanted is None or condition is None:
        return wanted
    condition = condition.strip()
    if condition.startswith(('"', "W/")):
        same = condition == file.etag
    else:
        same = file.strong_date and http_date(condition) == file.modified
    return wanted if same else None


class _Deadline(io.RawIOBase):
    """The reading side of a connection, where a whole request must arrive by `deadline`.

    A time-out per read alone lets a client that sends a byte now and then (slowloris) hold
    its thread for as long as it likes.
    """

    def __init__(self, sock: socket.socket, timeout: float) -> None:
        self._sock = sock
        self._timeout = timeout
        self.deadline = time.monotonic() + timeout

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long to arrive")
        self._sock.settimeout(left)
        try:
            return self._sock.recv_into(buffer)
        finally:
            self._sock.settimeout(self._timeout)  # writing an answer keeps its own time-out


class Handler(BaseHTTPRequestHandler):
    """Serves the folder `root` of its server."""

    server: Server
    server_version = f"suaraberita/{__version__}"
    protocol_version = "HTTP/1.1"
    # Seconds a request may take to arrive, waiting on a kept-alive connection included,
    # and seconds a write of the answer may stall.
    timeout = 60

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # read through the deadline instead
        self._reader = _Deadline(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        self._reader.deadline = time.monotonic() + self.timeout
        super().handle_one_request()

    def version_string(self) -> str:
        return self.server_version  # not the Python version

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_OPTIONS(self) -> None:
        """The methods there are; for the feed and media files also the answer to a CORS
        preflight, so that a player on another site may ask for a range."""
        if not self._take_body():
            return
        if self.path == "*":
            self._no_content({"Allow": ALLOW})
            return
        try:
            path = resolve(self.server.root, self.path)
        except NotServedError as refused:
            self._error(refused.status, True)
            return
        cors = PREFLIGHT_HEADERS if file_kind(path.name) in CORS else {}
        self._no_content({"Allow": ALLOW, **cors})

    def _not_allowed(self) -> None:
        """405 for a method that would change the folder or tunnel through the server."""
        headers = {"Allow": ALLOW}
        try:
            self._drop_body()
        except NotServedError:
            headers["Connection"] = "close"  # a body we cannot skip must not be read as a request
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, True, headers)

    # http.server's names; a method it finds no do_ for (unknown to HTTP) gets 501.
    do_POST = do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = _not_allowed  # noqa: N815

    def _answer(self, body: bool) -> None:
        if not self._take_body():
            return
        try:
            path = resolve(self.server.root, self.path)
            with open(path, "rb") as handle:
                stat = os.fstat(handle.fileno())
                self._send_file(path, handle, stat, body)
        except NotServedError as refused:
            self._error(refused.status, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (players often do)
        except OSError:
            self._error(HTTPStatus.NOT_FOUND, body)

    def _take_body(self) -> bool:
        """Drop the request's body; False, once answered, for a body that cannot be."""
        try:
            self._drop_body()
        except NotServedError as refused:
            self._error(refused.status, self.command != "HEAD", {"Connection": "close"})
            return False
        return True

    def _drop_body(self) -> None:
        """Read and drop a request's body, so that it is not taken for the next request.

        Raises NotServedError for a body we cannot delimit (a transfer coding, a bad or
        doubled length) or will not read (longer than MAX_BODY); the connection must close.
        """
        if "Transfer-Encoding" in self.headers:
            raise NotServedError(HTTPStatus.NOT_IMPLEMENTED)
        lengths = {value.strip() for value in self.headers.get_all("Content-Length", [])}
        if not lengths:
            return
        value = lengths.pop()
        if lengths or not (value.isascii() and value.isdigit()):
            raise NotServedError(HTTPStatus.BAD_REQUEST)
        length = capped_number(value)
        if length > MAX_BODY:
            raise NotServedError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        if len(self.rfile.read(length)) < length:
            self.close_connection = True  # the client hung up mid-body

    def _send_file(
        self, path: Path, handle: io.BufferedIOBase, stat: os.stat_result, body: bool
    ) -> None:
        size = stat.st_size
        kind = file_kind(path.name)
        file = Validators.of(stat, time.time())
        cors = CORS_HEADERS if kind in CORS else {}
        refused = precondition(self.headers, file)
        if refused is HTTPStatus.NOT_MODIFIED:
            self._not_modified({**file.headers(kind), **cors})
            return
        if refused is not None:
            self._error(refused, body, cors)
            return
        try:
            span = byte_range(range_asked(self.headers, file), size)
        except NotServedError:
            self._error(
                HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                body,
                {**cors, "Content-Range": f"bytes */{size}"},
            )
            return
        first, last = span if span else (0, size - 1)
        self.send_response(HTTPStatus.PARTIAL_CONTENT if span else HTTPStatus.OK)
        self.send_header("Content-Type", CONTENT_TYPES[kind])
        self.send_header("Content-Length", str(max(0, last - first + 1)))
        self.send_header("Accept-Ranges", "bytes")
        if span:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self._send_headers({**file.headers(kind), **cors})
        self._safety_headers()
        self.end_headers()
        if body and last >= first:
            handle.seek(first)
            _copy(handle, self.wfile, last - first + 1)

    def _not_modified(self, headers: dict[str, str]) -> None:
        """304 with the validators and caching headers only: no Content-Length or -Type,
        which would describe an empty body (RFC 9110 section 15.4.5)."""
        self.send_response(HTTPStatus.NOT_MODIFIED)
        self._send_headers(headers)
        self.end_headers()

    def _no_content(self, headers: dict[str, str]) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)  # which has no Content-Length
        self._send_headers(headers)
        self._safety_headers()
        self.end_headers()

    def _error(self, status: HTTPStatus, body: bool, headers: dict[str, str] | None = None) -> None:
        text = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self._send_headers(headers or {})
        self._safety_headers()
        self.end_headers()
        if body:
            self.wfile.write(text)

    def _send_headers(self, headers: dict[str, str]) -> None:
        for name, value in headers.items():
            self.send_header(name, value)

    def _safety_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'",
        )

    def log_message(self, format: str, *args: object) -> None:
        if self.server.log is not None:  # the request line is the client's: it may hold ESC
            self.server.log(printable(f"{self.address_string()} {format % args}"))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connections a page load or a few apps open together;
    # the kernel caps this at its own limit (net.core.somaxconn).
    request_queue_size = socket.SOMAXCONN

    def __init__(
        self,
        root: Path,
        address: tuple[str, int],
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.log = log
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-answer is normal; anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        if self.log is not None:
            self.log(printable(f"{client_address}: {error!r}"))

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return served_url(str(host), int(port))


def served_url(host: str, port: int) -> str:
    """The URL a client uses to reach a server bound to host:port.

    >>> served_url("0.0.0.0", 8000), served_url("::1", 8080), served_url("127.0.0.1", 80)
    ('http://127.0.0.1:8000/', 'http://[::1]:8080/', 'http://127.0.0.1/')
    """
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}/" if port == 80 else f"http://{host}:{port}/"


@dataclass(frozen=True)
class Mismatch:
    base_url: str
    served: str


def base_url_mismatch(base_url: str, host: str, port: int) -> Mismatch | None:
    """Whether a feed whose files live at `base_url` can be fetched from this server.

    Loopback names are one host; a server on every interface (0.0.0.0, ::) matches any host
    at its port.

    >>> base_url_mismatch("http://localhost:8000/", "127.0.0.1", 8000) is None
    True
    >>> base_url_mismatch("http://192.168.1.5:8000/", "0.0.0.0", 8000) is None
    True
    >>> base_url_mismatch("https://contoh.id/podcast/", "127.0.0.1", 8000)
    Mismatch(base_url='https://contoh.id/podcast/', served='http://127.0.0.1:8000/')
    >>> base_url_mismatch("http://localhost:8000/", "127.0.0.1", 8001) is not None
    True
    """
    parts = urlsplit(base_url)
    mismatch = Mismatch(base_url, served_url(host, port))
    if parts.scheme != "http" or parts.path.strip("/"):
        return mismatch
    if (parts.port or 80) != port:
        return mismatch
    wanted = (parts.hostname or "").lower()
    if host in ("", "0.0.0.0", "::"):
        return None
    if wanted == host.lower() or (wanted in LOOPBACK and host in LOOPBACK):
        return None
    return mismatch


def _copy(source: io.BufferedIOBase, target: io.BufferedIOBase, count: int) -> None:
    while count > 0:
        chunk = source.read(min(CHUNK, count))
        if not chunk:
            break
        target.write(chunk)
        count -= len(chunk)
