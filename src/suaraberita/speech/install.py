"""Install a Piper voice model from Piper's voice repository into the user data folder.

The repository's catalogue (`voices.json`) names each voice's files with their size and
MD5; each file is downloaded resumably beside its place (`download.download`), all are
checked, and only then renamed into place, the `.onnx.json` last: a model counts as
installed once its `.onnx` and `.onnx.json` are both there, so it never is half. A
record of the sizes and digests (`.suaraberita-installed.json`) lets a later install
see, without the network, that the model is there and whole.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlsplit

from suaraberita.download import DownloadOptions, Expected, download, fetch_bytes, matches
from suaraberita.errors import ConfigError, FeedError, NetworkError, space_error
from suaraberita.files import atomic_write, read_bounded
from suaraberita.outside import loads_json
from suaraberita.signals import held
from suaraberita.speech.models import ModelFiles, files_beside, model_files, models_dir

if TYPE_CHECKING:
    import requests

    from suaraberita.speech.voices import Voice

PIPER_VOICES_URL = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
CATALOGUE = "voices.json"
CATALOGUE_LIMIT = 20_000_000  # bytes; Piper's whole catalogue is well under 1 MB
RECORD = ".suaraberita-installed.json"
LOCK = ".suaraberita-install.lock"
OPTIONS = DownloadOptions()
_MAX_FILE = 10_000_000_000  # no voice model is larger than this


@dataclass(frozen=True)
class ModelFile:
    """One file to download: where it is in the repository, where it goes, what it is."""

    source: str  # path relative to the repository's base, as the catalogue names it
    target: Path
    expected: Expected

    @property
    def part(self) -> Path:
        return self.target.with_name(self.target.name + ".part")


@dataclass(frozen=True)
class Plan:
    """A model's files as the catalogue describes them, smallest first."""

    name: str
    base_url: str
    files: tuple[ModelFile, ...]

    @property
    def total(self) -> int:
        return sum(file.expected.size for file in self.files)

    def url(self, file: ModelFile) -> str:
        return f"{self.base_url.rstrip('/')}/{quote(file.source)}"


@dataclass(frozen=True)
class Installed:
    name: str
    files: ModelFiles
    size: int  # bytes of the files this install put in place (0 when `already`)
    already: bool  # it was in place before: nothing was downloaded
    verified: bool  # its files match the sizes and digests of the catalogue


class Watcher(Protocol):
    """What the caller shows of an install."""

    def notice(self, message: str) -> None: ...

    def begin(self, plan: Plan, kept: int) -> None:
        """Before the first byte: the plan, and how many of its bytes earlier runs kept."""

    def moved(self, done: int) -> None:
        """How many bytes of the plan are on disk now."""


class Quiet:
    def notice(self, message: str) -> None:
        pass

    def begin(self, plan: Plan, kept: int) -> None:
        pass

    def moved(self, done: int) -> None:
        pass


def install_model(
    name: str,
    base_url: str = PIPER_VOICES_URL,
    *,
    root: Path | None = None,
    force: bool = False,
    watcher: Watcher | None = None,
    options: DownloadOptions = OPTIONS,
    session: requests.Session | None = None,
) -> Installed:
    """Download model `name` (like id_ID-news_tts-medium) from the repository at
    `base_url` into `root/name/` (the user data folder by default), unless it is already
    there and whole (`force` downloads it again)."""
    import requests

    watcher = watcher or Quiet()
    files = model_files(name, root or models_dir())
    check_base_url(base_url)
    folder = files.onnx.parent
    own = session is None
    with _locked(folder, name, watcher), contextlib.ExitStack() as stack:
        if not force and files.installed:
            recorded = _recorded(folder)
            if recorded is None:  # placed there by hand: taken as it is
                return Installed(name, files, 0, already=True, verified=False)
            if all(matches(folder / file, want) for file, want in recorded.items()):
                return Installed(name, files, 0, already=True, verified=True)
            watcher.notice(f"The files of {name} are damaged; downloading them again.")
        session = session or requests.Session()
        if own:
            stack.callback(session.close)
        url = catalogue_url(base_url)
        data = fetch_bytes(url, CATALOGUE_LIMIT, options, session=session)
        plan = read_catalogue(data, base_url, files)
        kept = [min(_size(file.part), file.expected.size) for file in plan.files]
        watcher.begin(plan, sum(kept))
        before = 0
        for file in plan.files:
            download(
                plan.url(file),
                file.part,
                file.expected,
                options,
                progress=_offset(watcher, before),
                session=session,
            )
            before += file.expected.size
        _put_in_place(plan, folder)
    return Installed(name, files, plan.total, already=False, verified=True)


def check_base_url(base_url: str) -> None:
    """Refuse a repository address that is no http(s) address with a host."""
    parts = urlsplit(base_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{base_url!r} is not an address of a voice repository",
            hint="SUARABERITA_PIPER_URL takes an http:// or https:// address, the folder that "
            f"holds {CATALOGUE} (by default {PIPER_VOICES_URL})",
        )


def catalogue_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/{CATALOGUE}"


def read_catalogue(data: bytes, base_url: str, files: ModelFiles) -> Plan:
    """The files of the model `files` belongs to, as the catalogue of the repository at
    `base_url` lists them."""
    name = files.onnx.stem
    url = catalogue_url(base_url)
    try:
        catalogue = loads_json(data)
    except (ValueError, UnicodeDecodeError):
        catalogue = None
    if not isinstance(catalogue, dict):
        raise NetworkError(
            f"the catalogue at {url} is not a JSON voice catalogue",
            hint="SUARABERITA_PIPER_URL must be a copy of Piper's voice repository (the "
            "folder with voices.json); or a proxy or login page answered instead",
        )
    voice = catalogue.get(name)
    if not isinstance(voice, dict):
        raise ConfigError(
            f"no voice {name} in the catalogue at {url}",
            hint="model names look like id_ID-news_tts-medium: the language, the dataset "
            "and the quality",
        )
    listed = voice.get("files")
    targets = {files.onnx.name: files.onnx, files.config.name: files.config}
    targets[files.card.name] = files.card
    found: list[ModelFile] = []
    for source, info in listed.items() if isinstance(listed, dict) else ():
        target = targets.get(str(source).rsplit("/", 1)[-1])
        if target is None:
            continue  # a file the model does not need (a sample, an alias)
        found.append(ModelFile(_source(source, url), target, _expected(info, source, url)))
    missing = sorted({files.onnx.name, files.config.name} - {f.target.name for f in found})
    if missing:
        raise NetworkError(
            f"the catalogue at {url} lists no {' and no '.join(missing)} for voice {name}",
            hint="the catalogue is not Piper's, or the voice is published differently",
        )
    found.sort(key=lambda file: (file.expected.size, file.target.name))
    return Plan(name, base_url, tuple(found))


def _source(source: str, url: str) -> str:
    parts = source.split("/")
    if (
        source.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        or (any(c in source for c in "?#\\\x00"))
    ):
        raise NetworkError(f"the catalogue at {url} names a file {source!r} outside its folder")
    return source


def _expected(info: Any, source: str, url: str) -> Expected:
    size = info.get("size_bytes") if isinstance(info, dict) else None
    md5 = info.get("md5_digest") if isinstance(info, dict) else None
    try:
        if isinstance(size, bool) or not isinstance(size, int) or size > _MAX_FILE:
            raise ValueError(size)
        return Expected(size, str(md5).lower() if isinstance(md5, str) else "")
    except ValueError:
        raise NetworkError(
            f"the catalogue at {url} gives no usable size_bytes and md5_digest for {source}"
        ) from None


def _put_in_place(plan: Plan, folder: Path) -> None:
    """Rename every verified `.part` over its file, the `.onnx.json` last (what makes
    the model count as installed), then record what was installed; a stop waits."""
    order = sorted(plan.files, key=lambda file: file.target.name.endswith(".onnx.json"))
    with held():
        for file in order:
            try:
                with open(file.part, "rb+") as handle:
                    os.fsync(handle.fileno())  # on disk before its name says it is whole
                file.part.replace(file.target)
            except OSError as exc:
                problem = f"cannot put {file.target.name} in place: {exc.strerror}"
                raise space_error(exc, folder) or FeedError(problem, path=folder) from None
        described = {
            file.target.name: {"size_bytes": file.expected.size, "md5_digest": file.expected.md5}
            for file in plan.files
        }
        record = {"model": plan.name, "source": plan.base_url, "files": described}
        atomic_write(folder / RECORD, json.dumps(record, indent=2).encode() + b"\n")


def _recorded(folder: Path) -> dict[str, Expected] | None:
    """File name -> what it should be, as the last install recorded; None without one."""
    try:
        record = loads_json(read_bounded(folder / RECORD, 1_000_000, "install record"))
        return {
            name: Expected(info["size_bytes"], info["md5_digest"])
            for name, info in record["files"].items()
            if "/" not in name and not name.startswith(".")
        }
    except (ConfigError, ValueError, KeyError, TypeError, AttributeError):
        return None


@contextlib.contextmanager
def _locked(folder: Path, name: str, watcher: Watcher) -> Iterator[None]:
    """One install of a model at a time; a second waits for the first (which may have
    installed it meanwhile). Not `files.folder_lock`: that holds Ctrl-C back, and a
    download must stay stoppable."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK, "a+b")  # closed below
    except OSError as exc:
        raise space_error(exc, folder) or FeedError(
            f"cannot write in the voice folder: {exc.strerror}", path=folder
        ) from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            watcher.notice(f"Another suaraberita is installing {name}; waiting for it to finish.")
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _offset(watcher: Watcher, before: int) -> Callable[[int], None]:
    """A file's progress as the plan's: the bytes of the files before it added."""
    return lambda done: watcher.moved(before + done)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def model_to_install(name: str, dirs: tuple[Path, ...]) -> str:
    """The model `voices install NAME` downloads: that of the Piper profile NAME, or
    NAME itself when no profile is so called."""
    from suaraberita.speech.voices import available_voices, load_voice

    path = available_voices(dirs).get(name)
    if path is None:
        return name
    voice = load_voice(path)
    if voice.engine != "piper":
        raise ConfigError(
            f"voice {name} speaks with the {voice.engine} engine: there is nothing to install",
            hint="only Piper voices download a model; 'suaraberita voices' shows each voice",
        )
    model = voice.piper.model
    if not model:
        raise ConfigError(f"voice {name} names no Piper model", path=path, hint=_MODEL_HINT)
    if voice.piper.model_path is not None:
        raise ConfigError(
            f"voice {name} uses the model file {model}: there is nothing to download",
            path=path,
            hint=_MODEL_HINT,
        )
    return model


@dataclass(frozen=True)
class ModelState:
    """Whether a Piper profile's model is on this machine."""

    files: ModelFiles
    installed: bool
    named: bool  # named (installed with `voices install`), not given as a path


def model_state(voice: Voice, root: Path | None = None) -> ModelState:
    """Where a Piper profile's model is, and whether it is there (files not read)."""
    if voice.piper.model_path is not None:
        files = files_beside(voice.piper.model_path)
        return ModelState(files, files.installed, named=False)
    files = model_files(voice.piper.model, root or models_dir())
    return ModelState(files, files.installed, named=True)


_MODEL_HINT = (
    'set [piper] model = "id_ID-news_tts-medium" (a name from Piper\'s voice repository) '
    "in the profile, or a path to an .onnx with its .onnx.json beside it"
)
