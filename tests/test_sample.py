"""Voice samples: the opening of an article, about 20 s, whole utterances, never an episode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from suaraberita.sample import LAST_PAUSE, opening
from suaraberita.sound import Pcm
from tests.conftest import MARKDOWN_ARTICLE, ffmpeg_info

RATE = 1000


def _pcm(seconds: float) -> Pcm:
    return Pcm(bytes(2 * round(seconds * RATE)), RATE)


def _lengths(takes: list[tuple[Pcm, float]]) -> list[float]:
    return [round(pcm.seconds + pause, 3) for pcm, pause in takes]


def test_whole_utterances_as_near_the_mark_as_they_come() -> None:
    takes = [(_pcm(6.0), 0.5)] * 10
    got = list(opening(takes, 20.0))
    assert len(got) == 3  # 19.5 s; a fourth would make 26 s, further from 20
    takes = [(_pcm(5.0), 0.3), (_pcm(5.0), 0.3), (_pcm(5.0), 0.3), (_pcm(6.0), 1.2), (_pcm(9), 0)]
    got = list(opening(takes, 20.0))
    assert len(got) == 4  # 15.9 s without the fourth, 23.1 s with it: nearer with it
    assert got[-1][1] == LAST_PAUSE  # the long pause after the last one is cut short


def test_tempo_counts_and_the_first_utterance_is_always_taken() -> None:
    takes = [(_pcm(9.5), 0.5)] * 5
    assert len(list(opening(takes, 20.0))) == 2
    assert len(list(opening(takes, 20.0, tempo=2.0))) == 4
    assert len(list(opening([(_pcm(40.0), 1.0), (_pcm(1.0), 0.0)], 20.0))) == 1


def test_nothing_past_the_sample_is_asked_for() -> None:
    asked: list[int] = []
    closed: list[bool] = []

    def engine() -> Iterator[tuple[Pcm, float]]:
        try:
            for i in range(100):
                asked.append(i)
                yield _pcm(4.0), 0.5
        finally:
            closed.append(True)

    got = list(opening(engine(), 20.0))
    assert len(got) == 4  # 18 s; a fifth would make 22.5 s
    assert len(asked) == 5  # the one that decided it, no more
    assert closed == [True]


@pytest.mark.slow
def test_narrate_sample_writes_a_short_mp3_and_leaves_the_feed_alone(
    run_cli, tmp_path: Path
) -> None:
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    done = run_cli("narrate", "--voice", "id-espeak", "kereta.md")
    assert done.code == 0, done.stderr
    output = tmp_path / "output"
    before = {p.name: p.read_bytes() for p in output.iterdir() if p.is_file()}

    made = run_cli("narrate", "--sample", "--voice", "id-espeak", "kereta.md")
    assert made.code == 0, made.stderr
    samples = list((output / "samples").glob("*.mp3"))
    assert [p.name for p in samples] == ["kereta-cepat-tiket-murah-apa-kata-warga-id-espeak.mp3"]
    assert samples[0].name in made.stdout
    length = MP3(samples[0]).info.length
    assert 12.0 < length < 28.0
    assert abs(ffmpeg_info(samples[0]).duration - length) < 0.2
    after = {p.name: p.read_bytes() for p in output.iterdir() if p.is_file()}
    assert after == before  # no episode, store or feed change
    assert not list((output / "samples").glob(".*"))  # no temporary file left


def test_a_sample_of_an_online_voice_never_falls_back(run_cli, tmp_path: Path) -> None:
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    made = run_cli("narrate", "--sample", "--voice", "id-google", "kereta.md")
    assert made.code == 9, made.stderr  # Google is a closed port here
    assert "Traceback" not in made.stderr
    assert "cannot reach" in made.stderr
    assert not list((tmp_path / "output" / "samples").glob("*"))


@pytest.mark.slow
def test_voices_listen_reads_the_built_in_text_or_an_article(run_cli, tmp_path: Path) -> None:
    made = run_cli("voices", "--listen", "id-espeak")
    assert made.code == 0, made.stderr
    built_in = tmp_path / "output" / "samples"
    [sample] = built_in.glob("*-id-espeak.mp3")
    assert sample.name.startswith("pasar-pagi-kota-lama")
    assert 12.0 < MP3(sample).info.length < 28.0
    assert not (tmp_path / "output" / "feed.xml").exists()

    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    made = run_cli("voices", "--listen", "id-espeak", "--article", "kereta.md", "-o", "lain")
    assert made.code == 0, made.stderr
    assert [p.name for p in (tmp_path / "lain" / "samples").iterdir()] == [
        "kereta-cepat-tiket-murah-apa-kata-warga-id-espeak.mp3"
    ]


def test_voices_listen_to_a_voice_that_is_not_there(run_cli, tmp_path: Path) -> None:
    made = run_cli("voices", "--listen", "id-tidak-ada")
    assert made.code == 4, made.stderr
    assert "Traceback" not in made.stderr
    assert not (tmp_path / "output" / "samples").exists()
