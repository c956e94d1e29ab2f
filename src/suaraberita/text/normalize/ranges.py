"""Ranges, scores and hyphenated codes.

Policy: "2020-2021" -> "... sampai ...", but after a match word (menang, skor, ...) or when
the first number is not smaller, a score: "3-1" -> "tiga satu". Three or more numbers
joined by hyphens are a code, read digit by digit.
"""

from __future__ import annotations

import re

from suaraberita.text.normalize.common import _NUM, _say
from suaraberita.text.numbers import (
    spell_digits,
)

_SCORE_WORDS = re.compile(
    r"(?i)\b(?:menang|kalah|skor|unggul|imbang|takluk|tumbang|agregat|tertinggal|mengalahkan"
    r"|dikalahkan|menekuk|ditekuk|membungkam|dibungkam|menggilas|digilas|melibas|dilibas"
    r"|menundukkan|ditundukkan|membantai|dibantai|menaklukkan|ditaklukkan|set)\b[^.!?,;]{0,25}$"
)


def expand_ranges(text: str) -> str:
    """Ranges ("2020-2021" -> "sampai"), scores ("menang 3-1") and hyphenated codes.

    A score is a pair after a match word, or one whose first number is not smaller;
    three or more numbers joined by hyphens (phone numbers, codes) are read digit by digit.

    >>> expand_ranges("periode 2020-2021, 10-12 Mei, menang 3-1, kalah 0-2, 0812-3456-789")
    'periode dua ribu dua puluh sampai dua ribu dua puluh satu, sepuluh sampai dua belas Mei, \
menang tiga satu, kalah nol dua, nol delapan satu dua tiga empat lima enam tujuh delapan sembilan'
    """

    def chain(m: re.Match[str]) -> str:
        return " ".join(spell_digits(part) for part in re.split(r"[-–]", m[0]))

    def pair(m: re.Match[str]) -> str:
        a, b = m["a"], m["b"]
        if any(len(x) > 1 and x[0] == "0" for x in (a, b)):
            return f"{spell_digits(a)} {spell_digits(b)}"
        score = "," not in a + b and (
            _SCORE_WORDS.search(m.string, 0, m.start()) is not None
            or int(a.replace(".", "")) >= int(b.replace(".", ""))
        )
        return f"{_say(a)} {'' if score else 'sampai '}{_say(b)}"

    text = re.sub(r"(?<![\w.,/-])[0-9]+(?:[-–][0-9]+){2,}(?![\w/-]|[.,][0-9])", chain, text)
    return re.sub(
        rf"(?<![\w.,/-])(?P<a>{_NUM})\s?[-–]\s?(?P<b>{_NUM})(?![\w/-]|[.,][0-9])", pair, text
    )
