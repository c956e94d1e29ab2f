"""Header lines of a news page: publication date lines and bylines.

These lines are metadata, not speech: a date line gives the episode's date, a byline
its author. Both are recognised by shape, so an outlet nobody wrote a rule for is
covered too: a date line is a date (and maybe a time and zone) with at most a few page
words around it; a name is two to five capitalised words.

>>> parse_date_line("Kompas.com - 01/12/2026, 10:15 WIB")
DateLine(iso='2026-12-01T10:15:00+07:00', updated=False, author=None)
>>> parse_date_line("oleh Bayu Saputra diperbarui 01 Des 2026, 11:20 WITA")
DateLine(iso='2026-12-01T11:20:00+08:00', updated=True, author='Bayu Saputra')
>>> parse_date_line("Gempa terjadi Selasa (1/12) pukul 09.12 WIB di laut.") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
MAX_EXTRA_WORDS = 6  # page words a date line may carry besides the date ("Diperbarui")
MAX_NAME_WORDS = 5
MAX_DATE_LINE_WORDS = 16

_DAYS = (
    r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
_TIME = r"(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?:[:.](?P<s>[0-5]\d))?"
_UPDATED = re.compile(r"(?i)\b(?:diperbarui|update[d]?|pembaruan|last updated)\b")
_PUBLISHED = re.compile(r"(?i)\b(?:diterbitkan|dipublikasikan|terbit|published|tayang)\b")
# what may stand beside a date on its line: separators, page words, a byline
_FILLER = re.compile(
    r"(?i)\b(?:diperbarui|diterbitkan|dipublikasikan|terbit|updated?|published|pukul|jam"
    r"|waktu|baca|menit|min|read|di|penulis|reporter|oleh)\b"
)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|bin|binti|van|de|da|al|el|dos)"
NAME = re.compile(rf"^[A-Z][\w'’.-]*(?: {_NAME_WORD}){{1,{MAX_NAME_WORDS - 1}}}$")


@dataclass(frozen=True)
class DateLine:
    iso: str  # ISO 8601: a date, or a date and time with its offset
    updated: bool  # "Diperbarui ...": a later edit, not the publication
    author: str | None = None  # a byline on the same line ("Nama - 30 Nov 2026 ...")


@cache
def _months() -> dict[str, int]:
    text = (files("suaraberita.intake") / "data" / "months.tsv").read_text(encoding="utf-8")
    names: dict[str, int] = {}
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            number, *spellings = row.split("\t")
            names.update(dict.fromkeys((s.strip().lower() for s in spellings), int(number)))
    return names


@cache
def _date_re() -> re.Pattern[str]:
    months = "|".join(sorted(_months(), key=len, reverse=True))
    return re.compile(
        rf"(?i)(?:\b{_DAYS}\b[,\s]*)?"
        rf"(?:(?P<d>[0-3]?\d)\s*(?P<mon>{months})\.?\s*,?\s*(?P<y>(?:19|20)\d\d)"
        rf"|(?P<d2>[0-3]?\d)(?P<sep>[/-])(?P<m2>[01]?\d)(?P=sep)(?P<y2>(?:19|20)\d\d))"
        rf"(?:\s*(?:[,|/·•-]|–|—|pukul|jam)?\s*{_TIME}(?:\s*(?P<zone>WIB|WITA|WIT)\b)?)?"
    )


def parse_date_line(line: str) -> DateLine | None:
    """The date a page header line states, or None when the line is more than a date."""
    if len(line.split()) > MAX_DATE_LINE_WORDS:
        return None
    match = _date_re().search(line)
    if match is None:
        return None
    if re.search(r"[.!?]\s*$", line) and not re.search(r"\b(?:WIB|WITA|WIT)\.$", line):
        return None  # a sentence that mentions a date
    rest = (line[: match.start()] + " " + line[match.end() :]).strip()
    author = _author_beside_date(line[: match.start()], line[match.end() :])
    words = [w for w in re.split(r"[\s,|/·•:()–—-]+", _FILLER.sub(" ", rest)) if w]
    if author:
        words = [w for w in words if w not in author.split()]
    words = [w for w in words if not re.fullmatch(r"(?i)oleh|by|jurnalis|wib|wita|wit", w)]
    timed = match["h"] is not None or re.match(rf"(?i){_DAYS}", match[0]) is not None
    if len(words) > (MAX_EXTRA_WORDS if timed else 1) or re.match(r"\d{1,3}\.\s", line):
        return None  # a heading or sentence with a date in it, not a date line
    iso = _iso(match)
    if iso is None:
        return None
    updated = bool(_UPDATED.search(line[: match.start()])) and not _PUBLISHED.search(line)
    return DateLine(iso, updated, author)


def _iso(match: re.Match[str]) -> str | None:
    try:
        if match["d"]:
            day = dt.date(int(match["y"]), _months()[match["mon"].lower()], int(match["d"]))
        else:
            day = dt.date(int(match["y2"]), int(match["m2"]), int(match["d2"]))
    except ValueError:
        return None
    if match["h"] is None:
        return day.isoformat()
    offset = dt.timezone(dt.timedelta(hours=ZONES.get((match["zone"] or "WIB").upper(), 7)))
    clock = dt.time(int(match["h"]), int(match["mi"]), int(match["s"] or 0))
    when = dt.datetime.combine(day, clock, offset)
    return when.isoformat()


def _author_beside_date(before: str, after: str) -> str | None:
    """A byline sharing the date's line: "oleh Nama diperbarui", "Nama, Jurnalis ·",
    "Nama - ", "Nama •" before the date."""
    before = _UPDATED.sub(" ", _PUBLISHED.sub(" ", before))
    before = re.sub(r"(?i)^\s*(?:oleh|by|penulis|reporter|pewarta)\s*:?\s+", "", before)
    before = re.sub(r"(?i)\s+di\s*$", "", before)  # "oleh Nama di 30 November 2026"
    before = re.sub(r"(?i),?\s*jurnalis\b", "", before)
    candidate = re.sub(r"[\s,|·•:–—-]+$", "", before.strip())
    candidate = re.sub(rf"\s+\b{_DAYS}$", "", candidate, flags=re.IGNORECASE)
    return candidate if is_name(candidate) else None


def is_name(text: str) -> bool:
    """Two to five capitalised words, letters only: how a byline names a person.

    >>> [is_name(t) for t in ("Rina Lestari", "Moh. Kadafi", "Ekonomi", "Harga Naik 5%")]
    [True, True, False, False]
    """
    return bool(NAME.match(text)) and not re.search(r"\d", text)
