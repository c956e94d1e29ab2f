"""Money.

Policy: the number first, then its scale word, then the currency ("Rp1,3 triliun" ->
"satu koma tiga triliun rupiah"); an all-zero fraction and ",-" are dropped; "Rp 12.000-Rp
13.000" is a range of one currency.
"""

from __future__ import annotations

import functools
import re

from suaraberita.text.normalize.common import _AFTER, _BEFORE, _NUM, _alternation, _currencies, _say

_SCALE = r"(?i:ribu|juta|miliar|milyar|triliun|kuadriliun)|rb|jt|M|T"
_RANGE_DASH = r"\s?(?:-{1,2}|–|—)\s?"


@functools.cache
def _scaled_range_re() -> re.Pattern[str]:
    """ "Rp432 ribu--Rp576 ribu": both ends with their scale word."""
    symbols = _alternation(_currencies())
    return re.compile(
        rf"(?<![\w$])(?P<cur>{symbols})\.?\s?(?P<a>{_NUM})\s?(?P<sa>{_SCALE})(?![\w])"
        rf"{_RANGE_DASH}(?:(?P=cur)\.?\s?)?(?P<b>{_NUM})\s?(?P<sb>{_SCALE})(?![\w])"
    )


@functools.cache
def _money_re() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    symbols = _alternation(_currencies())
    codes = _alternation(c for c in _currencies() if re.fullmatch(r"[A-Z]{3}", c))
    amount = rf"(?P<a>{_NUM}|[0-9]+\.[0-9]{{1,2}})(?:\s?[-–]\s?(?P<b>{_NUM}))?{_AFTER}"
    scale = (
        r"(?:\s?(?P<scale>(?i:ribu|juta|miliar|milyar|triliun|kuadriliun)|rb|jt|M|T)"
        r"(?![\w]))?"
    )
    before = re.compile(rf"(?<![\w$])(?P<cur>{symbols})\.?\s?{amount}{scale}(?P<tail>,-+|,—)?")
    after = re.compile(rf"{_BEFORE}{amount}{scale}\s?(?P<cur>{codes})(?![\w])")
    # "Rp 12.000-Rp 13.000" is the range "Rp 12.000-13.000"
    repeated = re.compile(rf"(?<=[0-9]){_RANGE_DASH}(?:{symbols})\s?(?=[0-9])")
    return before, after, repeated


_SCALE_WORDS = {"rb": "ribu", "jt": "juta", "m": "miliar", "milyar": "miliar", "t": "triliun"}


def expand_money(text: str) -> str:
    """Amounts of money: the number, then its scale word, then the currency.

    >>> expand_money("Rp1,3 triliun, Rp50.000,- dan Rp5.000.000,00")
    'satu koma tiga triliun rupiah, lima puluh ribu rupiah dan lima juta rupiah'
    >>> expand_money("US$13 miliar atau Rp 10-15 jt atau 5 juta USD")
    'tiga belas miliar dolar Amerika Serikat atau sepuluh sampai lima belas juta rupiah \
atau lima juta dolar Amerika Serikat'
    >>> expand_money("Rp 12.000-Rp 13.000")
    'dua belas ribu sampai tiga belas ribu rupiah'
    >>> expand_money("Rp432 ribu--Rp576 ribu, U$ 50.000 dan USD. 44 miliar")
    'empat ratus tiga puluh dua ribu sampai lima ratus tujuh puluh enam ribu rupiah, lima \
puluh ribu dolar Amerika Serikat dan empat puluh empat miliar dolar Amerika Serikat'
    """

    def scaled(m: re.Match[str]) -> str:
        ends = [f"{_say(m[n], money=True)} {_scale(m['s' + n])}" for n in ("a", "b")]
        return f"{ends[0]} sampai {ends[1]} {_currencies()[m['cur']]}"

    def say(m: re.Match[str]) -> str:
        words = _say(m["a"], money=True)
        if m["b"]:
            words += " sampai " + _say(m["b"], money=True)
        if m["scale"]:
            words += " " + _scale(m["scale"])
        return f"{words} {_currencies()[m['cur']]}"

    before, after, repeated = _money_re()
    text = _scaled_range_re().sub(scaled, text)
    text = repeated.sub("-", text)
    return after.sub(say, before.sub(say, text))


def _scale(word: str) -> str:
    return _SCALE_WORDS.get(word.lower(), word.lower())
