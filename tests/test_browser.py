"""The episode pages in a real browser: Debian's headless Chromium driven by Playwright,
against the real `suaraberita serve` in a subprocess.

Skipped only when /usr/bin/chromium is missing (CI installs it); any other failure to
start the browser fails the test. Screenshots are kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mutagen.mp3 import MP3
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from suaraberita.publish.site import read_vtt
from tests.conftest import MARKDOWN_ARTICLE, MD_SLUG

CHROMIUM = Path("/usr/bin/chromium")
# The machine's network is closed: without these Chromium keeps trying to reach Google.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
PLAYER = "document.getElementById('pemutar')"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium "
    "(apt-get install chromium; .ci/run installs it)",
)


@dataclass(frozen=True)
class Served:
    url: str  # ends with '/'
    output: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """An article with three sections narrated offline, served by the real CLI."""
    work = tmp_path_factory.mktemp("browser")
    (work / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    env = {
        **os.environ,
        "SUARABERITA_GTTS_URL": "http://127.0.0.1:9",
        "SUARABERITA_CACHE": str(work / "cache"),
    }
    narrate = subprocess.run(
        [sys.executable, "-m", "suaraberita", "narrate", "--voice", "id-espeak", "kereta.md"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert narrate.returncode == 0, narrate.stderr
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "suaraberita", "serve", "--output", "output", "--port", "0"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert " at http://" in first, (first, (work / "serve.log").read_text())
        url = first.split(" at ", 1)[1].split()[0]
        yield Served(url, work / "output")
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def problems() -> list[str]:
    """Script errors and console errors (a CSP violation is one) seen by a page."""
    return []


def _open(browser: Browser, problems: list[str], url: str, **context: Any) -> Page:
    page = browser.new_context(**context).new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    page.on("console", console)
    page.goto(url)
    page.wait_for_function(f"{PLAYER} === null || {PLAYER}.readyState >= 1")  # metadata
    return page


def _shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.evaluate("window.scrollTo(0, 0)")  # a sticky player would be drawn mid-page
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def _state(page: Page) -> tuple[float, str | None, str | None]:
    """currentTime and the data-start of the marked cue and chapter, read at one moment."""
    time, cue, chapter = page.evaluate(
        f"""() => [{PLAYER}.currentTime,
        document.querySelector('a.cue[aria-current="true"]')?.dataset.start ?? null,
        document.querySelector('a.chapter[aria-current="true"]')?.dataset.start ?? null]"""
    )
    return float(time), cue, chapter


def _cue_at(starts: list[float], time: float) -> float:
    return max(s for s in starts if s <= time + 0.05)


def test_player_chapters_and_transcript(
    served: Served, browser: Browser, problems: list[str]
) -> None:
    page = _open(
        browser, problems, f"{served.url}{MD_SLUG}.html", viewport={"width": 1280, "height": 900}
    )
    mp3 = served.output / f"{MD_SLUG}.mp3"
    duration = page.evaluate(f"{PLAYER}.duration")
    assert abs(duration - MP3(mp3).info.length) < 0.2

    chapters = json.loads((served.output / f"{MD_SLUG}.chapters.json").read_text())["chapters"]
    assert len(chapters) == 4  # the opening and three sections
    cue_starts = [c.start for c in read_vtt(served.output / f"{MD_SLUG}.vtt")]
    links = page.locator("a.chapter")
    assert links.count() == len(chapters)

    second = chapters[1]["startTime"]
    assert float(links.nth(1).get_attribute("data-start") or "nan") == pytest.approx(second)
    links.nth(1).click()
    page.wait_for_function(f"Math.abs({PLAYER}.currentTime - {second}) < 0.5")
    time, cue, chapter = _state(page)
    assert abs(time - second) < 0.5
    assert cue is not None, "no transcript cue is marked"
    assert float(cue) == pytest.approx(_cue_at(cue_starts, time), abs=1e-3)
    assert chapter is not None
    assert float(chapter) == pytest.approx(second, abs=1e-3)
    assert page.evaluate("location.hash").startswith("#t=")  # a link to share this moment

    # A transcript sentence seeks too: click the third cue after the chapter's first.
    target = page.locator("a.cue").nth(cue_starts.index(_cue_at(cue_starts, second)) + 3)
    target_start = float(target.get_attribute("data-start") or "nan")
    target.click()
    page.wait_for_function(f"Math.abs({PLAYER}.currentTime - {target_start}) < 0.5")
    time, cue, _ = _state(page)
    assert cue is not None
    assert float(cue) == pytest.approx(_cue_at(cue_starts, time), abs=1e-3)
    _shot(page, "episode-desktop.png")

    # By keyboard: Tab reaches the chapter links; Enter on the last one seeks there.
    last = chapters[-1]["startTime"]
    links.nth(len(chapters) - 1).focus()
    assert page.evaluate("document.activeElement.classList.contains('chapter')")
    page.keyboard.press("Enter")
    page.wait_for_function(f"Math.abs({PLAYER}.currentTime - {last}) < 0.5")
    assert problems == []


def test_time_in_the_address_seeks_on_load(
    served: Served, browser: Browser, problems: list[str]
) -> None:
    page = _open(browser, problems, f"{served.url}{MD_SLUG}.html#t=7.5")
    page.wait_for_function(f"Math.abs({PLAYER}.currentTime - 7.5) < 0.5")
    assert page.evaluate(f"{PLAYER}.paused")  # seeking by address does not start playing
    assert problems == []


def test_phone_width(served: Served, browser: Browser, problems: list[str]) -> None:
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    page = _open(browser, problems, f"{served.url}{MD_SLUG}.html", **phone)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    player_width = page.evaluate(f"{PLAYER}.getBoundingClientRect().width")
    assert player_width > 300  # the player spans the screen
    _shot(page, "episode-phone.png")
    index = _open(browser, problems, served.url, **phone)
    assert index.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(index, "index-phone.png")
    assert problems == []


def test_index_leads_to_the_episode(served: Served, browser: Browser, problems: list[str]) -> None:
    page = _open(browser, problems, served.url, viewport={"width": 1280, "height": 800})
    assert page.evaluate("document.documentElement.lang") == "id"
    assert page.locator("a[href='feed.xml']").count() >= 1
    _shot(page, "index-desktop.png")
    page.locator(f"a[href='{MD_SLUG}.html']").click()
    page.wait_for_url(f"**/{MD_SLUG}.html")
    page.wait_for_function(f"{PLAYER}.readyState >= 1")
    assert problems == []
