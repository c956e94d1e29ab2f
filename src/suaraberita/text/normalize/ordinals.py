"""Ordinals and decades.

Policy: "ke-1" -> "pertama", "ke-3" -> "ketiga"; "1990-an" -> "... sembilan puluhan";
"H-1" -> "ha min satu".
"""

from __future__ import annotations

import re

from suaraberita.text.normalize.common import _NUM, _ordinal, _say
from suaraberita.text.numbers import (
    spell_integer,
)


def expand_ordinals(text: str) -> str:
    """Ordinals "ke-3" -> "ketiga" ("ke-1" -> "pertama"), decades "1990-an", and days
    counted to an event "H-1" -> "ha min satu".

    >>> expand_ordinals("juara ke-3, Ke-1, abad ke-21, tahun 1990-an, uang 5.000-an, '80-an")
    'juara ketiga, Pertama, abad kedua puluh satu, tahun seribu sembilan ratus sembilan \
puluhan, uang lima ribuan, delapan puluhan'
    >>> expand_ordinals("H-1 Lebaran, H+3")
    'ha min satu Lebaran, ha plus tiga'
    """

    def ordinal(m: re.Match[str]) -> str:
        words = _ordinal(m["n"])
        return words.capitalize() if m["k"] == "K" else words

    text = re.sub(r"(?<![\w-])(?P<k>[Kk])e-(?P<n>[0-9]+)(?![\w]|[.,][0-9])", ordinal, text)
    text = re.sub(
        r"(?<![\w-])H(?P<sign>[-+])(?P<n>[0-9]{1,3})(?![\w]|[.,][0-9])",
        lambda m: f"ha {'min' if m['sign'] == '-' else 'plus'} {spell_integer(int(m['n']))}",
        text,
    )
    return re.sub(rf"(?<![\w.,])'?(?P<n>{_NUM})-an(?![\w])", lambda m: _say(m["n"]) + "an", text)
