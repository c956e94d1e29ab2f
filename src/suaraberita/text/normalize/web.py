"""Web addresses, e-mail addresses, @handles and #hashtags.

Policy: a URL is read as its host only, the way Indonesian media say it: "kompas dot
kom", "liputan enam dot kom"; a label that is an acronym is spelled ("kpu.go.id" -> "ka pe
u dot go dot i de"). An e-mail's "@" is "et"; a handle loses its "@"; a hashtag is
"tagar" and its words; "#1" is "nomor satu".
"""

from __future__ import annotations

import re

from suaraberita.text.normalize.initialisms import spell_letters
from suaraberita.text.numbers import spell_digits

_URL_PATH = r"(?:[^\s<>()\"']*[^\s<>()\"'.,;:!?])?"  # a path does not end in punctuation


def expand_urls(text: str) -> str:
    """Web addresses, e-mail addresses, @handles and #hashtags.

    A URL is read as its host only; dots are "dot", "@" is "et".

    >>> expand_urls("Baca di https://www.kompas.com/read/2021/x dan detik.com/berita.")
    'Baca di kompas dot kom dan detik dot kom.'
    >>> expand_urls("Kirim ke redaksi@tempo.co.id atau @jokowi #IndonesiaMaju #1")
    'Kirim ke redaksi et tempo dot ko dot i de atau jokowi tagar Indonesia Maju nomor 1'
    >>> expand_urls("Cek di kpu.go.id dan liputan6.com")
    'Cek di ka pe u dot go dot i de dan liputan enam dot kom'
    """

    def host(name: str) -> str:
        labels = [label for label in name.lower().split(".") if label]
        return " dot ".join(_spell_label(label) for label in labels)

    text = re.sub(
        r"(?i)(?<![\w@])(?:https?://|www\.)(?:www\.)?(?P<host>[^\W_][\w-]*(?:\.[\w-]+)*)"
        rf"(?:[/?#:]{_URL_PATH})?",
        lambda m: host(m["host"]),
        text,
    )
    text = re.sub(
        # a user starts where its run starts, and is taken whole: linear on "-----"
        r"(?<![\w.+@-])(?P<user>[\w.+-]++)@(?P<host>[\w-]++(?:\.[\w-]++)+)",
        lambda m: f"{host(m['user'])} et {host(m['host'])}",
        text,
    )
    text = re.sub(
        r"(?<![\w.@/-])(?P<host>[a-zA-Z0-9-]++(?:\.[a-zA-Z0-9-]++)*"
        r"\.(?i:com|co\.id|go\.id|ac\.id|or\.id|net|org|id|co|io|tv|news|info))(?![\w]|\.\w)"
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


# how the common labels of a domain are said; "com" would be read "chom"
_LABELS = {"com": "kom", "co": "ko", "id": "i de", "tv": "te ve", "io": "i o", "ac": "a ce"}
_WORD_LABELS = {"go", "or", "net", "org", "news", "info", "web", "mail", "app"}


def _spell_label(label: str) -> str:
    """A host or user name label: digits read one by one, separators as spaces, an
    acronym spelled."""
    label = re.sub(r"[0-9]+", lambda m: f" {spell_digits(m[0])} ", label)
    return " ".join(_say_part(part) for part in re.split(r"[-_+\s]+", label.strip()) if part)


def _say_part(part: str) -> str:
    if part in _LABELS:
        return _LABELS[part]
    if part in _WORD_LABELS or not part.isalpha() or not part.isascii():
        return part
    acronym = (
        len(part) <= 2
        or not re.search(r"[aeiou]", part)
        or (len(part) <= 4 and re.search(r"[^aeiou]{2}", part) is not None)
    )
    return spell_letters(part) if acronym and not _is_number_word(part) else part


def _is_number_word(part: str) -> bool:
    """Digits already said ("enam") pass through as words."""
    return part in {
        "nol",
        "satu",
        "dua",
        "tiga",
        "empat",
        "lima",
        "enam",
        "tujuh",
        "delapan",
        "sembilan",
    }
