"""A stand-in for Piper's voice repository on 127.0.0.1: a `voices.json` catalogue and
the files it describes, over real HTTP with byte ranges, and the faults a download meets
on demand: a connection cut half-way through the body or going silent there, 404, 403,
a 503, a redirect (as to a CDN), a server that ignores Range (and then cuts too), a
slow line. Every request is logged with its Range header.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL = "id_ID-news_tts-medium"
FOLDER = "id/id_ID/news_tts/medium"
CARD = b"# Model card for id_ID-news_tts-medium (test stand-in)\n\n* License: CC0 stand-in\n"


def stand_in_files(size: int = 300_000) -> dict[str, bytes]:
    """Small files in the places the real voice's files have: the network (random
    bytes, so no two ranges look alike), its config and its model card."""
    network = random.Random(16).randbytes(size)
    config = json.dumps({"audio": {"sample_rate": 22050}, "espeak": {"voice": "id"}}).encode()
    return {
        f"{FOLDER}/{MODEL}.onnx": network,
        f"{FOLDER}/{MODEL}.onnx.json": config,
        f"{FOLDER}/MODEL_CARD": CARD,
    }


def catalogue(files: dict[str, bytes], model: str = MODEL) -> dict[str, object]:
    described = {
        path: {"size_bytes": len(body), "md5_digest": hashlib.md5(body).hexdigest()}
        for path, body in files.items()
    }
    return {model: {"key": model, "language": {"code": "id_ID"}, "files": described}}


@dataclass
class Repo:
    """The stand-in's state; tests change `files`, `catalogue` and `faults` as they go."""

    url: str = ""
    files: dict[str, bytes] = field(default_factory=stand_in_files)
    catalogue: bytes | None = None  # served as voices.json; None: made from `files`
    faults: dict[str, list[str]] = field(default_factory=dict)  # path -> faults, first first
    delay: float = 0.0  # seconds between two chunks of a body (a slow line)
    stall: float = 3.0  # seconds a "stall" waits after half the body
    requests: list[tuple[str, str | None, int]] = field(default_factory=list)  # path, Range, status
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, path: str) -> list[tuple[str | None, int]]:
        """(Range header, status) of each request for `path`."""
        return [(rng, status) for seen, rng, status in self.requests if seen == path]

    def fault(self, path: str, *faults: str) -> None:
        self.faults.setdefault(path, []).extend(faults)


def _handler(repo: Repo) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0].lstrip("/")
            wanted = self.headers.get("Range")
            with repo.lock:
                queued = repo.faults.get(path)
                fault = queued.pop(0) if queued else ""
            if path == "voices.json":
                body = repo.catalogue or json.dumps(catalogue(repo.files)).encode()
            elif path in repo.files:
                body = repo.files[path]
            else:
                return self._status(path, wanted, 404)
            if fault in ("404", "403", "503"):
                return self._status(path, wanted, int(fault))
            if fault == "redirect":  # as Hugging Face sends a model file to its CDN
                repo.requests.append((path, wanted, 302))
                self.send_response(302)
                self.send_header("Location", f"{repo.url}/{path}?from=redirect")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            start = _range_start(wanted)
            if start is None or fault.startswith("ignore-range"):
                return self._body(path, wanted, 200, body, fault, None)
            if start >= len(body):
                return self._status(path, wanted, 416, f"bytes */{len(body)}")
            return self._body(path, wanted, 206, body[start:], fault, (start, len(body)))

        def _status(self, path: str, wanted: str | None, status: int, extent: str = "") -> None:
            repo.requests.append((path, wanted, status))
            self.send_response(status)
            if extent:
                self.send_header("Content-Range", extent)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _body(
            self,
            path: str,
            wanted: str | None,
            status: int,
            body: bytes,
            fault: str,
            extent: tuple[int, int] | None,
        ) -> None:
            repo.requests.append((path, wanted, status))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Type", "application/octet-stream")
            if extent is not None:
                start, total = extent
                self.send_header("Content-Range", f"bytes {start}-{total - 1}/{total}")
            self.end_headers()
            if fault in ("drop", "stall", "ignore-range-drop"):  # half the body, then a cut
                body = body[: len(body) // 2]
            elif fault == "drop-at-once":  # the head, then nothing
                body = b""
            for offset in range(0, len(body), 32_768):
                if repo.delay:
                    time.sleep(repo.delay)
                try:
                    self.wfile.write(body[offset : offset + 32_768])
                except OSError:
                    return
            if fault == "stall":  # a line that stops carrying anything
                self.wfile.flush()
                time.sleep(repo.stall)
            if "drop" in fault:
                self.close_connection = True

    return Handler


def _range_start(header: str | None) -> int | None:
    match = re.fullmatch(r"bytes=([0-9]+)-", header or "")
    return int(match[1]) if match else None


@contextmanager
def serve(repo: Repo | None = None) -> Iterator[Repo]:
    repo = repo or Repo()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(repo))
    server.daemon_threads = True
    repo.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield repo
    finally:
        server.shutdown()
        server.server_close()
