"""Retry policy shared by every client of the package (the Google and Edge voices, the
news-page fetcher): a server's Retry-After header, and the wait before a next attempt."""

from __future__ import annotations

import email.utils
import random
from datetime import UTC, datetime

from suaraberita.outside import whole_number


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date); None if absent or bad.

    >>> retry_after("2"), retry_after(None), retry_after("soon"), retry_after("²")
    (2.0, None, None, None)
    >>> retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    0.0
    """
    if value is None:
        return None
    value = value.strip()
    seconds = whole_number(value)  # not "²" or "١٢٠", which isdigit() takes too
    if seconds is not None:
        return float(seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


MAX_BACKOFF = 30.0  # seconds: no single wait between retries is longer


def backoff_delay(backoff: float, attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before attempt `attempt` + 1: `backoff` doubled for each attempt
    (at most MAX_BACKOFF) with "equal jitter" (half fixed, half random), so clients that
    failed together do not retry together; a server's Retry-After wins, plus a little
    jitter.

    >>> 0.5 <= backoff_delay(1.0, 1) <= 1.0, 2.0 <= backoff_delay(1.0, 3) <= 4.0
    (True, True)
    >>> 10.0 <= backoff_delay(1.0, 1, retry_after=10.0) <= 11.0
    True
    """
    if retry_after is not None:
        return retry_after + random.uniform(0, min(1.0, retry_after / 10))
    base = min(MAX_BACKOFF, backoff * 2.0 ** (attempt - 1))
    return base / 2 + random.uniform(0, base / 2)
