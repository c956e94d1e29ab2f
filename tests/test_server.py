"""`suaraberita serve` as podcast apps and browsers meet it: the real CLI in a subprocess,
asked with http.client and raw sockets (so '..' reaches the server as written)."""

from __future__ import annotations

import email.utils
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from suaraberita.errors import ExitStatus
from suaraberita.publish.server import Handler, Server, Validators

AUDIO = bytes(range(256)) * 40  # 10240 bytes, every offset recognisable
SECRET = b"rahasia di luar folder"
FILES = {
    "index.html": b"<!doctype html><title>x</title>",
    "ep.html": b"<!doctype html><title>ep</title>",
    "feed.xml": b"<?xml version='1.0'?><rss/>",
    "ep.mp3": AUDIO,
    "ep.vtt": b"WEBVTT\n",
    "ep.srt": b"1\n00:00:00,000 --> 00:00:01,000\nHalo\n",
    "ep.chapters.json": b'{"version": "1.2.0", "chapters": []}',
    "cover.png": b"\x89PNG\r\n\x1a\n",
    "cover.jpg": b"\xff\xd8\xff",
    "assets/site.css": b"body{}",
    "assets/site.js": b"'use strict';",
    "episodes.db": b"SQLite format 3\x00",
    "episodes.db-wal": b"wal",
    ".suaraberita.lock": b"",
    ".suaraberita-tmp-abc.mp3": b"half written",
    ".hidden/x.mp3": b"hidden",
    "notes.txt": b"not a site file",
}
TYPES = {
    "/": "text/html; charset=utf-8",
    "/ep.html": "text/html; charset=utf-8",
    "/feed.xml": "application/rss+xml; charset=utf-8",
    "/ep.mp3": "audio/mpeg",
    "/ep.vtt": "text/vtt; charset=utf-8",
    "/ep.srt": "application/x-subrip; charset=utf-8",
    "/ep.chapters.json": "application/json+chapters",
    "/cover.png": "image/png",
    "/cover.jpg": "image/jpeg",
    "/assets/site.css": "text/css; charset=utf-8",
    "/assets/site.js": "text/javascript; charset=utf-8",
    "/inside.mp3": "audio/mpeg",  # a symlink to a file of the folder
}
# Every file's modification time: a quarter second into the second of Last-Modified.
MODIFIED = "Mon, 30 Nov 2026 08:00:00 GMT"
EARLIER = "Mon, 30 Nov 2026 07:59:59 GMT"
LATER = "Mon, 30 Nov 2026 08:00:01 GMT"


@dataclass(frozen=True)
class Serving:
    port: int
    output: Path
    stdout: str  # the lines printed before serving
    stderr: Path
    process: subprocess.Popen[str]


def _folder(root: Path) -> Path:
    (root / "secret.txt").write_bytes(SECRET)
    (root / "secret.mp3").write_bytes(SECRET)
    output = root / "output"
    for name, data in FILES.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(data)
        mtime = email.utils.parsedate_to_datetime(MODIFIED).timestamp() + 0.25
        os.utime(output / name, (mtime, mtime))
    (output / "leak.mp3").symlink_to(root / "secret.mp3")
    (output / "leak-dir").symlink_to(root)
    (output / "inside.mp3").symlink_to(output / "ep.mp3")
    return output


def _serve(work: Path, *args: str) -> Serving:
    stderr = work / f"serve-{len(list(work.glob('serve-*')))}.err"
    process = subprocess.Popen(
        [sys.executable, "-m", "suaraberita", "serve", "--quiet", *args],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=stderr.open("w"),
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline(), process.stdout.readline()]
    assert lines[0].startswith("Serving "), (lines, stderr.read_text())
    port = int(lines[0].split(" at http://127.0.0.1:", 1)[1].split("/")[0])
    return Serving(port, work / "output", "".join(lines), stderr, process)


def _stop(serving: Serving) -> None:
    if serving.process.poll() is None:
        serving.process.terminate()
        serving.process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    """Serving a folder of sample files, with a base URL somewhere else."""
    work = tmp_path_factory.mktemp("serve")
    _folder(work)
    (work / "kabar.toml").write_text('[podcast]\nbase_url = "https://contoh.id/podcast/"\n')
    serving = _serve(work, "--output", "output", "--port", "0", "--config", "kabar.toml")
    yield serving
    _stop(serving)


@dataclass(frozen=True)
class InProcess:
    port: int
    log: list[str]


@pytest.fixture
def in_process(tmp_path: Path) -> Iterator[InProcess]:
    """A server in this process, for what a subprocess cannot show (its log, a short time-out)."""
    log: list[str] = []
    server = Server(_folder(tmp_path), ("127.0.0.1", 0), log.append)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield InProcess(server.server_address[1], log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _get(
    port: int,
    target: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _raw(port: int, request_line: str) -> tuple[int, bytes]:
    """Send a request line exactly as written; the status and the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"{request_line}\r\nHost: x\r\nConnection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    return int(answer.split(b" ", 2)[1]), answer


def _exchange(port: int, data: bytes) -> list[bytes]:
    """Send bytes exactly as given, then read until the server closes: each answer's status
    line, in order."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return re.findall(rb"HTTP/1\.1 \d{3} [^\r]*", b"".join(chunks))


@pytest.mark.parametrize(("target", "content_type"), TYPES.items())
def test_content_types(server: Serving, target: str, content_type: str) -> None:
    status, headers, body = _get(server.port, target)
    assert status == 200
    assert headers["Content-Type"] == content_type
    name = "index.html" if target == "/" else target.removeprefix("/")
    expected = AUDIO if name == "inside.mp3" else FILES[name]
    assert body == expected
    assert headers["Content-Length"] == str(len(expected))
    assert headers["X-Content-Type-Options"] == "nosniff"


CORS_TARGETS = ("/feed.xml", "/ep.mp3", "/inside.mp3", "/ep.chapters.json", "/ep.vtt", "/ep.srt")
ORIGIN = {"Origin": "https://pemutar.example"}


def test_feed_and_media_allow_any_origin(server: Serving) -> None:
    """In-browser players on other sites read the feed, audio, chapters and transcripts
    (Podcasting 2.0 asks for CORS); pages, styles and scripts stay same-origin."""
    for target in TYPES:
        for method in ("GET", "HEAD"):
            status, headers, _ = _get(server.port, target, method, ORIGIN)
            assert status == 200
            allowed = headers.get("Access-Control-Allow-Origin")
            assert allowed == ("*" if target in CORS_TARGETS else None), (target, method)
            if allowed:
                exposed = headers["Access-Control-Expose-Headers"]
                assert set(exposed.split(", ")) >= {"Content-Range", "Accept-Ranges", "ETag"}


@pytest.mark.parametrize(
    ("headers", "status"),
    [({"Range": "bytes=0-9"}, 206), ({"Range": "bytes=99999-"}, 416)],
)
def test_ranges_allow_any_origin(server: Serving, headers: dict[str, str], status: int) -> None:
    answer = _get(server.port, "/ep.mp3", headers={**ORIGIN, **headers})
    assert answer[0] == status
    assert answer[1]["Access-Control-Allow-Origin"] == "*"


def test_head_answers_like_get_without_a_body(server: Serving) -> None:
    status, headers, body = _get(server.port, "/ep.mp3", "HEAD")
    assert status == 200
    assert body == b""
    assert headers["Content-Length"] == str(len(AUDIO))
    assert headers["Content-Type"] == "audio/mpeg"
    assert headers["Accept-Ranges"] == "bytes"
    assert "ETag" in headers
    assert "Last-Modified" in headers
    # and the connection is still good for the next request
    assert _raw(server.port, "HEAD /ep.mp3 HTTP/1.1")[1].endswith(b"\r\n\r\n")


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=100-199", 100, 199),
        ("bytes=-500", len(AUDIO) - 500, len(AUDIO) - 1),
        ("bytes=100-", 100, len(AUDIO) - 1),
        ("bytes=10000-99999", 10000, len(AUDIO) - 1),
        ("bytes=0-0", 0, 0),
        ("bytes=-99999", 0, len(AUDIO) - 1),
    ],
)
def test_byte_ranges(server: Serving, header: str, first: int, last: int) -> None:
    status, headers, body = _get(server.port, "/ep.mp3", headers={"Range": header})
    assert status == 206
    assert body == AUDIO[first : last + 1]
    assert headers["Content-Range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert headers["Content-Length"] == str(last - first + 1)
    assert headers["Accept-Ranges"] == "bytes"


def test_range_on_head(server: Serving) -> None:
    status, headers, body = _get(server.port, "/ep.mp3", "HEAD", {"Range": "bytes=100-199"})
    assert (status, body) == (206, b"")
    assert headers["Content-Range"] == f"bytes 100-199/{len(AUDIO)}"


@pytest.mark.parametrize("header", [f"bytes={len(AUDIO)}-", "bytes=99999-100000", "bytes=-0"])
def test_unsatisfiable_range(server: Serving, header: str) -> None:
    status, headers, _ = _get(server.port, "/ep.mp3", headers={"Range": header})
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{len(AUDIO)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=9-3", "items=0-5", "bytes=abc"])
def test_ranges_we_do_not_take_send_the_whole_file(server: Serving, header: str) -> None:
    status, _, body = _get(server.port, "/ep.mp3", headers={"Range": header})
    assert (status, body) == (200, AUDIO)


def _tag(server: Serving, target: str = "/ep.mp3") -> str:
    return _get(server.port, target, "HEAD")[1]["ETag"]


def _statuses(server: Serving, target: str, cases: list[dict[str, str]]) -> list[int]:
    return [_get(server.port, target, headers=headers)[0] for headers in cases]


# Headers that describe a body: a 304 has none (RFC 9110 section 15.4.5).
BODY_HEADERS = {"Content-Length", "Content-Type", "Content-Range", "Accept-Ranges"}


@pytest.mark.parametrize("target", ["/feed.xml", "/ep.mp3", "/ep.chapters.json", "/ep.html"])
@pytest.mark.parametrize("condition", ["If-None-Match", "If-Modified-Since"])
def test_not_modified_carries_no_body_headers(server: Serving, target: str, condition: str) -> None:
    """A 304 sent Content-Length: 0, which caches may take for the length of the file."""
    tag = _tag(server, target)
    value = tag if condition == "If-None-Match" else MODIFIED
    request = f"GET {target} HTTP/1.1\r\nHost: x\r\n{condition}: {value}\r\n\r\n"
    answers = _exchange(server.port, request.encode() + FOLLOWING)
    assert answers == [b"HTTP/1.1 304 Not Modified", b"HTTP/1.1 200 OK"]  # no stray body
    status, headers, body = _get(server.port, target, headers={condition: value})
    assert (status, body) == (304, b"")
    assert not BODY_HEADERS & set(headers), headers
    assert headers["ETag"] == tag
    assert headers["Last-Modified"] == MODIFIED
    assert headers.get("Cache-Control") == (None if target == "/ep.mp3" else "no-cache")
    cors = headers.get("Access-Control-Allow-Origin")
    assert cors == (None if target == "/ep.html" else "*")


def test_if_modified_since(server: Serving) -> None:
    """Compared in whole seconds with Last-Modified; an unreadable date is ignored, and so
    is the header when If-None-Match is there."""
    cases = {
        MODIFIED: 304,  # the file's mtime is a quarter second later: still not modified
        LATER: 304,
        "Monday, 30-Nov-26 08:00:00 GMT": 304,
        "Mon Nov 30 08:00:00 2026": 304,
        EARLIER: 200,
        "Mon, 30 Nov 2026 08:00:00": 304,
        "kemarin": 200,
        "Mon, 31 Nov 2026 08:00:00 GMT": 200,
        "": 200,
    }
    asked = [{"If-Modified-Since": value} for value in cases]
    assert _statuses(server, "/ep.mp3", asked) == list(cases.values())
    assert _get(server.port, "/ep.mp3", "HEAD", {"If-Modified-Since": LATER})[0] == 304
    both = {"If-Modified-Since": LATER, "If-None-Match": '"lain"'}
    assert _get(server.port, "/ep.mp3", headers=both)[0] == 200


def test_if_none_match(server: Serving) -> None:
    tag = _tag(server)
    cases = {"*": 304, f'"lain", {tag}': 304, f"W/{tag}": 304, tag: 304, '"lain"': 200, "": 200}
    asked = [{"If-None-Match": value} for value in cases]
    assert _statuses(server, "/ep.mp3", asked) == list(cases.values())
    assert _get(server.port, "/ep.mp3", "HEAD", {"If-None-Match": "*"})[0] == 304


def test_if_match(server: Serving) -> None:
    """Strong comparison: a weak tag never matches; '*' matches any file there is (a missing
    file is 404, as without the condition: RFC 9110 section 13.2.1)."""
    tag = _tag(server)
    cases = {tag: 200, "*": 200, f'"lain", {tag}': 200, '"lain"': 412, f"W/{tag}": 412}
    asked = [{"If-Match": value} for value in cases]
    assert _statuses(server, "/ep.mp3", asked) == list(cases.values())
    assert _get(server.port, "/tiada.mp3", headers={"If-Match": "*"})[0] == 404
    first = {"If-Match": '"lain"', "If-None-Match": tag}  # If-Match is evaluated first
    status, headers, body = _get(server.port, "/ep.mp3", headers=first)
    assert (status, body) == (412, b"412 Precondition Failed\n")
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert _get(server.port, "/ep.mp3", "HEAD", {"If-Match": '"lain"'})[0] == 412


def test_if_unmodified_since(server: Serving) -> None:
    """Ignored when If-Match is there, or when the date cannot be read."""
    tag = _tag(server)
    cases = {EARLIER: 412, MODIFIED: 200, LATER: 200, "kemarin": 200}
    asked = [{"If-Unmodified-Since": value} for value in cases]
    assert _statuses(server, "/feed.xml", asked) == list(cases.values())
    both = {"If-Unmodified-Since": EARLIER, "If-Match": tag}
    assert _get(server.port, "/ep.mp3", headers=both)[0] == 200


def test_if_range(server: Serving) -> None:
    """The range only while the file is the one the client has: its strong ETag, or a date
    exactly Last-Modified; anything else sends the whole file."""
    tag = _tag(server)
    cases = {
        tag: 206,
        MODIFIED: 206,
        '"lama"': 200,
        f"W/{tag}": 200,
        EARLIER: 200,
        LATER: 200,
        "kemarin": 200,
    }
    asked = [{"Range": "bytes=0-9", "If-Range": value} for value in cases]
    answers = [_get(server.port, "/ep.mp3", headers=headers) for headers in asked]
    assert [answer[0] for answer in answers] == list(cases.values())
    for (status, _, body), expected in zip(answers, cases.values(), strict=True):
        assert body == (AUDIO[:10] if expected == 206 else AUDIO)
        assert status == expected


def test_a_date_is_a_strong_validator_once_its_second_is_over() -> None:
    """A file changed twice within one second keeps its Last-Modified: If-Range must not
    splice parts of two versions on a date from the second that is still running."""
    stat = SimpleNamespace(st_mtime_ns=1_000_000_000_250_000_000, st_size=9)
    during = Validators.of(stat, 1_000_000_000.75)
    after = Validators.of(stat, 1_000_000_001.0)
    assert (during.modified, during.strong_date) == (1_000_000_000, False)
    assert (after.modified, after.strong_date) == (1_000_000_000, True)
    ahead = Validators.of(stat, 999_999_990.5)
    assert (ahead.modified, ahead.strong_date) == (999_999_990, False)  # never in the future


ALLOW = "GET, HEAD, OPTIONS"
PREFLIGHT = {
    **ORIGIN,
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "range",
}


def test_cors_preflight(server: Serving) -> None:
    """A player on another site that asks for a range first sends OPTIONS: it got 501."""
    for target in CORS_TARGETS:
        status, headers, body = _get(server.port, target, "OPTIONS", PREFLIGHT)
        assert (status, body) == (204, b""), target
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert headers["Access-Control-Allow-Methods"] == "GET, HEAD"
        assert headers["Access-Control-Allow-Headers"] == "Range"
        assert headers["Allow"] == ALLOW
        assert "Content-Length" not in headers  # never on a 204
    status, headers, _ = _get(server.port, "/ep.html", "OPTIONS", PREFLIGHT)
    assert (status, headers["Allow"]) == (204, ALLOW)
    assert "Access-Control-Allow-Origin" not in headers
    assert _get(server.port, "/tiada.mp3", "OPTIONS", PREFLIGHT)[0] == 404
    status, answer = _raw(server.port, "OPTIONS * HTTP/1.1")
    assert status == 204
    assert f"\r\nAllow: {ALLOW}\r\n".encode() in answer
    options = b"OPTIONS /ep.mp3 HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _exchange(server.port, options + FOLLOWING) == [
        b"HTTP/1.1 204 No Content",
        b"HTTP/1.1 200 OK",
    ]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE"])
def test_methods_that_would_change_the_folder_are_not_allowed(server: Serving, method: str) -> None:
    """They got 501 Not Implemented, as if HTTP had no such method, and no Allow header."""
    status, headers, body = _get(server.port, "/ep.mp3", method)
    assert (status, body) == (405, b"405 Method Not Allowed\n")
    assert headers["Allow"] == ALLOW
    assert _get(server.port, "/tiada.mp3", method)[0] == 405
    assert _get(server.port, "/ep.mp3", "GET")[2] == AUDIO  # untouched


def test_connect_is_not_allowed(server: Serving) -> None:
    status, answer = _raw(server.port, "CONNECT contoh.id:443 HTTP/1.1")
    assert status == 405
    assert f"\r\nAllow: {ALLOW}\r\n".encode() in answer


def test_a_refused_body_is_not_taken_for_the_next_request(server: Serving) -> None:
    """A body we can skip is read and dropped; one we cannot closes the connection."""
    post = f"POST /ep.vtt HTTP/1.1\r\nHost: x\r\nContent-Length: {len(SMUGGLED)}\r\n\r\n"
    answers = _exchange(server.port, post.encode() + SMUGGLED + FOLLOWING)
    assert answers == [b"HTTP/1.1 405 Method Not Allowed", b"HTTP/1.1 200 OK"]
    put = b"PUT /ep.mp3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    answers = _exchange(server.port, put + b"5\r\nhello\r\n0\r\n\r\n" + FOLLOWING)
    assert answers == [b"HTTP/1.1 405 Method Not Allowed"]


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/../secret.mp3",
        "/%2e%2e/secret.mp3",
        "/%2E%2E/secret.mp3",
        "/..%2fsecret.mp3",
        "/%2e%2e%2fsecret.mp3",
        "/assets/../../secret.mp3",
        "/assets/%2e%2e/%2e%2e/secret.mp3",
        "/..%5csecret.mp3",
        "/..\\secret.mp3",
        "//secret.mp3",
        "/%2fsecret.mp3",
        f"/{Path.cwd().anchor}etc/passwd",
        "http://x/../secret.mp3",
        "../secret.mp3",
        "/leak.mp3",  # a symlink pointing outside
        "/leak-dir/secret.mp3",
        "/%252e%252e/secret.mp3",
        "/ep.mp3%00.html",
    ],
)
def test_nothing_outside_the_folder(server: Serving, target: str) -> None:
    status, answer = _raw(server.port, f"GET {target} HTTP/1.1")
    assert status in (400, 403, 404), target
    assert SECRET not in answer


@pytest.mark.parametrize(
    "target",
    [
        "/episodes.db",
        "/episodes.db-wal",
        "/.suaraberita.lock",
        "/.suaraberita-tmp-abc.mp3",
        "/.hidden/x.mp3",
        "/notes.txt",
        "/assets/",
        "/assets",
        "/ep.mp3/",
    ],
)
def test_store_dotfiles_and_folders_are_not_served(server: Serving, target: str) -> None:
    status, answer = _raw(server.port, f"GET {target} HTTP/1.1")
    assert status == 404
    assert b"SQLite" not in answer
    assert b"half written" not in answer
    assert b"<a href" not in answer  # no listing


def test_query_strings_are_ignored(server: Serving) -> None:
    assert _get(server.port, "/ep.mp3?source=app")[2] == AUDIO


def test_prints_the_feed_and_warns_about_the_base_url(server: Serving) -> None:
    assert f"Feed to subscribe to: http://127.0.0.1:{server.port}/feed.xml" in server.stdout
    warning = server.stderr.read_text()
    assert "Warning: podcast.base_url is https://contoh.id/podcast/" in warning
    assert f"http://127.0.0.1:{server.port}/" in warning


def test_matching_base_url_then_ctrl_c(tmp_path: Path) -> None:
    _folder(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "suaraberita.toml").write_text(
        f'[podcast]\nbase_url = "http://localhost:{port}/"\n'
    )
    serving = _serve(tmp_path, "--port", str(port))  # --output defaults to ./output
    try:
        assert f"Feed to subscribe to: http://localhost:{port}/feed.xml" in serving.stdout
        assert _get(port, "/ep.vtt")[0] == 200
        serving.process.send_signal(signal.SIGINT)
        assert serving.process.wait(timeout=10) == ExitStatus.INTERRUPTED
    finally:
        _stop(serving)
    stderr = serving.stderr.read_text()
    assert "Warning" not in stderr
    assert "Traceback" not in stderr
    assert stderr.strip() == "Interrupted."


def test_port_in_use_and_missing_folder(run_cli, server: Serving, tmp_path: Path) -> None:
    taken = run_cli("serve", "-o", str(server.output), "--port", str(server.port))
    assert taken.code == ExitStatus.CONFIG
    assert "cannot listen on 127.0.0.1" in taken.stderr
    assert "Traceback" not in taken.stderr
    missing = run_cli("serve", "-o", str(tmp_path / "nowhere"))
    assert missing.code == ExitStatus.FEED
    assert "nowhere" in missing.stderr


def test_every_request_is_logged_without_quiet(tmp_path: Path) -> None:
    _folder(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "suaraberita", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline().split("127.0.0.1:", 1)[1].split("/")[0])
        assert _get(port, "/ep.mp3", "HEAD")[0] == 200
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert '"HEAD /ep.mp3 HTTP/1.1" 200' in stderr


def test_two_hundred_clients_at_once(server: Serving) -> None:
    """Many connections at once must all be answered: with the default listen backlog of 5
    the kernel dropped SYNs, and clients waited for retries or timed out."""
    count = 200
    start = threading.Barrier(count)
    results: list[int | BaseException] = [ValueError("not run")] * count

    def fetch(index: int) -> None:
        try:
            start.wait(timeout=30)
            status, _, body = _get(server.port, "/ep.vtt", timeout=30)
            assert body == FILES["ep.vtt"]
            results[index] = status
        except BaseException as error:
            results[index] = error

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    failed = [result for result in results if result != 200]
    assert not failed, f"{len(failed)} of {count} failed: {failed[:3]}"


def test_a_slow_client_cannot_hold_its_thread(
    monkeypatch: pytest.MonkeyPatch, in_process: InProcess
) -> None:
    """Slowloris: a header line every 0.2 s kept a thread as long as the client liked, as
    each read had its own time-out; the whole request now has one."""
    monkeypatch.setattr(Handler, "timeout", 1)
    with socket.create_connection(("127.0.0.1", in_process.port), timeout=5) as sock:
        sock.sendall(b"GET /ep.vtt HTTP/1.1\r\n")
        began = time.monotonic()
        closed = False
        while not closed and time.monotonic() - began < 4:
            try:
                sock.sendall(b"X-Slow: yes\r\n")
                sock.settimeout(0.2)
                closed = sock.recv(1024) == b""
            except TimeoutError:
                continue
            except OSError:  # reset: the server closed with our headers unread
                closed = True
        assert closed
        assert time.monotonic() - began < 3


SMUGGLED = b"GET /ep.srt HTTP/1.1\r\nHost: x\r\n\r\n"
FOLLOWING = b"GET /ep.vtt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_body_is_not_taken_for_the_next_request(server: Serving, method: str) -> None:
    """A body of declared length is read and dropped; it was read as a second request."""
    head = f"{method} /ep.vtt HTTP/1.1\r\nHost: x\r\nContent-Length: {len(SMUGGLED)}\r\n\r\n"
    answers = _exchange(server.port, head.encode() + SMUGGLED + FOLLOWING)
    assert answers == [b"HTTP/1.1 200 OK"] * 2


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ("Transfer-Encoding: chunked", b"501"),
        ("Transfer-Encoding: gzip, chunked", b"501"),
        ("Content-Length: 10\r\nTransfer-Encoding: chunked", b"501"),
        ("Content-Length: 99999999", b"413"),
        ("Content-Length: " + "9" * 5000, b"413"),
        ("Content-Length: abc", b"400"),
        ("Content-Length: -1", b"400"),
        ("Content-Length: \u00b2", b"400"),
        ("Content-Length: 5\r\nContent-Length: 6", b"400"),
    ],
)
def test_bodies_we_do_not_take_are_refused_and_the_connection_closed(
    server: Serving, headers: str, status: bytes
) -> None:
    request = f"GET /ep.vtt HTTP/1.1\r\nHost: x\r\n{headers}\r\n\r\n".encode("latin-1")
    answers = _exchange(server.port, request + b"5\r\nhello\r\n0\r\n\r\n" + FOLLOWING)
    assert len(answers) == 1, answers
    assert answers[0].split(b" ")[1] == status


@pytest.mark.parametrize(
    ("header", "status", "content_range"),
    [
        ("bytes=" + "9" * 5000 + "-", b"416", b"bytes */10240"),
        ("bytes=" + "0" * 5000 + "100-199", b"206", b"bytes 100-199/10240"),
        ("bytes=0-" + "9" * 5000, b"206", b"bytes 0-10239/10240"),
        ("bytes=-" + "9" * 5000, b"206", b"bytes 0-10239/10240"),
        ("bytes=" + "9" * 5000 + "-" + "9" * 5001, b"416", b"bytes */10240"),
    ],
)
def test_ranges_with_thousands_of_digits(
    server: Serving, header: str, status: bytes, content_range: bytes
) -> None:
    """int() raises past 4,300 digits: the server hung up without an answer."""
    _, answer = _raw(server.port, f"GET /ep.mp3 HTTP/1.1\r\nRange: {header}")
    assert answer.split(b" ")[1] == status
    assert b"\r\nContent-Range: " + content_range + b"\r\n" in answer


@pytest.mark.parametrize(
    "target",
    ["/\x1b[2J\x1b]0;owned\x07.mp3", "/\x9b31m.mp3", "/%1b[2J.mp3", "/\u202egpj.mp3"],
)
def test_the_log_cannot_drive_the_terminal(in_process: InProcess, target: str) -> None:
    """Escape sequences in a request were written to the terminal as they came."""
    line = f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    assert _exchange(in_process.port, line.encode("utf-8")) == [b"HTTP/1.1 404 Not Found"]
    (logged,) = in_process.log
    assert "404" in logged
    assert not re.search("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", logged)
    assert "\\x" in logged or "%1b" in logged  # shown, not dropped


def _head(*lines: str) -> bytes:
    return "".join(f"{line}\r\n" for line in ("GET /ep.mp3 HTTP/1.1", *lines, "")).encode("latin-1")


ODD_REQUESTS = {
    "raw NUL": (b"GET /ep\x00.mp3 HTTP/1.1\r\n\r\n", b"404"),
    "not UTF-8": (b"GET /%ff%fe.mp3 HTTP/1.1\r\n\r\n", b"404"),
    "surrogate": (b"GET /%ed%a0%80.mp3 HTTP/1.1\r\n\r\n", b"404"),
    "30,000 folders": (b"GET /" + b"a/" * 30000 + b"x.mp3 HTTP/1.1\r\n\r\n", b"404"),
    "name too long": (b"GET /" + b"a" * 60000 + b".mp3 HTTP/1.1\r\n\r\n", b"404"),
    "line too long": (b"GET /" + b"a" * 70000 + b".mp3 HTTP/1.1\r\n\r\n", b"414"),
    "150 headers": (_head(*(f"X-{i}: y" for i in range(150))), b"431"),
    "60,000 tags": (_head("If-None-Match: " + "," * 60000), b"200"),
    "date of digits": (_head("If-Modified-Since: " + "9" * 5000), b"200"),
    "impossible date": (_head("If-Modified-Since: Tue, 99 Foo 99999999999 99:99:99 GMT"), b"200"),
    "controls as date": (_head("If-Unmodified-Since: \x00\x01"), b"200"),
    "If-Range date": (_head("Range: bytes=0-1", "If-Range: Tue, 01 Dec 2026 00:00:00 GMT"), b"200"),
    "superscript digits": (_head("Range: bytes=\u00b2-\u00b3"), b"200"),
    "10,000 ranges": (_head("Range: bytes=" + "0-1," * 10000 + "0-1"), b"200"),
    "signed length": (_head("Content-Length: +5"), b"400"),
    "HTTP/1.0 chunked": (
        b"GET /ep.mp3 HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"501",
    ),
}


@pytest.mark.parametrize(("request_bytes", "status"), ODD_REQUESTS.values(), ids=ODD_REQUESTS)
def test_odd_requests_get_an_answer(server: Serving, request_bytes: bytes, status: bytes) -> None:
    """Whatever a client puts in the path or headers gets one answer, never a hang-up."""
    answers = _exchange(server.port, request_bytes)
    assert [answer.split(b" ")[1] for answer in answers] == [status]
