"""Voice profiles: built-in lookup, user folders, clear errors naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from suaraberita.errors import ConfigError
from suaraberita.speech.voices import builtin_voice_dir, find_voice, load_voice, voice_dirs


def test_builtin_espeak_voice() -> None:
    voice = find_voice("id-espeak", voice_dirs(Path("/nonexistent")))
    assert voice.engine == "espeak"
    assert voice.language == "id"
    assert voice.pauses.before_section > voice.pauses.between_paragraphs
    assert (builtin_voice_dir() / "id-espeak.toml").is_file()


def test_user_folder_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices/id-espeak.toml").write_text(
        'engine = "espeak"\nlanguage = "id"\nrate = 120\n', encoding="utf-8"
    )
    assert find_voice("id-espeak", voice_dirs(tmp_path)).rate == 120


def test_profile_by_path(tmp_path: Path) -> None:
    path = tmp_path / "lambat.toml"
    path.write_text('engine = "espeak"\nlanguage = "id"\nrate = 100\n', encoding="utf-8")
    voice = find_voice(str(path), voice_dirs(tmp_path))
    assert (voice.name, voice.rate, voice.path) == ("lambat", 100, path)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('engine = "espeak"\nlanguage = "id"\nrate = "cepat"\n', ["rate", "int"]),
        ('engine = "espeak"\nlanguage = "id"\nrate = 9000\n', ["rate", "range"]),
        ('language = "id"\n', ["engine"]),
        ('engine = "espeak"\nlanguage = "id"\nkecepatan = 1\n', ["kecepatan"]),
        ('engine = "espeak"\nlanguage = "id"\n[pauses]\nend = -1\n', ["pauses.end"]),
        ('engine = "espeak"\nlanguage = "id"\n[pauses]\njeda = 1\n', ["pauses.jeda"]),
        ('engine = "espeak"\nlanguage = \n', ["TOML"]),
    ],
)
def test_bad_profile_names_file_and_key(tmp_path: Path, body: str, words: list[str]) -> None:
    path = tmp_path / "rusak.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_voice(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_unknown_engine_is_a_config_error(tmp_path: Path) -> None:
    from suaraberita.speech.engine import create_engine

    path = tmp_path / "aneh.toml"
    path.write_text('engine = "robot"\nlanguage = "id"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="robot"):
        create_engine(load_voice(path))
