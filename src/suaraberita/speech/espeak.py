"""espeak-ng through ctypes on the library and data that espeakng-loader ships."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from suaraberita.cache import cache_key
from suaraberita.errors import EngineError
from suaraberita.sound import Pcm

if TYPE_CHECKING:
    from suaraberita.cache import Cache
    from suaraberita.speech.voices import Voice

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
_EE_OK = 0

_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

# libespeak-ng keeps global state and is not thread-safe: one library, one lock.
_lock = threading.Lock()


class _Library:
    """The loaded library, initialised once per process."""

    def __init__(self) -> None:
        import espeakng_loader

        try:
            self.lib = ctypes.CDLL(str(espeakng_loader.get_library_path()))
        except OSError as exc:
            raise EngineError(
                f"cannot load libespeak-ng: {exc}",
                hint="reinstall the espeakng-loader package",
            ) from exc
        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int,
        ]  # fmt: skip
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p

        data_path = str(espeakng_loader.get_data_path()).encode()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, 0)
        if rate <= 0:
            raise EngineError(
                "espeak-ng failed to initialise",
                hint=f"its data folder {data_path.decode()} is missing or damaged",
            )
        self.sample_rate = rate
        self.version = (lib.espeak_Info(None) or b"unknown").decode()
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # keep a reference: C holds the pointer
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = go on synthesising

    def configure(self, voice_name: str, rate: int, pitch: int) -> None:
        if self.lib.espeak_SetVoiceByName(voice_name.encode()) != _EE_OK:
            raise EngineError(f"espeak-ng has no voice {voice_name!r}")
        self.lib.espeak_SetParameter(_RATE, rate, 0)
        self.lib.espeak_SetParameter(_PITCH, pitch, 0)

    def synth(self, text: str) -> bytes:
        self._chunks = []
        data = text.encode("utf-8") + b"\0"
        lib = self.lib
        status = lib.espeak_Synth(data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
        if status != _EE_OK:
            raise EngineError(f"espeak-ng could not speak {text[:60]!r} (status {status})")
        self.lib.espeak_Synchronize()
        return b"".join(self._chunks)

    def phonemes(self, text: str) -> str:
        buf = ctypes.create_string_buffer(text.encode("utf-8"))
        ptr = ctypes.c_void_p(ctypes.addressof(buf))
        out: list[str] = []
        while ptr.value:
            chunk = self.lib.espeak_TextToPhonemes(ctypes.byref(ptr), _CHARS_UTF8, 0x02)
            if chunk:
                out.append(chunk.decode("utf-8", "replace"))
        return " ".join(out)


_library: _Library | None = None


def _get_library() -> _Library:
    global _library
    if _library is None:
        _library = _Library()
    return _library


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
