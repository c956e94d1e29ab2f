"""Join synthesised utterances with pauses and stream them into an MP3 encoder."""

from __future__ import annotations

import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from suaraberita.engines import Pcm
from suaraberita.errors import AudioError

SILENCE_DBFS = -50.0  # quieter than this at an utterance's edge counts as silence
EDGE_MARGIN_MS = 15  # keep a sliver so plosives and breaths are not clipped


@dataclass(frozen=True)
class AudioFormat:
    sample_rate: int = 44100
    channels: int = 1
    bitrate: str = "64k"


@dataclass(frozen=True)
class Span:
    """Where one utterance's speech lies in the episode, in seconds."""

    start: float
    end: float


@dataclass(frozen=True)
class Rendered:
    spans: tuple[Span, ...]  # one per utterance, in order
    duration: float  # seconds of audio written


def ffmpeg_path() -> str:
    """The ffmpeg binary shipped by imageio-ffmpeg (no system ffmpeg needed)."""
    import imageio_ffmpeg

    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:
        raise AudioError(f"no ffmpeg binary: {exc}", hint="reinstall imageio-ffmpeg") from exc


def _pydub() -> Any:
    """Import pydub pointed at our ffmpeg, without its warning about a missing system one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        import pydub
        import pydub.silence
    pydub.AudioSegment.converter = ffmpeg_path()
    return pydub


def trim_silence(pcm: Pcm) -> Pcm:
    """Cut the engine's leading and trailing silence, so our pauses are exact."""
    pydub = _pydub()
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
    return Pcm(pcm.data[first * 2 : last * 2], pcm.rate)


def render(
    takes: Iterable[tuple[Pcm, float]],
    out: Path,
    fmt: AudioFormat = AudioFormat(),
    ffmpeg: str | None = None,
    on_take: Callable[[], None] | None = None,
) -> Rendered:
    """Encode (speech, pause after) pairs into `out`, streaming PCM to ffmpeg.

    `takes` is consumed lazily, so an episode's PCM is never held in memory whole.
    Every take must have the sample rate of the first one.
    """
    spans: list[Span] = []
    frames = 0
    rate: int | None = None
    encoder: subprocess.Popen[bytes] | None = None
    with tempfile.TemporaryFile() as log:
        try:
            for pcm, pause in takes:
                if rate is None:
                    rate = pcm.rate
                    encoder = _start_encoder(rate, out, fmt, ffmpeg or ffmpeg_path(), log)
                elif pcm.rate != rate:
                    raise AudioError(f"sample rate changed from {rate} to {pcm.rate} Hz")
                assert encoder is not None
                speech = trim_silence(pcm)
                silence = round(pause * rate)
                spans.append(Span(frames / rate, (frames + speech.frames) / rate))
                _write(encoder, speech.data + bytes(2 * silence), log)
                frames += speech.frames + silence
                if on_take:
                    on_take()
            if encoder is None or rate is None:
                raise AudioError("nothing to encode: the script has no speech")
            assert encoder.stdin is not None
            encoder.stdin.close()
            if encoder.wait() != 0:
                raise AudioError(f"ffmpeg failed to encode {out.name}: {_tail(log)}")
        finally:
            if encoder is not None and encoder.poll() is None:
                encoder.kill()
                encoder.wait()
    return Rendered(tuple(spans), frames / rate)


def _start_encoder(
    rate: int, out: Path, fmt: AudioFormat, ffmpeg: str, log: IO[bytes]
) -> subprocess.Popen[bytes]:
    args = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
        "-ar", str(fmt.sample_rate), "-ac", str(fmt.channels),
        "-c:a", "libmp3lame", "-b:a", fmt.bitrate, "-f", "mp3", str(out),
    ]  # fmt: skip
    try:
        return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
    except OSError as exc:
        raise AudioError(f"cannot start ffmpeg ({ffmpeg}): {exc}") from exc


def _write(encoder: subprocess.Popen[bytes], data: bytes, log: IO[bytes]) -> None:
    assert encoder.stdin is not None  # opened with stdin=PIPE
    try:
        encoder.stdin.write(data)
    except BrokenPipeError:
        encoder.wait()
        raise AudioError(f"ffmpeg stopped while encoding: {_tail(log)}") from None


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    lines = log.read().decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no message"
