"""Voice profiles: TOML files naming an engine and how it should speak."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from suaraberita.errors import ConfigError


@dataclass(frozen=True)
class Pauses:
    """Silence (seconds) placed after each kind of utterance."""

    after_title: float = 1.0
    between_sentences: float = 0.3
    between_paragraphs: float = 0.6
    after_heading: float = 0.5
    before_section: float = 1.2
    end: float = 1.5


@dataclass(frozen=True)
class Voice:
    name: str
    engine: str
    language: str
    rate: int = 160
    pitch: int = 50
    tempo: float = 1.0  # pitch-preserving speed factor applied to the finished audio
    description: str = ""
    pauses: Pauses = Pauses()
    path: Path | None = None  # the profile it was loaded from


DEFAULT_VOICE = "id-espeak"
_LIMITS: dict[str, tuple[type, float, float]] = {
    "rate": (int, 80, 450),
    "pitch": (int, 0, 100),
    "tempo": (float, 0.5, 2.0),
}


def builtin_voice_dir() -> Path:
    """Profiles shipped in the wheel, or the repository's voices/ in a source checkout."""
    packaged = Path(str(files("suaraberita"))) / "voices"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "voices"


def voice_dirs(workdir: Path) -> tuple[Path, ...]:
    """Where named voices are looked up: the user's ./voices first, then the built-in ones."""
    return (workdir / "voices", builtin_voice_dir())


def available_voices(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """Voice name -> profile path; an earlier folder wins."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs):
        if folder.is_dir():
            found.update({p.stem: p for p in sorted(folder.glob("*.toml"))})
    return dict(sorted(found.items()))


def find_voice(name_or_path: str, dirs: tuple[Path, ...]) -> Voice:
    """Load a voice by name (looked up in `dirs`) or by the path of a profile."""
    if name_or_path.endswith(".toml") or "/" in name_or_path:
        return load_voice(Path(name_or_path))
    voices = available_voices(dirs)
    if name_or_path not in voices:
        known = ", ".join(voices) or "none"
        raise ConfigError(
            f"unknown voice {name_or_path!r}",
            hint=f"use one of: {known} (see 'suaraberita voices'), or a path to a .toml profile",
        )
    return load_voice(voices[name_or_path])


def load_voice(path: Path) -> Voice:
    """Read and validate one profile; errors name the file and the key."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("voice profile not found", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read voice profile: {exc}", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"voice profile is not valid TOML: {exc}", path=path) from None
    return _voice_from_table(raw, path)


def _voice_from_table(raw: dict[str, Any], path: Path) -> Voice:
    known = {"name", "description", "engine", "language", "pauses", *_LIMITS}
    for key in raw:
        if key not in known:
            raise ConfigError(f"unknown key {key!r}", path=path, hint=f"keys: {sorted(known)}")
    engine = _get(raw, "engine", str, path)
    language = _get(raw, "language", str, path)
    values: dict[str, Any] = {}
    for key, (kind, low, high) in _LIMITS.items():
        if key in raw:
            value = _get(raw, key, int | float if kind is float else kind, path)
            if not low <= value <= high:
                raise ConfigError(f"{key} = {value} is out of range {low}..{high}", path=path)
            values[key] = value
    pauses = _pauses(raw.get("pauses", {}), path)
    return Voice(
        name=str(raw.get("name", path.stem)),
        engine=engine,
        language=language,
        description=str(raw.get("description", "")),
        pauses=pauses,
        path=path,
        **values,
    )


def _pauses(table: Any, path: Path) -> Pauses:
    if not isinstance(table, dict):
        raise ConfigError("[pauses] must be a table", path=path)
    fields = Pauses.__dataclass_fields__
    values: dict[str, float] = {}
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"unknown key pauses.{key}", path=path, hint=f"keys: {list(fields)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 10:
            raise ConfigError(f"pauses.{key} must be seconds between 0 and 10", path=path)
        values[key] = float(value)
    return Pauses(**values)


def _get(raw: dict[str, Any], key: str, kind: Any, path: Path) -> Any:
    if key not in raw:
        raise ConfigError(f"missing key {key!r}", path=path)
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        name = "number" if kind == int | float else kind.__name__
        raise ConfigError(f"{key} must be a {name}, not {value!r}", path=path)
    return value
