"""Speech engines behind one small protocol and a registry of factories."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from suaraberita.errors import ConfigError

if TYPE_CHECKING:
    from suaraberita.voices import Voice


@dataclass(frozen=True)
class Pcm:
    """Mono signed 16-bit little-endian samples."""

    data: bytes
    rate: int

    @property
    def frames(self) -> int:
        return len(self.data) // 2

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


class Engine(Protocol):
    """Turns one normalised utterance into PCM."""

    name: str

    @property
    def version(self) -> str:
        """Identifies the engine build, so cached audio is redone when it changes."""
        ...

    def synthesize(self, text: str) -> Pcm: ...


EngineFactory = Callable[["Voice"], Engine]


def _espeak(voice: Voice) -> Engine:
    from suaraberita.engines.espeak import EspeakEngine

    return EspeakEngine(voice)


ENGINES: dict[str, EngineFactory] = {"espeak": _espeak}


def create_engine(voice: Voice) -> Engine:
    """Build the engine a voice profile names."""
    try:
        factory = ENGINES[voice.engine]
    except KeyError:
        known = ", ".join(sorted(ENGINES))
        raise ConfigError(
            f"unknown engine {voice.engine!r} in voice {voice.name!r}",
            path=voice.path,
            hint=f"engine must be one of: {known}",
        ) from None
    return factory(voice)
