"""`suaraberita voices install` and the `voices` listing, against a stand-in of Piper's
voice repository on 127.0.0.1 (tests/voicerepo.py); the user data folder is a temporary
one (XDG_DATA_HOME)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from suaraberita.download import DownloadOptions, Expected, download
from suaraberita.errors import ConfigError, FeedError, NetworkError, NoSpaceError, SuaraberitaError
from suaraberita.speech.install import Plan, install_model, read_catalogue
from suaraberita.speech.models import model_files
from tests.voicerepo import CARD, FOLDER, MODEL, Repo, catalogue, serve

ONNX = f"{FOLDER}/{MODEL}.onnx"
CONFIG = f"{FOLDER}/{MODEL}.onnx.json"
FAST = DownloadOptions(backoff=0.0, retries=2, read_timeout=5.0)


@pytest.fixture
def repo() -> Iterator[Repo]:
    with serve() as running:
        yield running


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def env(repo: Repo, data: Path) -> dict[str, str]:
    return {"XDG_DATA_HOME": str(data), "SUARABERITA_PIPER_URL": repo.url}


def folder_of(data: Path) -> Path:
    return data / "suaraberita" / "voices" / MODEL


def assert_installed(data: Path, repo: Repo) -> None:
    folder = folder_of(data)
    for source in (ONNX, CONFIG, f"{FOLDER}/MODEL_CARD"):
        target = folder / source.rsplit("/", 1)[1]
        assert target.read_bytes() == repo.files[source], target
    assert not list(folder.glob("*.part"))


def resumed_at(header: str | None) -> int:
    """The start of a `Range: bytes=N-` request."""
    assert header is not None
    assert header.startswith("bytes=")
    assert header.endswith("-")
    return int(header[6:-1])


def assert_clean_failure(result, code: int = 9) -> None:
    assert result.code == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")


def test_install_puts_checked_files_in_place(run_cli, repo: Repo, data: Path, env) -> None:
    result = run_cli("voices", "install", "id-piper", env=env)
    assert result.code == 0, result.stderr
    assert f"Downloading {MODEL}: 3 files, 0.3 MB" in result.stdout
    assert f"from {repo.url}" in result.stdout
    assert f"Installed {MODEL} (0.3 MB) in {folder_of(data)}." in result.stdout
    assert "Licence (from its model card): CC0 stand-in" in result.stdout
    assert_installed(data, repo)
    listing = run_cli("voices", env=env)
    assert listing.code == 0
    line = listing.stdout.splitlines()[listing.stdout.splitlines().index(
        next(x for x in listing.stdout.splitlines() if x.startswith("id-piper"))) + 1]  # fmt: skip
    assert "installed, offline" in line
    assert "licence: CC0 stand-in" in line
    assert "Not installed" not in listing.stdout


def test_listing_says_how_to_install(run_cli, env) -> None:
    result = run_cli("voices", env=env)
    assert result.code == 0
    assert "\nid-espeak " in result.stdout
    assert "built in, offline" in result.stdout
    assert "online (needs the internet)" in result.stdout
    assert "not installed — suaraberita voices install id-piper" in result.stdout
    assert "Not installed: id-piper." in result.stdout


def test_a_model_name_is_installed_too(run_cli, repo: Repo, data: Path, env) -> None:
    result = run_cli("voices", "install", MODEL, env=env)
    assert result.code == 0, result.stderr
    assert_installed(data, repo)


def test_already_installed_sends_no_request(run_cli, repo: Repo, data: Path, env) -> None:
    assert run_cli("voices", "install", "id-piper", env=env).code == 0
    repo.requests.clear()
    again = run_cli("voices", "install", "id-piper", env=env)
    assert again.code == 0
    assert "already installed" in again.stdout
    assert "sizes and MD5 checked" in again.stdout
    assert repo.requests == []
    forced = run_cli("voices", "install", "id-piper", "--force", env=env)
    assert forced.code == 0
    assert repo.seen(ONNX) == [(None, 200)]
    assert_installed(data, repo)


def test_damaged_installed_file_is_downloaded_again(run_cli, repo: Repo, data: Path, env) -> None:
    assert run_cli("voices", "install", "id-piper", env=env).code == 0
    onnx = folder_of(data) / f"{MODEL}.onnx"
    damaged = bytearray(onnx.read_bytes())
    damaged[1000] ^= 0xFF
    onnx.write_bytes(bytes(damaged))
    result = run_cli("voices", "install", "id-piper", env=env)
    assert result.code == 0, result.stderr
    assert "damaged" in result.stderr
    assert_installed(data, repo)


def test_wrong_checksum_installs_nothing(run_cli, repo: Repo, data: Path, env) -> None:
    described = catalogue(repo.files)
    described[MODEL]["files"][ONNX]["md5_digest"] = "0" * 32  # type: ignore[index]
    repo.catalogue = json.dumps(described).encode()
    result = run_cli("voices", "install", "id-piper", env=env)
    assert_clean_failure(result)
    assert f"checksum mismatch for {MODEL}.onnx" in result.stderr
    assert "run the same command again" in result.stderr
    folder = folder_of(data)
    assert not (folder / f"{MODEL}.onnx").exists()
    assert not (folder / f"{MODEL}.onnx.json").exists()
    assert not (folder / f"{MODEL}.onnx.part").exists()  # nothing that would pass later
    assert "not installed" in run_cli("voices", env=env).stdout
    repo.catalogue = None  # the catalogue is right again: the next run installs
    assert run_cli("voices", "install", "id-piper", env=env).code == 0
    assert_installed(data, repo)


def test_size_declared_differently_is_a_mismatch(run_cli, repo: Repo, data: Path, env) -> None:
    described = catalogue(repo.files)
    described[MODEL]["files"][ONNX]["size_bytes"] += 10  # type: ignore[index]
    repo.catalogue = json.dumps(described).encode()
    result = run_cli("voices", "install", "id-piper", env=env)
    assert_clean_failure(result)
    assert "checksum mismatch" in result.stderr
    assert f"has {len(repo.files[ONNX]):,} bytes" in result.stderr
    kept = sorted(path.name for path in folder_of(data).glob("*.onnx*"))
    assert kept == [f"{MODEL}.onnx.json.part"]  # checked and right: kept for the next run


def test_dropped_connection_resumes_with_range(run_cli, repo: Repo, data: Path, env) -> None:
    repo.fault(ONNX, "drop")
    result = run_cli("voices", "install", "id-piper", env=env)
    assert result.code == 0, result.stderr
    (first, _), (resumed, status) = repo.seen(ONNX)
    assert (first, status) == (None, 206)
    assert 0 < resumed_at(resumed) <= len(repo.files[ONNX]) // 2  # what arrived before the cut
    assert_installed(data, repo)


def test_part_kept_from_an_earlier_run_resumes(run_cli, repo: Repo, data: Path, env) -> None:
    folder = folder_of(data)
    folder.mkdir(parents=True)
    (folder / f"{MODEL}.onnx.part").write_bytes(repo.files[ONNX][:100_000])
    result = run_cli("voices", "install", "id-piper", env=env)
    assert result.code == 0, result.stderr
    assert "resuming after 0.1 MB kept from before" in result.stdout
    assert repo.seen(ONNX) == [("bytes=100000-", 206)]
    assert_installed(data, repo)


def test_damaged_part_fails_once_then_installs(run_cli, repo: Repo, data: Path, env) -> None:
    folder = folder_of(data)
    folder.mkdir(parents=True)
    (folder / f"{MODEL}.onnx.part").write_bytes(b"\0" * 100_000)  # not the file's start
    first = run_cli("voices", "install", "id-piper", env=env)
    assert_clean_failure(first)
    assert "checksum mismatch" in first.stderr
    assert not (folder / f"{MODEL}.onnx.part").exists()
    assert run_cli("voices", "install", "id-piper", env=env).code == 0
    assert_installed(data, repo)


def test_server_ignoring_range_restarts_from_zero(run_cli, repo: Repo, data: Path, env) -> None:
    repo.fault(ONNX, "drop", "ignore-range")
    result = run_cli("voices", "install", "id-piper", env=env)
    assert result.code == 0, result.stderr
    (first, _), (resumed, status) = repo.seen(ONNX)
    assert (first, status) == (None, 200)
    assert resumed_at(resumed) > 0
    assert_installed(data, repo)


def test_not_found_names_the_address(run_cli, repo: Repo, data: Path, env) -> None:
    del repo.files[ONNX]
    repo.catalogue = json.dumps(catalogue({**repo.files, ONNX: b"x" * 10})).encode()
    result = run_cli("voices", "install", "id-piper", env=env)
    assert_clean_failure(result)
    assert f"not found at {repo.url}/{ONNX} (HTTP 404)" in result.stderr
    assert not (folder_of(data) / f"{MODEL}.onnx.json").exists()


def test_refused_says_so(run_cli, repo: Repo, env) -> None:
    repo.fault(ONNX, "403")
    result = run_cli("voices", "install", "id-piper", env=env)
    assert_clean_failure(result)
    assert "refused by 127.0.0.1 (HTTP 403)" in result.stderr


def test_nothing_listening_cannot_reach(run_cli, data: Path) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, not listening: refused
    try:
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
        env = {"XDG_DATA_HOME": str(data), "SUARABERITA_PIPER_URL": url}
        result = run_cli("voices", "install", "id-piper", env=env)
    finally:
        closed.close()
    assert_clean_failure(result)
    assert "cannot reach 127.0.0.1" in result.stderr
    assert "check the network" in result.stderr


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/voices", "127.0.0.1:8000", "http://"])
def test_repository_address_that_is_none(run_cli, data: Path, url: str) -> None:
    env = {"XDG_DATA_HOME": str(data), "SUARABERITA_PIPER_URL": url}
    result = run_cli("voices", "install", "id-piper", env=env)
    assert_clean_failure(result, 4)
    assert "is not an address of a voice repository" in result.stderr
    assert "SUARABERITA_PIPER_URL takes an http:// or https:// address" in result.stderr


def test_catalogue_that_is_not_json(run_cli, repo: Repo, env) -> None:
    repo.catalogue = b"<html>Please log in</html>"
    result = run_cli("voices", "install", "id-piper", env=env)
    assert_clean_failure(result)
    assert f"the catalogue at {repo.url}/voices.json is not a JSON voice catalogue" in (
        result.stderr
    )


def test_voice_absent_from_the_catalogue(run_cli, repo: Repo, env) -> None:
    result = run_cli("voices", "install", "xx_XX-nothing-low", env=env)
    assert_clean_failure(result, 4)
    assert f"no voice xx_XX-nothing-low in the catalogue at {repo.url}/voices.json" in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("id-google", "speaks with the gtts engine: there is nothing to install"),
        ("id-espeak", "speaks with the espeak engine"),
        ("../etc", "is not a model name"),
    ],
)
def test_what_cannot_be_installed(run_cli, env, name: str, message: str) -> None:
    result = run_cli("voices", "install", name, env=env)
    assert_clean_failure(result, 4)
    assert message in result.stderr


def test_profile_with_a_model_path(run_cli, tmp_path: Path, env) -> None:
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices/bad-piper.toml").write_text(
        'engine = "piper"\nlanguage = "id"\n[piper]\nmodel = "id ID"\n'
    )
    (tmp_path / "voices/my-piper.toml").write_text(
        'engine = "piper"\nlanguage = "en"\n[piper]\nmodel = "models/joe.onnx"\n'
    )
    listed = run_cli("voices", env=env)
    assert f"model file missing: {tmp_path}/voices/models/joe.onnx" in listed.stdout
    assert "Not installed: id-piper." in listed.stdout  # the path one is no install's job
    assert "bad-piper        cannot be used: piper.model = 'id ID' is neither" in listed.stdout
    result = run_cli("voices", "install", "my-piper", env=env)
    assert_clean_failure(result, 4)
    assert "uses the model file models/joe.onnx: there is nothing to download" in result.stderr
    models = tmp_path / "voices/models"
    models.mkdir()
    (models / "joe.onnx").write_bytes(b"x")
    (models / "joe.onnx.json").write_text("{}")
    (models / "MODEL_CARD").write_text("License: MIT\n")
    listed = run_cli("voices", env=env)
    assert "licence: MIT" in listed.stdout


def test_concurrent_installs_download_once(repo: Repo, data: Path, env, tmp_path: Path) -> None:
    repo.delay = 0.05  # ten chunks: half a second for the network file
    command = [sys.executable, "-m", "suaraberita", "voices", "install", "id-piper"]
    full = {**os.environ, **env}
    procs = [
        subprocess.Popen(command, cwd=tmp_path, env=full, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert repo.seen(ONNX) == [(None, 200)]
    said = b"".join(out + err for out, err in outputs).decode()
    assert "already installed" in said
    assert_installed(data, repo)


def test_ctrl_c_keeps_the_part_and_the_next_run_resumes(
    run_cli, repo: Repo, data: Path, env, tmp_path: Path
) -> None:
    repo.delay = 0.2  # ten chunks: two seconds for the network file
    command = [sys.executable, "-m", "suaraberita", "voices", "install", "id-piper"]
    proc = subprocess.Popen(
        command, cwd=tmp_path, env={**os.environ, **env}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    part = folder_of(data) / f"{MODEL}.onnx.part"
    deadline = time.monotonic() + 30
    while not (part.exists() and part.stat().st_size > 0) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "the same command resumes it" in err.decode()
    kept = part.stat().st_size
    assert 0 < kept < len(repo.files[ONNX])
    repo.delay = 0.0
    result = run_cli("voices", "install", "id-piper", env=env)
    assert result.code == 0, result.stderr
    assert repo.seen(ONNX)[-1] == (f"bytes={kept}-", 206)
    assert_installed(data, repo)


# The library below the command line


class Watched:
    def __init__(self) -> None:
        self.notices: list[str] = []
        self.plans: list[tuple[Plan, int]] = []
        self.moves: list[int] = []

    def notice(self, message: str) -> None:
        self.notices.append(message)

    def begin(self, plan: Plan, kept: int) -> None:
        self.plans.append((plan, kept))

    def moved(self, done: int) -> None:
        self.moves.append(done)


def test_progress_runs_up_to_the_total(repo: Repo, tmp_path: Path) -> None:
    watched = Watched()
    done = install_model(MODEL, repo.url, root=tmp_path, watcher=watched, options=FAST)
    ((plan, kept),) = watched.plans
    total = sum(len(body) for body in repo.files.values())
    assert (plan.total, kept, done.size) == (total, 0, total)
    assert watched.moves[-1] == total
    assert watched.moves == sorted(watched.moves)
    assert [file.target.name for file in plan.files][-1] == f"{MODEL}.onnx"  # largest last
    record = json.loads((tmp_path / MODEL / ".suaraberita-installed.json").read_text())
    assert (
        record["files"][f"{MODEL}.onnx"]["md5_digest"] == hashlib.md5(repo.files[ONNX]).hexdigest()
    )


def test_drops_every_time_keep_the_part_and_say_run_again(repo: Repo, tmp_path: Path) -> None:
    repo.fault(ONNX, "drop", "drop-at-once", "drop-at-once")  # FAST tries twice more
    with pytest.raises(NetworkError, match="kept dropping") as caught:
        install_model(MODEL, repo.url, root=tmp_path, options=FAST)
    assert "run the same command again to resume" in str(caught.value)
    kept = (tmp_path / MODEL / f"{MODEL}.onnx.part").read_bytes()
    assert 0 < len(kept) <= len(repo.files[ONNX]) // 2
    assert kept == repo.files[ONNX][: len(kept)]
    assert repo.seen(ONNX)[-1] == (f"bytes={len(kept)}-", 206)
    assert not model_files(MODEL, tmp_path).installed
    install_model(MODEL, repo.url, root=tmp_path, options=FAST)
    assert (tmp_path / MODEL / f"{MODEL}.onnx").read_bytes() == repo.files[ONNX]


def test_cut_at_the_same_place_from_the_start_gives_up(repo: Repo, tmp_path: Path) -> None:
    """A server that ignores Range and a line that cuts each answer at the same place: the
    file never grows, so the tries end (no endless loop)."""
    repo.fault(ONNX, "drop", "ignore-range-drop", "ignore-range-drop", "ignore-range-drop")
    with pytest.raises(NetworkError, match="kept dropping"):
        install_model(MODEL, repo.url, root=tmp_path, options=FAST)
    assert [status for _, status in repo.seen(ONNX)] == [200, 200, 200]


def test_busy_server_is_asked_again(repo: Repo, tmp_path: Path) -> None:
    repo.fault(ONNX, "503", "503")
    install_model(MODEL, repo.url, root=tmp_path, options=FAST)
    assert [status for _, status in repo.seen(ONNX)] == [503, 503, 200]
    repo.fault(ONNX, "503", "503", "503")
    with pytest.raises(NetworkError, match="HTTP 503"):
        install_model(MODEL, repo.url, root=tmp_path, options=FAST, force=True)


def test_silent_line_times_out_and_resumes(repo: Repo, tmp_path: Path) -> None:
    repo.fault(ONNX, "stall")
    quick = DownloadOptions(backoff=0.0, retries=2, read_timeout=0.5)
    install_model(MODEL, repo.url, root=tmp_path, options=quick)
    (_, first), (resumed, second) = repo.seen(ONNX)
    assert (first, second) == (200, 206)
    assert resumed_at(resumed) > 0
    assert (tmp_path / MODEL / f"{MODEL}.onnx").read_bytes() == repo.files[ONNX]


def test_resume_follows_a_redirect_with_its_range(repo: Repo, tmp_path: Path) -> None:
    repo.fault(ONNX, "redirect", "drop", "redirect")
    install_model(MODEL, repo.url, root=tmp_path, options=FAST)
    statuses = [status for _, status in repo.seen(ONNX)]
    assert statuses == [302, 200, 302, 206]
    assert resumed_at(repo.seen(ONNX)[2][0]) == resumed_at(repo.seen(ONNX)[3][0]) > 0
    assert (tmp_path / MODEL / f"{MODEL}.onnx").read_bytes() == repo.files[ONNX]


def test_the_config_goes_in_place_last(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .onnx.json makes a model count as installed: renamed after the others, and a
    failed rename before it leaves the model not installed."""
    renamed: list[str] = []
    failed: list[Path] = []
    real = Path.replace

    def replace(self: Path, target: Path) -> Path:
        if self.name.endswith(".part"):
            renamed.append(Path(target).name)
            if Path(target).name == f"{MODEL}.onnx" and not failed:
                failed.append(target)
                raise OSError(errno.EIO, "Input/output error")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(SuaraberitaError, match=f"cannot put {MODEL}.onnx in place"):
        install_model(MODEL, repo.url, root=tmp_path, options=FAST)
    assert not model_files(MODEL, tmp_path).installed
    renamed.clear()
    install_model(MODEL, repo.url, root=tmp_path, options=FAST)
    assert renamed == ["MODEL_CARD", f"{MODEL}.onnx", f"{MODEL}.onnx.json"]
    assert model_files(MODEL, tmp_path).installed


def test_range_past_the_end_starts_again(repo: Repo, tmp_path: Path) -> None:
    """A .part longer than the server's file (which changed) gets 416: the file is asked
    for whole, and its size shows it is not the one the catalogue describes."""
    body = repo.files[ONNX] = repo.files[ONNX][:1000]
    url = f"{repo.url}/{ONNX}"
    part = tmp_path / "x.onnx.part"
    part.write_bytes(body + b"more")
    with pytest.raises(NetworkError, match=r"checksum mismatch for x\.onnx: .* has 1,000 bytes"):
        download(url, part, Expected(2000, "0" * 32), FAST)
    assert repo.seen(ONNX) == [("bytes=1004-", 416), (None, 200)]
    assert not part.exists()


def test_part_longer_than_the_file_is_fetched_anew(repo: Repo, tmp_path: Path) -> None:
    body = repo.files[ONNX]
    part = tmp_path / "x.onnx.part"
    part.write_bytes(body + b"extra")
    download(f"{repo.url}/{ONNX}", part, Expected(len(body), hashlib.md5(body).hexdigest()), FAST)
    assert part.read_bytes() == body
    assert repo.seen(ONNX) == [(None, 200)]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_full_disk_is_said_so(repo: Repo, tmp_path: Path) -> None:
    part = tmp_path / "x.onnx.part"
    part.symlink_to("/dev/full")  # every write: ENOSPC
    body = repo.files[ONNX]
    with pytest.raises(NoSpaceError, match=f"no space left on {tmp_path}"):
        download(f"{repo.url}/{ONNX}", part, Expected(len(body), hashlib.md5(body).hexdigest()))


def test_voice_folder_that_cannot_be_made(repo: Repo, tmp_path: Path) -> None:
    (tmp_path / "voices").write_text("a file where the folder should be")
    with pytest.raises(FeedError, match="cannot write in the voice folder"):
        install_model(MODEL, repo.url, root=tmp_path / "voices", options=FAST)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({f"{FOLDER}/MODEL_CARD": CARD}, "lists no"),
        ({f"../{MODEL}.onnx": b"x", f"{MODEL}.onnx.json": b"{}"}, "outside its folder"),
    ],
)
def test_catalogue_shapes_refused(tmp_path: Path, files: dict[str, bytes], message: str) -> None:
    data = json.dumps(catalogue(files)).encode()
    with pytest.raises(NetworkError, match=message):
        read_catalogue(data, "http://127.0.0.1:9", model_files(MODEL, tmp_path))


def test_catalogue_entry_without_md5_refused(tmp_path: Path) -> None:
    described = catalogue({ONNX: b"x", CONFIG: b"{}"})
    del described[MODEL]["files"][ONNX]["md5_digest"]  # type: ignore[index]
    with pytest.raises(NetworkError, match="no usable size_bytes and md5_digest"):
        read_catalogue(json.dumps(described).encode(), "http://h", model_files(MODEL, tmp_path))
    with pytest.raises(ConfigError, match="no voice"):
        read_catalogue(b"{}", "http://h", model_files(MODEL, tmp_path))
