"""The real espeak-ng engine through ctypes."""

from __future__ import annotations

from pathlib import Path

from suaraberita.speech.engine import create_engine
from suaraberita.speech.voices import find_voice, voice_dirs


def _engine():  # type: ignore[no-untyped-def]
    return create_engine(find_voice("id-espeak", voice_dirs(Path("/nonexistent"))))


def test_speaks_indonesian_as_16_bit_pcm() -> None:
    engine = _engine()
    pcm = engine.synthesize("Selamat pagi, para pendengar.")
    assert pcm.rate == 22050
    assert 0.8 < pcm.seconds < 5
    assert max(abs(int.from_bytes(pcm.data[i : i + 2], "little", signed=True))
               for i in range(0, len(pcm.data), 2)) > 3000  # fmt: skip
    assert engine.version.startswith("espeak-ng 1.")


def test_same_text_same_length_and_longer_text_longer_audio() -> None:
    engine = _engine()
    short = engine.synthesize("Satu kalimat.")
    # espeak-ng carries a little state between calls: lengths agree within a few samples
    assert abs(engine.synthesize("Satu kalimat.").frames - short.frames) < 50
    assert engine.synthesize("Satu kalimat. Dan kalimat kedua yang lebih panjang.").frames > (
        short.frames
    )


def test_indonesian_phonemes() -> None:
    assert "sərˈibu" in _engine().phonemes("seribu")
