"""Join synthesised utterances with pauses and stream them into an MP3 encoder."""

from __future__ import annotations

import contextlib
import errno
import queue
import re
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from suaraberita.errors import AudioError, NoSpaceError, no_space, space_error
from suaraberita.signals import held
from suaraberita.sound import (
    Pcm,
    ffmpeg_hint,
    ffmpeg_path,
    ffmpeg_space_error,
    start_error,
    trim_silence,
)

LIMITER_HEADROOM = 1.5  # dB below the true-peak ceiling: the limiter sees sample peaks only
MAX_GAIN = 30.0  # dB; more would only lift noise
PLAN_SECONDS = 60.0  # the gain is planned from the first minute: a voice's level is steady
TOLERANCE = 0.5  # dB: a gain further than this from what all the speech needs is redone
MONO_OFFSET = 3.0  # LU a mono file reads below its level as podcasts state it (dual mono)
# The limiter took more than TOLERANCE but at most this (LU): make it up with more gain,
# MAKEUP times what was lost (the limiter takes about a third of the extra again). Above
# it the signal is no speech (a swell under a faint tone): more gain would be limited away.
MAKEUP_MAX = 2.0
MAKEUP = 1.5


@dataclass(frozen=True)
class AudioFormat:
    sample_rate: int = 44100
    channels: int = 1  # speech podcasts are fine in mono
    bitrate: str = "64k"
    loudness: float = -16.0  # integrated LUFS target as podcasts state it (for stereo)
    true_peak: float = -1.0  # dBTP ceiling
    intro: Path | None = None  # music or jingle before the speech, levelled and faded
    outro: Path | None = None  # and after it

    @property
    def mono_target(self) -> float:
        """The target on a plain BS.1770 meter: a mono file reads 3 LU below stereo."""
        return self.loudness - MONO_OFFSET if self.channels == 1 else self.loudness


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS on a plain BS.1770 meter
    peak: float  # dBTP
    channels: int = 1

    @property
    def stated(self) -> float:
        """Integrated loudness as podcasts state it (the `loudness` setting): a mono
        file counted as the same sound on two channels, 3 LU above a plain meter.

        >>> Loudness(-19.0, -2.0).stated, Loudness(-16.2, -2.0, channels=2).stated
        (-16.0, -16.2)
        """
        return self.integrated + MONO_OFFSET if self.channels == 1 else self.integrated


@dataclass(frozen=True)
class Span:
    """Where one utterance's speech lies in the episode, in seconds; `words`: where each
    of its spoken words starts, when the engine told (see `Pcm.words`), else empty."""

    start: float
    end: float
    words: tuple[float, ...] = ()


@dataclass(frozen=True)
class Rendered:
    spans: tuple[Span, ...]  # one per utterance, in order
    duration: float  # seconds of audio written
    loudness: Loudness  # of the encoded result


def render(
    takes: Iterable[tuple[Pcm, float]],
    out: Path,
    fmt: AudioFormat = AudioFormat(),
    tempo: float = 1.0,
    ffmpeg: str | None = None,
    on_take: Callable[[], None] | None = None,
) -> Rendered:
    """Encode (speech, pause after) pairs into the MP3 `out`, loudness-normalised.

    `takes` is consumed lazily and spooled to a raw file beside `out` while a second
    ffmpeg measures the loudness of the first minute; one encode then applies tempo, that
    gain and a limiter, and measures both the gained speech and the whole result. Should
    the speech after its first minute sit at another level, so that the gain is off by
    more than TOLERANCE, it is encoded once more with the gain the measure gives; should
    the limiter have taken more than TOLERANCE off peaky speech, once more with a little
    more gain (see MAKEUP). No episode is ever held in memory whole. Every take must have
    the sample rate of the first one.
    """
    binary = ffmpeg or ffmpeg_path()
    try:
        return _render(takes, out, fmt, tempo, binary, on_take)
    except OSError as exc:  # the spool: the first place an episode needs disk space
        full = space_error(exc, out.parent)
        if full is None:
            raise
        raise full from exc


def _render(
    takes: Iterable[tuple[Pcm, float]],
    out: Path,
    fmt: AudioFormat,
    tempo: float,
    binary: str,
    on_take: Callable[[], None] | None,
) -> Rendered:
    spans: list[Span] = []
    frames = 0
    rate: int | None = None
    meter: _Ffmpeg | None = None
    heard_all = True  # did the meter hear every take?
    with tempfile.TemporaryFile(dir=out.parent) as spool:
        try:
            for pcm, pause in takes:
                if rate is None:
                    rate = pcm.rate
                    meter = _Ffmpeg(binary, [*_raw_input(rate), *_measure_args(tempo)], None)
                elif pcm.rate != rate:
                    raise AudioError(f"sample rate changed from {rate} to {pcm.rate} Hz")
                assert meter is not None
                said = trim_silence(pcm)
                silence = round(pause * rate)
                offset = frames / rate
                words = tuple((offset + word) / tempo for word in said.words)
                spans.append(Span(offset / tempo, (frames + said.frames) / rate / tempo, words))
                chunk = said.data + bytes(2 * silence)
                spool.write(chunk)
                if frames < PLAN_SECONDS * rate:
                    meter.feed(chunk)
                else:
                    heard_all = False
                frames += said.frames + silence
                if on_take:
                    on_take()
            if meter is None or rate is None or frames == 0:
                raise AudioError("nothing to encode: the script has no speech")
            intro = _clip(binary, fmt.intro, fmt) if fmt.intro else None
            outro = _clip(binary, fmt.outro, fmt) if fmt.outro else None
            # Speech alone is gained, limited and measured at the engine's rate (fewer
            # samples); joined with music, at the output rate. Resampling comes last.
            work_rate = fmt.sample_rate if intro or outro else rate
            speech = _Segment(
                _raw_input(rate),
                _shape(tempo, work_rate if work_rate != rate else None),
                parse_integrated(meter.finish("measure the loudness")),
                frames / rate / tempo,
            )
            spool.flush()
            encoded = _encode(binary, fmt, [intro, speech, outro], work_rate, spool, out)
            applied = _gain(fmt, speech.measured)
            whole = replace(speech, measured=encoded.speech - applied)  # all of the speech
            if not heard_all and abs(_gain(fmt, whole.measured) - applied) > TOLERANCE:
                speech = whole
                encoded = _encode(binary, fmt, [intro, speech, outro], work_rate, spool, out)
            short = fmt.mono_target - encoded.result.integrated  # what the limiter took
            if TOLERANCE < short <= MAKEUP_MAX:
                # Peaky speech (a neural voice's sharp glottal pulses): the limiter shaved
                # more than the tolerance off it. Speech keeps most of a little more gain,
                # so one more encode lands nearer the target (never past it by as much).
                speech = replace(speech, measured=speech.measured - MAKEUP * short)
                encoded = _encode(binary, fmt, [intro, speech, outro], work_rate, spool, out)
        finally:
            if meter is not None:
                meter.kill()
    shift = intro.seconds if intro else 0.0
    spans = [
        Span(span.start + shift, span.end + shift, tuple(w + shift for w in span.words))
        for span in spans
    ]
    seconds = sum(part.seconds for part in (intro, speech, outro) if part is not None)
    return Rendered(tuple(spans), seconds, encoded.result)


@dataclass(frozen=True)
class _Segment:
    """One input of the final encode: the speech spool or an intro/outro file."""

    input_args: list[str]
    shape: str  # filters that bring it to the rate it is joined at (and its tempo)
    measured: float  # integrated LUFS after `shape`, before any gain
    seconds: float
    fades: bool = False  # music fades in and out; speech is measured after its gain


@dataclass(frozen=True)
class _Encoded:
    result: Loudness  # the whole episode as it goes to the encoder
    speech: float  # integrated LUFS of the gained speech, before the limiter


def _encode(
    binary: str,
    fmt: AudioFormat,
    parts: Sequence[_Segment | None],
    work_rate: int,
    spool: IO[bytes],
    out: Path,
) -> _Encoded:
    """One encode of the spooled speech (and any music) into `out`, with its measures."""
    spool.seek(0)
    segments = [part for part in parts if part is not None]
    encode = [*_encode_args(fmt, segments, work_rate), str(out)]
    log = _Ffmpeg(binary, encode, out.parent, stdin=spool).finish("encode the MP3")
    result = replace(parse_result(log), channels=fmt.channels)
    return _Encoded(result, parse_integrated(log, "ebur128@speech"))


def _raw_input(rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"]


def _clip(binary: str, path: Path, fmt: AudioFormat) -> _Segment:
    """Measure an intro or outro file: its loudness and exact length at the output rate."""
    shape = f"aformat=channel_layouts=mono,aresample={fmt.sample_rate}"
    args = [binary, "-hide_banner", "-nostats", "-loglevel", "info", "-i", str(path),
            "-af", f"{shape},ebur128=framelog=quiet", "-f", "s16le", "-"]  # fmt: skip
    try:
        proc = subprocess.run(args, capture_output=True, check=False)
    except OSError as exc:
        raise start_error(binary, exc) from exc
    log = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0 or not proc.stdout:
        last = log.strip().splitlines()[-1] if log.strip() else "no audio"
        raise AudioError(f"cannot read this intro/outro audio: {last}", path=path)
    seconds = len(proc.stdout) / 2 / fmt.sample_rate
    return _Segment(["-i", str(path)], shape, parse_integrated(log), seconds, fades=True)


def _shape(tempo: float, rate: int | None) -> str:
    """Tempo, and a new rate if the speech is joined with music: applied before the
    gain, so what is measured is what is heard."""
    steps = [f"atempo={tempo:.4f}"] if tempo != 1.0 else []
    steps += [f"aresample={rate}"] if rate else []
    return ",".join(steps) or "anull"


def _measure_args(tempo: float) -> list[str]:
    # At the engine's rate: the gain does not depend on it.
    return ["-af", f"{_shape(tempo, None)},ebur128=framelog=quiet", "-f", "null", "-"]


def _gain(fmt: AudioFormat, measured: float) -> float:
    """dB that bring a segment measured at `measured` LUFS to the target (none for
    silence)."""
    if measured <= -70.0:  # the meter's floor: nothing audible
        return 0.0
    return min(MAX_GAIN, fmt.mono_target - measured)


def _encode_args(fmt: AudioFormat, segments: list[_Segment], work_rate: int) -> list[str]:
    """Each segment gained to the target, faded if it is music, joined and limited (the
    limiter is transparent below the ceiling, and its delay compensated). The result,
    at `work_rate`, is measured on a side branch and resampled for the encoder."""
    inputs: list[str] = []
    chains: list[str] = []
    for index, segment in enumerate(segments):
        inputs += segment.input_args
        gain = _gain(fmt, segment.measured)
        steps = [segment.shape, f"volume={gain:.2f}dB"]
        if segment.fades:
            fade = min(1.5, segment.seconds / 3)
            steps += [f"afade=t=in:d={fade / 3:.3f}",
                      f"afade=t=out:st={segment.seconds - fade:.3f}:d={fade:.3f}"]  # fmt: skip
            chains.append(f"[{index}:a]{','.join(steps)}[s{index}]")
        else:  # the gained speech is measured before the limiter and the music change it
            chains.append(f"[{index}:a]{','.join(steps)},asplit[s{index}][speech]")
            chains.append("[speech]ebur128@speech=framelog=quiet,anullsink")
    joined = "".join(f"[s{i}]" for i in range(len(segments)))
    tail = [f"concat=n={len(segments)}:v=0:a=1"] if len(segments) > 1 else ["anull"]
    if fmt.channels == 2:  # before the limiter: the upmix lowers each channel by 3 dB
        tail.append("aformat=channel_layouts=stereo")
    limit = 10 ** ((fmt.true_peak - LIMITER_HEADROOM) / 20)
    tail.append(f"alimiter=limit={limit:.4f}:attack=2:release=50:level=disabled:latency=1")
    tail.append("asplit[result][measured]")
    graph = ";".join([
        *chains,
        f"{joined}{','.join(tail)}",
        "[measured]ebur128@result=framelog=quiet,anullsink",
        f"[result]aresample={fmt.sample_rate},asplit[out][peak]",
        f"[peak]{_true_peak(fmt.sample_rate, work_rate)}",
    ])  # fmt: skip
    return [*inputs, "-filter_complex", graph, "-map", "[out]",
            "-c:a", "libmp3lame", "-b:a", fmt.bitrate, "-f", "mp3"]  # fmt: skip


def _true_peak(rate: int, work_rate: int) -> str:
    """The peak of the audio the encoder gets, oversampled to at least twice the rate
    it was worked at: for the engines' 22-24 kHz speech the 44.1 kHz audio itself, which
    reads within 0.02 dB of 4x oversampling (and costs a third of ebur128's true-peak
    mode); music joined at 44.1 kHz is oversampled 4x, as BS.1770 does."""
    upsample = f"aresample={4 * rate}:filter_size=16," if rate < 2 * work_rate else ""
    return f"{upsample}astats=measure_overall=Peak_level:measure_perchannel=none,anullsink"


def parse_result(log: str) -> Loudness:
    r"""Integrated loudness (ebur128) and true peak (astats, oversampled) of the result.

    >>> parse_result("[ebur128@result @ 0x1] Summary:\n  I:  -19.1 LUFS\n"
    ...              "[Parsed_astats_6 @ 0x2] Peak level dB: -2.296883\n")
    Loudness(integrated=-19.1, peak=-2.296883, channels=1)
    """
    peak = re.findall(r"Peak level dB:\s+(-?[\d.]+|-inf)", log)
    if not peak:
        raise _no_summary()
    return Loudness(parse_integrated(log, "ebur128@result"), float(peak[-1]))


def _no_summary() -> AudioError:
    return AudioError(
        "ffmpeg printed no loudness summary",
        hint="the ffmpeg in use is not a full ffmpeg build; if IMAGEIO_FFMPEG_EXE is set, "
        "fix or unset it, else reinstall imageio-ffmpeg",
    )


def parse_integrated(log: str, name: str | None = None) -> float:
    r"""Integrated loudness (LUFS) from the summary an ebur128 filter prints; with
    `name`, the one of the instance so named (ffmpeg tags the summary's first line).

    >>> parse_integrated("  I:  -19.1 LUFS\n  Threshold: -29 LUFS\n")
    -19.1
    >>> parse_integrated("[ebur128@a @ 0x1] Summary:\n I: -20.1 LUFS\n"
    ...                  "[ebur128@b @ 0x2] Summary:\n I: -70.0 LUFS\n", "ebur128@b")
    -70.0
    """
    start = log.find(f"[{name} @") if name else 0
    found = re.search(r"^\s*I:\s+(-?[\d.]+|-inf) LUFS", log[max(start, 0) :], re.MULTILINE)
    if start < 0 or found is None:
        raise _no_summary()
    return float(found.group(1))


class _Ffmpeg:
    """One ffmpeg process reading raw PCM from a pipe or a file; its log kept aside.
    `writes`: the folder its output goes to, named when that disk is full."""

    def __init__(
        self, binary: str, args: list[str], writes: Path | None, stdin: IO[bytes] | None = None
    ) -> None:
        self._writes = writes
        self._log = tempfile.TemporaryFile()
        command = [binary, "-hide_banner", "-nostats", "-loglevel", "info", "-y", *args]
        process = None
        try:
            with held():  # a stop waits until ffmpeg is started and known, then ends it too
                process = subprocess.Popen(
                    command,
                    stdin=stdin if stdin is not None else subprocess.PIPE,
                    stdout=subprocess.DEVNULL,
                    stderr=self._log,
                )
        except OSError as exc:
            self._log.close()
            raise start_error(binary, exc) from exc
        except BaseException:
            if process is not None:
                process.kill()
                process.wait()
            self._log.close()
            raise
        self._process = process
        self._binary = binary

        self._queue: queue.Queue[bytes | None] | None = None
        self._writer: threading.Thread | None = None

    def feed(self, data: bytes) -> None:
        """Send PCM to ffmpeg from a thread of its own, so the caller (synthesis) never
        waits for ffmpeg to read; the queue is bounded, so neither side runs away."""
        if self._queue is None:
            self._queue = queue.Queue(maxsize=16)
            self._writer = threading.Thread(target=self._write_all, daemon=True)
            self._writer.start()
        if self._process.poll() is not None:
            raise self._failure("measure the loudness (it stopped early)")
        self._queue.put(data)

    def _write_all(self) -> None:
        assert self._queue is not None  # set up by feed()
        assert self._process.stdin is not None  # opened with stdin=PIPE
        stdin = self._process.stdin
        broken = False
        while (data := self._queue.get()) is not None:
            if broken:
                continue  # ffmpeg died: finish() reports it; keep draining so feed() never blocks
            try:
                stdin.write(data)
            except (BrokenPipeError, ValueError):
                broken = True
        with contextlib.suppress(OSError):
            stdin.close()

    def finish(self, what: str) -> str:
        """Wait for the end; the log on success, an AudioError naming `what` otherwise."""
        if self._writer is not None and self._queue is not None:
            self._queue.put(None)
            self._writer.join()
        elif self._process.stdin is not None:
            self._process.stdin.close()
        try:
            try:
                status = self._process.wait()
            except BaseException:  # stopped (SIGTERM, Ctrl-C) while ffmpeg works: end it too
                self._process.kill()
                self._process.wait()
                raise
            if status != 0:
                raise self._failure(what)
            self._log.seek(0)
            return self._log.read().decode("utf-8", "replace")
        finally:
            self._log.close()

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._writer is not None and self._queue is not None and self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()
        self._log.close()

    def _failure(self, what: str) -> AudioError | NoSpaceError:
        """Why ffmpeg failed: no room for its output, killed by a signal, or the last
        line of its log."""
        self._log.seek(0)
        full = ffmpeg_space_error(self._log.read().decode("utf-8", "replace"), self._writes)
        code = self._process.returncode
        if code == -signal.SIGXFSZ and self._writes is not None:  # a file size limit
            full = no_space(self._writes, errno.EFBIG)
        if full is not None:
            return full
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            reason = f"it was killed ({name})"
        else:
            reason = self._tail()
            if reason == "no message":
                reason = f"exit status {code}, no message"
        return AudioError(f"ffmpeg failed to {what}: {reason}", hint=ffmpeg_hint(self._binary))

    def _tail(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "no message"
