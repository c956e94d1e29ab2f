"""Podcast settings from suaraberita.toml: the show's metadata and the audio format."""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, cast, get_args, get_type_hints
from urllib.parse import quote, urljoin, urlsplit

from suaraberita.audio.render import AudioFormat
from suaraberita.errors import ConfigError
from suaraberita.files import check_regular, read_toml
from suaraberita.intake.article import DEFAULT_MAX_BYTES
from suaraberita.outside import whole_number
from suaraberita.unsafe import UNSAFE, first_unsafe

CONFIG_NAME = "suaraberita.toml"
EPISODE_TYPES = ("episodic", "serial")
CLIP_MAX_BYTES = 100_000_000  # an intro or outro: ten minutes of CD-quality WAV
# podcast:person roles we offer, with their Podcast Taxonomy groups
PERSON_ROLES = {"host": "cast", "narrator": "cast", "editor": "writing"}
TXT_MAX, FUNDING_TEXT_MAX = 4000, 128  # the podcast namespace's limits


@dataclass(frozen=True)
class Funding:
    """A podcast:funding link: where listeners can support the show."""

    url: str
    text: str


@dataclass(frozen=True)
class Person:
    """A podcast:person the show credits."""

    name: str
    role: str = "host"  # a key of PERSON_ROLES
    href: str | None = None  # their page
    img: str | None = None  # their picture

    @property
    def group(self) -> str:
        return PERSON_ROLES[self.role]


@dataclass(frozen=True)
class Podcast:
    """The show, as the feed's channel describes it."""

    title: str = "suaraberita"
    description: str = "Berita berbahasa Indonesia, dibacakan oleh suaraberita."
    author: str = "suaraberita"
    email: str | None = None
    base_url: str = "http://localhost:8000/"
    language: str = "id"
    category: str = "News"
    subcategory: str | None = "Daily News"
    explicit: bool = False
    image: Path | None = None  # a local PNG/JPEG; the package's cover when unset
    link: str | None = None  # the show's website; base_url when unset
    copyright: str | None = None
    type: str = "episodic"
    locked: bool = True  # Podcasting 2.0: other platforms may not import the feed
    txt: tuple[str, ...] = ()  # podcast:txt for Apple's ownership check
    # an analytics service's prefix for enclosure URLs (OP3: https://op3.dev/e/)
    analytics_prefix: str | None = None
    funding: tuple[Funding, ...] = ()
    person: tuple[Person, ...] = ()

    @property
    def feed_url(self) -> str:
        return url_in(self.base_url, "feed.xml")

    def enclosure_url(self, file_name: str) -> str:
        """A file's URL as the feed's enclosures give it: through the analytics prefix,
        which takes the URL without its scheme (OP3's convention).

        >>> Podcast(base_url="https://contoh.id/pod/").enclosure_url("a.mp3")
        'https://contoh.id/pod/a.mp3'
        >>> Podcast(base_url="https://contoh.id/pod/", analytics_prefix="https://op3.dev/e/"
        ...         ).enclosure_url("a.mp3")
        'https://op3.dev/e/contoh.id/pod/a.mp3'
        >>> Podcast(base_url="http://127.0.0.1:8000/", analytics_prefix="https://op3.dev/e/"
        ...         ).enclosure_url("a.mp3")
        'http://127.0.0.1:8000/a.mp3'
        """
        url = url_in(self.base_url, file_name)
        if self.analytics_prefix is None or is_local_host(urlsplit(url).hostname or ""):
            return url  # an analytics service cannot reach a feed for this machine
        return self.analytics_prefix + url.split("://", 1)[1]


@dataclass(frozen=True)
class InputLimits:
    """What `narrate` accepts as an article: the [input] table."""

    max_bytes: int = DEFAULT_MAX_BYTES  # a larger file is refused: not an article


MAX_BYTES_RANGE = (1_000, 100_000_000)


@dataclass(frozen=True)
class NoiseSettings:
    """A newsroom's own noise patterns: the [noise] table. `drop` patterns drop a line
    of a pasted page (before the built-in rules); `keep` patterns protect a line from
    every rule. Python regexes, matched ignoring case."""

    drop: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    podcast: Podcast = field(default_factory=Podcast)
    audio: AudioFormat = field(default_factory=AudioFormat)
    path: Path | None = None  # the file they came from
    input: InputLimits = field(default_factory=InputLimits)
    noise: NoiseSettings = field(default_factory=NoiseSettings)


def is_local_host(host: str) -> bool:
    """Only this machine or its network can reach it: localhost, a loopback, private,
    link-local or unspecified address.

    >>> [is_local_host(h) for h in ("localhost", "127.0.0.1", "::1", "192.168.1.5", "contoh.id")]
    [True, True, True, True, False]
    """
    host = host.strip("[]").rstrip(".").lower()
    if host in ("localhost", "0.0.0.0") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (
        address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified
    )


def url_in(base_url: str, file_name: str) -> str:
    """Absolute URL of a file of the output folder.

    >>> url_in("https://example.org/pod", "a b.mp3")
    'https://example.org/pod/a%20b.mp3'
    """
    return urljoin(base_url.rstrip("/") + "/", quote(file_name))


@cache
def apple_categories() -> dict[str, tuple[str, ...]]:
    text = (files("suaraberita.publish") / "data" / "apple_categories.toml").read_text(
        encoding="utf-8"
    )
    return {name: tuple(subs) for name, subs in tomllib.loads(text).items()}


def find_settings(explicit: Path | None, workdir: Path) -> Settings:
    """Settings from `--config PATH`, else ./suaraberita.toml when present, else defaults."""
    if explicit is not None:
        return load_settings(explicit)
    candidate = workdir / CONFIG_NAME
    # exists, not is_file: a pipe or device of that name is refused, not passed over
    return load_settings(candidate) if candidate.exists() else Settings()


def load_settings(path: Path) -> Settings:
    raw = read_toml(path, "settings file")
    unknown = set(raw) - {"podcast", "audio", "input", "noise"}
    if unknown:
        name = sorted(unknown)[0]
        raise ConfigError(
            f"unknown table {name!r}",
            path=path,
            hint="use [podcast], [audio], [input] and [noise]",
        )
    podcast = _podcast(_table(raw, "podcast", path), path)
    audio = _audio(_table(raw, "audio", path), path)
    limits = _input(_table(raw, "input", path), path)
    noise = _noise(_table(raw, "noise", path), path)
    return Settings(podcast, audio, path, limits, noise)


def _table(raw: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"[{name}] must be a table", path=path)
    return table


_SHOW_LISTS = ("txt", "funding", "person")  # read by their own helpers, not _typed


def _podcast(table: dict[str, Any], path: Path) -> Podcast:
    plain = {key: value for key, value in table.items() if key not in _SHOW_LISTS}
    values = _typed(plain, Podcast, "podcast", path)
    if "txt" in table:
        values["txt"] = _txt(table["txt"], path)
    if "funding" in table:
        values["funding"] = tuple(_funding(t, path) for t in _tables(table, "funding", path))
    if "person" in table:
        values["person"] = tuple(_person(t, path) for t in _tables(table, "person", path))
    if "category" in values and "subcategory" not in values:
        values["subcategory"] = None  # the default "Daily News" belongs to "News" only
    if "image" in values:
        image = Path(values["image"]).expanduser()
        values["image"] = image if image.is_absolute() else path.parent / image
    podcast = Podcast(**values)
    check_url(podcast.base_url, "podcast.base_url", path, base=True)
    if podcast.link:
        check_url(podcast.link, "podcast.link", path)
    if podcast.analytics_prefix is not None:
        prefix = podcast.analytics_prefix
        check_url(prefix, "podcast.analytics_prefix", path, base=True)
        if not prefix.endswith("/"):
            raise ConfigError(
                f"podcast.analytics_prefix {prefix!r} must end in '/'",
                path=path,
                hint="the enclosure's address without https:// is added to it, as in "
                "https://op3.dev/e/",
            )
    categories = apple_categories()
    if podcast.category not in categories:
        raise ConfigError(
            f"podcast.category {podcast.category!r} is not an Apple Podcasts category",
            path=path,
            hint="one of: " + ", ".join(categories),
        )
    if podcast.subcategory and podcast.subcategory not in categories[podcast.category]:
        options = ", ".join(categories[podcast.category]) or "none"
        raise ConfigError(
            f"podcast.subcategory {podcast.subcategory!r} is not under {podcast.category!r}",
            path=path,
            hint=f"subcategories of {podcast.category}: {options}",
        )
    if podcast.type not in EPISODE_TYPES:
        raise ConfigError(f"podcast.type must be one of {EPISODE_TYPES}", path=path)
    if podcast.email is not None and "@" not in podcast.email:
        raise ConfigError(f"podcast.email {podcast.email!r} is not an e-mail address", path=path)
    if podcast.image is not None:
        from suaraberita.audio.cover import load_cover

        load_cover(podcast.image)  # fails early with the image's own problem
    return podcast


def _txt(value: Any, path: Path) -> tuple[str, ...]:
    """One text or a list of them, each a non-empty single line."""
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
        raise ConfigError(
            "podcast.txt must be a text or a list of texts",
            path=path,
            hint='for example: txt = "the code Apple Podcasts Connect gives you"',
        )
    for text in texts:
        if len(text) > TXT_MAX or len(text.splitlines()) > 1 or first_unsafe(text):
            raise ConfigError(
                f"podcast.txt {text[:40]!r} must be one line of at most {TXT_MAX} characters, "
                "without control characters",
                path=path,
            )
    return tuple(texts)


def _tables(table: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    """[podcast.KEY] once, or [[podcast.KEY]] as often as wanted."""
    value = table[key]
    entries = [value] if isinstance(value, dict) else value
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(
            f"podcast.{key} must be a table",
            path=path,
            hint=f"write it as [podcast.{key}] or [[podcast.{key}]] with its keys below",
        )
    return entries


def _required(values: dict[str, Any], kind: type, name: str, path: Path) -> None:
    missing = [f.name for f in fields(kind) if f.default is MISSING and f.name not in values]
    if missing:
        raise ConfigError(f"{name} needs {' and '.join(missing)}", path=path)


def _funding(table: dict[str, Any], path: Path) -> Funding:
    values = _typed(table, Funding, "podcast.funding", path)
    _required(values, Funding, "podcast.funding", path)
    funding = Funding(**values)
    check_url(funding.url, "podcast.funding.url", path)
    if not funding.text.strip() or len(funding.text) > FUNDING_TEXT_MAX:
        raise ConfigError(
            f"podcast.funding.text must be 1 to {FUNDING_TEXT_MAX} characters", path=path
        )
    return funding


def _person(table: dict[str, Any], path: Path) -> Person:
    values = _typed(table, Person, "podcast.person", path)
    _required(values, Person, "podcast.person", path)
    person = Person(**values)
    if not person.name.strip():
        raise ConfigError("podcast.person.name is empty", path=path)
    if person.role not in PERSON_ROLES:
        raise ConfigError(
            f"podcast.person.role {person.role!r} is not one we know",
            path=path,
            hint="one of: " + ", ".join(PERSON_ROLES),
        )
    for key in ("href", "img"):
        url = getattr(person, key)
        if url is not None:
            check_url(url, f"podcast.person.{key}", path)
    return person


def _audio(table: dict[str, Any], path: Path) -> AudioFormat:
    values = _typed(table, AudioFormat, "audio", path)
    for key in ("intro", "outro"):
        if key in values:
            clip = Path(values[key]).expanduser()
            values[key] = clip if clip.is_absolute() else path.parent / clip
            check_regular(values[key], f"audio.{key} clip")  # read when narrating
    audio = AudioFormat(**values)
    if audio.channels not in (1, 2):
        raise ConfigError("audio.channels must be 1 (mono) or 2 (stereo)", path=path)
    if audio.sample_rate not in (22050, 32000, 44100, 48000):
        raise ConfigError("audio.sample_rate must be 22050, 32000, 44100 or 48000", path=path)
    kbps = whole_number(audio.bitrate.removesuffix("k"))
    if kbps is None or not 32 <= kbps <= 320:
        raise ConfigError('audio.bitrate must be like "64k" (32k to 320k)', path=path)
    if not -30 <= audio.loudness <= -10 or not -6 <= audio.true_peak <= 0:
        raise ConfigError(
            "audio.loudness must be -30..-10 LUFS and audio.true_peak -6..0 dBTP", path=path
        )
    return audio


def _input(table: dict[str, Any], path: Path) -> InputLimits:
    limits = InputLimits(**_typed(table, InputLimits, "input", path))
    low, high = MAX_BYTES_RANGE
    if not low <= limits.max_bytes <= high:
        raise ConfigError(
            f"input.max_bytes must be {low:,} to {high:,} bytes, not {limits.max_bytes:,}",
            path=path,
        )
    return limits


def _noise(table: dict[str, Any], path: Path) -> NoiseSettings:
    values: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if key not in ("drop", "keep"):
            raise ConfigError(f"unknown key noise.{key}", path=path, hint="keys: drop, keep")
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(
                f"noise.{key} must be a list of patterns",
                path=path,
                hint="for example: drop = ['^Simak berita kami', '^Iklan$']",
            )
        values[key] = tuple(value)
    noise = NoiseSettings(**values)
    from suaraberita.intake.noise import default_rules

    try:
        default_rules().with_user(noise.drop, noise.keep)  # a bad regex fails here
    except ConfigError as error:
        raise ConfigError(f"[noise]: {error.message}", path=path, hint=error.hint) from None
    return noise


def _typed(table: dict[str, Any], kind: type, name: str, path: Path) -> dict[str, Any]:
    """Check keys and value types against a dataclass's fields."""
    known = {f.name: f for f in fields(kind)}
    hints = get_type_hints(kind)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            hint = f"keys: {', '.join(known)}"
            raise ConfigError(f"unknown key {name}.{key}", path=path, hint=hint)
        expected = _expected_types(hints[key])
        if isinstance(value, bool) != (bool in expected) or not isinstance(value, expected):
            names = "/".join(t.__name__ for t in expected if t is not type(None))
            a = "an" if names.startswith("int") else "a"
            raise ConfigError(
                f"{name}.{key} must be {a} {names}, not {value!r}",
                path=path,
                hint="text goes in double quotes; numbers and true/false without them",
            )
        bad = first_unsafe(value) if isinstance(value, str) else None
        if bad is not None:
            raise ConfigError(
                f"{name}.{key} contains the control character U+{ord(bad):04X}",
                path=path,
                hint="delete it: control and bidi characters would reach the feed and pages",
            )
        values[key] = float(cast(float, value)) if float in expected else value
    return values


def _expected_types(annotation: Any) -> tuple[type, ...]:
    """The TOML value types a field accepts: its own types, a path as text, and an
    integer where a float is wanted (TOML writes -16 for -16.0)."""
    kinds = [arg for arg in get_args(annotation) or (annotation,) if arg is not type(None)]
    kinds = [str if arg is Path else arg for arg in kinds]
    if float in kinds:
        kinds.append(int)
    return tuple(kinds)


def check_url(url: str, key: str, path: Path | None, *, base: bool = False) -> None:
    """An absolute http(s) URL that every client reads alike; a `base` URL, which every
    file's URL is built on, has no query, fragment or credentials either."""
    problem = _url_problem(url, base)
    if problem:
        raise ConfigError(
            f"{key} {url!r} {problem}",
            path=path,
            hint="write it like https://contoh.id/podcast/" if base else None,
        )


def _url_problem(url: str, base: bool) -> str | None:
    if any(c.isspace() or ord(c) in UNSAFE for c in url):
        return "has a space or control character (write a space as %20)"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not 0-65535
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if port == 0:
        return "has port 0, which no client can reach"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL"
    if parts.username is not None or parts.password is not None:
        return "has a user name or password, which every listener would see"
    if base and (parts.query or parts.fragment or url.endswith(("?", "#"))):
        return "has a query or fragment ('?' or '#'), which would break every file's URL"
    return None


STARTER = """\
# suaraberita settings. Every key is optional; remove the '#' to set one.

[podcast]
# title = "Kabar Kota"
# description = "Berita kota kami, dibacakan setiap pagi."
# author = "Redaksi Kabar Kota"
# email = "redaksi@contoh.id"          # shown to Apple as the owner's address
# base_url = "https://contoh.id/podcast/"   # where the output folder is published
# language = "id"
# category = "News"                    # Apple Podcasts category
# subcategory = "Daily News"           # must belong to the category
# explicit = false
# image = "cover.png"                  # square PNG or JPEG, 1400-3000 px
# link = "https://contoh.id/"
# copyright = "© 2026 Kabar Kota"
# type = "episodic"                    # or "serial"
# locked = true                        # ask other platforms not to import the feed
# txt = "kode-dari-apple"              # Apple Podcasts Connect's ownership check (or a list)
# analytics_prefix = "https://op3.dev/e/"   # count downloads: enclosures go through it
#
# [podcast.funding]                    # where listeners can support the show
# url = "https://contoh.id/dukung"
# text = "Dukung Kabar Kota"
#
# [[podcast.person]]                   # people apps credit: one table each
# name = "Rina Sari"
# role = "editor"                      # host, narrator or editor
# href = "https://contoh.id/redaksi/rina-sari"
# img = "https://contoh.id/redaksi/rina-sari.jpg"

[audio]
# channels = 1                         # 1 mono, 2 stereo
# bitrate = "64k"
# sample_rate = 44100
# loudness = -16.0                     # LUFS as podcasts state it; mono files land 3 LU lower
# true_peak = -1.0                     # dBTP
# intro = "jingle.mp3"                 # music before the speech: levelled and faded
# outro = "penutup.mp3"                # and after it

[input]
# max_bytes = 2000000                  # a larger article file is refused (a wrong file)

[noise]
# Your own lines to leave out of pasted pages, and lines never to leave out (Python
# regexes, ignoring case); `suaraberita preview --explain FILE` shows what was dropped.
# drop = ['^Simak juga siaran kami', '^Baca edisi cetak']
# keep = ['^Editor senior']
"""
