"""Characters and links no text from outside may carry into an episode.

Control characters (NUL cuts an ID3 title, ESC drives terminals), bidi controls (an
override reverses what readers see), lone surrogates (not encodable) and invisible
marks. Article text is stripped of them once, at intake; settings refuse them.
Only absolute http(s) links leave the tool (never javascript:, data: or file:).
"""

from __future__ import annotations

from urllib.parse import urlsplit

UNSAFE = frozenset(
    [
        *range(0x00, 0x09),
        *range(0x0E, 0x1C),  # 0x09-0x0D and 0x1C-0x1F are white space to str.split
        *range(0x7F, 0x85),
        *range(0x86, 0xA0),
        *(0x00AD, 0x061C, 0x2060, 0xFEFF),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
    ]
)
_DROP = dict.fromkeys(UNSAFE)


def strip_unsafe(text: str) -> str:
    """`text` without unsafe characters.

    >>> strip_unsafe("Ba\\x00n\\u202ejir\\x1b[1m")
    'Banjir[1m'
    """
    return text.translate(_DROP)


def first_unsafe(text: str) -> str | None:
    """The first unsafe character of `text`, or None; white space controls
    (tab, line ends) are allowed here, for text that keeps its lines."""
    return next((c for c in text if ord(c) in UNSAFE), None)


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) link, else None.

    >>> safe_url("https://contoh.id/a?b=1"), safe_url("javascript:alert(1)")
    ('https://contoh.id/a?b=1', None)
    >>> safe_url(" JaVaScRiPt:alert(1)"), safe_url("//evil.example/x"), safe_url(None)
    (None, None, None)
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ord(ch) < 0x21 or ord(ch) in UNSAFE or ch in "<>\"'`\\" for ch in url):
        return None
    return url
