"""Shared by the passes: the data files of ``suaraberita/text/data/``, the number
patterns and the spelling helpers. The names keep their underscore: they are internal to
the `normalize` package, not part of its interface.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from importlib.resources import files

from suaraberita.text.numbers import (
    MAX_SCALE_DIGITS,
    spell_digits,
    spell_integer,
    spell_number,
    spell_ordinal,
)

Pass = Callable[[str], str]

# A number as written in Indonesian news: 1.500.000,25 or 1500 or 3,14.
_NUM = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?"
_BEFORE = r"(?<![\w.,])"  # a number starts here
_AFTER = r"(?![\w]|[.,][0-9])"  # and ends here
_DAYS = r"Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad"
_LONG_DIGITS = 16  # a plain digit run this long is an ID, read digit by digit


# ---------------------------------------------------------------- data files


@functools.cache
def _rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file, without comments and blank lines."""
    text = (files("suaraberita.text") / "data" / name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


def _table(name: str) -> dict[str, str]:
    return {row[0]: row[1] if len(row) > 1 else "" for row in _rows(name)}


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def _letters() -> dict[str, str]:
    return _table("letters.tsv")


@functools.cache
def _months() -> tuple[dict[int, str], dict[str, str]]:
    """Month names by number, and full names by abbreviation."""
    names: dict[int, str] = {}
    abbrev: dict[str, str] = {}
    for number, name, *short in _rows("months.tsv"):
        names[int(number)] = name
        abbrev.update(dict.fromkeys(short, name))
    return names, abbrev


@functools.cache
def _currencies() -> dict[str, str]:
    return _table("currencies.tsv")


@functools.cache
def _units() -> dict[str, str]:
    return _table("units.tsv")


# ---------------------------------------------------------------- helpers


def _say(number: str, *, money: bool = False) -> str:
    """Spell a number string; money drops an all-zero fraction ("5.000.000,00")."""
    if money and re.fullmatch(r"[0-9]+\.[0-9]{1,2}", number):  # "$12.50", English style
        number = number.replace(".", ",")
    if money and re.search(r",0+$", number):
        number = number.rsplit(",", 1)[0]
    try:
        return spell_number(number)
    except ValueError:
        return _say_loose(number)


def _say_int(digits: str) -> str:
    """Spell a run of digits as an integer, or digit by digit when it reads as an ID."""
    if (len(digits) > 1 and digits[0] == "0") or len(digits) >= _LONG_DIGITS:
        return spell_digits(digits)
    return spell_integer(int(digits))


def _say_loose(token: str) -> str:
    """Spell digits joined by dots and commas that are not an Indonesian number.

    >>> _say_loose("192.168.1.1")
    'seratus sembilan puluh dua titik seratus enam puluh delapan titik satu titik satu'
    >>> _say_loose("1,000,000")
    'satu juta'
    """
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3}){2,}", token):  # English grouping 1,000,000
        return _say_int(token.replace(",", ""))
    words = []
    for part in re.split(r"([.,])", token):
        if part == ".":
            words.append("titik")
        elif part == ",":
            words.append("koma")
        elif part:
            words.append(_say_int(part))
    return " ".join(words)


def _ordinal(digits: str) -> str:
    if len(digits) > MAX_SCALE_DIGITS:
        return "ke" + spell_digits(digits)
    return spell_ordinal(int(digits))


def _date(day: str, month: str, year: str | None = None) -> str | None:
    """Spoken date, or None when day or month is out of range."""
    d, m = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    words = f"{spell_integer(d)} {_months()[0][m]}"
    if year:
        y = int(year)
        if len(year) == 2:
            y += 2000 if y < 50 else 1900
        words += f" {spell_integer(y)}"
    return words


# ---------------------------------------------------------------- passes
