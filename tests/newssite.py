"""A stand-in news site on 127.0.0.1: the pages of tests/data/html, over real HTTP.

It speaks what a news site speaks to suaraberita: pages with their content type and
charset, ETag and Last-Modified with conditional GETs (304), redirects, and on chosen
paths the faults a real site has: 404 and 410, a 503 or 429 before the page, a
redirect loop, a PDF, a page too large, an answer that never comes. Every request is
logged, so tests can say what was fetched and how.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HTML = Path(__file__).parent / "data" / "html"
LAST_MODIFIED = formatdate(1_764_000_000, usegmt=True)


@dataclass
class Site:
    url: str
    folder: Path
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)  # path -> statuses to give first
    extra: dict[str, bytes] = field(default_factory=dict)  # path -> body served as it is
    retry_after: str = "0"  # the Retry-After header of a 429

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def count(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            site.requests.append((self.path, dict(self.headers.items())))
            queued = site.failures.get(path)
            if queued:
                status = queued.pop(0)
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", site.retry_after)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if path == "/loop-a":
                return self._redirect("/loop-b")
            if path == "/loop-b":
                return self._redirect("/loop-a")
            if path.startswith("/moved/"):
                return self._redirect("/" + path.removeprefix("/moved/"))
            if path == "/gone":
                return self._empty(410)
            if path == "/slow":
                time.sleep(3)
                return self._empty(200)
            if path == "/report.pdf":
                return self._send(b"%PDF-1.4 not a page", "application/pdf")
            if path == "/huge.html":
                return self._send(b"<html>" + b"x" * 12_000_000, "text/html")
            body = site.extra.get(path)
            if body is None:
                file = (site.folder / path.lstrip("/")).resolve()
                if not file.is_file() or site.folder.resolve() not in file.parents:
                    return self._empty(404)
                body = file.read_bytes().replace(b"{PORT}", site.url.rsplit(":", 1)[1].encode())
            kind = "application/rss+xml" if path.endswith(".xml") else "text/html; charset=utf-8"
            if b'charset="iso-8859-1"' in body[:2000]:
                kind = "text/html"  # the page's own <meta> names its charset
            self._send(body, kind, conditional=True)

        def _send(self, body: bytes, kind: str, conditional: bool = False) -> None:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            tag = self.headers.get("If-None-Match")  # wins over the date, as HTTP says
            since = self.headers.get("If-Modified-Since")
            if conditional and (tag == etag if tag else since == LAST_MODIFIED):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, target: str) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _empty(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


@contextmanager
def news_site(folder: Path = HTML) -> Iterator[Site]:
    """Serve `folder` on a free port of 127.0.0.1 until the block ends."""
    site = Site("", folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
