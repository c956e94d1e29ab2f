"""Sift a pasted news page, line by line, into article, metadata and clutter.

A page pasted from a browser is the article wrapped in the page: a header (breadcrumbs,
byline, date line, share buttons, the lead photo's caption), clutter between the
paragraphs (related links, ads, captions, embeds) and a footer (sign-off, tags,
promos, copyright, more headlines). Three things find the clutter:

* the noise rules (`intake.noise`, data), line by line, in order;
* the page's shape: the title is the first real line; everything between it and the
  body's first sentence or dateline that is not a sentence is header; every short line
  without a full stop after the last sentence (or after an "end" rule) is footer;
* photos: a caption ends with its credit or stands beside a credit line; its alt text
  above it and its repetition below it go with it.

Date lines and bylines are metadata: read, reported and not spoken. The dateline that
opens the body loses its outlet, and a sign-off glued to a paragraph ("... katanya.
(arn/fas)") is cut. Every line dropped is reported with the rule that dropped it.
Markdown articles (`page=False`) go through the rules, metadata and photo steps only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from suaraberita.intake.dateline import split_dateline
from suaraberita.intake.header import DateLine, is_name, parse_date_line
from suaraberita.intake.noise import TITLE_PLACEHOLDER, Rule, Rules

SENTENCE_WORDS = 8  # a line this long that ends like a sentence is article text
MAX_ALT_WORDS = 8  # a photo's alt text above its caption is no longer than this
MAX_CAPTION_WORDS = 40
MAX_HEADLINE_WORDS = 25  # a related headline under "Baca juga:"
MAX_FOOTER_WORDS = 20
MAX_RELATED = 6  # bullet headlines taken under one "Baca juga"
MAX_PLAIN_SUBTITLE_WORDS = 12  # a longer line after the title is the first paragraph
HEADER_LINES = 40  # a dateline is looked for in the page's first lines (or first third)

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_NUMBERED = re.compile(r"^\d{1,3}\.\s+\S")
_HEADING = re.compile(r"^\d{1,3}\.\s+[A-Z0-9\"“‘']")  # a numbered heading starts a sentence
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙*]\s*|[-–]\s+)\S")
# possessive, so a long line of capitals is one pass (the name is stripped by `person`)
_NAME_OUTLET = re.compile(
    r"^(?P<name>[^,|]++)[,|]\s*+(?:[\w-]++\.(?:com|id|co\.id)|[A-Z][a-z]*+[A-Z][\w.]*+(?:\s[A-Z][a-z]+)?)$"
)
_SPEECH = re.compile(r"[\"“”]|\b(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|imbuh)(?:nya)?\b")
_SIGN_OFF = re.compile(
    r"(?<=[.!?\"”’])\s*\((?:[a-z]{2,8}(?:/[a-z]{2,8}){0,3}|[A-Z]{2,4}|[A-Z][a-z]{1,3}/[A-Z]-\d+"
    r"|[A-Z]-\d+|\*(?:/[a-z]{2,8})?|(?!(?:Reuters|Antara|Xinhua|Bernama|Kyodo|Anadolu)\))"
    r"[A-Z][a-z]{1,11})\)$|(?<=[.!?\"”’])\s*\[\]$"
)


@dataclass(frozen=True)
class Unit:
    """A line of pasted text or a Markdown block, as sifting sees it."""

    text: str  # whitespace already collapsed; "" for a blank line
    line: int  # 1-based line in the input
    heading: bool = False  # a Markdown heading: never clutter


@dataclass(frozen=True)
class Dropped:
    """A line that is not spoken, and why."""

    line: int
    text: str
    rule: str
    detail: str = ""  # what it gave instead: "author: ...", "date: ...", "said: ..."


@dataclass(frozen=True)
class Sifted:
    texts: tuple[str | None, ...]  # each unit as it is kept (rewritten), None if dropped
    dropped: tuple[Dropped, ...]
    title: int | None = None  # the title's unit (pages only)
    subtitle: int | None = None
    author: str | None = None
    date: str | None = None


class _Sieve:
    """The state of one sifting: a verdict per unit, filled in by the steps below."""

    def __init__(self, units: Sequence[Unit], rules: Rules, title: str) -> None:
        self.units = units
        self.rules = rules
        self.title = title
        self.texts: list[str | None] = [unit.text for unit in units]
        self.why: list[tuple[str, str] | None] = [None] * len(units)
        self.protected = [False] * len(units)
        self.captions: set[str] = set()
        self.dates: list[tuple[int, DateLine]] = []
        self.authors: list[str] = []
        self.rewrites: list[Dropped] = []  # lines kept but changed (dateline, sign-off)
        self.end: int | None = None
        self.said = False  # while applying rules: some article sentence came before
        self.first = next((i for i, unit in enumerate(units) if unit.text), -1)
        self.own = rules.datelines_for("\n".join(unit.text for unit in units))

    # --- helpers

    def live(self, index: int) -> bool:
        unit = self.units[index]
        return bool(unit.text) and not unit.heading and self.why[index] is None

    def drop(self, index: int, rule: str, detail: str = "") -> None:
        if not self.protected[index] and self.why[index] is None:
            self.why[index] = (rule, detail)

    def near(self, index: int, step: int, reach: int = 2) -> int | None:
        """The next non-blank unit before (-1) or after (+1) `index`, at most `reach`
        units away (one blank line between is still beside it)."""
        other = index + step
        while 0 <= other < len(self.units) and abs(other - index) <= reach:
            if self.units[other].heading:
                return None
            if self.units[other].text:
                return other
            other += step
        return None

    def sentence(self, index: int) -> bool:
        text = self.units[index].text
        words = len(text.split())
        return self.live(index) and ((words >= SENTENCE_WORDS and _ends(text)) or words >= 30)

    def person(self, name: str) -> str | None:
        name = name.strip(" ,.:;|-–—")
        if not name or any(
            re.search(rf"(?i)\b{re.escape(word)}\b", name) for word in self.rules.not_people
        ):
            return None
        return name

    # --- steps

    def apply_rules(self, *, title_rules: bool) -> None:
        """Date lines, bylines and the rules, in order, on every line still kept."""
        in_trailer = False
        self.said = False
        for index, unit in enumerate(self.units):
            if unit.heading:
                in_trailer = False
                continue
            if not self.live(index) or self.protected[index]:
                self.said = self.said or self.sentence(index)
                continue
            if self.rules.kept(unit.text, self.title):
                self.protected[index] = True
                continue
            if not title_rules and self._date_line(index):
                continue
            rule = self.rules.match(unit.text, self.title, trailer=in_trailer)
            if rule is not None and title_rules and TITLE_PLACEHOLDER not in rule.pattern:
                rule = None
            if rule is None:
                in_trailer = False
                self.said = self.said or self.sentence(index)
                continue
            in_trailer = rule.kind in ("trailer", "in-trailer") and (
                in_trailer or rule.kind == "trailer"
            )
            self._apply(index, rule)

    def _date_line(self, index: int) -> bool:
        found = parse_date_line(self.units[index].text)
        if found is None:
            return False
        self.dates.append((index, found))
        detail = f"{'updated' if found.updated else 'date'}: {found.iso}"
        if found.author and self.person(found.author):
            self.authors.append(found.author)
            detail += f"; author: {found.author}"
        self.drop(index, "date-line", detail)
        return True

    def _apply(self, index: int, rule: Rule) -> None:
        text = self.units[index].text
        if rule.kind == "end" and self.end is None and self.said:
            self.end = index
        self.drop(index, rule.name)
        if rule.kind == "related":
            self._related(index, rule.name)
        elif rule.kind == "caption":
            self.captions.add(_bare_caption(text))
            above = self.near(index, -1)
            if above is not None and self._alt_text(above):
                self.drop(above, rule.name, "the photo's alt text")
        elif rule.kind == "credit":
            self._credit(index, rule.name)
        elif rule.kind == "byline":
            self._byline(index, rule)

    def _related(self, index: int, name: str) -> None:
        """The headlines listed under "Baca juga:": the first line, then bullets."""
        taken = 0
        previous = index
        other = self.near(index, 1, reach=3)
        while other is not None and taken < MAX_RELATED and self.live(other):
            text = self.units[other].text
            headline = (
                len(text.split()) <= MAX_HEADLINE_WORDS
                and not re.search(r"[.!]$", text)
                and not _NUMBERED.match(text)
            )
            adjacent = taken == 0 or (other == previous + 1)
            if not (_BULLET.match(text) or (headline and adjacent)):
                return
            self.drop(other, name, "a related headline")
            taken += 1
            previous = other
            other = self.near(other, 1)

    def _credit(self, index: int, name: str) -> None:
        """A credit alone on its line: the caption is the line above, else below; when
        the line above is only the photo's alt text, the caption below goes too."""
        above, below = self.near(index, -1), self.near(index, 1)
        sentences = 1
        for other in (above, below):
            if other is not None and self.live(other) and self._caption_like(other, sentences):
                alt = other == above and not _ends(self.units[other].text)
                sentences = 3  # under an alt line and its credit: a caption of its own
                self.captions.add(_bare_caption(self.units[other].text))
                self.drop(other, name, "the photo's caption")
                if not alt:
                    return

    def _byline(self, index: int, rule: Rule) -> None:
        match = rule.matches(self.units[index].text, self.title)
        name = (match.groupdict().get("author") or "").strip() if match else ""
        if not name:  # a label alone: the name is on the line below, or above it
            for step in (1, -1):
                other = self.near(index, step, reach=3)
                if (
                    other is not None
                    and is_name(self.units[other].text)
                    and self.rules.match(self.units[other].text, self.title) is None
                ):
                    name = self.units[other].text
                    self.why[other] = None
                    self.drop(other, rule.name, "the name of a byline")
                    break
        person = self.person(name) if name and rule.writer else None
        if person:
            self.authors.append(person)
            self.why[index] = (rule.name, f"author: {person}")

    def _alt_text(self, index: int) -> bool:
        text = self.units[index].text
        return (
            self.live(index)
            and index != self.first  # the page's first line is its title
            and len(text.split()) <= MAX_ALT_WORDS
            and not _SENTENCE_END.search(text)
            and not _NUMBERED.match(text)
        )

    def _caption_like(self, index: int, sentences: int = 1) -> bool:
        """Short, of one sentence (or `sentences`), no quote, no heading, no dateline, no
        other rule's line: a photo is described, nobody speaks in its caption."""
        text = self.units[index].text
        return (
            len(text.split()) <= MAX_CAPTION_WORDS
            and len(re.findall(r"[.!?](?:\s|$)", text)) <= sentences
            and not _SPEECH.search(text)
            and not _NUMBERED.match(text)
            and self.rules.match(text, self.title) is None
            and not self._names_outlet(index)  # the story's opening line, not a caption
        )

    def repeated_captions(self) -> None:
        """A caption shown twice (before and after its credit, or without it)."""
        if not self.captions:
            return
        for index in range(len(self.units)):
            text = self.units[index].text
            if (
                self.live(index)
                and len(text) <= MAX_CAPTION_WORDS * 25
                and _bare_caption(text) in self.captions
            ):
                self.drop(index, "photo-caption-repeat")

    def after_end(self) -> None:
        if self.end is None:
            return
        name = (self.why[self.end] or ("end",))[0]
        for index in range(self.end + 1, len(self.units)):
            if self.units[index].text and not self.units[index].heading:
                self.drop(index, "after-end", f"after the {name} line")

    # --- the page's shape

    def page(self) -> tuple[int | None, int | None]:
        """Title, subtitle, header and footer of a pasted page.

        The page's shape is only trusted where the rules found page furniture: a
        clean paste keeps its first line as the title and every line of its body.
        """
        live = [i for i in range(len(self.units)) if self.live(i)]
        if not live:
            return None, None
        opening = live[: max(HEADER_LINES, len(live) // 3)]
        start = next((i for i in opening if self.opens_with_dateline(i)), None)
        if start is None:
            start = next(
                (i for i in live if self.sentence(i) or _HEADING.match(self.units[i].text)), None
            )
        chrome = self._furniture(0, start if start is not None else len(self.units))
        title = self._title(live, start) if chrome else live[0]
        for index in live:
            if index < title:
                self.drop(index, "before-title", "page navigation above the title")
        self.title = self.units[title].text
        self.protected[title] = True
        self.apply_rules(title_rules=True)
        self.repeated_captions()
        self.protected[title] = False
        if start is None or start <= title:
            start = next((i for i in live if i > title and self.sentence(i)), None)
        if start is not None and (
            self._furniture(title + 1, start) or self.opens_with_dateline(start)
        ):
            subtitle = self._header(title, start)
        else:
            subtitle = self._plain_subtitle(title)
        self._footer()
        return title, subtitle

    def _furniture(self, begin: int, end: int) -> bool:
        """Whether a rule, a date line or a byline dropped a line in [begin, end)."""
        return any(self.why[i] is not None for i in range(begin, end) if self.units[i].text)

    def _plain_subtitle(self, title: int) -> int | None:
        """A clean paste's subtitle: the short line alone after the title."""
        index = self.near(title, 1, reach=len(self.units))
        if index is None or not self.live(index):
            return None
        text = self.units[index].text
        alone = index + 1 == len(self.units) or not self.units[index + 1].text
        if (
            alone
            and len(text.split()) <= MAX_PLAIN_SUBTITLE_WORDS
            and not _SENTENCE_END.search(text)
            and not _NUMBERED.match(text)
        ):
            return index
        return None

    def opens_with_dateline(self, index: int) -> bool:
        found = split_dateline(self.units[index].text, self.rules.outlets, self.own)
        return found is not None and (not found.rest or len(found.rest.split()) >= 4)

    def _title(self, live: list[int], start: int | None) -> int:
        """The first line before the body of about a headline's length: page furniture
        above it ("Close Banner Apps", breadcrumbs) is shorter."""
        if start is None:
            return live[0]
        before = [i for i in live if i < start and not _NUMBERED.match(self.units[i].text)]
        lengths = {
            i: len(self.units[i].text.split())
            for i in before
            if not self.units[i].text.endswith(".") and len(self.units[i].text.split()) <= 30
        }
        longest = max(lengths.values(), default=0)
        for index, words in lengths.items():
            if words >= max(4, longest / 2):
                return index
        return before[0] if before else live[0]

    def _header(self, title: int, start: int) -> int | None:
        """Between the title and the body: a subtitle, sentences, and clutter."""
        subtitle = None
        clutter = [
            i
            for i in range(title + 1, start)
            if self.units[i].text and (self.why[i] or not self._sentence_like(i))
        ]
        for index in range(title + 1, start):
            if not self.live(index) or self.protected[index]:
                continue
            text = self.units[index].text
            words = len(text.split())
            upper = text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"“'‘("
            clutter_below = bool(clutter) and clutter[-1] > index
            if (
                subtitle is None
                and upper
                and 2 <= words <= MAX_CAPTION_WORDS
                and not is_name(text)
                and not _NAME_OUTLET.match(text)
                and " | " not in text
                and (not _SENTENCE_END.search(text) or clutter_below)
            ):
                subtitle = index
            elif not (upper and _SENTENCE_END.search(text)):  # a sentence stays
                self.drop(index, "header", "page header")
                self._byline_with_outlet(index)
        self._names_beside_dates(title, start)
        return subtitle

    def _sentence_like(self, index: int) -> bool:
        text = self.units[index].text
        upper = text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"“'‘("
        return upper and _ends(text)

    def _byline_with_outlet(self, index: int) -> None:
        """ "Nama, CNBC Indonesia" in the header: a writer and the outlet."""
        match = _NAME_OUTLET.match(self.units[index].text)
        person = self.person(match["name"]) if match else None
        if person and is_name(person):
            self.authors.append(person)
            self.why[index] = ("byline-outlet", f"author: {person}")

    def _names_beside_dates(self, title: int, start: int) -> None:
        """A bare name next to the date line is the byline (Katadata, VOA)."""
        for index, _ in self.dates:
            for step in (-1, 1):
                other = self._nearest_header_line(index, step)
                if (
                    other is not None
                    and title < other < start
                    and self.why[other] is not None
                    and is_name(self.units[other].text)
                ):
                    person = self.person(self.units[other].text)
                    if person:
                        self.authors.append(person)
                        self.why[other] = ("byline-name", f"author: {person}")

    def _nearest_header_line(self, index: int, step: int) -> int | None:
        """The closest line that only the page's shape dropped, past rule-dropped ones."""
        other = self.near(index, step)
        for _ in range(3):
            why = self.why[other] if other is not None else None
            if (
                other is None
                or why is None
                or why[0] in ("header", "before-title")
                or why[1] == "the photo's alt text"  # a name above the lead photo: the writer
            ):
                return other
            other = self.near(other, step)
        return None

    def repeated_lines(self) -> None:
        """A short line shown twice in a row is page furniture (a teaser, a caption);
        the title shown again is handled by its rule, a paste made twice is kept."""
        seen: dict[str, int] = {}
        for index in range(len(self.units)):
            text = self.units[index].text
            if not self.live(index) or len(text.split()) > MAX_CAPTION_WORDS:
                continue
            earlier = seen.get(text)
            seen.setdefault(text, index)
            if earlier is None:
                continue
            self.drop(index, "repeated-line", "shown again on the page")
            if earlier != self.first and self.near(index, -1) == earlier:
                self.drop(earlier, "repeated-line", "shown twice in a row: page furniture")

    def _footer(self) -> None:
        last = max((i for i in range(len(self.units)) if self.sentence(i)), default=None)
        if last is None or not self._furniture(last + 1, len(self.units)):
            return
        for index in range(last + 1, len(self.units)):
            text = self.units[index].text
            if self.live(index) and len(text.split()) <= MAX_FOOTER_WORDS and not _ends(text):
                self.drop(index, "footer", "below the last sentence")

    # --- the body's first line and last words

    def first_body_line(self, title: int | None, subtitle: int | None, *, page: bool) -> int | None:
        """The line the story opens with: on a page, the first early line with a
        dateline (a teaser may come before it), else the first line kept."""
        body = [i for i in range(len(self.units)) if self.live(i) and i not in (title, subtitle)]
        opening = body[: max(HEADER_LINES, len(body) // 3)] if page else []
        datelines = [i for i in opening if self.opens_with_dateline(i)]
        named = [i for i in datelines if self._names_outlet(i)]
        return next(iter(named or datelines or body), None)

    def _names_outlet(self, index: int) -> bool:
        found = split_dateline(self.units[index].text, self.rules.outlets, self.own)
        return found is not None and found.outlet

    def dateline(self, first: int | None) -> None:
        """The body's dateline loses its outlet; alone on its line, it joins the next."""
        if first is None:
            return
        found = split_dateline(self.units[first].text, self.rules.outlets, self.own)
        if found is None:
            return
        said = f"{found.place}, " if found.place else ""
        if found.rest:
            self.texts[first] = said + found.rest
            detail = f"said: {said.strip() or '-'}"
            self.rewrites.append(
                Dropped(self.units[first].line, found.written.strip(), "dateline", detail)
            )
            return
        self.drop(first, "dateline", f"said: {said.strip() or 'nothing'}")
        following = next((i for i in range(first + 1, len(self.units)) if self.live(i)), None)
        if following is not None and said:
            self.texts[following] = said + (self.texts[following] or "")

    def sign_offs(self) -> None:
        for index in range(len(self.units)):
            text = self.texts[index]
            if not self.live(index) or text is None:
                continue
            match = _SIGN_OFF.search(text)
            if match:
                self.texts[index] = text[: match.start()].rstrip()
                self.rewrites.append(Dropped(self.units[index].line, match[0].strip(), "sign-off"))

    def result(self, title: int | None, subtitle: int | None) -> Sifted:
        dropped = [
            Dropped(unit.line, unit.text, why[0], why[1])
            for unit, why in zip(self.units, self.why, strict=True)
            if why is not None and unit.text
        ]
        dropped = sorted([*dropped, *self.rewrites], key=lambda d: d.line)
        published = [d for _, d in self.dates if not d.updated] or [d for _, d in self.dates]
        texts = tuple(
            text if (why is None and not unit.heading and unit.text) or unit.heading else None
            for unit, text, why in zip(self.units, self.texts, self.why, strict=True)
        )
        return Sifted(
            texts,
            tuple(dropped),
            title,
            subtitle,
            self.authors[0] if self.authors else None,
            published[0].iso if published else None,
        )


def sift(units: Sequence[Unit], rules: Rules, title: str = "", *, page: bool = True) -> Sifted:
    """Sift the units of a pasted page (`page`) or of a Markdown article (`title` known).

    >>> from suaraberita.intake.noise import default_rules
    >>> lines = ["Harga Cabai Naik Lagi", "Penulis Rina Lestari | Editor Adi",
    ...          "Selasa, 01 Des 2026 09:12 WIB", "",
    ...          "JAKARTA, KOMPAS.com - Harga cabai naik lagi di pasar induk pagi ini.", "",
    ...          "Baca juga: Harga Bawang Turun", "(arn/fas)"]
    >>> done = sift([Unit(t, n) for n, t in enumerate(lines, 1)], default_rules())
    >>> [t for t in done.texts if t], done.author, done.date
    (['Harga Cabai Naik Lagi', 'Jakarta, Harga cabai naik lagi di pasar induk pagi ini.'], \
'Rina Lestari', '2026-12-01T09:12:00+07:00')
    """
    sieve = _Sieve(units, rules, title)
    sieve.apply_rules(title_rules=False)
    chosen = subtitle = None
    if page:
        sieve.repeated_captions()
        sieve.repeated_lines()
        chosen, subtitle = sieve.page()
    sieve.after_end()
    sieve.repeated_captions()
    sieve.dateline(sieve.first_body_line(chosen, subtitle, page=page))
    sieve.sign_offs()
    return sieve.result(chosen, subtitle)


def _bare_caption(text: str) -> str:
    """A caption without its credit, for spotting it shown twice."""
    text = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", text)
    text = re.sub(r"\s*(?:Foto\s*:|Foto/|[A-Z]{3,}[\w.]*/).*$", "", text)
    return " ".join(text.casefold().split())


def sift_paragraphs(
    paragraphs: Sequence[str], title: str, rules: Rules | None = None
) -> tuple[tuple[str, str | None], ...]:
    """Each paragraph of an article body (as kept) with the rule that drops it, or None.

    >>> sift_paragraphs(["Isi berita.", "Baca Juga: Berita lain"], "Judul")
    (('Isi berita.', None), ('Baca Juga: Berita lain', 'baca-juga'))
    """
    from suaraberita.intake.noise import default_rules

    units = [Unit(" ".join(text.split()), number) for number, text in enumerate(paragraphs, 1)]
    done = sift(units, rules or default_rules(), title, page=False)
    rules_by_line = {
        item.line: item.rule for item in done.dropped if done.texts[item.line - 1] is None
    }
    return tuple(
        (kept if kept is not None else unit.text, rules_by_line.get(unit.line))
        for unit, kept in zip(units, done.texts, strict=True)
    )


def clean(paragraphs: Sequence[str], title: str, rules: Rules | None = None) -> tuple[str, ...]:
    """The paragraphs that are article text, in order (datelines and sign-offs cut).

    >>> clean(["Foto warga (ANTARA FOTO/Budi)", "Warga antre sejak pagi."], "Antrean")
    ('Warga antre sejak pagi.',)
    """
    return tuple(text for text, rule in sift_paragraphs(paragraphs, title, rules) if not rule)


def _ends(text: str) -> bool:
    """Whether a line ends like a sentence, a glued sign-off ("(arn/fas)") not counted."""
    return _SENTENCE_END.search(_SIGN_OFF.sub("", text)) is not None
