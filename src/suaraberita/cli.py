"""Command line: parse options, call the pipeline, report. Errors are handled in main()."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import click

from suaraberita import __version__
from suaraberita.errors import (
    ConfigError,
    ExitStatus,
    FeedError,
    InputError,
    SuaraberitaError,
    Terminated,
)
from suaraberita.signals import stoppable
from suaraberita.speech.voices import DEFAULT_VOICE
from suaraberita.terminal import printable

WIB_ZONE = timezone(timedelta(hours=7), "WIB")  # a date given without a zone is Jakarta time
F = TypeVar("F", bound=Callable[..., Any])
LINE_MAX = 2_000_000  # characters of a line `normalize -` reads: the article limit


def echo(message: str = "", err: bool = False) -> None:
    """Print with hidden characters escaped: a file name, an article or a message
    quoting one may carry terminal escape sequences."""
    click.echo("\n".join(printable(line) for line in message.split("\n")), err=err)


class WholeNumber(click.ParamType):
    """A whole number in ASCII digits within [low, high] (click's int() would take
    '١٢' and '1_000'); read by the one helper every number from outside goes through."""

    name = "integer"

    def __init__(self, low: int, high: int | None = None) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from suaraberita.outside import whole_number

        if isinstance(value, int):
            return value  # a default
        number = whole_number(str(value))
        if number is None:
            text = str(value)
            shown = text if len(text) <= 20 else text[:20] + "..."
            self.fail(f"{shown!r} is not a whole number (digits 0-9)", param, ctx)
        if number < self.low or (self.high is not None and number > self.high):
            top = f" to {self.high}" if self.high is not None else " or more"
            self.fail(f"{number} is not in the range {self.low}{top}", param, ctx)
        return number


def voice_option(command: F) -> F:
    return click.option(
        "--voice",
        default=DEFAULT_VOICE,
        show_default=True,
        metavar="NAME|PATH",
        help="Voice profile: a name from 'suaraberita voices' or a path to a .toml file.",
    )(command)


def config_option(command: F) -> F:
    return click.option(
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Podcast settings file [default: ./suaraberita.toml when present].",
    )(command)


phonemes_option = click.option(
    "--phonemes",
    is_flag=True,
    help="Print the phonemes (espeak-ng IPA) the offline voice will say instead of the text.",
)
refresh_option = click.option(
    "--refresh",
    is_flag=True,
    help="Fetch article addresses again instead of using the copy kept in the cache.",
)


def base_url_option(command: F) -> F:
    return click.option(
        "--base-url",
        help="Where the output folder will be published (overrides podcast.base_url).",
    )(command)


def output_option(command: F) -> F:
    return click.option(
        "--output",
        "-o",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("output"),
        show_default=True,
        help="Folder for the MP3 files, episode store and feed.",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="suaraberita")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
def cli(debug: bool) -> None:
    """Turn Indonesian news articles into podcast episodes.

    Example: suaraberita narrate examples/bus-listrik-tirtasari.txt
    """


def narration_options(command: F) -> F:
    """The options of every command that narrates: voice, where, and how."""
    for option in reversed(
        (
            voice_option,
            output_option,
            config_option,
            base_url_option,
            click.option(
                "--quiet", "-q", is_flag=True, help="Print nothing but errors and warnings."
            ),
            click.option(
                "--no-fallback",
                is_flag=True,
                help="If the voice's service (Google, Edge) cannot be reached or refuses, "
                "fail (exit 9) instead of narrating with the voice's offline fallback.",
            ),
            click.option(
                "--force", is_flag=True, help="Narrate again even when nothing has changed."
            ),
            click.option(
                "--replace",
                is_flag=True,
                help="Let an article without an id or address replace the episode of a "
                "different article with the same title (otherwise that is an error).",
            ),
            refresh_option,
            click.option(
                "--jobs",
                "-j",
                type=WholeNumber(1),
                help="Articles narrated at once, in separate processes "
                "[default: the number of CPUs].",
            ),
        )
    ):
        command = option(command)
    return command


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@narration_options
@click.option(
    "--sample",
    is_flag=True,
    help="Only make a 20-second sample of each article's opening in OUTPUT/samples/, "
    "to compare voices before a long run (the feed is left alone).",
)
def narrate(files: tuple[str, ...], sample: bool, **how: Any) -> None:
    """Narrate articles (a news page's address, a saved web page, Markdown or pasted
    text; '-' for standard input) into MP3 episodes with chapters, and add them to the
    podcast feed.

    Example: suaraberita narrate examples/bus-listrik-tirtasari.txt --output output
    """
    if sample:
        how["no_fallback"] = True  # a sample of another voice would compare nothing
    options, lexicon = _narrate_options(**how)
    limit = options.settings.input.max_bytes
    stdin = click.get_binary_stream("stdin").read(limit + 1) if "-" in files else None
    if sample:
        for source in files:
            _sample(source, options, lexicon, stdin)
        return
    failures = _narrate_all(files, options, lexicon, how["jobs"], how["quiet"], stdin)
    if failures:
        echo(f"{len(failures)} of {_count(len(files), 'article')} failed.", err=True)
        sys.exit(ExitStatus.PARTIAL)


@cli.command()
@click.argument("feed", metavar="FEED")
@click.option("--limit", type=WholeNumber(1), help="Narrate at most N new items (the newest).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    help="Only items published on or after this date (YYYY-MM-DD, WIB).",
)
@narration_options
def follow(feed: str, limit: int | None, since: datetime | None, **how: Any) -> None:
    """Narrate the new items of a news site's RSS or Atom feed (newest first) and add
    them to the podcast feed. Cheap to run from cron: when the site says nothing changed,
    nothing is fetched again.

    Example: suaraberita follow https://www.antaranews.com/rss/terkini.xml --limit 10
    """
    from dataclasses import replace

    from suaraberita.follow import FollowState, check_feed, record
    from suaraberita.pipeline import episode_addresses, rebuild_feed

    options, lexicon = _narrate_options(**how)
    state = FollowState.load(options.output)
    known = episode_addresses(options.output)
    when = since.replace(tzinfo=WIB_ZONE) if since else None
    check = check_feed(feed, state, known, limit=limit, since=when, options=options.web.fetch)
    if check.not_modified or not check.items:
        record(state, feed, check, (), options.output)
        why = "not changed since the last check" if check.not_modified else "no new items"
        if not how["quiet"]:
            echo(f"Nothing to narrate: {feed} has {why}.")
        return
    if not how["quiet"]:
        echo(f"{len(check.items)} new of {_count(check.total, 'item')} in {feed}.")
    urls = tuple(item.url for item in check.items)
    deferred = replace(options, defer_feed=True)  # one feed update for all the new items
    failures = _narrate_all(urls, deferred, lexicon, how["jobs"], how["quiet"], None, alone=False)
    if len(failures) < len(urls):
        rebuild_feed(options.output, options.settings)
    # a page that is not there or not an article stays so: it is not tried again
    retry = {source for source, error in failures if not isinstance(error, InputError)}
    done = [url for url in urls if url not in retry]
    record(state, feed, check, done, options.output, failed=bool(retry))
    if failures:
        again = f"; {len(retry)} will be tried again next time" if retry else ""
        echo(f"{len(failures)} of {_count(len(urls), 'item')} failed{again}.", err=True)
        sys.exit(ExitStatus.PARTIAL)


def _narrate_options(
    voice: str,
    output: Path,
    config: Path | None,
    base_url: str | None,
    no_fallback: bool,
    force: bool,
    refresh: bool,
    replace: bool = False,
    **_: Any,
) -> tuple[Any, dict[str, str]]:
    """Options of a narration from the command line's; a bad setting fails here,
    before any output."""
    from suaraberita.pipeline import NarrateOptions
    from suaraberita.speech.engine import check_voice
    from suaraberita.speech.voices import find_voice, voice_dirs

    settings = _settings(config, base_url)
    profile, lexicon = _voice_and_lexicon(voice)
    fallback = None
    if profile.fallback and not no_fallback:
        fallback = find_voice(profile.fallback, voice_dirs(Path.cwd()))
    for checked in (profile, fallback):
        if checked is not None:
            check_voice(checked)
    engine = _engine_options()
    _make_folder(output)
    options = NarrateOptions(
        output=output,
        voice=profile,
        now=datetime.now(UTC).replace(microsecond=0),
        settings=settings,
        engine=engine,
        fallback=fallback,
        force=force,
        replace=replace,
        web=_web_options(engine, refresh),
    )
    return options, lexicon


def _narrate_all(
    sources: tuple[str, ...],
    options: Any,
    lexicon: dict[str, str],
    jobs: int | None,
    quiet: bool,
    stdin: bytes | None,
    alone: bool = True,
) -> list[tuple[str, Exception]]:
    """Narrate `sources`, printing each outcome; those that failed, with their error (a
    single article's error is raised instead when `alone`)."""
    from suaraberita.batch import narrate_many

    workers = jobs or os.cpu_count() or 1
    progress = None if quiet else _Progress
    failures: list[tuple[str, Exception]] = []
    cache_errors: set[str] = set()
    synthesised = False  # anything new in the cache?
    engine = options.engine
    for outcome in narrate_many(sources, options, lexicon, workers, stdin, progress):
        if outcome.cache_error:
            cache_errors.add(outcome.cache_error)
        if outcome.error is not None:
            if len(sources) == 1 and alone:
                raise outcome.error
            failures.append((outcome.source, outcome.error))
            prefix = "" if isinstance(outcome.error, SuaraberitaError) else f"{outcome.source}: "
            echo(f"Error: {prefix}{outcome.error}", err=True)
            continue
        synthesised |= outcome.narration is not None and not outcome.narration.skipped
        if not quiet:
            echo(_summary(outcome.source, outcome.narration))
    if synthesised and engine.cache is not None:
        engine.cache.trim()
    for message in sorted(cache_errors):
        _warn(message)
    return failures


@cli.command()
@click.argument("file", metavar="FILE")
@voice_option
@config_option
@click.option(
    "--explain",
    is_flag=True,
    help="First list every line left out or taken as metadata, and the rule that did it.",
)
@refresh_option
@phonemes_option
def preview(
    file: str, voice: str, config: Path | None, explain: bool, refresh: bool, phonemes: bool
) -> None:
    """Print the chapters and the exact text that will be spoken, then how many Google
    requests it needs and how long the episode will be.

    Example: suaraberita preview --explain examples/bus-listrik-tirtasari.txt
    """
    from suaraberita.pipeline import estimate, load_article, make_script

    settings = _settings(config, None)
    limit = settings.input.max_bytes
    profile, lexicon = _voice_and_lexicon(voice)
    stdin = click.get_binary_stream("stdin").read(limit + 1) if file == "-" else None
    engine = _engine_options()
    article = load_article(file, stdin, limit, settings.noise, _web_options(engine, refresh))
    if explain:
        _explain(article)
    script = make_script(article, profile, lexicon)
    for number, part in enumerate(script.parts, start=1):
        echo(f"== Chapter {number}: {part.title}")
        ipa = _phonemizer(profile) if phonemes else None
        for utterance in part.utterances:
            echo(utterance.spoken)
            if ipa is not None:
                echo(f"    /{ipa(utterance.spoken)}/")
        echo()
    guess = estimate(script, profile, engine)
    minutes, seconds = divmod(round(guess.seconds), 60)
    if profile.engine == "gtts":
        echo(
            f"Google requests: {guess.requests} (at most 100 characters each; "
            f"{guess.cached} already cached, {guess.requests - guess.cached} to send)"
        )
    elif profile.engine == "edge":
        echo(
            f"Edge requests: {guess.requests} (one a sentence; "
            f"{guess.cached} already cached, {guess.requests - guess.cached} to send)"
        )
    characters = _count(guess.characters, "character")
    echo(f"Expected duration: about {minutes}:{seconds:02d} ({characters})")


def _explain(article: Any) -> None:
    """What the page gave besides its text, and each line left out with its rule."""
    meta = article.meta
    echo(f"== Title: {article.title}")
    for label, value in (
        ("Subtitle", article.subtitle),
        ("Author", meta.author),
        ("Date", meta.date),
    ):
        echo(f"   {label}: {value or '-'}")
    echo(f"== Left out or changed: {_count(len(article.dropped), 'line')}")
    for item in article.dropped:
        detail = f" ({item.detail})" if item.detail else ""
        echo(f"{item.line:>5}  {item.rule}{detail}: {item.text}")
    echo()


@cli.group(invoke_without_command=True)
@click.option(
    "--listen",
    metavar="NAME|PATH",
    help="Instead of listing, make a 20-second sample MP3 of this voice in OUTPUT/samples/.",
)
@click.option(
    "--article",
    metavar="FILE|URL",
    help="With --listen: read this article's opening [default: a short built-in text].",
)
@output_option
@config_option
@click.pass_context
def voices(
    ctx: click.Context,
    listen: str | None,
    article: str | None,
    output: Path,
    config: Path | None,
) -> None:
    """List the voice profiles that --voice accepts, whether each can speak here (a
    Piper voice needs its model installed first), and how to install the rest; or, with
    --listen, make a short sample of one voice to compare it with others.

    Example: suaraberita voices --listen id-piper
    """
    if ctx.invoked_subcommand is not None:
        return
    if listen is not None:
        _listen(listen, article, output, config)
        return
    from suaraberita.speech.voices import available_voices, load_voice, voice_dirs

    missing = []
    for name, path in available_voices(voice_dirs(Path.cwd())).items():
        try:
            profile = load_voice(path)
        except ConfigError as exc:  # one broken profile does not hide the others
            echo(f"{name:<16} cannot be used: {exc.message}")
            echo(f"{'':<16} {path}")
            continue
        status, installable = _voice_status(profile)
        if installable:
            missing.append(name)
        echo(f"{name:<16} {profile.engine:<8} {profile.language:<4} {profile.description}")
        echo(f"{'':<16} {status}")
        echo(f"{'':<16} {path}")
    if missing:
        echo(
            f"\nNot installed: {', '.join(missing)}. Download a Piper voice's model once "
            "(it is then offline) with: suaraberita voices install NAME"
        )


def _listen(voice: str, article: str | None, output: Path, config: Path | None) -> None:
    """A sample of `voice` reading `article`'s opening, or the built-in text's."""
    options, lexicon = _narrate_options(
        voice, output, config, base_url=None, no_fallback=True, force=False, refresh=False
    )  # a sample never falls back: it would compare nothing
    stdin: bytes | None = None
    if article is None:
        from suaraberita.sample import LISTENING_TEXT

        stdin, article = LISTENING_TEXT.encode(), "-"
    elif article == "-":
        stdin = click.get_binary_stream("stdin").read(options.settings.input.max_bytes + 1)
    _sample(article, options, lexicon, stdin)


def _voice_status(profile: Any) -> tuple[str, bool]:
    """Whether a voice can speak here, in words; and whether `voices install` would
    make it so."""
    if profile.engine == "espeak":
        return "built in, offline", False
    if profile.engine != "piper":
        return "online (needs the internet)", False
    from suaraberita.speech.install import model_state
    from suaraberita.speech.models import licence_line

    try:
        state = model_state(profile)
    except ConfigError as exc:
        return f"cannot be used: {exc.message}", False
    if state.installed:
        licence = licence_line(state.files.card) or "not stated (see its MODEL_CARD)"
        model = state.files.onnx.stem if state.named else state.files.onnx
        return f"installed, offline (model {model}); licence: {licence}", False
    if not state.named:
        return f"model file missing: {state.files.onnx}", False
    return f"not installed — suaraberita voices install {profile.name}", True


@voices.command("install")
@click.argument("name", metavar="NAME")
@click.option("--force", is_flag=True, help="Download the model again even when it is installed.")
def voices_install(name: str, force: bool) -> None:
    """Download the model of a Piper voice (a profile such as id-piper, or a model name
    such as id_ID-news_tts-medium) from Piper's voice repository into the user data
    folder, checking its size and MD5. An interrupted download resumes when the same
    command is run again. SUARABERITA_PIPER_URL replaces the repository's address.

    Example: suaraberita voices install id-piper
    """
    from suaraberita.speech.install import PIPER_VOICES_URL, install_model, model_to_install
    from suaraberita.speech.models import licence_line
    from suaraberita.speech.voices import voice_dirs

    model = model_to_install(name, voice_dirs(Path.cwd()))
    base = os.environ.get("SUARABERITA_PIPER_URL", "").strip() or PIPER_VOICES_URL
    with _Download() as watcher:
        done = install_model(model, base, force=force, watcher=watcher)
    folder = done.files.onnx.parent
    if done.already:
        how = "sizes and MD5 checked" if done.verified else "placed there by hand, not checked"
        echo(f"{model} is already installed in {folder} ({how}); --force downloads it again.")
        return
    echo(f"Installed {model} ({_megabytes(done.size)}) in {folder}.")
    echo(f"Licence (from its model card): {licence_line(done.files.card) or 'not stated'}")


class _Download:
    """What an install shows: the size on one line, then a progress bar on a terminal
    (standard error); if it is stopped, how to go on."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __enter__(self) -> _Download:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, *rest)
        if kind is not None and issubclass(kind, KeyboardInterrupt | Terminated):
            echo("The download stopped; the same command resumes it.", err=True)

    def notice(self, message: str) -> None:
        echo(message, err=True)

    def begin(self, plan: Any, kept: int) -> None:
        files = _count(len(plan.files), "file")
        resume = f", resuming after {_megabytes(kept)} kept from before" if kept else ""
        echo(f"Downloading {plan.name}: {files}, {_megabytes(plan.total)}{resume}")
        echo(f"  from {plan.base_url}")
        if sys.stderr.isatty():
            total = _megabytes(plan.total)
            self._bar = click.progressbar(
                length=plan.total,
                label=plan.name,
                file=sys.stderr,
                item_show_func=lambda done: f"{done / 1e6:.1f} of {total}" if done else None,
            )
            self._bar.__enter__()

    def moved(self, done: int) -> None:
        if self._bar is not None:
            self._bar.update(done - self._bar.pos, done)


def _megabytes(size: int) -> str:
    """
    >>> _megabytes(63_201_000), _megabytes(4_096)
    ('63.2 MB', '0.0 MB')
    """
    return f"{size / 1e6:.1f} MB"


@cli.command("normalize")
@click.argument("text", nargs=-1, required=True)
@voice_option
@phonemes_option
def normalize_command(text: tuple[str, ...], voice: str, phonemes: bool) -> None:
    """Print text as the narrator will say it; '-' reads standard input line by line.
    The voice's lexicon and ./lexicon.tsv apply, as when narrating.

    Example: suaraberita normalize --phonemes "Rp1,3 triliun pada Sabtu (13/2)"
    """
    from suaraberita.text.normalize import normalize

    profile, lexicon = _voice_and_lexicon(voice)
    ipa = _phonemizer(profile) if phonemes else None

    def say(line: str) -> str:
        spoken = normalize(line, lexicon=lexicon or None)
        return ipa(spoken) if ipa else spoken

    from suaraberita.intake.article import decode_line

    if text == ("-",):
        stream = click.get_binary_stream("stdin")
        offset = 0  # bytes read so far: a bad byte is named as in an article file
        # each line read bounded: endless input without a newline must not fill the memory
        lines = iter(lambda: stream.readline(LINE_MAX + 1), b"")
        for number, raw in enumerate(lines, start=1):
            if len(raw) > LINE_MAX:
                raise InputError(
                    f"a line is longer than {LINE_MAX:,} bytes",
                    path="<stdin>",
                    hint="this is not text; give an article's lines",
                )
            line = decode_line(raw, "<stdin>", offset, number)
            offset += len(raw)
            echo(say(line.removeprefix("\ufeff" if number == 1 else "").rstrip("\r\n")))
        return
    # an argument that was not UTF-8 reaches us with its bad bytes as surrogates
    words = " ".join(text).encode("utf-8", "surrogateescape")
    echo(say(decode_line(words, "<argument>", 0, 1)))


def _phonemizer(profile: Any) -> Callable[[str], str]:
    """espeak-ng's phonemes for the voice, or for the offline voice when the voice is
    an online one (what espeak would say if it had to stand in)."""
    from suaraberita.speech.espeak import EspeakEngine
    from suaraberita.speech.voices import find_voice, voice_dirs

    if profile.engine != "espeak":
        profile = find_voice(profile.fallback or "id-espeak", voice_dirs(Path.cwd()))
    return EspeakEngine(profile).phonemes


@cli.command()
@click.option("--force", is_flag=True, help="Overwrite an existing suaraberita.toml.")
def init(force: bool) -> None:
    """Write a commented starter suaraberita.toml in the current folder.

    Example: suaraberita init
    """
    from suaraberita.files import atomic_write
    from suaraberita.settings import CONFIG_NAME, STARTER

    path = Path.cwd() / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError("settings file already exists", path=CONFIG_NAME, hint="use --force")
    atomic_write(path, STARTER.encode())
    echo(f"Wrote {CONFIG_NAME}; edit it, then run 'suaraberita narrate'.")


@cli.group()
def feed() -> None:
    """Inspect and rebuild the podcast feed of an output folder.

    Example: suaraberita feed list --output output
    """


@feed.command("list")
@output_option
def feed_list(output: Path) -> None:
    """List the episodes: date, duration, number, slug and file.

    Example: suaraberita feed list --output output
    """
    from suaraberita.pipeline import open_store

    with open_store(output, read_only=True) as store:
        episodes = store.episodes()
    for episode in episodes:
        minutes, seconds = divmod(round(episode.duration), 60)
        echo(
            f"{episode.pub_date:%Y-%m-%d}  {minutes:3d}:{seconds:02d}  #{episode.number:<4d} "
            f"{episode.slug}  ({episode.audio_file})"
        )
    if not episodes:
        echo(f"No episodes in {output}.", err=True)


@feed.command("remove")
@click.argument("slug")
@output_option
@config_option
def feed_remove(slug: str, output: Path, config: Path | None) -> None:
    """Remove an episode, its files, and its item from the feed.

    Example: suaraberita feed remove bus-listrik-tirtasari --output output
    """
    from suaraberita.pipeline import remove_episode

    removed = remove_episode(output, slug, _settings(config, None))
    echo(f"Removed {slug}: {', '.join(removed)}")


@feed.command("build")
@output_option
@config_option
@base_url_option
def feed_build(output: Path, config: Path | None, base_url: str | None) -> None:
    """Render feed.xml again from the episode store (after changing settings, say).

    Example: suaraberita feed build --output output
    """
    from suaraberita.pipeline import rebuild_feed

    path = rebuild_feed(output, _settings(config, base_url))
    echo(f"Wrote {path}")


@feed.command("check")
@output_option
@config_option
@base_url_option
def feed_check(output: Path, config: Path | None, base_url: str | None) -> None:
    """Check feed.xml against Apple's required tags and the Podcasting 2.0 rules.

    Example: suaraberita feed check --output output
    """
    from suaraberita.publish.feedcheck import check_feed

    problems = check_feed(output, _settings(config, base_url).podcast)
    for problem in problems:
        echo(f"- {problem}")
    if problems:
        raise FeedError(f"{_count(len(problems), 'problem')} in the feed", path=output / "feed.xml")
    echo("feed.xml: no problems found")


@cli.command()
@output_option
@config_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0: every network interface).",
)
@click.option(
    "--port",
    type=WholeNumber(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not log each request.")
def serve(output: Path, config: Path | None, host: str, port: int, quiet: bool) -> None:
    """Serve the output folder over HTTP until Ctrl-C: the episode pages, the feed and the
    MP3s (with HEAD and byte ranges, as podcast apps need). Only site, feed and media
    files are served; never the episode store, dotfiles or anything outside the folder.

    Example: suaraberita serve --output output --port 8000
    """
    from suaraberita.publish.server import Server, base_url_mismatch
    from suaraberita.settings import url_in

    podcast = _settings(config, None).podcast
    if not output.is_dir():
        raise FeedError("no output folder here", path=output, hint="narrate an article first")
    log = None if quiet else (lambda line: echo(line, err=True))
    try:
        server = Server(output, (host, port), log)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="another program uses that port: try another --port",
        ) from None
    with server:
        url = server.url
        echo(f"Serving {output} at {url} (Ctrl-C stops)")
        mismatch = base_url_mismatch(podcast.base_url, host, server.server_address[1])
        if mismatch:
            _warn(
                f"podcast.base_url is {podcast.base_url} but this server is at {url}: the "
                "feed's audio, chapter and transcript links point there, not here. To serve "
                f"the feed from here, run 'suaraberita feed build --base-url {url}' first."
            )
        feed_url = url_in(url, "feed.xml") if mismatch else podcast.feed_url
        echo(f"Feed to subscribe to: {feed_url}")
        if not (output / "index.html").is_file():
            _warn("no index.html in the folder yet: 'suaraberita feed build' renders the pages")
        server.serve_forever()


@cli.group()
def cache() -> None:
    """Show or empty the cache of synthesised audio (SUARABERITA_CACHE sets its folder,
    SUARABERITA_CACHE_LIMIT its size in MB).

    Example: suaraberita cache info
    """


@cache.command("info")
def cache_info() -> None:
    """Print the cache folder, its number of entries and their size.

    Example: suaraberita cache info
    """
    from suaraberita.cache import Cache

    store = Cache.from_env(os.environ)
    info = store.info()
    echo(f"Location: {info.path}")
    echo(f"Entries:  {info.entries}")
    echo(f"Size:     {info.size / 1e6:.1f} MB ({info.size} bytes)")
    echo(f"Limit:    {store.limit / 1e6:.0f} MB (SUARABERITA_CACHE_LIMIT)")


@cache.command("clear")
def cache_clear() -> None:
    """Delete every cached piece of audio (the next narration makes it again).

    Example: suaraberita cache clear
    """
    from suaraberita.cache import Cache, default_cache_dir

    store = Cache(default_cache_dir(os.environ))  # clearing needs no limit
    removed = store.clear()
    echo(f"Removed {_count(removed, 'entry', 'entries')} from {store.root}")


def _web_options(engine: Any, refresh: bool) -> Any:
    """Article addresses are fetched into the same cache as the audio."""
    from suaraberita.intake.fetch import FetchOptions
    from suaraberita.intake.web import WebOptions

    return WebOptions(FetchOptions(refresh=refresh), engine.cache)


def _engine_options() -> Any:
    """Cache folder and limit, and the Google and Edge voices' addresses, from the
    environment (read here only)."""
    from suaraberita.cache import Cache
    from suaraberita.speech.engine import EngineOptions

    url = os.environ.get("SUARABERITA_GTTS_URL", "").strip() or None
    edge = os.environ.get("SUARABERITA_EDGE_URL", "").strip() or None
    if edge is not None:  # a wrong one fails now, not with the first article's name
        from suaraberita.speech.edge import check_address

        edge = check_address(edge)
    return EngineOptions(
        cache=Cache.from_env(os.environ), gtts_url=url, edge_url=edge, on_notice=_notice
    )


def _notice(message: str) -> None:
    """Trouble that may yet pass (a voice slow to answer): said at once, on its own line."""
    echo(message, err=True)


def _sample(source: str, options: Any, lexicon: dict[str, str], stdin: bytes | None) -> None:
    """Make and report one sample of `options.voice` reading `source`'s opening."""
    from suaraberita.pipeline import load_article, make_script
    from suaraberita.sample import make_sample

    settings = options.settings
    article = load_article(source, stdin, settings.input.max_bytes, settings.noise, options.web)
    script = make_script(article, options.voice, lexicon)
    made = make_sample(
        article, script, options.voice, options.output, settings.audio, options.engine
    )
    echo(f"{made.path}  ({made.seconds:.1f} s, {options.voice.name})")


def _voice_and_lexicon(voice: str) -> tuple[Any, dict[str, str]]:
    """The voice profile a --voice names, and its lexicon with ./lexicon.tsv over it."""
    from suaraberita.pipeline import load_lexicons
    from suaraberita.speech.voices import find_voice, voice_dirs

    profile = find_voice(voice, voice_dirs(Path.cwd()))
    return profile, load_lexicons(profile, Path.cwd())


def _warn(message: str) -> None:
    echo(f"Warning: {message}", err=True)


def _settings(config: Path | None, base_url: str | None) -> Any:
    from dataclasses import replace

    from suaraberita.settings import find_settings

    settings = find_settings(config, Path.cwd())
    if base_url:
        from suaraberita.settings import check_url

        check_url(base_url, "--base-url", None, base=True)
        settings = replace(settings, podcast=replace(settings.podcast, base_url=base_url))
    return settings


def _summary(source: str, done: Any) -> str:
    """One line per narrated article."""
    from suaraberita.pipeline import FALLBACK_MARK

    if done.skipped:
        again = "narrate it again"
        if done.episode.fingerprint and done.episode.fingerprint.endswith(FALLBACK_MARK):
            again = f"try again with the voice asked for (it was {done.episode.voice})"
        return f"{source}: {done.audio_path} is up to date (use --force to {again})"
    minutes, seconds = divmod(round(done.episode.duration), 60)
    return (
        f"{source}: {done.audio_path}, {minutes}:{seconds:02d}, "
        f"{_count(len(done.episode.chapters), 'chapter')}, {_loudness_text(done.loudness)}; "
        f"feed {done.feed_path}"
    )


def _loudness_text(loudness: Any) -> str:
    """An episode's loudness as podcasts state it (the `loudness` setting), with what a
    plain meter reads of a mono file beside it, and its true peak.

    >>> from suaraberita.audio.render import Loudness
    >>> _loudness_text(Loudness(-19.04, -2.26))
    '-16.0 LUFS (mono meter: -19.0 LUFS), true peak -2.3 dBTP'
    >>> _loudness_text(Loudness(-16.2, -1.5, channels=2))
    '-16.2 LUFS, true peak -1.5 dBTP'
    """
    meter = f" (mono meter: {loudness.integrated:.1f} LUFS)" if loudness.channels == 1 else ""
    return f"{loudness.stated:.1f} LUFS{meter}, true peak {loudness.peak:.1f} dBTP"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    """A number and its noun, singular or plural as English has it.

    >>> _count(1, "chapter"), _count(4, "chapter"), _count(0, "entry", "entries")
    ('1 chapter', '4 chapters', '0 entries')
    """
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from suaraberita.errors import space_error

        raise space_error(exc, folder) or FeedError(
            f"cannot create the output folder: {exc.strerror}", path=folder
        ) from None


class _Progress:
    """A progress bar on a terminal (standard error); silent otherwise."""

    def __init__(self, label: str, total: int) -> None:
        self._bar: Any = None
        if sys.stderr.isatty():
            self._bar = click.progressbar(length=total, label=label, file=sys.stderr)

    def __enter__(self) -> Callable[[], None]:
        if self._bar is None:
            return lambda: None
        bar = self._bar.__enter__()
        return lambda: bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def main(args: list[str] | None = None) -> None:
    """Entry point: the one place that turns errors into messages and exit codes."""
    argv = sys.argv[1:] if args is None else args
    debug = "--debug" in argv
    try:
        with stoppable():  # SIGTERM and SIGINT unwind: temporary files go, ffmpeg stops
            code = cli.main(args=argv, prog_name="suaraberita", standalone_mode=False)
    except SuaraberitaError as exc:
        if debug:
            _print_traceback()
        echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_status)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        echo("Interrupted.", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except Terminated:
        echo("Terminated.", err=True)
        sys.exit(ExitStatus.TERMINATED)
    except Exception as exc:
        if debug:
            _print_traceback()
        echo(f"Unexpected error: {exc!r}. Run with --debug for details.", err=True)
        sys.exit(ExitStatus.ERROR)
    sys.exit(code if isinstance(code, int) else ExitStatus.OK)


def _print_traceback() -> None:
    import traceback  # only with --debug: it takes a tenth of start-up

    traceback.print_exc()
