"""Speech engines behind one small protocol and a registry of factories."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from suaraberita.errors import ConfigError

if TYPE_CHECKING:
    from suaraberita.cache import Cache
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

    def to_wav(self) -> bytes:
        """A mono 16-bit WAV file of these samples (how the cache stores PCM)."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.rate)
            out.writeframes(self.data)
        return buffer.getvalue()

    @classmethod
    def from_wav(cls, data: bytes) -> Pcm:
        """Read what `to_wav` wrote; ValueError if it is not mono 16-bit WAV."""
        try:
            with wave.open(io.BytesIO(data), "rb") as wav:
                if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
                    raise ValueError("not mono 16-bit audio")
                return cls(wav.readframes(wav.getnframes()), wav.getframerate())
        except (wave.Error, EOFError) as exc:
            raise ValueError(f"not a WAV file: {exc}") from exc


@dataclass(frozen=True)
class EngineOptions:
    """What an engine gets besides its voice profile; the CLI computes it from the
    environment, so no engine reads the environment itself."""

    cache: Cache | None = None  # where synthesised audio is kept between runs
    gtts_url: str | None = None  # replaces https://translate.google.<tld> (mirrors, tests)


class Engine(Protocol):
    """Turns normalised utterances into PCM.

    All the PCM one engine returns has one sample rate.
    """

    name: str

    @property
    def version(self) -> str:
        """Identifies the engine build, so cached audio is redone when it changes."""
        ...

    def synthesize(self, text: str) -> Pcm: ...

    def synthesize_all(self, texts: Sequence[str]) -> Iterator[Pcm]:
        """One Pcm per text, in order. An engine may work ahead (fetch later texts while
        earlier ones are consumed), but only a bounded window ahead, so an hour-long
        episode is never held in memory. Closing the iterator stops the work ahead."""
        ...


EngineFactory = Callable[["Voice", EngineOptions], Engine]


def _espeak(voice: Voice, options: EngineOptions) -> Engine:
    from suaraberita.engines.espeak import EspeakEngine

    return EspeakEngine(voice, cache=options.cache)


def _gtts(voice: Voice, options: EngineOptions) -> Engine:
    from suaraberita.engines.google import GoogleEngine

    return GoogleEngine(voice, cache=options.cache, base_url=options.gtts_url)


ENGINES: dict[str, EngineFactory] = {"espeak": _espeak, "gtts": _gtts}


def create_engine(voice: Voice, options: EngineOptions | None = None) -> Engine:
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
    return factory(voice, options or EngineOptions())
