"""Audio helpers below both the speech engines and the audio stage: PCM samples, the
bundled ffmpeg, pydub pointed at it, and trimming an utterance's silence."""

from __future__ import annotations

import io
import os
import warnings
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suaraberita.errors import SPACE_ERRNOS, AudioError, NoSpaceError, no_space

SILENCE_DBFS = -50.0  # quieter than this at an utterance's edge counts as silence
EDGE_MARGIN_MS = 15  # keep a sliver so plosives and breaths are not clipped


@dataclass(frozen=True)
class Pcm:
    """Mono signed 16-bit little-endian samples.

    `words`: when the engine knows them (Edge's word boundaries), the start of each word
    of the text it was given (split at whitespace), in seconds from the first sample;
    empty when it does not, and then transcripts time words by their characters.
    """

    data: bytes
    rate: int
    words: tuple[float, ...] = ()

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


def ffmpeg_path() -> str:
    """The ffmpeg binary shipped by imageio-ffmpeg (no system ffmpeg needed)."""
    import imageio_ffmpeg

    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise AudioError(f"no ffmpeg binary: {exc}", hint="reinstall imageio-ffmpeg") from exc


def ffmpeg_hint(binary: str) -> str:
    """What to do when the ffmpeg binary itself fails (names it: it may be a wrong one)."""
    return (
        f"the ffmpeg at {binary} does not work; if IMAGEIO_FFMPEG_EXE names it, fix or "
        "unset that variable, else reinstall imageio-ffmpeg"
    )


def ffmpeg_space_error(log: str, folder: Path | None) -> NoSpaceError | None:
    """ffmpeg's log says a write found no room (it prints the C library's own words)."""
    if folder is None:
        return None
    for code in sorted(SPACE_ERRNOS):
        if os.strerror(code) in log:
            return no_space(folder, code)
    return None


def start_error(binary: str, exc: OSError) -> AudioError:
    reason = exc.strerror or str(exc)
    return AudioError(f"cannot start ffmpeg ({binary}): {reason}", hint=ffmpeg_hint(binary))


def load_pydub() -> Any:
    """Import pydub pointed at our ffmpeg, without its warning about a missing system one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        import pydub
        import pydub.silence
    pydub.AudioSegment.converter = ffmpeg_path()
    return pydub


def trim_silence(pcm: Pcm) -> Pcm:
    """Cut the engine's leading and trailing silence, so our pauses are exact."""
    pydub = load_pydub()
    detect = pydub.silence.detect_leading_silence

    if not pcm.data:
        return pcm
    segment = pydub.AudioSegment(data=pcm.data, sample_width=2, frame_rate=pcm.rate, channels=1)
    lead = detect(segment, silence_threshold=SILENCE_DBFS, chunk_size=5)
    trail = detect(segment.reverse(), silence_threshold=SILENCE_DBFS, chunk_size=5)
    total = len(segment)
    start = max(0, lead - EDGE_MARGIN_MS)
    end = min(total, total - trail + EDGE_MARGIN_MS)
    if end <= start:
        return Pcm(b"", pcm.rate)
    first = int(start * pcm.rate / 1000)
    last = int(end * pcm.rate / 1000)
    return Pcm(pcm.data[first * 2 : last * 2], pcm.rate, shift_words(pcm.words, -first / pcm.rate))


def shift_words(words: tuple[float, ...], seconds: float) -> tuple[float, ...]:
    """Word starts moved by `seconds` (a word in trimmed lead silence starts at 0).

    >>> shift_words((0.5, 1.0), -0.75)
    (0.0, 0.25)
    """
    return tuple(max(0.0, start + seconds) for start in words)


def decode_mp3(data: bytes, ffmpeg: str, rate: int, who: str) -> Pcm:
    """MP3 bytes -> mono 16-bit PCM at `rate`; AudioError naming `who` (the service that
    sent them) if ffmpeg cannot read them."""
    import subprocess

    args = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "mp3", "-i", "pipe:0",
        "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(rate), "pipe:1",
    ]  # fmt: skip
    try:
        proc = subprocess.run(args, input=data, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioError(f"cannot run ffmpeg to decode {who}'s audio: {exc}") from exc
    if proc.returncode != 0 or len(proc.stdout) < 2:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"{who}'s audio does not decode: {message[-1] if message else 'empty'}")
    return Pcm(proc.stdout[: len(proc.stdout) // 2 * 2], rate)
