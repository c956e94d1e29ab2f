"""`printable`: whatever comes in, nothing that drives a terminal goes out."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from suaraberita.terminal import HIDDEN, printable


@given(st.text())
def test_nothing_hidden_goes_out(text: str) -> None:
    shown = printable(text)
    assert not [char for char in shown if unicodedata.category(char) in HIDDEN]
    assert len(shown) >= len(text)


@given(st.text(st.characters(exclude_categories=tuple(HIDDEN))))
def test_plain_text_is_left_alone(text: str) -> None:
    assert printable(text) == text
