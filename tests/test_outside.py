"""Numbers and structures from outside, read strictly at every place that reads them:
settings, HTTP headers, file names, state files and pages. Each odd value is a clear
error or a clean "no", never a crash (exit 1) or a silent misreading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from suaraberita.errors import ConfigError

ODD_NUMBERS = ["²", "١٢٣", "9" * 5000, "1_000", "+5", "-5", "nan", "1e3"]
DEEP = 100_000  # levels of nesting: far beyond Python's recursion limit


@pytest.mark.parametrize("kbps", ODD_NUMBERS)
def test_settings_bitrate_is_read_strictly(tmp_path: Path, kbps: str) -> None:
    from suaraberita.settings import load_settings

    path = tmp_path / "suaraberita.toml"
    path.write_text(f'[audio]\nbitrate = "{kbps}k"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"audio\.bitrate must be like"):
        load_settings(path)


@pytest.mark.parametrize("declared", ["²", "9" * 5000, "١٢٣٤٥٦٧٨٩"])
def test_content_length_is_read_strictly(declared: str) -> None:
    """An odd Content-Length is ignored (the body is still counted as it comes)."""
    from suaraberita.intake.fetch import _read

    class Response:
        def __init__(self) -> None:
            self.headers = {"Content-Length": declared}

        def iter_content(self, chunk_size: int) -> list[bytes]:
            return [b"<html>", b"</html>"]

    assert _read(Response(), "https://contoh.id/", 100) == b"<html></html>"  # type: ignore[arg-type]


@pytest.mark.parametrize("owner", ["²", "9" * 200, "١٢٣"])  # 200 digits: os.kill overflows
def test_leftovers_with_odd_names_are_cleaned(tmp_path: Path, owner: str) -> None:
    from suaraberita.files import TEMP_PREFIX, clean_leftovers

    odd = tmp_path / f"{TEMP_PREFIX}{owner}-abc.mp3"
    odd.write_bytes(b"x")
    mine = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-abc.mp3"
    mine.write_bytes(b"x")
    assert clean_leftovers(tmp_path) == [odd]
    assert mine.exists()


@pytest.mark.parametrize("header", ["bytes=١٠٠-", "bytes=-٥", "bytes=²-", "bytes=1-²"])
def test_range_header_is_read_strictly(header: str) -> None:
    """A Range the server cannot read is ignored: the whole file is served (one of
    thousands of digits is read: tests/test_server.py)."""
    from suaraberita.publish.server import byte_range

    assert byte_range(header, 1000) is None


@pytest.mark.parametrize("value", ["9" * 5000, "١٢٠"])
def test_retry_after_is_read_strictly(value: str) -> None:
    from suaraberita.retry import retry_after

    assert retry_after(value) is None


def _deep_toml() -> str:
    return "x = " + "[" * DEEP + "]" * DEEP + "\n"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(_deep_toml(), "nested too deeply", id="nested"),
        pytest.param("[podcast]\ntitle = " + "9" * 5000 + "\n", "too long", id="5000 digits"),
    ],
)
def test_unreadable_toml_is_a_config_error(tmp_path: Path, text: str, words: str) -> None:
    """Both were an unexpected error (RecursionError; int()'s digit limit), exit 1."""
    from suaraberita.settings import load_settings
    from suaraberita.speech.voices import load_voice

    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    for load in (load_settings, load_voice):
        with pytest.raises(ConfigError, match=words) as caught:
            load(path)
        assert caught.value.path == path


def test_deep_noise_rules_are_a_config_error(tmp_path: Path) -> None:
    from suaraberita.intake.noise import load_rules

    path = tmp_path / "aturan.toml"
    path.write_text(_deep_toml(), encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_rules(path)


def test_deep_follow_state_starts_afresh(tmp_path: Path) -> None:
    """A damaged state file starts the feed afresh, as its docstring says."""
    from suaraberita.follow import STATE_NAME, FollowState

    (tmp_path / STATE_NAME).write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    assert FollowState.load(tmp_path).feeds == {}


def test_deep_json_ld_is_ignored() -> None:
    import lxml.html

    from suaraberita.intake.webpage import _json_ld

    for depth in (DEEP, 990):  # too deep to parse; parsed but too deep to walk
        script = "[" * depth + '{"@type": "NewsArticle"}' + "]" * depth
        html = f'<html><head><script type="application/ld+json">{script}</script></head></html>'
        assert _json_ld(lxml.html.fromstring(html)) in ({}, {"@type": "NewsArticle"})


def test_deep_cache_head_is_fetched_anew() -> None:
    from suaraberita.intake.fetch import _from_cache

    assert _from_cache(b"[" * DEEP + b"]" * DEEP + b"\n<html></html>") is None
