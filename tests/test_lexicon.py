"""User lexicons: per voice profile and per project (./lexicon.tsv), before built-in rules."""

from __future__ import annotations

from pathlib import Path

from suaraberita.errors import ExitStatus


def _voice_with_lexicon(folder: Path) -> None:
    (folder / "voices").mkdir()
    (folder / "voices/redaksi.toml").write_text(
        'engine = "espeak"\nlanguage = "id"\nlexicon = "redaksi.tsv"\n', encoding="utf-8"
    )
    (folder / "voices/redaksi.tsv").write_text(
        "# nama yang sering salah\nTirtasari\tTirta sari\nBBM\tbahan bakar minyak\n",
        encoding="utf-8",
    )


def test_voice_lexicon_applies_before_the_rules(run_cli, tmp_path: Path) -> None:
    _voice_with_lexicon(tmp_path)
    (tmp_path / "a.txt").write_text("Harga BBM di Tirtasari\n\nHarga BBM naik 5%.\n")
    result = run_cli("preview", "a.txt", "--voice", "redaksi")
    assert result.code == 0, result.stderr
    assert "Harga bahan bakar minyak di Tirta sari" in result.stdout
    assert "Harga bahan bakar minyak naik lima persen." in result.stdout


def test_project_lexicon_wins_over_the_voice(run_cli, tmp_path: Path) -> None:
    _voice_with_lexicon(tmp_path)
    (tmp_path / "lexicon.tsv").write_text("BBM\tbe be em\n", encoding="utf-8")
    result = run_cli("normalize", "--voice", "redaksi", "BBM di Tirtasari")
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == "be be em di Tirta sari"


def test_broken_lexicon_names_file_and_line(run_cli, tmp_path: Path) -> None:
    (tmp_path / "lexicon.tsv").write_text("Baik\tbaik\nrusak tanpa tab\n", encoding="utf-8")
    result = run_cli("normalize", "--voice", "id-espeak", "kata")
    assert result.code == ExitStatus.CONFIG
    assert "lexicon.tsv" in result.stderr
    assert "line 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_voice_lexicon_is_a_config_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices/x.toml").write_text(
        'engine = "espeak"\nlanguage = "id"\nlexicon = "tidak-ada.tsv"\n', encoding="utf-8"
    )
    result = run_cli("normalize", "--voice", "x", "kata")
    assert result.code == ExitStatus.CONFIG
    assert "tidak-ada.tsv" in result.stderr
