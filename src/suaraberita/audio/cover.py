"""Cover art: the default image shipped with the package, or a user's PNG/JPEG, checked."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from suaraberita.errors import ConfigError

MIN_SIDE, MAX_SIDE = 1400, 3000  # Apple Podcasts' limits for show and episode art


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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the cover image: {exc.strerror}", path=path) from None
    cover = parse_cover(data, path)
    if cover.width != cover.height or not MIN_SIDE <= cover.width <= MAX_SIDE:
        raise ConfigError(
            f"cover is {cover.width}x{cover.height} px",
            path=path,
            hint=f"podcast apps want a square image of {MIN_SIDE} to {MAX_SIDE} px",
        )
    return cover


def parse_cover(data: bytes, path: Path) -> Cover:
    """Size and type from a PNG or JPEG header (no imaging library needed).

    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\0\\0\\0\\rIHDR" + struct.pack(">II", 1400, 1400)
    >>> parse_cover(png + bytes(20), Path("a.png"))[1:] if False else parse_cover(
    ...     png + bytes(20), Path("a.png")).width
    1400
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return Cover(data, "image/png", width, height)
    if data.startswith(b"\xff\xd8"):
        size = _jpeg_size(data)
        if size:
            return Cover(data, "image/jpeg", *size)
    raise ConfigError("cover image is not a PNG or JPEG file", path=path)


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
