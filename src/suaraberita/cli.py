"""Command line: parse options, call the pipeline, report. Errors are handled in main()."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from suaraberita import __version__
from suaraberita.errors import ExitStatus, SuaraberitaError

F = TypeVar("F", bound=Callable[..., Any])


def voice_option(command: F) -> F:
    return click.option(
        "--voice",
        default="id-espeak",
        show_default=True,
        metavar="NAME|PATH",
        help="Voice profile: a name from 'suaraberita voices' or a path to a .toml file.",
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


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@voice_option
@output_option
@click.option(
    "--base-url",
    default="http://localhost:8000/",
    show_default=True,
    help="Where the output folder will be published; enclosure URLs start with it.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def narrate(files: tuple[str, ...], voice: str, output: Path, base_url: str, quiet: bool) -> None:
    """Narrate articles (Markdown or pasted text; '-' for standard input) into MP3
    episodes with chapters, and add them to the podcast feed.

    Example: suaraberita narrate examples/bus-listrik-tirtasari.txt --output output
    """
    from suaraberita.feed import FeedSettings
    from suaraberita.pipeline import NarrateOptions, load_article, make_script
    from suaraberita.pipeline import narrate as run
    from suaraberita.voices import find_voice, voice_dirs

    profile = find_voice(voice, voice_dirs(Path.cwd()))
    _make_folder(output)
    options = NarrateOptions(
        output=output,
        voice=profile,
        feed=FeedSettings(base_url=base_url),
        now=datetime.now(UTC).replace(microsecond=0),
    )
    failures: list[SuaraberitaError] = []
    for source in files:
        try:
            stdin = click.get_binary_stream("stdin").read() if source == "-" else None
            article = load_article(source, stdin)
            script = make_script(article, profile)
            with _Progress(len(script.utterances), source, quiet) as step:
                done = run(article, script, options, on_utterance=step)
        except SuaraberitaError as exc:
            if len(files) == 1:
                raise
            failures.append(exc)
            click.echo(f"Error: {exc}", err=True)
            continue
        if not quiet:
            minutes, seconds = divmod(round(done.episode.duration), 60)
            click.echo(
                f"{source}: {done.audio_path} ({minutes}:{seconds:02d}, "
                f"{len(done.episode.chapters)} chapters, {done.loudness.integrated:.1f} LUFS, "
                f"true peak {done.loudness.true_peak:.1f} dBTP); feed {done.feed_path}"
            )
    if failures:
        click.echo(f"{len(failures)} of {len(files)} articles failed.", err=True)
        sys.exit(ExitStatus.PARTIAL)


@cli.command()
@click.argument("file", metavar="FILE")
@voice_option
def preview(file: str, voice: str) -> None:
    """Print the chapters and the exact text that will be spoken.

    Example: suaraberita preview examples/bus-listrik-tirtasari.txt
    """
    from suaraberita.pipeline import load_article, make_script
    from suaraberita.voices import find_voice, voice_dirs

    profile = find_voice(voice, voice_dirs(Path.cwd()))
    stdin = click.get_binary_stream("stdin").read() if file == "-" else None
    script = make_script(load_article(file, stdin), profile)
    for number, part in enumerate(script.parts, start=1):
        click.echo(f"== Chapter {number}: {part.title}")
        for utterance in part.utterances:
            click.echo(utterance.spoken)
        click.echo()


@cli.command()
def voices() -> None:
    """List the voice profiles that --voice accepts.

    Example: suaraberita voices
    """
    from suaraberita.voices import available_voices, load_voice, voice_dirs

    for name, path in available_voices(voice_dirs(Path.cwd())).items():
        profile = load_voice(path)
        click.echo(f"{name:<16} {profile.engine:<8} {profile.language:<4} {profile.description}")
        click.echo(f"{'':<16} {path}")


@cli.command("normalize")
@click.argument("text", nargs=-1, required=True)
def normalize_command(text: tuple[str, ...]) -> None:
    """Print text as the narrator will say it; '-' reads standard input line by line.

    Example: suaraberita normalize "Rp1,3 triliun pada Sabtu (13/2)"
    """
    from suaraberita.normalize import normalize

    if text == ("-",):
        for line in click.get_text_stream("stdin"):
            click.echo(normalize(line.rstrip("\n")))
        return
    click.echo(normalize(" ".join(text)))


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SuaraberitaError(
            f"cannot create the output folder: {exc.strerror}", path=folder
        ) from None


class _Progress:
    """A progress bar on a terminal; silent otherwise or with --quiet."""

    def __init__(self, total: int, label: str, quiet: bool) -> None:
        self._bar: Any = None
        if not quiet and sys.stderr.isatty():
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
        code = cli.main(args=argv, prog_name="suaraberita", standalone_mode=False)
    except SuaraberitaError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_status)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("Interrupted.", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"Unexpected error: {exc!r}. Run with --debug for details.", err=True)
        sys.exit(ExitStatus.ERROR)
    sys.exit(code if isinstance(code, int) else ExitStatus.OK)
