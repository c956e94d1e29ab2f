"""Voice profiles: TOML files naming an engine and how it should speak."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from suaraberita.errors import ConfigError
from suaraberita.files import read_toml
from suaraberita.speech.models import is_model_name
from suaraberita.text.pauses import Pauses


@dataclass(frozen=True)
class GttsSettings:
    """How the Google voice (engine "gtts") is asked: the [gtts] table of a profile."""

    tld: str = "com"  # https://translate.google.<tld>: the accent and the host
    slow: bool = False
    concurrency: int = 4  # requests in flight at once
    requests_per_second: float = 25.0  # at most this many requests start per second
    timeout: float = 10.0  # seconds per request
    retries: int = 5  # further attempts for one piece after a 429, 5xx, timeout or reset
    retry_budget: int = 50  # further attempts for the whole episode
    backoff: float = 0.25  # seconds before the first retry, doubled for each next one
    piece_gap: float = 0.07  # silence between the pieces of one utterance (~0.1 s in all)


@dataclass(frozen=True)
class PiperSettings:
    """Which Piper model speaks and how (engine "piper"): the [piper] table of a profile.

    `rate` and `pitch` are espeak-ng's words; a Piper profile refuses them (they would
    change nothing): its speed is `length_scale` (or `tempo`, as for every voice) and its
    pitch is the model's own."""

    model: str = ""  # a model name (installed by `voices install`), or the .onnx path given
    model_path: Path | None = None  # that .onnx, resolved beside the profile; None for a name
    speaker: int | None = None  # for a model with several speakers; None: its default
    length_scale: float | None = None  # > 1 speaks slower; None: the model's own
    noise_scale: float | None = None  # variation of the voice; None: the model's own
    noise_w_scale: float | None = None  # variation of the phoneme lengths; None: the model's


@dataclass(frozen=True)
class EdgeSettings:
    """How Microsoft Edge's neural voices (engine "edge") are asked: the [edge] table."""

    voice: str = "id-ID-GadisNeural"  # the service's voice name
    rate: str = "+0%"  # speaking rate, as Edge takes it: "-10%", "+5%"
    pitch: str = "+0Hz"  # pitch shift, as Edge takes it: "-2Hz", "+0Hz"
    concurrency: int = 6  # requests (WebSocket connections) in flight at once
    timeout: float = 20.0  # seconds for one whole request, audio and word boundaries
    retries: int = 4  # further attempts for one piece after a 5xx, timeout or drop
    retry_budget: int = 40  # further attempts for the whole episode
    backoff: float = 0.5  # seconds before the first retry, doubled for each next one
    piece_gap: float = 0.07  # silence between the pieces of one very long sentence


@dataclass(frozen=True)
class Voice:
    name: str
    engine: str
    language: str
    rate: int = 160
    pitch: int = 50
    tempo: float = 1.0  # pitch-preserving speed factor applied to the finished audio
    description: str = ""
    pauses: Pauses = Pauses()  # noqa: RUF009 (frozen, so one shared default is safe)
    path: Path | None = None  # the profile it was loaded from
    fallback: str = ""  # voice to narrate with when this one's service cannot be reached
    lexicon: Path | None = None  # TSV of word -> spoken form, read before the built-in rules
    gtts: GttsSettings = GttsSettings()
    piper: PiperSettings = PiperSettings()
    edge: EdgeSettings = EdgeSettings()


DEFAULT_VOICE = "id-google"  # falls back to id-espeak when Google cannot be reached
_LIMITS: dict[str, tuple[type, float, float]] = {
    "rate": (int, 80, 450),
    "pitch": (int, 0, 100),
    "tempo": (float, 0.5, 2.0),
}


def builtin_voice_dir() -> Path:
    """Profiles shipped in the wheel, or the repository's voices/ in a source checkout."""
    package = Path(str(files("suaraberita")))
    packaged = package / "voices"
    if packaged.is_dir():
        return packaged
    return package.resolve().parents[1] / "voices"  # src/suaraberita -> the repository


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
    return _voice_from_table(read_toml(path, "voice profile"), path)


def _voice_from_table(raw: dict[str, Any], path: Path) -> Voice:
    known = {"name", "description", "engine", "language", "pauses", "fallback", "gtts", "lexicon"}
    known |= set(_LIMITS) | {"piper", "edge"}
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
    values["gtts"] = _gtts(raw.get("gtts", {}), path)
    if engine == "piper":
        values["piper"] = _piper(raw, path)
    elif "piper" in raw:
        raise ConfigError(
            f'a [piper] table in a profile whose engine is "{engine}"',
            path=path,
            hint='[piper] names the model of engine = "piper"; remove it or change the engine',
        )
    values["edge"] = _edge(raw.get("edge", {}), path)
    if "fallback" in raw:
        values["fallback"] = _get(raw, "fallback", str, path)
    if "lexicon" in raw:
        lexicon = path.parent / _get(raw, "lexicon", str, path)
        if not lexicon.exists():  # a pipe or device is refused when it is read
            raise ConfigError(f"lexicon file {lexicon} not found", path=path)
        values["lexicon"] = lexicon
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


_GTTS_LIMITS: dict[str, tuple[Any, float, float]] = {
    "concurrency": (int, 1, 16),
    "requests_per_second": (int | float, 0.1, 100),
    "timeout": (int | float, 0.1, 120),
    "retries": (int, 0, 20),
    "retry_budget": (int, 0, 10000),
    "backoff": (int | float, 0, 30),
    "piece_gap": (int | float, 0, 2),
}


def _gtts(table: Any, path: Path) -> GttsSettings:
    if not isinstance(table, dict):
        raise ConfigError("[gtts] must be a table", path=path)
    fields = GttsSettings.__dataclass_fields__
    values: dict[str, Any] = {}
    for key in table:
        if key not in fields:
            raise ConfigError(f"unknown key gtts.{key}", path=path, hint=f"keys: {list(fields)}")
        if key == "tld":
            tld = _get(table, key, str, path)
            if not re.fullmatch(r"[a-z]{2,3}(\.[a-z]{2,3})?", tld):
                raise ConfigError(f"gtts.tld = {tld!r} is not a Google domain ending", path=path)
            values[key] = tld
        elif key == "slow":
            if not isinstance(table[key], bool):
                raise ConfigError("gtts.slow must be true or false", path=path)
            values[key] = table[key]
        else:
            values[key] = _bounded(table, key, _GTTS_LIMITS, "gtts", path)
    return GttsSettings(**values)


_PIPER_LIMITS: dict[str, tuple[Any, float, float]] = {
    "speaker": (int, 0, 9999),
    "length_scale": (int | float, 0.25, 4.0),
    "noise_scale": (int | float, 0.0, 2.0),
    "noise_w_scale": (int | float, 0.0, 2.0),
}
# Keys of the top level that mean nothing to Piper, and what to write instead.
_NOT_FOR_PIPER = {
    "rate": "Piper's speed is [piper] length_scale (1.25 is slower, 0.8 faster), or tempo",
    "pitch": "a Piper voice keeps its model's pitch; choose another model or speaker",
    "fallback": "Piper runs offline, so there is nothing to fall back from: a model that "
    "is missing is an error to fix (suaraberita voices install NAME), not to hide",
}


def _piper(raw: dict[str, Any], path: Path) -> PiperSettings:
    for key, instead in _NOT_FOR_PIPER.items():
        if key in raw:
            raise ConfigError(
                f'{key} is not a setting of engine = "piper"', path=path, hint=instead
            )
    table = raw.get("piper")
    if not isinstance(table, dict):
        raise ConfigError(
            "[piper] must be a table" if table is not None else "missing table [piper]",
            path=path,
            hint='name the model: [piper] model = "id_ID-news_tts-medium" (or a path to an .onnx)',
        )
    fields = PiperSettings.__dataclass_fields__
    values: dict[str, Any] = {}
    for key in table:
        if key not in fields or key == "model_path":
            keys = [name for name in fields if name != "model_path"]
            raise ConfigError(f"unknown key piper.{key}", path=path, hint=f"keys: {keys}")
        if key == "model":
            continue
        values[key] = _bounded(table, key, _PIPER_LIMITS, "piper", path)
    if "model" not in table:
        raise ConfigError(
            "missing key piper.model",
            path=path,
            hint='name the model: model = "id_ID-news_tts-medium" (or a path to an .onnx)',
        )
    model = _get(table, "model", str, path).strip()
    if model.endswith(".onnx") or "/" in model or "\\" in model:
        values["model_path"] = Path(os.path.abspath(path.parent / model))
    elif not is_model_name(model):
        raise ConfigError(
            f"piper.model = {model!r} is neither a model name nor a path to an .onnx file",
            path=path,
            hint='write a name like "id_ID-news_tts-medium", or a path ending in .onnx',
        )
    return PiperSettings(model=model, **values)


_EDGE_LIMITS: dict[str, tuple[Any, float, float]] = {
    "concurrency": (int, 1, 16),
    "timeout": (int | float, 0.1, 300),
    "retries": (int, 0, 20),
    "retry_budget": (int, 0, 10000),
    "backoff": (int | float, 0, 30),
    "piece_gap": (int | float, 0, 2),
}
# What the service takes (edge-tts checks the same shapes before it sends anything)
_EDGE_TEXT = {
    "voice": (r"[a-z]{2,3}-[A-Z]{2,3}-[A-Za-z]+Neural", 'a neural voice like "id-ID-GadisNeural"'),
    "rate": (r"[+-]\d{1,3}%", 'a change like "+0%" or "-10%"'),
    "pitch": (r"[+-]\d{1,3}Hz", 'a change like "+0Hz" or "-5Hz"'),
}


def _edge(table: Any, path: Path) -> EdgeSettings:
    if not isinstance(table, dict):
        raise ConfigError("[edge] must be a table", path=path)
    fields = EdgeSettings.__dataclass_fields__
    values: dict[str, Any] = {}
    for key in table:
        if key not in fields:
            raise ConfigError(f"unknown key edge.{key}", path=path, hint=f"keys: {list(fields)}")
        if key in _EDGE_TEXT:
            pattern, shape = _EDGE_TEXT[key]
            text = _get(table, key, str, path)
            if not re.fullmatch(pattern, text):
                raise ConfigError(f"edge.{key} = {text!r} is not {shape}", path=path)
            values[key] = text
        else:
            values[key] = _bounded(table, key, _EDGE_LIMITS, "edge", path)
    return EdgeSettings(**values)


def _bounded(
    table: dict[str, Any],
    key: str,
    limits: dict[str, tuple[Any, float, float]],
    name: str,
    path: Path,
) -> int | float:
    """A number of an engine's table ([name]) within its `limits`: (kind, low, high)."""
    kind, low, high = limits[key]
    value = _get(table, key, kind, path)
    if not low <= value <= high:
        raise ConfigError(f"{name}.{key} = {value} is out of range {low}..{high}", path=path)
    return value if kind is int else float(value)


def _get(raw: dict[str, Any], key: str, kind: Any, path: Path) -> Any:
    if key not in raw:
        raise ConfigError(
            f"missing key {key!r}",
            path=path,
            hint='a profile needs at least engine = "espeak" (or "gtts", "edge", "piper") and '
            'language = "id"',
        )
    value = raw[key]
    if isinstance(value, str) and "\x00" in value:  # C would read only what is before it
        raise ConfigError(f"{key} contains a NUL character", path=path)
    if isinstance(value, bool) or not isinstance(value, kind):
        name = "number" if kind == int | float else kind.__name__
        hints = {"str": "text goes in double quotes", "int": "write a whole number, no quotes"}
        raise ConfigError(
            f"{key} must be {'an' if name == 'int' else 'a'} {name}, not {value!r}",
            path=path,
            hint=hints.get(name, "write a number, no quotes"),
        )
    return value
