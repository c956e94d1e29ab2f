"""The silences a script places between utterances (a voice profile sets them).

Its own module, so loading a voice profile does not load the article reader.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pauses:
    """Silence (seconds) placed after each kind of utterance."""

    after_title: float = 1.0
    between_sentences: float = 0.3
    between_paragraphs: float = 0.6
    after_heading: float = 0.5
    before_section: float = 1.2
    end: float = 1.5
