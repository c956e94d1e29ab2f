"""Spell numbers in Indonesian, the way a newsreader says them.

Written here rather than taken from num2words, whose Indonesian speller says
"satu juta satu ribu" for 1.001.000. The rules:

* cardinals: "seribu" but "satu juta"; "seratus", "sepuluh", "sebelas"; scale words
  ribu, juta, miliar (never "milyar"), triliun, kuadriliun, kuintiliun, sekstiliun,
  septiliun, oktiliun, noniliun, desiliun (10^33). Integers of 10^36 and above have no
  scale word and are read digit by digit, as are integers written with a leading zero
  ("021" -> "nol dua satu").
* negatives: "minus".
* decimals: the digits after the decimal comma are read one by one
  ("3,14" -> "tiga koma satu empat"), trailing zeros included ("2,50" -> "dua koma lima
  nol"); money drops an all-zero fraction itself.
* ordinals: "ke" joined to the cardinal ("ketiga", "keseratus tiga puluh sembilan"),
  except that 1 is "pertama" (the usual newsreader's word for "ke-1"; "kesatu" is rarer).
* number strings: "." groups thousands and "," is the decimal mark ("12.271,5").
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = [
    "ParsedNumber",
    "parse_number",
    "spell_digits",
    "spell_fraction",
    "spell_integer",
    "spell_number",
    "spell_ordinal",
]

_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = (
    "",
    "ribu",
    "juta",
    "miliar",
    "triliun",
    "kuadriliun",
    "kuintiliun",
    "sekstiliun",
    "septiliun",
    "oktiliun",
    "noniliun",
    "desiliun",
)
# Longest integer (in digits) that has a scale word; longer ones are read digit by digit.
MAX_SCALE_DIGITS = 3 * len(_SCALES)

_NUMBER_RE = re.compile(
    r"""
    (?P<sign>[-+−])?
    (?P<int>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)   # 1.500.000 or 1500000
    (?:,(?P<frac>[0-9]+))?                        # ,5
    """,
    re.VERBOSE,
)


def spell_digits(digits: str) -> str:
    """Read a string of ASCII digits one by one; other characters are skipped.

    >>> spell_digits("0812")
    'nol delapan satu dua'
    >>> spell_digits("")
    ''
    """
    return " ".join(_DIGITS[int(d)] for d in digits if "0" <= d <= "9")


def _below_thousand(n: int) -> str:
    """Spell 1..999 (0 gives '')."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words.append(f"{_DIGITS[hundreds]} ratus")
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words.append(f"{_DIGITS[rest - 10]} belas")
    elif rest >= 20:
        tens, units = divmod(rest, 10)
        words.append(f"{_DIGITS[tens]} puluh" + (f" {_DIGITS[units]}" if units else ""))
    elif rest:
        words.append(_DIGITS[rest])
    return " ".join(words)


def spell_integer(n: int) -> str:
    """Spell an integer as a cardinal.

    >>> spell_integer(1001000)
    'satu juta seribu'
    >>> spell_integer(-5)
    'minus lima'
    >>> spell_integer(0)
    'nol'
    """
    if n < 0:
        return f"minus {spell_integer(-n)}"
    if n == 0:
        return "nol"
    text = str(n)
    if len(text) > MAX_SCALE_DIGITS:
        return spell_digits(text)
    words = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group == 1 and scale == 1:
            words.append("seribu")
        elif group:
            words.append(f"{_below_thousand(group)} {_SCALES[scale]}".rstrip())
        scale += 1
    return " ".join(reversed(words))


def spell_ordinal(n: int) -> str:
    """Spell an ordinal: 'pertama' for 1, else 'ke' joined to the cardinal.

    >>> spell_ordinal(1), spell_ordinal(3), spell_ordinal(21)
    ('pertama', 'ketiga', 'kedua puluh satu')
    """
    if n == 1:
        return "pertama"
    return "ke" + spell_integer(n)


def spell_fraction(numerator: int, denominator: int) -> str:
    """Spell a common fraction; improper ones and large denominators read "a per b".

    >>> spell_fraction(1, 2), spell_fraction(1, 4), spell_fraction(3, 4)
    ('setengah', 'seperempat', 'tiga perempat')
    >>> spell_fraction(2, 3), spell_fraction(1, 100), spell_fraction(24, 7)
    ('dua pertiga', 'seperseratus', 'dua puluh empat per tujuh')
    """
    if (
        denominator == 0
        or numerator >= denominator
        or not (denominator <= 10 or denominator in (100, 1000))
    ):
        return f"{spell_integer(numerator)} per {spell_integer(denominator)}"
    if (numerator, denominator) == (1, 2):
        return "setengah"
    below = "per" + spell_integer(denominator)
    if numerator == 1:
        return "se" + below
    return f"{spell_integer(numerator)} {below}"


class ParsedNumber(NamedTuple):
    """A number string split into its parts; the digits are kept as written."""

    negative: bool
    integer: str  # digits without thousands dots, e.g. "12271"
    fraction: str  # digits after the decimal comma, "" when there is none


def parse_number(text: str) -> ParsedNumber:
    """Parse an Indonesian number string ("." thousands, "," decimal mark).

    >>> parse_number("12.271,5")
    ParsedNumber(negative=False, integer='12271', fraction='5')
    >>> parse_number("-3,14")
    ParsedNumber(negative=True, integer='3', fraction='14')
    >>> parse_number("1.5")
    Traceback (most recent call last):
    ...
    ValueError: not an Indonesian number: '1.5'
    """
    match = _NUMBER_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not an Indonesian number: {text!r}")
    return ParsedNumber(
        negative=match["sign"] in ("-", "−"),
        integer=match["int"].replace(".", ""),
        fraction=match["frac"] or "",
    )


def _spell_integer_string(digits: str) -> str:
    """Spell an integer given as digits; a leading zero means digit by digit."""
    if len(digits) > 1 and digits.startswith("0"):
        return spell_digits(digits)
    if len(digits) > MAX_SCALE_DIGITS:
        return spell_digits(digits)
    return spell_integer(int(digits))


def spell_number(value: int | str) -> str:
    """Spell an int, or a number string in Indonesian format, as a cardinal.

    Raises ValueError for a string that is not a number.

    >>> spell_number(1500)
    'seribu lima ratus'
    >>> spell_number("12.345.678")
    'dua belas juta tiga ratus empat puluh lima ribu enam ratus tujuh puluh delapan'
    >>> spell_number("3,14")
    'tiga koma satu empat'
    >>> spell_number("-0,5")
    'minus nol koma lima'
    """
    if isinstance(value, int):
        return spell_integer(value)
    parsed = parse_number(value)
    words = _spell_integer_string(parsed.integer)
    if parsed.fraction:
        words += " koma " + spell_digits(parsed.fraction)
    return f"minus {words}" if parsed.negative else words
