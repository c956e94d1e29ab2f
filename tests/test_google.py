"""The Google voice against the stand-in server: protocol, concurrency, retries, cache,
resume, fallback and --no-fallback. Nothing here leaves 127.0.0.1."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import gtts.tts
import pytest
from gtts import gTTS

from suaraberita.cache import Cache
from suaraberita.errors import ExitStatus, NetworkError
from suaraberita.pipeline import load_article, make_script
from suaraberita.publish.store import Store
from suaraberita.speech.engine import EngineOptions, create_engine
from suaraberita.speech.google import SAMPLE_RATE, GoogleEngine, decode_mp3, decode_response
from suaraberita.speech.voices import Voice, find_voice, voice_dirs
from suaraberita.text.chunking import GOOGLE_LIMIT, ends_at_punctuation
from tests.conftest import MARKDOWN_ARTICLE
from tests.standin import (  # noqa: F401 (standin_fixture is the `standin` fixture)
    Reply,
    StandIn,
    always,
    every,
    first,
    mp3_for,
    standin_fixture,
)

EXAMPLE = Path(__file__).parents[1] / "examples" / "bus-listrik-tirtasari.txt"
LONG = (
    "Pemerintah kota berharap warga mau beralih dari kendaraan pribadi, agar jalan-jalan di "
    "pusat kota tidak lagi macet setiap pagi."
)


def _voice(**gtts_settings: object) -> Voice:
    """The built-in Google voice, with quick retries unless told otherwise."""
    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    quick: dict[str, object] = {"backoff": 0.01, **gtts_settings}
    return replace(voice, gtts=replace(voice.gtts, **quick))  # type: ignore[arg-type]


def _engine(standin: StandIn, cache: Cache | None = None, **gtts_settings: object) -> GoogleEngine:
    return GoogleEngine(_voice(**gtts_settings), cache=cache, base_url=standin.url)


def _profile(folder: Path, name: str = "id-google", **gtts_settings: object) -> None:
    """A voice profile in ./voices (it overrides a built-in one of the same name)."""
    settings = {"backoff": 0.01, **gtts_settings}
    lines = [
        'engine = "gtts"',
        'language = "id"',
        'fallback = "id-espeak"',
        "[gtts]",
        *(f"{key} = {value}" for key, value in settings.items()),
    ]
    (folder / "voices").mkdir(exist_ok=True)
    (folder / "voices" / f"{name}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


# The protocol


def test_standin_speaks_what_gtts_expects(
    standin: StandIn, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """gTTS itself, pointed at the stand-in, gets a real MP3: the framing is right."""
    monkeypatch.setattr(
        gtts.tts, "_translate_url", lambda tld="com", path="": f"{standin.url}/{path}"
    )
    gTTS("Selamat pagi, para pendengar.", lang="id").save(tmp_path / "g.mp3")
    assert standin.texts == ["Selamat pagi, para pendengar."]
    pcm = decode_mp3((tmp_path / "g.mp3").read_bytes(), _ffmpeg())
    assert pcm.rate == SAMPLE_RATE
    assert 1.0 < pcm.seconds < 6


def _ffmpeg() -> str:
    from suaraberita.sound import ffmpeg_path

    return ffmpeg_path()


def test_requests_are_gtts_requests(standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our body for a piece is byte for byte the one gTTS builds for it."""
    bodies: list[bytes] = []
    real_post = __import__("requests").Session.post

    def spy(self, url, data=None, **kwargs):  # type: ignore[no-untyped-def]
        bodies.append(data)
        return real_post(self, url, data=data, **kwargs)

    monkeypatch.setattr("requests.Session.post", spy)
    _engine(standin).synthesize("Selamat pagi.")
    expected = gTTS("Selamat pagi.", lang="id", lang_check=False).get_bodies()
    assert bodies == expected


def test_decode_response_refuses_what_is_not_audio() -> None:
    for body in (
        "",
        "<html>quota</html>",
        ')]}\'\n[["wrb.fr","jQ1olc",null]]',
        '"jQ1olc","[\\"!!\\"]"',
    ):
        with pytest.raises(ValueError, match="answer"):
            decode_response(body)


def test_one_long_sentence_is_pieces_joined_with_a_short_gap(standin: StandIn) -> None:
    engine = _engine(standin)
    pcm = engine.synthesize(LONG)
    assert pcm.rate == SAMPLE_RATE
    assert len(standin.texts) == 2
    assert all(len(t) <= GOOGLE_LIMIT for t in standin.texts)
    assert " ".join(standin.texts) == LONG
    # the gap: a stretch of exact zeros of piece_gap (0.07 s) between the two pieces
    zeros = bytes(2 * round(engine.settings.piece_gap * SAMPLE_RATE))
    assert pcm.data.count(zeros) == 1
    assert 5 < pcm.seconds < 12


def test_order_is_kept_and_concurrency_is_bounded(standin: StandIn) -> None:
    standin.voice = "tone"  # 60 ms of tone per character: durations tell texts apart
    standin.latency = 0.05
    texts = [f"Kalimat {'panjang ' * n}nomor {n}." for n in range(1, 11)]  # one piece each
    engine = _engine(standin, concurrency=3, requests_per_second=100)
    pcms = list(engine.synthesize_all(texts))
    assert 2 <= standin.max_in_flight <= 3
    seconds = [p.seconds for p in pcms]
    expected = [0.06 * len(t) for t in texts]
    assert all(abs(s - e) < 0.15 for s, e in zip(seconds, expected, strict=True)), seconds
    assert engine.stats.requests == standin.requests == 10


def test_requests_per_second_limit(standin: StandIn) -> None:
    engine = _engine(standin, concurrency=4, requests_per_second=20)
    started = time.monotonic()
    list(engine.synthesize_all([f"Kalimat {n}." for n in range(9)]))
    assert time.monotonic() - started >= 8 / 20
    # seen from the server (where a busy test process may delay one arrival a little)
    starts = sorted(r.start for r in standin.records)
    assert starts[-1] - starts[0] >= 7 / 20


def test_memory_is_bounded_by_a_window(standin: StandIn) -> None:
    """Consuming only the first utterance starts at most the window's worth of requests."""
    engine = _engine(standin, concurrency=2)
    takes = engine.synthesize_all([f"Kalimat {n}." for n in range(200)])
    next(takes)
    time.sleep(0.3)
    takes.close()  # stops the work ahead
    asked = standin.requests
    assert asked <= 32 + 2
    time.sleep(0.2)
    assert standin.requests == asked


# Retries


def test_429_with_retry_after_is_honoured(standin: StandIn) -> None:
    standin.plan = first(1, "429", retry_after="1")
    engine = _engine(standin)
    engine.synthesize("Coba lagi nanti.")
    refused, served = sorted(standin.records, key=lambda r: r.number)
    assert refused.outcome == "429"
    assert served.outcome == "ok"
    assert served.start - refused.end >= 0.95
    assert engine.stats.retries == 1


def test_503_storm_passes(standin: StandIn) -> None:
    standin.plan = every(2, "503")  # every other request fails
    engine = _engine(standin, concurrency=4)
    texts = [f"Kalimat ke {n}." for n in range(10)]
    assert len(list(engine.synthesize_all(texts))) == 10
    assert sorted(set(standin.served)) == sorted(texts)
    assert engine.stats.retries == standin.requests - 10 >= 5


@pytest.mark.parametrize("fault", ["reset", "malformed", "bad-audio"])
def test_resets_and_bad_answers_are_retried(standin: StandIn, fault: str) -> None:
    standin.plan = first(2, fault)
    engine = _engine(standin)
    assert engine.synthesize("Halo semua.").seconds > 0.3
    assert standin.requests == 3
    assert engine.stats.retries == 2


def test_timeouts_are_retried(standin: StandIn) -> None:
    standin.plan = first(1, "hang", hang=1.0)
    engine = _engine(standin, timeout=0.3)
    started = time.monotonic()
    assert engine.synthesize("Halo semua.").seconds > 0.3
    assert time.monotonic() - started < 1.5
    assert engine.stats.retries == 1


def test_retries_of_one_piece_are_limited(standin: StandIn) -> None:
    standin.plan = always("503")
    with pytest.raises(NetworkError, match=r"kept failing .*3 attempts; last: HTTP 503"):
        _engine(standin, retries=2).synthesize("Halo semua.")
    assert standin.requests == 3


def test_retry_budget_gives_a_clear_error(standin: StandIn) -> None:
    standin.plan = always("429")
    engine = _engine(standin, retries=20, retry_budget=5, concurrency=2)
    with pytest.raises(NetworkError, match=r"retry budget \(5\) is spent") as caught:
        list(engine.synthesize_all([f"Kalimat {n}." for n in range(10)]))
    assert caught.value.exit_status == ExitStatus.NETWORK
    assert engine.stats.retries == 5
    assert standin.requests <= 10 + 5  # at most one first try per piece, plus the budget


def test_a_refusal_is_not_retried(standin: StandIn) -> None:
    standin.plan = always("404")
    with pytest.raises(NetworkError, match="HTTP 404") as caught:
        _engine(standin).synthesize("Halo.")
    assert "SUARABERITA_GTTS_URL" in str(caught.value)
    assert standin.requests == 1


def test_unreachable_fails_fast(standin: StandIn) -> None:
    url = standin.url
    standin.stop()
    engine = GoogleEngine(_voice(backoff=0.25), base_url=url)
    started = time.monotonic()
    with pytest.raises(NetworkError, match="cannot reach Google's voice"):
        list(engine.synthesize_all([f"Kalimat {n}." for n in range(20)]))
    assert time.monotonic() - started < 2
    assert engine.stats.requests == 2  # the probe and its one retry: no crowd


# Cache and resume


def test_cache_means_no_second_request(standin: StandIn, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    texts = [LONG, "Halo semua.", "Sampai jumpa."]
    first_run = list(_engine(standin, cache).synthesize_all(texts))
    assert standin.requests == 4
    engine = _engine(standin, cache)
    assert engine.plan(texts) == (4, 4)
    assert list(engine.synthesize_all(texts)) == first_run
    assert standin.requests == 4
    assert engine.stats.cached == 4
    # another host is another voice: not taken from this cache
    assert GoogleEngine(_voice(), cache, "http://127.0.0.1:1").plan(texts) == (4, 0)


def test_interrupted_engine_run_resumes_with_only_the_missing(
    standin: StandIn, tmp_path: Path
) -> None:
    cache = Cache(tmp_path)
    texts = [f"Kalimat nomor {n} dalam berita." for n in range(30)]
    # the 12th text is refused: the run stops there, after some pieces were fetched
    standin.plan = lambda number, text: Reply("404") if text == texts[11] else None
    with pytest.raises(NetworkError):
        list(_engine(standin, cache, concurrency=4).synthesize_all(texts))
    fetched = set(standin.served)
    assert 0 < len(fetched) < 30
    standin.plan = None
    standin.reset_counts()
    assert len(list(_engine(standin, cache).synthesize_all(texts))) == 30
    assert sorted(standin.texts) == sorted(set(texts) - fetched)


# Through the pipeline and the CLI


def test_pipeline_uses_the_google_voice_through_engine_options(
    standin: StandIn, tmp_path: Path
) -> None:
    engine = create_engine(_voice(), EngineOptions(cache=Cache(tmp_path), gtts_url=standin.url))
    assert engine.name == "gtts"
    assert engine.synthesize("Halo.").rate == SAMPLE_RATE
    assert standin.requests == 1


def test_interrupted_narration_resumes(run_cli, standin: StandIn, tmp_path: Path) -> None:
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    _profile(tmp_path, retries=0)
    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    script = make_script(load_article(str(tmp_path / "kereta.md")), voice)
    pieces = [p for u in script.utterances for p in GoogleEngine(voice).pieces(u.spoken)]
    late = pieces[-3]
    standin.plan = lambda number, text: Reply("503") if text == late else None
    broken = run_cli("narrate", "kereta.md", "--no-fallback")
    assert broken.code == ExitStatus.NETWORK, broken.stderr
    assert not list((tmp_path / "output").glob("*.mp3"))
    fetched = set(standin.served)
    assert 0 < len(fetched) < len(set(pieces))
    standin.plan = None
    standin.reset_counts()
    done = run_cli("narrate", "kereta.md", "--no-fallback")
    assert done.code == 0, done.stderr
    assert sorted(standin.texts) == sorted(set(pieces) - fetched)


def test_preview_counts_requests_and_duration(run_cli, standin: StandIn, tmp_path: Path) -> None:
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    script = make_script(load_article(str(tmp_path / "kereta.md")), voice)
    count = sum(len(GoogleEngine(voice).pieces(u.spoken)) for u in script.utterances)
    before = run_cli("preview", "kereta.md")
    assert before.code == 0, before.stderr
    assert (
        f"Google requests: {count} (at most 100 characters each; 0 already cached" in before.stdout
    )
    assert "Expected duration: about 0:" in before.stdout
    assert run_cli("narrate", "kereta.md").code == 0
    after = run_cli("preview", "kereta.md")
    assert f"{count} already cached, 0 to send" in after.stdout
    assert standin.requests == count  # preview itself sends nothing
    espeak = run_cli("preview", "kereta.md", "--voice", "id-espeak")
    assert "Google requests" not in espeak.stdout
    assert "Expected duration" in espeak.stdout


def test_failure_mid_episode_restarts_it_with_the_fallback(
    run_cli, standin: StandIn, tmp_path: Path
) -> None:
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    _profile(tmp_path, retries=1, concurrency=1)
    standin.plan = lambda number, text: Reply("503") if number > 3 else None
    result = run_cli("narrate", "kereta.md")
    assert result.code == 0, result.stderr
    assert "Warning: Google's voice kept failing" in result.stderr
    assert "narrating with the offline voice id-espeak instead" in result.stderr
    with Store(tmp_path / "output" / "episodes.db") as store:
        (episode,) = store.episodes()
    assert episode.voice == "id-espeak"
    # the whole episode is espeak's: the same length as narrating with espeak alone
    alone = run_cli("narrate", "kereta.md", "--voice", "id-espeak", "-o", "espeak")
    assert alone.code == 0
    with Store(tmp_path / "espeak" / "episodes.db") as store:
        (reference,) = store.episodes()
    assert episode.duration == pytest.approx(reference.duration, abs=0.05)


def test_done_when(run_cli, standin: StandIn, tmp_path: Path) -> None:
    """The issue's acceptance test, exactly: 150 ms latency and a 429 every 7th request."""
    article = str(EXAMPLE)
    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    for utterance in make_script(load_article(article), voice).utterances:
        for piece in GoogleEngine(voice).pieces(utterance.spoken):
            mp3_for(piece)  # the stand-in's own work, done before: 150 ms is 150 ms
    standin.latency = 0.15
    standin.plan = every(7, "429")

    started = time.monotonic()
    result = run_cli("narrate", article, "--voice", "id-google", "--no-fallback", "-o", "one")
    wall = time.monotonic() - started
    assert result.code == 0, result.stderr
    assert list((tmp_path / "one").glob("*.mp3"))

    texts = standin.texts
    assert texts
    assert all(len(t) <= 100 for t in texts)
    assert sum(map(ends_at_punctuation, texts)) / len(texts) >= 0.8
    assert 2 <= standin.max_in_flight <= 16
    latency = sum(r.end - r.start for r in standin.records)
    assert any(r.outcome == "429" for r in standin.records)
    first_start = min(r.start for r in standin.records)
    last_end = max(r.end for r in standin.records)
    assert last_end - first_start <= 0.6 * latency  # the requests, overlapped
    # The whole command's wall time against the summed latency is a speed figure:
    # bench/google.py measures it; a timed assertion here would only make CI flaky.
    print(f"\n{len(texts)} requests, latency summed {latency:.2f} s, wall {wall:.2f} s")

    asked = standin.requests
    again = run_cli("narrate", article, "--voice", "id-google", "--no-fallback", "-o", "two")
    assert again.code == 0, again.stderr
    assert standin.requests == asked  # nothing sent: all from the cache

    standin.stop()
    feed = (tmp_path / "one" / "feed.xml").read_bytes()
    audio = {p.name: p.read_bytes() for p in (tmp_path / "one").glob("*.mp3")}
    empty = {"SUARABERITA_CACHE": str(tmp_path / "empty-cache")}  # so a request is needed
    for folder in ("one", "three"):
        # --force: "one" is up to date and would be skipped without asking Google
        gone = run_cli("narrate", article, "--no-fallback", "--force", "-o", folder, env=empty)
        assert gone.code == ExitStatus.NETWORK
        assert "cannot reach Google's voice" in gone.stderr
        assert "Traceback" not in gone.stderr
    assert not list((tmp_path / "three").glob("*.mp3"))
    assert not (tmp_path / "three" / "feed.xml").exists()
    assert (tmp_path / "one" / "feed.xml").read_bytes() == feed
    assert {p.name: p.read_bytes() for p in (tmp_path / "one").glob("*.mp3")} == audio
    assert not [p for p in (tmp_path / "one").iterdir() if p.name.startswith(".suaraberita-tmp")]

    fallback = run_cli("narrate", article, "-o", "four", env=empty)
    assert fallback.code == 0, fallback.stderr
    assert "Warning: cannot reach Google's voice" in fallback.stderr
    assert "id-espeak" in fallback.stderr
    assert list((tmp_path / "four").glob("*.mp3"))


# The profile


def test_builtin_google_profile() -> None:
    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    assert (voice.engine, voice.language, voice.fallback) == ("gtts", "id", "id-espeak")
    assert voice.gtts.concurrency == 4
    assert voice.gtts.tld == "com"


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("concurrency = 99", ["gtts.concurrency", "range"]),
        ("speed = 1", ["gtts.speed"]),
        ('tld = "com/evil"', ["gtts.tld"]),
        ('slow = "no"', ["gtts.slow"]),
        ('timeout = "lama"', ["timeout", "number"]),
    ],
)
def test_bad_gtts_table_names_the_key(tmp_path: Path, table: str, words: list[str]) -> None:
    from suaraberita.errors import ConfigError
    from suaraberita.speech.voices import load_voice

    path = tmp_path / "rusak.toml"
    path.write_text(f'engine = "gtts"\nlanguage = "id"\n[gtts]\n{table}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_voice(path)
    for word in words:
        assert word in str(caught.value)
    assert "rusak.toml" in str(caught.value)
