"""Clock times.

Policy: "pukul 10.30" -> "pukul sepuluh lewat tiga puluh menit", "07.00" -> "tujuh";
HH.MM is a time after pukul/jam, before a time zone, or with a two-digit hour.
"""

from __future__ import annotations

import re

from suaraberita.text.numbers import (
    spell_integer,
)

_TIME = (  # hour, separator, minutes, optional seconds; {n} numbers the groups
    r"(?P<h{n}>[01]?[0-9]|2[0-4])(?P<sep{n}>[.:])(?P<m{n}>[0-5][0-9])"
    r"(?:(?P=sep{n})(?P<s{n}>[0-5][0-9]))?"
)
_TIME_AFTER = r"(?![\w]|[.,:][0-9])"
_TIME_BARE = r"(?:[01]?[0-9]|2[0-4])[.:][0-5][0-9](?:[.:][0-5][0-9])?"


def _say_time(m: re.Match[str], n: int) -> str:
    hour, minute, second = m[f"h{n}"], m[f"m{n}"], m[f"s{n}"]
    words = spell_integer(int(hour))
    if int(minute) or (second and int(second)):
        words += f" lewat {spell_integer(int(minute))} menit"
    if second and int(second):
        words += f" {spell_integer(int(second))} detik"
    return words


def _time_sub(m: re.Match[str]) -> str:
    words = (m["ctx"] + " " if m["ctx"] else "") + _say_time(m, 1)
    if m["h2"] is not None:
        words += " sampai " + _say_time(m, 2)
    return words


_TIME_RANGE = rf"{_TIME.format(n=1)}(?:\s?[-–]\s?{_TIME.format(n=2)})?{_TIME_AFTER}"
_TIME_RES = (
    # after pukul / jam
    re.compile(rf"(?P<ctx>\b(?i:pukul|jam|pkl\.?))\s+{_TIME_RANGE}"),
    # before a time zone or with a two-digit hour or a colon: 10.30 WIB, 07.00, 9:15
    re.compile(
        rf"(?<![\w.,:/])(?P<ctx>)(?={_TIME_BARE}(?:\s?[-–]\s?{_TIME_BARE})?"
        rf"\s*(?:WIB|WITA|WIT|waktu setempat)\b){_TIME_RANGE}"
    ),
    re.compile(rf"(?<![\w.,:/])(?P<ctx>)(?=[0-9]{{2}}\.|[0-9]{{1,2}}:){_TIME_RANGE}"),
)


def expand_times(text: str) -> str:
    """Clock times: "pukul 10.30" -> "pukul sepuluh lewat tiga puluh menit".

    Whole hours lose their minutes ("07.00" -> "tujuh"); "10.30-12.00" is a range.

    >>> expand_times("pukul 10.30 WIB, pukul 07.00 WITA, 9:05, 8.15 WIT")
    'pukul sepuluh lewat tiga puluh menit WIB, pukul tujuh WITA, sembilan lewat lima menit, \
delapan lewat lima belas menit WIT'
    >>> expand_times("jam 08.00-12.30 dan 1.500 orang")
    'jam delapan sampai dua belas lewat tiga puluh menit dan 1.500 orang'
    """
    for pattern in _TIME_RES:
        text = pattern.sub(_time_sub, text)
    return text
