"""Reading a server's Retry-After header, for every client of the package (the Google
voice and the news-page fetcher)."""

from __future__ import annotations

import email.utils
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
