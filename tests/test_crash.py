"""Nothing is lost when a run is killed at any moment or several runs share a folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3

from suaraberita.files import TEMP_PREFIX
from tests.conftest import MARKDOWN_ARTICLE, PASTED_ARTICLE


def _env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SUARABERITA_CACHE": str(folder / "cache"),
        "SUARABERITA_GTTS_URL": "http://127.0.0.1:9",
    }


def _start(folder: Path, *names: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "suaraberita", "narrate", "--voice", "id-espeak", "-q", *names],
        cwd=folder,
        env=_env(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _check_published(output: Path) -> list[str]:
    """The feed parses and every enclosure is a whole file; returns the item titles."""
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    for entry in feed.entries:
        enclosure = entry.enclosures[0]
        path = output / enclosure["href"].rsplit("/", 1)[1]
        assert path.stat().st_size == int(enclosure["length"]), path.name
    return [entry.title for entry in feed.entries]


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bus-listrik-tirtasari.txt"


# From start-up, through synthesis and loudness metering, into the MP3 encode and publish.
@pytest.mark.parametrize("after", [0.05, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8])
def test_sigkill_at_any_moment_loses_nothing(tmp_path: Path, after: float) -> None:
    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    first = _start(tmp_path, "a.md")
    assert first.wait(timeout=120) == 0
    output = tmp_path / "output"
    before = {p.name: p.read_bytes() for p in output.glob("*.mp3")}

    victim = _start(tmp_path, "b.txt")
    time.sleep(after)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)

    titles = _check_published(output)
    assert "Kereta Cepat & Tiket Murah: Apa Kata Warga?" in titles
    for name, data in before.items():
        assert (output / name).read_bytes() == data

    again = _start(tmp_path, "b.txt")
    assert again.wait(timeout=120) == 0, again.stderr.read() if again.stderr else ""
    assert len(_check_published(output)) == 2
    assert not list(output.glob(f"{TEMP_PREFIX}*"))  # the killed run's leftovers are gone


def test_concurrent_runs_on_one_folder_keep_every_episode(tmp_path: Path) -> None:
    names = []
    for i in range(5):
        text = PASTED_ARTICLE.replace("Pasar Ikan Baru", f"Pasar Ikan Ke {i + 1}")
        (tmp_path / f"p{i}.txt").write_text(text, encoding="utf-8")
        names.append(f"p{i}.txt")
    for i in range(3):  # three different articles with one title
        text = MARKDOWN_ARTICLE.replace("kereta-cepat", f"kereta-cepat-{i}")
        text = text.replace("Warga menyambutnya", f"Warga nomor {i + 1} menyambutnya")
        (tmp_path / f"k{i}.md").write_text(text, encoding="utf-8")
        names.append(f"k{i}.md")
    runs = [_start(tmp_path, name) for name in names]
    assert [run.wait(timeout=180) for run in runs] == [0] * len(runs)

    output = tmp_path / "output"
    titles = _check_published(output)
    assert len(titles) == 8
    same_title = sorted(output.glob("kereta-cepat-tiket-murah-apa-kata-warga*.mp3"))
    assert len(same_title) == 3
    said = sorted(str(ID3(path).getall("USLT")[0]) for path in same_title)
    for i, transcript in enumerate(said):  # each file holds its own article
        assert f"Warga nomor {i + 1} menyambutnya" in transcript


def test_leftovers_of_dead_runs_are_removed_live_ones_kept(run_cli, tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    dead = output / f"{TEMP_PREFIX}{2**22 + 4321}-abc.mp3"
    old_style = output / f"{TEMP_PREFIX}xyz.xml"
    live = output / f"{TEMP_PREFIX}{os.getpid()}-def.mp3"
    for path in (dead, old_style, live):
        path.write_bytes(b"half written")
    (tmp_path / "a.txt").write_text("Judul\n\nIsi berita.\n", encoding="utf-8")
    assert run_cli("narrate", "a.txt", "--voice", "id-espeak").code == 0
    assert not dead.exists()
    assert not old_style.exists()
    assert live.exists()  # this test's own process is alive: its file may be in use


def test_long_narration_killed_after_a_second_changes_nothing(tmp_path: Path) -> None:
    """The issue's check: a long narration SIGKILLed after a second leaves the feed valid
    and unchanged and no MP3 of it; the next run adds the episode."""
    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    paragraphs = [p for p in EXAMPLE.read_text(encoding="utf-8").split("\n\n") if len(p) > 200]
    long = ["Laporan Panjang Sekali", ""]
    for i in range(60):
        long += [f"Paragraf nomor {i + 1}. {paragraphs[i % len(paragraphs)]}", ""]
    (tmp_path / "long.txt").write_text("\n".join(long), encoding="utf-8")
    assert _start(tmp_path, "a.md").wait(timeout=120) == 0
    output = tmp_path / "output"
    feed = (output / "feed.xml").read_bytes()
    files = sorted(p.name for p in output.iterdir())

    victim = _start(tmp_path, "long.txt")
    time.sleep(1.0)
    assert victim.poll() is None, "the long narration ended within a second"
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)

    assert (output / "feed.xml").read_bytes() == feed
    assert not (output / "laporan-panjang-sekali.mp3").exists()
    leftovers = sorted(p.name for p in output.iterdir() if p.name not in files)
    assert all(name.startswith(TEMP_PREFIX) for name in leftovers), leftovers

    again = _start(tmp_path, "long.txt")
    assert again.wait(timeout=180) == 0
    assert "Laporan Panjang Sekali" in _check_published(output)
    assert not list(output.glob(f"{TEMP_PREFIX}*"))


@pytest.mark.parametrize("after", [0.4, 0.9, 1.4])
def test_killed_renarration_keeps_the_feed_true_to_its_files(tmp_path: Path, after: float) -> None:
    """Re-narrating a published episode: the feed always describes the files on disk."""
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    assert _start(tmp_path, "b.txt").wait(timeout=120) == 0
    (tmp_path / "b.txt").write_text(text.replace("Bus berwarna", "Bus listrik berwarna"))
    victim = _start(tmp_path, "b.txt")
    time.sleep(after)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert len(_check_published(tmp_path / "output")) == 1  # lengths match the files
