"""Where downloaded voice models live: one folder per model in the user data folder
(`~/.local/share/suaraberita/voices/<model>/`, or under `$XDG_DATA_HOME`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from suaraberita.errors import ConfigError

_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def models_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("suaraberita", appauthor=False)) / "voices"


@dataclass(frozen=True)
class ModelFiles:
    """A Piper model's files: the network, its config (found beside it by Piper) and the
    model card that carries its licence line."""

    onnx: Path
    config: Path
    card: Path

    @property
    def installed(self) -> bool:
        return self.onnx.is_file() and self.config.is_file()


def is_model_name(name: str) -> bool:
    """Whether `name` can name a model folder (no path, nothing that leaves the folder).

    >>> is_model_name("id_ID-news_tts-medium"), is_model_name("../x"), is_model_name("a/b")
    (True, False, False)
    """
    return bool(_MODEL_NAME.fullmatch(name)) and ".." not in name


def model_files(name: str, root: Path | None = None) -> ModelFiles:
    """The files of an installed model named like `id_ID-news_tts-medium`."""
    if not is_model_name(name):
        raise ConfigError(
            f"{name!r} is not a model name",
            hint="a model is named like id_ID-news_tts-medium, or given as a path to an .onnx",
        )
    folder = (root or models_dir()) / name
    return files_beside(folder / f"{name}.onnx")


def files_beside(onnx: Path) -> ModelFiles:
    """The files of a model given by the path of its .onnx."""
    return ModelFiles(onnx, onnx.with_name(onnx.name + ".json"), onnx.with_name("MODEL_CARD"))


def licence_line(card: Path) -> str | None:
    """The licence a model card states (`* License: CC0`), or None."""
    try:
        text = card.read_text(encoding="utf-8", errors="replace")[:100_000]
    except OSError:
        return None
    for line in text.splitlines():
        label, sep, value = line.strip().lstrip("*-").strip().partition(":")
        if sep and label.strip().lower() in ("license", "licence") and value.strip():
            return value.strip()
    return None
