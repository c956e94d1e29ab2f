"""The audio cache: keys, atomic entries, info and clear, location, espeak through it, and
its size limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from suaraberita.cache import Cache, cache_key, default_cache_dir
from suaraberita.sound import Pcm
from suaraberita.speech.engine import EngineOptions, create_engine
from suaraberita.speech.voices import find_voice, voice_dirs

KEY = cache_key("gtts", "gtts 2.5.4", {"lang": "id"}, "Selamat pagi.", "mp3")


def test_keys_change_with_every_ingredient() -> None:
    base = ("gtts", "gtts 2.5.4", {"lang": "id", "slow": False}, "Halo.", "mp3")
    keys = {
        cache_key(*base),
        cache_key("espeak", *base[1:]),
        cache_key(base[0], "gtts 2.6.0", *base[2:]),
        cache_key(*base[:2], {"lang": "id", "slow": True}, *base[3:]),
        cache_key(*base[:3], "Halo!", "mp3"),
        cache_key(*base[:4], "wav"),
    }
    assert len(keys) == 6
    # settings order does not matter
    assert cache_key(*base) == cache_key(*base[:2], {"slow": False, "lang": "id"}, *base[3:])


def test_put_get_info_clear(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c")
    assert cache.get(KEY) is None
    assert KEY not in cache
    assert cache.info().entries == 0  # a missing folder is an empty cache
    cache.put(KEY, b"mp3 bytes")
    assert cache.get(KEY) == b"mp3 bytes"
    assert KEY in cache
    other = cache_key("espeak", "1", {}, "x", "wav")
    cache.put(other, b"12345")
    info = cache.info()
    assert (info.path, info.entries, info.size) == (tmp_path / "c", 2, 14)
    # no temporary files are left beside the entries
    files = [p.name for p in (tmp_path / "c").rglob("*") if p.is_file()]
    assert sorted(files) == sorted([KEY, other])
    cache.discard(KEY)
    assert cache.get(KEY) is None
    assert cache.clear() == 1
    assert cache.info().entries == 0


def test_clear_removes_only_cache_entries(tmp_path: Path) -> None:
    """SUARABERITA_CACHE pointed at a folder with other files: those survive a clear."""
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "v1" / "ab").mkdir(parents=True)
    (tmp_path / "v1" / "ab" / "keep.me").write_text("mine too")
    cache = Cache(tmp_path)
    cache.put(KEY, b"x")
    (tmp_path / "v1" / KEY[:2] / ".tmp-leftover").write_bytes(b"half")  # an interrupted write
    assert cache.clear() == 1
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "v1" / "ab" / "keep.me").read_text() == "mine too"
    assert not (tmp_path / "v1" / KEY[:2] / ".tmp-leftover").exists()


def test_a_cache_that_cannot_be_written_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = Cache(blocker)
    cache.put(KEY, b"x")  # no exception
    assert cache.get(KEY) is None
    assert isinstance(cache.write_error, OSError)


def test_bad_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a cache key"):
        Cache(tmp_path).get("../../etc/passwd")


def test_location_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_cache_dir({"SUARABERITA_CACHE": str(tmp_path / "x")}) == tmp_path / "x"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir({}) == tmp_path / "xdg" / "suaraberita"
    assert default_cache_dir({"SUARABERITA_CACHE": " "}) == tmp_path / "xdg" / "suaraberita"


def test_pcm_wav_round_trip() -> None:
    pcm = Pcm(bytes(range(200)), 22050)
    assert Pcm.from_wav(pcm.to_wav()) == pcm
    with pytest.raises(ValueError, match="WAV"):
        Pcm.from_wav(b"RIFF nonsense")


def _refuse(text: str) -> Pcm:
    raise AssertionError(f"synthesised {text!r} again")


def test_espeak_goes_through_the_same_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    voice = find_voice("id-espeak", voice_dirs(Path("/nonexistent")))
    cache = Cache(tmp_path)
    engine = create_engine(voice, EngineOptions(cache=cache))
    texts = ["Selamat pagi.", "Berita hari ini.", "Selamat pagi."]
    first = list(engine.synthesize_all(texts))
    assert [p.rate for p in first] == [22050] * 3
    assert cache.info().entries == 2  # the same text is one entry
    # a second run takes everything from the cache: the engine itself is not called
    again = create_engine(voice, EngineOptions(cache=cache))
    monkeypatch.setattr(again, "synthesize", _refuse)
    assert list(again.synthesize_all(texts)) == first
    # a damaged entry is made again, not returned
    for entry in (tmp_path / "v1").rglob("*.wav"):
        entry.write_bytes(b"damaged")
    assert [p.frames > 1000 for p in engine.synthesize_all(texts[:1])] == [True]


def test_cache_commands(run_cli, tmp_path: Path) -> None:
    env = {"SUARABERITA_CACHE": str(tmp_path / "cache")}
    Cache(tmp_path / "cache").put(KEY, b"0123456789")
    info = run_cli("cache", "info", env=env)
    assert info.code == 0, info.stderr
    assert str(tmp_path / "cache") in info.stdout
    assert "Entries:  1" in info.stdout
    assert "10 bytes" in info.stdout
    cleared = run_cli("cache", "clear", env=env)
    assert cleared.code == 0
    assert "Removed 1 entry from" in cleared.stdout
    assert "Entries:  0" in run_cli("cache", "info", env=env).stdout


def test_trim_keeps_what_was_used_last_within_the_limit(tmp_path: Path) -> None:
    import os

    cache = Cache(tmp_path, limit=3000)
    keys = [cache_key("espeak", "1", {}, f"kalimat {n}", "wav") for n in range(5)]
    for age, key in enumerate(keys):  # key 0 written longest ago
        cache.put(key, bytes(1000))
        path = next((tmp_path / "v1").rglob(key))
        os.utime(path, ns=(age * 10**9, age * 10**9))
    assert cache.get(keys[0]) is not None  # used now: the most recent of all
    (tmp_path / "v1" / keys[1][:2] / ".tmp-writing").write_bytes(bytes(5000))
    assert cache.trim() == 2
    assert [key in cache for key in keys] == [True, False, False, True, True]
    assert cache.info().size == 3000
    assert (tmp_path / "v1" / keys[1][:2] / ".tmp-writing").exists()  # being written
    assert cache.trim() == 0


def test_narrate_keeps_the_cache_under_its_limit(run_cli, tmp_path: Path) -> None:
    from tests.conftest import MARKDOWN_ARTICLE

    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    cache = tmp_path / "cache"
    env = {"SUARABERITA_CACHE": str(cache), "SUARABERITA_CACHE_LIMIT": "1"}
    result = run_cli("narrate", "a.md", "--voice", "id-espeak", env=env)
    assert result.code == 0, result.stderr
    size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    assert 0 < size <= 1_000_000  # its sentences take 1.3 MB in all
    info = run_cli("cache", "info", env=env)
    assert "Limit:    1 MB" in info.stdout


@pytest.mark.parametrize("limit", ["0", "-5", "1.5", "satu"])
def test_a_bad_cache_limit_is_refused_before_any_output(
    run_cli, tmp_path: Path, limit: str
) -> None:
    from tests.conftest import MARKDOWN_ARTICLE

    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    env = {"SUARABERITA_CACHE_LIMIT": limit}
    result = run_cli("narrate", "a.md", "--voice", "id-espeak", env=env)
    assert result.code == 4
    assert "SUARABERITA_CACHE_LIMIT must be a whole number of megabytes" in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    "limit",
    [
        "²",  # isdigit() takes it, int() does not: was an unexpected error, exit 1
        "١٢٣",  # Arabic-Indic digits: was read as 123 MB without a word
        "9" * 5000,  # int() refuses that many digits: was an unexpected error
        "1_000",  # int() takes it
        "+5",
        "nan",
        "inf",
        "10 TB",
        "2.5GB",
        "0 MB",
    ],
)
def test_cache_limit_is_read_strictly(limit: str) -> None:
    from suaraberita.cache import cache_limit
    from suaraberita.errors import ConfigError

    with pytest.raises(ConfigError, match="SUARABERITA_CACHE_LIMIT must be") as caught:
        cache_limit({"SUARABERITA_CACHE_LIMIT": limit})
    assert len(str(caught.value)) < 300  # 5,000 digits are not echoed back


@pytest.mark.parametrize(
    ("limit", "size"),
    [("250", 250_000_000), (" 250 ", 250_000_000), ("500MB", 500_000_000), ("2 GB", 2 * 10**9)],
)
def test_cache_limit_takes_megabytes_or_a_unit(limit: str, size: int) -> None:
    from suaraberita.cache import cache_limit

    assert cache_limit({"SUARABERITA_CACHE_LIMIT": limit}) == size
