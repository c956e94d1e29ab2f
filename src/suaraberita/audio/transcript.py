"""Transcripts from the real utterance timings: WebVTT and SRT, cues within sentences."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from suaraberita.audio.render import Span

LINE_MAX = 42  # characters per caption line, two lines per cue: the streaming norm
MIN_CUE_SECONDS = 1.0  # a cue shorter than this flashes by before it can be read


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]


def make_cues(
    texts: Sequence[str], spans: Sequence[Span], spoken: Sequence[str] | None = None
) -> tuple[Cue, ...]:
    """The cues of each utterance (a sentence), within its span: a sentence that fits in
    two lines is one cue, a longer one is cut at spaces into cues of at most two lines of
    at most LINE_MAX characters. A word longer than a line is a line of its own and is
    never cut (an address or a name cut in two reads worse than a long line, and the
    cues' words would no longer join back into the sentence). Time runs linearly through
    a sentence's characters, so a cue lasts its share of the sentence, unless the engine
    told where each word starts (`Span.words`, one per word of the `spoken` text): then a
    cue starts when its first word is said. Written and spoken words match one to one
    when their counts agree (normalisation mostly changes words, not their number);
    otherwise a written word's time is read off the spoken words' times at the same
    share of the sentence's characters.

    Of the ways to cut a sentence into cues, the one taken has, in this order: the fewest
    cues under MIN_CUE_SECONDS (none unless the sentence is that short or its speech too
    fast for its words), the fewest orphans (a cue of one word from a sentence of three
    or more), the fewest cues, and cues as even in length as can be. A cue's two lines
    are as even as can be too.

    >>> [c.lines for c in make_cues(["Pendek."], [Span(0.0, 1.0)])]
    [('Pendek.',)]
    >>> [c.lines for c in make_cues(["Harga tiket turun menjadi lima puluh ribu rupiah."],
    ...                             [Span(0.0, 3.0)])]
    [('Harga tiket turun menjadi', 'lima puluh ribu rupiah.')]
    >>> cues = make_cues(["kata " * 40], [Span(0.0, 10.0)])
    >>> [len(" ".join(c.lines).split()) for c in cues], cues[0].start, cues[-1].end
    ([13, 13, 14], 0.0, 10.0)
    """
    cues: list[Cue] = []
    said = spoken if spoken is not None else texts
    for text, span, heard in zip(texts, spans, said, strict=True):
        cues.extend(_Sentence(text.split(), span, heard.split()).cues())
    return tuple(cues)


def _word_times(words: Sequence[str], span: Span, heard: Sequence[str]) -> list[float] | None:
    """When each written word starts, from the spoken words' starts; None when the
    engine gave none (or not one per spoken word)."""
    if not words or not heard or len(span.words) != len(heard):
        return None
    told: list[float] = []
    for start in span.words:  # inside the span and never going back
        told.append(min(span.end, max(span.start, start, told[-1] if told else span.start)))
    if len(words) == len(heard):
        return told
    xs = [*_shares(heard), 1.0]
    ys = [*told, span.end]
    times = []
    at = 0
    for share in _shares(words):  # both ascend: one walk, no search
        while at + 2 < len(xs) and xs[at + 1] <= share:
            at += 1
        width = xs[at + 1] - xs[at]
        part = (share - xs[at]) / width if width > 0 else 0.0
        times.append(ys[at] + (ys[at + 1] - ys[at]) * min(1.0, max(0.0, part)))
    return times


def _shares(words: Sequence[str]) -> list[float]:
    """Where each word starts, as a share of the words joined by spaces."""
    total = sum(len(w) + 1 for w in words) - 1
    shares, at = [], 0
    for word in words:
        shares.append(at / total if total > 0 else 0.0)
        at += len(word) + 1
    return shares


_Cost = tuple[int, int, int, int]  # short cues, orphans, cues, sum of squared lengths


class _Sentence:
    """One utterance's words, where each starts in the text joined by spaces, and the
    ways to cut them into cues (words[i:j] for cut points i < j)."""

    def __init__(self, words: Sequence[str], span: Span, heard: Sequence[str] = ()) -> None:
        self.words = words
        self.span = span
        self.times = _word_times(words, span, heard)  # None: time runs through characters
        self.starts = [0]  # starts[k]: where word k starts; starts[n]: length + 1
        for word in words:
            self.starts.append(self.starts[-1] + len(word) + 1)
        self.line_ends = self._line_ends()

    def cues(self) -> list[Cue]:
        count = len(self.words)
        if not count:
            return []
        best: list[_Cost] = [(0, 0, 0, 0)]
        cut = [0]  # cut[j]: where the best cues of words[:j] start their last cue
        for j in range(1, count + 1):
            choices = []
            # words[i:j] that fit in a cue still fit without their first word
            for i in range(j - 1, -1, -1):
                if not self._fits(i, j):
                    break
                choices.append((_add(best[i], self._cost(i, j)), i))
            cost, start = min(choices)
            best.append(cost)
            cut.append(start)
        bounds = [count]
        while bounds[-1]:
            bounds.append(cut[bounds[-1]])
        bounds.reverse()
        return [
            Cue(self._time(i), self._time(j), self._lines(i, j))
            for i, j in itertools.pairwise(bounds)
        ]

    def _length(self, i: int, j: int) -> int:
        """Characters of words[i:j] joined by spaces."""
        return self.starts[j] - self.starts[i] - 1

    def _line_ends(self) -> list[int]:
        """line_ends[i]: where a line starting at word i ends when it takes all the words
        it can (always at least one)."""
        ends = []
        end = 0
        for i in range(len(self.words)):
            end = max(end, i + 1)
            while end < len(self.words) and self._length(i, end + 1) <= LINE_MAX:
                end += 1
            ends.append(end)
        return ends

    def _line_ok(self, i: int, j: int) -> bool:
        return j - i == 1 or self._length(i, j) <= LINE_MAX

    def _fits(self, i: int, j: int) -> bool:
        """Do words[i:j] fit in a cue? The first line taking all it can is never worse."""
        first = self.line_ends[i]
        return j <= first or self._line_ok(first, j)

    def _time(self, k: int) -> float:
        """When word k starts (the span's end for k = n)."""
        span, length = self.span, self.starts[-1] - 1
        if k == len(self.words):
            return span.end
        if self.times is not None:
            return self.times[k]
        return min(span.end, span.start + (span.end - span.start) * self.starts[k] / length)

    def _cost(self, i: int, j: int) -> _Cost:
        short = self._time(j) - self._time(i) < MIN_CUE_SECONDS
        orphan = j - i == 1 and len(self.words) >= 3
        return (int(short), int(orphan), 1, self._length(i, j) ** 2)

    def _lines(self, i: int, j: int) -> tuple[str, ...]:
        """The lines of a cue: one when it fits, else two as even as can be."""
        if j - i == 1 or self._length(i, j) <= LINE_MAX:
            return (" ".join(self.words[i:j]),)
        splits = [k for k in range(i + 1, j) if self._line_ok(i, k) and self._line_ok(k, j)]
        k = min(splits, key=lambda k: (max(self._length(i, k), self._length(k, j)), k))
        return (" ".join(self.words[i:k]), " ".join(self.words[k:j]))


def _add(a: _Cost, b: _Cost) -> _Cost:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def render_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT text; cue text escaped as the format requires.

    >>> print(render_vtt([Cue(1.5, 62.25, ("A & B <b>",))]), end="")
    WEBVTT
    <BLANKLINE>
    1
    00:00:01.500 --> 00:01:02.250
    A &amp; B &lt;b&gt;
    """
    blocks = ["WEBVTT\n"]
    for number, cue in enumerate(cues, start=1):
        text = "\n".join(_vtt_escape(line) for line in cue.lines)
        blocks.append(f"{number}\n{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}\n{text}\n")
    return "\n".join(blocks)


def render_srt(cues: Sequence[Cue]) -> str:
    """SubRip text. SubRip has no escapes, so what players take for markup (<b>,
    {\\an8}) or for a timing line (-->) is replaced by look-alikes.

    >>> print(render_srt([Cue(0.0, 3661.5, ("Halo <b>", "{\\\\an8} 00:00:09,000 --> 1"))]), end="")
    1
    00:00:00,000 --> 01:01:01,500
    Halo ‹b›
    (\\an8) 00:00:09,000 --› 1
    """
    blocks = []
    for number, cue in enumerate(cues, start=1):
        text = "\n".join(line.translate(_SRT_SAFE) for line in cue.lines)
        blocks.append(f"{number}\n{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}\n{text}\n")
    return "\n".join(blocks)


def plain_text(texts: Sequence[str]) -> str:
    """The transcript as running text (for the ID3 USLT frame)."""
    return "\n".join(" ".join(t.split()) for t in texts)


def _clock(seconds: float, mark: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{mark}{millis:03d}"


def _vtt_escape(line: str) -> str:
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return line.replace("-->", "--&gt;")


_SRT_SAFE = str.maketrans({"<": "\u2039", ">": "\u203a", "{": "(", "}": ")"})
