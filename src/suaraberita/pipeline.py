"""Wire the stages for one article: parse, script, synthesise, encode, tag, publish."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from suaraberita.article import Article, decode_article_bytes, parse_article, read_article_file
from suaraberita.audio import AudioFormat, Loudness, Rendered, render
from suaraberita.cover import Cover, default_cover
from suaraberita.engines import Engine, Pcm, create_engine
from suaraberita.errors import EngineError, InputError, SuaraberitaError
from suaraberita.feed import FeedSettings, render_feed
from suaraberita.files import atomic_path, atomic_write, folder_lock, slugify
from suaraberita.normalize import normalize
from suaraberita.script import Script, build_script
from suaraberita.store import Episode, Store
from suaraberita.tags import Chapter, EpisodeTags, chapters_json, write_tags
from suaraberita.transcript import make_cues, plain_text, render_srt, render_vtt
from suaraberita.voices import Voice

WIB = timezone(timedelta(hours=7), "WIB")  # dates without a zone are Jakarta time
SUMMARY_MAX = 400
STORE_NAME = "episodes.db"
FEED_NAME = "feed.xml"


@dataclass(frozen=True)
class NarrateOptions:
    output: Path
    voice: Voice
    feed: FeedSettings
    now: datetime  # the clock, passed in so tests can fix it
    audio: AudioFormat = field(default_factory=AudioFormat)
    cover: Cover = field(default_factory=default_cover)


@dataclass(frozen=True)
class Narration:
    episode: Episode
    audio_path: Path
    feed_path: Path
    loudness: Loudness  # measured on the encoded episode
    sidecars: tuple[Path, ...]  # chapters JSON, WebVTT, SRT


def sidecar_names(slug: str) -> tuple[str, str, str]:
    """Chapters JSON, WebVTT and SRT files that sit beside `<slug>.mp3`."""
    return f"{slug}.chapters.json", f"{slug}.vtt", f"{slug}.srt"


def load_article(source: str, stdin: bytes | None = None) -> Article:
    """Read a file (or standard input for '-') and parse it."""
    if source == "-":
        text = decode_article_bytes(stdin or b"", "<stdin>")
        return parse_article(text, "<stdin>")
    return parse_article(read_article_file(Path(source)), source)


def make_script(article: Article, voice: Voice) -> Script:
    return build_script(article, voice.pauses, normalize)


def narrate(
    article: Article,
    script: Script,
    options: NarrateOptions,
    on_utterance: Callable[[], None] | None = None,
) -> Narration:
    """Narrate one article's script into the output folder and publish it in the feed."""
    output = options.output
    engine = create_engine(options.voice)
    guid = article.meta.id or article.meta.url or slugify(article.title)
    with Store(output / STORE_NAME) as store:
        slug = store.free_slug(guid, slugify(article.title))
        previous = store.get(guid)

    audio_path = output / f"{slug}.mp3"
    with atomic_path(audio_path) as temp:
        rendered = render(
            _takes(script, engine),
            temp,
            options.audio,
            tempo=options.voice.tempo,
            on_take=on_utterance,
        )
        chapters = chapter_marks(script, rendered)
        written = [u.text for u in script.utterances]
        write_tags(temp, _tags(article, options, plain_text(written)), chapters)
    cues = make_cues(written, rendered.spans)
    sidecars = tuple(output / name for name in sidecar_names(slug))
    for path, data in zip(
        sidecars,
        (chapters_json(chapters), render_vtt(cues).encode(), render_srt(cues).encode()),
        strict=True,
    ):
        atomic_write(path, data)
    episode = Episode(
        guid=guid,
        slug=slug,
        title=article.title,
        summary=_summary(article),
        pub_date=_pub_date(article, previous, options.now),
        duration=rendered.duration,
        audio_file=audio_path.name,
        audio_length=audio_path.stat().st_size,
        chapters=chapters,
        voice=options.voice.name,
        author=article.meta.author,
        link=article.meta.url,
        image=article.meta.image,
    )
    feed_path = output / FEED_NAME
    with folder_lock(output), Store(output / STORE_NAME) as store:
        store.put(episode)
        atomic_write(feed_path, render_feed(options.feed, store.episodes()))
    return Narration(episode, audio_path, feed_path, rendered.loudness, sidecars)


def chapter_marks(script: Script, rendered: Rendered) -> tuple[Chapter, ...]:
    """Each chapter starts where its first utterance's speech starts; the last ends the file."""
    starts: list[float] = []
    index = 0
    for part in script.parts:
        starts.append(0.0 if index == 0 else rendered.spans[index].start)
        index += len(part.utterances)
    ends = [*starts[1:], rendered.duration]
    return tuple(
        Chapter(part.title, start, end)
        for part, start, end in zip(script.parts, starts, ends, strict=True)
    )


def _takes(script: Script, engine: Engine) -> Iterator[tuple[Pcm, float]]:
    for utterance in script.utterances:
        try:
            pcm = engine.synthesize(utterance.spoken)
        except SuaraberitaError:
            raise
        except Exception as exc:  # engine internals: name the utterance that failed
            raise EngineError(
                f"{engine.name} could not speak {utterance.text[:60]!r}: {exc}"
            ) from exc
        yield pcm, utterance.pause_after


def _tags(article: Article, options: NarrateOptions, transcript: str) -> EpisodeTags:
    return EpisodeTags(
        title=article.title,
        artist=article.meta.author or options.feed.author,
        album=options.feed.title,
        date=(article.meta.date or options.now.date().isoformat())[:10],
        comment=_summary(article),
        url=article.meta.url,
        cover=options.cover,
        transcript=transcript,
    )


def _summary(article: Article) -> str:
    """Subtitle and first intro paragraph, as one short text."""
    parts = [p for p in (article.subtitle, *article.intro[:1]) if p]
    text = " ".join(p if p[-1] in ".!?…" else p + "." for p in parts) or article.title
    if len(text) > SUMMARY_MAX:
        text = text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
    return text


def _pub_date(article: Article, previous: Episode | None, now: datetime) -> datetime:
    """The article's own date; else the first publication; else now."""
    if article.meta.date:
        try:
            parsed = datetime.fromisoformat(article.meta.date)
        except ValueError:
            raise InputError(
                f"front matter date {article.meta.date!r} is not an ISO date",
                path=article.source,
                hint="write it as 2021-02-13 or 2021-02-13T09:30:00+07:00",
            ) from None
        if len(article.meta.date) == 10:  # a bare date: midday, the same day anywhere
            parsed = parsed.replace(hour=12)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=WIB)
        return parsed
    if previous is not None:
        return previous.pub_date
    return now
