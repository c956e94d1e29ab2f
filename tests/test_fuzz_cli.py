"""Whole runs of the command line on random articles and settings files.

tests/test_fuzz.py drives the parts (parsing, normalisation, settings loading) in
process; this drives `suaraberita` itself, as a user would, for a bounded time with a
fixed seed (SUARABERITA_FUZZ_SEED, SUARABERITA_FUZZ_SECONDS; a failure prints the seed
and round to replay). The invariants, after every run:

- the exit code is a documented one (never 1, "unexpected error") and there is no
  traceback;
- the output folder is consistent: the feed parses, every item's MP3 has the length the
  feed says, its chapters, transcripts and page are there, the store and the feed list
  the same episodes, and no temporary file is left;
- time and memory grow linearly with the article (hostile shapes at n and 2n through
  `preview`, which runs everything but the voice).
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from suaraberita.errors import ExitStatus
from suaraberita.files import TEMP_PREFIX
from suaraberita.publish.store import Store

SEED = int(os.environ.get("SUARABERITA_FUZZ_SEED", "20261201"))
SECONDS = float(os.environ.get("SUARABERITA_FUZZ_SECONDS", "60"))
MEMORY_LIMIT = 4 << 30  # address space of each run
DOCUMENTED = {int(code) for code in ExitStatus} - {ExitStatus.ERROR}

# --- what the random articles and settings are made of --------------------------------

WORDS = (
    "Warga Jakarta mengungsi banjir pukul 10.30 WIB Rp1,3 triliun 50% km DPR dll. "
    "2020-2021 ke-3 (13/2) US$5 PT. KAI Presiden Jokowi berkata, “Kami siap.” — … "
    "http://contoh.id/a a@b.id iPhone smartphone Kompas.com #banjir @warga 1.234.567 "
    "III 3,14 ½ ² Rp 500 ribu 21/12/2024 08.00-09.30 WITA H-7 Lebaran COVID-19"
).split()
ODD = (
    "\x00", "\x07", "\x1b[31m", "\x9b", "\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad",
    "\u2028", "\r", "\t", "😀", "عربى", "日本語", "e\u0301", "\U000f0000", "\x7f", "<b>",
    "&amp;", "]]>", "-->", "{\\an8}", "javascript:alert(1)",
)  # fmt: skip
NOISE = (
    "Baca Juga: Harga cabai naik", "Foto: ANTARA/Budi", "Penulis: Rina | Editor: Dodi",
    "Jakarta, Kompas.com -", "Simak berita lainnya di Google News", "ADVERTISEMENT",
    "(Dok. Istimewa)", "Sumber: detikcom", "Copyright © 2024", "Tag: banjir jakarta",
)  # fmt: skip
TITLES = (
    "Banjir Rendam Jakarta", "Index", "episode", "بانجير", "洪水", "😀😀", "Harga Cabai",
    "", "   ", "Judul & <Tanda> \"Kutip\"", "Banjir Rendam Jakarta", "a" * 300,
)  # fmt: skip
YAML_VALUES = (
    '"teks biasa"', "2024-03-01", "2024-02-30", "0001-01-01", "9999-12-31",
    "2024-03-01T10:00:00+07:00", "[a, b]", "{a: 1}", "123", "true", "null", "~",
    '"\\e[2J\\0"', "https://contoh.id/berita/1", "javascript:alert(1)", "file:///etc/passwd",
    "&a [*a]", "!!binary aGVsbG8=", "'", '"', "a: b: c", "|\n  baris\n  dua",
)  # fmt: skip
FIELDS = ("title", "subtitle", "author", "date", "url", "image", "id", "tags", "lain")
SETTINGS = {
    "podcast": {
        "title": ('"Kabar Kota"', '"\\u001b[2J"', '""', "5", '"' + "x" * 500 + '"'),
        "base_url": (
            '"https://contoh.id/podcast/"', '"http://localhost:8000/"', '"https://a.id/p?x=1"',
            '"ftp://a.id/"', '"https://a.id:99999/"', '"https://u:p@a.id/"', '"nope"',
        ),
        "email": ('"redaksi@contoh.id"', '"bukan-email"'),
        "category": ('"News"', '"Berita"', '"Technology"'),
        "language": ('"id"', '"en"'),
        "image": ('"tidak-ada.png"', '"/dev/zero"', '"."'),
        "explicit": ("true", '"ya"'),
    },
    "audio": {
        "bitrate": ('"64k"', '"96k"', '"0k"', '"banyak"', "64"),
        "channels": ("1", "2", "3", "0"),
        "sample_rate": ("44100", "22050", "-1", "1e9"),
        "loudness": ("-16", "-19.5", "0", '"keras"', "-1000"),
    },
    "input": {"max_bytes": ("2000000", "100", "0", "-5", '"besar"')},
    "noise": {"drop": ("['^Baca']", "['(']", "'x'"), "keep": ("['^Editor']", "[1]")},
}  # fmt: skip


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 12))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(ODD))
    return " ".join(words) + rng.choice([".", ".", "!", "?", "", "…"])


def _paragraph(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(NOISE)
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def article(rng: random.Random) -> bytes:
    """An article file: Markdown with random front matter, or pasted text; now and then
    something that is not an article at all."""
    roll = rng.random()
    if roll < 0.04:
        return rng.choice([b"", b"\x00\x01binary", b"\xff\xfe\x00t", b"caf\xe9 au lait\n"])
    title = rng.choice(TITLES)
    body = [_paragraph(rng) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.4:
        body.insert(rng.randrange(len(body) + 1), f"## {rng.randint(1, 3)}. {_sentence(rng)}")
    if roll < 0.5:
        fields = rng.sample(FIELDS, rng.randint(0, 4))
        head = [f"title: {title!r}"] + [f"{f}: {rng.choice(YAML_VALUES)}" for f in fields]
        if rng.random() < 0.05:
            head.append("x: " + "[" * 3000 + "]" * 3000)
        text = "---\n" + "\n".join(head) + "\n---\n\n" + "\n\n".join(body)
    else:
        text = title + "\n\n" + "\n\n".join(body)
    return text.encode("utf-8", "surrogatepass")


def settings_file(rng: random.Random) -> str | None:
    """A suaraberita.toml: mostly valid, some keys wrong; None for no file."""
    if rng.random() < 0.3:
        return None
    if rng.random() < 0.05:
        return rng.choice(["[podcast\n", "a = " + "[" * 2000 + "]" * 2000, "\x00"])
    lines = []
    for table, keys in SETTINGS.items():
        chosen = [k for k in keys if rng.random() < 0.25]
        if chosen:
            lines.append(f"[{table}]")
            for key in chosen:
                values = keys[key]
                good = rng.random() < 0.75  # the first value of each key is a good one
                lines.append(f"{key} = {values[0] if good else rng.choice(values)}")
    return "\n".join(lines) + "\n"


# --- running and checking --------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: int
    stderr: str
    seconds: float  # CPU time, user and system: steadier than wall time on a busy machine
    max_rss_kb: int


def _limit_memory() -> None:
    """A runaway child fails (MemoryError) instead of taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(args: list[str], cwd: Path, timeout: float = 300) -> Outcome:
    """Run the CLI; its own CPU time and peak memory (from wait4, this child only)."""
    env = {**os.environ, "SUARABERITA_CACHE": str(cwd / ".cache"), "COLUMNS": "100"}
    errors = cwd / ".stderr"
    started = time.monotonic()
    with open(errors, "wb") as sink:  # a file, not a pipe: a long message cannot block it
        proc = subprocess.Popen(
            [sys.executable, "-m", "suaraberita", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            preexec_fn=_limit_memory,
        )
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > started + timeout:
            proc.kill()
            proc.wait()
            pytest.fail(f"{args} did not finish in {timeout} s")
        time.sleep(0.01)
    seconds = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = errors.read_text(encoding="utf-8", errors="replace")
    return Outcome(proc.returncode, stderr, seconds, usage.ru_maxrss)


def assert_clean_exit(outcome: Outcome, what: str) -> None:
    assert outcome.code in DOCUMENTED, (what, outcome.code, outcome.stderr)
    assert "Traceback" not in outcome.stderr, (what, outcome.stderr)
    assert "Unexpected error" not in outcome.stderr, (what, outcome.stderr)


def assert_consistent(output: Path, what: str) -> None:
    """The folder as a listener's app and our own next run would find it."""
    if not output.exists():
        return
    leftovers = [p.name for p in output.rglob(f"{TEMP_PREFIX}*")]
    assert not leftovers, (what, leftovers)
    feed_path = output / "feed.xml"
    if not feed_path.exists():
        assert not list(output.glob("*.mp3")), (what, "MP3s without a feed")
        return
    feed = feedparser.parse(feed_path.read_bytes())
    assert not feed.bozo, (what, feed.bozo_exception)
    guids = set()
    for entry in feed.entries:
        guids.add(entry.id)
        (enclosure,) = entry.enclosures
        mp3 = output / unquote(urlsplit(enclosure.href).path.rsplit("/", 1)[-1])
        assert mp3.is_file(), (what, mp3.name)
        assert mp3.stat().st_size == int(enclosure.length), (what, mp3.name)
        stem = mp3.name.removesuffix(".mp3")
        for suffix in (".chapters.json", ".vtt", ".srt", ".html"):
            assert (output / f"{stem}{suffix}").is_file(), (what, stem + suffix)
    assert (output / "index.html").is_file(), what
    with Store(output / "episodes.db") as store:
        stored = {e.guid for e in store.episodes()}
    assert stored == guids, (what, stored ^ guids)


# --- the targets ------------------------------------------------------------------------


def test_random_articles_and_settings_through_the_cli(tmp_path: Path) -> None:
    """Rounds of narrate (and now and then feed list/check/remove and preview) on one
    output folder until the time budget is spent."""
    rng = random.Random(SEED)
    deadline = time.monotonic() + SECONDS
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        what = f"seed {SEED}, round {rounds}"
        config = settings_file(rng)
        settings_path = tmp_path / "suaraberita.toml"
        if config is None:
            settings_path.unlink(missing_ok=True)
        else:
            settings_path.write_text(config, encoding="utf-8", errors="surrogatepass")
        names = []
        for number in range(rng.randint(1, 3)):
            name = f"r{rounds}-{number}.{rng.choice(['md', 'txt'])}"
            (tmp_path / name).write_bytes(article(rng))
            names.append(name)
        extra = ["--jobs", "2"] if len(names) > 1 and rng.random() < 0.5 else []
        extra += ["--force"] if rng.random() < 0.2 else []
        outcome = run(["narrate", "-q", "--voice", "id-espeak", *extra, *names], tmp_path)
        assert_clean_exit(outcome, f"{what}: narrate {extra} {names}")
        assert_consistent(tmp_path / "output", f"{what}: after narrate")
        command = rng.choice([["feed", "list"], ["feed", "check"], ["preview", names[0]], []])
        if command:
            assert_clean_exit(run(command, tmp_path), f"{what}: {command}")
        if rng.random() < 0.15 and (tmp_path / "output" / "episodes.db").is_file():
            with Store(tmp_path / "output" / "episodes.db") as store:
                slugs = [e.slug for e in store.episodes()]
            if slugs:
                outcome = run(["feed", "remove", rng.choice(slugs)], tmp_path)
                assert_clean_exit(outcome, f"{what}: feed remove")
                assert_consistent(tmp_path / "output", f"{what}: after feed remove")
    assert rounds >= 3, "the time budget ran out before three rounds"


# Long runs that patterns trip on: no spaces, slashes, e-mail and domain shapes, digits
# with separators, capitals, punctuation, and ordinary prose for comparison.
SHAPES = {
    "prose": lambda r: " ".join(r.choice(WORDS) for _ in range(12)) + ". ",
    "no spaces": lambda r: "".join(r.choice("abcdefghij") for _ in range(40)),
    "slashes": lambda r: "a/" * 20,
    "e-mail": lambda r: "a.b@" * 10,
    "domains": lambda r: "kota." * 10,
    "digits": lambda r: "1.2345," * 6,
    "capitals": lambda r: "ABCDEFGH " * 5,
    "punctuation": lambda r: "!?.,;:-" * 6,
    "one paragraph": lambda r: " ".join(r.choice(WORDS[:8]) for _ in range(12)) + " ",
}


def _document(shape: str, size: int, rng: random.Random) -> str:
    parts, length = [], 0
    while length < size:
        piece = SHAPES[shape](rng)
        parts.append(piece)
        length += len(piece)
    return "Judul Berita\n\n" + "".join(parts) + "\n\nIsi berita penutup.\n"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_and_memory_grow_linearly_with_the_article(tmp_path: Path, shape: str) -> None:
    """`preview` (parsing, noise, normalisation, chunking: all but the voice) of one
    shape at n and 2n characters: the growth over a tiny article's run at most triples
    (linear doubles it, quadratic quadruples it). Growths under a quarter second of CPU
    or 8 MB count as that much, so start-up noise cannot fail a shape that costs nothing."""
    rng = random.Random(SEED)
    small = tmp_path / "kecil.txt"
    small.write_text("Judul\n\nIsi berita.\n", encoding="utf-8")
    floor = run(["preview", small.name], tmp_path)
    results = []
    for size in (60_000, 120_000):
        path = tmp_path / f"{size}.txt"
        path.write_text(_document(shape, size, rng), encoding="utf-8")
        outcome = run(["preview", path.name], tmp_path)
        assert_clean_exit(outcome, f"{shape} at {size}")
        results.append(outcome)
    one, two = results
    time_growth = (two.seconds - floor.seconds) / max(0.25, one.seconds - floor.seconds)
    memory_growth = (two.max_rss_kb - floor.max_rss_kb) / max(
        4096, one.max_rss_kb - floor.max_rss_kb
    )
    figures = (
        f"{shape}: {one.seconds:.2f} s, {two.seconds:.2f} s; {one.max_rss_kb}, {two.max_rss_kb} KB"
    )
    assert time_growth < 3.0, figures
    assert memory_growth < 3.0, figures
