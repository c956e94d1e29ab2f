"""The last sweep: stray digits and slashes, spaces and commas, so no digit or "/"
ever reaches an engine; and the English letter "vi" (CCTV, DVD) written "Vi", which
espeak-ng says as the letter, where "vi" is to it the Roman numeral six.
"""

from __future__ import annotations

import re

from suaraberita.text.numbers import spell_digits


def tidy(text: str) -> str:
    """Last sweep: stray digits and slashes, spaces and commas.

    >>> tidy(" Sabtu ,  tiga belas , , Februari ,. 7/x ")
    'Sabtu, tiga belas, Februari. tujuh x'
    >>> tidy("kamera si si ti vi dan di vi di")
    'kamera si si ti Vi dan di Vi di'
    """
    text = re.sub(r"(?<![\w-])vi(?![\w-])", "Vi", text)
    text = re.sub(r"[0-9]+", lambda m: f" {spell_digits(m[0])} ", text)
    text = text.replace("/", " ")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+(?=[,.;:!?)\]](?!\w))", "", text)
    text = re.sub(r"(?<=[(\[])\s+", "", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*(?=[.;:!?](?!\w))", "", text)
    return text
