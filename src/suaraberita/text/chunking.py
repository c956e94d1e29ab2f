"""Cut an utterance into pieces short enough for one Google request, at clause boundaries.

Google's voice speaks each request as a finished utterance, so a cut in the middle of a
clause is heard as a full stop in the middle of a thought. We therefore cut where a
speaker would pause anyway: after a sentence end, comma, semicolon, colon, dash or
closing quote, keeping the punctuation with the piece before it. Only a clause longer
than the limit is cut at a space, and only a single word longer than the limit is cut
inside the word.

Among the ways of cutting, we choose (in this order of importance) the one with the
fewest pieces that end without punctuation, then the fewest pieces, then the fewest cuts
at a space that is not before a phrase-opening word ("dan", "yang", "untuk": the list is
`data/clause_words.txt`), then the most balanced lengths (the least sum of squared
lengths). A greedy cut (as long as possible) often leaves a short tail or misses the
comma that a balanced cut would use.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files

GOOGLE_LIMIT = 100  # characters per request (gTTS.GOOGLE_TTS_MAX_CHARS)

SENTENCE_END = ".!?…"
CLAUSE_END = ",;:"
DASHES = "-–—"
CLOSING = "\"'”’»)]"
PUNCTUATION = SENTENCE_END + CLAUSE_END + DASHES + CLOSING


# (pieces ending without punctuation, pieces, plain space cuts, sum of squared lengths)
_Cost = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Token:
    text: str
    joined: bool  # True: glued to the token before (a long word cut up), not after a space


def ends_at_punctuation(piece: str) -> bool:
    """Whether a piece ends where a speaker would pause.

    >>> ends_at_punctuation("Kalau penumpangnya ramai,")
    True
    >>> ends_at_punctuation("armadanya kami tambah.”")
    True
    >>> ends_at_punctuation("jalan-jalan di pusat")
    False
    """
    piece = piece.rstrip()
    return bool(piece) and piece[-1] in PUNCTUATION


def split_text(text: str, limit: int = GOOGLE_LIMIT) -> tuple[str, ...]:
    """Pieces of at most `limit` characters, cut at clause boundaries where possible.

    Whitespace runs become single spaces; an empty text has no pieces.

    >>> split_text("Pendek saja.")
    ('Pendek saja.',)
    >>> for piece in split_text(
    ...     "Empat rute yang dibuka pada tahap pertama menghubungkan Terminal Sukamulya "
    ...     "dengan Alun-Alun, Stasiun Tirtasari, Pasar Induk, dan kawasan kampus di utara kota."
    ... ):
    ...     print(piece)
    Empat rute yang dibuka pada tahap pertama menghubungkan Terminal Sukamulya dengan Alun-Alun,
    Stasiun Tirtasari, Pasar Induk, dan kawasan kampus di utara kota.
    >>> split_text("satu dua tiga empat lima enam", limit=12)
    ('satu dua', 'tiga empat', 'lima enam')
    >>> split_text("x" * 25, limit=10)
    ('xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx')
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    tokens = _tokens(text, limit)
    if not tokens:
        return ()
    n = len(tokens)
    openers = clause_words()
    # best[j]: the cheapest cutting of tokens[:j], as (cost, start of its last piece);
    best: list[tuple[_Cost, int] | None] = [None] * (n + 1)
    best[0] = ((0, 0, 0, 0), 0)
    wordy = [any(c.isalnum() for c in token.text) for token in tokens]
    for j in range(1, n + 1):
        length = 0
        found: tuple[_Cost, int] | None = None
        last = j == n  # the text's own end is not a cut
        soft = not last and not tokens[j].joined and tokens[j].text.lower() in openers
        # What a piece ending here costs depends on its last token and on whether any of
        # its tokens has a letter: both known without joining the piece (that made
        # the search quadratic in the tokens that fit under the limit).
        pause = last or ends_at_punctuation(tokens[j - 1].text)
        says = False
        for i in range(j - 1, -1, -1):  # the last piece is tokens[i:j]
            length += len(tokens[i].text) + (1 if i < j - 1 and not tokens[i + 1].joined else 0)
            if length > limit:
                break
            says = says or wordy[i]
            before = best[i]
            if before is None:
                continue
            bad = plain = 0
            if not pause:
                bad, plain = 1, 0 if soft else 1
            if not says:
                bad += 1  # a piece of punctuation alone says nothing
            (b_bad, b_count, b_plain, b_square), _ = before
            cost = (b_bad + bad, b_count + 1, b_plain + plain, b_square + length * length)
            if found is None or cost < found[0]:
                found = (cost, i)
        best[j] = found
    pieces: list[str] = []
    j = n
    while j > 0:
        entry = best[j]
        assert entry is not None  # every token fits: _tokens cut the long words
        i = entry[1]
        pieces.append(_join(tokens[i:j]))
        j = i
    return tuple(reversed(pieces))


def cut_long(text: str, limit: int) -> tuple[str, ...]:
    """`text` as pieces of at most `limit` characters, for a sentence too long to be one
    utterance; a text that fits is kept as it is. Each cut is made greedily: after the last
    clause punctuation in the second half of what fits, else at the last space, else inside
    a word. Linear in the text: `split_text` weighs every way of cutting, which is right
    for a sentence but not for a page of words without a full stop.

    >>> cut_long("Satu dua tiga, empat lima enam tujuh delapan.", 22)
    ('Satu dua tiga,', 'empat lima enam tujuh', 'delapan.')
    >>> cut_long("x" * 25, 10)
    ('xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx')
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return (text,) if text.strip() else ()
    spaced = " ".join(text.split())
    pieces: list[str] = []
    start = 0
    while len(spaced) - start > limit:
        end = start + limit  # a space at `end` still lets the piece before it fit
        cut = _clause_cut(spaced, start + limit // 2, end)
        if cut is None:
            space = spaced.rfind(" ", start + 1, end + 1)
            cut = space if space > 0 else end
        pieces.append(spaced[start:cut])
        start = cut + 1 if spaced[cut] == " " else cut
    if start < len(spaced):
        pieces.append(spaced[start:])
    return tuple(pieces)


def _clause_cut(text: str, low: int, end: int) -> int | None:
    """The last space in text[low:end + 1] right after punctuation, if any."""
    space = text.rfind(" ", low, end + 1)
    while space > low:
        if text[space - 1] in PUNCTUATION:
            return space
        space = text.rfind(" ", low, space)
    return None


@functools.cache
def clause_words() -> frozenset[str]:
    """Lowercase words before which a cut at a space sounds least abrupt."""
    text = files("suaraberita.text").joinpath("data/clause_words.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _tokens(text: str, limit: int) -> list[_Token]:
    """Words; a word longer than `limit` becomes several glued tokens."""
    tokens: list[_Token] = []
    for word in text.split():
        for start in range(0, len(word), limit):
            tokens.append(_Token(word[start : start + limit], joined=start > 0))
    return tokens


def _join(tokens: list[_Token]) -> str:
    parts: list[str] = []
    for index, token in enumerate(tokens):
        if index and not token.joined:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)
