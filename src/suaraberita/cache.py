"""Content-addressed cache of synthesised audio, shared by all engines and episodes.

An entry is one unit an engine produced: a Google piece (the MP3 bytes the server sent:
a tenth of the size of its PCM, exactly what was received, and checked by decoding
before it is stored) or an espeak utterance (a WAV file). The key is a hash of the
engine, its version, the voice settings that change the sound, and the text, so a new
engine build or another voice never reuses stale audio, and the same text narrated into
another output folder is never synthesised again.

Entries are written to a temporary file in their own folder and renamed into place, so
a reader (another process, or a narration interrupted and run again) sees a whole entry
or none. No fsync: a damaged entry after a power cut fails to decode and is fetched again.

The cache is kept under a size limit (`SUARABERITA_CACHE_LIMIT`, in MB): reading an
entry marks it used, and `trim` deletes the entries used longest ago.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from suaraberita.errors import ConfigError
from suaraberita.outside import quantity

CACHE_ENV = "SUARABERITA_CACHE"
LIMIT_ENV = "SUARABERITA_CACHE_LIMIT"
DEFAULT_LIMIT_MB = 1000  # about 6 hours of espeak speech, or days of Google's
LAYOUT = "v1"  # bump when the file layout or the key recipe changes
_ENTRY = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]{1,8}$")
_TEMP_PREFIX = ".tmp-"
_SIZE_UNITS = {"": 1_000_000, "mb": 1_000_000, "gb": 1_000_000_000}  # no unit: MB


def default_cache_dir(env: Mapping[str, str]) -> Path:
    """`SUARABERITA_CACHE` if set, else the user cache folder (honours XDG_CACHE_HOME)."""
    override = env.get(CACHE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("suaraberita", appauthor=False))


def cache_limit(env: Mapping[str, str]) -> int:
    """The size limit in bytes: `SUARABERITA_CACHE_LIMIT` megabytes (or
    with a unit, MB or GB), else 1000 MB.

    >>> cache_limit({LIMIT_ENV: "250"}), cache_limit({LIMIT_ENV: "2GB"})
    (250000000, 2000000000)
    """
    text = env.get(LIMIT_ENV, "").strip()
    if not text:
        return DEFAULT_LIMIT_MB * 1_000_000
    size = quantity(text, _SIZE_UNITS)
    if size is None or size < 1_000_000:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise ConfigError(
            f"{LIMIT_ENV} must be a whole number of megabytes (or with MB or GB), at least "
            f"1 MB, not {shown!r}",
            hint=f"for example {LIMIT_ENV}=2000, or unset it for {DEFAULT_LIMIT_MB} MB",
        )
    return size


def cache_key(
    engine: str, version: str, settings: Mapping[str, object], text: str, kind: str
) -> str:
    """The name of an entry: a hash of everything that decides the sound, plus its type.

    >>> key = cache_key("gtts", "gtts 2.5.4", {"lang": "id"}, "Selamat pagi.", "mp3")
    >>> len(key), key.endswith(".mp3")
    (68, True)
    >>> key == cache_key("gtts", "gtts 2.5.4", {"lang": "id"}, "Selamat pagi.", "mp3")
    True
    >>> key == cache_key("gtts", "gtts 2.5.5", {"lang": "id"}, "Selamat pagi.", "mp3")
    False
    """
    recipe = json.dumps(
        {"engine": engine, "version": version, "settings": dict(settings), "text": text},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return f"{hashlib.sha256(recipe.encode('utf-8')).hexdigest()}.{kind}"


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    size: int  # bytes


class Cache:
    """Entries under `root`/v1/<first two hex digits>/<key>, at most `limit` bytes of
    them after each `trim`."""

    def __init__(self, root: Path, limit: int = DEFAULT_LIMIT_MB * 1_000_000) -> None:
        self.root = root
        self.limit = limit
        self._base = root / LAYOUT
        self.write_error: OSError | None = None  # the first failed write, if any

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Cache:
        """The cache the environment names (folder and limit)."""
        return cls(default_cache_dir(env), cache_limit(env))

    def _path(self, key: str) -> Path:
        if not _ENTRY.match(key):
            raise ValueError(f"not a cache key: {key!r}")
        return self._base / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The entry's bytes, or None when it is not cached. The entry is marked used
        (its time set to now), so `trim` keeps it over older ones."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):  # a read-only cache still serves
            os.utime(path)
        return data

    def __contains__(self, key: str) -> bool:
        return self._path(key).is_file()

    def put(self, key: str, data: bytes) -> None:
        """Store an entry atomically. A cache that cannot be written only costs speed:
        the error is kept in `write_error` and narration goes on."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(name, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(name)
                raise
        except OSError as exc:
            if self.write_error is None:
                self.write_error = exc

    def discard(self, key: str) -> None:
        """Forget one entry (for example one that no longer decodes)."""
        with contextlib.suppress(OSError):
            self._path(key).unlink()

    def _files(self) -> Iterator[os.DirEntry[str]]:
        try:
            folders = list(os.scandir(self._base))
        except OSError:
            return
        for folder in folders:
            if not (folder.is_dir(follow_symlinks=False) and len(folder.name) == 2):
                continue
            with contextlib.suppress(OSError):
                for entry in os.scandir(folder.path):
                    if entry.is_file(follow_symlinks=False) and (
                        _ENTRY.match(entry.name) or entry.name.startswith(_TEMP_PREFIX)
                    ):
                        yield entry

    def info(self) -> CacheInfo:
        entries = size = 0
        for entry in self._files():
            if entry.name.startswith(_TEMP_PREFIX):
                continue
            entries += 1
            with contextlib.suppress(OSError):
                size += entry.stat(follow_symlinks=False).st_size
        return CacheInfo(self.root, entries, size)

    def trim(self) -> int:
        """Delete the entries used longest ago until the rest fit in the limit; return
        how many went. Files being written (temporary names) are left alone."""
        entries = []
        for entry in self._files():
            if entry.name.startswith(_TEMP_PREFIX):
                continue
            with contextlib.suppress(OSError):
                stat = entry.stat(follow_symlinks=False)
                entries.append((stat.st_mtime_ns, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries):
            if total <= self.limit:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed += 1
            total -= size  # gone, or another process removed it first
        return removed

    def clear(self) -> int:
        """Delete every entry (and leftover temporary file); return how many entries.

        Only files this cache wrote are removed, so a cache folder pointed at a folder
        that holds other files never loses them.
        """
        removed = 0
        for entry in list(self._files()):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                if not entry.name.startswith(_TEMP_PREFIX):
                    removed += 1
        with contextlib.suppress(OSError):
            for folder in os.scandir(self._base):
                with contextlib.suppress(OSError):
                    os.rmdir(folder.path)  # only empty ones go
            os.rmdir(self._base)
        return removed
