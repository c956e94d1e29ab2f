"""Normalising hostile text costs about what normalising as much prose costs.

A pasted page can hold long runs of one shape (a table of figures, a line of capitals, a
rule of dashes); a pattern that backtracks turns such a run into minutes. Each shape is
timed (CPU time) against prose of the same length: a ratio, not a wall time. The size
is what keeps this test short; bench/linear.py runs 2 MB of each.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from suaraberita.text.normalize import normalize

SIZE = 60_000  # characters of each text
RATIO = 8.0  # a shape may cost this many times the prose
PROSE = (Path(__file__).parents[1] / "examples" / "bus-listrik-tirtasari.txt").read_text(
    encoding="utf-8"
)

HOSTILE: dict[str, Callable[[int], str]] = {
    "capitals": lambda n: "A" * n,
    "capital words": lambda n: "Ab " * (n // 3),
    "initialisms": lambda n: "DPR " * (n // 4),
    "a word without spaces": lambda n: "abcdefghij" * (n // 10),
    "slashes": lambda n: "a/" * (n // 2),
    "e-mail-like": lambda n: "nama.orang@" * (n // 11),
    "at signs": lambda n: "a@" * (n // 2),
    "domain-like": lambda n: "kompas." * (n // 7),
    "a web address with a long path": lambda n: "https://a.id/" + "b/" * (n // 2),
    "decimals": lambda n: "1.2345" * (n // 6),
    "digits": lambda n: "1" * n,
    "commas": lambda n: "1," * (n // 2),
    "dots": lambda n: "a." * (n // 2),
    "dashes": lambda n: "-" * n,
    "digits and dashes": lambda n: "1-" * (n // 2),
    "repeated punctuation": lambda n: "!?" * (n // 2),
    "brackets": lambda n: "(A" * (n // 2),
    "colons": lambda n: "1:" * (n // 2),
    "hashes": lambda n: "#a" * (n // 2),
    "roman numerals": lambda n: "XIV " * (n // 4),
}


def _cpu_seconds(text: str) -> float:
    started = time.process_time()
    normalize(text)
    return time.process_time() - started


class _Overrun(BaseException):
    """Not an Exception: normalize() skips a pass that raises one."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Stop a run that backtracks (the regex engine checks for signals) instead of
    hanging the test for minutes."""

    def stop(*_: object) -> None:
        raise _Overrun

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_hostile_text_costs_about_what_prose_costs() -> None:
    normalize("pemanasan Rp1,5 juta")  # word lists load once, outside the timings
    prose = (PROSE * (SIZE // len(PROSE) + 1))[:SIZE]
    budget = RATIO * min(_cpu_seconds(prose) for _ in range(2)) + 0.2
    wall = 10 * budget + 10  # the machine may be busy
    slow: dict[str, str] = {}
    for name, make in HOSTILE.items():
        try:
            with _deadline(wall):
                seconds = _cpu_seconds(make(SIZE))
        except _Overrun:
            slow[name] = f"stopped after {wall:.0f} s"
            continue
        if seconds > budget:
            slow[name] = f"{seconds:.2f} s"
    assert not slow, f"budget {budget:.2f} s (prose x {RATIO}): {slow}"
