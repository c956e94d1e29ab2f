"""Narrate several articles: one after another, or in parallel worker processes."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from functools import partial
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING

from suaraberita import signals
from suaraberita.affinity import Pinning
from suaraberita.errors import SuaraberitaError
from suaraberita.files import clean_leftovers
from suaraberita.intake.article import read_article_bytes
from suaraberita.intake.web import is_url
from suaraberita.pipeline import (
    NarrateOptions,
    Narration,
    load_article,
    make_script,
    narrate,
    source_key,
    unchanged,
)
from suaraberita.terminal import printable

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

STOP_GRACE = 1.5  # seconds a stopped worker has to unwind before it is killed

# (source, utterance count) -> a context giving a callback to tick once per utterance
Progress = Callable[[str, int], AbstractContextManager[Callable[[], None]]]


@dataclass(frozen=True)
class Outcome:
    source: str
    narration: Narration | None = None
    error: Exception | None = None  # our own errors, or a bug (reported, batch goes on)
    cache_error: str | None = None  # the audio cache could not be written (speed only)


def narrate_many(
    sources: Sequence[str],
    options: NarrateOptions,
    lexicon: Mapping[str, str],
    jobs: int,
    stdin: bytes | None = None,
    progress: Progress | None = None,
) -> Iterator[Outcome]:
    """Yield one outcome per source, as each finishes. With `jobs` > 1 the articles are
    narrated in that many processes (each process: synthesis, then encoding); the store
    and feed are updated under the output folder's lock, so none is lost."""
    if jobs <= 1 or len(sources) <= 1:
        for position, source in enumerate(sources):
            yield _narrate_one(source, options, lexicon, stdin, progress, position)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    workers = min(jobs, len(sources))
    pinning = Pinning.plan(context, workers)
    start = (os.getpid(), pinning)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=start
    ) as pool:
        futures = [
            pool.submit(_work, source, options, lexicon, stdin, position)
            for position, source in enumerate(sources)
        ]
        try:
            for future in as_completed(futures):
                if pinning and sum(not f.done() for f in futures) < workers:
                    pinning.release()  # a worker would sit idle: the rest may use its CPUs
                yield future.result()
        except BaseException:
            # a signal, a dead worker or a caller gone: the batch ends now, and nothing is
            # published once this returns (the pool's own exit would wait for every worker)
            if _stop_workers(context) and options is not None:
                clean_leftovers(options.output)  # what the killed ones were writing
            raise


def _start_worker(parent: int, pinning: Pinning | None) -> None:
    signals.start_worker(parent)
    if pinning is not None:
        pinning.start_worker()


def _work(
    source: str,
    options: NarrateOptions,
    lexicon: Mapping[str, str],
    stdin: bytes | None,
    position: int,
) -> Outcome:
    """One article in a worker; a SIGTERM or SIGINT ends the worker once it is unwound."""
    one = partial(_narrate_one, source, options, lexicon, stdin, None, position)
    return signals.working(one)


def _stop_workers(context: BaseContext, grace: float = STOP_GRACE) -> bool:
    """SIGTERM every worker; SIGKILL those still there after `grace` seconds (waiting on a
    service that does not answer, say). Whether any had to be killed."""
    workers = context.active_children()
    for worker in workers:
        worker.terminate()
    waiting = {worker.sentinel: worker for worker in workers}
    deadline = time.monotonic() + grace
    while waiting and (left := deadline - time.monotonic()) > 0:
        ended = set(wait(list(waiting), left))
        waiting = {sentinel: w for sentinel, w in waiting.items() if sentinel not in ended}
    for worker in waiting.values():
        worker.kill()
        worker.join(1.0)
    return bool(waiting)


def _narrate_one(
    source: str,
    options: NarrateOptions,
    lexicon: Mapping[str, str],
    stdin: bytes | None,
    progress: Progress | None,
    position: int = 0,
) -> Outcome:
    """`position`: the article's place among the batch's, which orders the episode numbers
    of one date (the finishing order does not)."""
    options = replace(options, position=position)
    try:
        settings = options.settings
        data = stdin if source == "-" else None
        limit = settings.input.max_bytes
        key = None
        if source != "-" and not is_url(source):  # a file: unchanged is known before parsing
            key = source_key(read_article_bytes(Path(source), limit), options, lexicon)
            kept = unchanged(options.output, key, options)
            if kept is not None:
                return Outcome(source, narration=kept, cache_error=_cache_error(options))
        article = load_article(source, data, limit, settings.noise, options.web)
        script = make_script(article, options.voice, lexicon)
        ticker = progress(source, len(script.utterances)) if progress else nullcontext(None)
        with ticker as tick:
            done = narrate(
                article, script, options, on_utterance=tick, on_warning=_warn, source=key
            )
    except SuaraberitaError as exc:
        if exc.path is None:  # ffmpeg, Google, the store: say which article it was
            exc.path = source
        return Outcome(source, error=exc, cache_error=_cache_error(options))
    except Exception as exc:  # a bug: the other articles still go on
        return Outcome(source, error=exc, cache_error=_cache_error(options))
    return Outcome(source, narration=done, cache_error=_cache_error(options))


def _cache_error(options: NarrateOptions) -> str | None:
    """Reported back to the parent: a worker's cache object is its own copy."""
    cache = options.engine.cache
    if cache is None or cache.write_error is None:
        return None
    return f"the audio cache {cache.root} cannot be written: {cache.write_error}"


def _warn(message: str) -> None:
    print(printable(f"Warning: {message}"), file=sys.stderr, flush=True)
