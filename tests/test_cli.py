"""The command line as a user meets it: help, version, errors without tracebacks."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click
import pytest

from suaraberita import __version__
from suaraberita.cli import cli
from suaraberita.errors import ExitStatus
from tests.conftest import MARKDOWN_ARTICLE


def _commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command, subcommands of groups included, as its words on the command line."""
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


def test_subcommands_are_walked() -> None:
    assert ("feed", "check") in _commands()
    assert ("cache", "clear") in _commands()


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(run_cli, words: tuple[str, ...]) -> None:
    result = run_cli(*words, "--help")
    assert result.code == 0
    assert "Example: suaraberita" in result.stdout


def test_top_level_help_and_version(run_cli) -> None:
    assert "Example: suaraberita narrate" in run_cli("--help").stdout
    version = run_cli("--version")
    assert version.code == 0
    assert __version__ in version.stdout


def test_missing_file_is_a_short_error_naming_it(run_cli) -> None:
    result = run_cli("narrate", "tidak-ada.md")
    assert result.code == ExitStatus.INPUT
    assert "tidak-ada.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3


def test_debug_shows_the_traceback(run_cli) -> None:
    result = run_cli("--debug", "narrate", "tidak-ada.md")
    assert result.code == ExitStatus.INPUT
    assert "Traceback" in result.stderr


def test_unknown_voice(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Judul\n\nIsi berita.\n", encoding="utf-8")
    result = run_cli("narrate", "a.txt", "--voice", "tidak-ada")
    assert result.code == ExitStatus.CONFIG
    assert "tidak-ada" in result.stderr
    assert "id-espeak" in result.stderr  # says what exists
    assert not (tmp_path / "output" / "feed.xml").exists()


def test_batch_goes_on_after_a_failure(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Judul Satu\n\nIsi berita pertama.\n", encoding="utf-8")
    result = run_cli("narrate", "hilang.txt", "a.txt")
    assert result.code == ExitStatus.PARTIAL
    assert "hilang.txt" in result.stderr
    assert (tmp_path / "output/judul-satu.mp3").exists()


def test_narrate_counts_in_english_and_states_loudness_as_podcasts_do(
    run_cli, tmp_path: Path
) -> None:
    """One chapter or four; the loudness as podcasts state it (-16 LUFS), with the mono
    file's plain meter reading (3 LU lower) beside it, so no one takes it for too quiet."""
    (tmp_path / "satu.txt").write_text("Judul Satu\n\nIsi berita pertama.\n", encoding="utf-8")
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    result = run_cli("narrate", "--jobs", "1", "satu.txt", "kereta.md", "hilang.txt")
    assert result.code == ExitStatus.PARTIAL
    assert result.stderr.endswith("1 of 3 articles failed.\n")
    said = dict(line.split(": ", 1) for line in result.stdout.splitlines())
    assert said.keys() == {"satu.txt", "kereta.md"}
    chapters = {"satu.txt": "1 chapter", "kereta.md": "4 chapters"}
    for source, line in said.items():
        found = re.fullmatch(
            r"output/(.+)\.mp3, \d:\d\d, (\d chapters?), (-[\d.]+) LUFS "
            r"\(mono meter: (-[\d.]+) LUFS\), true peak -[\d.]+ dBTP; feed output/feed.xml",
            line,
        )
        assert found, line
        assert found[2] == chapters[source]
        assert float(found[3]) == pytest.approx(-16.0, abs=1.0)
        assert float(found[3]) - float(found[4]) == pytest.approx(3.0, abs=0.11)


def test_voices_lists_the_builtin_voice(run_cli) -> None:
    result = run_cli("voices")
    assert result.code == 0
    listing, _, advice = result.stdout.partition("\n\n")  # voices, then how to install the rest
    names = [line.split()[0] for line in listing.splitlines() if not line[:1].isspace()]
    assert "id-espeak" in names  # (sorted by name: id-edge comes first)
    assert names == sorted(names)
    assert "voices install" in advice  # id-piper's model is not installed here


def test_normalize_reads_lines_from_stdin(run_cli) -> None:
    result = run_cli("normalize", "-", stdin=b"satu\n\n3 km\n")
    assert result.code == 0
    assert len(result.stdout.splitlines()) == 3


@pytest.mark.parametrize(
    "args",
    [
        ("narrate", "a.md", "--jobs", "٢"),  # click's IntRange read Arabic-Indic digits
        ("narrate", "a.md", "--jobs", "1_0"),
        ("follow", "https://contoh.id/rss", "--limit", "²"),
        ("serve", "--port", "8_000", "--output", "/nonexistent"),  # else it serves
        ("serve", "--port", "9" * 5000, "--output", "/nonexistent"),
    ],
    ids=["arabic-indic", "underscore", "superscript", "port-underscore", "5000-digits"],
)
def test_number_options_are_read_strictly(args: tuple[str, ...]) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == ExitStatus.USAGE, result.output
    assert "is not a whole number" in result.output


def test_normalize_refuses_standard_input_that_is_not_utf8(run_cli) -> None:
    """As narrate does with an article (exit 3, the byte and its line), not a traceback
    of UnicodeDecodeError (exit 1); the lines before it were already printed."""
    result = run_cli("normalize", "-", stdin=b"satu\n3 km\nHarga \x96 naik\n")  # Windows-1252
    assert result.code == ExitStatus.INPUT, result.stderr
    assert result.stdout.splitlines() == ["satu", "tiga kilometer"]
    assert result.stderr.splitlines()[0] == (
        "Error: <stdin>: the text is not valid UTF-8 (byte 0x96 at offset 16, line 3)"
    )
    assert "Traceback" not in result.stderr


def test_normalize_refuses_an_argument_that_is_not_utf8(run_cli) -> None:
    """The same for text given as an argument (was printed with '�' in its place)."""
    result = run_cli("normalize", os.fsdecode(b"Harga \x96 naik"))
    assert result.code == ExitStatus.INPUT, result.stderr
    assert result.stderr.splitlines()[0] == (
        "Error: <argument>: the text is not valid UTF-8 (byte 0x96 at offset 6, line 1)"
    )
