"""What every narrated episode must pass, whatever voice spoke it: the checks the
espeak-ng episodes pass in test_e2e.py and test_audio.py, gathered into one function so
each engine's end-to-end test (Piper, Edge) runs all of them on its own episode.

Every check reads the files with readers we did not write: ffmpeg (format, chapters,
loudness meter), mutagen (ID3), webvtt-py and srt (transcripts), podcastparser and
feedparser (the feed).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import feedparser
import podcastparser
import pytest
import srt
import webvtt
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from suaraberita.audio.tags import read_chapters
from tests.conftest import decode_pcm, ebur128, ffmpeg_info, rms

BASE_URL = "http://localhost:8000"  # the feed's address when no --base-url is given


@dataclass(frozen=True)
class Checked:
    """What the checks read, for a caller's own further checks."""

    duration: float  # seconds, as ffmpeg reads the MP3
    cues: int  # transcript cues
    words: str  # the transcript's text, unescaped


def check_episode(
    output: Path,
    slug: str,
    titles: list[str],
    phrases: tuple[str, ...] = (),
    base_url: str = BASE_URL,
) -> Checked:
    """Assert that the episode `slug` in `output` is whole and podcast-grade.

    `titles`: the chapter titles in order (the first is the episode's title);
    `phrases`: written sentences its transcript must hold. The feed must list the
    episode once, with the right enclosure.
    """
    mp3 = output / f"{slug}.mp3"
    duration = format_and_chapters(mp3, titles)
    id3_chapters(mp3, titles)
    _speech_at_chapter_starts(mp3)
    _chapters_json(output / f"{slug}.chapters.json", mp3)
    integrated, peak = ebur128(mp3)
    assert integrated == pytest.approx(-19.0, abs=1.0)  # mono: -16 LUFS stereo-equivalent
    assert peak <= -1.0
    cues, words = _transcripts(output, slug, duration, phrases)
    _feed(output, slug, titles[0], base_url)
    return Checked(duration, cues, words)


def format_and_chapters(mp3: Path, titles: list[str]) -> float:
    """The MP3 format and its chapters as ffmpeg reads them; its duration."""
    info = ffmpeg_info(mp3)
    assert "44100 Hz, mono" in info.audio
    assert "64 kb/s" in info.audio
    assert [title for _, _, title in info.chapters] == titles  # in time order in the file
    assert info.chapters[0][0] == 0.0
    for (_, end, _), (start, _, _) in zip(info.chapters, info.chapters[1:], strict=False):
        assert end == pytest.approx(start, abs=0.002)
    assert info.chapters[-1][1] == pytest.approx(info.duration, abs=0.1)
    assert MP3(mp3).info.length == pytest.approx(info.duration, abs=0.1)
    return info.duration


def id3_chapters(mp3: Path, titles: list[str]) -> None:
    """ID3 v2.3 with one ordered top-level CTOC, agreeing with ffmpeg to the ms."""
    tags = ID3(mp3)
    assert tags.version == (2, 3, 0)
    assert str(tags["TIT2"]) == titles[0]
    assert str(tags["TLAN"]) == "ind"
    [toc] = tags.getall("CTOC")
    assert toc.flags & 0x01  # ORDERED
    assert toc.flags & 0x02  # TOP_LEVEL
    assert str(toc.sub_frames["TIT2"])
    chapters = {c.element_id: c for c in tags.getall("CHAP")}
    assert sorted(toc.child_element_ids) == sorted(chapters)
    starts = [chapters[i].start_time for i in toc.child_element_ids]
    assert starts == sorted(starts)
    ours = read_chapters(mp3)
    assert [c.title for c in ours] == titles
    # mutagen and ffmpeg agree to the millisecond
    for chapter, (start, end, _) in zip(ours, ffmpeg_info(mp3).chapters, strict=True):
        assert chapter.start == pytest.approx(start, abs=0.001)
        assert chapter.end == pytest.approx(end, abs=0.001)
    assert tags.getall("USLT"), "no transcript in the tags"


def _speech_at_chapter_starts(mp3: Path) -> None:
    samples, rate = decode_pcm(mp3)
    assert rms(samples, rate, 0.0, 0.3) > 300  # speech begins at once
    for chapter in read_chapters(mp3)[1:]:
        before = rms(samples, rate, chapter.start - 0.35, chapter.start - 0.03)
        after = rms(samples, rate, chapter.start + 0.02, chapter.start + 0.4)
        assert before < 50, f"{chapter.title}: not silent before its start"
        assert after > 300, f"{chapter.title}: no speech right after its start"


def _chapters_json(path: Path, mp3: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == "1.2.0"
    chapters = read_chapters(mp3)
    assert [c["title"] for c in document["chapters"]] == [c.title for c in chapters]
    for ours, theirs in zip(document["chapters"], chapters, strict=True):
        assert ours["startTime"] == pytest.approx(theirs.start, abs=0.1)


def _transcripts(
    output: Path, slug: str, duration: float, phrases: tuple[str, ...]
) -> tuple[int, str]:
    captions = list(webvtt.read(str(output / f"{slug}.vtt")))
    assert captions
    starts = [_seconds(c.start) for c in captions]
    ends = [_seconds(c.end) for c in captions]
    assert starts == sorted(starts)
    assert all(0 <= start < end <= duration + 0.01 for start, end in zip(starts, ends, strict=True))
    assert starts[0] < 1.0  # the transcript covers the audio: from its first words...
    assert ends[-1] > duration - 3.0  # ...to its last (the end pause is at most 1.5 s)
    assert all(len(line) <= 42 for c in captions for line in c.text.splitlines())
    words = html.unescape(" ".join(c.text.replace("\n", " ") for c in captions))
    for phrase in phrases:
        assert phrase in words, phrase
    # the transcript in the tags (a sentence a line) is what the captions say
    sentences = str(ID3(output / f"{slug}.mp3").getall("USLT")[0]).split()
    assert words.split() == sentences

    subtitles = list(srt.parse((output / f"{slug}.srt").read_text(encoding="utf-8")))
    assert len(subtitles) == len(captions)
    assert [s.start.total_seconds() for s in subtitles] == pytest.approx(starts, abs=0.001)
    assert [s.end.total_seconds() for s in subtitles] == pytest.approx(ends, abs=0.001)
    return len(captions), words


def _feed(output: Path, slug: str, title: str, base_url: str) -> None:
    feed, mp3 = output / "feed.xml", output / f"{slug}.mp3"
    size = mp3.stat().st_size
    url = f"{base_url.rstrip('/')}/{slug}.mp3"
    with feed.open("rb") as handle:
        parsed = podcastparser.parse(f"{base_url.rstrip('/')}/feed.xml", handle)
    [episode] = [e for e in parsed["episodes"] if e["enclosures"][0]["url"] == url]
    assert episode["title"] == title
    [enclosure] = episode["enclosures"]
    assert enclosure["file_size"] == size
    assert enclosure["mime_type"] == "audio/mpeg"
    assert episode["total_time"] == round(MP3(mp3).info.length)
    assert episode["published"] > 0

    fp = feedparser.parse(feed.read_bytes())
    assert not fp.bozo, fp.get("bozo_exception")
    assert fp.feed.language == "id"
    [entry] = [e for e in fp.entries if e.enclosures[0]["href"] == url]
    assert entry.title == title
    assert entry.enclosures[0]["length"] == str(size)
    assert entry.enclosures[0]["type"] == "audio/mpeg"
    assert int(entry.itunes_duration) == episode["total_time"]


def _seconds(clock: str) -> float:
    """webvtt-py rounds its *_in_seconds down to whole seconds; read the text instead."""
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
