"""Roman numerals.

Policy: only after context words (``data/roman_context.tsv``: "Perang Dunia II" ->
"kedua", "Komisi XI" -> "sebelas"), or as a regnal number of two letters or more of I, V
and X after a capitalised name ("Elizabeth II"). A lone "I", "DI", "MIX" or "XL"
elsewhere is left to the initialism rules.
"""

from __future__ import annotations

import functools
import re

from suaraberita.text.normalize.common import _alternation, _rows
from suaraberita.text.numbers import (
    spell_integer,
    spell_ordinal,
)

# I to XXXIX only: enough for centuries, commissions and kings, and it keeps "C", "D",
# "L", "M", "CD" or "MIX" (vitamin C, golongan D, kelas C) letters.
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman_value(numeral: str) -> int:
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


@functools.cache
def _roman_re() -> re.Pattern[str]:
    context = _alternation(row[0] for row in _rows("roman_context.tsv"))
    return re.compile(rf"(?<![\w])(?P<ctx>(?i:{context}))\s+(?P<r>{_ROMAN})(?![\w])")


@functools.cache
def _roman_kinds() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in _rows("roman_context.tsv")}


def expand_roman(text: str) -> str:
    """Roman numerals (I to XXXIX) where the context makes them numbers.

    After a word of `data/roman_context.tsv` (ordinal or cardinal as listed there), or,
    as a regnal ordinal, II..XXXIX after a capitalised name. Nowhere else: "DI
    Yogyakarta", "PT XL", "MIX", "kelas C" and an English "I" stay letters.

    >>> expand_roman("Perang Dunia II, Paku Buwono X, Komisi XI DPR, abad XIX, Elizabeth II")
    'Perang Dunia kedua, Paku Buwono kesepuluh, Komisi sebelas DPR, abad kesembilan belas, \
Elizabeth kedua'
    >>> expand_roman("DI Yogyakarta, PT XL, When I go, kelas C, golongan IV")
    'DI Yogyakarta, PT XL, When I go, kelas C, golongan empat'
    """

    def context(m: re.Match[str]) -> str:
        value = _roman_value(m["r"])
        kind = _roman_kinds().get(" ".join(m["ctx"].lower().split()), "cardinal")
        words = spell_ordinal(value) if kind == "ordinal" else spell_integer(value)
        return f"{m['ctx']} {words}"

    def regnal(m: re.Match[str]) -> str:
        return f"{m['name']} {spell_ordinal(_roman_value(m['r']))}"

    text = _roman_re().sub(context, text)
    return re.sub(
        rf"(?<![\w])(?P<name>[A-Z][a-z]+)\s+(?P<r>(?=[IVX]{{2}}){_ROMAN})(?![\w])", regnal, text
    )
