"""SIGTERM and SIGINT as exceptions (Terminated, KeyboardInterrupt) that unwind the work,
so temporary files are removed and ffmpeg stopped on the way out.

Where unwinding half-way would do harm, a signal waits until the block ends (`held`):
while the output folder's lock is held (the store, the files and the feed change together
or not at all), while ffmpeg is being started (so it is known, and ended too), and while
espeak-ng speaks (an exception in its callback would be lost). A batch worker that is not
narrating has nothing to undo and ends at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import NoReturn, TypeVar

from suaraberita.errors import ExitStatus, Terminated

T = TypeVar("T")
SIGNALS = (signal.SIGTERM, signal.SIGINT)
PR_SET_PDEATHSIG = 1  # linux/prctl.h

_held = 0  # depth of `held` blocks (main thread only: signals are handled there)
_pending: list[int] = []  # signals that arrived while held
_unwind = True  # False in an idle batch worker: it ends at once
_worker = False  # a batch worker: its parent ends it if unwinding takes too long
_stopping = False  # a stop is unwinding: another signal must not cut its clean-up short


def _stop_for(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated()


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    global _stopping
    if _held:
        _pending.append(signum)
    elif not _unwind:
        os._exit(128 + signum)
    elif _stopping:
        # asked again (the pool terminates workers it thinks broken; a second Ctrl-C): a
        # worker goes on unwinding, its parent waits for it; a user means "now"
        if not _worker:
            os._exit(128 + signum)
    else:
        _stopping = True
        raise _stop_for(signum)


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """SIGTERM and SIGINT raise while the block runs (then the handlers before it are
    back). Outside the main thread, where Python cannot set handlers, nothing changes."""
    global _stopping
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stopping = False
    before = {signum: signal.signal(signum, _on_signal) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """A stop that arrives during the block is raised when it ends, not inside it."""
    global _held, _stopping
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        if not _held and _pending and not _stopping:
            signum = _pending[0]
            _pending.clear()
            _stopping = True
            raise _stop_for(signum)


def start_worker(parent: int) -> None:
    """In a new batch worker: a stop ends it at once until it narrates (`working`), and
    it dies with its parent."""
    global _unwind, _worker
    _unwind = False
    _worker = True
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)
    _die_with(parent)


def working(task: Callable[[], T]) -> T:
    """In a batch worker, one article: a stop unwinds it, then ends the process (the
    parent learns of it by the worker's end, not by an answer)."""
    global _unwind
    _unwind = True
    try:
        return task()
    except Terminated:
        _exit(ExitStatus.TERMINATED)
    except KeyboardInterrupt:
        _exit(ExitStatus.INTERRUPTED)
    finally:
        _unwind = False


def _exit(status: int) -> NoReturn:
    sys.stderr.flush()
    os._exit(status)


def _die_with(parent: int) -> None:
    """Linux: have this process killed when `parent` ends, however it ends (even by
    SIGKILL), so a worker never outlives its batch to publish on its own."""
    if sys.platform != "linux":
        return
    import ctypes  # here: only batch workers need it

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(128 + signal.SIGKILL)
