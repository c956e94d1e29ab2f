"""Skipping what is up to date, --force, and articles narrated in parallel processes, each
kept to its own CPUs while every core is busy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from suaraberita import batch
from suaraberita.affinity import run_anywhere, share_cpus
from suaraberita.batch import Outcome
from tests.conftest import MARKDOWN_ARTICLE, PASTED_ARTICLE


def test_unchanged_article_is_skipped_until_something_changes(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    first = run_cli("narrate", "a.md", "--voice", "id-espeak")
    assert first.code == 0, first.stderr
    mp3 = next((tmp_path / "output").glob("*.mp3"))
    stamp = mp3.stat().st_mtime_ns

    again = run_cli("narrate", "a.md", "--voice", "id-espeak")
    assert again.code == 0
    assert "up to date" in again.stdout
    assert mp3.stat().st_mtime_ns == stamp

    forced = run_cli("narrate", "a.md", "--voice", "id-espeak", "--force")
    assert "LUFS" in forced.stdout
    assert mp3.stat().st_mtime_ns != stamp

    (tmp_path / "voices").mkdir()  # another voice setting: narrated again
    (tmp_path / "voices/lambat.toml").write_text(
        'engine = "espeak"\nlanguage = "id"\nrate = 120\n', encoding="utf-8"
    )
    slower = run_cli("narrate", "a.md", "--voice", "lambat")
    assert "LUFS" in slower.stdout

    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE.replace("antusias", "gembira"))
    edited = run_cli("narrate", "a.md", "--voice", "lambat")
    assert "LUFS" in edited.stdout

    mp3.write_bytes(mp3.read_bytes()[:1000])  # a damaged file is narrated again
    repaired = run_cli("narrate", "a.md", "--voice", "lambat")
    assert "LUFS" in repaired.stdout
    assert mp3.stat().st_size > 1000


def test_an_unchanged_file_is_known_before_it_is_parsed(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run reads the file's bytes, not the article: the store knows the file
    and settings it was narrated from. A lexicon change is a change."""
    from suaraberita.pipeline import NarrateOptions
    from suaraberita.settings import Settings
    from suaraberita.speech.voices import find_voice, voice_dirs

    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    first = run_cli("narrate", "a.md", "--voice", "id-espeak")
    assert first.code == 0, first.stderr
    options = NarrateOptions(
        output=tmp_path / "output",
        voice=find_voice("id-espeak", voice_dirs(tmp_path)),
        now=datetime.now(UTC),
        settings=Settings(),
    )

    def parsing(*_: object, **__: object) -> object:
        raise AssertionError("the article was parsed")

    monkeypatch.setattr(batch, "load_article", parsing)
    monkeypatch.chdir(tmp_path)
    kept = batch._narrate_one("a.md", options, {}, None, None)
    assert kept.error is None
    assert kept.narration is not None
    assert kept.narration.skipped
    changed = batch._narrate_one("a.md", options, {"Kereta": "kreta"}, None, None)
    assert isinstance(changed.error, AssertionError)  # not known: parsed again


def test_parallel_jobs_publish_every_episode(run_cli, tmp_path: Path) -> None:
    names = []
    for i in range(4):
        name = f"berita{i}.txt"
        text = PASTED_ARTICLE.replace("Pasar Ikan Baru", f"Pasar Ikan Nomor {i + 1}")
        (tmp_path / name).write_text(text, encoding="utf-8")
        names.append(name)
    result = run_cli("narrate", *names, "--voice", "id-espeak", "--jobs", "3")
    assert result.code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 4
    feed = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    assert len(feed.entries) == 4
    assert len(list((tmp_path / "output").glob("*.mp3"))) == 4


def test_parallel_batch_reports_failures(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Judul Satu\n\nIsi berita pertama.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    result = run_cli("narrate", "a.txt", "b.txt", "--voice", "id-espeak", "-j", "2")
    assert result.code == 8
    assert "b.txt" in result.stderr
    assert (tmp_path / "output/judul-satu.mp3").exists()


def test_feed_only_settings_republish_without_narrating(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    assert run_cli("narrate", "a.md", "--voice", "id-espeak").code == 0
    mp3 = next((tmp_path / "output").glob("*.mp3"))
    stamp = mp3.stat().st_mtime_ns
    moved = run_cli("narrate", "a.md", "--voice", "id-espeak", "--base-url", "https://x.id/p/")
    assert "up to date" in moved.stdout
    assert mp3.stat().st_mtime_ns == stamp  # not narrated again
    feed = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    assert feed.entries[0].enclosures[0]["href"].startswith("https://x.id/p/")
    assert "https://x.id/p/" in (tmp_path / "output/index.html").read_text(encoding="utf-8")


def _where_it_ran(source: str, *_: object) -> Outcome:
    """Stands in for narrating one article, `source` seconds long: says where its worker
    could run when it started and when it ended."""
    started = _cpus(os.getpid())
    time.sleep(float(source))
    return Outcome(f"{started} {_cpus(os.getpid())}")


def _cpus(pid: int) -> str:
    return ",".join(map(str, sorted(os.sched_getaffinity(pid))))


needs_two_cpus = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="needs Linux CPU affinity and two CPUs",
)


@needs_two_cpus
def test_workers_keep_to_their_own_cpus_until_one_would_sit_idle(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batch, "_narrate_one", _where_it_ran)
    everywhere = _cpus(0)
    shares = {
        ",".join(map(str, sorted(share)))
        for share in share_cpus(sorted(os.sched_getaffinity(0)), 2)
    }
    # Two short articles, then a long one alone: it starts on one worker's share, and
    # is let run anywhere once the other worker has nothing left to do.
    outcomes = batch.narrate_many(["0.3", "0.3", "0.3", "2.0"], None, {}, jobs=2)  # type: ignore[arg-type]
    where = [outcome.source.split() for outcome in outcomes]
    assert {start for start, _ in where} == shares
    assert where[-1] == [where[-1][0], everywhere]


@needs_two_cpus
def test_batch_goes_on_when_cpus_cannot_be_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise OSError("not allowed here")

    monkeypatch.setattr(batch, "_narrate_one", _where_it_ran)
    monkeypatch.setattr(os, "sched_setaffinity", refuse)
    everywhere = _cpus(0)
    outcomes = batch.narrate_many(["0.1", "0.1", "0.1"], None, {}, jobs=2)  # type: ignore[arg-type]
    assert [outcome.source for outcome in outcomes] == [f"{everywhere} {everywhere}"] * 3


@needs_two_cpus
def test_a_freed_worker_and_the_processes_it_started_run_anywhere() -> None:
    first, *_ = sorted(os.sched_getaffinity(0))
    everywhere = frozenset(os.sched_getaffinity(0))
    script = (
        "import os, subprocess, sys, time\n"
        f"os.sched_setaffinity(0, {{{first}}})\n"
        "child = subprocess.Popen(['sleep', '30'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(30)\n"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert worker.stdout is not None
        child = int(worker.stdout.readline())
        assert _cpus(worker.pid) == _cpus(child) == str(first)
        run_anywhere(worker.pid, everywhere)
        assert _cpus(worker.pid) == _cpus(child) == _cpus(0)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its sleep
        worker.wait()


def _crash_on(source: str, *_: object) -> Outcome:
    """Stands in for narrating one article; "crash" kills its worker, as a crash in
    espeak-ng's C code or the kernel's out-of-memory killer would."""
    if source == "crash":
        os._exit(3)
    time.sleep(float(source))
    return Outcome(source)


def test_a_worker_that_dies_ends_the_batch_instead_of_hanging_it(tmp_path: Path) -> None:
    script = (
        "from suaraberita import batch\n"
        "from tests import test_batch\n"
        "batch._narrate_one = test_batch._crash_on\n"
        "try:\n"
        "    list(batch.narrate_many(['0.3', 'crash', '0.3', '0.3'], None, {}, jobs=2))\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "BrokenProcessPool", done.stderr


def _dated(title: str, date: str) -> str:
    slug = title.lower().replace(" ", "-")
    return f"""---
title: {title}
date: {date}
url: https://contoh.id/berita/{slug}
---

Berita {title.lower()} dibacakan hari ini. Warga menyambutnya.
"""


SHOW = """\
[podcast]
title = "Kabar Kota"
author = "Redaksi Kabar Kota"
description = "Berita kota kami, dibacakan setiap pagi."
email = "redaksi@kabarkota.id"
base_url = "https://kabarkota.id/podcast/"
"""


@pytest.mark.parametrize(
    ("order", "jobs"), [(("b", "c", "a"), "1"), (("c", "a", "b"), "3"), (("a", "b", "c"), "3")]
)
def test_episode_numbers_follow_the_dates_whatever_the_jobs_and_order(
    run_cli, tmp_path: Path, order: tuple[str, ...], jobs: str
) -> None:
    (tmp_path / "suaraberita.toml").write_text(SHOW, encoding="utf-8")  # feed check passes
    dates = {"a": "2021-01-05", "b": "2021-03-01", "c": "2021-02-10"}
    for name, date in dates.items():
        (tmp_path / f"{name}.md").write_text(_dated(f"Kabar {name}", date), encoding="utf-8")
    result = run_cli("narrate", *(f"{n}.md" for n in order), "--voice", "id-espeak", "-j", jobs)
    assert result.code == 0, result.stderr
    feed = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    numbers = {entry.id: int(entry.itunes_episode) for entry in feed.entries}
    guid = "https://contoh.id/berita/kabar-{}".format
    assert numbers == {guid("a"): 1, guid("c"): 2, guid("b"): 3}  # by date
    assert [entry.id for entry in feed.entries] == [guid("b"), guid("c"), guid("a")]

    # an older article narrated later takes its place by date; no guid changes
    (tmp_path / "d.md").write_text(_dated("Kabar d", "2020-12-31"), encoding="utf-8")
    assert run_cli("narrate", "d.md", "--voice", "id-espeak").code == 0
    feed = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    numbers = {entry.id: int(entry.itunes_episode) for entry in feed.entries}
    assert numbers == {guid("d"): 1, guid("a"): 2, guid("c"): 3, guid("b"): 4}
    check = run_cli("feed", "check")
    assert check.code == 0, check.stdout
