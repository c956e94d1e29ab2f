"""Speech engines behind one small protocol and a registry of factories."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from suaraberita.errors import ConfigError
from suaraberita.sound import Pcm

if TYPE_CHECKING:
    from suaraberita.cache import Cache
    from suaraberita.speech.voices import Voice


@dataclass(frozen=True)
class EngineOptions:
    """What an engine gets besides its voice profile; the CLI computes it from the
    environment, so no engine reads the environment itself."""

    cache: Cache | None = None  # where synthesised audio is kept between runs
    gtts_url: str | None = None  # replaces https://translate.google.<tld> (mirrors, tests)
    edge_url: str | None = None  # replaces wss://speech.platform.bing.com (mirrors, tests)
    on_notice: Callable[[str], None] | None = None  # told of trouble that may yet pass


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
    from suaraberita.speech.espeak import EspeakEngine

    return EspeakEngine(voice, cache=options.cache)


def _gtts(voice: Voice, options: EngineOptions) -> Engine:
    from suaraberita.speech.google import GoogleEngine

    return GoogleEngine(
        voice, cache=options.cache, base_url=options.gtts_url, on_notice=options.on_notice
    )


def _piper(voice: Voice, options: EngineOptions) -> Engine:
    from suaraberita.speech.piper import PiperEngine

    return PiperEngine(voice, cache=options.cache)


def _edge(voice: Voice, options: EngineOptions) -> Engine:
    from suaraberita.speech.edge import EdgeEngine

    return EdgeEngine(
        voice, cache=options.cache, base_url=options.edge_url, on_notice=options.on_notice
    )


ENGINES: dict[str, EngineFactory] = {
    "espeak": _espeak,
    "gtts": _gtts,
    "edge": _edge,
    "piper": _piper,
}
ONLINE = frozenset({"gtts", "edge"})  # engines that need a service: checked by use


def check_voice(voice: Voice) -> None:
    """Fail now, before any output, when a profile's engine cannot take it (an offline
    voice whose language espeak-ng does not have, a Piper model that is not installed or
    does not load); an online voice is checked by use. A Piper model loaded here is kept
    for the narration."""
    if voice.engine not in ONLINE:
        create_engine(voice)


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
