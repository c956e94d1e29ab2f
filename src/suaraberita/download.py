"""Download a file of known size and MD5 over HTTP(S), resumably and within bounds.

The bytes go to a `.part` file in chunks (never whole in memory). A later try, or a
later run, asks only for the rest (`Range: bytes=N-`) and appends it when the server
answers 206; a server that answers 200 instead is read again from the start. A
connection dropped in the middle of the body is tried again a few times, each time from
where it stopped. The finished `.part` is checked against the size and MD5 it should
have; a mismatch deletes it. Every failure is one of our errors naming the address:
`NetworkError` (exit 9) for the network and the server, `NoSpaceError` for a full disk.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from suaraberita import __version__
from suaraberita.errors import FeedError, NetworkError, space_error
from suaraberita.outside import capped_number, whole_number
from suaraberita.retry import retry_after

if TYPE_CHECKING:
    import requests

USER_AGENT = f"suaraberita/{__version__} (+https://pypi.org/project/suaraberita/)"
_CONTENT_RANGE = re.compile(r"bytes\s+([0-9]+)-([0-9]+)/([0-9]+|\*)", re.IGNORECASE)
_NO_NAME = ("NameResolution", "Name or service not known", "Temporary failure in name",
            "No address associated", "nodename nor servname")  # fmt: skip
_MD5 = re.compile(r"[0-9a-f]{32}")

Progress = Callable[[int], None]  # told how many bytes of the file are on disk so far


@dataclass(frozen=True)
class Expected:
    """What a file must be once downloaded."""

    size: int  # bytes
    md5: str  # hex digest, lower case

    def __post_init__(self) -> None:
        if self.size < 0 or not _MD5.fullmatch(self.md5):
            raise ValueError(f"not a size and an MD5 digest: {self.size}, {self.md5!r}")


@dataclass(frozen=True)
class DownloadOptions:
    user_agent: str = USER_AGENT
    connect_timeout: float = 15.0  # seconds to connect
    read_timeout: float = 60.0  # seconds without a byte before the connection counts as dropped
    retries: int = 4  # further tries after a dropped connection or a 429/5xx, each resuming
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    chunk_size: int = 1 << 16


class _DroppedError(Exception):
    """The answer stopped before its end; the next try resumes."""

    def __init__(self, status: int | None = None) -> None:
        super().__init__()
        self.status = status  # a 429 or 5xx answer instead of a body
        self.wait: float | None = None  # the server's Retry-After


def mismatch(name: str, detail: str) -> NetworkError:
    return NetworkError(
        f"checksum mismatch for {name}: {detail}",
        hint="the download was damaged or the file changed on the server; run the same "
        "command again (it fetches that file afresh)",
    )


def download(
    url: str,
    part: Path,
    expected: Expected,
    options: DownloadOptions = DownloadOptions(),
    *,
    progress: Progress = lambda _done: None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Fetch `url` into `part`, resuming what `part` already holds, and check it. On
    return `part` is the whole file, verified; the caller renames it into place. A
    failure of the network keeps `part` for the next run; a wrong size or MD5 deletes it.
    """
    import requests

    session = session or requests.Session()
    have = _size(part)
    if have > expected.size:  # not the file the catalogue describes: start again
        part.unlink()
        have = 0
    progress(have)
    tries = 0
    best = have  # a cut only counts as progress when more of the file is on disk than ever
    while have < expected.size:
        try:
            have = _attempt(session, url, part, have, expected, options, progress)
        except _DroppedError as dropped:
            have = _size(part)
            tries = 1 if have > best else tries + 1
            best = max(best, have)
            if tries > options.retries:
                raise _gave_up(url, part, have, expected, dropped.status) from None
            sleep(max(options.backoff * 2 ** (tries - 1), min(dropped.wait or 0.0, 60.0)))
    verify(part, expected, part.name.removesuffix(".part"))


def verify(path: Path, expected: Expected, name: str) -> None:
    """Raise a mismatch (and delete `path`) unless it has the size and MD5 expected."""
    size = _size(path)
    if size != expected.size:
        path.unlink(missing_ok=True)
        raise mismatch(name, f"{size:,} bytes instead of {expected.size:,}")
    digest = md5_of(path)
    if digest != expected.md5:
        path.unlink(missing_ok=True)
        raise mismatch(name, f"MD5 {digest}, the catalogue says {expected.md5}")


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def matches(path: Path, expected: Expected) -> bool:
    """Whether `path` is a file with the size and MD5 expected (read only when the size
    is right)."""
    try:
        return path.stat().st_size == expected.size and md5_of(path) == expected.md5
    except OSError:
        return False


def fetch_bytes(
    url: str,
    limit: int,
    options: DownloadOptions = DownloadOptions(),
    *,
    session: requests.Session | None = None,
) -> bytes:
    """A small document (a catalogue) whole, at most `limit` bytes."""
    import requests

    session = session or requests.Session()
    with _get(session, url, {}, options) as response:
        if response.status_code != 200:
            raise _refused(url, response.status_code)
        declared = whole_number(response.headers.get("Content-Length"))
        if declared is not None and declared > limit:
            raise _too_large(url, limit)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=options.chunk_size):
                size += len(chunk)
                if size > limit:
                    raise _too_large(url, limit)
                chunks.append(chunk)
        except requests.RequestException as exc:
            raise NetworkError(
                f"the connection to {_host(url)} dropped while reading {url}",
                hint=f"run the same command again ({type(exc).__name__})",
            ) from None
    return b"".join(chunks)


def _attempt(
    session: requests.Session,
    url: str,
    part: Path,
    have: int,
    expected: Expected,
    options: DownloadOptions,
    progress: Progress,
) -> int:
    """One request for the rest of the file; how many bytes `part` holds after it."""
    import requests

    name = part.name.removesuffix(".part")
    with _get(session, url, {"Range": f"bytes={have}-"} if have else {}, options) as response:
        status = response.status_code
        if status == 429 or status >= 500:
            dropped = _DroppedError(status)
            dropped.wait = retry_after(response.headers.get("Retry-After"))
            raise dropped
        start, total = _extent(response, status)
        if have and (status == 416 or (status == 206 and start != have)):
            part.unlink(missing_ok=True)  # the server's file is not the one we began: anew
            return 0
        if status not in (200, 206) or (status == 206 and start != have):
            raise _refused(url, status)
        if total is not None and total != expected.size:
            part.unlink(missing_ok=True)
            raise mismatch(name, f"{url} has {total:,} bytes, the catalogue says {expected.size:,}")
        done = have if status == 206 else 0  # 200: the whole file again, from its start
        progress(done)
        try:
            with open(part, "ab" if status == 206 else "wb") as out:
                chunks = response.iter_content(chunk_size=options.chunk_size)
                while done < expected.size:
                    try:
                        chunk = next(chunks, None)
                    except (requests.RequestException, OSError):
                        raise _DroppedError from None
                    if chunk is None:
                        break
                    chunk = chunk[: expected.size - done]  # never more than the file has
                    out.write(chunk)
                    done += len(chunk)
                    progress(done)
        except OSError as exc:  # opening, writing or closing `part`: the network's are above
            raise space_error(exc, part.parent) or FeedError(
                f"cannot write {part.name}: {exc.strerror or exc}", path=part.parent
            ) from None
    if done < expected.size:
        raise _DroppedError  # the body ended before the file did: a cut
    return done


def _get(
    session: requests.Session, url: str, headers: dict[str, str], options: DownloadOptions
) -> requests.Response:
    """The answer's head; connecting failures are our errors, a cut before the head a
    `_DroppedError`."""
    import requests

    every = {"User-Agent": options.user_agent, "Accept-Encoding": "identity", **headers}
    try:
        return session.get(
            url,
            headers=every,
            timeout=(options.connect_timeout, options.read_timeout),
            stream=True,
        )
    except requests.TooManyRedirects:
        raise NetworkError(
            f"{url} redirects in a loop", hint="the server is misconfigured"
        ) from None
    except (requests.ConnectionError, requests.Timeout) as exc:
        if _not_connected(exc):
            raise _unreachable(url, exc, options) from None
        raise _DroppedError from None  # connected, then cut or silent before the answer
    except requests.RequestException as exc:
        raise NetworkError(f"cannot fetch {url}: {exc}") from None


def _not_connected(exc: Exception) -> bool:
    """Whether no connection was made at all (no name, refused, no route, no answer to
    connect), which asking again at once will not change."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _unreachable(url: str, exc: Exception, options: DownloadOptions) -> NetworkError:
    import requests

    host = _host(url)
    text = str(exc)
    if any(sign in text for sign in _NO_NAME):
        reason = f"cannot reach {host}: its name cannot be looked up"
    elif isinstance(exc, requests.ConnectTimeout):
        reason = f"cannot reach {host}: no answer within {options.connect_timeout:g} s"
    elif "refused" in text.lower():
        reason = f"cannot reach {host}: the connection was refused"
    else:
        reason = f"cannot reach {host}"
    return NetworkError(reason, hint="check the network (and the proxy, if you use one)")


def _refused(url: str, status: int) -> NetworkError:
    host = _host(url)
    if status in (404, 410):
        return NetworkError(
            f"not found at {url} (HTTP {status})",
            hint="the file was moved or removed, or SUARABERITA_PIPER_URL points elsewhere",
        )
    if status in (401, 403, 407, 451):
        return NetworkError(
            f"refused by {host} (HTTP {status}) for {url}",
            hint="the server, or a proxy or firewall on the way, does not let this machine "
            "download it",
        )
    if status == 429 or status >= 500:
        return NetworkError(
            f"{host} answered HTTP {status} for {url}", hint="the server is busy; try again later"
        )
    return NetworkError(f"{host} answered HTTP {status} for {url}")


def _gave_up(
    url: str, part: Path, have: int, expected: Expected, status: int | None
) -> NetworkError:
    if status is not None:
        return _refused(url, status)
    return NetworkError(
        f"the connection to {_host(url)} kept dropping ({have:,} of {expected.size:,} bytes "
        f"of {part.name.removesuffix('.part')} downloaded)",
        hint="run the same command again to resume: what was downloaded is kept",
    )


def _extent(response: requests.Response, status: int) -> tuple[int, int | None]:
    """Where the body starts in the file, and the file's whole size when declared."""
    if status == 206:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if match is None:
            return -1, None  # no usable range: taken as the wrong one
        total = None if match[3] == "*" else capped_number(match[3])
        return capped_number(match[1]), total
    return 0, whole_number(response.headers.get("Content-Length"))


def _too_large(url: str, limit: int) -> NetworkError:
    return NetworkError(
        f"{url} is larger than {limit:,} bytes",
        hint="this is not the document asked for; check the address",
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _host(url: str) -> str:
    return urlsplit(url).hostname or url
