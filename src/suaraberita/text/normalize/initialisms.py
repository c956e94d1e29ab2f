"""Initialisms and acronyms.

Policy: initialisms are spelled with Indonesian letter names ("DPR" -> "de pe er"); listed
English ones get English letters ("CEO" -> "si i o"). Acronyms said as words (listed in
``data/acronyms.tsv``, or four letters or more that look pronounceable: a vowel, no three
consonants together, an Indonesian-like onset and coda) are written as a capitalised
word ("LIPI" -> "Lipi"), which espeak-ng reads as a word. "AS" is Amerika Serikat except
before a club name ("AS Roma" -> "a es Roma").
"""

from __future__ import annotations

import functools
import re

from suaraberita.text.normalize.common import _alternation, _letters, _rows, _table


def spell_letters(token: str) -> str:
    """Spell letters with their Indonesian names.

    >>> spell_letters("DPR")
    'de pe er'
    """
    return " ".join(_letters().get(char.upper(), char) for char in token)


_VOWELS = "AEIOU"
_ONSETS = re.compile(r"(?:[BCDFGKPT][RL]|S[KPTLMNW]|ST[R]|SPR|SKR|NG|NY|KH|SY|CH|SH)")
_CODAS = {"NG", "NK", "KS", "RS", "RT", "RD", "ST", "NS"}


def pronounceable(token: str) -> bool:
    """Whether an all-caps token of four letters or more can be said as a word.

    It needs a vowel, at most two vowels or two consonants together inside, and an
    onset and a coda of one consonant or a cluster Indonesian allows.

    >>> [pronounceable(t) for t in ("LIPI", "ASEAN", "GAPKI", "BRIN", "BUMN", "PSSI", "PDIP")]
    [True, True, True, True, False, False, False]
    """
    if len(token) < 4 or not any(v in token for v in _VOWELS):
        return False
    runs = re.findall(r"[AEIOU]+|[^AEIOU]+", token)
    if any(run[0] in _VOWELS and len(run) > 2 for run in runs):
        return False
    consonants = [(i, run) for i, run in enumerate(runs) if run[0] not in _VOWELS]
    for i, run in consonants:
        if i == 0:
            ok = len(run) == 1 or _ONSETS.fullmatch(run) is not None
        elif i == len(runs) - 1:
            ok = len(run) == 1 or run in _CODAS
        else:
            ok = len(run) <= 2
        if not ok:
            return False
    return True


@functools.cache
def _acronyms() -> dict[str, str]:
    return _table("acronyms.tsv")


@functools.cache
def _initialisms() -> dict[str, str]:
    return _table("initialisms.tsv")


@functools.cache
def _as_exceptions() -> re.Pattern[str]:
    names = (row[0] for row in _rows("as_exceptions.txt"))
    return re.compile(rf"(?<![\w])AS(?=\s+(?:{_alternation(names)})(?![\w]))")


def say_caps(token: str) -> str:
    """How an all-caps token is said: listed reading, word, or Indonesian letters.

    >>> [say_caps(t) for t in ("DPR", "CEO", "LIPI", "UNESCO", "PSSI", "WHO", "KONI")]
    ['de pe er', 'si i o', 'Lipi', 'Unesko', 'pe es es i', 'we ha o', 'Koni']
    """
    if token in _initialisms():
        return _initialisms()[token] or spell_letters(token)
    if token in _acronyms():
        return _acronyms()[token]
    if pronounceable(token) or _name_like(token):
        return token.capitalize()
    return spell_letters(token)


def _name_like(token: str) -> bool:
    """A word of five letters or more written in capitals, as names are in datelines
    and credits ("WEISS", "BAPPENAS"): a vowel for every three or four letters and no
    cluster of three consonants at its start."""
    vowels = sum(char in _VOWELS for char in token)
    return (
        len(token) >= 5
        and vowels / len(token) >= 0.25
        and re.match(r"[^AEIOU]{3}", token) is None
        and token not in _initialisms()
    )


_SHORT = re.compile(
    r"(?:[BCDFGHJKLMNPRSTVWYZ]|[BCDFGKPT][RL]|S[CKLMNPTW]|CH|SH|TH|WH)?[AEIOU]+"
    r"(?:[BCDFGHKLMNPRSTVWXYZ]|RK|RT|RD|RN|RM|RS|ST|NT|ND|NG|NK|LD|LT|LL|SS|SK|CK|SH|TH|CH|WN|WS|HN)?"
)


def _short_word(token: str) -> bool:
    """Three or four capitals that read as one syllable of a name: "NEW", "YORK", "JOHN"."""
    return len(token) <= 4 and _SHORT.fullmatch(token) is not None


def _words_in_capitals(match: re.Match[str]) -> str:
    """A run of capitalised words ("NEW YORK", "ANGELA WEISS", "WASHINGTON DC"): when most
    of them can be said as words, those are written as words and the rest (DC) spelled."""
    tokens = match[0].split(" ")
    wordy = [
        len(t) >= 3
        and any(v in t for v in _VOWELS)
        and t not in _initialisms()
        and t not in _acronyms()
        and (pronounceable(t) or _name_like(t) or _short_word(t))
        for t in tokens
    ]
    if sum(wordy) * 2 < len(tokens) or not any(
        w and len(t) >= 4 for t, w in zip(tokens, wordy, strict=True)
    ):
        return match[0]
    return " ".join(t.capitalize() if w else t for t, w in zip(tokens, wordy, strict=True))


def expand_initialisms(text: str) -> str:
    """Initialisms spelled, acronyms said as words, "AS" as Amerika Serikat.

    >>> expand_initialisms("DPR, KPK, dan TNI; Polri dan LIPI; CEO Tesla; PT XL Axiata")
    'de pe er, ka pe ka, dan te en i; Polri dan Lipi; si i o Tesla; pe te eks el Axiata'
    >>> expand_initialisms("dolar AS, AS Roma, Presiden RI, S.H. di Grup B, MotoGP")
    'dolar Amerika Serikat, a es Roma, Presiden er i, es ha di Grup be, Moto ge pe'
    >>> expand_initialisms("NEW YORK, ANGELA WEISS, WASHINGTON DC, DPR RI, BUMN PLN")
    'New York, Angela Weiss, Washington de ce, de pe er er i, be u em en pe el en'
    """
    text = _as_exceptions().sub("a es", text)
    text = re.sub(r"(?<![\w])AS(?![\w])", "Amerika Serikat", text)
    text = re.sub(
        r"(?<![\w.])(?P<t>(?:[A-Z]\.){2,})",
        lambda m: (
            spell_letters(m["t"].replace(".", "")) + ("." if m.end() == len(m.string) else "")
        ),
        text,
    )
    text = re.sub(r"(?<=[a-z])(?=[A-Z]{2,}(?![a-z]))", " ", text)
    text = re.sub(r"(?<![\w])[A-Z]{2,}(?: [A-Z]{2,})+(?![\w])", _words_in_capitals, text)
    return re.sub(r"(?<![\w])[A-Z]+(?![\w])", lambda m: say_caps(m[0]), text)
