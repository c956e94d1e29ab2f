"""Written forms that need their own reading before the number rules see them.

Policy: an age in brackets after a name is said with "tahun" ("Pak Darmaji (58)" ->
"Pak Darmaji, lima puluh delapan tahun,"); "RT 03/RW 07" is two addresses, not a
choice; a regulation's "No. 1/2020" is "nomor satu tahun dua ribu dua puluh"; a date
line's year and time are said apart ("19 Okt 2020 12:57 WIB" -> "... 2020, pukul 12:57,
WIB"); an English decimal with four places or more ("19.86476") and a count with "K"
("28.8K") are decimals, said with "koma"; an abbreviation right after its own
expansion ("Amerika Serikat (AS)") is not said twice.
"""

from __future__ import annotations

import re

from suaraberita.text.normalize.common import _BEFORE

_AGE = re.compile(
    r"(?P<name>\b[A-Z][a-z'’-]+)\s?\((?P<n>[1-9][0-9]?|1[01][0-9])\)(?P<after>\s*[,.;:!?]?)"
)
_RT_RW = re.compile(
    r"\b(?P<rt>RT)\.?\s?(?P<a>[0-9]{1,3})\s?/\s?(?P<rw>RW)\.?\s?(?P<b>[0-9]{1,3})\b"
)
_REGULATION = re.compile(
    r"(?P<pre>\b(?:No\.?|Nomor|nomor|Nomer)\s?|\b(?:UU|PP|Perppu|Perpu|Perpres|Keppres|Inpres"
    r"|Permen\w*|Kepmen\w*|Perda|Pergub|Perwal|Perbup|SE|Perma|Perkap|POJK|PBI)\s)"
    r"(?P<n>[0-9]{1,4})\s?/\s?(?P<y>(?:19|20)[0-9]{2})(?![\w/])"
)
_YEAR_TIME = re.compile(
    r"(?P<y>\b(?:19|20)[0-9]{2})\s*[,|-]?\s+(?P<t>(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9])"
    r"(?P<z>\s*(?:WIB|WITA|WIT)\b)?"
)
_LONG_DECIMAL = re.compile(rf"{_BEFORE}(?P<i>[0-9]+)\.(?P<f>[0-9]{{4,}})(?![\w.,])")
# "28.8K", "100K" views; a lone "5K" is a race of five kilometres, left alone
_THOUSANDS = re.compile(rf"{_BEFORE}(?P<n>[0-9]+[.,][0-9]+|[0-9]{{2,}})(?P<k>[Kk])(?![\w])")
# starts only at a word's start and never gives back a word's letters, so a long run
# of capitals costs one pass, not one pass per letter
_EXPANSION = re.compile(
    r"(?P<full>\b(?:[A-Z][\w-]*+\s++(?:(?:dan|di|untuk|dari|&)\s++)?){1,8})"
    r"\((?P<abbr>[A-Z]{2,8})\)"
)
_CONNECTORS = {"dan", "di", "untuk", "dari", "&"}


def expand_forms(text: str) -> str:
    """The forms above, turned into text the later passes read right.

    >>> expand_forms("Pak Darmaji (58) dan Nurul (14). Warga RT 03/RW 07 menolak.")
    'Pak Darmaji, 58 tahun, dan Nurul, 14 tahun. Warga RT 03, RW 07 menolak.'
    >>> expand_forms("Perppu No. 1/2020, UU 11/2020; Senin, 19 Okt 2020 12:57 WIB")
    'Perppu nomor 1 tahun 2020, UU nomor 11 tahun 2020; Senin, 19 Okt 2020, pukul 12:57, WIB'
    >>> expand_forms("naik 19.86476 persen, ditonton 28.8K kali, Amerika Serikat (AS) dan BPS")
    'naik 19,86476 persen, ditonton 28,8 ribu kali, Amerika Serikat dan BPS'
    """
    text = _AGE.sub(_age, text)
    text = _RT_RW.sub(lambda m: f"{m['rt']} {m['a']}, {m['rw']} {m['b']}", text)
    text = _REGULATION.sub(_regulation, text)
    text = _YEAR_TIME.sub(_year_time, text)
    text = _LONG_DECIMAL.sub(lambda m: f"{m['i']},{m['f']}", text)
    text = _THOUSANDS.sub(lambda m: f"{m['n'].replace('.', ',')} ribu", text)
    return _EXPANSION.sub(_said_once, text)


def _age(m: re.Match[str]) -> str:
    after = m["after"].strip()
    return f"{m['name']}, {m['n']} tahun{after or ','}" + ("" if after else " ")


def _regulation(m: re.Match[str]) -> str:
    pre = m["pre"].strip()
    lead = "" if re.fullmatch(r"(?i)no\.?|nomor|nomer", pre) else f"{pre} "
    return f"{lead}nomor {m['n']} tahun {m['y']}"


def _year_time(m: re.Match[str]) -> str:
    zone = f", {m['z'].strip()}" if m["z"] else ""
    return f"{m['y']}, pukul {m['t']}{zone}"


def _said_once(m: re.Match[str]) -> str:
    """ "Badan Pusat Statistik (BPS)" keeps only the expansion; a bracket that is not
    the initials of the words before it stays."""
    words = [w for w in m["full"].split() if w.lower() not in _CONNECTORS]
    initials = "".join(w[0] for w in words).upper()
    abbr = m["abbr"]
    if abbr == "AS" and initials.endswith("AS"):
        return m["full"].rstrip()
    tail = initials[-len(abbr) - 2 :]
    if abbr[0] in tail and _subsequence(abbr, tail[tail.index(abbr[0]) :]):
        return m["full"].rstrip()
    return m[0]


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(char in letters for char in short)
