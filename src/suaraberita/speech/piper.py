"""Piper: the offline neural voice (piper-tts on onnxruntime).

A Piper voice is a model: an .onnx network with its .onnx.json config beside it, named
in the profile's [piper] table (installed by `suaraberita voices install`, or given as
a path). Piper phonemises with its own espeak-ng, so our normalised text suits it as it
suits the espeak voice.

The model is checked when the engine is made, before any output: missing files, a
damaged network, a config that does not parse or does not fit the network, and one short
test sentence, each a ConfigError naming the file and what to do. A loaded model is kept
for the process, so `check_voice` and the narration load it once.

Synthesis keeps the CPUs busy with utterances in parallel: one onnxruntime session on a
single thread per run, run by one worker thread per CPU (onnxruntime releases the GIL).
On 2 CPUs that measured as fast as one run at a time on onnxruntime's own threads when
the machine is idle, and 1.4-1.5x faster when other work shares the CPUs (its threads
wait on each other at every layer; see bench/piper.py). It also overlaps Piper's
phonemisation and our cache reads with the network's work.

VITS samples noise (noise_scale, noise_w_scale), so two syntheses of one sentence differ
slightly, in samples and in length; the cache keeps the first, so a narration repeated
sounds the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections import deque
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from suaraberita.cache import cache_key
from suaraberita.errors import ConfigError
from suaraberita.files import read_bounded
from suaraberita.sound import Pcm
from suaraberita.speech.models import ModelFiles, files_beside, model_files

if TYPE_CHECKING:
    from suaraberita.cache import Cache
    from suaraberita.speech.voices import Voice

WINDOW_PER_WORKER = 4  # utterances made ahead of the one being consumed, per worker
MODEL_MAX_BYTES = 2_000_000_000  # the largest Piper models are about 120 MB
CONFIG_MAX_BYTES = 10_000_000  # a config is a few kB
PROBE = "a"  # said once when a model is loaded: the network really runs
_PHONEME_TYPES = ("espeak", "text")  # the others need packages or downloads we do not ship


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to speak, and what identifies it for the cache."""

    voice: Any  # piper.PiperVoice
    files: ModelFiles
    digest: str  # sha256 of the network and the config

    @property
    def sample_rate(self) -> int:
        return int(self.voice.config.sample_rate)


def default_workers() -> int:
    """One worker per CPU this process may use (a batch worker pinned to one: one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def model_of(voice: Voice) -> ModelFiles:
    """The files of the voice's model: installed under the user data folder, or the path
    its profile gives."""
    if voice.piper.model_path is not None:
        return files_beside(voice.piper.model_path)
    return model_files(voice.piper.model)


def reinstall_hint(voice: Voice) -> str:
    """What to do about a model file that is there but unusable."""
    if voice.piper.model_path is None:
        return (
            "the download is damaged or incomplete; download it again with: "
            f"suaraberita voices install --force {voice.name}"
        )
    return "replace it with a good copy: the .onnx and the .onnx.json of the same Piper voice"


def check_files(voice: Voice, files: ModelFiles) -> None:
    """A clear error when the model is not there: not installed, or half there."""
    where = voice.path or voice.name
    onnx_there, config_there = files.onnx.exists(), files.config.exists()
    if voice.piper.model_path is None and not onnx_there:
        raise ConfigError(
            f"voice {voice.name!r} is not installed (its model {voice.piper.model} is not in "
            f"{files.onnx.parent})",
            path=where,
            hint=f"install it with: suaraberita voices install {voice.name}",
        )
    if not onnx_there:
        raise ConfigError(
            f"the Piper model {files.onnx} is not there",
            path=where,
            hint="piper.model is a path relative to the profile; check it, or name an "
            "installed model",
        )
    if not config_there:
        raise ConfigError(
            f"the model's config {files.config.name} is missing beside {files.onnx}",
            path=where,
            hint=reinstall_hint(voice),
        )


# Piper warns through logging of each phoneme its model lacks (that sound is left out);
# with no handler set up, Python would print every one on stderr during a narration.
logging.getLogger("piper").addHandler(logging.NullHandler())

_loaded: dict[tuple[object, ...], LoadedModel] = {}
_loading = threading.Lock()


def load_model(voice: Voice) -> LoadedModel:
    """The voice's model loaded and tried, or a ConfigError saying what is wrong and what
    to do. Kept for the process while its files stay the same."""
    files = model_of(voice)
    check_files(voice, files)
    marks = []
    for path in (files.onnx, files.config):
        try:
            info = path.stat()
        except OSError:  # gone since: read_bounded reports it
            info = None
        marks.append((str(path), info and (info.st_ino, info.st_size, info.st_mtime_ns)))
    # the process id too: a batch worker forked after a load makes its own session
    key = (os.getpid(), *marks)
    with _loading:
        model = _loaded.get(key)
        if model is None:
            model = _load(voice, files)
            _loaded.clear()  # one model at a time: each holds a network in memory
            _loaded[key] = model
    speakers = model.voice.config.num_speakers
    speaker = voice.piper.speaker  # the profile's choice, checked for each profile
    if speaker is not None and speaker >= speakers:
        raise ConfigError(
            f"piper.speaker = {speaker}, but the model has {_count(speakers, 'speaker')} "
            "(numbered from 0)",
            path=voice.path or voice.name,
        )
    return model


def _load(voice: Voice, files: ModelFiles) -> LoadedModel:
    import onnxruntime
    from piper import PiperConfig, PiperVoice

    config_bytes = read_bounded(files.config, CONFIG_MAX_BYTES, "Piper model config")
    config = _config(voice, files, config_bytes, PiperConfig)
    network = read_bounded(
        files.onnx, MODEL_MAX_BYTES, "Piper model", advice="this is not a Piper voice model"
    )
    digest = hashlib.sha256(network)
    digest.update(hashlib.sha256(config_bytes).digest())
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # parallel utterances keep the CPUs busy instead
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # its warnings are for model authors; errors still raise
    try:
        session = onnxruntime.InferenceSession(
            network, sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime's own exception classes, one per status
        raise ConfigError(
            f"the Piper model {files.onnx.name} cannot be loaded: {_short(exc)}",
            path=files.onnx,
            hint=reinstall_hint(voice),
        ) from None
    del network
    inputs = {item.name for item in session.get_inputs()}
    wanted = {"input", "input_lengths", "scales"} | ({"sid"} if config.num_speakers > 1 else set())
    if not wanted <= inputs:
        raise ConfigError(
            f"the model {files.onnx.name} does not take the inputs its config describes "
            f"(no {', '.join(sorted(wanted - inputs))}; it takes {', '.join(sorted(inputs))})",
            path=files.onnx,
            hint=reinstall_hint(voice),
        )
    model = LoadedModel(PiperVoice(session=session, config=config), files, digest.hexdigest())
    try:
        probe = b"".join(c.audio_int16_bytes for c in model.voice.synthesize(PROBE))
    except Exception as exc:  # a network or config that loads but cannot speak
        raise ConfigError(
            f"the Piper model {files.onnx.name} does not speak with its config: {_short(exc)}",
            path=files.onnx,
            hint=reinstall_hint(voice),
        ) from None
    if not probe:
        raise ConfigError(
            f"the Piper model {files.onnx.name} said nothing for a test word",
            path=files.onnx,
            hint=reinstall_hint(voice),
        )
    return model


def _config(voice: Voice, files: ModelFiles, data: bytes, kind: Any) -> Any:
    """Piper's config from the .onnx.json, checked enough that the network gets what it
    expects: a clear error instead of a KeyError or an index out of range later."""
    try:
        raw = json.loads(data.decode("utf-8"))
        config = kind.from_dict(raw)
        rate = config.sample_rate
        if not (isinstance(rate, int) and 8000 <= rate <= 192_000):
            raise ValueError(f"sample rate {rate!r} is not one of audio")
        if not (isinstance(config.num_speakers, int) and config.num_speakers >= 1):
            raise ValueError(f"num_speakers {config.num_speakers!r}")
        ids = [i for value in config.phoneme_id_map.values() for i in value]
        if not ids or not all(isinstance(i, int) and 0 <= i < config.num_symbols for i in ids):
            raise ValueError("its phoneme ids do not fit num_symbols")
        if not isinstance(config.espeak_voice, str):
            raise ValueError("espeak.voice is not a name")
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        detail = f"no {exc}" if isinstance(exc, KeyError) else _short(exc)
        raise ConfigError(
            f"the model's config {files.config.name} is not a Piper voice config ({detail})",
            path=files.config,
            hint=reinstall_hint(voice),
        ) from None
    if config.phoneme_type.value not in _PHONEME_TYPES:
        raise ConfigError(
            f"the model's phonemes are {config.phoneme_type.value!r}, which suaraberita "
            "does not support",
            path=files.config,
            hint="choose a Piper voice that phonemises with espeak-ng",
        )
    return config


def _short(exc: BaseException) -> str:
    """The first line of an exception, without onnxruntime's status prefix."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if text.startswith("[ONNXRuntimeError]"):
        text = text.rsplit(" : ", 1)[-1]
    return text[:200]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def plain(text: str) -> str:
    """Text Piper reads as words: it takes `[[ ... ]]` for raw phonemes, so an article's
    double brackets (wiki markup, say) are parted.

    >>> plain("lihat [[Jakarta]] dan [[ ʘ ]]")
    'lihat [ [Jakarta] ] dan [ [ ʘ ] ]'
    """
    return text.replace("[[", "[ [").replace("]]", "] ]")


class _StoppedError(Exception):
    """synthesize_all was closed: work not yet started is skipped."""


class PiperEngine:
    """The offline neural voice: a Piper model per profile, utterances in parallel."""

    name = "piper"

    def __init__(
        self, voice: Voice, cache: Cache | None = None, workers: int | None = None
    ) -> None:
        from importlib.metadata import version

        from piper import SynthesisConfig

        self._cache = cache
        self._model = load_model(voice)
        self._workers = workers or default_workers()
        settings, config = voice.piper, self._model.voice.config
        # the values used, the model's own where the profile leaves them out
        self._syn = SynthesisConfig(
            speaker_id=settings.speaker,
            length_scale=_either(settings.length_scale, config.length_scale),
            noise_scale=_either(settings.noise_scale, config.noise_scale),
            noise_w_scale=_either(settings.noise_w_scale, config.noise_w_scale),
            normalize_audio=False,  # keep the voice's own level from sentence to sentence
        )
        import onnxruntime

        self._version = (
            f"piper-tts {version('piper-tts')}, onnxruntime {onnxruntime.__version__}, "
            f"model {self._model.digest[:32]}"
        )
        self.synthesized = 0  # utterances made (not taken from the cache), for tests
        self._counting = threading.Lock()

    @property
    def version(self) -> str:
        return self._version

    @property
    def sample_rate(self) -> int:
        return self._model.sample_rate

    def synthesize(self, text: str) -> Pcm:
        chunks = self._model.voice.synthesize(plain(text), self._syn)  # one per sentence
        data = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        with self._counting:
            self.synthesized += 1
        return Pcm(data, self._model.sample_rate)

    def synthesize_all(self, texts: Sequence[str]) -> Generator[Pcm, None, None]:
        """One Pcm per text, in order; up to WINDOW_PER_WORKER x workers ahead, each
        looked up in the cache first. Closing stops the work not yet started."""
        stop = threading.Event()
        window = WINDOW_PER_WORKER * self._workers
        executor = ThreadPoolExecutor(self._workers, thread_name_prefix="piper")
        futures: deque[Future[Pcm]] = deque()
        submitted = 0
        try:
            for _ in texts:
                while submitted < len(texts) and len(futures) < window:
                    futures.append(executor.submit(self._take, texts[submitted], stop))
                    submitted += 1
                yield futures.popleft().result()
        finally:
            stop.set()
            for future in futures:
                future.cancel()
            executor.shutdown(wait=True, cancel_futures=True)  # at most one utterance each

    def _take(self, text: str, stop: threading.Event) -> Pcm:
        if stop.is_set():
            raise _StoppedError
        cache = self._cache
        if cache is None:
            return self.synthesize(text)
        key = cache_key(self.name, self._version, self._settings(), text, "wav")
        data = cache.get(key)
        if data is not None:
            try:
                return Pcm.from_wav(data)
            except ValueError:
                cache.discard(key)  # damaged: make it again
        pcm = self.synthesize(text)
        cache.put(key, pcm.to_wav())
        return pcm

    def _settings(self) -> dict[str, object]:
        syn = self._syn
        return {
            "speaker": syn.speaker_id,
            "length_scale": syn.length_scale,
            "noise_scale": syn.noise_scale,
            "noise_w_scale": syn.noise_w_scale,
        }


def _either(value: float | None, default: float) -> float:
    return float(default) if value is None else value
