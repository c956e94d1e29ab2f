"""The Indonesian number speller, against a table written by hand."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suaraberita.text.numbers import (
    parse_number,
    spell_digits,
    spell_fraction,
    spell_integer,
    spell_number,
    spell_ordinal,
)

CARDINALS = [
    (0, "nol"),
    (1, "satu"),
    (9, "sembilan"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (99, "sembilan puluh sembilan"),
    (100, "seratus"),
    (101, "seratus satu"),
    (110, "seratus sepuluh"),
    (111, "seratus sebelas"),
    (200, "dua ratus"),
    (999, "sembilan ratus sembilan puluh sembilan"),
    (1000, "seribu"),
    (1001, "seribu satu"),
    (1100, "seribu seratus"),
    (1500, "seribu lima ratus"),
    (2000, "dua ribu"),
    (11000, "sebelas ribu"),
    (100000, "seratus ribu"),
    (101000, "seratus satu ribu"),
    (250000, "dua ratus lima puluh ribu"),
    (1000000, "satu juta"),
    (1001000, "satu juta seribu"),
    (1000001, "satu juta satu"),
    (2021, "dua ribu dua puluh satu"),
    (1945, "seribu sembilan ratus empat puluh lima"),
    (
        12345678,
        "dua belas juta tiga ratus empat puluh lima ribu enam ratus tujuh puluh delapan",
    ),
    (1_000_000_000, "satu miliar"),
    (13_000_000_000, "tiga belas miliar"),
    (1_000_000_000_000, "satu triliun"),
    (12_271_000_000_000, "dua belas triliun dua ratus tujuh puluh satu miliar"),
    (1_000_000_000_000_000, "satu kuadriliun"),
    (7 * 10**18, "tujuh kuintiliun"),
    (10**33, "satu desiliun"),
    (-5, "minus lima"),
    (-1000, "minus seribu"),
]


@pytest.mark.parametrize(("number", "spoken"), CARDINALS)
def test_spell_integer(number: int, spoken: str) -> None:
    assert spell_integer(number) == spoken


def test_beyond_the_last_scale_word_digits_are_read_one_by_one() -> None:
    assert spell_integer(10**36) == "satu " + " ".join(["nol"] * 36)


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (1, "pertama"),
        (2, "kedua"),
        (3, "ketiga"),
        (10, "kesepuluh"),
        (11, "kesebelas"),
        (17, "ketujuh belas"),
        (21, "kedua puluh satu"),
        (100, "keseratus"),
        (139, "keseratus tiga puluh sembilan"),
        (1000, "keseribu"),
    ],
)
def test_spell_ordinal(number: int, spoken: str) -> None:
    assert spell_ordinal(number) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("1.500", "seribu lima ratus"),
        ("1.001.000", "satu juta seribu"),
        ("3,14", "tiga koma satu empat"),
        ("5,2", "lima koma dua"),
        ("2,50", "dua koma lima nol"),
        ("0,5", "nol koma lima"),
        ("12.271,5", "dua belas ribu dua ratus tujuh puluh satu koma lima"),
        ("-5", "minus lima"),
        ("−2,5", "minus dua koma lima"),
        ("+3", "tiga"),
        ("021", "nol dua satu"),
        ("0", "nol"),
    ],
)
def test_spell_number_strings(text: str, spoken: str) -> None:
    assert spell_number(text) == spoken


@pytest.mark.parametrize("text", ["1.5", "1.50", "1,5,0", "abc", "", "1.5000", "12."])
def test_parse_number_rejects_other_formats(text: str) -> None:
    with pytest.raises(ValueError, match="not an Indonesian number"):
        parse_number(text)


@pytest.mark.parametrize(
    ("fraction", "spoken"),
    [
        ((1, 2), "setengah"),
        ((1, 3), "sepertiga"),
        ((2, 3), "dua pertiga"),
        ((1, 4), "seperempat"),
        ((3, 4), "tiga perempat"),
        ((5, 8), "lima perdelapan"),
        ((1, 100), "seperseratus"),
        ((24, 7), "dua puluh empat per tujuh"),
        ((10, 12), "sepuluh per dua belas"),
        ((1, 0), "satu per nol"),
    ],
)
def test_spell_fraction(fraction: tuple[int, int], spoken: str) -> None:
    assert spell_fraction(*fraction) == spoken


def test_spell_digits() -> None:
    assert spell_digits("0812") == "nol delapan satu dua"


@given(st.integers(min_value=0, max_value=10**36 - 1))
def test_miliar_and_seribu(number: int) -> None:
    spoken = spell_integer(number)
    assert "milyar" not in spoken
    assert re.search(r"(?<!puluh )(?<!ratus )\bsatu ribu", spoken) is None  # "seribu"
    assert "  " not in spoken
    assert spoken == spoken.strip()


@given(st.integers(min_value=1, max_value=10**15))
def test_thousands_dots_parse_to_the_same_words(number: int) -> None:
    grouped = f"{number:,}".replace(",", ".")
    assert spell_number(grouped) == spell_integer(number)
