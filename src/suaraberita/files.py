"""Safe file output: write beside the target, flush, then rename over it."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from suaraberita.errors import ConfigError, FeedError
from suaraberita.signals import held

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


def title_key(title: str) -> str:
    """The stem that names an article by its title alone: its slug, with a digest of the
    title when the slug lost letters (another script, emoji), so two such titles never
    share an episode. A Latin title keeps its plain slug, as before.

    >>> title_key("Elon Musk Ajak Putin Gabung di Clubhouse!")
    'elon-musk-ajak-putin-gabung-di-clubhouse'
    >>> title_key("غزة"), title_key("北京"), title_key("🎉")
    ('episode-47c920a82120', 'episode-68c77e155132', 'episode-6146299cd548')
    >>> title_key("Banjir di 北京")
    'banjir-di-4b00f4febc27'
    """
    title = unicodedata.normalize("NFC", " ".join(title.split()))
    slug = slugify(title)
    lost = [c for c in unicodedata.normalize("NFKD", title) if c.isalnum() and not c.isascii()]
    if not lost and any(c.isascii() and c.isalnum() for c in title):
        return slug
    digest = hashlib.sha256(title.encode()).hexdigest()[:12]
    stem = slugify(title, SLUG_MAX - len(digest) - 1)
    return f"{stem}-{digest}"


class Staging:
    """Files written beside their targets under temporary names, then all renamed into
    place at once by `commit` (under the folder lock, so the store, the feed and the
    files change together). Whatever was not committed is removed on exit."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []  # (temporary, target)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        for temp, _target in self._pending:
            temp.unlink(missing_ok=True)
        self._pending = []

    def path(self, target: Path) -> Path:
        """A new empty temporary file beside `target`, to be renamed to it on commit."""
        prefix = f"{TEMP_PREFIX}{os.getpid()}-"  # whose it is, for clean_leftovers
        try:
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=target.suffix, dir=target.parent)
        except OSError as exc:
            raise FeedError(f"cannot write here: {exc.strerror}", path=target.parent) from None
        os.close(fd)
        self._pending.append((Path(name), target))
        return Path(name)

    def write(self, target: Path, data: bytes) -> None:
        temp = self.path(target)
        try:
            temp.write_bytes(data)
        except OSError as exc:
            raise FeedError(f"cannot write {target.name}: {exc.strerror}", path=target) from None

    def commit(self) -> None:
        """Flush every file and rename it over its target."""
        for temp, target in self._pending:
            try:
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
                os.chmod(temp, 0o644)
                os.replace(temp, target)
            except OSError as exc:
                raise FeedError(f"cannot write {target.name}: {exc}", path=target) from None
        self._pending = []


def atomic_write(target: Path, data: bytes) -> None:
    """Write `data` to `target` so readers see the old file or the new one, never half."""
    with Staging() as staging:
        staging.write(target, data)
        staging.commit()


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
    """Serialise processes that update the same output folder's store and feed. A
    SIGTERM or SIGINT that arrives while the lock is held is raised once it is released:
    what is done under it is done whole."""
    try:
        handle = open(folder / ".suaraberita.lock", "a+b")
    except OSError as exc:
        raise FeedError(f"cannot lock the output folder: {exc.strerror}", path=folder) from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            with held():
                yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
