"""Cutting utterances into Google-sized pieces at clause boundaries."""

from __future__ import annotations

import re
from pathlib import Path

from gtts import gTTS
from hypothesis import given, settings
from hypothesis import strategies as st

from suaraberita.pipeline import load_article, make_script
from suaraberita.speech.voices import find_voice, voice_dirs
from suaraberita.text.chunking import GOOGLE_LIMIT, ends_at_punctuation, split_text

EXAMPLE = Path(__file__).parents[1] / "examples" / "bus-listrik-tirtasari.txt"

_word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJé0123456789-", min_size=1, max_size=14
)
_long_word = st.text(alphabet="abcdefghij", min_size=90, max_size=260)
_punct = st.sampled_from(["", "", "", ",", ".", ";", ":", "!", "?", "”", "),", "…", " –", " -"])
_space = st.sampled_from([" ", " ", " ", "  ", "\n", "\t "])


@st.composite
def texts(draw: st.DrawFn, long_words: bool = False) -> str:
    words = draw(st.lists(st.one_of(_word, _long_word) if long_words else _word, max_size=80))
    parts = [draw(_space) + word + draw(_punct) for word in words]
    return "".join(parts) + draw(_space)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_cuts(text: str, pieces: tuple[str, ...], limit: int) -> None:
    """Pieces are the text in order (whitespace squeezed); each cut is at a space, or
    inside a word longer than the limit."""
    spaced = " ".join(text.split())
    position = 0
    for piece in pieces:
        assert 0 < len(piece) <= limit
        assert spaced.startswith(piece, position), (piece, spaced[position:])
        position += len(piece)
        if position < len(spaced) and spaced[position] == " ":
            position += 1
        elif position < len(spaced):  # a cut inside a word: only a word too long to fit
            start = spaced.rfind(" ", 0, position) + 1
            end = spaced.find(" ", position)
            assert (len(spaced) if end < 0 else end) - start > limit
    assert position == len(spaced)


@settings(max_examples=300, deadline=None)
@given(texts(), st.sampled_from([GOOGLE_LIMIT, GOOGLE_LIMIT, 40, 17]))
def test_pieces_fit_rejoin_and_never_cut_a_word(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert all(piece == piece.strip() for piece in pieces)
    assert _squeeze("".join(pieces)) == _squeeze(text)  # nothing lost, nothing added
    if all(len(word) <= limit for word in text.split()):
        # every cut is at a space: the words are the text's words, whole
        assert " ".join(pieces).split() == text.split()
    _check_cuts(text, pieces, limit)


@settings(max_examples=150, deadline=None)
@given(texts(long_words=True))
def test_only_a_word_longer_than_the_limit_is_cut_inside(text: str) -> None:
    pieces = split_text(text)
    assert _squeeze("".join(pieces)) == _squeeze(text)
    _check_cuts(text, pieces, GOOGLE_LIMIT)


def test_empty_and_short_texts() -> None:
    assert split_text("") == ()
    assert split_text(" \n\t ") == ()
    assert split_text("  Halo   semua.  ") == ("Halo semua.",)
    exactly = "a" * 49 + " " + "b" * 50
    assert split_text(exactly) == (exactly,)


def test_cuts_at_the_clause_and_keeps_its_punctuation() -> None:
    text = (
        "Warga juga bisa memantau posisi bus secara langsung lewat aplikasi resmi pemerintah "
        "kota, yang sudah diunduh lebih dari delapan belas ribu kali dalam sepekan."
    )
    assert split_text(text) == (
        "Warga juga bisa memantau posisi bus secara langsung lewat aplikasi resmi pemerintah kota,",
        "yang sudah diunduh lebih dari delapan belas ribu kali dalam sepekan.",
    )


def test_a_closing_quote_is_a_boundary() -> None:
    text = (
        "“Udara yang lebih bersih dan jalan yang lebih lengang tidak bisa dihitung hanya "
        "dengan rupiah,” katanya dalam sambutan peluncuran."
    )
    first, second = split_text(text)
    assert first.endswith("rupiah,”")
    assert second == "katanya dalam sambutan peluncuran."


def test_balanced_not_greedy() -> None:
    # 150 characters without punctuation: greedy gives 100 + 50, balanced about 75 + 75
    words = ("kata " * 30).strip()
    pieces = split_text(words)
    assert len(pieces) == 2
    assert abs(len(pieces[0]) - len(pieces[1])) <= 6
    # three clauses of 59 characters: two pieces would cut one clause in the middle, so
    # three pieces, each a whole clause, is better
    clause = "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh"[:58] + ","
    pieces = split_text(" ".join([clause] * 3))
    assert pieces == (clause, clause, clause)


def test_a_long_clause_is_cut_before_a_phrase_word() -> None:
    text = (
        "Peluncuran berlangsung di Terminal Sukamulya pukul tujuh Waktu Indonesia Barat "
        "dan disaksikan ratusan warga yang sudah menunggu sejak subuh."
    )
    assert split_text(text)[1].startswith("dan disaksikan")


def _example_pieces() -> tuple[list[str], list[str]]:
    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    script = make_script(load_article(str(EXAMPLE)), voice)
    ours = [p for u in script.utterances for p in split_text(u.spoken)]
    spoken = " ".join(u.spoken for u in script.utterances)
    theirs = gTTS(spoken, lang="id", lang_check=False)._tokenize(spoken)
    return ours, theirs


def test_example_article_pieces_end_at_punctuation() -> None:
    ours, theirs = _example_pieces()
    assert all(len(piece) <= GOOGLE_LIMIT for piece in ours)
    share = sum(map(ends_at_punctuation, ours)) / len(ours)
    assert share >= 0.8, share
    # gTTS's own splitter, on the same text, cuts at punctuation but drops it, and cuts
    # mid-clause when a clause is long; it also needs more requests
    assert len(theirs) > len(ours)
