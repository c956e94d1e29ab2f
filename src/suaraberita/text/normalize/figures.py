"""Plain numbers, fractions, ratios and signs: whatever digits the earlier passes left.

Policy: "." groups thousands, "," is the decimal mark, decimals are read digit by digit
("3,14" -> "tiga koma satu empat"). A number written with a leading zero, or of sixteen
digits or more without separators, is read digit by digit (phone numbers, IDs). Dots that
do not group thousands ("2.5", "192.168.1.1") are read "titik". Any a/b left is a
fraction ("1/2" -> "setengah"), a season ("2020/2021") or "a per b".
"""

from __future__ import annotations

import re

from suaraberita.text.normalize.common import _LONG_DIGITS, _say, _say_int, _say_loose
from suaraberita.text.numbers import (
    parse_number,
    spell_digits,
    spell_fraction,
)


def expand_numbers(text: str) -> str:
    """Every number left: fractions, ratios, signs, decimals and plain integers.

    Letters and digits written together are read apart ("G20", "5G", "Covid-19").

    >>> expand_numbers("1/2 jam, 3/4 bagian, 1:3, suhu -5, G20, 5G, Covid-19, 12.345.678")
    'setengah jam, tiga perempat bagian, satu banding tiga, suhu minus lima, G dua puluh, \
lima G, Covid sembilan belas, dua belas juta tiga ratus empat puluh lima ribu enam ratus \
tujuh puluh delapan'
    >>> expand_numbers("musim 2020/2021, 3,14 dan 2.5 dan 021 dan 1.500.")
    'musim dua ribu dua puluh sampai dua ribu dua puluh satu, tiga koma satu empat dan dua \
titik lima dan nol dua satu dan seribu lima ratus.'
    """

    def fraction(m: re.Match[str]) -> str:
        a, b = m["a"], m["b"]
        if max(len(a), len(b)) > 12 or a[0] == "0" or b[0] == "0":
            return f"{_say_int(a)} per {_say_int(b)}"
        if len(a) == 4 and int(b) == int(a) + 1:  # a season: 2020/2021
            return f"{_say_int(a)} sampai {_say_int(b)}"
        return spell_fraction(int(a), int(b))

    text = re.sub(r"(?<![\w.,/])(?P<a>[0-9]+)/(?P<b>[0-9]+)(?![\w/]|[.,][0-9])", fraction, text)
    text = re.sub(
        r"(?<![\w.,:])(?P<a>[0-9]+):(?P<b>[0-9]+)(?![\w:]|[.,][0-9])",
        lambda m: f"{_say_int(m['a'])} banding {_say_int(m['b'])}",
        text,
    )
    text = re.sub(r"(?<=[^\W\d_])-?(?=[0-9])|(?<=[0-9])-?(?=[^\W\d_])", " ", text)
    text = re.sub(
        r"(?<![\w.,)\]])(?P<sign>[-+])(?=[0-9])",
        lambda m: "minus " if m["sign"] == "-" else "plus ",
        text,
    )
    return re.sub(r"[0-9]+(?:[.,][0-9]+)*", lambda m: _say_number_token(m[0]), text)


def _say_number_token(token: str) -> str:
    try:
        parsed = parse_number(token)
    except ValueError:
        return _say_loose(token)
    if not parsed.fraction and len(parsed.integer) >= _LONG_DIGITS and "." not in token:
        return spell_digits(token)
    return _say(token)
