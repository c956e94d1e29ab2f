"""Keep batch workers on CPUs of their own while every worker has work, then free them.

ffmpeg hands every audio frame between its threads: on one core those hand-offs are
cheap, across cores they cost about a tenth of an encode. So while every worker of a
batch has an article, each worker process (and every ffmpeg it starts) runs on its own
share of the CPUs; once one would sit idle, those still running may use them all again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from multiprocessing.sharedctypes import Synchronized


@dataclass(frozen=True)
class Pinning:
    shares: tuple[frozenset[int], ...]  # the CPUs of each worker, in start order
    started: Synchronized[int]  # workers started so far, shared by all
    everywhere: frozenset[int]  # the CPUs this program may use

    @classmethod
    def plan(cls, context: BaseContext, workers: int) -> Pinning | None:
        """A share of the CPUs for each of `workers`; None where affinity is not
        available (it is a Linux call)."""
        if not hasattr(os, "sched_setaffinity"):
            return None
        try:
            cpus = sorted(os.sched_getaffinity(0))
        except OSError:
            return None
        shares = tuple(frozenset(share) for share in share_cpus(cpus, workers))
        return cls(shares, context.Value("i", 0), frozenset(cpus))

    def start_worker(self) -> None:
        """Run in each new worker process: keep to its share."""
        with self.started.get_lock():
            index = self.started.value
            self.started.value += 1
        with contextlib.suppress(OSError):  # only a speed-up: go on without
            os.sched_setaffinity(0, self.shares[index % len(self.shares)])

    def release(self) -> None:
        """In the parent: let every worker, and every ffmpeg they started, use all the
        CPUs again. Nothing waits on the workers, so one that died cannot hang this."""
        run_anywhere(os.getpid(), self.everywhere)


def share_cpus(cpus: Sequence[int], workers: int) -> list[set[int]]:
    """The CPUs each worker may run on: as many as there are, dealt out in turn.

    >>> share_cpus([0, 1], 2)
    [{0}, {1}]
    >>> share_cpus([0, 1, 2, 3, 4], 2)
    [{0, 2, 4}, {1, 3}]
    >>> share_cpus([0, 1], 3)
    [{0}, {1}, {0}]
    """
    if workers <= len(cpus):
        return [set(cpus[i::workers]) for i in range(workers)]
    return [{cpus[i % len(cpus)]} for i in range(workers)]


def run_anywhere(pid: int, cpus: frozenset[int]) -> None:
    """Let a process, each of its threads, and each process it started run on `cpus`
    (affinity belongs to a thread, and a new one inherits it from its creator)."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return  # it has ended
    for thread in threads:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(int(thread), cpus)
        try:
            children = Path(f"/proc/{pid}/task/{thread}/children").read_text().split()
        except OSError:
            continue
        for child in children:
            run_anywhere(int(child), cpus)
