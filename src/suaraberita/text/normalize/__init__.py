"""Indonesian text normalisation: turn written news text into words a newsreader says.

`normalize` runs one paragraph through `PASSES`, the ordered tuple below of small
``str -> str`` functions (the gTTS pre-processor style): one module per kind of text,
whose docstring states its reading policy. Word lists live in ``suaraberita/text/data/``.
The output holds no ASCII digit, no ``/`` and no all-caps initialism, because espeak-ng
mangles those (and its number state leaks between calls); normalising twice changes
nothing.

The order matters: web addresses and telephone numbers are read before the number rules
could split them; money and units before plain numbers; dates and times before ranges
and fractions; abbreviations, then English and brand words (an abbreviation may say
one: "yoy"), before initialisms; `tidy` sweeps up last.
"""

from __future__ import annotations

from collections.abc import Mapping

from suaraberita.text.normalize.abbreviations import expand_abbreviations
from suaraberita.text.normalize.characters import prepare
from suaraberita.text.normalize.common import Pass
from suaraberita.text.normalize.dates import expand_dates
from suaraberita.text.normalize.figures import expand_numbers
from suaraberita.text.normalize.foreign import expand_foreign
from suaraberita.text.normalize.forms import expand_forms
from suaraberita.text.normalize.initialisms import expand_initialisms
from suaraberita.text.normalize.lexicon import SENTINELS, load_lexicon, protect, restore
from suaraberita.text.normalize.money import expand_money
from suaraberita.text.normalize.ordinals import expand_ordinals
from suaraberita.text.normalize.phones import expand_phone_numbers
from suaraberita.text.normalize.ranges import expand_ranges
from suaraberita.text.normalize.roman import expand_roman
from suaraberita.text.normalize.symbols import expand_symbols
from suaraberita.text.normalize.tidy import tidy
from suaraberita.text.normalize.times import expand_times
from suaraberita.text.normalize.units import expand_units
from suaraberita.text.normalize.web import expand_urls

__all__ = ["PASSES", "Pass", "load_lexicon", "normalize"]


PASSES: tuple[Pass, ...] = (
    prepare,
    expand_urls,
    expand_phone_numbers,
    expand_forms,
    expand_money,
    expand_units,
    expand_dates,
    expand_times,
    expand_ranges,
    expand_ordinals,
    expand_roman,
    expand_numbers,
    expand_abbreviations,
    expand_foreign,
    expand_initialisms,
    expand_symbols,
    tidy,
)


def normalize(text: str, lexicon: Mapping[str, str] | None = None, *, strict: bool = False) -> str:
    """Turn one paragraph of written Indonesian into its spoken form.

    The user `lexicon` (word -> spoken form) wins over every built-in rule and its
    spoken forms are kept verbatim. Whole words match, longest first, with their case
    first and then ignoring case (where keys differ only in case, the first one wins).

    The lexicon and the passes run again on their own output until it no longer changes (at most
    `_ROUNDS` times): on odd input one rule can leave text that another reads again
    ("dll..com" -> "dan lain-lain.com", a web address), and normalising twice must
    change nothing. A pass that fails on some odd input is skipped unless `strict` (for
    tests), so this never raises.

    >>> normalize("Rp1,3 triliun pada Sabtu (13/2) di DPR")
    'satu koma tiga triliun rupiah pada Sabtu, tiga belas Februari, di de pe er'
    >>> normalize("KPK dan Jokowi", {"Jokowi": "Joko Widodo", "kpk": "Ka Pe Ka"})
    'Ka Pe Ka dan Joko Widodo'
    """
    text = SENTINELS.sub("", text)
    spans: list[str] = []
    for _ in range(_ROUNDS):
        # the lexicon each round too: a rule may uncover one of its words ("@Jokowi")
        protected = protect(text, lexicon, spans) if lexicon else text
        spoken = _run_passes(protected, strict=strict)
        if spoken == text:
            break
        text = spoken
    return restore(text, spans)


_ROUNDS = 4


def _run_passes(text: str, *, strict: bool) -> str:
    for step in PASSES:
        try:
            text = step(text)
        except Exception:
            if strict:
                raise
    return text
