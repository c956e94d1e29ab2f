"""Parse an article (Markdown with front matter, or text pasted from a news page).

Both shapes end up as the same list of blocks (paragraphs and headings), which one
function turns into an `Article`: title, subtitle, intro, sections, with publisher
noise removed by `suaraberita.intake.noise`.

>>> article = parse_article("Judul Berita\\n\\nParagraf pembuka.\\n\\n1. Bagian satu\\n\\nIsi.")
>>> article.title, article.intro, article.sections[0].number, article.sections[0].heading
('Judul Berita', ('Paragraf pembuka.',), 1, 'Bagian satu')
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from suaraberita.errors import InputError
from suaraberita.files import read_bounded
from suaraberita.intake.clutter import Dropped, Sifted, Unit, sift
from suaraberita.intake.noise import Rules, default_rules
from suaraberita.unsafe import safe_url, strip_unsafe

if TYPE_CHECKING:  # the Markdown and YAML parsers load only for Markdown input
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@dataclass(frozen=True)
class Meta:
    """Front matter fields; all optional."""

    author: str | None = None
    date: str | None = None  # ISO 8601 date or datetime as written
    url: str | None = None
    image: str | None = None
    id: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A numbered or plain section: its heading and body paragraphs."""

    heading: str  # heading text without its number, e.g. "Aplikasi eksklusif"
    paragraphs: tuple[str, ...]
    number: int | None = None  # 1 for "1. Aplikasi eksklusif"; None for "## Judul"
    link: str | None = None  # an http(s) link in a Markdown heading: the chapter's URL


@dataclass(frozen=True)
class Article:
    title: str
    intro: tuple[str, ...]  # paragraphs before the first section
    sections: tuple[Section, ...]
    subtitle: str | None = None
    meta: Meta = field(default_factory=Meta)
    source: str = "-"  # file name the article came from, for messages
    dropped: tuple[Dropped, ...] = ()  # page clutter left out, and why (preview --explain)


KINDS = ("auto", "markdown", "text")
MAX_PLAIN_HEADING_WORDS = 10  # an unnumbered heading in pasted text is no longer
MAX_HEADING_WORDS = 15  # "1. ..." lines longer than this are numbered sentences
DEFAULT_MAX_BYTES = 2_000_000

_SENTENCE_END = re.compile(r"[.!?…:][\"'”’)\]]*$")
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_BULLET = re.compile(r"^(?:[•·▪●◦‣∙]\s*|[-*]\s+)(?=\S)")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE)
_FRONT_OPEN = re.compile(r"\A---[ \t]*(?:\n|\Z)")


# --- reading bytes -------------------------------------------------------------


def read_article_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read an article file as UTF-8 text, turning every OS problem into an InputError."""
    return decode_article_bytes(read_article_bytes(path, max_bytes), str(path))


def read_article_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most `max_bytes` of an article file, turning every OS problem into an
    InputError (a pipe or device too: it could block or never end)."""
    return read_bounded(path, max_bytes, "article", InputError, _LIMIT_ADVICE.format(max_bytes))


_LIMIT_ADVICE = (
    "articles are limited to {:,} bytes; this is probably not the article file "
    "(or raise [input] max_bytes in suaraberita.toml)"
)


def _too_large(source: str, size: int, max_bytes: int) -> InputError:
    """A news article is a few kB; megabytes mean a wrong file, not a long article."""
    return InputError(
        f"the article is too large for its limit of {max_bytes:,} bytes ({size:,} bytes)",
        path=source,
        hint=_LIMIT_ADVICE.format(max_bytes),
    )


def decode_article_bytes(data: bytes, source: str, max_bytes: int | None = None) -> str:
    """UTF-8 bytes to text with LF line ends; refuse binary, other encodings and blanks,
    and more than `max_bytes` bytes when given (standard input has no size to check first).

    >>> decode_article_bytes(b"\\xef\\xbb\\xbfJudul\\r\\n\\r\\nIsi.\\r", "a.txt")
    'Judul\\n\\nIsi.\\n'
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise _too_large(source, len(data), max_bytes)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            "the text is UTF-16, not UTF-8", path=source, hint="save the file as UTF-8"
        )
    body = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in body:
        raise InputError("this is a binary file, not text", path=source, hint=_binary_hint(body))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, error.start + len(data) - len(body), source) from error
    return _not_empty(
        normalise_newlines(text), source, "the file has no text, only blank lines or spaces"
    )


def _not_empty(text: str, source: str, hint: str) -> str:
    """`text`, or an InputError when it holds nothing but white space."""
    if not text.strip():
        raise InputError("the article is empty", path=source, hint=hint)
    return text


def decode_line(data: bytes, source: str, offset: int, line: int) -> str:
    """One line of a text read line by line (standard input), starting at byte `offset`
    and line number `line` of it; refused as an article file would be when not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _not_utf8(data, error.start, source, offset, line - 1) from error


def _not_utf8(
    data: bytes, offset: int, source: str, bytes_before: int = 0, lines_before: int = 0
) -> InputError:
    """Name the first bad byte, so the user can find it in an editor. `data` may be a
    part of the text, after `bytes_before` bytes and `lines_before` lines."""
    line = lines_before + data[:offset].count(b"\n") + 1
    where = bytes_before + offset
    return InputError(
        f"the text is not valid UTF-8 (byte 0x{data[offset]:02X} at offset {where}, line {line})",
        path=source,
        hint="the file is in another encoding (such as Windows-1252); save the file as UTF-8",
    )


def _binary_hint(data: bytes) -> str:
    """Guess what the binary file is from its first bytes."""
    if data.startswith(b"%PDF"):
        return "this is a PDF; copy its text into a .txt file"
    if data.startswith(b"PK\x03\x04"):
        return "this looks like a Word (.docx) or zip file; save the article as plain text"
    return "the file contains NUL bytes; give a .md or .txt file saved as UTF-8 text"


def normalise_newlines(text: str) -> str:
    """CRLF and CR to LF, and no byte order mark, whatever produced the text."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- parsing -------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    """A paragraph (level 0) or a heading (level 1-6), as plain text."""

    text: str
    level: int = 0
    link: str | None = None  # first http(s) link of a heading
    line: int = 0  # where it starts in the input, 1-based


@dataclass(frozen=True)
class _Head:
    """What comes before the body: title, subtitle and front matter."""

    title: str
    subtitle: str | None = None
    meta: Meta = field(default_factory=Meta)


def detect_kind(text: str) -> str:
    """ "markdown" when the text starts with front matter or has a "#" heading line.

    >>> detect_kind("# Judul\\n\\nIsi."), detect_kind("Judul\\n\\nIsi.")
    ('markdown', 'text')
    """
    text = normalise_newlines(text).lstrip("\n")
    if _FRONT_OPEN.match(text) or _ATX_HEADING.search(text):
        return "markdown"
    return "text"


def parse_article(
    text: str, source: str = "-", kind: str = "auto", rules: Rules | None = None
) -> Article:
    """Parse article text. Raises InputError naming `source` when it is not an article.

    `kind` is "auto", "markdown" or "text" (text pasted from a news page); `rules` are
    the noise rules (the built-in ones by default).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    hint = "nothing was pasted, or this is the wrong file"
    text = _not_empty(normalise_newlines(text), source, hint)
    if kind == "auto":
        kind = detect_kind(text)
    rules = rules or default_rules()
    if kind == "markdown":
        head, blocks = _parse_markdown(text, source)
        head, blocks, dropped = _sift_markdown(head, blocks, rules)
    else:
        head, blocks, dropped = _parse_text(text, source, rules)
    return replace(_assemble(head, blocks, source, had_text=bool(dropped)), dropped=dropped)


def _assemble(
    head: _Head, blocks: Sequence[_Block], source: str, had_text: bool = False
) -> Article:
    """Split blocks (noise already sifted out) into intro and sections; `had_text`:
    lines were left out as noise, so an empty body is all noise."""
    intro: list[str] = []
    sections: list[tuple[_Block, list[str]]] = []
    for block in blocks:
        if block.level:
            sections.append((block, []))
        else:
            (sections[-1][1] if sections else intro).append(block.text)
    body = tuple(_body(intro))
    parts = tuple(_section(heading, paragraphs) for heading, paragraphs in sections)
    if not body and not any(part.paragraphs for part in parts):
        raise _no_body(source, had_text=had_text or bool(intro) or any(p for _, p in sections))
    return Article(head.title, body, parts, head.subtitle, head.meta, source)


def _section(heading: _Block, paragraphs: list[str]) -> Section:
    """One section; "1. Judul" gives number 1 and heading "Judul"."""
    number, text = _split_number(heading.text)
    return Section(text, tuple(_body(paragraphs)), number, heading.link)


def _split_number(heading: str) -> tuple[int | None, str]:
    """ "3. Judul" -> (3, "Judul"); "Judul" -> (None, "Judul")."""
    match = _NUMBERED.match(heading)
    return (int(match[1]), match[2]) if match else (None, heading)


def _body(paragraphs: list[str]) -> list[str]:
    """List bullets removed, which only served to spot tag lists; then what has no
    letter or digit to say (a "***" separator, a lone dash)."""
    kept = (_BULLET.sub("", paragraph) for paragraph in paragraphs)
    return [paragraph for paragraph in kept if any(c.isalnum() for c in paragraph)]


def _no_body(source: str, had_text: bool) -> InputError:
    """Distinguish "nothing after the title" from "everything was taken for noise"."""
    hint = (
        "every paragraph after the title looks like publisher noise (captions, 'Baca Juga', "
        "bylines, footers) or has no word to say"
        if had_text
        else "only the headline is there; paste the whole article, paragraphs separated "
        "by blank lines"
    )
    return InputError("the article has a title but no body text", path=source, hint=hint)


def _no_title(source: str) -> InputError:
    return InputError(
        "the article has no title",
        path=source,
        hint="there is no 'title:' in the front matter, no '# ' heading and no paragraph",
    )


def _tidy(text: str) -> str:
    """Collapse runs of white space and drop invisible and unsafe characters; quotes
    stay as written. Every text of an article passes here."""
    return " ".join(strip_unsafe(text).split())


# --- pasted text ---------------------------------------------------------------


def _parse_text(
    text: str, source: str, rules: Rules
) -> tuple[_Head, list[_Block], tuple[Dropped, ...]]:
    """Lines sifted (`intake.clutter`): title, subtitle, metadata, then paragraphs and
    headings from the lines kept."""
    lines = [_tidy(line) for line in text.split("\n")]
    if not any(lines):
        raise _no_title(source)
    done = sift([Unit(line, number) for number, line in enumerate(lines, 1)], rules)
    if done.title is None:
        raise _no_body(source, had_text=True)
    title = lines[done.title]
    subtitle = lines[done.subtitle] if done.subtitle is not None else None
    body = [
        "" if text is None or index in (done.title, done.subtitle) else text
        for index, text in enumerate(done.texts)
    ]
    head = _Head(title, subtitle, Meta(author=done.author, date=done.date))
    return head, _text_blocks(body), done.dropped


def article_from_blocks(
    title: str,
    blocks: Sequence[tuple[str, int]],
    source: str,
    rules: Rules | None = None,
    subtitle: str | None = None,
    meta: Meta | None = None,
) -> Article:
    """An article from a body already split into (text, heading level) blocks, as a web
    page's extractor gives it: sifted by the noise rules like a Markdown body."""
    parts = [
        _Block(_tidy(text), level, line=number) for number, (text, level) in enumerate(blocks, 1)
    ]
    if parts and parts[0].level == 1 and parts[0].text == _tidy(title):
        parts = parts[1:]  # the page's <h1> is the title
    head = _Head(_tidy(title), _tidy(subtitle or "") or None, _tidy_meta(meta or Meta()))
    head, kept, dropped = _sift_markdown(
        head, [p for p in parts if p.text], rules or default_rules()
    )
    return replace(_assemble(head, kept, source, had_text=bool(dropped)), dropped=dropped)


def _tidy_meta(meta: Meta) -> Meta:
    """A page's metadata, tidied like the text of an article."""

    def tidy(value: str | None) -> str | None:
        return _tidy(value or "") or None

    return replace(
        meta,
        author=tidy(meta.author),
        date=tidy(meta.date),
        url=tidy(meta.url),
        image=tidy(meta.image),
    )


def _sift_markdown(
    head: _Head, blocks: list[_Block], rules: Rules
) -> tuple[_Head, list[_Block], tuple[Dropped, ...]]:
    """Markdown paragraphs through the noise rules; a byline or date line found there
    fills what the front matter left out."""
    units = [Unit(_tidy(b.text), b.line, heading=b.level > 0) for b in blocks]
    done: Sifted = sift(units, rules, head.title, page=False)
    kept = [replace(b, text=t) for b, t in zip(blocks, done.texts, strict=True) if t]
    meta = replace(
        head.meta, author=head.meta.author or done.author, date=head.meta.date or done.date
    )
    return replace(head, meta=meta), kept, done.dropped


def _text_blocks(lines: list[str]) -> list[_Block]:
    """Group tidy lines into paragraphs and headings.

    A blank line ends a paragraph. So does a single line break, unless the next line
    visibly continues the sentence (see `_continues`): news pages paste one
    paragraph per line, while hand-wrapped text breaks mid-sentence.
    """
    blocks: list[_Block] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(_Block(" ".join(current)))
            current.clear()

    for index, line in enumerate(lines):
        previous = current[-1] if current else None
        if not line:
            flush()
        elif _is_heading_line(lines, index, previous) or (
            blocks and _is_plain_heading(lines, index, previous)
        ):
            flush()
            blocks.append(_Block(line, level=2))
        else:
            if previous is not None and not _continues(previous, line):
                flush()
            current.append(line)
    flush()
    return blocks


def _is_heading_line(lines: list[str], index: int, previous: str | None) -> bool:
    """ "1. Aplikasi eksklusif": a number, a dot, a short heading, no final period.

    It must start a block (or follow a finished sentence), and the next line must
    not be numbered too, or it is a numbered list.
    """
    line = lines[index]
    match = _NUMBERED.match(line)
    if not match or len(match[2].split()) > MAX_HEADING_WORDS:
        return False
    if line.endswith((".", ",", ";", ":")):
        return False
    if previous is not None and not _SENTENCE_END.search(previous):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return not _NUMBERED.match(following)


def _is_plain_heading(lines: list[str], index: int, previous: str | None) -> bool:
    """ "Dampak ke eksportir": a short line of two words or more, standing alone after
    article text, with no sentence punctuation, followed by a paragraph.

    Only pasted text has these; the body must already have begun.
    """
    line = lines[index]
    words = len(line.split())
    if previous is not None or not 2 <= words <= MAX_PLAIN_HEADING_WORDS:
        return False
    if not (line[0].isupper() or line[0].isdigit()) or re.search(r"[.,;:!?…\"”]$", line):
        return False
    following = next((text for text in lines[index + 1 :] if text), "")
    return len(following.split()) >= 8 and _SENTENCE_END.search(following) is not None


def _continues(previous: str, line: str) -> bool:
    """Whether `line` carries on the sentence of `previous` (a wrapped line)."""
    if _BULLET.match(line) or _SENTENCE_END.search(previous):
        return False
    return line[0].islower() or previous.endswith((",", ";", "–", "—", "-", "("))


# --- Markdown ------------------------------------------------------------------


@cache
def _markdown() -> MarkdownIt:
    """CommonMark with front matter, ~~strike~~ (so the tildes are not read aloud) and
    tables (so their pipes and dashes are not either)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin).enable(["strikethrough", "table"])


def _parse_markdown(text: str, source: str) -> tuple[_Head, list[_Block]]:
    """Front matter for the head, then blocks from the token stream."""
    stripped = text.lstrip("\n")
    offset = len(text) - len(stripped)  # blank lines before the front matter
    tokens = _markdown().parse(stripped)
    data: dict[str, Any] = {}
    if tokens and tokens[0].type == "front_matter":
        first_line = offset + (tokens[0].map[0] if tokens[0].map else 0) + 1
        data = _load_front_matter(tokens[0].content, first_line, source)
    elif _FRONT_OPEN.match(stripped):
        raise InputError(
            f"the front matter opened on line {offset + 1} is not closed",
            path=source,
            hint="add a line with only '---' after the last field",
        )
    head = _head_from_front_matter(data, source)
    blocks = _markdown_blocks(tokens, offset)
    if head.title:
        if blocks and blocks[0].level == 1 and _tidy(blocks[0].text) == head.title:
            blocks = blocks[1:]  # "# Title" repeating the front matter title
        return head, blocks
    return _title_from_blocks(head, blocks, source)


def _title_from_blocks(
    head: _Head, blocks: list[_Block], source: str
) -> tuple[_Head, list[_Block]]:
    """No front matter title: the first "# " heading, else the first paragraph."""
    index = next((i for i, block in enumerate(blocks) if block.level == 1), None)
    if index is None:
        index = next((i for i, block in enumerate(blocks) if block.level == 0), None)
    if index is None:
        raise _no_title(source)
    title = blocks[index].text
    return _Head(title, head.subtitle, head.meta), blocks[:index] + blocks[index + 1 :]


def _markdown_blocks(tokens: Sequence[Token], offset: int = 0) -> list[_Block]:
    """Headings and paragraphs (list items and quotes included); a table row becomes a
    paragraph of its cells, read as a list; HTML and code are skipped."""
    blocks: list[_Block] = []
    row: list[str] = []
    for opener, token in pairwise(tokens):
        if token.type == "tr_close" and row:
            blocks.append(_Block(", ".join(row) + "."))
            row = []
        if token.type != "inline":
            continue
        text = _inline_text(token)
        if not text:
            continue  # e.g. a paragraph holding only an image
        line = offset + opener.map[0] + 1 if opener.map else 0
        if opener.type in ("th_open", "td_open"):
            row.append(text.rstrip(" .,;"))
        elif opener.type == "heading_open":
            level = int(opener.tag[1:])
            blocks.append(_Block(text, level=level, link=_first_link(token), line=line))
        elif opener.type == "paragraph_open":
            blocks.append(_Block(text, line=line))
    return blocks


def _first_link(token: Token) -> str | None:
    """The first http(s) link inside an inline token."""
    for child in token.children or []:
        href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
        if href.startswith(("http://", "https://")):
            return href
    return None


def _inline_text(token: Token) -> str:
    """Plain text of an inline token: markup and images gone, links kept as their text.

    ~~Struck~~ text is dropped too: the writer crossed it out.
    """
    parts: list[str] = []
    struck = 0
    for child in token.children or []:
        struck += {"s_open": 1, "s_close": -1}.get(child.type, 0)
        if struck:
            continue
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return _tidy("".join(parts))


# --- front matter --------------------------------------------------------------


def _load_front_matter(content: str, first_line: int, source: str) -> dict[str, Any]:
    """YAML to a mapping; `first_line` is the file line of the opening '---'."""
    import yaml

    try:
        data = yaml.safe_load(content)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" on line {first_line + 1 + mark.line}" if mark is not None else ""
        raise InputError(
            f"the front matter is not valid YAML{where}: {error.problem or error.context}",
            path=source,
            hint="a value containing ': ' or starting with a quote must be quoted as a whole",
        ) from error
    except yaml.reader.ReaderError as error:  # a control character, which YAML refuses
        row = first_line + 1 + content[: error.position].count("\n")
        raise InputError(
            f"the front matter has a control character (#x{error.character:04x}) on line {row}",
            path=source,
            hint="delete it: most editors do not show it",
        ) from error
    except yaml.YAMLError as error:
        raise InputError(f"the front matter is not valid YAML: {error}", path=source) from error
    except Exception as error:  # PyYAML's constructors: ValueError for 2024-02-30, and more
        line = _unbuildable_line(content)
        where = f" on line {first_line + 1 + line}" if line is not None else ""
        reason = "it is not a valid value"
        if isinstance(error, RecursionError):
            reason = "it is nested too deeply"
        elif isinstance(error, ValueError) and str(error):
            reason = str(error)  # e.g. "day is out of range for month"
        raise InputError(
            f"the front matter has a value that cannot be read{where}: {reason}",
            path=source,
            hint="dates must be real days, written like 2024-02-13; write other values plainly",
        ) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            f"the front matter is a {_type_name(data)}, not a set of fields",
            path=source,
            hint="write it as 'name: value' lines between two '---' lines",
        )
    return data


def _unbuildable_line(content: str) -> int | None:
    """The line (from 0) of the first value PyYAML cannot build, such as 2024-02-30."""
    import yaml

    try:
        loader = yaml.SafeLoader(content)
        try:
            root = loader.get_single_node()
            stack: list[yaml.Node] = [root] if root is not None else []
            seen: set[int] = set()
            while stack:
                node = stack.pop()
                if id(node) in seen:
                    continue  # an alias seen before: &x [*x]
                seen.add(id(node))
                if isinstance(node, yaml.ScalarNode):
                    try:
                        loader.construct_object(node)
                    except Exception:
                        return int(node.start_mark.line)
                elif isinstance(node, yaml.MappingNode):
                    stack += reversed([part for pair in node.value for part in pair])
                elif isinstance(node, yaml.SequenceNode):
                    stack += reversed(node.value)
        finally:
            loader.dispose()
    except Exception:  # it does not even compose (nested too deeply): no line to name
        return None
    return None


def _head_from_front_matter(data: dict[str, Any], source: str) -> _Head:
    """Title, subtitle and Meta from the known fields; other fields are ignored."""
    text = _field_reader(data, source)
    meta = Meta(
        author=text("author"),
        date=_date_field(data, source),
        url=_link_field(text("url"), "url", source),
        image=_link_field(text("image"), "image", source),
        id=_id_field(data, source),
        tags=_tags_field(data, source),
    )
    return _Head(text("title") or "", text("subtitle"), meta)


def _field_reader(data: dict[str, Any], source: str) -> Callable[[str], str | None]:
    """A reader for string fields: None when absent or blank, InputError when not text."""

    def read(name: str) -> str | None:
        value = data.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise _wrong_type(name, "text", value, source)
        return _tidy(value) or None

    return read


def _link_field(value: str | None, name: str, source: str) -> str | None:
    """Only an http(s) address leaves the tool (feed, pages, ID3), never javascript:,
    file: or data:; an image may be a bare file name, which is not published."""
    if value is None or safe_url(value):
        return value
    if name == "image" and not urlsplit(value).scheme and not value.startswith("//"):
        return value
    raise InputError(
        f"front matter field '{name}' must be an http(s) address, not {value!r}",
        path=source,
        hint=f"write e.g. {name}: https://contoh.id/berita/judul-berita",
    )


def _date_field(data: dict[str, Any], source: str) -> str | None:
    """YAML turns 2024-02-13 into a date; store it as an ISO string."""
    value = data.get("date")
    if value is None:
        return None
    if isinstance(value, str):
        return _tidy(value) or None
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    raise _wrong_type("date", "a date such as 2024-02-13", value, source)


def _id_field(data: dict[str, Any], source: str) -> str | None:
    """An id may be written as a bare number; keep it as text."""
    value = data.get("id")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return _tidy(value) or None
    raise _wrong_type("id", "text or a number", value, source)


def _tags_field(data: dict[str, Any], source: str) -> tuple[str, ...]:
    """A list of strings, or one string of comma-separated tags."""
    value = data.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(tag for tag in (_tidy(part) for part in value.split(",")) if tag)
    if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        return tuple(tag for tag in (_tidy(part) for part in value) if tag)
    raise _wrong_type("tags", "a list of strings", value, source)


def _wrong_type(name: str, expected: str, value: object, source: str) -> InputError:
    return InputError(
        f"front matter field '{name}' must be {expected}, not {_type_name(value)}",
        path=source,
        hint=f"write e.g. {_EXAMPLES.get(name, name + ': ...')}",
    )


_EXAMPLES = {
    "tags": "tags: [ekonomi, jakarta]",
    "date": "date: 2024-02-13",
    "title": 'title: "Judul berita"',
}


def _type_name(value: object) -> str:
    """YAML words for Python types, as the user wrote YAML."""
    names = {
        dict: "mapping",
        list: "list",
        str: "text",
        bool: "true/false",
        int: "number",
        float: "number",
        dt.date: "date",
        dt.datetime: "date and time",
    }
    return names.get(type(value), type(value).__name__)
