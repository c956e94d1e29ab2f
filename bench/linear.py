"""Normalising text stays linear in its length, whatever the text looks like.

Each shape below is the kind of run a pasted page can hold (a table of figures, a list
of links, a line of capitals). Each is normalised at two lengths; the time for the
doubled text over the time for the text is printed. Goal: at most 2.5 (2 is linear; a
pattern that backtracks shows 4).

Run from the repository root:  python bench/linear.py [--chars 20000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

SHAPES: dict[str, Callable[[int], str]] = {
    "prose": lambda n: ("Harga beras naik 5 persen pada 12 Maret 2024. " * n)[:n],
    "capitals": lambda n: "A" * n,
    "capital words": lambda n: "Ab " * (n // 3),
    "brackets": lambda n: "(A" * (n // 2),
    "decimals": lambda n: "1.2345" * (n // 6),
    "digits": lambda n: "1" * n,
    "commas": lambda n: "1," * (n // 2),
    "slashes": lambda n: "a/" * (n // 2),
    "at signs": lambda n: "a@" * (n // 2),
    "dots": lambda n: "a." * (n // 2),
}


def timed(text: str) -> float:
    from suaraberita.text.normalize import normalize

    start = time.perf_counter()
    normalize(text)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=20000)
    n = parser.parse_args().chars
    timed("pemanasan 1,5 persen")  # word lists load once, outside the timings
    for name, make in SHAPES.items():
        once, twice = timed(make(n)), timed(make(2 * n))
        print(f"{name:14s} {once:7.3f} s  2x: {twice:7.3f} s  {twice / once:5.2f} (goal <= 2.5)")


if __name__ == "__main__":
    main()
