"""Text from outside (a request line, an article) made safe to show on a terminal."""

from __future__ import annotations

import unicodedata

# Controls (C0, DEL, C1: ESC starts colour, title and clear-screen sequences), format
# characters (bidi overrides and isolates, zero-width ones), surrogates, private and
# unassigned code points, line and paragraph separators.
HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    r"""`text` with every character that could move, hide or restyle what a terminal
    shows written out as a Python-style escape; one line, since newlines are escaped too.
    For reading, not for reading back: a backslash is left as it is.

    >>> printable("GET /\x1b[2J HTTP/1.1\r\n")
    'GET /\\x1b[2J HTTP/1.1\\r\\n'
    >>> printable("harga\u202e 0031 pR")  # a right-to-left override
    'harga\\u202e 0031 pR'
    >>> printable("\x9b31m \U000e0041 \u2028"), printable("Berita terkini: Rp1,3 triliun – ‘naik’")
    ('\\x9b31m \\U000e0041 \\u2028', 'Berita terkini: Rp1,3 triliun – ‘naik’')
    """
    if text.isascii() and text.isprintable():
        return text  # the common case, quickly
    return "".join(_shown(char) for char in text)


def _shown(char: str) -> str:
    if unicodedata.category(char) not in HIDDEN:
        return char
    code = ord(char)
    if char in SHORT:
        return SHORT[char]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
