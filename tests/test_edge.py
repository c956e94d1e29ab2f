"""Microsoft Edge's neural voices against the stand-in (tests/edgestandin.py): the
protocol as edge-tts speaks it, the fetching policy, word timings into the transcript, the
cache, faults and fallback, and whole episodes through the real CLI."""

from __future__ import annotations

import asyncio
import html
import itertools
import os
import time
from pathlib import Path

import edge_tts
import pytest
import webvtt
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from suaraberita.audio.render import Span, render
from suaraberita.audio.transcript import make_cues
from suaraberita.cache import Cache
from suaraberita.errors import ConfigError, ExitStatus, NetworkError
from suaraberita.publish.store import Store
from suaraberita.sound import Pcm
from suaraberita.speech.edge import EDGE_LIMIT, PROBE_ATTEMPTS, Answer, Boundary, EdgeEngine
from suaraberita.speech.engine import EngineOptions, create_engine
from suaraberita.speech.voices import EdgeSettings, Voice, find_voice, load_voice, voice_dirs
from tests.edgestandin import (
    EdgeStandIn,
    Reply,
    always,
    edge_standin_fixture,  # noqa: F401 (a fixture)
    first,
    free_port,
    plan_words,
    speech_for,
)
from tests.episode_checks import check_episode

SENTENCES = [
    "Kereta cepat mulai beroperasi pekan ini.",
    "Warga menyambutnya dengan antusias, terutama para pekerja di pusat kota.",
    "Harga tiket turun menjadi lima puluh ribu rupiah.",
]


def _voice(**edge: object) -> Voice:
    return Voice("id-edge", "edge", "id", fallback="id-espeak", edge=EdgeSettings(**edge))  # type: ignore[arg-type]


def _engine(standin: EdgeStandIn, cache: Cache | None = None, **edge: object) -> EdgeEngine:
    return EdgeEngine(_voice(**edge), cache=cache, base_url=standin.url)


def _say(engine: EdgeEngine, texts: list[str]) -> list[Pcm]:
    return list(engine.synthesize_all(texts))


# The stand-in speaks what edge-tts speaks


def test_standin_answers_edge_tts_itself(
    edge_standin: EdgeStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain edge-tts, pointed at the stand-in, gets audio and word boundaries from it:
    the stand-in is faithful to the client, so what our engine meets is the protocol."""
    url = edge_tts.constants.WSS_URL.replace("wss://speech.platform.bing.com", edge_standin.url)
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", url)

    async def talk() -> tuple[bytes, list[dict[str, object]]]:
        speaker = edge_tts.Communicate(
            "Halo & selamat pagi.", "id-ID-GadisNeural", boundary="WordBoundary"
        )
        audio, words = b"", []
        async for chunk in speaker.stream():
            if chunk["type"] == "audio":
                audio += chunk["data"]
            else:
                words.append(dict(chunk))
        return audio, words

    audio, words = asyncio.run(talk())
    speech = speech_for("Halo & selamat pagi.")
    assert audio == speech.mp3
    assert [w["text"] for w in words] == ["Halo", "selamat", "pagi"]
    assert [w["offset"] for w in words] == [round(s * 10_000_000) for _, s, _ in speech.words]
    (record,) = edge_standin.records
    assert record.outcome == "ok"
    assert record.text == "Halo & selamat pagi."  # escaped in the SSML, unescaped here


def test_requests_carry_token_voice_and_prosody(edge_standin: EdgeStandIn) -> None:
    voice = find_voice("id-edge-ardi", voice_dirs(Path("/nonexistent")))
    engine = EdgeEngine(voice, base_url=edge_standin.url)
    _say(engine, ["Selamat <pagi> & 'salam'."])
    (record,) = edge_standin.records
    assert record.outcome == "ok"
    assert record.voice == "Microsoft Server Speech Text to Speech Voice (id-ID, ArdiNeural)"
    assert (record.rate, record.pitch) == ("+0%", "+0Hz")
    assert record.text == "Selamat <pagi> & 'salam'."
    assert set(record.query) >= {"TrustedClientToken", "ConnectionId", "Sec-MS-GEC"}
    assert record.config["outputFormat"] == "audio-24khz-48kbitrate-mono-mp3"


# Policy: pieces, order, requests in flight


def test_order_is_kept_and_requests_in_flight_are_bounded(edge_standin: EdgeStandIn) -> None:
    edge_standin.latency = 0.15
    texts = [f"Kalimat nomor {word} untuk diuji." for word in "satu dua tiga empat lima".split()]
    texts *= 3
    engine = _engine(edge_standin, concurrency=3)
    takes = _say(engine, texts)
    assert 2 <= edge_standin.max_in_flight <= 3
    assert engine.stats.max_in_flight <= 3
    assert edge_standin.requests == len(texts)
    for text, pcm in zip(texts, takes, strict=True):
        (_, first_start, _), *_, (_, last_start, last_length) = speech_for(text).words
        assert pcm.seconds == pytest.approx(last_start + last_length - first_start, abs=0.08)


def test_a_very_long_sentence_is_cut_between_words(edge_standin: EdgeStandIn) -> None:
    clause = "para pedagang pindah ke gedung yang lebih bersih dan terang"
    text = ", ".join([clause] * 40) + "."
    engine = _engine(edge_standin)
    assert len(text) > 2 * EDGE_LIMIT
    (pcm,) = _say(engine, [text])
    sent = edge_standin.texts
    assert len(sent) >= 3
    assert all(len(piece) <= EDGE_LIMIT for piece in sent)
    assert sorted(sent) == sorted(engine.pieces(text))  # (in flight together: any order)
    assert " ".join(engine.pieces(text)).split() == text.split()  # no word cut in two
    assert len(pcm.words) == len(text.split())  # word timings across the pieces
    assert list(pcm.words) == sorted(pcm.words)


def test_word_starts_are_the_services_word_boundaries(edge_standin: EdgeStandIn) -> None:
    """Each word starts where the service said, after the trimmed lead silence; words it
    did not name ("&") fall between their neighbours."""
    text = "Warga menyambutnya & antusias, terutama para pekerja."
    (pcm,) = _say(_engine(edge_standin), [text])
    words = speech_for(text).words
    assert len(pcm.words) == len(text.split())
    said = [w for w in text.split() if w != "&"]
    starts = [pcm.words[i] for i, w in enumerate(text.split()) if w != "&"]
    for (word, start, _), got, written in zip(words, starts, said, strict=True):
        assert written.startswith(word)
        if got > starts[0]:  # the first may sit at 0: the codec's delay, trimmed (below)
            assert got - starts[1] == pytest.approx(start - words[1][1], abs=0.002)
    assert pcm.words[1] < pcm.words[2] < pcm.words[3]
    assert 0.0 <= pcm.words[0] < 0.1  # the lead silence trimmed, words moved with it


# Faults


@pytest.mark.parametrize("fault", ["drop", "503", "no-audio", "429"])
def test_passing_faults_are_retried(edge_standin: EdgeStandIn, fault: str) -> None:
    edge_standin.plan = first(2, fault)
    engine = _engine(edge_standin, backoff=0.01)
    takes = _say(engine, SENTENCES)
    assert [r.outcome for r in edge_standin.records[:2]] == [fault, fault]
    assert engine.stats.retries == 2
    assert len(takes) == 3
    assert all(t.seconds > 1.0 for t in takes)


def test_a_dropped_stream_is_never_taken_for_a_short_sentence(edge_standin: EdgeStandIn) -> None:
    edge_standin.plan = first(1, "drop")
    (pcm,) = _say(_engine(edge_standin, backoff=0.01), [SENTENCES[1]])
    assert [r.outcome for r in edge_standin.records] == ["drop", "ok"]
    assert len(pcm.words) == len(SENTENCES[1].split())
    assert pcm.seconds == pytest.approx(_say(_engine(edge_standin), [SENTENCES[1]])[0].seconds)


def test_retries_are_limited_then_a_network_error(edge_standin: EdgeStandIn) -> None:
    edge_standin.plan = always("503")
    with pytest.raises(NetworkError, match="kept failing") as caught:
        _say(_engine(edge_standin, retries=2, backoff=0.01), SENTENCES[:1])
    assert edge_standin.requests == 3
    assert "HTTP 503" in caught.value.message


def test_the_retry_budget_is_for_the_whole_episode(edge_standin: EdgeStandIn) -> None:
    edge_standin.plan = lambda n: None if n == 1 else always("503")(n)
    with pytest.raises(NetworkError, match="retry budget"):
        _say(_engine(edge_standin, retry_budget=3, backoff=0.01, concurrency=1), SENTENCES)
    assert edge_standin.requests == 1 + 3 + 1


def test_403_is_a_clear_refusal_after_one_clock_correction(edge_standin: EdgeStandIn) -> None:
    edge_standin.plan = always("403")
    with pytest.raises(NetworkError) as caught:
        _say(_engine(edge_standin), SENTENCES)
    assert "refused the connection: HTTP 403" in caught.value.message
    assert "date, time and time zone" in str(caught.value.hint)
    assert edge_standin.requests == 2  # one more try with the clock set by the server's Date


def test_a_single_403_passes_after_the_clock_correction(edge_standin: EdgeStandIn) -> None:
    edge_standin.plan = first(1, "403")
    assert len(_say(_engine(edge_standin), SENTENCES)) == 3
    assert [r.outcome for r in edge_standin.records][:2] == ["403", "ok"]


def test_unreachable_fails_fast() -> None:
    engine = EdgeEngine(_voice(backoff=0.01), base_url=f"ws://127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(NetworkError, match="cannot reach Microsoft Edge's voice"):
        _say(engine, SENTENCES * 5)
    assert time.monotonic() - started < 3.0
    assert engine.stats.requests == PROBE_ATTEMPTS  # one probe, not one per piece


def test_a_hanging_service_is_given_up_within_the_deadline(edge_standin: EdgeStandIn) -> None:
    edge_standin.plan = always("hang")
    notices: list[str] = []
    engine = EdgeEngine(
        _voice(timeout=1.0, retries=1, backoff=0.01),
        base_url=edge_standin.url,
        on_notice=notices.append,
    )
    started = time.monotonic()
    with pytest.raises(NetworkError, match="not answering"):
        _say(engine, SENTENCES * 4)
    assert time.monotonic() - started < 1.0 * PROBE_ATTEMPTS + 1.5
    assert engine.stats.requests == PROBE_ATTEMPTS


def test_slow_answers_past_the_deadline_are_retried_then_given_up(
    edge_standin: EdgeStandIn,
) -> None:
    """A service that answered once, then streams too slowly: each request is cut at the
    profile's timeout (the whole exchange, not each read), the user told once."""
    edge_standin.plan = lambda n: None if n == 1 else always("hang")(n)
    notices: list[str] = []
    engine = EdgeEngine(
        _voice(timeout=2.0, retries=1, backoff=0.01, concurrency=1),
        base_url=edge_standin.url,
        on_notice=notices.append,
    )
    started = time.monotonic()
    with pytest.raises(NetworkError, match="kept failing"):
        _say(engine, SENTENCES)
    elapsed = time.monotonic() - started
    hung = [r for r in edge_standin.records if r.outcome == "hang"]
    assert len(hung) >= 2
    assert elapsed < 2.0 * len(hung) + 1.5  # each cut at the deadline (one in flight at once)
    assert len(notices) == 1
    assert "not answering (no complete answer within 2 s)" in notices[0]


# Cache


def test_cache_keeps_audio_and_word_timings(edge_standin: EdgeStandIn, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    fresh = _say(_engine(edge_standin, cache), SENTENCES)
    asked = edge_standin.requests
    again_engine = _engine(edge_standin, cache)
    again = _say(again_engine, SENTENCES)
    assert edge_standin.requests == asked  # nothing sent
    assert again_engine.stats.cached == 3
    assert [p.words for p in again] == [p.words for p in fresh]
    assert [p.data for p in again] == [p.data for p in fresh]
    assert again_engine.plan(SENTENCES) == (3, 3)


def test_a_damaged_cache_entry_is_fetched_again(edge_standin: EdgeStandIn, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    engine = _engine(edge_standin, cache)
    _say(engine, SENTENCES[:1])
    cache.put(engine._key(SENTENCES[0]), b"[[0.1, \n garbage")
    _say(_engine(edge_standin, cache), SENTENCES[:1])
    assert edge_standin.requests == 2


def test_cache_entry_round_trip() -> None:
    answer = Answer(b"\xff\xfbaudio\nwith newline", (Boundary(0.25, "kata"), Boundary(0.5, "x")))
    assert Answer.from_entry(answer.to_entry()) == answer
    with pytest.raises(ValueError, match="no audio"):
        Answer.from_entry(b"[]\n")


# Word timings through trimming, tempo and cues


def test_render_moves_word_starts_with_the_trim_and_the_tempo(tmp_path: Path) -> None:
    rate = 24000
    silence, tone = bytes(2 * rate // 2), _tone(2.0, rate)  # 0.5 s lead, 2 s speech
    pcm = Pcm(silence + tone + silence, rate, (0.5, 1.0, 2.0))
    plain = Pcm(silence + tone + silence, rate)
    tempo = 1.25
    rendered = render([(plain, 0.4), (pcm, 0.5)], tmp_path / "out.mp3", tempo=tempo)
    first, second = rendered.spans
    assert first.words == ()
    lead = 0.5 - 0.015  # the trim keeps 15 ms
    expected = [second.start + (w - lead) / tempo for w in (0.5, 1.0, 2.0)]
    assert second.words == pytest.approx(expected, abs=0.006)


def _tone(seconds: float, rate: int) -> bytes:
    import math
    import struct

    count = round(seconds * rate)
    values = (round(8000 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(count))
    return struct.pack(f"<{count}h", *values)


def test_cues_start_where_their_first_word_is_said() -> None:
    text = "Pemerintah daerah menyatakan bahwa pembangunan jalur kereta akan dimulai tahun depan."
    words = (2.0, 2.2, 2.3, 4.0, 4.1, 4.2, 6.5, 6.6, 8.0, 8.1, 8.2)
    timed = make_cues([text], [Span(2.0, 9.0, words)])
    even = make_cues([text], [Span(2.0, 9.0)])
    assert [c.lines for c in timed] == [c.lines for c in even]
    index = 0
    for cue in timed:
        assert cue.start == words[index]
        index += len(" ".join(cue.lines).split())
        assert cue.end == (words[index] if index < len(words) else 9.0)
    assert [c.start for c in timed] != [c.start for c in even]


def test_cues_map_written_words_onto_spoken_ones_by_share() -> None:
    """Normalisation changed the number of words: a written word's time is read off the
    spoken words' times at the same share of the sentence."""
    written = "Harga tiket Rp50.000 untuk semua penumpang kereta cepat mulai pekan ini."
    spoken = (
        "Harga tiket lima puluh ribu rupiah untuk semua penumpang kereta cepat mulai pekan ini."
    )
    starts = tuple(0.5 * i for i in range(len(spoken.split())))
    (cue,) = make_cues([written], [Span(0.0, 8.0, starts)], [spoken])
    assert cue.start == 0.0
    cues = make_cues([written + " " + written], [Span(0.0, 16.0, starts * 2)], [spoken * 2])
    assert all(0.0 <= c.start < c.end <= 16.0 for c in cues)
    assert [c.start for c in cues] == sorted(c.start for c in cues)


def test_without_word_times_cues_are_as_before() -> None:
    text = "kata " * 40
    assert make_cues([text], [Span(0.0, 10.0)], [text]) == make_cues([text], [Span(0.0, 10.0)])
    wrong = make_cues([text], [Span(0.0, 10.0, (1.0, 2.0))], [text])  # not one per word
    assert wrong == make_cues([text], [Span(0.0, 10.0)])


# The profiles


def test_builtin_edge_profiles() -> None:
    dirs = voice_dirs(Path("/nonexistent"))
    gadis, ardi = find_voice("id-edge", dirs), find_voice("id-edge-ardi", dirs)
    assert (gadis.engine, gadis.fallback, gadis.edge.voice) == (
        "edge",
        "id-espeak",
        "id-ID-GadisNeural",
    )
    assert (ardi.engine, ardi.fallback, ardi.edge.voice) == (
        "edge",
        "id-espeak",
        "id-ID-ArdiNeural",
    )
    assert "perempuan" in gadis.description
    assert "laki-laki" in ardi.description
    assert isinstance(create_engine(gadis, EngineOptions(edge_url="ws://127.0.0.1:1")), EdgeEngine)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ('rate = "fast"', ["edge.rate", "+0%"]),
        ('pitch = "+5%"', ["edge.pitch", "Hz"]),
        ('voice = "Gadis"', ["edge.voice", "id-ID-GadisNeural"]),
        ("concurrency = 99", ["edge.concurrency", "range"]),
        ("speed = 1", ["edge.speed"]),
    ],
)
def test_bad_edge_table_names_the_key(tmp_path: Path, table: str, words: list[str]) -> None:
    path = tmp_path / "v.toml"
    path.write_text(f'engine = "edge"\nlanguage = "id"\n[edge]\n{table}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_voice(path)
    for word in words:
        assert word in str(caught.value)


def test_a_bad_address_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="not a ws"):
        EdgeEngine(_voice(), base_url="http://127.0.0.1:1")


# Whole episodes through the CLI

ARTICLE = """\
---
title: Jalur Kereta Baru Dibangun
author: Tim Redaksi
date: 2021-02-13
url: https://contoh.id/berita/jalur-kereta
---

Pemerintah daerah menyatakan bahwa pembangunan jalur kereta yang menghubungkan kota itu \
dengan ibu kota provinsi akan dimulai tahun depan. Warga menyambut kabar itu dengan gembira. \
Menurut pemerintah daerah, jalur baru itu akan melewati sawah, kebun, dan permukiman warga \
di tiga kecamatan, lalu berakhir di stasiun besar yang dibangun di pinggir ibu kota provinsi.

## Warga meminta ganti rugi

Warga yang tinggal di sepanjang jalur itu meminta agar ganti rugi dibayar penuh sebelum \
alat berat datang, bukan sesudahnya, seperti yang terjadi pada proyek jalan tol dahulu.

## Jadwal pembangunan

Pekerjaan dimulai dari stasiun pusat dan berlanjut ke arah utara kota.
"""
TITLES = ["Jalur Kereta Baru Dibangun", "Warga meminta ganti rugi", "Jadwal pembangunan"]
SLUG = "jalur-kereta-baru-dibangun"


def _seconds(clock: str) -> float:
    hours, minutes, seconds = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _sentence_cues(output: Path, slug: str) -> list[tuple[str, list[tuple[float, int]]]]:
    """Each sentence of the transcript with its cues: (start, index of the cue's first
    word in the sentence)."""
    captions = list(webvtt.read(str(output / f"{slug}.vtt")))
    sentences = str(ID3(output / f"{slug}.mp3").getall("USLT")[0]).splitlines()
    result = []
    for sentence in sentences:
        said: list[str] = []
        cues = []
        while said != sentence.split():
            cue = captions.pop(0)
            cues.append((_seconds(cue.start), len(said)))
            said += html.unescape(cue.text).split()
        result.append((sentence, cues))
    return result


def test_edge_episode_with_word_timed_cues(
    run_cli, edge_standin: EdgeStandIn, tmp_path: Path
) -> None:
    (tmp_path / "jalur.md").write_text(ARTICLE, encoding="utf-8")
    result = run_cli("narrate", "jalur.md", "--voice", "id-edge", "--no-fallback")
    assert result.code == 0, result.stderr
    output = tmp_path / "output"
    check_episode(output, SLUG, TITLES)
    assert ID3(output / f"{SLUG}.mp3")  # tagged
    assert all(r.outcome == "ok" for r in edge_standin.records)
    assert all("GadisNeural" in r.voice for r in edge_standin.records)
    assert 1 <= edge_standin.max_in_flight <= 6  # the profile's concurrency

    # Cues within a sentence start when their first word is said (the stand-in's word
    # times, moved by the trim), not at their share of the sentence's characters.
    several = 0
    for sentence, cues in _sentence_cues(output, SLUG):
        words, _ = plan_words(sentence)
        assert len(words) == len(sentence.split())
        assert cues[0][1] == 0
        for (start, index), (later, after) in itertools.pairwise(cues[1:]):
            several += 1
            assert later - start == pytest.approx(words[after][1] - words[index][1], abs=0.004)
        if len(cues) > 1:  # the first word may sit up to the codec's delay (~46 ms) early
            (start, _), (later, index) = cues[:2]
            assert later - start == pytest.approx(words[index][1] - words[0][1], abs=0.06)
    assert several >= 2

    asked = edge_standin.requests
    again = run_cli("narrate", "jalur.md", "--voice", "id-edge", "--no-fallback", "-o", "two")
    assert again.code == 0, again.stderr
    assert edge_standin.requests == asked  # all from the cache
    assert (tmp_path / "two" / f"{SLUG}.vtt").read_bytes() == (output / f"{SLUG}.vtt").read_bytes()


def test_edge_faults_through_the_cli(run_cli, edge_standin: EdgeStandIn, tmp_path: Path) -> None:
    (tmp_path / "jalur.md").write_text(ARTICLE, encoding="utf-8")
    assert run_cli("narrate", "jalur.md", "--voice", "id-edge", "-o", "one").code == 0
    one = tmp_path / "one"
    feed = (one / "feed.xml").read_bytes()
    audio = (one / f"{SLUG}.mp3").read_bytes()
    empty = {"SUARABERITA_CACHE": str(tmp_path / "empty-cache")}  # so requests are needed

    # Unreachable: exit 9 with --no-fallback, nothing written, the published episode kept
    gone = {**empty, "SUARABERITA_EDGE_URL": f"ws://127.0.0.1:{free_port()}"}
    for folder in ("one", "three"):
        args = ("narrate", "jalur.md", "--voice", "id-edge", "--no-fallback", "--force")
        result = run_cli(*args, "-o", folder, env=gone)
        assert result.code == ExitStatus.NETWORK
        assert "cannot reach Microsoft Edge's voice" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "three").exists() or not list((tmp_path / "three").glob("*.mp3"))
    assert not (tmp_path / "three" / "feed.xml").exists()
    assert (one / "feed.xml").read_bytes() == feed
    assert (one / f"{SLUG}.mp3").read_bytes() == audio
    assert not [p for p in one.iterdir() if p.name.startswith(".suaraberita-tmp")]

    # Unreachable with fallback: the offline voice, one warning
    fallback = run_cli("narrate", "jalur.md", "--voice", "id-edge", "-o", "four", env=gone)
    assert fallback.code == 0, fallback.stderr
    assert fallback.stderr.count("Warning: cannot reach Microsoft Edge's voice") == 1
    assert "id-espeak" in fallback.stderr
    check_episode(tmp_path / "four", SLUG, TITLES)

    # Refused (403): a clear message, then the fallback; exit 9 without it
    edge_standin.plan = always("403")
    refused = run_cli("narrate", "jalur.md", "--voice", "id-edge", "-o", "five", env=empty)
    assert refused.code == 0, refused.stderr
    assert "refused the connection: HTTP 403" in refused.stderr
    assert "id-espeak" in refused.stderr
    args = ("narrate", "jalur.md", "--voice", "id-edge", "--no-fallback", "-o", "six")
    strict = run_cli(*args, env=empty)
    assert strict.code == ExitStatus.NETWORK
    assert "date, time and time zone" in strict.stderr
    assert not list((tmp_path / "six").glob("*.mp3")) if (tmp_path / "six").exists() else True

    # Slow: a service that takes the connection and holds it is given up within the
    # probe's deadline, and the episode narrated with the fallback
    edge_standin.plan = always("hang")
    started = time.monotonic()
    slow = run_cli("narrate", "jalur.md", "--voice", "id-edge", "-o", "seven", env=empty)
    assert slow.code == 0, slow.stderr
    assert "not answering" in slow.stderr
    assert "id-espeak" in slow.stderr
    assert time.monotonic() - started < 5.0 * 2 + 15.0  # two probe deadlines, plus espeak
    assert (one / "feed.xml").read_bytes() == feed


def test_preview_counts_edge_requests(run_cli, edge_standin: EdgeStandIn, tmp_path: Path) -> None:
    (tmp_path / "jalur.md").write_text(ARTICLE, encoding="utf-8")
    before = run_cli("preview", "jalur.md", "--voice", "id-edge")
    assert before.code == 0, before.stderr
    assert edge_standin.requests == 0  # preview sends nothing
    count = int(before.stdout.split("Edge requests: ")[1].split()[0])
    assert "0 already cached" in before.stdout
    assert run_cli("narrate", "jalur.md", "--voice", "id-edge").code == 0
    assert edge_standin.requests == count
    after = run_cli("preview", "jalur.md", "--voice", "id-edge")
    assert f"{count} already cached, 0 to send" in after.stdout


def test_a_stop_does_not_wait_for_the_edge_voice_to_answer(tmp_path: Path) -> None:
    """SIGTERM while the Edge voice waits on an answer that never comes: the request is
    cut, not waited for to its deadline, and nothing else is said."""
    from suaraberita.files import TEMP_PREFIX
    from tests.test_signals import stop_while_the_voice_waits

    (tmp_path / "hujan.txt").write_text("Hujan Deras\n\nHujan turun sejak pagi.\n", "utf-8")
    with EdgeStandIn(plan=always("hang")) as standin:
        env = {**os.environ, "SUARABERITA_CACHE": str(tmp_path / "cache")}
        env["SUARABERITA_EDGE_URL"] = standin.url
        args = ["hujan.txt", "--voice", "id-edge"]
        code, took, said = stop_while_the_voice_waits(tmp_path, args, env, standin)
    assert code == 143, said
    assert took < 2.0, f"{took:.1f} s from the signal to the exit"
    assert said.strip() == "Terminated.", said
    assert not list((tmp_path / "output").glob(f"{TEMP_PREFIX}*"))


def test_failure_mid_episode_restarts_it_with_the_fallback(
    run_cli, edge_standin: EdgeStandIn, tmp_path: Path
) -> None:
    """The service answers the first pieces, then keeps failing: the whole episode is
    narrated again with the offline voice (one voice an episode), with one warning."""
    (tmp_path / "jalur.md").write_text(ARTICLE, encoding="utf-8")
    profile = find_voice("id-edge", voice_dirs(Path("/nonexistent"))).path
    assert profile is not None
    text = profile.read_text(encoding="utf-8").replace('name = "id-edge"', 'name = "id-edge-x"')
    text = text.replace("retries = 4 ", "retries = 1 ").replace("backoff = 0.5 ", "backoff = 0.01")
    assert "retries = 1 " in text
    assert "backoff = 0.01" in text
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "id-edge-x.toml").write_text(text, encoding="utf-8")
    edge_standin.plan = lambda n: None if n <= 3 else Reply("503")
    result = run_cli("narrate", "jalur.md", "--voice", "id-edge-x")
    assert result.code == 0, result.stderr
    assert result.stderr.count("Warning: Microsoft Edge's voice kept failing") == 1
    assert "id-espeak" in result.stderr
    check_episode(tmp_path / "output", SLUG, TITLES)
    with Store(tmp_path / "output" / "episodes.db") as store:
        (episode,) = store.episodes()
    assert episode.voice == "id-espeak"
    outcomes = [r.outcome for r in edge_standin.records]
    assert outcomes[0] == "ok"
    assert "503" in outcomes


def test_a_wrong_edge_address_fails_before_any_output(run_cli, tmp_path: Path) -> None:
    (tmp_path / "jalur.md").write_text(ARTICLE, encoding="utf-8")
    result = run_cli(
        "narrate", "jalur.md", "--voice", "id-edge",
        env={"SUARABERITA_EDGE_URL": "http://127.0.0.1:1"},
    )  # fmt: skip
    assert result.code == ExitStatus.CONFIG, result.stderr
    assert result.stderr.startswith("Error: the Edge voice's address 'http://127.0.0.1:1'")
    assert "jalur.md" not in result.stderr  # not an article's fault
    assert not (tmp_path / "output").exists()


@pytest.mark.slow
def test_a_sample_of_an_edge_voice_asks_for_little_more_than_it_says(
    run_cli, edge_standin: EdgeStandIn, tmp_path: Path
) -> None:
    example = Path(__file__).parents[1] / "examples" / "bus-listrik-tirtasari.txt"
    made = run_cli("narrate", "--sample", "--voice", "id-edge-ardi", str(example))
    assert made.code == 0, made.stderr
    [sample] = (tmp_path / "output" / "samples").glob("*-id-edge-ardi.mp3")
    assert 12.0 < MP3(sample).info.length < 28.0
    # 45 sentences in the article; the sample's few, plus what was already in flight
    assert edge_standin.requests < 45 // 2
    assert not (tmp_path / "output" / "feed.xml").exists()
