"""Skipping what is up to date, --force, and articles narrated in parallel processes."""

from __future__ import annotations

from pathlib import Path

import feedparser

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
