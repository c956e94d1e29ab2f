"""Datelines: the place is said, the outlet is not.

A news story opens with where it was written and who wrote it, in many spellings:
"JAKARTA, KOMPAS.com -", "REPUBLIKA.CO.ID, NEW YORK --", "Ambon (ANTARA) -",
"jpnn.com - MAKASSAR -", "Suara.com -". A newsreader says the place ("Jakarta, ...")
or nothing, never the outlet. An outlet is a name from the noise tables or anything
written as a web domain, so an outlet without a table is recognised too.

>>> split_dateline("JAKARTA, KOMPAS.com - Harga cabai naik.", ("KOMPAS.com",)).place
'Jakarta'
>>> split_dateline("REPUBLIKA.CO.ID, NEW YORK -- Harga minyak turun.", ()).place
'New York'
>>> split_dateline("Suara.com - Warga mengungsi.", ()).place is None
True
>>> split_dateline("Jakarta, kata dia, masih macet.", ()) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_TLDS = ("com", "id", "net", "co", "tv", "news", "org", "info")
# atomic, so "KONTAN.CO.ID" is never read as "KONTAN.CO" and a place "ID"
_ENDS = "|".join(rf"(?<=\.{tld})" for tld in _TLDS)
_DOMAIN = rf"(?>[A-Za-z][\w-]*(?:\.[\w-]+)+)(?i:{_ENDS})"
_DASH = r"\s*(?:-{1,2}|–|—|~)\s*"
_CAPS_PLACE = r"[A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]*){0,3}"
_PLACE = r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3}"
_LOWER_WORDS = {"dan", "di", "ke"}
# words media names are made of: "MALANG POST", "TIMESINDONESIA", "JATIMTIMES"
_MEDIA = re.compile(
    r"(?i)times|news|post\b|pos\b|pers\b|today|online|media|kini|daily|warta|harian|express"
    r"|tribun|rakyat|suara|kabar|berita|info|journal|channel|zone|\btv\b|radio|\.(?:com|id|co)\b"
)
# an outlet nobody listed: a word with two capitals or more ("VIVA", "CNBC Indonesia")
_BRAND = r"[A-Z][A-Za-z]*[A-Z][\w.]*(?:\s[A-Z][a-z]+)?"


@dataclass(frozen=True)
class Dateline:
    place: str | None  # as spoken, in title case; None when only the outlet is named
    written: str  # the dateline as it was written, separators included
    rest: str  # the paragraph after it
    outlet: bool = True  # it names an outlet (not only a place: "JAKARTA -")


@lru_cache(maxsize=8)
def _patterns(outlets: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    # a name written as a domain ("SuaraJogja.id") is matched as a domain already
    domain = re.compile(_DOMAIN)
    spellings = {form for name in outlets for form in (name, name.upper(), name.title())}
    names = sorted({n for n in spellings if n and not domain.fullmatch(n)}, key=len, reverse=True)
    known = "|".join(re.escape(name) for name in names)
    # atomic: a name once matched is not cut short to make a place of its end; matched
    # as written (and in capitals or title case): a case-blind pattern compiles slowly
    named = rf"(?>{_DOMAIN}|{known})" if known else _DOMAIN  # a domain first: the longer
    return tuple(
        re.compile(pattern)
        for pattern in (
            rf"^(?P<place>{_PLACE}),\s*{named}(?:{_DASH}|\s*:\s+)",  # JAKARTA, KOMPAS.com -
            rf"^(?P<place>{_PLACE}),?\s*\({named}[^)]*\){_DASH}",  # Ambon (ANTARA) -
            rf"^{named}[,.]\s*(?P<place>{_PLACE})(?:{_DASH}|\s*:\s+)",  # Liputan6.com, Jakarta -
            rf"^{named}{_DASH}(?P<place>{_CAPS_PLACE})(?:{_DASH}|\.\s+)",  # jpnn.com - MAKASSAR -
            rf"^(?P<place>{_PLACE}),\s*{_BRAND}{_DASH}",  # Jakarta, CNBC Indonesia -
            # Sentani, Jubi – / Denpasar, Bali kini -: a name of one or two words
            rf"^(?P<place>{_PLACE}),\s*[A-Z][\w.]*(?:\s[A-Za-z][\w.]*)?\s(?:-{{1,2}}|–|—)\s",
            rf"^{_DOMAIN},\s*(?P<place>[A-Z][a-z]+)\s+(?=[A-Z][a-z])",  # Fimela.com, Jakarta Warga
            rf"^(?P<place>[A-Z]+)\.{_DOMAIN}{_DASH}",  # MATARAM.lombokjournal.com ~
            r"^[a-z][\w.]+\s*(?:-{1,2}|–|—|~)\s+(?=[A-Z\"“])",  # batampos – (a name, lowercase)
            rf"^{named}(?:{_DASH}|\s*:\s+)(?=\S)",  # Suara.com -
            r"^[A-Z]{3,}\.\s+(?=[A-Z])",  # RMOL. Komisi IV ...
        )
    ) + tuple(re.compile(pattern) for pattern in _PLACE_ONLY)


_PLACE_ONLY = (
    rf"^(?P<place>{_CAPS_PLACE}){_DASH}(?=[A-Z\"“])",  # JAKARTA -
    r"^(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})\s(?:-{1,2}|–|—)\s(?=[A-Z])",  # Denpasar -
)


def split_dateline(
    paragraph: str, outlets: Sequence[str], own: Sequence[str] = ()
) -> Dateline | None:
    """The dateline a paragraph opens with, or None when it has none; `own` are the
    page's outlet's own forms ("Surabaya: " on Medcom), tried first."""
    for pattern in (*_compiled(tuple(own)), *_patterns(tuple(outlets))):
        match = pattern.match(paragraph)
        if match is None:
            continue
        place = match.groupdict().get("place")
        if place and _MEDIA.search(place):
            return _media_first(paragraph, match)
        spoken = _title_case(place) if place else None
        named = pattern.pattern not in _PLACE_ONLY
        return Dateline(spoken, match[0], paragraph[match.end() :].lstrip(), named)
    return None


def _media_first(paragraph: str, match: re.Match[str]) -> Dateline:
    """What looked like a place is an outlet ("MALANG POST -", "TIMESINDONESIA, BATU -"):
    the place, if any, is what follows it."""
    written = match[0]
    after = re.match(rf",\s*(?P<place>{_CAPS_PLACE}){_DASH}", written[match.end("place") :])
    place = _title_case(after["place"]) if after else None
    return Dateline(place, written, paragraph[match.end() :].lstrip())


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


def _title_case(place: str) -> str:
    """ "NEW YORK" -> "New York"; a two-letter code stays ("WASHINGTON DC")."""
    words = []
    for word in place.split():
        if word.isupper() and len(word) > 2:
            word = word.capitalize() if word.lower() not in _LOWER_WORDS else word.lower()
        words.append(word)
    return " ".join(words)
