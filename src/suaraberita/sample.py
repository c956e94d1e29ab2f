"""A short sample of one voice reading an article's opening, so voices can be compared
before a long run. A sample is not an episode: the store and the feed never see it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from suaraberita.audio.render import AudioFormat, render
from suaraberita.audio.tags import EpisodeTags, write_tags
from suaraberita.files import Staging, slugify
from suaraberita.intake.article import Article
from suaraberita.pipeline import spoken_takes
from suaraberita.sound import Pcm
from suaraberita.speech.engine import EngineOptions, create_engine
from suaraberita.speech.voices import Voice
from suaraberita.text.script import Script

SAMPLE_SECONDS = 20.0
SAMPLES_FOLDER = "samples"  # inside the output folder
LAST_PAUSE = 0.5  # seconds of silence closing a sample, whatever pause the script had there

# What `voices --listen` reads when no article is given: a made-up news opening with the
# things voices differ on (money, a date, a time, an initialism, an English word).
LISTENING_TEXT = """\
# Pasar Pagi Kota Lama Dibuka Kembali Setelah Renovasi

Pasar Pagi Kota Lama dibuka kembali pada Senin (3/11) pukul 06.30 WIB setelah direnovasi \
selama delapan bulan dengan biaya Rp12,5 miliar. Sebanyak 1.250 pedagang kini menempati \
kios baru yang lebih lapang dan terang.

Kepala Dinas Perdagangan setempat mengatakan pembayaran di pasar itu juga bisa dilakukan \
dengan kode QR, sementara pedagang mendapat pelatihan live shopping agar dagangan mereka \
dikenal pembeli di luar kota. Pemkot menargetkan jumlah pengunjung naik 30 persen hingga \
akhir tahun.
"""


@dataclass(frozen=True)
class Sample:
    path: Path
    seconds: float
    utterances: int


def sample_path(output: Path, article: Article, voice: Voice) -> Path:
    return output / SAMPLES_FOLDER / f"{slugify(article.title)}-{slugify(voice.name)}.mp3"


def opening(
    takes: Iterable[tuple[Pcm, float]], seconds: float, tempo: float = 1.0
) -> Iterator[tuple[Pcm, float]]:
    """Whole utterances from the start, as close to `seconds` of audio (at `tempo`) as
    whole utterances come: a sample never stops mid-word, no utterance past the one that
    decides it is asked for, and closing `takes` then cuts off the engine's work ahead.
    The first utterance is always taken."""
    heard = 0.0
    source = iter(takes)
    try:
        for pcm, pause in source:
            length = (pcm.seconds + pause) / tempo
            if heard and heard + length - seconds > seconds - heard:
                return  # nearer the mark without this one
            heard += length
            if heard >= seconds:
                yield pcm, min(pause, LAST_PAUSE)
                return
            yield pcm, pause
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()  # stops the engine's work ahead


def make_sample(
    article: Article,
    script: Script,
    voice: Voice,
    output: Path,
    audio: AudioFormat,
    engine: EngineOptions | None = None,
    seconds: float = SAMPLE_SECONDS,
) -> Sample:
    """Speak the opening of `script` with `voice` into output/samples/<slug>-<voice>.mp3,
    loudness-normalised like an episode but without the show's intro and outro music."""
    path = sample_path(output, article, voice)
    path.parent.mkdir(parents=True, exist_ok=True)
    spoken = create_engine(voice, engine)
    plain = replace(audio, intro=None, outro=None)
    count = 0

    def counted() -> Iterator[tuple[Pcm, float]]:
        nonlocal count
        for take in opening(spoken_takes(script, spoken), seconds, voice.tempo):
            count += 1
            yield take

    with Staging() as staging:
        temp = staging.path(path)
        rendered = render(counted(), temp, plain, tempo=voice.tempo)
        title = f"Contoh suara {voice.name}: {article.title}"
        write_tags(temp, EpisodeTags(title=title, artist=voice.name, album="suaraberita"), ())
        staging.commit()
    return Sample(path, rendered.duration, count)
