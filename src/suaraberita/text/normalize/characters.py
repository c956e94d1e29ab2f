"""Characters first: one Unicode form, one kind of hyphen and slash, nothing invisible,
so the later patterns see one spelling of each character.

Policy for characters an engine would read raw or not at all: letters joined into one
(Æ, Œ, ß) are written out; arrows and the number sign that carry meaning are named
("→" -> "ke"); emoji, pictographs and other decorative symbols are left out. The
symbols a later pass says (°, %, currency signs) stay.
"""

from __future__ import annotations

import re
import unicodedata


def prepare(text: str) -> str:
    """Unicode NFKC, one kind of hyphen and slash, no invisible characters.

    Superscripts after a number become "pangkat" and vulgar fractions after a number
    are split off, before NFKC would glue their digits to the number.

    >>> prepare("Ⅱ ½ km² 2½ 10³ ＄5")
    'II 1/2 km2 2 1/2 10 pangkat 3 $5'
    """
    text = re.sub(
        r"(?<=[0-9])[⁰¹²³⁴⁵⁶⁷⁸⁹]+",
        lambda m: " pangkat " + unicodedata.normalize("NFKC", m[0]),
        text,
    )
    text = re.sub(r"(?<=[0-9])(?=[¼½¾⅐-⅞])", " ", text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PREPARE_TABLE)
    if not text.isascii():
        text = "".join(_character(char) for char in text)
    return text


def _character(char: str) -> str:
    """A character an engine cannot say: named when it means something, else nothing.

    >>> prepare("Harga naik ↑ 5% 🔥🔥 di Cæsar → Ærø, ★★★")
    'Harga naik  naik  5%  di Caesar  ke  Aero, '
    """
    if char in _NAMED:
        return _NAMED[char]
    kind = unicodedata.category(char)
    if kind in ("So", "Sk", "Cn") and char not in _SAID_LATER:
        return ""  # emoji, pictographs, dingbats, unassigned
    if kind == "Mn" and not unicodedata.combining(char):
        return ""
    return char


# joined letters, and symbols that carry meaning in news text
_NAMED = {
    "Æ": "Ae", "æ": "ae", "Œ": "Oe", "œ": "oe", "ß": "ss", "Ø": "O", "ø": "o", "Ł": "L",
    "ł": "l", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "ı": "i",
    "→": " ke ", "⇒": " ke ", "➡": " ke ", "←": " dari ", "↑": " naik ", "⬆": " naik ",
    "↓": " turun ", "⬇": " turun ", "№": " nomor ", "✓": "", "✔": "", "✗": "", "✘": "",
    "\ufe0f": "", "\ufe0e": "",
}  # fmt: skip
_SAID_LATER = {"°"}  # said by the symbols pass


_PREPARE_TABLE = str.maketrans(
    {
        "⁄": "/",
        "∕": "/",
        "−": "-",
        "‐": "-",
        "‑": "-",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
        "_": " ",
        "*": " ",
        "^": " ",
        "~": " ",
        "\\": " ",
        "|": ", ",
    }
)
