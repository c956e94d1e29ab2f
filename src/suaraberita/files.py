"""Safe file output: write beside the target, flush, then rename over it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from suaraberita.errors import ConfigError

SLUG_MAX = 80
TEMP_PREFIX = ".suaraberita-tmp-"


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """An ASCII file name stem that cannot leave its folder.

    >>> slugify("Elon Musk Ajak Putin Gabung di Clubhouse!")
    'elon-musk-ajak-putin-gabung-di-clubhouse'
    >>> slugify("../../etc/passwd")
    'etc-passwd'
    >>> slugify("Ré­sumé: Rp1,3 triliun — ‘naik’")
    'resume-rp1-3-triliun-naik'
    >>> slugify("„“")
    'episode'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug or "episode"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`."""
    prefix = f"{TEMP_PREFIX}{os.getpid()}-"  # whose it is, for clean_leftovers
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write(target: Path, data: bytes) -> None:
    """Write `data` to `target` so readers see the old file or the new one, never half."""
    with atomic_path(target) as temp:
        temp.write_bytes(data)


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file as a table; ConfigError naming the file when it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the {what}: {exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        hint = "check quotes around text, and '=' between each key and its value"
        raise ConfigError(f"{what} is not valid TOML: {exc}", path=path, hint=hint) from None


def clean_leftovers(folder: Path) -> list[Path]:
    """Delete temporary files that killed runs left in `folder`: those of processes that
    no longer run (a live process's file is still being written)."""
    removed = []
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        owner = path.name[len(TEMP_PREFIX) :].split("-", 1)[0]
        if owner.isdigit() and alive(int(owner)):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def alive(pid: int) -> bool:
    """Whether a process with this id still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Serialise processes that update the same output folder's store and feed."""
    with open(folder / ".suaraberita.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
