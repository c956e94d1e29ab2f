"""SIGTERM and SIGINT stop a narration promptly and cleanly: its worker processes and their
ffmpegs end with it, nothing is published after it exits, its temporary files are gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Protocol

import pytest

from suaraberita.files import TEMP_PREFIX
from tests.standin import Reply, StandIn
from tests.test_crash import EXAMPLE, _check_published, _env

STOPPED = {signal.SIGTERM: 143, signal.SIGINT: 130}
MESSAGE = {signal.SIGTERM: "Terminated", signal.SIGINT: "Interrupted"}


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` now (Linux /proc)."""
    found: set[int] = set()
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    children = {int(c) for c in handle.read().split()}
            except OSError:
                continue
            stack += children - found
            found |= children
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _articles(folder: Path, count: int) -> list[str]:
    text = EXAMPLE.read_text(encoding="utf-8")
    title = text.splitlines()[0]
    names = []
    for i in range(count):
        name = f"berita{i}.txt"
        (folder / name).write_text(text.replace(title, f"{title} {i + 1}", 1), encoding="utf-8")
        names.append(name)
    return names


def _stop_mid_run(
    folder: Path, names: list[str], how: signal.Signals, jobs: int | None
) -> tuple[subprocess.Popen[bytes], float, set[int], str]:
    """Start a narration, send `how` to it alone (not its process group) once something is
    running; its exit status, seconds from the signal to its exit, the processes it
    started, and what it said on standard error."""
    command = [sys.executable, "-m", "suaraberita", "narrate", "--voice", "id-espeak", "-q"]
    command += ["--jobs", str(jobs)] if jobs else []
    errors = folder / "stderr.txt"  # not a pipe: a worker that lives on would hold it open
    run = subprocess.Popen(
        command + names,
        cwd=folder,
        env=_env(folder),
        stdout=subprocess.DEVNULL,
        stderr=errors.open("wb"),
    )
    seen: set[int] = set()
    output = folder / "output"
    begun = time.monotonic()
    # mid-run: once something is published (a batch) or being encoded (a single article)
    while time.monotonic() - begun < 60:
        seen |= _descendants(run.pid)
        published = (output / "feed.xml").exists()
        encoding = any(output.glob(f"{TEMP_PREFIX}*.mp3")) if output.exists() else False
        if (published and jobs) or (encoding and not jobs):
            break
        assert run.poll() is None, "it ended before it could be stopped"
        time.sleep(0.02)
    seen |= _descendants(run.pid)
    signalled = time.monotonic()
    os.kill(run.pid, how)
    while run.poll() is None and time.monotonic() - signalled < 30:
        seen |= _descendants(run.pid)
        time.sleep(0.02)
    took = time.monotonic() - signalled
    if run.poll() is None:
        run.kill()
    run.wait()
    return run, took, seen, errors.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_batch_stops_its_workers_and_publishes_nothing_more(
    tmp_path: Path, how: signal.Signals
) -> None:
    names = _articles(tmp_path, 9)
    run, took, seen, said = _stop_mid_run(tmp_path, names, how, jobs=3)
    feed = tmp_path / "output/feed.xml"
    at_exit = feed.read_bytes()

    assert run.returncode == STOPPED[how], said
    assert took < 3.0, f"{took:.1f} s from the signal to the exit"
    assert MESSAGE[how] in said
    assert "Traceback" not in said, said
    assert seen, "no worker was seen"
    time.sleep(0.5)
    assert not [pid for pid in seen if _running(pid)], "processes of the batch live on"
    time.sleep(2.5)
    assert feed.read_bytes() == at_exit  # nothing published after the exit
    assert 1 <= len(_check_published(tmp_path / "output")) < len(names)
    left = list((tmp_path / "output").glob(f"{TEMP_PREFIX}*"))
    assert not left, (said, run.pid, sorted(seen), left)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_narration_says_so_and_leaves_no_temporary_files(
    tmp_path: Path, how: signal.Signals
) -> None:
    names = _articles(tmp_path, 1)
    run, took, seen, said = _stop_mid_run(tmp_path, names, how, jobs=None)

    assert run.returncode == STOPPED[how], said
    assert took < 3.0, f"{took:.1f} s from the signal to the exit"
    assert MESSAGE[how] in said
    assert "Traceback" not in said, said
    time.sleep(0.5)
    assert not [pid for pid in seen if _running(pid)], "its ffmpeg lives on"
    output = tmp_path / "output"
    assert not (output / "feed.xml").exists()
    assert not list(output.glob(f"{TEMP_PREFIX}*"))


class _Asked(Protocol):
    @property
    def requests(self) -> int: ...


def stop_while_the_voice_waits(
    cwd: Path, args: list[str], env: dict[str, str], service: _Asked
) -> tuple[int, float, str]:
    """`suaraberita narrate ARGS` in `cwd`, sent SIGTERM 0.3 s after the voice's stand-in
    `service` got its first request: (exit code, seconds from the signal to the exit,
    what it printed on standard error)."""
    errors = cwd / "stderr.txt"
    with errors.open("wb") as stderr:
        run = subprocess.Popen(
            [sys.executable, "-m", "suaraberita", "narrate", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    begun = time.monotonic()
    while service.requests == 0 and time.monotonic() - begun < 30:
        time.sleep(0.02)
    time.sleep(0.3)
    signalled = time.monotonic()
    run.send_signal(signal.SIGTERM)
    try:
        code = run.wait(timeout=30)
    finally:
        run.kill()
    return code, time.monotonic() - signalled, errors.read_text(encoding="utf-8")


def test_a_stop_does_not_wait_for_the_google_voice_to_answer(tmp_path: Path) -> None:
    """SIGTERM while the default voice waits on a request that gets no answer: the request
    is cut, not waited for to its timeout, and no 'not answering' is said."""
    (tmp_path / "hujan.txt").write_text("Hujan Deras\n\nHujan turun sejak pagi.\n", "utf-8")
    with StandIn(plan=lambda _number, _text: Reply("hang", hang=3600)) as standin:
        env = {**_env(tmp_path), "SUARABERITA_GTTS_URL": standin.url}
        code, took, said = stop_while_the_voice_waits(tmp_path, ["hujan.txt"], env, standin)
    assert code == 143, said
    assert took < 2.0, f"{took:.1f} s from the signal to the exit"
    assert said.strip() == "Terminated.", said
    assert not list((tmp_path / "output").glob(f"{TEMP_PREFIX}*"))


def test_workers_die_with_a_killed_parent_and_publish_nothing(tmp_path: Path) -> None:
    """SIGKILL to the parent of a batch: no handler runs, yet its workers end with it
    (Linux: PR_SET_PDEATHSIG) instead of going on publishing on their own."""
    names = _articles(tmp_path, 9)
    run, _took, seen, _said = _stop_mid_run(tmp_path, names, signal.SIGKILL, jobs=3)
    feed = tmp_path / "output/feed.xml"
    at_exit = feed.read_bytes()
    assert run.returncode == -signal.SIGKILL
    assert seen, "no worker was seen"
    time.sleep(0.5)
    # an ffmpeg a worker started may finish its file (it is never published)
    alive = [_command(pid) for pid in seen if _running(pid)]
    assert not [command for command in alive if "ffmpeg" not in command], "workers live on"
    time.sleep(2.5)
    assert feed.read_bytes() == at_exit
    assert 1 <= len(_check_published(tmp_path / "output")) < len(names)


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""
