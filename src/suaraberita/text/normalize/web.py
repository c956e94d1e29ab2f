"""Web addresses, e-mail addresses, @handles and #hashtags.

Policy: a URL is read as its host only ("kompas titik com"); an e-mail's "@" is "et";
a handle loses its "@"; a hashtag is "tagar" and its words; "#1" is "nomor satu".
"""

from __future__ import annotations

import re

from suaraberita.text.numbers import (
    spell_digits,
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
