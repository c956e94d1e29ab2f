"""Transcripts from the real utterance timings: WebVTT and SRT, one cue per sentence."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from suaraberita.audio.render import Span

LINE_MAX = 65  # characters per caption line
LINES_PER_CUE = 2


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]


def make_cues(texts: Sequence[str], spans: Sequence[Span]) -> tuple[Cue, ...]:
    """One cue per utterance (a sentence); a long one is split into several cues whose
    times divide its span in proportion to their characters.

    >>> [c.lines for c in make_cues(["Pendek."], [Span(0.0, 1.0)])]
    [('Pendek.',)]
    >>> cues = make_cues(["kata " * 40], [Span(0.0, 10.0)])
    >>> len(cues), cues[0].start, cues[-1].end, max(len(l) for c in cues for l in c.lines) <= 65
    (2, 0.0, 10.0, True)
    """
    cues: list[Cue] = []
    for text, span in zip(texts, spans, strict=True):
        lines = textwrap.wrap(" ".join(text.split()), LINE_MAX, break_long_words=False)
        groups = [lines[i : i + LINES_PER_CUE] for i in range(0, len(lines), LINES_PER_CUE)]
        total = sum(len(" ".join(g)) for g in groups)
        start = span.start
        for group in groups:
            share = len(" ".join(group)) / total if total else 1.0
            end = min(span.end, start + (span.end - span.start) * share)
            cues.append(Cue(start, end, tuple(group)))
            start = end
    return tuple(cues)


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
