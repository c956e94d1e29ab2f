"""One error hierarchy; the CLI turns these into short messages and exit codes."""

from __future__ import annotations

import errno
from enum import IntEnum
from pathlib import Path


class ExitStatus(IntEnum):
    """Exit codes of the command line tool (documented in the README)."""

    OK = 0
    ERROR = 1  # unexpected failure (a bug): traceback with --debug
    USAGE = 2  # click's own code for bad options
    INPUT = 3  # an article cannot be read or parsed
    CONFIG = 4  # a voice profile or settings file is wrong
    ENGINE = 5  # speech synthesis failed
    AUDIO = 6  # ffmpeg or tagging failed
    FEED = 7  # the episode store or feed cannot be written
    PARTIAL = 8  # a batch where some articles failed
    NETWORK = 9  # an online voice could not be reached and fallback was turned off
    INTERRUPTED = 130  # SIGINT (Ctrl-C): 128 + 2, as a shell reports it
    TERMINATED = 143  # SIGTERM: 128 + 15


class Terminated(BaseException):
    """SIGTERM arrived (see `suaraberita.signals`). Like KeyboardInterrupt it is no
    Exception, so no handler of failures stops it: it unwinds everything."""


class SuaraberitaError(Exception):
    """Base of all errors we expect; message reads 'premise. Probable cause: hint'."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str, path: Path | str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path is not None else self.message
        if self.hint:
            text += f"\nProbable cause: {self.hint}"
        return text


class InputError(SuaraberitaError):
    exit_status = ExitStatus.INPUT


class ConfigError(SuaraberitaError):
    exit_status = ExitStatus.CONFIG


class EngineError(SuaraberitaError):
    exit_status = ExitStatus.ENGINE


class NetworkError(EngineError):
    """An online engine's service cannot be reached or keeps failing (retries exhausted)."""

    exit_status = ExitStatus.NETWORK


class AudioError(SuaraberitaError):
    exit_status = ExitStatus.AUDIO


class FeedError(SuaraberitaError):
    exit_status = ExitStatus.FEED


class NoSpaceError(FeedError):
    """A folder's disk is full, or a quota or file size limit is reached: the output
    cannot be written (nothing is published half). Exit 7, as any output that cannot be
    written; the message says it is space."""


# errno -> (what the message says, what to do)
_NO_SPACE = {
    errno.ENOSPC: (
        "no space left on",
        "the disk is full; free some space on it (or use a folder on another disk: "
        "--output for episodes, XDG_DATA_HOME for voice models)",
    ),
    errno.EDQUOT: (
        "the disk quota is used up on",
        "free some of your files on that disk, or ask for a larger quota",
    ),
    errno.EFBIG: (
        "a file grew past the file size limit in",
        "a limit on file size is set for this shell (ulimit -f), or the file system "
        "takes no larger files",
    ),
}
SPACE_ERRNOS = frozenset(_NO_SPACE)


def no_space(folder: Path | str, code: int = errno.ENOSPC) -> NoSpaceError:
    """The error for a write into `folder` that failed for want of space (`code`: one
    of SPACE_ERRNOS)."""
    premise, hint = _NO_SPACE[code]
    return NoSpaceError(f"{premise} {folder}", hint=hint)


def space_error(exc: BaseException, folder: Path | str) -> NoSpaceError | None:
    """A NoSpaceError for `folder` when `exc`, or the OS error it wraps (as mutagen
    and others do), says there is no room; else None."""
    for error in (exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())[:1]):
        if isinstance(error, OSError) and error.errno in SPACE_ERRNOS:
            return no_space(folder, error.errno)
    return None
