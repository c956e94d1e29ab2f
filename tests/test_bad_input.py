"""Bad input through the real command line: every case ends with a short message on
standard error that names the file and says what to do, the documented exit code, no
traceback, and an output folder exactly as it was (a published episode, its feed and
pages untouched; no new MP3, no temporary file left).

Each case runs in a copy of one folder where an article was narrated before (the
`published` fixture), so "nothing changed" is checked byte for byte every time.
docs/robustness.md lists these cases with their messages.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from suaraberita.errors import ExitStatus
from tests.conftest import MARKDOWN_ARTICLE, MD_SLUG, Run

FOLDER = object()  # in Case.files: make a directory of that name
ARTICLE = MARKDOWN_ARTICLE  # the published article: same title, so the same episode
IMPOSSIBLE_DATE = ARTICLE.replace("date: 2021-02-13", "date: 2021-02-30")
WORD_DATE = ARTICLE.replace("date: 2021-02-13", "date: 13 Februari 2021")


# --- the published folder ---------------------------------------------------------------


@pytest.fixture(scope="session", name="baseline")
def baseline_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ARTICLE narrated once with the offline voice (its fingerprint is stored, so
    narrating the same article again is "up to date")."""
    work = tmp_path_factory.mktemp("baseline")
    (work / "kereta.md").write_text(ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "suaraberita", "narrate", "kereta.md", "--voice", "id-espeak"],
        cwd=work,
        capture_output=True,
        env={**os.environ, "SUARABERITA_CACHE": str(work / "cache")},
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return work / "output"


def snapshot(folder: Path) -> dict[str, object]:
    """Every file of an output folder, byte for byte, and the store's episodes as rows.

    The database file itself is compared by content: SQLite may rewrite pages without a
    change (a slug reserved and released again)."""
    files: dict[str, object] = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(("episodes.db", ".suaraberita.lock"))
    }
    uri = f"file:{folder / 'episodes.db'}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        files["episodes.db: episodes"] = db.execute(
            "SELECT * FROM episodes ORDER BY guid"
        ).fetchall()
    return files


@dataclass(frozen=True)
class Published:
    output: Path  # tmp_path / "output", a copy of the baseline
    before: dict[str, object]

    def unchanged(self) -> bool:
        return snapshot(self.output) == self.before

    def differences(self) -> list[str]:
        after = snapshot(self.output)
        names = sorted(set(after) | set(self.before))
        return [name for name in names if after.get(name) != self.before.get(name)]


@pytest.fixture(name="published")
def published_fixture(baseline: Path, tmp_path: Path) -> Published:
    output = tmp_path / "output"
    shutil.copytree(baseline, output)
    (tmp_path / "kereta.md").write_text(ARTICLE, encoding="utf-8")
    return Published(output, snapshot(output))


def assert_short_error(result: Run, code: int, words: tuple[str, ...], hint: bool = True) -> None:
    """The documented exit code; at most three lines; the words (the file's name, what is
    wrong); a hint ("Probable cause: ...") unless told otherwise; no traceback."""
    assert result.code == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 3, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    if hint:
        assert "Probable cause: " in result.stderr, result.stderr


# --- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]  # after "narrate"; --voice id-espeak is added unless given
    code: int
    words: tuple[str, ...]  # must appear in standard error
    files: dict[str, object] = field(default_factory=dict)  # name -> bytes, text or FOLDER
    stdin: bytes | None = None
    hint: bool = True  # a "Probable cause:" line is expected


def _fake_ffmpeg(body: str) -> str:
    """A shell script standing in for ffmpeg; {real} is the real one."""
    return "#!/bin/sh\n" + body + "\n"


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x05x"
BAD_YAML = "---\ntitle: Judul Lain\nauthor: Redaksi: Kota\n---\nIsi berita.\n"

INPUT_CASES = {
    "missing file": Case(("tidak-ada.md",), ExitStatus.INPUT, ("tidak-ada.md", "no such file")),
    "a folder": Case(
        ("kliping",), ExitStatus.INPUT, ("kliping", "directory"), files={"kliping": FOLDER}
    ),
    "empty file": Case(
        ("kosong.md",), ExitStatus.INPUT, ("kosong.md", "empty"), {"kosong.md": b""}
    ),
    "blank file": Case(
        ("spasi.txt",), ExitStatus.INPUT, ("spasi.txt", "empty"), {"spasi.txt": b" \n\t\r\n \n"}
    ),
    "binary file": Case(("foto.png",), ExitStatus.INPUT, ("foto.png", "binary"), {"foto.png": PNG}),
    "a PDF": Case(
        ("berita.pdf",),
        ExitStatus.INPUT,
        ("berita.pdf", "binary", "PDF"),
        {"berita.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x00"},
    ),
    "Windows-1252, not UTF-8": Case(
        ("latin.txt",),
        ExitStatus.INPUT,
        ("latin.txt", "not valid UTF-8", "line 3", "save the file as UTF-8"),
        {"latin.txt": "Judul Berita\n\nHarga naik 5 persen – kata warga.\n".encode("cp1252")},
    ),
    "UTF-16": Case(
        ("utf16.txt",),
        ExitStatus.INPUT,
        ("utf16.txt", "UTF-16", "save the file as UTF-8"),
        {"utf16.txt": "Judul Berita\n\nIsi berita.\n".encode("utf-16")},
    ),
    "too large for an article": Case(
        ("besar.txt",),
        ExitStatus.INPUT,
        ("besar.txt", "too large", "2,000,001 bytes", "max_bytes"),
        {"besar.txt": b"Judul Berita\n\n" + b"Isi berita. " * 166_665 + b"Selesai"},
    ),
    "no title": Case(
        ("tanpa-judul.md",),
        ExitStatus.INPUT,
        ("tanpa-judul.md", "no title"),
        {"tanpa-judul.md": "---\nauthor: Redaksi\n---\n![foto](a.png)\n"},
    ),
    "only a title": Case(
        ("judul-saja.txt",),
        ExitStatus.INPUT,
        ("judul-saja.txt", "no body", "only the headline"),
        {"judul-saja.txt": "Judul Saja Tanpa Isi\n"},
    ),
    "a body of noise only": Case(
        ("iklan.txt",),
        ExitStatus.INPUT,
        ("iklan.txt", "no body", "noise"),
        {
            "iklan.txt": "Judul Berita\n\nBaca Juga: Berita Lain\n\nJudul BeritaFoto warga (Dok. RT)\n"
        },
    ),
    "nothing to say": Case(
        ("tanda.txt",),
        ExitStatus.INPUT,
        ("tanda.txt", "no body", "no word to say"),
        {"tanda.txt": "\\\n\n***\n\n:\n"},
    ),
    "broken YAML front matter": Case(
        ("yaml.md",),
        ExitStatus.INPUT,
        ("yaml.md", "not valid YAML on line 3", "quoted"),
        {"yaml.md": BAD_YAML},
    ),
    "unclosed front matter": Case(
        ("buka.md",),
        ExitStatus.INPUT,
        ("buka.md", "opened on line 1 is not closed"),
        {"buka.md": "---\ntitle: Judul Lain\n\nIsi berita.\n"},
    ),
    "impossible date in front matter": Case(
        ("tanggal.md",),
        ExitStatus.INPUT,
        ("tanggal.md", "line 5", "day is out of range for month"),
        {"tanggal.md": IMPOSSIBLE_DATE},
    ),
    "control character in front matter": Case(
        ("kontrol.md",),
        ExitStatus.INPUT,
        ("kontrol.md", "control character (#x0007) on line 3"),
        {"kontrol.md": "---\ntitle: Judul Lain\nauthor: Red\x07aksi\n---\nIsi berita.\n"},
    ),
    "front matter title is a number": Case(
        ("angka.md",),
        ExitStatus.INPUT,
        ("angka.md", "'title' must be text, not number", 'title: "Judul berita"'),
        {"angka.md": "---\ntitle: 2024\n---\nIsi berita.\n"},
    ),
    "front matter tags are a number": Case(
        ("tags.md",),
        ExitStatus.INPUT,
        ("tags.md", "'tags' must be a list of strings"),
        {"tags.md": "---\ntitle: Judul Lain\ntags: 5\n---\nIsi berita.\n"},
    ),
    "front matter is a list": Case(
        ("daftar.md",),
        ExitStatus.INPUT,
        ("daftar.md", "front matter is a list, not a set of fields"),
        {"daftar.md": "---\n- judul\n- isi\n---\nIsi berita.\n"},
    ),
    "empty standard input": Case(("-",), ExitStatus.INPUT, ("<stdin>", "empty"), stdin=b""),
    "standard input not UTF-8": Case(
        ("-",), ExitStatus.INPUT, ("<stdin>", "not valid UTF-8"), stdin=b"Judul\n\nHarga \x80.\n"
    ),
    "a date in the year 1": Case(
        ("kuno.md",),
        ExitStatus.INPUT,  # was published as 'Mon, 01 Jan 0001', which gPodder reads as 2001
        ("kuno.md", "date '0001-01-01' is outside the years 1900 to 2099", "check the year"),
        {"kuno.md": ARTICLE.replace("date: 2021-02-13", "date: 0001-01-01")},
    ),
    "a date in the year 9999": Case(
        ("kelak.md",),
        ExitStatus.INPUT,
        ("kelak.md", "date '9999-12-31' is outside the years 1900 to 2099"),
        {"kelak.md": ARTICLE.replace("date: 2021-02-13", "date: 9999-12-31")},
    ),
    "a date whose time zone takes it out of range": Case(
        ("awal.md",),
        ExitStatus.INPUT,
        ("awal.md", "is outside the years 1900 to 2099"),
        {"awal.md": ARTICLE.replace("date: 2021-02-13", "date: '0001-01-01T00:00:00+07:00'")},
    ),
    "a date that is not ISO": Case(
        ("kata.md",), ExitStatus.INPUT, ("kata.md", "not an ISO date"), {"kata.md": WORD_DATE}
    ),
}

CONFIG_CASES = {
    "unknown voice": Case(
        ("kereta.md", "--voice", "tidak-ada"), ExitStatus.CONFIG, ("tidak-ada", "id-espeak")
    ),
    "voice profile that is not there": Case(
        ("kereta.md", "--voice", "suara/hilang.toml"),
        ExitStatus.CONFIG,
        ("suara/hilang.toml", "not found"),
        hint=False,
    ),
    "voice profile that is not TOML": Case(
        ("kereta.md", "--voice", "rusak"),
        ExitStatus.CONFIG,
        ("rusak.toml", "not valid TOML", "line 2"),
        {"voices/rusak.toml": 'engine = "espeak"\nlanguage = \n'},
        hint=False,
    ),
    "voice profile with a wrong value": Case(
        ("kereta.md", "--voice", "voices/cepat.toml"),
        ExitStatus.CONFIG,
        ("cepat.toml", "rate must be an int", "no quotes"),
        {"voices/cepat.toml": 'engine = "espeak"\nlanguage = "id"\nrate = "cepat"\n'},
    ),
    "voice profile without an engine": Case(
        ("kereta.md", "--voice", "voices/kosong.toml"),
        ExitStatus.CONFIG,
        ("kosong.toml", "missing key 'engine'"),
        {"voices/kosong.toml": 'language = "id"\n'},
    ),
    "voice profile with a language espeak-ng does not have": Case(
        ("kereta.md", "--voice", "voices/asing.toml"),
        ExitStatus.CONFIG,  # was exit 5, reported against the article
        ("asing.toml", "language 'xx-nope'", "espeak-ng has no such voice", "en-us"),
        {"voices/asing.toml": 'engine = "espeak"\nlanguage = "xx-nope"\n'},
    ),
    "fallback voice with a language espeak-ng does not have": Case(
        ("kereta.md", "--voice", "voices/daring.toml"),
        ExitStatus.CONFIG,
        ("asing.toml", "language 'xx-nope'"),
        {
            "voices/daring.toml": 'engine = "gtts"\nlanguage = "id"\nfallback = "asing"\n',
            "voices/asing.toml": 'engine = "espeak"\nlanguage = "xx-nope"\n',
        },
    ),
    "voice profile with a NUL in its language": Case(
        ("kereta.md", "--voice", "voices/nul.toml"),
        ExitStatus.CONFIG,  # was taken as "id": ctypes stops at the NUL
        ("nul.toml", "language contains a NUL character"),
        {"voices/nul.toml": 'engine = "espeak"\nlanguage = "id\\u0000x"\n'},
        hint=False,
    ),
    "suaraberita.toml that is not TOML": Case(
        ("kereta.md",),
        ExitStatus.CONFIG,
        ("suaraberita.toml", "not valid TOML", "line 2"),
        {"suaraberita.toml": "[podcast]\ntitle = Kabar Kota\n"},
        hint=False,
    ),
    "suaraberita.toml with a wrong type": Case(
        ("kereta.md",),
        ExitStatus.CONFIG,
        ("suaraberita.toml", "podcast.title must be a str", "double quotes"),
        {"suaraberita.toml": "[podcast]\ntitle = 5\n"},
    ),
    "suaraberita.toml with an unknown table": Case(
        ("kereta.md",),
        ExitStatus.CONFIG,
        ("suaraberita.toml", "unknown table 'siaran'", "[podcast]"),
        {"suaraberita.toml": "[siaran]\njudul = 'Kabar'\n"},
    ),
    "--config that is not there": Case(
        ("kereta.md", "--config", "lain.toml"),
        ExitStatus.CONFIG,
        ("lain.toml", "not found"),
        hint=False,
    ),
    "suaraberita.toml nested thousands deep": Case(
        ("kereta.md",),
        ExitStatus.CONFIG,
        ("suaraberita.toml", "cannot be read", "nested too deeply"),
        {"suaraberita.toml": "[podcast]\nx = " + "[" * 5000 + "]" * 5000 + "\n"},
    ),
    "voice profile nested thousands deep": Case(
        ("kereta.md", "--voice", "voices/dalam.toml"),
        ExitStatus.CONFIG,
        ("dalam.toml", "cannot be read", "nested too deeply"),
        {"voices/dalam.toml": 'engine = "espeak"\nx = ' + "{a = " * 5000 + "1" + "}" * 5000},
    ),
    "a lexicon line without a tab": Case(
        ("kereta.md",),
        ExitStatus.CONFIG,
        ("lexicon.tsv", "line 2", "tab"),
        {"lexicon.tsv": "# kata\tucapan\nDPR de pe er\n"},
    ),
}

FFMPEG_CASES = {
    "ffmpeg that fails at once": Case(
        ("kereta.md", "--force"),
        ExitStatus.AUDIO,
        ("ffmpeg failed", "ffmpeg: cannot load libavcodec", "ffmpeg.sh", "IMAGEIO_FFMPEG_EXE"),
        {"ffmpeg.sh": _fake_ffmpeg('echo "ffmpeg: cannot load libavcodec" >&2\nexit 1')},
    ),
    "ffmpeg killed by a signal": Case(
        ("kereta.md", "--force"),
        ExitStatus.AUDIO,
        ("ffmpeg failed", "killed (SIGKILL)", "ffmpeg.sh"),
        {"ffmpeg.sh": _fake_ffmpeg("kill -9 $$")},
    ),
    "ffmpeg that is not there": Case(
        ("kereta.md", "--force"),
        ExitStatus.AUDIO,
        ("cannot start ffmpeg", "no-such-ffmpeg", "IMAGEIO_FFMPEG_EXE"),
    ),
    "ffmpeg without an MP3 encoder": Case(
        ("kereta.md", "--force"),
        ExitStatus.AUDIO,
        ("failed to encode the MP3", "Unknown encoder 'libmp3lame'"),
        {
            "ffmpeg.sh": _fake_ffmpeg(
                'case "$*" in *libmp3lame*) echo "Unknown encoder \'libmp3lame\'" >&2; exit 1;; '
                'esac\nexec "{real}" "$@"'
            )
        },
    ),
    "ffmpeg killed half-way through the MP3": Case(
        ("kereta.md", "--force"),
        ExitStatus.FEED,  # was exit 6: "ffmpeg failed to encode the MP3: killed (SIGXFSZ)"
        ("kereta.md: a file grew past the file size limit in", "output", "ulimit -f"),
        # a file size limit: the real ffmpeg dies after writing 32 kB of the MP3
        {
            "ffmpeg.sh": _fake_ffmpeg(
                'case "$*" in *libmp3lame*) ulimit -f 64;; esac\nexec "{real}" "$@"'
            )
        },
    ),
}


def _prepare(case: Case, folder: Path) -> dict[str, str]:
    """Write the case's files; the environment it runs with."""
    from suaraberita.sound import ffmpeg_path

    env: dict[str, str] = {}
    for name, content in case.files.items():
        path = folder / name
        if content is FOLDER:
            path.mkdir()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.replace("{real}", ffmpeg_path()).encode()
        assert isinstance(content, bytes)
        path.write_bytes(content)
        if name == "ffmpeg.sh":
            path.chmod(0o755)
            env["IMAGEIO_FFMPEG_EXE"] = str(path)
    if "no-such-ffmpeg" in case.words:
        env["IMAGEIO_FFMPEG_EXE"] = str(folder / "no-such-ffmpeg")
    return env


def _run(run_cli, case: Case, folder: Path) -> Run:
    env = _prepare(case, folder)
    voice = () if "--voice" in case.args else ("--voice", "id-espeak")
    return run_cli("narrate", *case.args, *voice, stdin=case.stdin, env=env)


@pytest.mark.parametrize("case", list(INPUT_CASES.values()), ids=list(INPUT_CASES))
def test_bad_article(run_cli, published: Published, tmp_path: Path, case: Case) -> None:
    result = _run(run_cli, case, tmp_path)
    assert_short_error(result, case.code, case.words, case.hint)
    assert published.unchanged(), published.differences()


@pytest.mark.parametrize("case", list(CONFIG_CASES.values()), ids=list(CONFIG_CASES))
def test_bad_voice_or_settings(run_cli, published: Published, tmp_path: Path, case: Case) -> None:
    result = _run(run_cli, case, tmp_path)
    assert_short_error(result, case.code, case.words, case.hint)
    assert published.unchanged(), published.differences()


@pytest.mark.parametrize("case", list(FFMPEG_CASES.values()), ids=list(FFMPEG_CASES))
def test_failing_ffmpeg(run_cli, published: Published, tmp_path: Path, case: Case) -> None:
    """Narrating the published article again (--force) with a broken ffmpeg: exit 6, and
    the episode published before is still there, whole, with its feed."""
    result = _run(run_cli, case, tmp_path)
    assert_short_error(result, case.code, case.words)
    assert published.unchanged(), published.differences()


def test_debug_shows_the_traceback_of_a_failing_ffmpeg(
    run_cli, published: Published, tmp_path: Path
) -> None:
    case = FFMPEG_CASES["ffmpeg that fails at once"]
    env = _prepare(case, tmp_path)
    result = run_cli("--debug", "narrate", "kereta.md", "--force", "--voice", "id-espeak", env=env)
    assert result.code == ExitStatus.AUDIO
    assert "Traceback" in result.stderr
    assert published.unchanged(), published.differences()


def test_hanging_ffmpeg_is_interrupted_cleanly(published: Published, tmp_path: Path) -> None:
    """ffmpeg that never reads its input: suaraberita waits (it has no time limit for
    ffmpeg), and Ctrl-C ends it: exit 130, ffmpeg killed, nothing written."""
    started_file = tmp_path / "ffmpeg.pid"
    script = tmp_path / "ffmpeg.sh"
    script.write_text(f"#!/bin/sh\necho $$ >> {started_file}\nexec sleep 600\n", encoding="utf-8")
    script.chmod(0o755)
    env = {
        **os.environ,
        "SUARABERITA_CACHE": str(tmp_path / ".cache"),
        "IMAGEIO_FFMPEG_EXE": str(script),
    }
    command = [sys.executable, "-m", "suaraberita", "narrate", "kereta.md", "--force"]
    with subprocess.Popen(
        [*command, "--voice", "id-espeak"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        deadline = time.monotonic() + 60
        while not started_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started_file.exists(), "ffmpeg never started"
        time.sleep(0.5)  # the narration is now stuck feeding the hung ffmpeg
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        try:
            _, stderr = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == ExitStatus.INTERRUPTED, stderr.decode()
    assert stderr.decode().strip().splitlines()[-1] == "Interrupted."
    assert "Traceback" not in stderr.decode()
    for pid in started_file.read_text().split():
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)  # no ffmpeg left running
    assert published.unchanged(), published.differences()


# --- what is accepted ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="CRLF"),
        pytest.param(lambda text: text.replace("\n", "\r").encode(), id="CR"),
        pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="BOM"),
        pytest.param(
            lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), id="BOM+CRLF"
        ),
    ],
)
def test_bom_and_windows_line_ends_are_the_same_article(
    run_cli, published: Published, tmp_path: Path, variant
) -> None:
    """The same article saved with a byte order mark or CRLF line ends is the same episode:
    narrate finds it up to date (same parse, same script, same fingerprint)."""
    (tmp_path / "windows.md").write_bytes(variant(ARTICLE))
    result = run_cli("narrate", "windows.md", "--voice", "id-espeak")
    assert result.code == 0, result.stderr
    assert f"{MD_SLUG}.mp3 is up to date" in result.stdout
    assert published.unchanged(), published.differences()


def test_the_size_limit_is_a_setting(run_cli, tmp_path: Path) -> None:
    (tmp_path / "suaraberita.toml").write_text("[input]\nmax_bytes = 1000\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Judul Berita\n\n" + "Isi berita. " * 100, encoding="utf-8")
    result = run_cli("narrate", "a.txt", "--voice", "id-espeak")
    assert_short_error(result, ExitStatus.INPUT, ("a.txt", "too large", "1,000 bytes"))
    result = run_cli("narrate", "-", "--voice", "id-espeak", stdin=b"Judul\n\n" + b"Isi. " * 300)
    assert_short_error(result, ExitStatus.INPUT, ("<stdin>", "too large"))


# --- a batch ----------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_goes_on_after_bad_articles(
    run_cli, published: Published, tmp_path: Path, jobs: str
) -> None:
    """Bad articles among good ones: each bad one gets its own one-line error naming it,
    the good one is published, the published episode is untouched, and exit 8 says some
    failed."""
    (tmp_path / "kosong.md").write_bytes(b"")
    (tmp_path / "kliping").mkdir()
    (tmp_path / "yaml.md").write_text(BAD_YAML, encoding="utf-8")
    (tmp_path / "baru.txt").write_text(
        "Taman Kota Dibuka Lagi\n\nTaman kota dibuka lagi setelah diperbaiki.\n", encoding="utf-8"
    )
    bad = ["hilang.md", "kosong.md", "kliping", "yaml.md"]
    result = run_cli("narrate", *bad, "baru.txt", "--voice", "id-espeak", "--jobs", jobs)
    assert result.code == ExitStatus.PARTIAL, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == len(bad)
    for name in bad:
        assert sum(f"Error: {name}: " in line for line in errors) == 1, (name, result.stderr)
    assert f"{len(bad)} of {len(bad) + 1} articles failed." in result.stderr
    assert (published.output / "taman-kota-dibuka-lagi.mp3").is_file()
    after = snapshot(published.output)
    for name in (f"{MD_SLUG}.mp3", f"{MD_SLUG}.chapters.json", f"{MD_SLUG}.vtt", f"{MD_SLUG}.srt"):
        assert after[name] == published.before[name]
    feed = (published.output / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 2
    assert not list(published.output.glob(".suaraberita-tmp*"))


# --- reading a folder that may not be written ---------------------------------------------


def _stat_all(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry's size and modification time, the folder's own included."""
    entries = {".": (0, folder.stat().st_mtime_ns)}
    for path in folder.rglob("*"):
        info = path.lstat()
        entries[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return entries


def _as_a_narration_leaves_it(folder: Path) -> None:
    """No lock file, and no -wal or -shm file: the last connection removes them
    (snapshot's read-only look made them)."""
    (folder / ".suaraberita.lock").unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(folder / "episodes.db")) as db:
        db.execute("PRAGMA user_version")
    assert not list(folder.glob("episodes.db-*"))


def test_feed_list_writes_nothing(run_cli, published: Published) -> None:
    """Listing opens the store without writing a byte: no lock file, no -wal or -shm
    left or made and removed (the folder's time stays), so it works where nothing may be
    written. Checked by times, as a test run as root could write anywhere."""
    _as_a_narration_leaves_it(published.output)
    time.sleep(0.01)
    before = _stat_all(published.output)
    result = run_cli("feed", "list", "--output", str(published.output))
    assert result.code == 0, result.stderr
    assert MD_SLUG in result.stdout
    assert _stat_all(published.output) == before


def _without_root_powers() -> list[str]:
    """A command prefix under which even root obeys file permissions (setpriv drops
    the capabilities that let root write anywhere); none for another user."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("run as root without setpriv: a 0555 folder would not stop writes")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]


def test_feed_list_on_a_read_only_folder(published: Published, tmp_path: Path) -> None:
    """A folder and store nobody may write (a published copy, a backup): listed all the
    same (was: cannot open the episode store: attempt to write a readonly database,
    exit 7)."""
    _as_a_narration_leaves_it(published.output)
    (published.output / "episodes.db").chmod(0o444)
    published.output.chmod(0o555)
    command = [*_without_root_powers(), sys.executable, "-m", "suaraberita"]
    try:
        proc = subprocess.run(
            [*command, "feed", "list", "--output", str(published.output)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        published.output.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert MD_SLUG in proc.stdout


# --- a full disk (unit cases in tests/test_disk_full.py) -------------------------------------


def _ffmpeg_writing_to(device: str) -> str:
    """A stand-in ffmpeg: the real one, but the encode's output (its last argument)
    goes to `device`."""
    return (
        "#!/bin/sh\n"
        'case "$*" in *libmp3lame*)\n'
        "  n=$#; i=0\n"
        '  for a in "$@"; do i=$((i+1)); if [ $i -eq $n ]; then a=' + device + "; fi; "
        'set -- "$@" "$a"; done\n'
        "  shift $n;;\n"
        "esac\n"
        'exec "{real}" "$@"\n'
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_ffmpeg_on_a_full_disk(run_cli, published: Published, tmp_path: Path) -> None:
    """ffmpeg's own 'No space left on device' (was: ffmpeg failed to encode the MP3:
    Conversion failed!, with advice to reinstall imageio-ffmpeg, exit 6)."""
    case = Case(
        ("kereta.md", "--force"),
        ExitStatus.FEED,
        ("kereta.md: no space left on", "output", "free some space"),
        {"ffmpeg.sh": _ffmpeg_writing_to("/dev/full")},
    )
    result = _run(run_cli, case, tmp_path)
    assert_short_error(result, case.code, case.words)
    assert "reinstall" not in result.stderr
    assert published.unchanged(), published.differences()


def test_file_size_limit_while_spooling(published: Published, tmp_path: Path) -> None:
    """A file size limit of 1 MB: the cache's entries fit (each is one sentence), the
    spool of the whole episode does not (EFBIG; was: Unexpected error: OSError(27, 'File
    too large'), exit 1)."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    command = [sys.executable, "-m", "suaraberita", "narrate", "kereta.md", "--force"]
    proc = subprocess.run(
        [*command, "--voice", "id-espeak"],
        cwd=tmp_path,
        env={**os.environ, "SUARABERITA_CACHE": str(tmp_path / ".cache")},
        preexec_fn=limited,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == ExitStatus.FEED, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "kereta.md: a file grew past the file size limit in" in proc.stderr, proc.stderr
    assert "Probable cause: " in proc.stderr
    assert published.unchanged(), published.differences()
