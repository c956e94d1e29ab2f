"""Cover art: the default image shipped with the package, or a user's PNG/JPEG, checked."""

from __future__ import annotations

import struct
import subprocess
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from suaraberita.errors import AudioError, ConfigError
from suaraberita.files import read_bounded
from suaraberita.sound import ffmpeg_hint, ffmpeg_path, start_error

MIN_SIDE, MAX_SIDE = 1400, 3000  # Apple Podcasts' limits for show and episode art
# goes into every MP3 as well as the feed: a 3000 px JPEG is ~1-3 MB, a PNG a few more
MAX_BYTES = 10_000_000
_PNG = b"\x89PNG\r\n\x1a\n"
# bytes of art in each MP3: a larger image is carried as a 1400 px JPEG (a few hundred kB)
EMBED_MAX = 1_000_000


@dataclass(frozen=True)
class Cover:
    data: bytes
    mime: str  # image/png or image/jpeg
    width: int
    height: int

    @property
    def extension(self) -> str:
        return ".png" if self.mime == "image/png" else ".jpg"


def default_cover() -> Cover:
    """The package's own 1400x1400 PNG (made by scripts/make-cover.sh)."""
    data = (files("suaraberita.audio") / "data" / "cover.png").read_bytes()
    return parse_cover(data, Path("cover.png"))


def load_cover(path: Path) -> Cover:
    """Read and check a cover image; errors name the file and what is wrong."""
    advice = "save the image smaller (a 1400 px JPEG is a few hundred kB)"
    cover = parse_cover(read_bounded(path, MAX_BYTES, "cover image", advice=advice), path)
    if cover.width != cover.height or not MIN_SIDE <= cover.width <= MAX_SIDE:
        raise ConfigError(
            f"cover is {cover.width}x{cover.height} px",
            path=path,
            hint=f"podcast apps want a square image of {MIN_SIDE} to {MAX_SIDE} px",
        )
    return cover


def for_embedding(cover: Cover, ffmpeg: str | None = None) -> Cover:
    """The cover as every episode's MP3 carries it: as it is when small, else scaled by
    ffmpeg to a 1400 px JPEG (the feed still links the image itself)."""
    if len(cover.data) <= EMBED_MAX:
        return cover
    return _to_jpeg(cover.data, f"scale={MIN_SIDE}:{MIN_SIDE}", "scale the cover image", ffmpeg)


def fit_art(data: bytes, ffmpeg: str | None = None) -> Cover:
    """An article's image as an episode's, within Apple's rules: as it is when it is a
    square PNG or JPEG of 1400-3000 px, else (any size, shape or format ffmpeg reads) a
    1400 px JPEG that covers the square, centre-cropped as news pictures are."""
    try:
        cover = parse_cover(data, Path("image"))
    except ConfigError:
        cover = None  # WebP, GIF, ...: ffmpeg may still read it
    if cover is not None and cover.width == cover.height and MIN_SIDE <= cover.width <= MAX_SIDE:
        return cover
    side = f"{MIN_SIDE}:{MIN_SIDE}"
    fitted = f"scale={side}:force_original_aspect_ratio=increase,crop={side},setsar=1"
    return _to_jpeg(data, fitted, "fit the article's image", ffmpeg)


def _to_jpeg(data: bytes, filters: str, doing: str, ffmpeg: str | None) -> Cover:
    """One image through an ffmpeg filter chain into a JPEG, checked; errors say `doing`."""
    binary = ffmpeg or ffmpeg_path()
    scale = ["-vf", filters, "-frames:v", "1", "-q:v", "3"]
    args = [binary, "-v", "error", "-i", "pipe:0", *scale, "-f", "image2pipe", "-c:v", "mjpeg"]
    try:
        proc = subprocess.run(
            [*args, "pipe:1"], input=data, capture_output=True, timeout=120, check=False
        )
    except OSError as exc:
        raise start_error(binary, exc) from None
    except subprocess.TimeoutExpired:
        raise AudioError(f"ffmpeg took too long to {doing}") from None
    if proc.returncode != 0 or not proc.stdout:
        said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = said[-1] if said else f"exit status {proc.returncode}"
        raise AudioError(f"ffmpeg could not {doing}: {reason}", hint=ffmpeg_hint(binary))
    try:
        return parse_cover(proc.stdout, Path("cover.jpg"))
    except ConfigError:
        message = f"ffmpeg made no JPEG when asked to {doing}"
        raise AudioError(message, hint=ffmpeg_hint(binary)) from None


def parse_cover(data: bytes, path: Path) -> Cover:
    """Size and type from a PNG or JPEG header (no imaging library needed); the file's
    structure is walked to its end mark, so a header glued to other data is refused.

    >>> header = b"\\0\\0\\0\\rIHDR" + struct.pack(">II", 1400, 1400) + bytes(5 + 4)
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + header + b"\\0\\0\\0\\0IEND" + bytes(4)
    >>> parse_cover(png, Path("a.png")).width
    1400
    >>> parse_cover(png + bytes(20), Path("a.png"))
    Traceback (most recent call last):
    suaraberita.errors.ConfigError: a.png: cover image is not a PNG or JPEG file...
    """
    if data.startswith(_PNG) and data[12:16] == b"IHDR" and _png_whole(data):
        width, height = struct.unpack(">II", data[16:24])
        return Cover(data, "image/png", width, height)
    if data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9"):
        size = _jpeg_size(data)
        if size:
            return Cover(data, "image/jpeg", *size)
    raise ConfigError(
        "cover image is not a PNG or JPEG file",
        path=path,
        hint="it is another format, cut short, or has other data after the image; save it again",
    )


def _png_whole(data: bytes) -> bool:
    """The chunks (length, type, data, CRC) run from the signature to IEND, the last
    bytes of the file."""
    at = len(_PNG)
    while at + 12 <= len(data):
        length: int = struct.unpack(">I", data[at : at + 4])[0]
        kind = data[at + 4 : at + 8]
        at += 12 + length
        if kind == b"IEND":
            return at == len(data)
    return False


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first start-of-frame marker."""
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None
