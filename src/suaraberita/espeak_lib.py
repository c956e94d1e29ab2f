"""libespeak-ng through ctypes, on the library and data espeakng-loader ships.

Below both the speech stage (the offline voice) and the text stage (the English
phonemes of a foreign word, for its Indonesian respelling), so neither imports the other.
The library keeps global state and is not thread-safe: one library, one lock.
"""

from __future__ import annotations

import ctypes
import threading
from functools import lru_cache

from suaraberita.errors import EngineError
from suaraberita.signals import held

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
_EE_OK = 0

_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

lock = threading.Lock()


class Library:
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

    def has_voice(self, voice_name: str) -> bool:
        """Whether espeak-ng knows the voice (it is then the current one)."""
        name = voice_name.encode()
        return b"\0" not in name and self.lib.espeak_SetVoiceByName(name) == _EE_OK

    def configure(self, voice_name: str, rate: int, pitch: int) -> None:
        if not self.has_voice(voice_name):
            raise EngineError(f"espeak-ng has no voice {voice_name!r}")
        self.lib.espeak_SetParameter(_RATE, rate, 0)
        self.lib.espeak_SetParameter(_PITCH, pitch, 0)

    def synth(self, text: str) -> bytes:
        self._chunks = []
        data = text.encode("utf-8") + b"\0"
        lib = self.lib
        # a SIGTERM or Ctrl-C raised in the callback would be lost (ctypes only prints
        # it): it waits until espeak-ng returns
        with held():
            status = lib.espeak_Synth(
                data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            if status == _EE_OK:
                self.lib.espeak_Synchronize()
        if status != _EE_OK:
            raise EngineError(f"espeak-ng could not speak {text[:60]!r} (status {status})")
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


_library: Library | None = None


def get_library() -> Library:
    global _library
    if _library is None:
        _library = Library()
    return _library


@lru_cache(maxsize=4096)
def english_phonemes(word: str) -> str:
    """How espeak-ng's American English voice says `word`, in its IPA."""
    with lock:
        library = get_library()
        library.configure("en-us", 175, 50)
        return library.phonemes(word)
