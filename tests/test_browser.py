"""The episode pages in a real browser: Debian's headless Chromium driven by Playwright,
against the real `suaraberita serve` in a subprocess.

Skipped only when /usr/bin/chromium is missing (CI installs it); any other failure to
start the browser fails the test. Screenshots are kept in tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mutagen.mp3 import MP3
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from suaraberita.publish.site import read_vtt
from suaraberita.settings import Podcast
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


def _open(
    browser: Browser, problems: list[str], url: str, init_script: str = "", **context: Any
) -> Page:
    page = browser.new_context(**context).new_page()
    if init_script:
        page.add_init_script(init_script)
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


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# each app's link on the subscribe page, and how its address starts
APPS = (
    ("Apple Podcasts", "podcasts://localhost:8000/feed.xml"),
    ("Pocket Casts", "pktc://subscribe/localhost:8000/feed.xml"),
    ("AntennaPod", "https://antennapod.org/deeplink/subscribe?url=http%3A%2F%2Flocalhost"),
    ("Podcast Addict", "podcastaddict://localhost:8000/feed.xml"),
    ("Overcast", "overcast://x-callback-url/add?url=http%3A%2F%2Flocalhost%3A8000%2Ffeed.xml"),
    ("Castro", "castros://subscribe/localhost:8000/feed.xml"),
    ("Aplikasi podcast lain", "podcast://localhost:8000/feed.xml"),
    ("Pembaca feed", "feed:http://localhost:8000/feed.xml"),
    ("Alamat RSS", "feed.xml"),
)
SALIN = "Salin alamat feed"
FIELD = "document.getElementById('alamat-feed')"


def _sees_the_subscribe_page(page: Page, touch: bool) -> None:
    """The feed's address to copy and every app's link, on screen and within its width."""
    page.wait_for_url("**/berlangganan.html")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Berlangganan")
    field = page.get_by_role("textbox", name="Alamat feed")
    assert field.is_visible()
    assert field.input_value() == Podcast().feed_url  # the served folder's settings
    assert field.is_editable() is False  # read-only, still selectable
    assert page.get_by_role("button", name=SALIN).is_visible()
    links = page.locator("ul.apps a")
    assert links.count() == len(APPS)
    for number, (name, start) in enumerate(APPS):
        link = links.nth(number)
        assert link.is_visible(), name
        assert link.inner_text().startswith(name)
        assert (link.get_attribute("href") or "").startswith(start), name
        box = link.bounding_box()
        assert box is not None
        if touch:
            assert box["height"] >= 44, name  # big enough for a finger
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_berlangganan_leads_to_the_subscribe_page(
    served: Served, browser: Browser, problems: list[str], size: str
) -> None:
    context = PHONE if size == "phone" else DESKTOP
    episode = f"{served.url}{MD_SLUG}.html"
    # the index's header link and its button, and an episode page's header link
    for start, link in (
        (served.url, "header a.subscribe"),
        (served.url, "a.button"),
        (episode, "header a.subscribe"),
    ):
        page = _open(browser, problems, start, **context)
        assert page.locator(link).inner_text().strip() == "Berlangganan"
        page.locator(link).click()
        _sees_the_subscribe_page(page, touch=size == "phone")
    _shot(page, f"subscribe-{size}.png")
    assert problems == []


def test_salin_copies_the_feed_address(
    served: Served, browser: Browser, problems: list[str]
) -> None:
    page = _open(
        browser,
        problems,
        f"{served.url}berlangganan.html",
        permissions=["clipboard-read", "clipboard-write"],
        **PHONE,
    )
    page.get_by_role("button", name=SALIN).click()
    # (not wait_for_function: the pages' CSP forbids the eval it polls with)
    expect(page.get_by_role("status")).to_contain_text("disalin")
    assert page.evaluate("navigator.clipboard.readText()") == Podcast().feed_url
    # by keyboard: from the field, Tab reaches the button, and its focus is drawn
    page.get_by_role("textbox", name="Alamat feed").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.copy") == "alamat-feed"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert problems == []


def test_without_a_clipboard_salin_selects_the_address(
    served: Served, browser: Browser, problems: list[str]
) -> None:
    # a page served over plain http has no navigator.clipboard
    no_clipboard = "delete Navigator.prototype.clipboard;"
    page = _open(browser, problems, f"{served.url}berlangganan.html", no_clipboard, **DESKTOP)
    assert page.evaluate("navigator.clipboard") is None
    page.get_by_role("button", name=SALIN).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("disalin|dipilih"))
    assert page.evaluate(
        f"document.activeElement === {FIELD} && {FIELD}.selectionStart === 0"
        f" && {FIELD}.selectionEnd === {FIELD}.value.length"
    )
    assert problems == []


def test_subscribe_page_without_javascript(
    served: Served, browser: Browser, problems: list[str]
) -> None:
    page = _open(
        browser, problems, f"{served.url}berlangganan.html", java_script_enabled=False, **PHONE
    )
    assert page.get_by_role("textbox", name="Alamat feed").input_value() == Podcast().feed_url
    assert not page.get_by_role("button", name=SALIN).is_visible()  # it would do nothing
    assert page.locator("ul.apps a").count() == len(APPS)
    assert problems == []
