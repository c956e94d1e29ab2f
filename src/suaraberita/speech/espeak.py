"""espeak-ng through ctypes on the library and data that espeakng-loader ships."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from suaraberita.cache import cache_key
from suaraberita.errors import ConfigError
from suaraberita.espeak_lib import get_library as _get_library
from suaraberita.espeak_lib import lock as _lock
from suaraberita.sound import Pcm

if TYPE_CHECKING:
    from suaraberita.cache import Cache
    from suaraberita.speech.voices import Voice


class EspeakEngine:
    """The offline voice: fast, always available, reads only spelled-out words well."""

    name = "espeak"

    def __init__(self, voice: Voice, cache: Cache | None = None) -> None:
        self._cache = cache
        self._voice_name = voice.language
        self._rate = voice.rate
        self._pitch = voice.pitch
        with _lock:
            lib = _get_library()
            if not lib.has_voice(self._voice_name):  # the profile's fault, not the article's
                raise ConfigError(
                    f"language {self._voice_name!r}: espeak-ng has no such voice",
                    path=voice.path or voice.name,
                    hint='use an espeak-ng voice name such as "id", "ms" or "en-us"',
                )
            lib.configure(self._voice_name, self._rate, self._pitch)
        self._version = f"espeak-ng {lib.version}"

    @property
    def version(self) -> str:
        return self._version

    def synthesize(self, text: str) -> Pcm:
        with _lock:
            lib = _get_library()
            # Set the voice every call: another engine object may have changed it.
            lib.configure(self._voice_name, self._rate, self._pitch)
            return Pcm(lib.synth(text), lib.sample_rate)

    def synthesize_all(self, texts: Sequence[str]) -> Iterator[Pcm]:
        """One utterance after the other (espeak is fast), each looked up in the cache first."""
        cache = self._cache
        settings = {"voice": self._voice_name, "rate": self._rate, "pitch": self._pitch}
        for text in texts:
            if cache is None:
                yield self.synthesize(text)
                continue
            key = cache_key(self.name, self._version, settings, text, "wav")
            data = cache.get(key)
            if data is not None:
                try:
                    yield Pcm.from_wav(data)
                    continue
                except ValueError:
                    cache.discard(key)  # damaged: make it again
            pcm = self.synthesize(text)
            cache.put(key, pcm.to_wav())
            yield pcm

    def phonemes(self, text: str) -> str:
        """espeak's own phoneme reading of `text` (for tests of what it will say)."""
        with _lock:
            lib = _get_library()
            lib.configure(self._voice_name, self._rate, self._pitch)
            return lib.phonemes(text)
