"""Whether two texts are one article (an edit) or two: the share of the shorter text's
runs of four words that the other text also has. An edit keeps most runs; two articles
on one subject under one title (a daily weather report) share only their set phrases."""

from __future__ import annotations

import re

_RUN = 4
SAME_ARTICLE = 0.5  # at least this share of runs in common


def shared_runs(a: str, b: str) -> float:
    """The share, from 0 to 1, of the shorter text's four-word runs found in the other.

    >>> old = "Hujan turun di Bandung sejak pagi. Jalan Asia Afrika tergenang setinggi lutut."
    >>> round(shared_runs(old, old.replace("lutut", "betis")), 2)
    0.89
    >>> round(shared_runs(old, "Panas terik di Bandung sejak pagi. Warga berteduh."), 2)
    0.2
    """
    runs_a, runs_b = _runs(a), _runs(b)
    if not runs_a or not runs_b:
        return 1.0 if _words(a) == _words(b) else 0.0
    shorter, longer = sorted((runs_a, runs_b), key=len)
    return len(shorter & longer) / len(shorter)


def same_article(a: str, b: str) -> bool:
    return shared_runs(a, b) >= SAME_ARTICLE


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + _RUN]) for i in range(len(words) - _RUN + 1)}
