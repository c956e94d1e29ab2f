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
    "dashes": lambda n: "-" * n,
    "digits and dashes": lambda n: "1-" * (n // 2),
    "e-mail-like": lambda n: "nama.orang@" * (n // 11),
    "domain-like": lambda n: "kompas." * (n // 7),
    "no spaces": lambda n: "abcdefghij" * (n // 10),
    "initialisms": lambda n: "DPR " * (n // 4),
    "punctuation": lambda n: "!?" * (n // 2),
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
        print(f"{name:17s} {once:7.3f} s  2x: {twice:7.3f} s  {twice / once:5.2f} (goal <= 2.5)")
    if not options.limit:
        return
    prose = timed(SHAPES["prose"](options.limit))
    print(f"\n{options.limit:,} characters of prose: {prose:.2f} s")
    for name, make in SHAPES.items():
        if name != "prose":
            seconds = timed(make(options.limit))
            print(f"{name:17s} {seconds:7.2f} s  {seconds / prose:5.2f} x prose (goal <= 8)")


if __name__ == "__main__":
    main()
