"""Random input for everything that reads what a user wrote: it is accepted, or refused
with our own error (a SuaraberitaError naming the file), never anything else.

tests/test_article.py, tests/test_normalize.py and tests/test_chunking.py already fuzz
parse_article with fragments, decode_article_bytes with bytes, normalize with news-like
tokens and random text, and split_text with word lists. This file adds what they do not
reach: whole documents (front matter of every YAML shape, headings, numbers, unicode and
control characters) taken all the way to the spoken pieces sent to an engine; lexicons
with any keys; split_text on any unicode at any limit; voice profiles, settings files and
lexicon files of random content; and Google's answers. Example counts stay modest: the
file runs in a few seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from suaraberita.errors import ConfigError, InputError, SuaraberitaError
from suaraberita.intake.article import Article, parse_article
from suaraberita.pipeline import make_script
from suaraberita.retry import retry_after as _retry_after
from suaraberita.settings import load_settings
from suaraberita.speech.google import decode_response
from suaraberita.speech.voices import find_voice, load_voice, voice_dirs
from suaraberita.text.chunking import GOOGLE_LIMIT, split_text
from suaraberita.text.normalize import load_lexicon, normalize

T = TypeVar("T")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VOICE = find_voice("id-espeak", voice_dirs(Path("/nonexistent")))

# --- what articles are made of ---------------------------------------------------------

# Characters that break naive line and word handling: C0/C1 controls, Unicode line and
# paragraph separators, odd spaces, zero-width and bidi marks, the private-use plane that
# normalize uses for its own sentinels, combining marks, emoji, right-to-left letters.
ODD = st.sampled_from(
    [
        "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1c", "\x1e", "\x7f", "\x85", "\u2028",
        "\u2029", "\u00a0", "\u2009", "\u3000", "\u200b", "\u200d", "\ufeff", "\u00ad",
        "\u202e", "\u2066", "\U000f0000", "\U000f0001", "\U000ffffd", "\u0301", "e\u0301",
        "😀", "👍🏽", "عربى", "日本語", "ℌ", "Ⅻ", "①", "٣", "߀", "\t", "\r", "\r\n",
    ]
)  # fmt: skip
WORD = st.one_of(
    st.sampled_from(
        [
            "Jakarta", "warga", "Rp1,3", "triliun", "(13/2)", "pukul", "10.30", "WIB",
            "ke-3", "II", "DPR", "dll.", "2020-2021", "1990-an", "50%", "3,14", "km",
            "US$5", "Baca", "Juga:", "Foto:", "(Dok.", "A)", "http://a.b/c", "a@b.id",
            "“kutip”", "—", "–", "...", "…", "*tebal*", "_miring_", "`kode`", "[tautan](x)",
            "![foto](a.png)", "<b>", "&amp;", "\\", "|", "#", "1.", "12.", "999.", "0.",
        ]
    ),
    st.text(min_size=1, max_size=10),
    st.from_regex(r"[0-9]{1,25}([.,][0-9]{1,4}){0,3}", fullmatch=True),
    ODD,
)  # fmt: skip
SENTENCE = st.lists(WORD, min_size=1, max_size=14).map(" ".join).map(lambda text: text + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=4).map(" ".join)
HEADING = st.builds(
    lambda hashes, number, words: f"{hashes}{number}{words}",
    st.sampled_from(["", "# ", "## ", "### ", "###### ", "####### ", "#"]),
    st.sampled_from(["", "1. ", "2. ", "10. ", "0. ", "1234. ", "3) "]),
    st.lists(WORD, min_size=0, max_size=6).map(" ".join),
)
BLOCK = st.one_of(PARAGRAPH, HEADING, WORD, st.just(""), st.just("---"), st.just("> kutipan"))
NEWLINE = st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n\n\n", "\u2028"])

# YAML values as written in front matter: scalars of every type, impossible dates and
# times, quotes, anchors and aliases, explicit tags, nesting.
YAML_VALUE = st.one_of(
    st.sampled_from(
        [
            "", "~", "null", "true", "no", "42", "-0", "0x1F", "1e400", ".nan", "3.5",
            "2024-02-13", "2024-02-30", "2024-13-01", "0000-01-01", "2024-02-13 09:30:00",
            "2024-02-13T09:30:00+07:00", "2001-12-14t21:59:43.10-25:00", "13 Februari 2024",
            "kemarin", "'kutip", '"kutip', "'a: b'", "a: b", "[a, b]", "[a, 1]", "[[[[a]]]]",
            "{a: 1}", "{a: [b]}", "- a", "&x [*x]", "*tidak", "!!timestamp kemarin",
            "!!int abc", "!!float x", "!!binary zz", "!!binary aGFsbw==", "!!set {a}",
            "!!python/object:os.system x", "|\n  baris\n  dua", ">-\n  lipat", "[" * 200,
            "\t", "\"\\ud800\"", "'\U0001f600'", "https://contoh.id/a?b=1#c",
        ]
    ),
    st.text(max_size=12),
)  # fmt: skip
YAML_KEY = st.sampled_from(
    ["title", "subtitle", "author", "date", "url", "image", "id", "tags", "layout", "? a", "-"]
)
FRONT_MATTER = st.lists(
    st.builds(lambda key, value: f"{key}: {value}", YAML_KEY, YAML_VALUE), max_size=8
).map(lambda lines: "---\n" + "\n".join(lines) + "\n---\n")


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A Markdown or pasted-text article, more or less well formed."""
    front = draw(st.one_of(st.just(""), FRONT_MATTER, st.just("---\n"), st.just("\ufeff---\n")))
    blocks = draw(st.lists(BLOCK, max_size=12))
    text = front
    for block in blocks:
        text += block + draw(NEWLINE)
    return text


def _or_error(call: Callable[[], T]) -> T | SuaraberitaError:
    """What `call` returns, or the SuaraberitaError it raises (anything else escapes)."""
    try:
        return call()
    except SuaraberitaError as error:
        return error


def _parse(text: str) -> Article | InputError:
    article = _or_error(lambda: parse_article(text, source="berita.md"))
    if isinstance(article, SuaraberitaError):
        assert isinstance(article, InputError), article
        assert article.path == "berita.md"
        assert str(article).startswith("berita.md: ")
    return article


@FAST
@given(documents())
@example("---\ntitle: Judul\ndate: 2024-02-30\n---\nIsi.\n")
@example("---\ntitle: Judul\ntags: [a, {b: 2001-12-14t21:59:43.10-25:00}]\n---\nIsi.\n")
@example("---\ntitle: Judul\nx: !!timestamp kemarin\n---\nIsi.\n")
@example("---\ntitle: Judul\nx: " + "[" * 1000 + "\n---\nIsi.\n")
@example("---\ntitle: &a [*a]\n---\nIsi.\n")
def test_any_document_parses_or_is_refused_with_an_input_error(text: str) -> None:
    article = _parse(text)
    if isinstance(article, Article):
        assert article.title.strip()
        assert article.intro or any(section.paragraphs for section in article.sections)


def test_impossible_front_matter_dates_name_their_line() -> None:
    """PyYAML raises ValueError (not a YAMLError) for 2024-02-30: still our error, with
    the line of the file."""
    with pytest.raises(InputError, match=r"cannot be read on line 4: day is out of range"):
        parse_article("---\ntitle: Judul\nauthor: A\ndate: 2024-02-30\n---\nIsi.\n", "a.md")
    with pytest.raises(InputError, match="nested too deeply"):
        parse_article("---\ntitle: Judul\nx: " + "[" * 1000 + "\n---\nIsi.\n", "a.md")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.dictionaries(st.text(max_size=6), st.text(max_size=12), max_size=4))
@example("Judul\n\nRp1,3 triliun pada Sabtu (13/2) pukul 10.30 WIB.\n", {"x": "1 2 3"})
def test_any_document_becomes_pieces_an_engine_can_take(text: str, lexicon: dict[str, str]) -> None:
    """Parse, normalise, script and cut: every spoken piece fits one Google request and,
    outside what the user's lexicon says verbatim, holds no digit."""
    article = _parse(text)
    if isinstance(article, InputError):
        return
    script = make_script(article, VOICE, lexicon)
    assert script.parts
    for utterance in script.utterances:
        for piece in split_text(utterance.spoken, GOOGLE_LIMIT):
            assert 0 < len(piece) <= GOOGLE_LIMIT
        if not any(any(c.isdigit() for c in spoken) for spoken in lexicon.values()):
            assert not re.search(r"[0-9]", utterance.spoken), utterance.spoken


# --- normalize ---------------------------------------------------------------------------

REGEXY = st.text(alphabet="\\^$.|?*+()[]{}-ab1 ", min_size=1, max_size=6)


@FAST
@given(
    st.lists(st.one_of(WORD, REGEXY), max_size=12).map(" ".join),
    st.dictionaries(st.one_of(REGEXY, WORD, st.text(max_size=5)), st.text(max_size=10)),
)
def test_normalize_takes_any_lexicon(text: str, lexicon: dict[str, str]) -> None:
    """Lexicon keys are matched literally (regex characters, empty keys, odd unicode)."""
    spoken = normalize(text, lexicon, strict=True)
    assert isinstance(spoken, str)


@FAST
@given(st.lists(st.one_of(ODD, WORD), max_size=20).map("".join))
@example("\U000f0000 12 \U000f0001")
@example("1\u2028" * 50)
def test_normalize_controls_and_private_use_characters(text: str) -> None:
    """Characters of normalize's own sentinel plane and controls neither crash it nor
    leave digits behind; a second pass changes nothing."""
    once = normalize(text, strict=True)
    assert not re.search(r"[0-9]", once), once
    assert normalize(once, strict=True) == once


# --- chunking ----------------------------------------------------------------------------


@FAST
@given(
    st.lists(st.one_of(st.text(max_size=30), ODD, WORD), max_size=25).map("".join),
    st.integers(min_value=1, max_value=120),
)
@example("a" * 1000, 1)
@example("\u2028\u2029\x1c\x1d\x1e\x1f\x85", 3)
def test_split_text_takes_any_unicode_at_any_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(0 < len(piece) <= limit for piece in pieces)
    assert all(piece == piece.strip() for piece in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


def test_split_text_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_text("a", 0)


# --- files a user writes: voice profiles, settings, lexicons ------------------------------

TOML_VALUE = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: repr(f).lower()),
    st.sampled_from(["true", "false", "[]", "[1, 2]", '["a", 1]', "{}", "{ a = 1 }"]),
    st.sampled_from(
        ['""', '"\\u0000"', '"/dev/null"', '"."', '"../x.tsv"', '"cover.png"', '"64k"']
    ),
    st.text(max_size=10).map(lambda s: json.dumps(s, ensure_ascii=False)),
)
VOICE_KEYS = st.sampled_from(
    [
        "name", "description", "engine", "language", "rate", "pitch", "tempo", "fallback",
        "lexicon", "warna", "pauses.end", "pauses.after_title", "pauses.jeda", "gtts.tld",
        "gtts.slow", "gtts.concurrency", "gtts.timeout", "gtts.retries", "gtts.backoff",
        "gtts.requests_per_second", "gtts.piece_gap", "gtts.retry_budget", "gtts.x",
        "pauses", "gtts",
    ]
)  # fmt: skip
SETTINGS_KEYS = st.sampled_from(
    [
        "podcast.title", "podcast.base_url", "podcast.category", "podcast.subcategory",
        "podcast.email", "podcast.image", "podcast.explicit", "podcast.type", "podcast.link",
        "podcast.locked", "podcast.x", "audio.channels", "audio.bitrate", "audio.sample_rate",
        "audio.loudness", "audio.true_peak", "audio.intro", "audio.outro", "audio.x",
        "input.max_bytes", "input.x", "podcast", "audio", "input", "lain.x",
    ]
)  # fmt: skip


def _toml(keys: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A TOML document of dotted keys: often valid TOML, rarely a valid file."""
    return st.lists(
        st.builds(lambda key, value: f"{key} = {value}", keys, TOML_VALUE), max_size=8
    ).map("\n".join)


BASE_VOICE = 'engine = "espeak"\nlanguage = "id"\n'


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FAST
@given(st.sampled_from(["", BASE_VOICE]), _toml(VOICE_KEYS))
@example(BASE_VOICE, 'lexicon = "\\u0000"')
@example(BASE_VOICE, "rate = nan")
@example(BASE_VOICE, 'lexicon = "."')
def test_any_voice_profile_loads_or_is_a_config_error(folder: Path, base: str, body: str) -> None:
    path = folder / "suara.toml"
    path.write_text(base + body + "\n", encoding="utf-8")
    voice = _or_error(lambda: load_voice(path))
    if isinstance(voice, SuaraberitaError):
        assert isinstance(voice, ConfigError)
        assert voice.path == path
    else:
        assert voice.engine
        assert voice.language


@FAST
@given(_toml(SETTINGS_KEYS))
@example('podcast.image = "\\u0000"')
@example('audio.intro = "."')
@example("input.max_bytes = 1e400")
def test_any_settings_file_loads_or_is_a_config_error(folder: Path, body: str) -> None:
    path = folder / "suaraberita.toml"
    path.write_text(body + "\n", encoding="utf-8")
    loaded = _or_error(lambda: load_settings(path))
    if isinstance(loaded, SuaraberitaError):
        assert isinstance(loaded, ConfigError)
        assert loaded.path is not None
    else:
        assert loaded.path == path


@FAST
@given(st.binary(max_size=80) | st.text(max_size=40).map(str.encode))
@example(b"a\tb\na\tc\n")
@example(b"\xff\xfe")
def test_any_lexicon_file_loads_or_is_a_config_error(folder: Path, data: bytes) -> None:
    path = folder / "lexicon.tsv"
    path.write_bytes(data)
    words = _or_error(lambda: load_lexicon(path))
    if isinstance(words, SuaraberitaError):
        assert isinstance(words, ConfigError)
        assert words.path == path
    else:
        assert all(key.strip() and spoken.strip() for key, spoken in words.items())


# --- what Google answers -------------------------------------------------------------------


@FAST
@given(
    st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda junk: ')]}\'\n\n[["wrb.fr","jQ1olc","[\\"' + junk + '\\"]",null]]',
            st.text(max_size=40),
        ),
    )
)
def test_any_answer_body_is_audio_or_a_value_error(body: str) -> None:
    """The engine retries a ValueError as a malformed answer; nothing else may escape."""
    try:
        audio = decode_response(body)
    except ValueError:
        return
    assert audio


@FAST
@given(st.one_of(st.none(), st.text(max_size=40), st.integers(0, 10**30).map(str)))
@example("Wed, 21 Oct 2015 07:28:00 GMT")
@example("Mon, 99 Foo 99999 99:99:99 GMT")
@example("²")
def test_any_retry_after_header_is_seconds_or_none(value: str | None) -> None:
    seconds = _retry_after(value)
    assert seconds is None or seconds >= 0
