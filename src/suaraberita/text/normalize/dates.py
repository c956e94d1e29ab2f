"""Dates.

Policy: "(13/2)" in parentheses is a date and gets commas around it ("Sabtu (13/2) Elon"
-> "Sabtu, tiga belas Februari, Elon"); so is d/m/yyyy anywhere and d/m after a weekday
or "tanggal". Any other a/b is left to the fraction rule of `figures`.
"""

from __future__ import annotations

import functools
import re

from suaraberita.text.normalize.common import _BEFORE, _DAYS, _alternation, _date, _months


@functools.cache
def _month_abbrev_re() -> re.Pattern[str]:
    return re.compile(
        rf"{_BEFORE}(?P<d>[0-9]{{1,2}})\s+(?P<mon>{_alternation(_months()[1])})\.?(?![\w])"
    )


def expand_dates(text: str) -> str:
    """Dates: "(13/2)", "(27/1/2021)", "27/1/2021", "2021-01-27", "Senin 1/3", "13 Feb",
    and the era after a year ("1442 H" -> Hijriah, "2021 M" -> Masehi).

    A date in parentheses loses them and is set off with commas.

    >>> expand_dates("pada Sabtu (13/2) Elon Musk")
    'pada Sabtu, tiga belas Februari, Elon Musk'
    >>> expand_dates("Rabu (27/1/2021). Lalu 2021-03-01 dan 5/4/21, Senin 1/3, 13 Feb 2021")
    'Rabu, dua puluh tujuh Januari dua ribu dua puluh satu. Lalu satu Maret dua ribu dua \
puluh satu dan lima April dua ribu dua puluh satu, Senin satu Maret, 13 Februari 2021'
    >>> expand_dates("1 Ramadan 1442 H")
    '1 Ramadan 1442 Hijriah'
    """

    def bracketed(m: re.Match[str]) -> str:
        words = _date(m["d"], m["m"], m["y"])
        if words is None:
            return m[0]
        if m["day"]:
            words = f"{m['day']}, {words}"
        before = m.string[: m.start()].rstrip()
        after = m.string[m.end() :]
        lead = " " if not before or before[-1] in ",;:(-—–" else ", "
        trail = "," if re.match(r"\s*[\w(\"']", after) else ""
        return lead + words + trail

    text = re.sub(
        rf"\s*\(\s*(?:(?P<day>{_DAYS}),?\s*)?(?P<d>[0-9]{{1,2}})/(?P<m>[0-9]{{1,2}})"
        rf"(?:/(?P<y>[0-9]{{4}}|[0-9]{{2}}))?\s*\)",
        bracketed,
        text,
    )
    text = re.sub(
        r"(?<![\w.,/-])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![\w/-]|[.,][0-9])",
        lambda m: _date(m["d"], m["m"], m["y"]) or m[0],
        text,
    )
    text = re.sub(
        r"(?<![\w.,/-])(?P<d>[0-9]{1,2})(?P<sep>[/-])(?P<m>[0-9]{1,2})(?P=sep)"
        r"(?P<y>[0-9]{4}|[0-9]{2})(?![\w/-]|[.,][0-9])",
        lambda m: _date(m["d"], m["m"], m["y"]) or m[0],
        text,
    )
    text = re.sub(
        rf"(?P<pre>\b(?:{_DAYS}|tanggal|tgl\.?),?\s+)(?P<d>[0-9]{{1,2}})/(?P<m>[0-9]{{1,2}})"
        r"(?![\w/]|[.,][0-9])",
        lambda m: m["pre"] + (_date(m["d"], m["m"]) or m[0][len(m["pre"]) :]),
        text,
    )
    text = re.sub(
        r"(?<![\w.,])(?P<y>[0-9]{3,4})\s?(?P<era>M|H)(?![\w])",
        lambda m: f"{m['y']} {'Masehi' if m['era'] == 'M' else 'Hijriah'}",
        text,
    )
    return _month_abbrev_re().sub(lambda m: f"{m['d']} {_months()[1][m['mon']]}", text)
