"""Turn an Article into what the narrator says: chapters of utterances with pauses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from suaraberita.intake.article import Article, Section
from suaraberita.text.chunking import cut_long
from suaraberita.text.pauses import Pauses

Normalizer = Callable[[str], str]
_Line = tuple[str, str, float]  # (as written, text to normalise and speak, pause after)

CHAPTER_TITLE_MAX = 50
# Characters of one utterance as written (some 25 s of speech). A longer sentence, or a
# paragraph without full stops, is cut at clauses: an engine makes an utterance's whole
# audio at once, so its memory would grow with the length of the text.
UTTERANCE_MAX = 400
PIECE_PAUSE = 0.15  # seconds between the pieces of a cut sentence: a breath at a clause


@dataclass(frozen=True)
class Utterance:
    text: str  # as written, for the transcript
    spoken: str  # normalised, what the engine receives
    pause_after: float  # seconds of silence after it


@dataclass(frozen=True)
class Part:
    """One chapter: its title and what is said in it."""

    title: str
    utterances: tuple[Utterance, ...]
    url: str | None = None  # a link the chapter is about (from a Markdown heading)


@dataclass(frozen=True)
class Script:
    title: str
    parts: tuple[Part, ...]

    @property
    def utterances(self) -> tuple[Utterance, ...]:
        return tuple(u for part in self.parts for u in part.utterances)


# A sentence ends at . ! ? (plus closing quotes/brackets) before a space and a capital,
# a digit or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# Abbreviations that stand before a name or number, so their dot never ends a sentence
# ("dll." and "dsb." may end one, so they are not here).
_ABBREVIATIONS = frozenset(
    "a.n dr drs dra hj ir jl jln kab kec kel no nn ny prof pt sdr st tn vs yth u.p".split()
)


def split_sentences(paragraph: str) -> tuple[str, ...]:
    """Split a paragraph into sentences, keeping abbreviations and initials whole.

    >>> split_sentences("Ia datang. Prof. Budi tiba pukul 10.30 WIB! Lalu?")
    ('Ia datang.', 'Prof. Budi tiba pukul 10.30 WIB!', 'Lalu?')
    >>> split_sentences("Kata J. K. Rowling, dll. Benar.")
    ('Kata J. K. Rowling, dll.', 'Benar.')
    """
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = word = match.start()
        while word > start and not paragraph[word - 1].isspace():
            word -= 1  # back over the last word only: each character is looked at once
        last_word = paragraph[word:end]
        stem = last_word.rstrip(".!?").lstrip("(\"'“").lower()
        if last_word.endswith(".") and (len(stem) == 1 or stem in _ABBREVIATIONS):
            continue
        sentences.append(paragraph[start : match.start()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return tuple(s for s in sentences if s)


def chapter_title(text: str, limit: int = CHAPTER_TITLE_MAX) -> str:
    """Shorten a title for players, cutting at a word and adding an ellipsis.

    >>> chapter_title("Aplikasi eksklusif")
    'Aplikasi eksklusif'
    >>> chapter_title("Clubhouse mendobrak tembok internet Tiongkok dan negara lain di Asia", 40)
    'Clubhouse mendobrak tembok internet…'
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def section_label(section: Section) -> str:
    """The written name of a section, as a chapter shows it."""
    if section.number is None:
        return section.heading
    return f"{section.number}. {section.heading}"


def build_script(article: Article, pauses: Pauses, normalize: Normalizer) -> Script:
    """An opening chapter (title, subtitle, intro), then one chapter per section."""
    opening: list[_Line] = [(article.title, article.title, pauses.after_title)]
    if article.subtitle:
        opening.append((article.subtitle, article.subtitle, pauses.after_title))
    opening += _paragraphs(article.intro, pauses)
    parts: list[tuple[str, list[_Line], str | None]] = [
        (chapter_title(article.title), opening, None)
    ]
    for section in article.sections:
        label = section_label(section)
        announce = (label, _announcement(section, normalize), pauses.after_heading)
        lines = [announce, *_paragraphs(section.paragraphs, pauses)]
        parts.append((chapter_title(label), lines, section.link))

    built: list[Part] = []
    for index, (title, lines, url) in enumerate(parts):
        utterances = _utterances(lines, normalize)
        if not utterances:
            continue
        last_pause = pauses.end if index == len(parts) - 1 else pauses.before_section
        last = utterances[-1]
        utterances[-1] = Utterance(last.text, last.spoken, last_pause)
        built.append(Part(title, tuple(utterances), url))
    return Script(article.title, tuple(built))


def _announcement(section: Section, normalize: Normalizer) -> str:
    """'Satu. Aplikasi eksklusif.': the number in words, then the heading."""
    heading = section.heading.rstrip(" .")
    if section.number is None:
        return f"{heading}."
    number = normalize(str(section.number)).strip()
    return f"{number[:1].upper()}{number[1:]}. {heading}."


def _paragraphs(paragraphs: Iterable[str], pauses: Pauses) -> list[_Line]:
    """Sentences of each paragraph, with a sentence or paragraph pause after each."""
    lines: list[_Line] = []
    for paragraph in paragraphs:
        sentences = split_sentences(paragraph)
        for i, sentence in enumerate(sentences):
            last = i == len(sentences) - 1
            pause = pauses.between_paragraphs if last else pauses.between_sentences
            lines.append((sentence, sentence, pause))
    return lines


def _cut(line: _Line) -> list[_Line]:
    """A line too long for one utterance as pieces, a short pause between them (a long
    heading's pieces show as said: its number spelled out)."""
    _, to_say, pause = line
    if len(to_say) <= UTTERANCE_MAX:
        return [line]
    pieces = cut_long(to_say, UTTERANCE_MAX)
    return [(p, p, pause if i == len(pieces) - 1 else PIECE_PAUSE) for i, p in enumerate(pieces)]


def _utterances(lines: list[_Line], normalize: Normalizer) -> list[Utterance]:
    out: list[Utterance] = []
    for written, to_say, pause in (piece for line in lines for piece in _cut(line)):
        spoken = " ".join(normalize(to_say).split())
        if any(ch.isalnum() for ch in spoken):  # skip lines with nothing to say
            out.append(Utterance(written, spoken, pause))
    return out
