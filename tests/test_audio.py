"""Podcast-grade audio, checked by readers we did not write: ffmpeg's meter and demuxer,
mutagen, webvtt-py and srt."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
import srt
import webvtt
from mutagen.id3 import ID3

from suaraberita.audio.render import AudioFormat, _encode_args, _Segment, render
from suaraberita.audio.tags import read_chapters
from suaraberita.sound import Pcm
from suaraberita.speech.engine import create_engine
from suaraberita.speech.voices import find_voice, voice_dirs
from tests.conftest import MD_SLUG, decode_pcm, ebur128, rms


def test_loudness_and_true_peak(narrated: Path) -> None:
    integrated, peak = ebur128(narrated / f"{MD_SLUG}.mp3")
    assert integrated == pytest.approx(-19.0, abs=1.0)  # mono: -16 LUFS stereo-equivalent
    assert peak <= -1.0


def test_speech_starts_at_once_and_chapters_follow_silence(narrated: Path) -> None:
    path = narrated / f"{MD_SLUG}.mp3"
    samples, rate = decode_pcm(path)
    speech = next(i for i, s in enumerate(samples) if abs(s) > 1000) / rate
    assert speech < 0.5
    for chapter in read_chapters(path)[1:]:
        assert rms(samples, rate, chapter.start - 0.35, chapter.start - 0.03) < 50
        assert rms(samples, rate, chapter.start + 0.02, chapter.start + 0.3) > 300


def test_full_id3(narrated: Path) -> None:
    tags = ID3(narrated / f"{MD_SLUG}.mp3")
    assert tags.version == (2, 3, 0)
    [picture] = tags.getall("APIC")
    assert picture.mime == "image/png"
    assert picture.type == 3  # front cover
    assert picture.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Harga tiket turun menjadi" in str(tags.getall("USLT")[0])
    assert "Tiga hal yang perlu diketahui" in str(tags.getall("COMM")[0])
    assert tags.getall("WXXX")[0].url == "https://contoh.id/berita/kereta-cepat"
    assert str(tags["TCON"]) == "Podcast"
    assert str(tags["TALB"]) == "suaraberita"
    assert str(tags["TDRC"]) == "2021-02-13"


def test_chapters_json_equals_id3(narrated: Path) -> None:
    document = json.loads((narrated / f"{MD_SLUG}.chapters.json").read_text(encoding="utf-8"))
    assert document["version"] == "1.2.0"
    chapters = read_chapters(narrated / f"{MD_SLUG}.mp3")
    assert [c["title"] for c in document["chapters"]] == [c.title for c in chapters]
    for ours, theirs in zip(document["chapters"], chapters, strict=True):
        assert ours["startTime"] == pytest.approx(theirs.start, abs=0.1)
    # a link in a Markdown heading becomes the chapter's URL, in ID3 (CHAP/WXXX) and JSON
    assert chapters[2].url == "https://contoh.id/jadwal"
    assert document["chapters"][2]["url"] == "https://contoh.id/jadwal"
    assert "url" not in document["chapters"][1]


def test_transcripts_parse_in_order_within_the_audio(narrated: Path) -> None:
    duration = read_chapters(narrated / f"{MD_SLUG}.mp3")[-1].end
    captions = webvtt.read(str(narrated / f"{MD_SLUG}.vtt"))
    starts = [_seconds(c.start) for c in captions]
    assert starts == sorted(starts)
    assert all(0 <= _seconds(c.start) < _seconds(c.end) <= duration + 0.01 for c in captions)
    text = html.unescape(" ".join(c.text.replace("\n", " ") for c in captions))
    assert "&amp;" in captions[0].text  # escaped as WebVTT requires
    assert "Kereta Cepat & Tiket Murah" in text  # written form, not the spoken one
    assert "Harga tiket turun menjadi lima puluh ribu rupiah." in text
    assert "1. Tiket lebih murah" in text
    assert all(len(line) <= 42 for c in captions for line in c.text.splitlines())

    subtitles = list(srt.parse((narrated / f"{MD_SLUG}.srt").read_text(encoding="utf-8")))
    assert len(subtitles) == len(captions)
    assert [s.start.total_seconds() for s in subtitles] == pytest.approx(starts, abs=0.001)


def test_captions_cut_each_sentence_into_readable_cues(narrated: Path) -> None:
    sentences = _readable_captions(narrated, MD_SLUG)
    assert any(len(s) > 42 for s in sentences)  # some take two lines


LONG_SENTENCES = """\
Jalur Kereta Baru

Pemerintah daerah menyatakan bahwa pembangunan jalur kereta yang menghubungkan kota itu \
dengan ibu kota provinsi akan dimulai tahun depan, setelah seluruh proses pembebasan lahan \
di tiga kecamatan selesai dan izin lingkungan diterbitkan oleh kementerian. Warga yang \
tinggal di sepanjang jalur itu meminta agar ganti rugi dibayar penuh sebelum alat berat \
datang, bukan sesudahnya, seperti yang terjadi pada proyek jalan tol beberapa tahun lalu.
"""


def test_long_sentences_get_several_readable_cues(run_cli, tmp_path: Path) -> None:
    (tmp_path / "jalur.txt").write_text(LONG_SENTENCES, encoding="utf-8")
    assert run_cli("narrate", "-q", "jalur.txt").code == 0
    sentences = _readable_captions(tmp_path / "output", "jalur-kereta-baru")
    assert max(map(len, sentences)) > 200  # three cues or more


def _readable_captions(output: Path, slug: str) -> list[str]:
    """Check each sentence's cues (the USLT transcript has a sentence a line), read by
    webvtt-py with their real timings: two lines of at most 42 characters, no orphan
    word, none under a second unless the sentence is; the sentences are returned."""
    captions = list(webvtt.read(str(output / f"{slug}.vtt")))
    sentences = str(ID3(output / f"{slug}.mp3").getall("USLT")[0]).splitlines()
    for sentence in sentences:
        cues, said = [], []
        while said != sentence.split():
            cues.append(captions.pop(0))
            said += html.unescape(cues[-1].text).split()
        seconds = _seconds(cues[-1].end) - _seconds(cues[0].start)
        for cue in cues:
            lines = html.unescape(cue.text).splitlines()
            assert 1 <= len(lines) <= 2
            assert all(len(line) <= 42 for line in lines), lines
            assert len(" ".join(lines).split()) > 1 or len(sentence.split()) < 3, sentence
            assert _seconds(cue.end) - _seconds(cue.start) >= 1.0 or seconds < 1.0, sentence
    assert captions == []
    return sentences


def _seconds(clock: str) -> float:
    """webvtt-py rounds its *_in_seconds down to whole seconds; read the text instead."""
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _tone(seconds: float, amplitude: int, rate: int = 22050) -> Pcm:
    """A 440 Hz tone: a stand-in for speech with a known level."""
    import math

    frames = int(seconds * rate)
    samples = (int(amplitude * math.sin(2 * math.pi * 440 * i / rate)) for i in range(frames))
    return Pcm(b"".join(s.to_bytes(2, "little", signed=True) for s in samples), rate)


def test_tempo_shortens_audio_and_its_timings(tmp_path: Path) -> None:
    takes = [(_tone(2.0, 8000), 0.5), (_tone(2.0, 8000), 0.5)]
    normal = render(iter(takes), tmp_path / "a.mp3")
    fast = render(iter(takes), tmp_path / "b.mp3", tempo=1.25)
    assert fast.duration == pytest.approx(normal.duration / 1.25, abs=0.01)
    assert fast.spans[1].start == pytest.approx(normal.spans[1].start / 1.25, abs=0.01)
    decoded, rate = decode_pcm(tmp_path / "b.mp3")
    assert len(decoded) / rate == pytest.approx(fast.duration, abs=0.1)


def test_stereo_reaches_the_stereo_target(tmp_path: Path) -> None:
    out = tmp_path / "s.mp3"
    result = render(iter([(_tone(6.0, 3000), 0.2)]), out, AudioFormat(channels=2, bitrate="96k"))
    integrated, peak = ebur128(out)
    assert integrated == pytest.approx(-16.0, abs=1.0)
    assert result.loudness.integrated == pytest.approx(integrated, abs=1.0)
    assert peak <= -1.0


def test_gain_from_the_measure_and_a_limiter_that_does_not_delay(tmp_path: Path) -> None:
    import re
    import subprocess

    from suaraberita.sound import ffmpeg_path

    segment = _Segment(["-i", "x"], "anull", -25.0, 9.0)
    args = _encode_args(AudioFormat(), [segment], 22050)
    graph = args[args.index("-filter_complex") + 1]
    assert "volume=6.00dB" in graph  # -25 LUFS to the mono target of -19
    limiter = re.search(r"alimiter=[^,\[;]+", graph)
    assert limiter is not None
    # Our limiter on a tone too loud for it, after exactly 0.5 s of silence: the tone
    # comes out limited to 1.5 dB under the -1 dBTP ceiling, and not a sample late.
    loud = _tone(1.0, 32000)
    raw = tmp_path / "in.raw"
    raw.write_bytes(bytes(2 * 11025) + loud.data)
    out = subprocess.run(
        [ffmpeg_path(), "-v", "error", "-f", "s16le", "-ar", "22050", "-ac", "1", "-i", str(raw),
         "-af", limiter.group(0), "-f", "s16le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    samples = [int.from_bytes(out[i : i + 2], "little", signed=True) for i in range(0, len(out), 2)]
    assert len(samples) == 11025 + loud.frames
    assert next(i for i, v in enumerate(samples) if abs(v) > 100) == 11025 + 1
    assert max(abs(v) for v in samples) <= 32768 * 10 ** (-2.5 / 20) + 1


def _recorded_encodes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each encode's measures, as render() sees them."""
    import suaraberita.audio.render

    real = suaraberita.audio.render._encode
    encodes: list[Any] = []

    def encode(*args: Any) -> Any:
        encodes.append(real(*args))
        return encodes[-1]

    monkeypatch.setattr(suaraberita.audio.render, "_encode", encode)
    return encodes


def test_a_level_change_after_the_first_minute_is_encoded_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The gain is planned from the first minute; here the rest is 12 dB louder, so the
    # gained speech misses the target by several LU and the episode is encoded again.
    encodes = _recorded_encodes(monkeypatch)
    quiet = [(_tone(10.0, 1500), 0.0) for _ in range(7)]
    loud = [(_tone(10.0, 6000), 0.0) for _ in range(20)]
    out = tmp_path / "level.mp3"
    result = render(iter(quiet + loud), out)
    assert len(encodes) == 2
    assert encodes[0].speech > -19.0 + 3.0
    assert encodes[1].speech == pytest.approx(-19.0, abs=0.2)
    integrated, peak = ebur128(out)
    assert result.loudness.integrated == pytest.approx(-19.0, abs=0.5)
    assert integrated == pytest.approx(-19.0, abs=1.0)
    assert peak <= -1.0


def test_the_gain_is_judged_by_the_speech_not_by_what_the_limiter_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 15 Hz swell under a faint 1 kHz tone: the meter barely hears the swell, so the
    # gain drives it far past the ceiling and the limiter pulls the result 3 LU down.
    # More gain would only be limited away: the speech is at its target, one encode.
    import subprocess

    from suaraberita.sound import ffmpeg_path

    wave = "aevalsrc=0.5*sin(2*PI*15*t)+0.005*sin(2*PI*1000*t):s=22050:d=10"
    raw = subprocess.run(
        [ffmpeg_path(), "-v", "error", "-f", "lavfi", "-i", wave, "-f", "s16le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    encodes = _recorded_encodes(monkeypatch)
    result = render(iter([(Pcm(raw, 22050), 0.0)] * 7), tmp_path / "swell.mp3")
    assert len(encodes) == 1
    assert encodes[0].speech == pytest.approx(-19.0, abs=0.2)
    assert result.loudness.integrated < -21.0


def test_steady_stereo_speech_is_encoded_once_and_limited_at_its_ceiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Over a minute of real speech, whose peaks reach the limiter: one encode, and the
    # limiter acts on the stereo channels (it once acted on the mono signal before the
    # upmix lowered each channel by 3 dB, leaving peaks near -5 dBTP and -16.9 LUFS).
    encodes = _recorded_encodes(monkeypatch)
    engine = create_engine(find_voice("id-espeak", voice_dirs(Path("/nonexistent"))))
    sentences = [f"Kalimat nomor {n} dibaca dengan suara yang jelas dan tenang." for n in range(30)]
    takes = [(pcm, 0.4) for pcm in engine.synthesize_all(sentences)]
    out = tmp_path / "stereo.mp3"
    result = render(iter(takes), out, AudioFormat(channels=2, bitrate="96k"))
    assert result.duration > 70.0
    assert len(encodes) == 1
    assert result.loudness.integrated == pytest.approx(-16.0, abs=0.5)
    assert -3.0 < result.loudness.peak <= -1.0
    integrated, peak = ebur128(out)
    assert integrated == pytest.approx(-16.0, abs=1.0)
    assert -3.5 < peak <= -1.0


def test_intro_and_outro_are_levelled_faded_and_shift_chapters(run_cli, tmp_path: Path) -> None:
    import subprocess

    from suaraberita.sound import ffmpeg_path
    from tests.conftest import MARKDOWN_ARTICLE, ffmpeg_info

    for name, seconds in (("intro.mp3", 4), ("outro.wav", 3)):
        subprocess.run(
            [ffmpeg_path(), "-v", "error", "-f", "lavfi", "-i",
             f"sine=frequency=330:duration={seconds}", "-af", "volume=-30dB", str(tmp_path / name)],
            check=True,
        )  # fmt: skip
    (tmp_path / "suaraberita.toml").write_text(
        '[audio]\nintro = "intro.mp3"\noutro = "outro.wav"\n', encoding="utf-8"
    )
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    result = run_cli("narrate", "kereta.md", "--voice", "id-espeak")
    assert result.code == 0, result.stderr
    mp3 = tmp_path / f"output/{MD_SLUG}.mp3"
    chapters = read_chapters(mp3)
    samples, rate = decode_pcm(mp3)
    assert chapters[0].start == 0.0
    # the speech starts right after the 4 s intro
    speech = next(i for i, s in enumerate(samples[int(4.2 * rate) :]) if abs(s) > 1000)
    assert speech / rate < 0.5
    assert rms(samples, rate, 0.0, 0.05) < rms(samples, rate, 1.5, 2.5) / 4  # faded in
    assert rms(samples, rate, 1.5, 2.5) > 1000  # a -30 dB tone lifted to speech level
    duration = ffmpeg_info(mp3).duration
    assert chapters[-1].end == pytest.approx(duration, abs=0.1)
    assert rms(samples, rate, duration - 0.05, duration) < 300  # faded out
    integrated, peak = ebur128(mp3)
    assert integrated == pytest.approx(-19.0, abs=1.0)
    assert peak <= -1.0
