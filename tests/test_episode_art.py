"""Each item's itunes:image: the article's image, fetched from a stand-in server on
127.0.0.1, checked and fitted to Apple's rules (a 1400-3000 px square JPEG or PNG) into
the output folder; when it cannot be had, a warning and the show's cover."""

from __future__ import annotations

import io
import socket
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import podcastparser
import pytest

from suaraberita.audio.cover import parse_cover
from suaraberita.sound import ffmpeg_path
from tests.test_feedcheck import READY

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
BASE = "https://kabarpesisir.id/podcast/"
SLUG = "banjir-rob-di-pesisir"
Served = dict[str, tuple[int, str, bytes]]  # path -> status, content type, body
SEEN: list[str] = []  # the paths the stand-in server was asked for


_BODY = " ".join(["Warga desa memperbaiki jembatan bambu itu bersama-sama sejak pagi."] * 3)
PAGE = f"""<!doctype html><html><head><title>Jembatan Desa Diperbaiki</title>
<meta property="og:image" content="/wide.png">
</head><body><article><h1>Jembatan Desa Diperbaiki</h1><p>{_BODY}</p><p>{_BODY}</p>
</article></body></html>""".encode()


def _image(tmp: Path, name: str, size: str) -> bytes:
    """A one-colour picture made by ffmpeg (PNG or JPEG by its name)."""
    path = tmp / name
    colour = ["-f", "lavfi", "-i", f"color=c=red:s={size}"]
    subprocess.run(
        [ffmpeg_path(), "-v", "error", *colour, "-frames:v", "1", "-y", str(path)],
        check=True,
        timeout=60,
    )
    return path.read_bytes()


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> Served:
    tmp = tmp_path_factory.mktemp("images")
    return {
        "/wide.png": (200, "image/png", _image(tmp, "wide.png", "800x600")),
        "/square.jpg": (200, "image/jpeg", _image(tmp, "square.jpg", "1500x1500")),
        "/page.jpg": (200, "text/html", b"<!doctype html><p>bukan gambar</p>"),
        "/huge.jpg": (200, "image/jpeg", bytes(20_000_000)),
        "/broken.png": (200, "image/png", b"\x89PNG\r\n\x1a\n not really"),
        "/berita/jembatan.html": (200, "text/html; charset=utf-8", PAGE),
    }


@pytest.fixture(scope="module")
def server(images: Served) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            SEEN.append(self.path)
            status, kind, body = images.get(self.path, (404, "text/plain", b"tidak ada"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:  # the client stopped reading a body too large
                pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _nothing_listens() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/foto.jpg"


def _narrate(run_cli, tmp_path: Path, image: str) -> tuple[int, str]:
    (tmp_path / "suaraberita.toml").write_text(READY, encoding="utf-8")
    article = f"---\nimage: {image}\n---\n# Banjir Rob di Pesisir\n\nAir laut merendam rumah.\n"
    (tmp_path / "a.md").write_text(article, encoding="utf-8")
    result = run_cli("narrate", "-q", "--voice", "id-espeak", "a.md")
    return result.code, result.stderr


def _item_image(output: Path) -> str | None:
    item = ET.parse(output / "feed.xml").getroot().find("channel/item")
    assert item is not None
    image = item.find(f"{ITUNES}image")
    return None if image is None else image.get("href")


def test_a_wide_png_becomes_a_1400_px_square_jpeg(server: str, run_cli, tmp_path: Path) -> None:
    code, stderr = _narrate(run_cli, tmp_path, f"{server}/wide.png")
    assert code == 0, stderr
    assert "Warning" not in stderr
    output = tmp_path / "output"
    art = parse_cover((output / f"{SLUG}.jpg").read_bytes(), Path(f"{SLUG}.jpg"))
    assert (art.mime, art.width, art.height) == ("image/jpeg", 1400, 1400)
    xml = (output / "feed.xml").read_bytes()
    assert _item_image(output) == f"{BASE}{SLUG}.jpg"
    [entry] = feedparser.parse(xml).entries
    assert entry.image.href == f"{BASE}{SLUG}.jpg"
    parsed = podcastparser.parse(f"{BASE}feed.xml", io.BytesIO(xml))
    assert parsed["episodes"][0]["episode_art_url"] == f"{BASE}{SLUG}.jpg"
    check = run_cli("feed", "check")
    assert check.code == 0, check.stdout
    assert "no problems found" in check.stdout
    assert f'src="{SLUG}.jpg"' in (output / f"{SLUG}.html").read_text(encoding="utf-8")

    # the image is one of the episode's files: deleted, it is made again; removed with it
    (output / f"{SLUG}.jpg").unlink()
    again = run_cli("narrate", "-q", "--voice", "id-espeak", "a.md")
    assert again.code == 0, again.stderr
    assert (output / f"{SLUG}.jpg").is_file()
    removed = run_cli("feed", "remove", SLUG)
    assert removed.code == 0, removed.stderr
    assert not list(output.glob(f"{SLUG}.*"))


def test_a_web_page_s_og_image_is_fetched_once(server: str, run_cli, tmp_path: Path) -> None:
    (tmp_path / "suaraberita.toml").write_text(READY, encoding="utf-8")
    url = f"{server}/berita/jembatan.html"
    first = run_cli("narrate", "-q", "--voice", "id-espeak", url)
    assert first.code == 0, first.stderr
    output = tmp_path / "output"
    [art] = output.glob("*.jpg")
    assert _item_image(output) == BASE + art.name
    fetched = SEEN.count("/wide.png")
    again = run_cli("narrate", "-q", "--voice", "id-espeak", "--force", url)
    assert again.code == 0, again.stderr
    assert SEEN.count("/wide.png") == fetched  # kept in the cache, as the page is
    assert [path.name for path in output.glob("*.jpg")] == [art.name]


def test_a_square_1500_px_jpeg_is_kept_as_it_is(
    server: str, images: Served, run_cli, tmp_path: Path
) -> None:
    code, stderr = _narrate(run_cli, tmp_path, f"{server}/square.jpg")
    assert code == 0, stderr
    output = tmp_path / "output"
    assert (output / f"{SLUG}.jpg").read_bytes() == images["/square.jpg"][2]
    assert _item_image(output) == f"{BASE}{SLUG}.jpg"

    # the article loses its image: so does the episode, and the file goes
    (tmp_path / "a.md").write_text("# Banjir Rob di Pesisir\n\nAir laut merendam rumah.\n")
    again = run_cli("narrate", "-q", "--voice", "id-espeak", "a.md")
    assert again.code == 0, again.stderr
    assert _item_image(output) == f"{BASE}cover.png"
    assert not (output / f"{SLUG}.jpg").exists()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/missing.jpg", "HTTP 404"),
        ("/page.jpg", "not an image but text/html"),
        ("/huge.jpg", "larger than 10 MB"),
        ("/broken.png", "ffmpeg could not fit"),
        ("unreachable", "cannot be reached"),
    ],
)
def test_an_image_that_cannot_be_had_leaves_the_show_cover(
    server: str, run_cli, tmp_path: Path, path: str, words: str
) -> None:
    url = _nothing_listens() if path == "unreachable" else server + path
    code, stderr = _narrate(run_cli, tmp_path, url)
    assert code == 0, stderr
    [warning] = [line for line in stderr.splitlines() if line.startswith("Warning:")]
    assert "image" in warning
    assert words in warning
    output = tmp_path / "output"
    assert _item_image(output) == f"{BASE}cover.png"
    assert not list(output.glob(f"{SLUG}.jpg")) + list(output.glob(f"{SLUG}.png"))
    check = run_cli("feed", "check")
    assert check.code == 0, check.stdout


def test_no_image_no_download_and_a_foreign_file_is_kept(
    server: str, run_cli, tmp_path: Path
) -> None:
    """Without an image the show's cover; a <slug>.jpg the user put there is never
    overwritten (the episode takes another slug)."""
    output = tmp_path / "output"
    output.mkdir()
    (output / f"{SLUG}.jpg").write_bytes(b"foto saya")
    code, stderr = _narrate(run_cli, tmp_path, f"{server}/wide.png")
    assert code == 0, stderr
    assert (output / f"{SLUG}.jpg").read_bytes() == b"foto saya"
    assert _item_image(output) == f"{BASE}{SLUG}-2.jpg"

    asked = len(SEEN)
    (tmp_path / "b.md").write_text("# Tanpa Gambar\n\nHanya teks saja.\n", encoding="utf-8")
    plain = run_cli("narrate", "-q", "--voice", "id-espeak", "b.md")
    assert plain.code == 0, plain.stderr
    assert "Warning" not in plain.stderr
    assert len(SEEN) == asked
    assert not list(output.glob("tanpa-gambar.*g"))
