"""The Google voice when the network misbehaves: refused connections, no DNS, silence,
resets (before and in the middle of an answer), storms of 5xx and 429, malformed answers,
and answers trickled a byte at a time. Every case ends in bounded time (each command is
given 60 s: a guard against hangs, not a speed test) with either the offline voice and a
warning, or with --no-fallback a short error (exit 9), no MP3 and the published episode
and feed as they were.

The server is tests/standin.py on 127.0.0.1, or a socket of our own; DNS failure is
simulated in-process (socket.getaddrinfo replaced), so nothing leaves this machine. The
voice profile keeps every wait short: `[gtts] timeout = 0.5`, `retries = 1`,
`backoff = 0.01`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from suaraberita.cli import main
from suaraberita.errors import ExitStatus, NetworkError
from suaraberita.publish.store import Store
from suaraberita.speech.google import GoogleEngine
from suaraberita.speech.voices import find_voice, voice_dirs
from tests.conftest import MD_SLUG, Run
from tests.standin import (  # noqa: F401 (standin_fixture is the `standin` fixture)
    Plan,
    Reply,
    StandIn,
    standin_fixture,
)
from tests.test_bad_input import (  # noqa: F401 (the `baseline` and `published` fixtures)
    Published,
    assert_short_error,
    baseline_fixture,
    published_fixture,
    snapshot,
)

HANG_GUARD = 60.0  # seconds for a whole command: far above what any case needs
NEWS = "Hujan Deras di Tirtasari\n\nHujan deras turun sejak pagi. Beberapa jalan tergenang.\n"
NEWS_SLUG = "hujan-deras-di-tirtasari"
LONG_NEWS = (
    "Pasar Malam Kembali Dibuka\n\n"
    + " ".join(f"Pedagang nomor {n} kembali berjualan di lapak yang sama." for n in range(1, 9))
    + "\n"
)
LONG_SLUG = "pasar-malam-kembali-dibuka"


def quick_profile(folder: Path) -> None:
    """./voices/id-google.toml: the Google voice with short waits (it overrides the
    built-in profile of that name, the default voice)."""
    (folder / "voices").mkdir(exist_ok=True)
    (folder / "voices" / "id-google.toml").write_text(
        'engine = "gtts"\nlanguage = "id"\nfallback = "id-espeak"\n'
        "[gtts]\ntimeout = 0.5\nretries = 1\nbackoff = 0.01\n",
        encoding="utf-8",
    )


def _every(reply: Reply) -> Plan:
    return lambda _number, _text: reply


def _storm(_number: int, _text: str) -> Reply:
    return Reply(("500", "502", "503")[_number % 3])


# name: (what the stand-in does, None: it is stopped; what the error says)
FAULTS: dict[str, tuple[Plan | None, str]] = {
    "connection refused": (None, "cannot reach Google's voice"),
    "accepts, never answers": (_every(Reply("hang", hang=3600)), "within 0.5 s"),
    "reset before the answer": (_every(Reply("reset")), "Connection reset by peer"),
    "reset in the middle of the body": (_every(Reply("reset-mid-body")), "connection failed"),
    "storm of 500, 502, 503": (_storm, "last: HTTP 50"),
    "429 asking to wait an hour": (
        _every(Reply("429", retry_after="3600")),
        "asks to wait 3600 s",
    ),
    "429 storm": (_every(Reply("429", retry_after="0")), "last: HTTP 429"),
    "200 with a malformed body": (_every(Reply("malformed")), "malformed answer"),
    "200 with audio that does not decode": (_every(Reply("bad-audio")), "does not decode"),
    "body trickled a byte every 0.2 s": (
        _every(Reply("trickle")),
        "within 0.5 s",  # "no complete answer": the deadline (or, on a busy machine, a read)
    ),
    "headers trickled a byte every 0.2 s": (
        _every(Reply("trickle-head")),
        "within 0.5 s",  # "no complete answer": the deadline (or, on a busy machine, a read)
    ),
    "404, not retried": (_every(Reply("404")), "refused the request: HTTP 404"),
}


def _narrate(run_cli, *args: str) -> tuple[Run, float]:
    """The real command in a process of its own, and how long it took."""
    started = time.monotonic()
    result = run_cli("narrate", *args)
    return result, time.monotonic() - started


Narrate = Callable[..., tuple[Run, float]]


@pytest.fixture
def narrate_here(
    news: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Narrate:
    """The command's own entry point (cli.main: the one error handler) run in this process,
    in `news`, with its own audio cache: quicker than a process per case, and the only way
    to fake DNS. Returns what it printed, its exit status and how long it took."""
    monkeypatch.chdir(news)
    monkeypatch.setenv("SUARABERITA_CACHE", str(news / ".cache"))

    def run(*args: str) -> tuple[Run, float]:
        capsys.readouterr()
        started = time.monotonic()
        with pytest.raises(SystemExit) as exited:
            main(["narrate", *args])
        seconds = time.monotonic() - started
        code = exited.value.code
        out = capsys.readouterr()
        return Run(code if isinstance(code, int) else 1, out.out, out.err), seconds

    return run


def _voice_of(output: Path, slug: str) -> str:
    with Store(output / "episodes.db") as store:
        (episode,) = [e for e in store.episodes() if e.slug == slug]
    return episode.voice


def _assert_refused_cleanly(result: Run, folder: Published, slug: str) -> None:
    """Exit 9 with a short message about Google; nothing written or left behind."""
    assert_short_error(result, ExitStatus.NETWORK, ("Google's voice",))
    assert not (folder.output / f"{slug}.mp3").exists()
    assert folder.unchanged(), folder.differences()


def _assert_fell_back(result: Run, folder: Published, slug: str) -> None:
    """Exit 0; one warning saying why and which voice spoke instead; the episode is the
    offline voice's; the published one is untouched."""
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1, result.stderr
    assert "Google's voice" in warnings[0]
    assert "narrating with the offline voice id-espeak instead" in warnings[0]
    assert _voice_of(folder.output, slug) == "id-espeak"
    after = snapshot(folder.output)
    for name in (f"{MD_SLUG}.mp3", f"{MD_SLUG}.chapters.json", f"{MD_SLUG}.vtt"):
        assert after[name] == folder.before[name]
    assert not list(folder.output.glob(".suaraberita-tmp*"))


@pytest.fixture
def news(tmp_path: Path) -> Path:
    quick_profile(tmp_path)
    (tmp_path / "hujan.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "pasar.txt").write_text(LONG_NEWS, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fallback", [True, False], ids=["fallback", "no-fallback"])
@pytest.mark.parametrize(("fault", "words"), list(FAULTS.values()), ids=list(FAULTS))
def test_fault_from_the_first_request(
    narrate_here: Narrate,
    standin: StandIn,
    published: Published,
    fault: Plan | None,
    words: str,
    fallback: bool,
) -> None:
    if fault is None:
        standin.stop()
    standin.plan = fault
    result, seconds = narrate_here("hujan.txt", *([] if fallback else ["--no-fallback"]))
    assert seconds < HANG_GUARD
    if fallback:
        _assert_fell_back(result, published, NEWS_SLUG)
    else:
        _assert_refused_cleanly(result, published, NEWS_SLUG)
    assert words in result.stderr
    assert standin.requests <= 8  # 2 pieces: first tries and one retry each, no crowd


@pytest.mark.parametrize("fault", ["reset-mid-body", "503"])
def test_fault_in_the_middle_of_an_episode(
    run_cli, standin: StandIn, published: Published, news: Path, fault: str
) -> None:
    """Google answers the first pieces, then fails: the MP3 being written is dropped, not
    left half-empty; with fallback the whole episode is narrated again offline."""
    standin.plan = lambda number, _text: None if number <= 3 else Reply(fault, hang=3600)
    result, seconds = _narrate(run_cli, "pasar.txt", "--no-fallback")
    assert seconds < HANG_GUARD
    _assert_refused_cleanly(result, published, LONG_SLUG)
    assert 3 <= len(standin.served) < 8
    result, seconds = _narrate(run_cli, "pasar.txt")
    assert seconds < HANG_GUARD
    _assert_fell_back(result, published, LONG_SLUG)


def test_a_socket_that_never_accepts(
    run_cli, published: Published, news: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listening socket nobody accepts on: the kernel completes the handshake, the
    request goes out, and no answer ever comes."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        monkeypatch.setenv("SUARABERITA_GTTS_URL", f"http://127.0.0.1:{silent.getsockname()[1]}")
        result, seconds = _narrate(run_cli, "hujan.txt", "--no-fallback")
    assert seconds < HANG_GUARD
    _assert_refused_cleanly(result, published, NEWS_SLUG)
    assert "within 0.5 s" in result.stderr


# --- DNS, in-process --------------------------------------------------------------------------


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every name lookup fails as it does offline; the hosts asked for are recorded."""
    asked: list[str] = []

    def lookup(host: object, *args: object, **kwargs: object) -> list[object]:
        asked.append(str(host))
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return asked


def engine_at(url: str, **gtts: object) -> GoogleEngine:
    """The built-in Google voice at `url`, with these [gtts] settings."""
    voice = find_voice("id-google", voice_dirs(Path("/nonexistent")))
    voice = replace(voice, gtts=replace(voice.gtts, **gtts))  # type: ignore[arg-type]
    return GoogleEngine(voice, base_url=url)


def test_dns_failure_is_unreachable_at_once(no_dns: list[str]) -> None:
    engine = engine_at("https://translate.google.invalid", backoff=0.01, timeout=0.5, retries=5)
    started = time.monotonic()
    with pytest.raises(NetworkError, match="cannot reach Google's voice at https://") as caught:
        list(engine.synthesize_all([f"Kalimat nomor {n}." for n in range(10)]))
    assert time.monotonic() - started < HANG_GUARD
    assert "Name or service not known" in str(caught.value)
    assert caught.value.hint is not None
    assert "no internet connection" in caught.value.hint
    assert no_dns == ["translate.google.invalid"] * 2  # the probe and one retry, no crowd


@pytest.mark.parametrize("fallback", [True, False], ids=["fallback", "no-fallback"])
def test_dns_failure_through_the_command(
    no_dns: list[str],
    narrate_here: Narrate,
    published: Published,
    monkeypatch: pytest.MonkeyPatch,
    fallback: bool,
) -> None:
    monkeypatch.setenv("SUARABERITA_GTTS_URL", "https://translate.google.invalid")
    result, seconds = narrate_here("hujan.txt", *([] if fallback else ["--no-fallback"]))
    assert seconds < HANG_GUARD
    assert set(no_dns) == {"translate.google.invalid"}
    if fallback:
        _assert_fell_back(result, published, NEWS_SLUG)
        assert "cannot reach Google's voice" in result.stderr
    else:
        _assert_refused_cleanly(result, published, NEWS_SLUG)
        assert "Name or service not known" in result.stderr


# --- the total deadline of one request ------------------------------------------------------


def test_a_trickle_is_cut_at_the_request_deadline(standin: StandIn) -> None:
    """A byte every 0.05 s, headers included, never trips a 0.5 s read timeout (the whole
    answer would take minutes); the engine's deadline for the whole request cuts each
    attempt."""
    standin.plan = _every(Reply("trickle-head", trickle=0.05))
    engine = engine_at(standin.url, timeout=0.5, retries=1, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(NetworkError, match=r"2 attempts; last: no complete answer within 0.5 s"):
        engine.synthesize("Halo semua.")
    assert time.monotonic() - started < HANG_GUARD
    assert standin.requests == 2


def test_the_deadline_spares_a_slow_but_complete_answer(standin: StandIn) -> None:
    """An answer that takes a while but arrives within the timeout is not cut."""
    standin.latency = 0.3
    engine = engine_at(standin.url, timeout=2.0)
    assert engine.synthesize("Halo semua.").seconds > 0.3
    assert engine.stats.retries == 0


# --- a service that holds the connection, with the built-in profile -------------------------

STALLS = {
    "accepts, never answers": Reply("hang", hang=3600),
    "headers, then the body stalls": Reply("stall-body"),
}
GIVEN_UP_WITHIN = 20.0  # seconds: it used to be 66 (six attempts of 10 s), in silence


def _narrate_timed(folder: Path, *args: str) -> tuple[int, list[tuple[float, str]], float]:
    """The real command; its exit status, each line of its standard error with the
    seconds after the start it arrived, and how long it took."""
    started = time.monotonic()
    run = subprocess.Popen(
        [sys.executable, "-m", "suaraberita", "narrate", *args],
        cwd=folder,
        env={**os.environ, "SUARABERITA_CACHE": str(folder / ".cache")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    lines = [(time.monotonic() - started, line.rstrip("\n")) for line in run.stderr]
    code = run.wait(timeout=HANG_GUARD)
    return code, lines, time.monotonic() - started


@pytest.mark.parametrize("fallback", [True, False], ids=["fallback", "no-fallback"])
@pytest.mark.parametrize("stall", list(STALLS.values()), ids=list(STALLS))
def test_a_service_that_holds_the_connection_is_given_up_soon(
    standin: StandIn, published: Published, tmp_path: Path, stall: Reply, fallback: bool
) -> None:
    """A captive portal or a stuck proxy, and the default voice as shipped (timeout 10 s,
    5 retries): the first silence is said at once, the service is given up after two
    attempts of 5 s, and the offline voice speaks (or, with --no-fallback, exit 9)."""
    (tmp_path / "hujan.txt").write_text(NEWS, encoding="utf-8")
    standin.plan = _every(stall)
    flags = [] if fallback else ["--no-fallback"]
    code, lines, seconds = _narrate_timed(tmp_path, "hujan.txt", *flags)
    said = "\n".join(line for _, line in lines)
    assert seconds < GIVEN_UP_WITHIN, said
    assert "Traceback" not in said
    noticed = [(at, line) for at, line in lines if "still trying" in line]
    assert len(noticed) == 1, said
    at, notice = noticed[0]
    # Said when first suspected (one 5 s wait), well before it is given up (two waits);
    # timed against the give-up line, so a slow start on a busy machine does not count.
    given_up = next(when for when, line in lines if line.startswith(("Warning:", "Error:")))
    assert given_up - at > 4.0, f"said {given_up - at:.1f} s before giving up"
    assert "Google's voice" in notice
    assert "is not answering" in notice
    assert standin.requests == 2  # the first request and one retry: no crowd, no storm
    if fallback:
        assert code == 0, said
        warnings = [line for _, line in lines if line.startswith("Warning: ")]
        assert len(warnings) == 1, said
        assert "is not answering" in warnings[0]
        assert "narrating with the offline voice id-espeak instead" in warnings[0]
        assert _voice_of(published.output, NEWS_SLUG) == "id-espeak"
    else:
        assert code == ExitStatus.NETWORK, said
        assert lines[-2][1].startswith("Error: hujan.txt: Google's voice at"), said
        assert "is not answering (2 attempts; last: no" in lines[-2][1]
        assert lines[-1][1].startswith("Probable cause: "), said
        assert not (published.output / f"{NEWS_SLUG}.mp3").exists()
        assert published.unchanged(), published.differences()
    assert not list(published.output.glob(".suaraberita-tmp*"))
