"""Written abbreviations, respelled words and currency codes.

Policy: the readings are data (``data/abbreviations.tsv``, ``data/respell.tsv``,
``data/currencies.tsv``); an abbreviation that can end a sentence keeps its dot there.
"""

from __future__ import annotations

import functools
import re

from suaraberita.text.normalize.common import _alternation, _currencies, _rows, _table


@functools.cache
def _abbreviation_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    abbreviations = _alternation(row[0] for row in _rows("abbreviations.tsv"))
    respell = _alternation(_table("respell.tsv"))
    codes = _alternation(c for c in _currencies() if re.fullmatch(r"[A-Z]{3}", c))
    return (
        re.compile(rf"(?<![\w.])(?P<w>{abbreviations})(?![\w])"),
        re.compile(rf"(?<![\w])(?P<w>(?i:{respell}))(?![\w])"),
        re.compile(rf"(?<![\w])(?P<w>{codes})(?![\w])"),
    )


@functools.cache
def _abbreviations() -> dict[str, tuple[str, bool]]:
    return {row[0]: (row[1], "end" in row[2:]) for row in _rows("abbreviations.tsv")}


def expand_abbreviations(text: str) -> str:
    """Written abbreviations, respelled words and currency codes (`data/*.tsv`).

    An abbreviation that can end a sentence keeps its dot as a full stop there.

    >>> expand_abbreviations("buku, pena, dll. Jl. Sudirman No. 5, tsb. yg baru")
    'buku, pena, dan lain-lain. Jalan Sudirman nomor 5, tersebut yang baru'
    >>> expand_abbreviations("Prof. Dr. Budi dan dr. Ani, pukul 9 WIB, 5 dollar, COVID, kurs USD")
    'Profesor Doktor Budi dan dokter Ani, pukul 9 Waktu Indonesia Barat, 5 dolar, Kovid, \
kurs dolar Amerika Serikat'
    """
    abbreviations, respell, codes = _abbreviation_res()

    def abbreviation(m: re.Match[str]) -> str:
        spoken, can_end = _abbreviations()[m["w"]]
        rest = m.string[m.end() :]
        if can_end and m["w"].endswith(".") and re.match(r"\s*$|\s+[A-Z\"'“]", rest):
            spoken += "."
        return spoken

    def respelled(m: re.Match[str]) -> str:
        spoken = _respellings()[m["w"].lower()]
        return spoken[:1].upper() + spoken[1:] if m["w"][:1].isupper() else spoken

    text = abbreviations.sub(abbreviation, text)
    text = respell.sub(respelled, text)
    return codes.sub(lambda m: _currencies()[m["w"]], text)


@functools.cache
def _respellings() -> dict[str, str]:
    return {word.lower(): spoken for word, spoken in _table("respell.tsv").items()}
