"""Publisher noise: captions, "Baca Juga" links, bylines and footers.

The rules are data (``data/noise.toml``); this module only loads and applies them,
so supporting another news site means adding a rule, not code.

>>> clean(["Isi berita.", "Baca Juga: Berita lain", "Penulis Verified Writer Penulis",
...        "Petani Kata"], title="Judul")
('Isi berita.',)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from suaraberita.errors import ConfigError

Kind = Literal["drop", "trailer", "in-trailer"]
KINDS: tuple[Kind, ...] = ("drop", "trailer", "in-trailer")
TITLE_PLACEHOLDER = "{title}"


@dataclass(frozen=True)
class Rule:
    """One noise rule; see the comments in ``data/noise.toml`` for the fields."""

    name: str
    kind: Kind
    pattern: str
    ignore_case: bool = True
    max_words: int | None = None

    def matches(self, paragraph: str, title: str) -> bool:
        """Whether this rule drops `paragraph` (given the article `title`)."""
        if self.max_words is not None and len(paragraph.split()) > self.max_words:
            return False
        regex = _compile(self.pattern, self.ignore_case, title)
        return regex is not None and regex.search(paragraph) is not None


@lru_cache(maxsize=256)
def _compile(pattern: str, ignore_case: bool, title: str) -> re.Pattern[str] | None:
    """Compile once per (rule, title); None when the rule needs a title we lack."""
    if TITLE_PLACEHOLDER in pattern:
        if not title.strip():
            return None
        pattern = pattern.replace(TITLE_PLACEHOLDER, re.escape(" ".join(title.split())))
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def parse_rules(data: Mapping[str, Any], source: str = "noise.toml") -> tuple[Rule, ...]:
    """Build rules from a loaded TOML document; ConfigError names the bad rule."""
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(
            "'rule' must be an array of tables",
            path=source,
            hint="write each rule as a [[rule]] table",
        )
    rules = tuple(_parse_rule(entry, index, source) for index, entry in enumerate(entries, 1))
    names = [rule.name for rule in rules]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(
                f"two rules are called {name!r}", path=source, hint="give every rule its own name"
            )
    return rules


def _parse_rule(entry: Any, index: int, source: str) -> Rule:
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
    max_words = entry.get("max_words")
    if not isinstance(ignore_case, bool):
        raise ConfigError(f"{where}: ignore_case must be true or false", path=source)
    if max_words is not None and (
        isinstance(max_words, bool) or not isinstance(max_words, int) or max_words < 1
    ):
        raise ConfigError(f"{where}: max_words must be a positive integer", path=source)
    rule = Rule(name, kind, pattern, ignore_case, max_words)
    try:
        _compile(pattern, ignore_case, "Judul")
    except re.error as error:
        raise ConfigError(
            f"{where} has a bad pattern: {error}",
            path=source,
            hint="the pattern is a Python regex; escape ( ) . with a backslash",
        ) from error
    return rule


def load_rules(path: Path) -> tuple[Rule, ...]:
    """Load rules from a TOML file of your own (same format as the built-in one)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read noise rules: {error}", path=path) from error
    return parse_rules(data, str(path))


@cache
def default_rules() -> tuple[Rule, ...]:
    """The built-in rules, read once from the package data."""
    text = (files("suaraberita.intake") / "data" / "noise.toml").read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text), "suaraberita/intake/data/noise.toml")


def is_noise(paragraph: str, title: str, rules: Iterable[Rule] | None = None) -> str | None:
    """Name of the first "drop" or "trailer" rule that drops `paragraph`, else None.

    Stateless, so "in-trailer" rules (which need the paragraphs before) are not used;
    `clean` and `sift` apply those.

    >>> is_noise("BACA JUGA: Harga Cabai Naik", "Judul")
    'baca-juga'
    >>> is_noise("Jakarta, IDN Times – Harga cabai naik lagi.", "Judul") is None
    True
    """
    paragraph = " ".join(paragraph.split())
    for rule in default_rules() if rules is None else rules:
        if rule.kind != "in-trailer" and rule.matches(paragraph, title):
            return rule.name
    return None


def sift(
    paragraphs: Iterable[str], title: str, rules: Iterable[Rule] | None = None
) -> tuple[tuple[str, str | None], ...]:
    """Each paragraph with the name of the rule that drops it (None: it stays).

    Useful to show a user why a paragraph went missing.
    """
    ruleset = default_rules() if rules is None else tuple(rules)
    verdicts: list[tuple[str, str | None]] = []
    in_trailer = False
    for paragraph in paragraphs:
        name = _first_match(paragraph, title, ruleset, in_trailer)
        in_trailer = name is not None and (in_trailer or _kind(ruleset, name) == "trailer")
        verdicts.append((paragraph, name))
    return tuple(verdicts)


def _first_match(
    paragraph: str, title: str, rules: tuple[Rule, ...], in_trailer: bool
) -> str | None:
    """The first rule that applies here; "in-trailer" rules only inside a trailing block."""
    text = " ".join(paragraph.split())
    for rule in rules:
        if (rule.kind != "in-trailer" or in_trailer) and rule.matches(text, title):
            return rule.name
    return None


def _kind(rules: tuple[Rule, ...], name: str) -> Kind:
    """Kind of the rule called `name` (names are looked up, not stored, to keep sift small)."""
    return next(rule.kind for rule in rules if rule.name == name)


def clean(
    paragraphs: Iterable[str], title: str, rules: Iterable[Rule] | None = None
) -> tuple[str, ...]:
    """The paragraphs that are article text, in order.

    >>> clean(["Foto warga (ANTARA FOTO/Budi)", "Warga antre sejak pagi."], "Antrean")
    ('Warga antre sejak pagi.',)
    """
    return tuple(text for text, rule in sift(paragraphs, title, rules) if rule is None)
