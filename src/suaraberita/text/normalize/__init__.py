"""Indonesian text normalisation: turn written news text into words a newsreader says.

`normalize` runs one paragraph through `PASSES`, an ordered tuple of small ``str -> str``
functions (the gTTS pre-processor style). Word lists live in ``suaraberita/text/data/``.
The output holds no ASCII digit, no ``/`` and no all-caps initialism, because espeak-ng
mangles those (and its number state leaks between calls); normalising twice changes
nothing.

Reading policies (each pass documents its own):

* Numbers: "." groups thousands, "," is the decimal mark, decimals are read digit by
  digit ("3,14" -> "tiga koma satu empat"). A number written with a leading zero, or of
  sixteen digits or more without separators, is read digit by digit (phone numbers,
  IDs). Dots that do not group thousands ("2.5", "192.168.1.1") are read "titik".
* Money: the number first, then the currency ("Rp1,3 triliun" -> "satu koma tiga
  triliun rupiah"); an all-zero fraction and ",-" are dropped.
* Dates: "(13/2)" in parentheses is a date and gets commas around it ("Sabtu (13/2)
  Elon" -> "Sabtu, tiga belas Februari, Elon"); so is d/m/yyyy anywhere and d/m after a
  weekday or "tanggal". Any other a/b is a fraction ("1/2" -> "setengah").
* Times: "pukul 10.30" -> "pukul sepuluh lewat tiga puluh menit", "07.00" -> "tujuh";
  HH.MM is a time after pukul/jam, before a time zone, or with a two-digit hour.
* Ranges and scores: "2020-2021" -> "... sampai ...", but after a match word (menang,
  skor, ...) or when the first number is not smaller, a score: "3-1" -> "tiga satu".
* Ordinals: "ke-1" -> "pertama", "ke-3" -> "ketiga"; "1990-an" -> "... sembilan puluhan".
* Roman numerals only after context words (`data/roman_context.tsv`: "Perang Dunia II"
  -> "kedua", "Komisi XI" -> "sebelas"), or as a regnal number of two letters or more
  of I, V and X after a capitalised name ("Elizabeth II"). A lone "I", "DI", "MIX" or
  "XL" elsewhere is left to the initialism rules.
* Initialisms are spelled with Indonesian letter names ("DPR" -> "de pe er"); listed
  English ones get English letters ("CEO" -> "si i o"). Acronyms said as words (listed
  in `data/acronyms.tsv`, or four letters or more that look pronounceable: a vowel, no
  three consonants together, an Indonesian-like onset and coda) are written as a
  capitalised word ("LIPI" -> "Lipi"), which espeak-ng reads as a word. "AS" is Amerika
  Serikat except before a club name ("AS Roma" -> "a es Roma").
* Web addresses are read as their host ("kompas titik com"); telephone numbers digit by
  digit; "/" is "per" next to a unit or currency ("kilometer per jam"), else "atau".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from importlib.resources import files
from pathlib import Path

from suaraberita.errors import ConfigError
from suaraberita.text.numbers import (
    MAX_SCALE_DIGITS,
    parse_number,
    spell_digits,
    spell_fraction,
    spell_integer,
    spell_number,
    spell_ordinal,
)

__all__ = ["PASSES", "load_lexicon", "normalize"]

Pass = Callable[[str], str]

# A number as written in Indonesian news: 1.500.000,25 or 1500 or 3,14.
_NUM = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?"
_BEFORE = r"(?<![\w.,])"  # a number starts here
_AFTER = r"(?![\w]|[.,][0-9])"  # and ends here
_DAYS = r"Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad"
_LONG_DIGITS = 16  # a plain digit run this long is an ID, read digit by digit


# ---------------------------------------------------------------- data files


@functools.cache
def _rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file, without comments and blank lines."""
    text = (files("suaraberita.text") / "data" / name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


def _table(name: str) -> dict[str, str]:
    return {row[0]: row[1] if len(row) > 1 else "" for row in _rows(name)}


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def _letters() -> dict[str, str]:
    return _table("letters.tsv")


@functools.cache
def _months() -> tuple[dict[int, str], dict[str, str]]:
    """Month names by number, and full names by abbreviation."""
    names: dict[int, str] = {}
    abbrev: dict[str, str] = {}
    for number, name, *short in _rows("months.tsv"):
        names[int(number)] = name
        abbrev.update(dict.fromkeys(short, name))
    return names, abbrev


@functools.cache
def _currencies() -> dict[str, str]:
    return _table("currencies.tsv")


@functools.cache
def _units() -> dict[str, str]:
    return _table("units.tsv")


# ---------------------------------------------------------------- helpers


def _say(number: str, *, money: bool = False) -> str:
    """Spell a number string; money drops an all-zero fraction ("5.000.000,00")."""
    if money and re.fullmatch(r"[0-9]+\.[0-9]{1,2}", number):  # "$12.50", English style
        number = number.replace(".", ",")
    if money and re.search(r",0+$", number):
        number = number.rsplit(",", 1)[0]
    try:
        return spell_number(number)
    except ValueError:
        return _say_loose(number)


def _say_int(digits: str) -> str:
    """Spell a run of digits as an integer, or digit by digit when it reads as an ID."""
    if (len(digits) > 1 and digits[0] == "0") or len(digits) >= _LONG_DIGITS:
        return spell_digits(digits)
    return spell_integer(int(digits))


def _say_loose(token: str) -> str:
    """Spell digits joined by dots and commas that are not an Indonesian number.

    >>> _say_loose("192.168.1.1")
    'seratus sembilan puluh dua titik seratus enam puluh delapan titik satu titik satu'
    >>> _say_loose("1,000,000")
    'satu juta'
    """
    if re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3}){2,}", token):  # English grouping 1,000,000
        return _say_int(token.replace(",", ""))
    words = []
    for part in re.split(r"([.,])", token):
        if part == ".":
            words.append("titik")
        elif part == ",":
            words.append("koma")
        elif part:
            words.append(_say_int(part))
    return " ".join(words)


def _ordinal(digits: str) -> str:
    if len(digits) > MAX_SCALE_DIGITS:
        return "ke" + spell_digits(digits)
    return spell_ordinal(int(digits))


def _date(day: str, month: str, year: str | None = None) -> str | None:
    """Spoken date, or None when day or month is out of range."""
    d, m = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    words = f"{spell_integer(d)} {_months()[0][m]}"
    if year:
        y = int(year)
        if len(year) == 2:
            y += 2000 if y < 50 else 1900
        words += f" {spell_integer(y)}"
    return words


# ---------------------------------------------------------------- passes


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


_URL_PATH = r"(?:[^\s<>()\"']*[^\s<>()\"'.,;:!?])?"  # a path does not end in punctuation


def expand_urls(text: str) -> str:
    """Web addresses, e-mail addresses, @handles and #hashtags.

    A URL is read as its host only; dots are "titik", "@" is "et".

    >>> expand_urls("Baca di https://www.kompas.com/read/2021/x dan detik.com/berita.")
    'Baca di kompas titik com dan detik titik com.'
    >>> expand_urls("Kirim ke redaksi@tempo.co.id atau @jokowi #IndonesiaMaju #1")
    'Kirim ke redaksi et tempo titik co titik id atau jokowi tagar Indonesia Maju nomor 1'
    """

    def host(name: str) -> str:
        labels = [label for label in name.lower().split(".") if label]
        return " titik ".join(_spell_label(label) for label in labels)

    text = re.sub(
        r"(?i)(?<![\w@])(?:https?://|www\.)(?:www\.)?(?P<host>[^\W_][\w-]*(?:\.[\w-]+)*)"
        rf"(?:[/?#:]{_URL_PATH})?",
        lambda m: host(m["host"]),
        text,
    )
    text = re.sub(
        r"(?<![\w.@])(?P<user>[\w.+-]+)@(?P<host>[\w-]+(?:\.[\w-]+)+)",
        lambda m: f"{host(m['user'])} et {host(m['host'])}",
        text,
    )
    text = re.sub(
        r"(?<![\w.@/])(?P<host>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*"
        r"\.(?:com|co\.id|go\.id|ac\.id|or\.id|net|org|id|co|io|tv|news|info))(?![\w]|\.\w)"
        rf"(?:/{_URL_PATH})?",
        lambda m: host(m["host"]),
        text,
    )
    text = re.sub(r"(?<![\w@])@(?P<handle>\w+)", lambda m: m["handle"].replace("_", " "), text)
    text = re.sub(r"(?<![\w&#])#(?=[0-9])", "nomor ", text)
    return re.sub(
        r"(?<![\w&#])#(?P<tag>\w+)",
        lambda m: "tagar " + re.sub(r"(?<=[a-z])(?=[A-Z])", " ", m["tag"]),
        text,
    )


def _spell_label(label: str) -> str:
    """A host or user name label: digits read one by one, separators as spaces."""
    label = re.sub(r"[0-9]+", lambda m: f" {spell_digits(m[0])} ", label)
    return " ".join(re.split(r"[-_+\s]+", label.strip()))


_PHONE_RES = (
    # +62 812-3456-7890, +62 (21) 555 1234
    re.compile(r"(?<![\w+])\+(?P<n>[0-9]+(?:[\s()-]+[0-9]+){0,6}\)?)(?![\w])"),
    # (021) 555-1234, 0812 3456 7890, 0812-3456-7890
    re.compile(
        r"(?<![\w.,])(?P<n>(?:\(0[0-9]{1,3}\)|0[0-9]{2,4})(?:[\s-]?[0-9]{3,5}){1,3})(?![\w]|[.,][0-9])"
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


@functools.cache
def _money_re() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    symbols = _alternation(_currencies())
    codes = _alternation(c for c in _currencies() if re.fullmatch(r"[A-Z]{3}", c))
    amount = rf"(?P<a>{_NUM}|[0-9]+\.[0-9]{{1,2}})(?:\s?[-–]\s?(?P<b>{_NUM}))?{_AFTER}"
    scale = (
        r"(?:\s?(?P<scale>(?i:ribu|juta|miliar|milyar|triliun|kuadriliun)|rb|jt|M|T)"
        r"(?![\w]))?"
    )
    before = re.compile(rf"(?<![\w$])(?P<cur>{symbols})\s?{amount}{scale}(?P<tail>,-+|,—)?")
    after = re.compile(rf"{_BEFORE}{amount}{scale}\s?(?P<cur>{codes})(?![\w])")
    # "Rp 12.000-Rp 13.000" is the range "Rp 12.000-13.000"
    repeated = re.compile(rf"(?<=[0-9])\s?[-–]\s?(?:{symbols})\s?(?=[0-9])")
    return before, after, repeated


_SCALE_WORDS = {"rb": "ribu", "jt": "juta", "m": "miliar", "milyar": "miliar", "t": "triliun"}


def expand_money(text: str) -> str:
    """Amounts of money: the number, then its scale word, then the currency.

    >>> expand_money("Rp1,3 triliun, Rp50.000,- dan Rp5.000.000,00")
    'satu koma tiga triliun rupiah, lima puluh ribu rupiah dan lima juta rupiah'
    >>> expand_money("US$13 miliar atau Rp 10-15 jt atau 5 juta USD")
    'tiga belas miliar dolar Amerika Serikat atau sepuluh sampai lima belas juta rupiah \
atau lima juta dolar Amerika Serikat'
    >>> expand_money("Rp 12.000-Rp 13.000")
    'dua belas ribu sampai tiga belas ribu rupiah'
    """

    def say(m: re.Match[str]) -> str:
        words = _say(m["a"], money=True)
        if m["b"]:
            words += " sampai " + _say(m["b"], money=True)
        if m["scale"]:
            scale = m["scale"].lower()
            words += " " + _SCALE_WORDS.get(scale, scale)
        return f"{words} {_currencies()[m['cur']]}"

    before, after, repeated = _money_re()
    text = repeated.sub("-", text)
    return after.sub(say, before.sub(say, text))


@functools.cache
def _units_re() -> re.Pattern[str]:
    units = _alternation(_units())
    return re.compile(rf"(?:(?<=[0-9])\s?|(?<=\bper\s)|(?<=/))(?P<unit>{units})(?![\w°])")


def expand_units(text: str) -> str:
    """Units of measure after a number (or after "per" and "/"): "3 km" -> "3 kilometer".

    >>> expand_units("3 km, 25°C, 5,2% dan 40 km/jam, Rp 5.000 per kg")
    '3 kilometer, 25 derajat Celsius, 5,2 persen dan 40 kilometer per jam, Rp 5.000 per kilogram'
    """
    return _units_re().sub(lambda m: " " + _units()[m["unit"]], text).replace("  ", " ")


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


_SCORE_WORDS = re.compile(
    r"(?i)\b(?:menang|kalah|skor|unggul|imbang|takluk|tumbang|agregat|tertinggal|mengalahkan"
    r"|dikalahkan|menekuk|ditekuk|membungkam|dibungkam|menggilas|digilas|melibas|dilibas"
    r"|menundukkan|ditundukkan|membantai|dibantai|menaklukkan|ditaklukkan|set)\b[^.!?,;]{0,25}$"
)


def expand_ranges(text: str) -> str:
    """Ranges ("2020-2021" -> "sampai"), scores ("menang 3-1") and hyphenated codes.

    A score is a pair after a match word, or one whose first number is not smaller;
    three or more numbers joined by hyphens (phone numbers, codes) are read digit by digit.

    >>> expand_ranges("periode 2020-2021, 10-12 Mei, menang 3-1, kalah 0-2, 0812-3456-789")
    'periode dua ribu dua puluh sampai dua ribu dua puluh satu, sepuluh sampai dua belas Mei, \
menang tiga satu, kalah nol dua, nol delapan satu dua tiga empat lima enam tujuh delapan sembilan'
    """

    def chain(m: re.Match[str]) -> str:
        return " ".join(spell_digits(part) for part in re.split(r"[-–]", m[0]))

    def pair(m: re.Match[str]) -> str:
        a, b = m["a"], m["b"]
        if any(len(x) > 1 and x[0] == "0" for x in (a, b)):
            return f"{spell_digits(a)} {spell_digits(b)}"
        score = "," not in a + b and (
            _SCORE_WORDS.search(m.string, 0, m.start()) is not None
            or int(a.replace(".", "")) >= int(b.replace(".", ""))
        )
        return f"{_say(a)} {'' if score else 'sampai '}{_say(b)}"

    text = re.sub(r"(?<![\w.,/-])[0-9]+(?:[-–][0-9]+){2,}(?![\w/-]|[.,][0-9])", chain, text)
    return re.sub(
        rf"(?<![\w.,/-])(?P<a>{_NUM})\s?[-–]\s?(?P<b>{_NUM})(?![\w/-]|[.,][0-9])", pair, text
    )


def expand_ordinals(text: str) -> str:
    """Ordinals "ke-3" -> "ketiga" ("ke-1" -> "pertama"), decades "1990-an", and days
    counted to an event "H-1" -> "ha min satu".

    >>> expand_ordinals("juara ke-3, Ke-1, abad ke-21, tahun 1990-an, uang 5.000-an, '80-an")
    'juara ketiga, Pertama, abad kedua puluh satu, tahun seribu sembilan ratus sembilan \
puluhan, uang lima ribuan, delapan puluhan'
    >>> expand_ordinals("H-1 Lebaran, H+3")
    'ha min satu Lebaran, ha plus tiga'
    """

    def ordinal(m: re.Match[str]) -> str:
        words = _ordinal(m["n"])
        return words.capitalize() if m["k"] == "K" else words

    text = re.sub(r"(?<![\w-])(?P<k>[Kk])e-(?P<n>[0-9]+)(?![\w]|[.,][0-9])", ordinal, text)
    text = re.sub(
        r"(?<![\w-])H(?P<sign>[-+])(?P<n>[0-9]{1,3})(?![\w]|[.,][0-9])",
        lambda m: f"ha {'min' if m['sign'] == '-' else 'plus'} {spell_integer(int(m['n']))}",
        text,
    )
    return re.sub(rf"(?<![\w.,])'?(?P<n>{_NUM})-an(?![\w])", lambda m: _say(m["n"]) + "an", text)


# I to XXXIX only: enough for centuries, commissions and kings, and it keeps "C", "D",
# "L", "M", "CD" or "MIX" (vitamin C, golongan D, kelas C) letters.
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman_value(numeral: str) -> int:
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


@functools.cache
def _roman_re() -> re.Pattern[str]:
    context = _alternation(row[0] for row in _rows("roman_context.tsv"))
    return re.compile(rf"(?<![\w])(?P<ctx>(?i:{context}))\s+(?P<r>{_ROMAN})(?![\w])")


@functools.cache
def _roman_kinds() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in _rows("roman_context.tsv")}


def expand_roman(text: str) -> str:
    """Roman numerals (I to XXXIX) where the context makes them numbers.

    After a word of `data/roman_context.tsv` (ordinal or cardinal as listed there), or,
    as a regnal ordinal, II..XXXIX after a capitalised name. Nowhere else: "DI
    Yogyakarta", "PT XL", "MIX", "kelas C" and an English "I" stay letters.

    >>> expand_roman("Perang Dunia II, Paku Buwono X, Komisi XI DPR, abad XIX, Elizabeth II")
    'Perang Dunia kedua, Paku Buwono kesepuluh, Komisi sebelas DPR, abad kesembilan belas, \
Elizabeth kedua'
    >>> expand_roman("DI Yogyakarta, PT XL, When I go, kelas C, golongan IV")
    'DI Yogyakarta, PT XL, When I go, kelas C, golongan empat'
    """

    def context(m: re.Match[str]) -> str:
        value = _roman_value(m["r"])
        kind = _roman_kinds().get(" ".join(m["ctx"].lower().split()), "cardinal")
        words = spell_ordinal(value) if kind == "ordinal" else spell_integer(value)
        return f"{m['ctx']} {words}"

    def regnal(m: re.Match[str]) -> str:
        return f"{m['name']} {spell_ordinal(_roman_value(m['r']))}"

    text = _roman_re().sub(context, text)
    return re.sub(
        rf"(?<![\w])(?P<name>[A-Z][a-z]+)\s+(?P<r>(?=[IVX]{{2}}){_ROMAN})(?![\w])", regnal, text
    )


def expand_numbers(text: str) -> str:
    """Every number left: fractions, ratios, signs, decimals and plain integers.

    Letters and digits written together are read apart ("G20", "5G", "Covid-19").

    >>> expand_numbers("1/2 jam, 3/4 bagian, 1:3, suhu -5, G20, 5G, Covid-19, 12.345.678")
    'setengah jam, tiga perempat bagian, satu banding tiga, suhu minus lima, G dua puluh, \
lima G, Covid sembilan belas, dua belas juta tiga ratus empat puluh lima ribu enam ratus \
tujuh puluh delapan'
    >>> expand_numbers("musim 2020/2021, 3,14 dan 2.5 dan 021 dan 1.500.")
    'musim dua ribu dua puluh sampai dua ribu dua puluh satu, tiga koma satu empat dan dua \
titik lima dan nol dua satu dan seribu lima ratus.'
    """

    def fraction(m: re.Match[str]) -> str:
        a, b = m["a"], m["b"]
        if max(len(a), len(b)) > 12 or a[0] == "0" or b[0] == "0":
            return f"{_say_int(a)} per {_say_int(b)}"
        if len(a) == 4 and int(b) == int(a) + 1:  # a season: 2020/2021
            return f"{_say_int(a)} sampai {_say_int(b)}"
        return spell_fraction(int(a), int(b))

    text = re.sub(r"(?<![\w.,/])(?P<a>[0-9]+)/(?P<b>[0-9]+)(?![\w/]|[.,][0-9])", fraction, text)
    text = re.sub(
        r"(?<![\w.,:])(?P<a>[0-9]+):(?P<b>[0-9]+)(?![\w:]|[.,][0-9])",
        lambda m: f"{_say_int(m['a'])} banding {_say_int(m['b'])}",
        text,
    )
    text = re.sub(r"(?<=[^\W\d_])-?(?=[0-9])|(?<=[0-9])-?(?=[^\W\d_])", " ", text)
    text = re.sub(
        r"(?<![\w.,)\]])(?P<sign>[-+])(?=[0-9])",
        lambda m: "minus " if m["sign"] == "-" else "plus ",
        text,
    )
    return re.sub(r"[0-9]+(?:[.,][0-9]+)*", lambda m: _say_number_token(m[0]), text)


def _say_number_token(token: str) -> str:
    try:
        parsed = parse_number(token)
    except ValueError:
        return _say_loose(token)
    if not parsed.fraction and len(parsed.integer) >= _LONG_DIGITS and "." not in token:
        return spell_digits(token)
    return _say(token)


@functools.cache
def _abbreviation_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    abbreviations = _alternation(row[0] for row in _rows("abbreviations.tsv"))
    respell = _alternation(_table("respell.tsv"))
    codes = _alternation(c for c in _currencies() if re.fullmatch(r"[A-Z]{3}", c))
    return (
        re.compile(rf"(?<![\w.])(?P<w>{abbreviations})(?![\w])"),
        re.compile(rf"(?<![\w])(?P<w>(?i:{respell}))(?![\w])"),
        re.compile(rf"(?<![\w])(?P<w>{codes})(?![\w])"),
    )


@functools.cache
def _abbreviations() -> dict[str, tuple[str, bool]]:
    return {row[0]: (row[1], "end" in row[2:]) for row in _rows("abbreviations.tsv")}


def expand_abbreviations(text: str) -> str:
    """Written abbreviations, respelled words and currency codes (`data/*.tsv`).

    An abbreviation that can end a sentence keeps its dot as a full stop there.

    >>> expand_abbreviations("buku, pena, dll. Jl. Sudirman No. 5, tsb. yg baru")
    'buku, pena, dan lain-lain. Jalan Sudirman nomor 5, tersebut yang baru'
    >>> expand_abbreviations("Prof. Dr. Budi dan dr. Ani, pukul 9 WIB, 5 dollar, COVID, kurs USD")
    'Profesor Doktor Budi dan dokter Ani, pukul 9 Waktu Indonesia Barat, 5 dolar, Kovid, \
kurs dolar Amerika Serikat'
    """
    abbreviations, respell, codes = _abbreviation_res()

    def abbreviation(m: re.Match[str]) -> str:
        spoken, can_end = _abbreviations()[m["w"]]
        rest = m.string[m.end() :]
        if can_end and m["w"].endswith(".") and re.match(r"\s*$|\s+[A-Z\"'“]", rest):
            spoken += "."
        return spoken

    def respelled(m: re.Match[str]) -> str:
        spoken = _respellings()[m["w"].lower()]
        return spoken[:1].upper() + spoken[1:] if m["w"][:1].isupper() else spoken

    text = abbreviations.sub(abbreviation, text)
    text = respell.sub(respelled, text)
    return codes.sub(lambda m: _currencies()[m["w"]], text)


@functools.cache
def _respellings() -> dict[str, str]:
    return {word.lower(): spoken for word, spoken in _table("respell.tsv").items()}


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
    if pronounceable(token):
        return token.capitalize()
    return spell_letters(token)


def expand_initialisms(text: str) -> str:
    """Initialisms spelled, acronyms said as words, "AS" as Amerika Serikat.

    >>> expand_initialisms("DPR, KPK, dan TNI; Polri dan LIPI; CEO Tesla; PT XL Axiata")
    'de pe er, ka pe ka, dan te en i; Polri dan Lipi; si i o Tesla; pe te eks el Axiata'
    >>> expand_initialisms("dolar AS, AS Roma, Presiden RI, S.H. di Grup B, MotoGP")
    'dolar Amerika Serikat, a es Roma, Presiden er i, es ha di Grup be, Moto ge pe'
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
    return re.sub(r"(?<![\w])[A-Z]+(?![\w])", lambda m: say_caps(m[0]), text)


@functools.cache
def _per_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words before and after a "/" that make it "per" (not "atau")."""
    left = {spoken.split()[-1] for spoken in [*_units().values(), *_currencies().values()]}
    right = set(_units()) | {spoken.split()[0] for spoken in _units().values()}
    right |= {
        "jam", "detik", "menit", "hari", "minggu", "pekan", "bulan", "tahun", "orang",
        "kapita", "unit", "lembar", "ekor", "kepala", "barel", "butir", "porsi", "malam",
        "kamar", "ton", "keluarga", "rumah", "bungkus", "botol", "pcs", "buah",
    }  # fmt: skip
    return frozenset(left), frozenset(right)


_SYMBOLS = {
    "%": " persen ",
    "‰": " permil ",
    "°": " derajat ",
    "&": " dan ",
    "+": " plus ",
    "=": " sama dengan ",
    "@": " et ",
    "×": " kali ",
    "±": " kurang lebih ",
    "≈": " kira-kira ",
    "<": " kurang dari ",
    ">": " lebih dari ",
    "≤": " paling banyak ",
    "≥": " paling sedikit ",
    "§": " pasal ",
    "$": " dolar ",
    "€": " euro ",
    "£": " pound sterling ",
    "¥": " yen ",
    "₩": " won ",
    "#": " ",
}


def expand_symbols(text: str) -> str:
    """Symbols: % ° & + = @ and the currency signs in words; "/" as "per" or "atau".

    "/" is "per" after a unit or currency word or before a unit or time word
    ("kilometer/jam", "rupiah/liter"), else "atau" between words ("siswa/siswi").

    >>> expand_symbols("naik 5 % & rupiah/kg, kilometer/hari, siswa/siswi, A+B")
    'naik 5 persen dan rupiah per kilogram, kilometer per hari, siswa atau siswi, A plus B'
    """
    left, right = _per_words()

    def slash(m: re.Match[str]) -> str:
        a, b = m["a"], m["b"]
        if a.lower() in left or b in right or b.lower() in right:
            return f"{a} per {_units().get(b, b)}"
        return f"{a} atau {b}"

    text = re.sub(r"(?P<a>[^\W\d_]+)\s*/\s*(?P<b>[^\W\d_]+)", slash, text)
    return re.sub(r"\s{2,}", " ", text.translate(_SYMBOL_TABLE))


_SYMBOL_TABLE = str.maketrans(_SYMBOLS)


def tidy(text: str) -> str:
    """Last sweep: stray digits and slashes, spaces and commas.

    >>> tidy(" Sabtu ,  tiga belas , , Februari ,. 7/x ")
    'Sabtu, tiga belas, Februari. tujuh x'
    """
    text = re.sub(r"[0-9]+", lambda m: f" {spell_digits(m[0])} ", text)
    text = text.replace("/", " ")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+(?=[,.;:!?)\]](?!\w))", "", text)
    text = re.sub(r"(?<=[(\[])\s+", "", text)
    text = re.sub(r",(?:\s*,)+", ",", text)
    text = re.sub(r",\s*(?=[.;:!?](?!\w))", "", text)
    return text


PASSES: tuple[Pass, ...] = (
    prepare,
    expand_urls,
    expand_phone_numbers,
    expand_money,
    expand_units,
    expand_dates,
    expand_times,
    expand_ranges,
    expand_ordinals,
    expand_roman,
    expand_numbers,
    expand_abbreviations,
    expand_initialisms,
    expand_symbols,
    tidy,
)


# ---------------------------------------------------------------- lexicon

# Replaced lexicon spans hide behind one private-use character each (plane 15), so no
# later pass can touch them; such characters are removed from the input first.
_SENTINEL_BASE = 0xF0000
_SENTINEL_COUNT = 0xFFFE
_SENTINELS = re.compile("[\U000f0000-\U000ffffd]")


@functools.lru_cache(maxsize=32)
def _lexicon_res(
    keys: tuple[str, ...],
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    keys = tuple(k for k in keys if k)
    if not keys:
        return None, None
    # whole words, and not part of a web address or dotted name ("Jokowi.com" is read as
    # an address; replacing inside it would make the next run read it differently)
    pattern = rf"(?<![\w@/])(?<!\w\.)(?:{_alternation(keys)})(?!\w)(?!\.\w)"
    return re.compile(pattern), re.compile(pattern, re.IGNORECASE)


def _protect(text: str, lexicon: Mapping[str, str], spans: list[str]) -> str:
    """Replace lexicon words by sentinels (their spoken forms appended to `spans`);
    case-sensitive first, then ignoring case."""
    exact, folded = _lexicon_res(tuple(sorted(lexicon)))
    if exact is None or folded is None:
        return text
    lowered: dict[str, str] = {}
    for key, spoken in lexicon.items():  # keys equal but for case: the first one wins
        lowered.setdefault(key.lower(), spoken)

    def keep(spoken: str) -> str:
        if len(spans) >= _SENTINEL_COUNT:
            return spoken
        spans.append(spoken)
        return chr(_SENTINEL_BASE + len(spans) - 1)

    text = exact.sub(lambda m: keep(lexicon[m[0]]), text)
    return folded.sub(lambda m: keep(lowered.get(m[0].lower(), m[0])), text)


def _restore(text: str, spans: list[str]) -> str:
    if not spans:
        return text
    return _SENTINELS.sub(lambda m: spans[ord(m[0]) - _SENTINEL_BASE], text)


def normalize(text: str, lexicon: Mapping[str, str] | None = None, *, strict: bool = False) -> str:
    """Turn one paragraph of written Indonesian into its spoken form.

    The user `lexicon` (word -> spoken form) wins over every built-in rule and its
    spoken forms are kept verbatim. Whole words match, longest first, with their case
    first and then ignoring case (where keys differ only in case, the first one wins).

    The lexicon and the passes run again on their own output until it no longer changes (at most
    `_ROUNDS` times): on odd input one rule can leave text that another reads again
    ("dll..com" -> "dan lain-lain.com", a web address), and normalising twice must
    change nothing. A pass that fails on some odd input is skipped unless `strict` (for
    tests), so this never raises.

    >>> normalize("Rp1,3 triliun pada Sabtu (13/2) di DPR")
    'satu koma tiga triliun rupiah pada Sabtu, tiga belas Februari, di de pe er'
    >>> normalize("KPK dan Jokowi", {"Jokowi": "Joko Widodo", "kpk": "Ka Pe Ka"})
    'Ka Pe Ka dan Joko Widodo'
    """
    text = _SENTINELS.sub("", text)
    spans: list[str] = []
    for _ in range(_ROUNDS):
        # the lexicon each round too: a rule may uncover one of its words ("@Jokowi")
        protected = _protect(text, lexicon, spans) if lexicon else text
        spoken = _run_passes(protected, strict=strict)
        if spoken == text:
            break
        text = spoken
    return _restore(text, spans)


_ROUNDS = 4


def _run_passes(text: str, *, strict: bool) -> str:
    for step in PASSES:
        try:
            text = step(text)
        except Exception:
            if strict:
                raise
    return text


def load_lexicon(path: Path) -> dict[str, str]:
    """Read a lexicon: ``word<TAB>spoken form`` per line, ``#`` comments, blank lines.

    Raises ConfigError naming the file and line of a malformed line.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"cannot read the lexicon: {exc}",
            path=path,
            hint="the file is missing, unreadable or not UTF-8 text",
        ) from exc
    lexicon: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
            raise ConfigError(
                f"line {number}: expected 'word<TAB>spoken form', got {line!r}",
                path=path,
                hint="separate the word and its spoken form with exactly one tab",
            )
        word, spoken = cells[0].strip(), cells[1].strip()
        if lexicon.get(word, spoken) != spoken:
            raise ConfigError(
                f"line {number}: {word!r} is already read as {lexicon[word]!r}",
                path=path,
                hint="a word may appear only once in a lexicon",
            )
        lexicon[word] = spoken
    return lexicon
