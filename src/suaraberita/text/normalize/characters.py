"""Characters first: one Unicode form, one kind of hyphen and slash, nothing invisible,
so the later patterns see one spelling of each character.
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
    return text


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
