"""Numbers and structures that come from outside (the environment, settings, headers,
file names, pages, state files), read strictly: a surprise is a clean "no" the caller
turns into its own error, never a crash deep inside or a silent misreading.

`int()` takes '١٢٣' (Arabic-Indic digits) and '1_000', `str.isdigit()` takes '²' which
`int()` then refuses, and 5,000 digits make `int()` raise; deeply nested JSON or TOML
makes the parsers raise RecursionError, which is no ValueError.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any

MAX_DIGITS = 18  # more than any count, size or port here needs
_WHOLE = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")
_QUANTITY = re.compile(rf"([0-9]{{1,{MAX_DIGITS}}}) ?([A-Za-z]{{0,8}})")


def whole_number(text: str | None) -> int | None:
    """A whole number written in ASCII digits (blanks around it allowed), else None.

    >>> whole_number("250"), whole_number(" 7 "), whole_number("007")
    (250, 7, 7)
    >>> whole_number("²"), whole_number("١٢٣"), whole_number("1_000"), whole_number("-5")
    (None, None, None, None)
    >>> whole_number("1e3"), whole_number("nan"), whole_number("9" * 5000), whole_number(None)
    (None, None, None, None)
    """
    if text is None:
        return None
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def capped_number(digits: str) -> int:
    """A run of ASCII digits (already matched as such) as a number, at most 10**18: for
    byte positions and lengths, where thousands of digits mean "more than there is".

    >>> capped_number("0042"), capped_number("9" * 5000) == 10**18, capped_number("0" * 5000 + "7")
    (42, True, 7)
    """
    digits = digits.lstrip("0")
    return int(digits or "0") if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


def quantity(text: str, units: Mapping[str, int]) -> int | None:
    """A whole number with an optional unit, times the unit's size; None when the text is
    not that or the unit is not one of `units` (keys in lower case, "" for none).

    >>> sizes = {"": 10**6, "mb": 10**6, "gb": 10**9}
    >>> quantity("250", sizes), quantity("250 MB", sizes), quantity("2gb", sizes)
    (250000000, 250000000, 2000000000)
    >>> quantity("2 TB", sizes), quantity("1.5GB", sizes), quantity("٢GB", sizes)
    (None, None, None)
    """
    match = _QUANTITY.fullmatch(text.strip())
    if match is None or match[2].lower() not in units:
        return None
    return int(match[1]) * units[match[2].lower()]


class TooDeepError(ValueError):
    """Nested deeper than the parser can follow."""

    def __init__(self) -> None:
        super().__init__("it is nested too deeply")


def loads_json(text: str | bytes, *, strict: bool = True) -> Any:
    """`json.loads`, where nesting too deep for the parser is a ValueError like any other
    bad JSON (TooDeepError)."""
    try:
        return json.loads(text, strict=strict)
    except RecursionError:
        raise TooDeepError from None


def loads_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, where every unreadable document is a ValueError: nesting too deep
    (TooDeepError), and an integer too long for Python (tomllib lets that ValueError out
    with Python's own advice, which is no help here)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:
        raise TooDeepError from None
    except ValueError:
        raise ValueError("a number in it is too long (thousands of digits)") from None
