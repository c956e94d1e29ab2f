"""Publisher noise rules: what on a pasted news page is not the article.

The rules are data: ``data/noise/generic.toml`` for what every outlet has, and one
table per outlet beside it (``kompas.toml``, ``detik.toml``, ...), each naming how the
outlet writes itself (for datelines and photo credits) and its own clutter. A
newsroom adds its own drop and keep patterns in ``suaraberita.toml`` (see
`user_rules`). This module loads and matches rules; `intake.clutter` applies them.

>>> rules = default_rules()
>>> rules.match("BACA JUGA: Harga Cabai Naik", "Judul").name
'baca-juga'
>>> rules.match("Jakarta, IDN Times – Harga cabai naik lagi.", "Judul") is None
True
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from suaraberita.errors import ConfigError
from suaraberita.files import read_bounded
from suaraberita.outside import loads_toml

Kind = Literal["drop", "end", "related", "caption", "credit", "byline", "trailer", "in-trailer"]
KINDS: tuple[Kind, ...] = (
    "drop",  # drop the line wherever it is
    "end",  # drop it and everything after it: the article is over
    "related",  # drop it and the headlines listed under it
    "caption",  # a photo caption ending in its credit; a short alt-text line above goes too
    "credit",  # a credit alone on its line; the caption beside it goes too
    "byline",  # metadata: (?P<author>...) or the name on the next line is the author
    "trailer",  # drop and open a trailing block ...
    "in-trailer",  # ... in which these short lines go too
)
TITLE_PLACEHOLDER = "{title}"
MAX_WORD_CHARS = 25  # a line longer than max_words of these is no short clutter line
USER_SOURCE = "suaraberita.toml [noise]"


@dataclass(frozen=True)
class Rule:
    """One noise rule; see the comments in ``data/noise/generic.toml`` for the fields."""

    name: str
    kind: Kind
    pattern: str
    ignore_case: bool = True
    max_words: int | None = None
    writer: bool = True  # a byline rule: is the name the article's author (not the editor)?
    source: str = ""  # the file it came from, for --explain

    def matches(self, line: str, title: str, words: int | None = None) -> re.Match[str] | None:
        """The match when this rule applies to `line` (given the article `title`);
        `words` is the line's word count, when the caller has it already."""
        if self.max_words is not None and (
            len(line) > self.max_words * MAX_WORD_CHARS
            or (len(line.split()) if words is None else words) > self.max_words
        ):
            return None
        regex = _compile(self.pattern, self.ignore_case, title)
        return None if regex is None else regex.search(line)


@dataclass(frozen=True)
class Rules:
    """Every rule in order, the keep patterns that override them, and the names
    outlets write themselves with (for datelines and credits)."""

    rules: tuple[Rule, ...]
    keep: tuple[Rule, ...] = ()
    outlets: tuple[str, ...] = ()
    not_people: tuple[str, ...] = ()  # byline names that are an outlet or agency
    # an outlet's own dateline patterns, (its names, pattern): used on its pages only
    datelines: tuple[tuple[tuple[str, ...], str], ...] = ()
    # (domain, query) giving an outlet's split article on one page: ("kompas.com", "page=all")
    whole_pages: tuple[tuple[str, str], ...] = ()
    by_name: Mapping[str, Rule] = field(default_factory=dict, compare=False)

    def match(self, line: str, title: str, *, trailer: bool = False) -> Rule | None:
        """The first rule that drops `line`; "in-trailer" rules only when `trailer`."""
        split = line.split()
        text, words = " ".join(split), len(split)
        for rule in self.rules:
            if (rule.kind != "in-trailer" or trailer) and rule.matches(text, title, words):
                return rule
        return None

    def kept(self, line: str, title: str) -> Rule | None:
        """The user's keep pattern that protects `line` from every rule, if any."""
        text = " ".join(line.split())
        return next((rule for rule in self.keep if rule.matches(text, title)), None)

    def with_user(self, drop: Iterable[str], keep: Iterable[str]) -> Rules:
        """These rules after a newsroom's own: its drop patterns first, its keep
        patterns over everything."""
        mine = tuple(
            _checked(Rule(f"user-drop-{n}", "drop", p, source=USER_SOURCE), USER_SOURCE)
            for n, p in enumerate(drop, 1)
        )
        kept = tuple(
            _checked(Rule(f"user-keep-{n}", "drop", p, source=USER_SOURCE), USER_SOURCE)
            for n, p in enumerate(keep, 1)
        )
        return replace(self, rules=(*mine, *self.rules), keep=(*kept, *self.keep))

    def datelines_for(self, page: str) -> tuple[str, ...]:
        """The dateline patterns of the outlets `page` names."""
        return tuple(pattern for names, pattern in self.datelines if any(n in page for n in names))


@lru_cache(maxsize=1024)
def _compile(pattern: str, ignore_case: bool, title: str) -> re.Pattern[str] | None:
    """Compile once per (rule, title); None when the rule needs a title we lack."""
    if TITLE_PLACEHOLDER in pattern:
        if not title.strip():
            return None
        pattern = pattern.replace(TITLE_PLACEHOLDER, re.escape(" ".join(title.split())))
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def parse_rules(
    data: Mapping[str, Any], source: str = "noise.toml", *, compiled: bool = True
) -> tuple[Rule, ...]:
    """Build rules from a loaded TOML document; ConfigError names the bad rule. With
    `compiled`, every pattern is compiled now, so a bad one fails at load time (the
    built-in ones are compiled by the tests instead, and when first used)."""
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(
            "'rule' must be an array of tables",
            path=source,
            hint="write each rule as a [[rule]] table",
        )
    rules = tuple(
        _parse_rule(entry, index, source, compiled) for index, entry in enumerate(entries, 1)
    )
    _unique(rules, source)
    return rules


def _unique(rules: tuple[Rule, ...], source: str) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise ConfigError(
                f"two rules are called {rule.name!r}",
                path=source,
                hint="give every rule its own name",
            )
        seen.add(rule.name)


def _parse_rule(entry: Any, index: int, source: str, compiled: bool = True) -> Rule:
    """Check one [[rule]] table, so a typo fails at load time, not mid-article."""
    if not isinstance(entry, dict):
        raise ConfigError(f"rule {index} is not a table", path=source)
    name = entry.get("name")
    where = f"rule {index} ({name!r})" if isinstance(name, str) else f"rule {index}"
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{where} has no name", path=source, hint='add name = "..."')
    kind = entry.get("kind")
    if kind not in KINDS:
        raise ConfigError(
            f"{where} has kind {kind!r}",
            path=source,
            hint=f"kind must be one of {', '.join(KINDS)}",
        )
    pattern = entry.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(
            f"{where} has no pattern", path=source, hint="add pattern = '...' (a Python regex)"
        )
    ignore_case = entry.get("ignore_case", True)
    writer = entry.get("writer", True)
    max_words = entry.get("max_words")
    for key, value in (("ignore_case", ignore_case), ("writer", writer)):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {key} must be true or false", path=source)
    if max_words is not None and (
        isinstance(max_words, bool) or not isinstance(max_words, int) or max_words < 1
    ):
        raise ConfigError(f"{where}: max_words must be a positive integer", path=source)
    rule = Rule(name, kind, pattern, ignore_case, max_words, writer, source)
    return _checked(rule, source, where) if compiled else rule


def _checked(rule: Rule, source: str, where: str | None = None) -> Rule:
    try:
        _compile(rule.pattern, rule.ignore_case, "Judul")
    except re.error as error:
        raise ConfigError(
            f"{where or repr(rule.pattern)} has a bad pattern: {error}",
            path=source,
            hint="the pattern is a Python regex; escape ( ) . with a backslash",
        ) from error
    return rule


def parse_table(data: Mapping[str, Any], source: str, *, compiled: bool = True) -> Rules:
    """One rules file: its [[rule]]s, and its [outlet] names and [byline] not_people."""
    outlet = data.get("outlet", {})
    names = outlet.get("names", []) if isinstance(outlet, dict) else None
    datelines = outlet.get("datelines", []) if isinstance(outlet, dict) else None
    domains = outlet.get("domains", []) if isinstance(outlet, dict) else None
    whole = outlet.get("whole_page", "") if isinstance(outlet, dict) else ""
    byline = data.get("byline", {})
    not_people = byline.get("not_people", []) if isinstance(byline, dict) else None
    for key, value in (
        ("[outlet] names", names),
        ("[outlet] datelines", datelines),
        ("[outlet] domains", domains),
        ("[byline] not_people", not_people),
    ):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{key} must be a list of strings", path=source)
    for pattern in datelines or ():
        _checked(Rule("dateline", "drop", pattern), source, f"dateline {pattern!r}")
        if "(?P<place>" not in pattern:
            raise ConfigError(f"dateline {pattern!r} has no (?P<place>...)", path=source)
    if not isinstance(whole, str) or (whole and "=" not in whole):
        raise ConfigError('[outlet] whole_page must be a query like "page=all"', path=source)
    own = ((tuple(names or ()), pattern) for pattern in datelines or ())
    pages = ((domain, whole) for domain in domains or ()) if whole else ()
    return Rules(
        parse_rules(data, source, compiled=compiled),
        (),
        tuple(names or ()),
        tuple(not_people or ()),
        tuple(own),
        tuple(pages),
    )


def combine(tables: Iterable[Rules], source: str = "noise rules") -> Rules:
    """Rules of several files, in order, as one set."""
    tables = tuple(tables)
    rules = tuple(rule for table in tables for rule in table.rules)
    _unique(rules, source)
    return Rules(
        rules,
        tuple(rule for table in tables for rule in table.keep),
        tuple(name for table in tables for name in table.outlets),
        tuple(name for table in tables for name in table.not_people),
        tuple(pattern for table in tables for pattern in table.datelines),
        tuple(page for table in tables for page in table.whole_pages),
    )


def load_rules(path: Path) -> Rules:
    """Rules from a TOML file of your own, in the format of the built-in tables."""
    try:
        data = loads_toml(read_bounded(path, 1_000_000, "noise rules").decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError and TOML's are ValueErrors
        raise ConfigError(f"cannot read noise rules: {error}", path=path) from error
    return parse_table(data, str(path))


@cache
def default_rules() -> Rules:
    """The built-in rules: each outlet's table, by name, then the generic one."""
    folder = files("suaraberita.intake") / "data" / "noise"
    names = sorted(item.name for item in folder.iterdir() if item.name.endswith(".toml"))
    names.sort(key=lambda name: name == "generic.toml")  # the specific rules first
    tables = []
    for name in names:
        source = f"suaraberita/intake/data/noise/{name}"
        text = (folder / name).read_text(encoding="utf-8")
        tables.append(parse_table(tomllib.loads(text), source, compiled=False))
    return combine(tables, "suaraberita/intake/data/noise")


def is_noise(paragraph: str, title: str, rules: Rules | None = None) -> str | None:
    """Name of the first rule (not "in-trailer") that drops `paragraph`, else None.

    >>> is_noise("Penulis: Rina Lestari | Editor: Adi", "Judul")
    'byline-labelled'
    """
    rule = (rules or default_rules()).match(paragraph, title)
    return None if rule is None else rule.name
