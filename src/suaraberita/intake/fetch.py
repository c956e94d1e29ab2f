"""Fetch a web page or a feed over HTTP(S), politely and within limits.

One request at a time with a clear User-Agent; connect and read timeouts and a total
deadline; retries with backoff (honouring Retry-After) on 429 and 5xx answers and on
dropped connections; redirects followed up to a limit; the body read up to a size
limit; the charset from the headers, else from the page's own <meta>. Pages are kept
in the shared cache (`suaraberita.cache`), so narrating a URL again does not fetch it
again unless asked to (`refresh`); feeds are fetched with a conditional GET instead.
Every failure is one of our errors naming the URL: `InputError` when the address or
the page is wrong (exit 3), `NetworkError` when the site cannot be reached (exit 9).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from suaraberita import __version__
from suaraberita.errors import InputError, NetworkError
from suaraberita.outside import loads_json, whole_number
from suaraberita.retry import retry_after as seconds_after

if TYPE_CHECKING:
    import requests

    from suaraberita.cache import Cache

USER_AGENT = (
    f"suaraberita/{__version__} (reads one news article aloud for a podcast; "
    "+https://pypi.org/project/suaraberita/)"
)
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("xml", "rss", "atom", "text/plain")  # feeds are served under many types
IMAGE_TYPES = ("image/",)  # an article's picture, in any format ffmpeg may read
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class FetchOptions:
    """How pages are fetched; the defaults suit a news site on a slow connection."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0  # seconds
    read_timeout: float = 30.0
    deadline: float = 90.0  # for the whole fetch, retries included
    retries: int = 3  # more tries after the first, on 429, 5xx and dropped connections
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_redirects: int = 8
    max_bytes: int = 10_000_000
    refresh: bool = False  # fetch again even when the page is cached


@dataclass(frozen=True)
class Fetched:
    """A page as the server gave it (or as the cache kept it)."""

    url: str  # after redirects
    body: bytes
    content_type: str  # "text/html", without parameters
    charset: str | None = None  # as declared by the server or the page
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # 304 to a conditional GET: `body` is empty
    cached: bool = False

    def text(self) -> str:
        """The body decoded: the declared charset, else the page's <meta>, else UTF-8."""
        charset = self.charset or _meta_charset(self.body) or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", errors="replace")


@dataclass
class _Clock:
    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    started: float = field(default=0.0)


def check_url(url: str) -> str:
    """The address, if it is one we may fetch: http(s) with a host."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        scheme = parts.scheme or "no scheme"
        raise InputError(
            f"{url!r} is not a web address suaraberita reads ({scheme})",
            hint="give an http:// or https:// address of a news article, or a file",
        )
    return url.strip()


def fetch(
    url: str,
    options: FetchOptions = FetchOptions(),
    *,
    cache: Cache | None = None,
    accept: tuple[str, ...] = HTML_TYPES,
    etag: str | None = None,
    last_modified: str | None = None,
    session: requests.Session | None = None,
    clock: _Clock | None = None,
) -> Fetched:
    """GET `url`; a cached copy unless `options.refresh`; conditional with `etag` /
    `last_modified` (then nothing is cached and a 304 gives `not_modified`)."""
    url = check_url(url)
    conditional = etag is not None or last_modified is not None
    key = _cache_key(url) if cache is not None and not conditional else None
    if key is not None and cache is not None and not options.refresh:
        kept = _from_cache(cache.get(key))
        if kept is not None:
            return kept
    import requests

    own = session is None
    session = session or requests.Session()
    session.max_redirects = options.max_redirects
    headers = {"User-Agent": options.user_agent, "Accept": _accept_header(accept)}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    clock = clock or _Clock()
    clock.started = clock.now()
    try:
        page = _get(session, url, headers, options, accept, clock)
    finally:
        if own:
            session.close()
    if key is not None and cache is not None and not page.not_modified:
        cache.put(key, _to_cache(page))
    return page


def _get(
    session: requests.Session,
    url: str,
    headers: dict[str, str],
    options: FetchOptions,
    accept: tuple[str, ...],
    clock: _Clock,
) -> Fetched:
    import requests

    attempt = 0
    while True:
        left = options.deadline - (clock.now() - clock.started)
        if left <= 0:
            raise NetworkError(
                f"no answer within {options.deadline:g} s",
                path=url,
                hint="the site is slow or down; try again later",
            )
        timeout = (min(options.connect_timeout, left), min(options.read_timeout, left))
        try:
            response = session.get(url, headers=headers, timeout=timeout, stream=True)
        except requests.TooManyRedirects:
            raise InputError(
                f"too many redirects (more than {options.max_redirects})",
                path=url,
                hint="the site sends the address round in a loop; open it in a browser",
            ) from None
        except (requests.ConnectionError, requests.Timeout) as exc:
            lookup = _name_not_found(exc)  # no use asking again for a name that is not there
            if not lookup and attempt < options.retries and _wait(attempt, None, options, clock):
                attempt += 1
                continue
            raise _unreachable(url, exc) from None
        except requests.RequestException as exc:
            raise InputError(f"the request failed: {exc}", path=url) from None
        with response:
            status = response.status_code
            if (status == 429 or status >= 500) and attempt < options.retries:
                if _wait(attempt, response.headers.get("Retry-After"), options, clock):
                    attempt += 1
                    continue
            return _answer(url, response, options, accept)


def _answer(
    url: str, response: requests.Response, options: FetchOptions, accept: tuple[str, ...]
) -> Fetched:
    status = response.status_code
    final = response.url or url
    if status == 304:
        return Fetched(final, b"", "", not_modified=True, etag=response.headers.get("ETag"))
    if status in (404, 410):
        raise InputError(
            f"the page is not there (HTTP {status})",
            path=final,
            hint="check the address; the article may have been moved or taken down",
        )
    if status == 429 or status >= 500:
        raise NetworkError(
            f"the site answered HTTP {status}", path=final, hint="the site is busy; try again later"
        )
    if status >= 400:
        raise InputError(
            f"the site refused the page (HTTP {status})",
            path=final,
            hint="the page may need a login or block automated readers",
        )
    content_type, charset = _content_type(response.headers.get("Content-Type", ""))
    if content_type and not any(kind in content_type for kind in accept):
        wanted = _WANTED.get(accept, "an RSS or Atom feed")
        raise InputError(
            f"not {wanted} but {content_type}",
            path=final,
            hint="give the address of the article's page itself"
            if accept == HTML_TYPES
            else "give the address of the site's feed (often /rss or /feed)",
        )
    body = _read(response, final, options.max_bytes)
    return Fetched(
        final,
        body,
        content_type or accept[0],
        charset,
        response.headers.get("ETag"),
        response.headers.get("Last-Modified"),
    )


def _read(response: requests.Response, url: str, limit: int) -> bytes:
    declared = whole_number(response.headers.get("Content-Length"))
    if declared is not None and declared > limit:
        raise _too_large(url, limit)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > limit:
            raise _too_large(url, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, limit: int) -> InputError:
    return InputError(
        f"the page is larger than {limit // 1_000_000} MB",
        path=url,
        hint="that is not a news article page",
    )


def _wait(attempt: int, retry_after: str | None, options: FetchOptions, clock: _Clock) -> bool:
    """Sleep before the next try; False when the deadline leaves no room for it."""
    delay = max(options.backoff * 2**attempt, seconds_after(retry_after) or 0.0)
    if clock.now() - clock.started + delay >= options.deadline:
        return False
    clock.sleep(delay)
    return True


def _name_not_found(exc: Exception) -> bool:
    text = str(exc)
    return any(
        sign in text
        for sign in ("Name or service not known", "NameResolution", "nodename nor servname",
                     "No address associated", "getaddrinfo failed", "Temporary failure in name")
    )  # fmt: skip


def _unreachable(url: str, exc: Exception) -> NetworkError:
    host = urlsplit(url).hostname or url
    if _name_not_found(exc):
        reason = f"the name {host} cannot be looked up"
    elif "timed out" in str(exc).lower() or "Timeout" in type(exc).__name__:
        reason = f"{host} did not answer in time"
    else:
        reason = f"{host} cannot be reached"
    return NetworkError(reason, path=url, hint="check the address and the internet connection")


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    match = re.search(r"charset\s*=\s*\"?([\w-]+)", params, re.IGNORECASE)
    return kind.strip().lower(), match[1] if match else None


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match[1].decode("ascii") if match else None


_WANTED = {HTML_TYPES: "a web page", IMAGE_TYPES: "an image"}


def _accept_header(accept: tuple[str, ...]) -> str:
    if accept == HTML_TYPES:
        return "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
    if accept == IMAGE_TYPES:
        return "image/jpeg,image/png;q=0.9,image/*;q=0.8,*/*;q=0.1"
    return "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.1"


def _cache_key(url: str) -> str:
    from suaraberita.cache import cache_key

    return cache_key("web", "1", {}, url, "page")


def _to_cache(page: Fetched) -> bytes:
    head = {"url": page.url, "type": page.content_type, "charset": page.charset}
    return json.dumps(head).encode("utf-8") + b"\n" + page.body


def _from_cache(data: bytes | None) -> Fetched | None:
    if not data:
        return None
    head, _, body = data.partition(b"\n")
    try:
        meta: dict[str, Any] = loads_json(head)
        return Fetched(meta["url"], body, meta["type"], meta.get("charset"), cached=True)
    except (ValueError, KeyError, TypeError):
        return None  # a damaged entry is fetched anew
