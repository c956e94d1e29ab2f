"""`feed check` names each setting a feed cannot go live with, and what to set.

A feed narrated with the defaults works on this machine (`serve`) and nowhere else: its
enclosures point at localhost, the show is called "suaraberita", nobody owns it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from suaraberita.errors import ExitStatus
from suaraberita.sound import ffmpeg_path

ARTICLE = "# Banjir Rob di Pesisir\n\nAir laut merendam permukiman warga sejak pagi.\n"
READY = """\
[podcast]
title = "Kabar Pesisir"
author = "Redaksi Kabar Pesisir"
description = "Berita pesisir utara, dibacakan setiap pagi."
email = "redaksi@kabarpesisir.id"
base_url = "https://kabarpesisir.id/podcast/"
"""


@pytest.fixture(name="work")
def work_fixture(run_cli, tmp_path: Path) -> Path:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert run_cli("narrate", "-q", "--voice", "id-espeak", "a.md").code == 0
    return tmp_path


def test_a_feed_with_the_defaults_is_not_publishable(run_cli, work: Path) -> None:
    result = run_cli("feed", "check")
    assert result.code == ExitStatus.FEED, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    expected = (
        "podcast.base_url is http://localhost:8000/: listeners cannot reach localhost",
        "podcast.title is the default 'suaraberita'; set your show's title",
        "podcast.author is the default 'suaraberita'; set your show's author",
        "podcast.description is the default",
        "itunes:owner has no email: Apple asks for one; set podcast.email",
    )
    for words in expected:
        assert sum(words in line for line in lines) == 1, (words, lines)
    assert all("suaraberita.toml" in line for line in lines), lines
    assert "5 problems" in result.stderr


@pytest.mark.parametrize(
    ("base_url", "words"),
    [
        ("http://127.0.0.1:8000/", "cannot reach 127.0.0.1"),
        ("http://[::1]:8000/", "cannot reach ::1"),
        ("http://192.168.1.20/podcast/", "cannot reach 192.168.1.20"),
        ("http://10.0.0.5/", "cannot reach 10.0.0.5"),
        ("http://0.0.0.0/", "cannot reach 0.0.0.0"),
        ("http://kabar.localhost/", "cannot reach kabar.localhost"),
        ("https://contoh.id/podcast/", "an example address"),
        ("https://pod.example.com/", "an example address"),
        ("https://podcast.example/", "an example address"),
        ("https://rumah.test/", "an example address"),
    ],
)
def test_unpublishable_base_urls(run_cli, work: Path, base_url: str, words: str) -> None:
    (work / "suaraberita.toml").write_text(READY.replace(
        'base_url = "https://kabarpesisir.id/podcast/"', f'base_url = "{base_url}"'
    ), encoding="utf-8")  # fmt: skip
    assert run_cli("feed", "build").code == 0
    result = run_cli("feed", "check")
    assert result.code == ExitStatus.FEED
    problems = [line for line in result.stdout.splitlines() if line.startswith("- ")]
    assert len(problems) == 1, problems
    assert words in problems[0]
    assert "podcast.base_url" in problems[0]


def test_a_feed_with_real_settings_is_publishable(run_cli, work: Path) -> None:
    (work / "suaraberita.toml").write_text(READY, encoding="utf-8")
    assert run_cli("feed", "build").code == 0
    result = run_cli("feed", "check")
    assert result.code == 0, result.stdout
    assert "no problems found" in result.stdout


def test_a_cover_under_1400_px_is_named_with_what_to_set(run_cli, work: Path) -> None:
    (work / "suaraberita.toml").write_text(READY, encoding="utf-8")
    assert run_cli("feed", "build").code == 0
    cover = work / "output" / "cover.png"
    subprocess.run(
        [ffmpeg_path(), "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=navy:s=600x600",
         "-frames:v", "1", str(cover)],
        check=True,
    )  # fmt: skip
    result = run_cli("feed", "check")
    assert result.code == ExitStatus.FEED
    assert "cover is 600x600: Apple wants a square of 1400-3000 px" in result.stdout
    assert "set podcast.image" in result.stdout
    assert "1 problem in the feed" in result.stderr


def test_a_feed_for_this_machine_skips_the_analytics_prefix(run_cli, work: Path) -> None:
    """`feed build --base-url http://127.0.0.1:8000/` to try the show with `serve`: an
    analytics service could not reach those enclosures, so they are left plain."""
    settings = READY + 'analytics_prefix = "https://op3.dev/e/"\n'
    (work / "suaraberita.toml").write_text(settings, encoding="utf-8")
    assert run_cli("feed", "build").code == 0
    published = (work / "output" / "feed.xml").read_text(encoding="utf-8")
    assert 'url="https://op3.dev/e/kabarpesisir.id/podcast/' in published
    assert run_cli("feed", "build", "--base-url", "http://127.0.0.1:8000/").code == 0
    local = (work / "output" / "feed.xml").read_text(encoding="utf-8")
    assert "op3.dev" not in local
    assert 'url="http://127.0.0.1:8000/' in local
