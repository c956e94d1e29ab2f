"""The user's lexicon: reading it from a file, and keeping its spoken forms out of reach
of the passes (each replaced span hides behind a private-use character until the end).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

from suaraberita.errors import ConfigError
from suaraberita.files import read_bounded
from suaraberita.text.normalize.common import _alternation

# Replaced lexicon spans hide behind one private-use character each (plane 15), so no
# later pass can touch them; such characters are removed from the input first.
_SENTINEL_BASE = 0xF0000
_SENTINEL_COUNT = 0xFFFE
MAX_BYTES = 10_000_000  # some 200,000 words with their readings
SENTINELS = re.compile("[\U000f0000-\U000ffffd]")


@functools.lru_cache(maxsize=32)
def _lexicon_res(
    keys: tuple[str, ...],
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    keys = tuple(k for k in keys if k)
    if not keys:
        return None, None
    # whole words, and not part of a web address or dotted name ("Jokowi.com" is read as
    # an address; replacing inside it would make the next run read it differently)
    pattern = rf"(?<![\w@/])(?<!\w\.)(?:{_alternation(keys)})(?!\w)(?!\.\w)"
    return re.compile(pattern), re.compile(pattern, re.IGNORECASE)


def protect(text: str, lexicon: Mapping[str, str], spans: list[str]) -> str:
    """Replace lexicon words by sentinels (their spoken forms appended to `spans`);
    case-sensitive first, then ignoring case."""
    exact, folded = _lexicon_res(tuple(sorted(lexicon)))
    if exact is None or folded is None:
        return text
    lowered: dict[str, str] = {}
    for key, spoken in lexicon.items():  # keys equal but for case: the first one wins
        lowered.setdefault(key.lower(), spoken)

    def keep(spoken: str) -> str:
        if len(spans) >= _SENTINEL_COUNT:
            return spoken
        spans.append(spoken)
        return chr(_SENTINEL_BASE + len(spans) - 1)

    text = exact.sub(lambda m: keep(lexicon[m[0]]), text)
    return folded.sub(lambda m: keep(lowered.get(m[0].lower(), m[0])), text)


def restore(text: str, spans: list[str]) -> str:
    if not spans:
        return text
    return SENTINELS.sub(lambda m: spans[ord(m[0]) - _SENTINEL_BASE], text)


def load_lexicon(path: Path) -> dict[str, str]:
    """Read a lexicon: ``word<TAB>spoken form`` per line, ``#`` comments, blank lines.

    Raises ConfigError naming the file and line of a malformed line.
    """
    try:
        text = read_bounded(Path(path), MAX_BYTES, "lexicon").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"cannot read the lexicon: {exc}",
            path=path,
            hint="the file is not UTF-8 text; save it as UTF-8",
        ) from exc
    lexicon: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
            raise ConfigError(
                f"line {number}: expected 'word<TAB>spoken form', got {line!r}",
                path=path,
                hint="separate the word and its spoken form with exactly one tab",
            )
        word, spoken = cells[0].strip(), cells[1].strip()
        if lexicon.get(word, spoken) != spoken:
            raise ConfigError(
                f"line {number}: {word!r} is already read as {lexicon[word]!r}",
                path=path,
                hint="a word may appear only once in a lexicon",
            )
        lexicon[word] = spoken
    return lexicon
