"""English and brand words in an Indonesian sentence, said the English way.

Policy: an English or brand word is written as an Indonesian newsreader says it, in
Indonesian spelling ("Clubhouse" -> "klabhaus", "check" -> "cek", "streaming" ->
"striming"). Respelling, rather than switching espeak-ng to its English voice for the
word, keeps the sentence in one voice and helps every engine alike (Google's Indonesian
voice and Piper read the respelling too).

Which words: those of ``data/foreign.tsv`` (brands, names and the English words
Indonesian news uses, each with its respelling), and any other word that word-frequency
data (wordfreq) shows to be English rather than Indonesian and that Indonesian spelling
rules would misread (it has "ch", "sh", "th", "oo", a "c" before a consonant, a silent
final "e" ...). An unlisted word is respelled from espeak-ng's English phonemes written
with Indonesian letters (`respell`). Indonesian words that look English
(``data/foreign_keep.txt``: data, bank, game, Made) stay as they are, and a lexicon entry
wins over all of this (its words are hidden from the passes).
"""

from __future__ import annotations

import functools
import itertools
import re

from suaraberita.text.normalize.common import _rows

# English, not Indonesian: this much more frequent in English text (zipf units) ...
ENGLISH_MARGIN = 0.5
MIN_ENGLISH_ZIPF = 2.5  # ... and not a rarity there
# spellings that Indonesian rules read wrong: what makes respelling worth it
_MISREAD = re.compile(
    r"ch|sh|th|ph|ck|oo|ee|ea|ou|ow|igh|x|q|v|z|w[^aeiou]|[^aeiou]e$|c(?![aiueo])|tion"
    r"|([bcdflprst])\1|y[^aeiou]|[^aeiou]y$"
)  # not "gg", "ng", "mm", "ay": Indonesian has them (tinggal, Muhammad, biaya)
_WORD = re.compile(r"[A-Za-z][a-z]{2,}")  # a word the frequency lists may know
_TOKEN = re.compile(r"[A-Za-z0-9][\w'’-]*")

# longest first: diphthongs and affricates before their parts
_IPA = [
    ("j", "y"), ("tʃ", "c"), ("dʒ", "j"), ("aɪ", "ai"), ("aʊ", "au"), ("ɔɪ", "oi"), ("eɪ", "e"),
    ("oʊ", "o"), ("əʊ", "o"), ("ɪə", "ia"), ("eə", "e"), ("ʊə", "ua"), ("ɑːɹ", "ar"),
    ("ɔːɹ", "or"), ("ɪɹ", "ir"), ("ɛɹ", "er"), ("ʊɹ", "ur"), ("ɜː", "er"), ("ɚ", "er"),
    ("ɑː", "a"), ("ɔː", "o"), ("iː", "i"), ("uː", "u"), ("ɑ", "a"), ("æ", "e"), ("ʌ", "a"),
    ("ə", "e"), ("ɛ", "e"), ("ɪ", "i"), ("ᵻ", "i"), ("ɒ", "o"), ("ɔ", "o"), ("ʊ", "u"),
    ("ɐ", "a"), ("ʃ", "sy"), ("ʒ", "s"), ("θ", "t"), ("ð", "d"), ("ŋ", "ng"), ("ɹ", "r"),
    ("ɾ", "t"), ("ɡ", "g"), ("ʔ", ""), ("ɫ", "l"), ("x", "h"), ("ː", ""),
    ("ˈ", ""), ("ˌ", ""), ("\u0329", ""),
]  # fmt: skip


def respell(ipa: str) -> str:
    """Indonesian letters for espeak-ng's English IPA.

    >>> [respell(p) for p in ("klˈʌbhaʊs", "fˈeɪsbʊk", "ɡˈuːɡəl", "tʃˈɛk", "tʃˈæt")]
    ['klabhaus', 'fesbuk', 'gugel', 'cek', 'cet']
    """
    out = ipa
    for symbol, letters in _IPA:
        out = out.replace(symbol, letters)
    out = re.sub(r"(.)\1+", r"\1", out)  # no doubled letters: "kk" is one k
    return re.sub(r"[^a-z\s-]", "", out)


@functools.cache
def foreign_words() -> dict[str, str]:
    """Written form (lower case) -> spoken form, from the list."""
    return {row[0].lower(): row[1] for row in _rows("foreign.tsv") if len(row) > 1 and row[1]}


@functools.cache
def kept_words() -> frozenset[str]:
    """Indonesian words that look English (lower case)."""
    return frozenset(row[0].lower() for row in _rows("foreign_keep.txt"))


@functools.cache
def _openers() -> dict[str, int]:
    """First word of each listed name of several words -> the most words such a name has
    ("work" -> 3, for "work from home")."""
    longest: dict[str, int] = {}
    for name in foreign_words():
        words = name.split()
        if len(words) > 1:
            longest[words[0]] = max(longest.get(words[0], 1), len(words))
    return longest


@functools.lru_cache(maxsize=8192)
def english(word: str) -> bool:
    """Whether an unlisted word is English that Indonesian rules would misread.

    >>> [english(w) for w in ("cheesecake", "thriller", "data", "game", "harga", "cocok", "Made")]
    [True, True, False, False, False, False, False]
    """
    lower = word.lower()
    if lower in kept_words() or lower in foreign_words() or not _MISREAD.search(lower):
        return False
    en, ind = _zipf("en").get(lower, 0.0), _zipf("id").get(lower, 0.0)
    return en >= MIN_ENGLISH_ZIPF and (ind == 0 or en - ind >= ENGLISH_MARGIN)


@functools.cache
def _zipf(language: str) -> dict[str, float]:
    """wordfreq's small word list of `language`: word -> Zipf frequency.

    Read straight from its data file (a msgpack list of buckets of words, bucket i
    holding the words of -i centibels, Zipf = (900 - i) / 100), because importing the
    wordfreq package costs a tenth of a second that an unchanged re-run cannot afford.
    """
    import gzip
    from importlib.util import find_spec
    from pathlib import Path

    import msgpack

    spec = find_spec("wordfreq")
    folders = list(spec.submodule_search_locations or []) if spec else []
    path = next((Path(f) / "data" / f"small_{language}.msgpack.gz" for f in folders), None)
    if path is None or not path.is_file():
        return {}
    header, *buckets = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    if not isinstance(header, dict) or header.get("format") != "cB":
        return {}
    table: dict[str, float] = {}
    for index, bucket in enumerate(buckets):
        for entry in bucket:
            table.setdefault(entry, (900 - index) / 100)
    return table


def expand_foreign(text: str) -> str:
    """English and brand words in their Indonesian respelling.

    Words are looked up one by one (a listed name of several words, longest first), so
    the cost grows with the text, not with the length of the list.

    >>> expand_foreign("Musk ngobrol di Clubhouse, cek Facebook dan update aplikasi")
    'Mask ngobrol di Klabhaus, cek Fesbuk dan apdet aplikasi'
    >>> expand_foreign("Tren healing dan outfit baru, kue cheesecake dan film thriller")
    'Tren hiling dan autfit baru, kue cizkek dan film triler'
    >>> expand_foreign("Liga Premier League, work from home, check-in di kpu dot go")
    'Liga Primier lig, werk from hom, cek-in di kpu dot go'
    """
    tokens = list(_TOKEN.finditer(text))
    lowered = [token[0].lower() for token in tokens]
    pieces: list[str] = []
    done = 0  # text before this offset is in `pieces`
    index = 0
    while index < len(tokens):
        first = tokens[index]
        if first.start() < done or not _standalone(text, first):
            index += 1
            continue
        longest = _openers().get(lowered[index], 1)
        for size in range(min(longest, len(tokens) - index), 0, -1):
            run = tokens[index : index + size]
            if size > 1 and any(
                text[a.end() : b.start()].strip() for a, b in itertools.pairwise(run)
            ):
                continue  # a name's words stand next to each other
            spoken = foreign_words().get(" ".join(lowered[index : index + size]))
            if spoken is not None:
                pieces += [text[done : first.start()], _cased(first[0], spoken)]
                done = run[-1].end()
                index += size
                break
        else:
            word = first[0]
            if _WORD.fullmatch(word) and english(word):
                pieces += [text[done : first.start()], _cased(word, _respelt(word.lower()))]
                done = first.end()
            index += 1
    return "".join([*pieces, text[done:]])


def _standalone(text: str, token: re.Match[str]) -> bool:
    """Not part of an address or handle: no "@", "." or "/" glued before or after."""
    before = text[token.start() - 1 : token.start()]
    after = text[token.end() : token.end() + 2]
    return before not in ("@", ".", "/") and not re.match(r"[./@]\w", after)


@functools.lru_cache(maxsize=4096)
def _respelt(word: str) -> str:
    from suaraberita.espeak_lib import english_phonemes

    return respell(english_phonemes(word)) or word


def _cased(written: str, spoken: str) -> str:
    return spoken[:1].upper() + spoken[1:] if written[:1].isupper() else spoken
