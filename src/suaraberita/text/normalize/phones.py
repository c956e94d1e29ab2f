"""Telephone numbers.

Policy: read digit by digit in their written groups; a number counts as a phone when it
has a country code, an area code in parentheses or a leading zero, or follows a telephone
word, and has seven digits or more.
"""

from __future__ import annotations

import re

from suaraberita.text.numbers import (
    spell_digits,
)

_PHONE_RES = (
    # +62 812-3456-7890, +62 (21) 555 1234
    re.compile(r"(?<![\w+])\+(?P<n>[0-9]+(?:[\s()-]+[0-9]+){0,6}\)?)(?![\w])"),
    # (021) 555-1234, 0812 3456 7890, 0812-3456-7890
    re.compile(
        r"(?<![\w.,])(?P<n>(?:\(0[0-9]{1,3}\)|0[0-9]{2,4})(?:[\s-]?[0-9]{3,5}){1,3}(?:\s[0-9]{2})?)"
        r"(?![\w]|[.,][0-9])"
    ),
    # after a telephone word: telepon 555-1234
    re.compile(
        r"(?P<pre>\b(?i:telepon|telp|tel|hp|ponsel|whatsapp|wa|fax|faks|hotline|hubungi)[.:]?\s)"
        r"(?P<n>[0-9]{3,5}(?:[\s-]?[0-9]{3,5}){1,3})(?![\w]|[.,][0-9])"
    ),
)


def expand_phone_numbers(text: str) -> str:
    """Telephone numbers, read digit by digit in their groups.

    >>> expand_phone_numbers("Hubungi (021) 555-1234 atau +62 812-3456-7890, telp. 555 1234")
    'Hubungi nol dua satu lima lima lima satu dua tiga empat atau plus enam dua delapan satu \
dua tiga empat lima enam tujuh delapan sembilan nol, telp. lima lima lima satu dua tiga empat'
    """

    def digits(m: re.Match[str]) -> str:
        if len(re.sub(r"[^0-9]", "", m["n"])) < 7:  # "+5": a number, not a phone
            return m[0]
        pre = m.groupdict().get("pre") or ("plus " if m[0].startswith("+") else "")
        return pre + " ".join(spell_digits(group) for group in re.findall(r"[0-9]+", m["n"]))

    for pattern in _PHONE_RES:
        text = pattern.sub(digits, text)
    return text
