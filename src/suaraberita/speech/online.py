"""What the online voices (Google, Edge) share: utterances cut into the pieces a service
takes, those pieces requested ahead in order within a bounded window, and each
utterance's answers joined back into one Pcm."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future

from suaraberita.cache import Cache
from suaraberita.sound import Pcm, shift_words, trim_silence


def plan(
    texts: Sequence[str],
    pieces: Callable[[str], tuple[str, ...]],
    key: Callable[[str], str],
    cache: Cache | None,
) -> tuple[int, int]:
    """How many pieces (requests) `texts` need, and how many of them are cached."""
    every = [piece for text in texts for piece in pieces(text)]
    cached = sum(1 for piece in every if key(piece) in cache) if cache is not None else 0
    return len(every), cached


def first(takes: Generator[Pcm, None, None]) -> Pcm:
    """The first Pcm of `takes`, which is then closed (its work ahead stopped)."""
    try:
        return next(takes)
    finally:
        takes.close()


def in_order(
    plans: Sequence[tuple[str, ...]],
    submit: Callable[[str], Future[Pcm]],
    window: int,
) -> Generator[list[Future[Pcm]], None, None]:
    """For each utterance (the pieces in `plans`), the futures of its pieces, in order.

    Pieces are submitted ahead of the one being consumed, up to `window` beyond it (an
    utterance's own pieces always), so an hour-long episode is never all in flight;
    closing the generator cancels what was submitted and not yet consumed."""
    jobs: Iterator[str] = (piece for pieces in plans for piece in pieces)
    total = sum(len(pieces) for pieces in plans)
    futures: deque[Future[Pcm]] = deque()
    submitted = consumed = 0
    try:
        for pieces in plans:
            needed = consumed + len(pieces)
            while submitted < total and (submitted < needed or submitted - consumed < window):
                futures.append(submit(next(jobs)))
                submitted += 1
            yield [futures.popleft() for _ in pieces]
            consumed = needed
    finally:
        for future in futures:
            future.cancel()


def join(text: str, parts: Sequence[Pcm], gap: float, rate: int) -> Pcm:
    """An utterance's pieces, trimmed, with `gap` seconds of silence between them. Word
    start times are kept when every word of `text` has one."""
    silence = bytes(2 * round(gap * rate))
    data = bytearray()
    words: list[float] = []
    for part in parts:
        said = trim_silence(part)
        if not said.data:
            continue
        if data:
            data += silence
        words += shift_words(said.words, len(data) / 2 / rate)
        data += said.data
    known = tuple(words) if len(words) == len(text.split()) else ()
    return Pcm(bytes(data), rate, known)
