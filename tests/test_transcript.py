"""Caption cues, checked as properties over random sentences and timings: the line and cue
limits always hold, and no cue is an orphan word or flashes by in under a second when
some other cutting of its sentence avoids it (an exhaustive search over the cuttings of
short sentences says when), which is always so for speech at a speaker's pace."""

from __future__ import annotations

import itertools
import textwrap

from hypothesis import given
from hypothesis import strategies as st

from suaraberita.audio.render import Span
from suaraberita.audio.transcript import Cue, make_cues

LINE = 42
SECOND = 1.0

_letters = st.sampled_from("abcdefghijklmnopqrstuvwxyzAÉ0123456789.,-&<>'\"")
_spaces = st.sampled_from([" ", "  ", "\t", "\n", " \u00a0 "])


def _words(longest: int) -> st.SearchStrategy[list[str]]:
    word = st.text(_letters, min_size=1, max_size=longest)
    return st.lists(word, min_size=1, max_size=60)


@st.composite
def _sentences(draw: st.DrawFn, longest: int = 50) -> str:
    """Words of 1 to `longest` characters between runs of whitespace."""
    words = draw(_words(longest))
    gaps = draw(st.lists(_spaces, min_size=len(words) + 1, max_size=len(words) + 1))
    return "".join(gap + word for gap, word in zip(gaps, words, strict=False)) + gaps[-1]


_spans = st.builds(
    lambda start, seconds: Span(start, start + seconds),
    st.floats(0.0, 3600.0),
    st.floats(0.0, 40.0),
)


def _cue_words(cue: Cue) -> list[str]:
    return " ".join(cue.lines).split()


def _orphan(cue: Cue, sentence: str) -> bool:
    """A cue of one word from a sentence of three or more."""
    return len(_cue_words(cue)) == 1 and len(sentence.split()) >= 3


def _short(cue: Cue) -> bool:
    return cue.end - cue.start < SECOND


@given(_sentences(), _spans)
def test_cues_keep_the_limits_the_text_and_the_span(text: str, span: Span) -> None:
    cues = make_cues([text], [span])
    assert " ".join(line for cue in cues for line in cue.lines) == " ".join(text.split())
    assert cues[0].start == span.start
    assert cues[-1].end == span.end
    for before, after in itertools.pairwise(cues):
        assert before.end == after.start  # in order, touching, never overlapping
    for cue in cues:
        assert cue.start <= cue.end
        assert 1 <= len(cue.lines) <= 2
        for line in cue.lines:
            assert line == " ".join(line.split()) != ""
            assert len(line) <= LINE or " " not in line  # only a long word is longer


@given(st.lists(st.tuples(_sentences(), st.floats(0.0, 20.0), st.floats(0.0, 2.0)), max_size=5))
def test_the_cues_of_several_sentences_are_theirs_in_turn(
    sentences: list[tuple[str, float, float]],
) -> None:
    spans, clock = [], 0.0
    for _, seconds, pause in sentences:
        spans.append(Span(clock, clock + seconds))
        clock += seconds + pause
    texts = [text for text, _, _ in sentences]
    each = [
        cue for text, span in zip(texts, spans, strict=True) for cue in make_cues([text], [span])
    ]
    assert make_cues(texts, spans) == tuple(each)


@st.composite
def _spoken(draw: st.DrawFn) -> tuple[str, Span]:
    """A sentence of everyday words (at most 12 letters) said at most 20 characters a
    second (brisk newsreading is about 15), lasting over a second."""
    text = " ".join(draw(_words(12)))
    pace = draw(st.floats(4.0, 20.0))
    start = draw(st.floats(0.0, 3600.0))
    end = start + max(SECOND + 0.001, len(text) / pace)
    return text, Span(start, end)


@given(_spoken())
def test_speech_at_a_speakers_pace_has_no_orphan_and_no_flash(spoken: tuple[str, Span]) -> None:
    text, span = spoken
    for cue in make_cues([text], [span]):
        assert not _short(cue), cue
        assert len(_cue_words(cue)) > 1 or len(text.split()) == 1, cue


@given(_sentences().filter(lambda text: len(text.split()) <= 8), _spans)
def test_an_orphan_or_a_flash_only_when_no_cutting_avoids_it(text: str, span: Span) -> None:
    cues = make_cues([text], [span])
    ours = (sum(map(_short, cues)), sum(_orphan(cue, text) for cue in cues))
    assert ours == min(_faults(text, span, cutting) for cutting in _cuttings(text))


def _cuttings(text: str) -> list[list[str]]:
    """Every cutting of a sentence into pieces that textwrap fits in two lines."""
    words = text.split()
    found = []
    for mask in range(2 ** (len(words) - 1)):
        cuts = [0, *(k + 1 for k in range(len(words) - 1) if mask >> k & 1), len(words)]
        pieces = [" ".join(words[a:b]) for a, b in itertools.pairwise(cuts)]
        wrap = textwrap.TextWrapper(LINE, break_long_words=False, break_on_hyphens=False)
        if all(len(wrap.wrap(piece)) <= 2 for piece in pieces):
            found.append(pieces)
    return found


def _faults(text: str, span: Span, pieces: list[str]) -> tuple[int, int]:
    """Flashes and orphans of a cutting, timed linearly by the characters of the text."""
    length = len(" ".join(pieces))
    offsets = list(itertools.accumulate((len(piece) + 1 for piece in pieces), initial=0))
    times = [span.start + (span.end - span.start) * offset / length for offset in offsets]
    times = [min(span.end, time) for time in times[:-1]] + [span.end]
    cues = [Cue(a, b, (piece,)) for a, b, piece in zip(times, times[1:], pieces, strict=False)]
    return sum(map(_short, cues)), sum(_orphan(cue, text) for cue in cues)


def test_a_sentence_that_fits_is_one_cue_of_even_lines() -> None:
    text = "Kereta berangkat setiap tiga puluh menit dari stasiun pusat."
    (cue,) = make_cues([text], [Span(2.0, 6.0)])
    assert cue == Cue(2.0, 6.0, ("Kereta berangkat setiap tiga", "puluh menit dari stasiun pusat."))


def test_the_last_word_is_not_left_alone() -> None:
    text = "kata " * 16 + "akhir."  # 16 words fill two lines; the last would be alone
    cues = make_cues([text], [Span(0.0, 20.0)])
    assert [len(_cue_words(cue)) for cue in cues] == [9, 8]  # the even cutting
    assert cues[1].lines == ("kata kata kata kata kata kata kata akhir.",)


def test_a_short_tail_is_rebalanced_not_flashed() -> None:
    text = "kata " * 16 + "ini akhir"  # after 16 words, "ini akhir" would last 0.8 s
    cues = make_cues([text], [Span(0.0, 8.0)])
    assert [len(_cue_words(cue)) for cue in cues] == [9, 9]
    assert min(cue.end - cue.start for cue in cues) >= SECOND


def test_a_long_word_is_a_line_of_its_own_and_is_not_cut() -> None:
    address = "https://contoh.id/berita/2021/02/13/kereta-cepat-mulai-beroperasi"
    cues = make_cues([f"Baca di {address} ya"], [Span(0.0, 12.0)])
    assert [cue.lines for cue in cues] == [("Baca di",), (address, "ya")]


def test_no_words_no_cues() -> None:
    assert make_cues([" \n\t", ""], [Span(0.0, 1.0), Span(1.0, 2.0)]) == ()
