"""English and brand words said the English way by the offline voice.

Every word of ``text/data/foreign.tsv`` goes through the real normaliser and the real
espeak-ng Indonesian voice; its phonemes must lie close to espeak-ng's English reading
of the word. Indonesian words that look English (``foreign_keep.txt``) stay as written.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest

from suaraberita.text.normalize import normalize
from suaraberita.text.normalize.foreign import foreign_words

espeak = pytest.importorskip("suaraberita.speech.espeak")

# coarse sounds: what a listener hears as the same, whatever the accent
_COARSE = [
    ("tʃ", "C"), ("dʒ", "J"), ("ʃ", "S"), ("ŋ", "N"), ("ɹ", "r"), ("ɾ", "t"), ("ɡ", "g"),
    ("θ", "t"), ("ð", "d"), ("j", "y"), ("ɚ", "ər"), ("ç", "S"), ("z", "s"), ("ʒ", "s"),
]  # fmt: skip
# "æ" is heard and said as "e" in Indonesian ("cash" -> "kes"); z and s are one sound
_VOWELS = {"A": "aɑʌɐ", "E": "eɛəɜæ", "I": "iɪᵻ", "O": "oɒɔ", "U": "uʊ"}


def _coarse(ipa: str) -> str:
    ipa = re.sub(r"[ˈˌːˑ̩\s-]", "", ipa)
    for symbol, sound in _COARSE:
        ipa = ipa.replace(symbol, sound)
    for sound, symbols in _VOWELS.items():
        ipa = re.sub(f"[{symbols}]", sound, ipa)
    return re.sub(r"(.)\1+", r"\1", ipa)


def _distance(a: str, b: str) -> float:
    """Edit distance over the longer length: 0 the same, 1 nothing alike."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1] / max(len(a), len(b), 1)


def _keep() -> list[str]:
    text = (files("suaraberita.text") / "data" / "foreign_keep.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_the_list_is_large() -> None:
    assert len(foreign_words()) >= 300
    assert len(_keep()) >= 50


def test_every_word_sounds_like_its_english_reading(run_cli) -> None:
    """Through `suaraberita normalize --phonemes`: what the offline voice will say."""
    words = list(foreign_words())
    result = run_cli("normalize", "--phonemes", "--voice", "id-espeak", "-",
                     stdin="\n".join(words).encode())  # fmt: skip
    assert result.code == 0, result.stderr
    said_lines = result.stdout.splitlines()
    assert len(said_lines) == len(words)
    library = espeak._get_library()
    far: list[tuple[str, str, float]] = []
    distances = []
    for word, said in zip(words, said_lines, strict=True):
        library.configure("en-us", 175, 50)
        distance = _distance(_coarse(library.phonemes(word)), _coarse(said))
        distances.append(distance)
        if distance > 0.6:
            far.append((word, said, round(distance, 2)))
    assert sum(distances) / len(distances) <= 0.15
    assert len(far) <= len(distances) // 100  # a handful of names espeak itself misreads


def test_the_indonesian_reading_was_far_before() -> None:
    """The list is worth having: espeak-ng's Indonesian voice alone misreads most of it."""
    library = espeak._get_library()
    improved = 0
    for word in foreign_words():
        library.configure("en-us", 175, 50)
        english = _coarse(library.phonemes(word))
        library.configure("id", 175, 50)
        raw = _distance(english, _coarse(library.phonemes(word)))
        ours = _distance(english, _coarse(library.phonemes(normalize(word))))
        improved += ours < raw
    assert improved >= len(foreign_words()) // 2


def test_indonesian_words_that_look_english_stay() -> None:
    keep = _keep()
    assert not set(word.lower() for word in keep) & set(foreign_words())
    for word in keep:
        assert normalize(word).lower() == word.lower(), word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Musk bergabung di Clubhouse", "Mask bergabung di Klabhaus"),
        ("akun facebook dan Facebook", "akun fesbuk dan Fesbuk"),
        ("buka Clubhouse.com", "buka klabhaus dot kom"),
    ],
)
def test_respelt_in_a_sentence(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_a_lexicon_entry_wins() -> None:
    assert normalize("Clubhouse", {"Clubhouse": "kelab rumah"}) == "kelab rumah"


def test_unlisted_english_words_are_found_and_respelt() -> None:
    """Beyond the list: word frequencies say English, and the spelling would be misread."""
    text = "Tren cheesecake dan film thriller, katanya research itu soal headline"
    said = normalize(text)
    for written in ("cheesecake", "thriller", "research", "headline"):
        assert written not in said
    assert said.startswith("Tren cizkek dan film triler")


def test_the_indonesian_of_real_articles_is_left_alone() -> None:
    """Across the article paragraphs of the test pages, only English words are found."""
    from pathlib import Path

    from suaraberita.text.normalize.foreign import english

    data = Path(__file__).parent / "data"
    words: set[str] = set()
    for page in [*data.glob("outlets/*.expect.json"), *data.glob("unseen/*.expect.json")]:
        article = json.loads(page.read_text(encoding="utf-8"))
        body = [*article["intro"], *(p for s in article["sections"] for p in s["paragraphs"])]
        words |= set(re.findall(r"\b[A-Za-z][a-z]{2,}\b", " ".join(body)))
    found = {word for word in words if english(word)}
    assert len(found) <= len(words) // 50  # the English words the articles quote
    indonesian = {"pemerintah", "harga", "kucing", "cocok", "khusus", "musyawarah", "keenam"}
    assert not {word.lower() for word in found} & indonesian
