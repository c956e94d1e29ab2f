"""Safe file input and output: reads bounded and refusing special files; writes beside
the target, flushed, then renamed over it."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import stat
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from suaraberita.errors import ConfigError, FeedError, SuaraberitaError, space_error
from suaraberita.outside import loads_toml, whole_number
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
            folder = target.parent
            raise space_error(exc, folder) or FeedError(
                f"cannot write here: {exc.strerror}", path=folder
            ) from None
        os.close(fd)
        self._pending.append((Path(name), target))
        return Path(name)

    def write(self, target: Path, data: bytes) -> None:
        temp = self.path(target)
        try:
            temp.write_bytes(data)
        except OSError as exc:
            raise space_error(exc, target.parent) or FeedError(
                f"cannot write {target.name}: {exc.strerror}", path=target
            ) from None

    def source(self, target: Path) -> Path:
        """Where `target`'s newest content is: its staged file, else `target` itself."""
        return next((temp for temp, aim in reversed(self._pending) if aim == target), target)

    def commit(self) -> None:
        """Flush every file, then rename each over its target; what can be found to
        fail (a full disk, a folder in a target's place) fails before the first rename."""
        for temp, target in self._pending:
            try:
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
                os.chmod(temp, 0o644)
            except OSError as exc:  # fsync is where a full disk may show first
                raise space_error(exc, target.parent) or FeedError(
                    f"cannot write {target.name}: {exc}", path=target
                ) from None
            if target.is_dir() and not target.is_symlink():
                problem = f"cannot write {target.name}: a folder is in its place"
                raise FeedError(problem, path=target)
        for temp, target in self._pending:
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise FeedError(f"cannot write {target.name}: {exc}", path=target) from None
        self._pending = []


def atomic_write(target: Path, data: bytes) -> None:
    """Write `data` to `target` so readers see the old file or the new one, never half."""
    with Staging() as staging:
        staging.write(target, data)
        staging.commit()


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def read_bounded(
    path: Path,
    limit: int,
    what: str,
    error: type[SuaraberitaError] = ConfigError,
    advice: str | None = None,
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, else `error` naming the file
    (`advice` is the hint when it is too large). A pipe, device or socket is refused
    before it is read: it could block forever or never end.
    """
    check_regular(path, what, error)
    try:
        # O_NONBLOCK: should the path become a FIFO after the stat, opening cannot hang
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise _unopened(path, exc, what, error) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        _regular(path, info.st_mode, what, error)
        if info.st_size > limit:
            raise _too_large(path, f"{info.st_size:,}", limit, what, error, advice)
        try:
            data = handle.read(limit + 1)  # the file may have grown since
        except OSError as exc:
            raise error(f"cannot read the {what}: {exc.strerror}", path=path) from None
    if len(data) > limit:
        raise _too_large(path, f"more than {limit:,}", limit, what, error, advice)
    return data


def check_regular(path: Path, what: str, error: type[SuaraberitaError] = ConfigError) -> None:
    """Refuse a path that is missing or not a regular file; only its status is read."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise _unopened(path, exc, what, error) from None
    _regular(path, mode, what, error)


def _unopened(
    path: Path, exc: OSError | ValueError, what: str, error: type[SuaraberitaError]
) -> SuaraberitaError:
    if isinstance(exc, FileNotFoundError):
        hint = "the path is misspelt, or the file was moved"
        return error(f"cannot read the {what}: not found (no such file)", path=path, hint=hint)
    if isinstance(exc, PermissionError):
        hint = "the file's permissions do not let you read it"
        return error(f"cannot read the {what}: permission denied", path=path, hint=hint)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return error(f"cannot open the {what}: {reason}", path=path)


def _regular(path: Path, mode: int, what: str, error: type[SuaraberitaError]) -> None:
    for test, kind in _KINDS:
        if test(mode):
            hint = (
                "give the path of a file inside it"
                if test is stat.S_ISDIR
                else "a pipe or device could block or never end; give the path of a saved file"
            )
            raise error(f"the {what} is {kind}, not an ordinary file", path=path, hint=hint)


def _too_large(
    path: Path, size: str, limit: int, what: str, error: type[SuaraberitaError], advice: str | None
) -> SuaraberitaError:
    return error(
        f"the {what} is too large for its limit of {limit:,} bytes ({size} bytes)",
        path=path,
        hint=advice or f"this is probably not a {what}",
    )


def read_toml(path: Path, what: str, limit: int = 1_000_000) -> dict[str, Any]:
    """A TOML file as a table; ConfigError naming the file when it cannot be read."""
    try:
        return loads_toml(read_bounded(path, limit, what).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read the {what}: {exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        hint = "check quotes around text, and '=' between each key and its value"
        raise ConfigError(f"{what} is not valid TOML: {exc}", path=path, hint=hint) from None
    except ValueError as exc:  # nested too deeply, a number of thousands of digits
        hint = f"this is no hand-written {what}; write it again"
        raise ConfigError(f"{what} cannot be read: {exc}", path=path, hint=hint) from None


def clean_leftovers(folder: Path) -> list[Path]:
    """Delete temporary files that killed runs left in `folder`: those of processes that
    no longer run (a live process's file is still being written)."""
    removed = []
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        owner = whole_number(path.name[len(TEMP_PREFIX) :].split("-", 1)[0])
        if owner is not None and alive(owner):
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
        raise space_error(exc, folder) or FeedError(
            f"cannot lock the output folder: {exc.strerror}", path=folder
        ) from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            with held():
                yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
