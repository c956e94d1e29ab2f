"""The real espeak-ng engine through ctypes."""

from __future__ import annotations

from pathlib import Path

import pytest

from suaraberita.sound import Pcm
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


def test_online_pieces_are_requested_ahead_within_the_window_and_cancelled_on_close() -> None:
    from concurrent.futures import Future

    from suaraberita.speech.online import in_order

    asked: list[str] = []
    made: list[Future[Pcm]] = []

    def submit(piece: str) -> Future[Pcm]:
        asked.append(piece)
        future: Future[Pcm] = Future()
        made.append(future)
        return future

    plans = [("a1", "a2", "a3"), ("b1",), ("c1", "c2"), ("d1",), ("e1",)]
    batches = in_order(plans, submit, window=2)
    first = next(batches)
    assert len(first) == 3  # an utterance's own pieces always, even past the window
    assert asked == ["a1", "a2", "a3"]
    second = next(batches)
    assert asked == ["a1", "a2", "a3", "b1", "c1"]  # two beyond the one consumed
    assert len(second) == 1
    batches.close()
    assert [f.cancelled() for f in made] == [False, False, False, False, True]


def test_online_join_keeps_word_times_only_when_every_word_has_one() -> None:
    from suaraberita.speech.online import join

    rate = 1000
    loud = b"\x00\x40" * 500  # 0.5 s of a loud constant: nothing to trim
    one = Pcm(loud, rate, (0.0, 0.25))
    two = Pcm(loud, rate, (0.0,))
    joined = join("satu dua tiga", [one, two], 0.1, rate)
    assert joined.seconds == pytest.approx(1.1)
    assert joined.words == pytest.approx((0.0, 0.25, 0.6))
    assert join("satu dua tiga empat", [one, two], 0.1, rate).words == ()
    assert join("satu dua tiga", [Pcm(b"", rate), one, two], 0.1, rate).seconds == pytest.approx(
        1.1
    )
