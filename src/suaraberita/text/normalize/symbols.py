"""Symbols.

Policy: % ° & + = @ and the currency signs are said in words; "/" is "per" next to a unit
or currency ("kilometer per jam"), else "atau" ("siswa atau siswi").
"""

from __future__ import annotations

import functools
import re

from suaraberita.text.normalize.common import _currencies, _units


@functools.cache
def _per_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words before and after a "/" that make it "per" (not "atau")."""
    left = {spoken.split()[-1] for spoken in [*_units().values(), *_currencies().values()]}
    right = set(_units()) | {spoken.split()[0] for spoken in _units().values()}
    right |= {
        "jam", "detik", "menit", "hari", "minggu", "pekan", "bulan", "tahun", "orang",
        "kapita", "unit", "lembar", "ekor", "kepala", "barel", "butir", "porsi", "malam",
        "kamar", "ton", "keluarga", "rumah", "bungkus", "botol", "pcs", "buah",
    }  # fmt: skip
    return frozenset(left), frozenset(right)


_SYMBOLS = {
    "%": " persen ",
    "‰": " permil ",
    "°": " derajat ",
    "&": " dan ",
    "+": " plus ",
    "=": " sama dengan ",
    "@": " et ",
    "×": " kali ",
    "±": " kurang lebih ",
    "≈": " kira-kira ",
    "<": " kurang dari ",
    ">": " lebih dari ",
    "≤": " paling banyak ",
    "≥": " paling sedikit ",
    "§": " pasal ",
    "$": " dolar ",
    "€": " euro ",
    "£": " pound sterling ",
    "¥": " yen ",
    "₩": " won ",
    "#": " ",
}


_SLASH = re.compile(r"(?<=[^\W\d_])\s*/\s*(?P<b>[^\W\d_]+)")
_LAST_WORD = re.compile(r"[^\W\d_]+$")
_LOOK_BACK = 40  # letters of the word before a "/" worth looking at (units are short)


def expand_symbols(text: str) -> str:
    """Symbols: % ° & + = @ and the currency signs in words; "/" as "per" or "atau".

    "/" is "per" after a unit or currency word or before a unit or time word
    ("kilometer/jam", "rupiah/liter"), else "atau" between words ("siswa/siswi").

    >>> expand_symbols("naik 5 % & rupiah/kg, kilometer/hari, siswa/siswi, A+B")
    'naik 5 persen dan rupiah per kilogram, kilometer per hari, siswa atau siswi, A plus B'
    """
    left, right = _per_words()

    def slash(m: re.Match[str]) -> str:
        # the word before is looked back at, not matched: a pattern that starts at every
        # letter of a long word and runs to its end is quadratic
        before = _LAST_WORD.search(m.string, max(0, m.start() - _LOOK_BACK), m.start())
        a, b = before[0] if before else "", m["b"]
        if a.lower() in left or b in right or b.lower() in right:
            return f" per {_units().get(b, b)}"
        return f" atau {b}"

    text = _SLASH.sub(slash, text)
    return re.sub(r"\s{2,}", " ", text.translate(_SYMBOL_TABLE))


_SYMBOL_TABLE = str.maketrans(_SYMBOLS)
