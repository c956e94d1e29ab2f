"""Normalising text stays linear in its length, whatever the text looks like.

Each shape below is the kind of run a pasted page can hold (a table of figures, a list
of links, a line of capitals, a rule of dashes). Each is normalised at two lengths; the
time for the doubled text over the time for the text is printed. Goal: at most 2.5 (2 is
linear; a pattern that backtracks shows 4).

Then each shape at the article limit (2 MB) against as much prose, in CPU time. Goal: at
most 8 (tests/test_linear.py asserts the same at a smaller size).

Run from the repository root:  python bench/linear.py [--chars 20000] [--limit 2000000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.test_linear
from tests.test_linear import HOSTILE

# the hostile shapes are the test's own (tests/test_linear.py): one list to keep
SHAPES: dict[str, Callable[[int], str]] = {
    "prose": lambda n: ("Harga beras naik 5 persen pada 12 Maret 2024. " * n)[:n],
    **HOSTILE,
}


def timed(text: str) -> float:
    """CPU seconds: other work on a busy machine does not count."""
    from suaraberita.text.normalize import normalize

    start = time.process_time()
    normalize(text)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=20000)
    parser.add_argument("--limit", type=int, default=2_000_000, help="0: skip this part")
    options = parser.parse_args()
    n = options.chars
    timed("pemanasan 1,5 persen")  # word lists load once, outside the timings
    for name, make in SHAPES.items():
        once, twice = timed(make(n)), timed(make(2 * n))
        print(f"{name:30s} {once:7.3f} s  2x: {twice:7.3f} s  {twice / once:5.2f} (goal <= 2.5)")
    if not options.limit:
        return
    prose = timed(SHAPES["prose"](options.limit))
    print(f"\n{options.limit:,} characters of prose: {prose:.2f} s")
    for name, make in SHAPES.items():
        if name != "prose":
            seconds = timed(make(options.limit))
            print(f"{name:30s} {seconds:7.2f} s  {seconds / prose:5.2f} x prose (goal <= 8)")


if __name__ == "__main__":
    main()
