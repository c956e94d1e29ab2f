"""Wire the stages for one article: parse, script, synthesise, encode, tag, publish."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone
from functools import cache, partial
from pathlib import Path

from suaraberita.audio.cover import Cover, default_cover, fit_art, for_embedding, load_cover
from suaraberita.audio.render import Loudness, Rendered, render
from suaraberita.audio.tags import Chapter, EpisodeTags, chapters_json, write_tags
from suaraberita.audio.transcript import make_cues, plain_text, render_srt, render_vtt
from suaraberita.errors import (
    EngineError,
    FeedError,
    InputError,
    NetworkError,
    SuaraberitaError,
)
from suaraberita.files import Staging, clean_leftovers, folder_lock, read_bounded, title_key
from suaraberita.intake.article import (
    DEFAULT_MAX_BYTES,
    Article,
    decode_article_bytes,
    parse_article,
    read_article_bytes,
)
from suaraberita.intake.noise import Rules, default_rules
from suaraberita.intake.web import WebOptions, is_html, is_url, read_saved_page, read_url
from suaraberita.publish.feed import render_feed
from suaraberita.publish.store import (
    INDEX_PAGE,
    Episode,
    Store,
    art_files,
    episode_files,
    page_file,
)
from suaraberita.settings import CLIP_MAX_BYTES, NoiseSettings, Podcast, Settings
from suaraberita.sound import Pcm
from suaraberita.speech.engine import Engine, EngineOptions, create_engine
from suaraberita.speech.voices import Voice
from suaraberita.text.likeness import same_article
from suaraberita.text.normalize import load_lexicon, normalize
from suaraberita.text.script import Script, build_script
from suaraberita.unsafe import safe_url

WIB = timezone(timedelta(hours=7), "WIB")  # dates without a zone are Jakarta time
# Years of a publication date: RFC 2822 dates start at 1900, and a year past 2099 is a typo
PUB_YEARS = (1900, 2099)
SUMMARY_MAX = 400
STORE_NAME = "episodes.db"
FEED_NAME = "feed.xml"
# An article's image: a picture is not worth a long wait, nor a big download
ART_MAX_BYTES = 10_000_000
ART_RETRIES = 1


@dataclass(frozen=True)
class NarrateOptions:
    output: Path
    voice: Voice
    now: datetime  # the clock, passed in so tests can fix it
    settings: Settings = field(default_factory=Settings)
    engine: EngineOptions = field(default_factory=EngineOptions)  # cache, Google's address
    # Narrate the whole episode with this voice when `voice`'s service cannot be reached
    # (NetworkError); None: that is an error.
    fallback: Voice | None = None
    force: bool = False  # narrate even when the episode is up to date
    # let an article with no id or url replace another article's episode of its title
    replace: bool = False
    web: WebOptions = field(default_factory=WebOptions)  # how article addresses are fetched
    # Leave the feed to the caller, who renders it once after several episodes (follow):
    # each episode's files and store row still land together.
    defer_feed: bool = False
    # The article's place among the run's articles: with `now`, the narration order that
    # numbers episodes of one date, whichever finishes first.
    position: int = 0


@dataclass(frozen=True)
class Narration:
    episode: Episode
    audio_path: Path
    feed_path: Path
    loudness: Loudness | None  # measured on the encoded episode; None when skipped
    sidecars: tuple[Path, ...]  # chapters JSON, WebVTT, SRT

    @property
    def skipped(self) -> bool:
        """True when nothing had changed and the existing episode was kept."""
        return self.loudness is None


def fingerprint(article: Article, script: Script, options: NarrateOptions, cover: Cover) -> str:
    """What an episode's files depend on: the article, the words and pauses as they will be
    said, the voice, the audio settings, the show's title and author, the cover and the
    package version. (Feed-only settings change the feed, not the episode.)"""
    from suaraberita import __version__

    digest = hashlib.sha256()
    voice = replace(options.voice, path=None)
    clips = [options.settings.audio.intro, options.settings.audio.outro]
    podcast = options.settings.podcast
    parts = (__version__, replace(article, source=""), script, voice, options.settings.audio)
    for part in (*parts, podcast.title, podcast.author):  # what the ID3 tags take from it
        digest.update(repr(part).encode())
    for clip in clips:
        if clip is not None:
            digest.update(_read_clip(clip))
    digest.update(cover.data)
    return digest.hexdigest()


FALLBACK_MARK = ":fallback"  # on the fingerprint of an episode the fallback voice narrated


def source_key(data: bytes, options: NarrateOptions, lexicon: Mapping[str, str]) -> str:
    """What an episode narrated from a file depends on, known before parsing it: the
    file's bytes, this package's own code and data, the voice, the lexicon and the
    settings an episode takes (all of them: a change anywhere means the slow path)."""
    digest = hashlib.sha256(_package_digest().encode())
    digest.update(data)
    settings = replace(options.settings, path=None)
    for part in (replace(options.voice, path=None), sorted(lexicon.items()), settings):
        digest.update(repr(part).encode())
    for clip in (settings.audio.intro, settings.audio.outro):
        if clip is not None:
            digest.update(_read_clip(clip))
    if settings.podcast.image is not None:
        digest.update(load_cover(settings.podcast.image).data)
    return digest.hexdigest()


def _read_clip(path: Path) -> bytes:
    return read_bounded(path, CLIP_MAX_BYTES, "intro/outro clip")


@cache
def _package_digest() -> str:
    """A digest of every file of the installed package: code and word lists."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def unchanged(output: Path, key: str, options: NarrateOptions) -> Narration | None:
    """The episode last narrated from this very file and settings, if its files are all
    there: kept without parsing the article again (the feed is re-rendered only if it
    would change)."""
    if options.force or not (output / STORE_NAME).is_file():
        return None
    with Store(output / STORE_NAME) as store:
        episode = store.by_source_key(key)
    if episode is None or not _files_intact(output, episode):
        return None
    feed_path = output / FEED_NAME
    if not options.defer_feed:
        cover = show_cover(options.settings)
        with folder_lock(output), Store(output / STORE_NAME) as store:
            feed_path = publish(output, store, options.settings.podcast, cover, if_changed=True)
    sidecars = tuple(output / name for name in episode.sidecars)
    return Narration(episode, output / episode.audio_file, feed_path, None, sidecars)


def _up_to_date(output: Path, episode: Episode | None, wanted: str) -> bool:
    """The stored episode has the same fingerprint and its files are all there. One the
    fallback voice narrated counts too (--force tries the asked-for voice again)."""
    if episode is None or episode.fingerprint not in (wanted, wanted + FALLBACK_MARK):
        return False
    return _files_intact(output, episode)


def _files_intact(output: Path, episode: Episode) -> bool:
    """Every file the published episode needs is there: its audio, sidecars and page,
    the show's page and the feed (a run cut short before its pages is done again)."""
    audio = output / episode.audio_file
    if not audio.is_file() or audio.stat().st_size != episode.audio_length:
        return False
    names: tuple[str, ...] = (*episode.sidecars, page_file(episode.slug), INDEX_PAGE, FEED_NAME)
    if episode.image_file:
        names += (episode.image_file,)
    return all((output / name).is_file() for name in names)


def load_article(
    source: str,
    stdin: bytes | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    noise: NoiseSettings | None = None,
    web: WebOptions | None = None,
) -> Article:
    """Read an article: a web address (fetched with `web`), a saved web page, a file,
    or standard input for '-' (at most `max_bytes`), with the built-in noise rules and a
    newsroom's own `noise` patterns."""
    rules = noise_rules(noise or NoiseSettings())
    if source == "-":
        text = decode_article_bytes(stdin or b"", "<stdin>", max_bytes)
        return parse_article(text, "<stdin>", rules=rules)
    if is_url(source):
        return read_url(source, rules, web or WebOptions())
    path = Path(source)
    data = read_article_bytes(path, max_bytes)
    if is_html(path, data[:512]):
        return read_saved_page(path, max_bytes, rules)
    return parse_article(decode_article_bytes(data, source), source, rules=rules)


def noise_rules(noise: NoiseSettings) -> Rules:
    """The built-in rules after the [noise] patterns of the settings."""
    return default_rules().with_user(noise.drop, noise.keep)


LEXICON_NAME = "lexicon.tsv"


def make_script(article: Article, voice: Voice, lexicon: Mapping[str, str] | None = None) -> Script:
    """The article as the voice will say it; `lexicon` overrides built-in readings."""
    script = build_script(article, voice.pauses, partial(normalize, lexicon=lexicon or None))
    if not script.utterances:
        raise InputError(
            "the article has nothing that can be spoken",
            path=article.source,
            hint="it holds no words, only marks or symbols",
        )
    return script


def load_lexicons(voice: Voice | None, workdir: Path) -> dict[str, str]:
    """The voice profile's lexicon, then the project's ./lexicon.tsv (which wins)."""
    words: dict[str, str] = {}
    for path in (voice.lexicon if voice else None, workdir / LEXICON_NAME):
        if path is not None and path.exists():  # a pipe or device is refused, not skipped
            words.update(load_lexicon(path))
    return words


def narrate(
    article: Article,
    script: Script,
    options: NarrateOptions,
    on_utterance: Callable[[], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    source: str | None = None,
) -> Narration:
    """Narrate one article's script into the output folder and publish it in the feed.
    `source` is the `source_key` of the file it came from, kept with the episode.

    If the voice's service cannot be reached (at the start or after retries mid-way), the
    whole episode is narrated again with `options.fallback`, and `on_warning` is told.
    """
    output = options.output
    clean_leftovers(output)
    named = title_key(article.title)
    by_title = not (article.meta.id or article.meta.url)
    guid = article.meta.id or article.meta.url or named
    with Store(output / STORE_NAME) as store:
        slug = store.reserve_slug(guid, named, os.getpid())
        previous = store.get(guid)
    if previous is not None and by_title and not options.replace:
        _refuse_another_article(output, previous, script)
    pub_date = _pub_date(article, previous, options.now)  # a bad date fails before any output

    audio_name, *sidecar_names = episode_files(slug)
    audio_path = output / audio_name
    cover = show_cover(options.settings)
    wanted = fingerprint(article, script, options, cover)
    if previous is not None and not options.force and _up_to_date(output, previous, wanted):
        feed_path = output / FEED_NAME
        if not options.defer_feed:  # an episode kept changes nothing of what is published
            with folder_lock(output), Store(output / STORE_NAME) as store:
                feed_path = publish(output, store, options.settings.podcast, cover, if_changed=True)
        sidecars = tuple(output / name for name in sidecar_names)
        return Narration(previous, audio_path, feed_path, None, sidecars)
    art = episode_art(article, output, slug, previous, options.web, on_warning)
    voice = options.voice
    with Staging() as staging:
        if art is not None:
            staging.write(output / art[0], art[1])
        temp = staging.path(audio_path)  # a failed voice's attempt is overwritten here
        while True:  # one voice for the whole episode: a failed one starts over with the fallback
            engine = create_engine(voice, options.engine)
            try:
                rendered = render(
                    spoken_takes(script, engine),
                    temp,
                    options.settings.audio,
                    tempo=voice.tempo,
                    on_take=on_utterance,
                )
                break
            except NetworkError as exc:
                if options.fallback is None or voice is options.fallback:
                    raise
                voice = options.fallback
                if on_warning is not None:
                    fallback = f"narrating with the offline voice {voice.name} instead"
                    on_warning(f"{exc.message}; {fallback}")
        chapters = chapter_marks(script, rendered)
        written = [u.text for u in script.utterances]
        tags = _tags(article, options.settings.podcast, options.now, cover, plain_text(written))
        write_tags(temp, tags, chapters)
        cues = make_cues(written, rendered.spans, [u.spoken for u in script.utterances])
        sidecars = tuple(output / name for name in sidecar_names)
        for path, data in zip(
            sidecars,
            (chapters_json(chapters), render_vtt(cues).encode(), render_srt(cues).encode()),
            strict=True,
        ):
            staging.write(path, data)
        episode = Episode(
            guid=guid,
            slug=slug,
            title=article.title,
            summary=_summary(article),
            pub_date=pub_date,
            duration=rendered.duration,
            audio_file=audio_path.name,
            audio_length=temp.stat().st_size,
            chapters=chapters,
            voice=voice.name,
            fingerprint=wanted if voice is options.voice else wanted + FALLBACK_MARK,
            author=article.meta.author,
            link=article.meta.url,
            image=article.meta.image,
            source_key=source,
            narrated=options.now,
            position=options.position,
            image_file=art[0] if art is not None else None,
        )
        # The files, the store and the feed change together, under the folder's lock.
        with folder_lock(output), Store(output / STORE_NAME) as store, store.transaction():
            episode = store.put(episode)
            if options.defer_feed:
                staging.commit()
                feed_path = output / FEED_NAME
            else:
                feed_path = publish(output, store, options.settings.podcast, cover, staging)
            old_art = previous.image_file if previous is not None else None
            if old_art and old_art != episode.image_file:  # the article's image went away
                (output / old_art).unlink(missing_ok=True)
    return Narration(episode, audio_path, feed_path, rendered.loudness, sidecars)


def episode_art(
    article: Article,
    output: Path,
    slug: str,
    previous: Episode | None,
    web: WebOptions,
    on_warning: Callable[[str], None] | None = None,
) -> tuple[str, bytes] | None:
    """The episode's own image, from the article's http(s) image (of a web page, or a
    file's front matter), fetched and fitted to Apple's rules: its file name and bytes.
    None when there is none; when it cannot be had, `on_warning` is told, and the episode
    shows the show's cover: a picture is never worth failing a narration for."""
    from suaraberita.intake.fetch import IMAGE_TYPES, fetch

    url = safe_url(article.meta.image)
    if url is None:
        return None
    retries = min(web.fetch.retries, ART_RETRIES)
    fetching = replace(web.fetch, max_bytes=ART_MAX_BYTES, retries=retries)
    try:
        art = fit_art(fetch(url, fetching, cache=web.cache, accept=IMAGE_TYPES).body)
    except SuaraberitaError as exc:
        if on_warning is not None:  # one line: where, and what went wrong
            said = f"{exc.path}: {exc.message}" if exc.path is not None else exc.message
            on_warning(f"the article's image is not used ({said}); the episode shows the cover")
        return None
    jpeg, png = art_files(slug)
    name = png if art.mime == "image/png" else jpeg
    mine = previous.image_file if previous is not None else None
    if name != mine and (output / name).exists():  # never overwrite a file it did not make
        if on_warning is not None:
            on_warning(f"{name} is already in the output folder; the episode shows the cover")
        return None
    return name, art.data


def episode_addresses(output: Path) -> set[str]:
    """The article addresses (links and guids) of the episodes in an output folder."""
    if not (output / STORE_NAME).is_file():
        return set()
    with Store(output / STORE_NAME) as store:
        episodes = store.episodes()
    return {e.link for e in episodes if e.link} | {e.guid for e in episodes}


def open_store(output: Path, read_only: bool = False) -> Store:
    """The episode store of an existing output folder; `read_only`: to read it only,
    writing nothing there (the folder may be read-only)."""
    path = output / STORE_NAME
    if not path.is_file():
        raise FeedError(
            "no episode store here", path=output, hint="narrate an article into this folder first"
        )
    return Store(path, read_only=read_only)


def rebuild_feed(output: Path, settings: Settings) -> Path:
    """Render feed.xml again from the store."""
    cover = show_cover(settings)
    with folder_lock(output), open_store(output) as store:
        return publish(output, store, settings.podcast, cover)


def remove_episode(output: Path, slug: str, settings: Settings) -> list[str]:
    """Delete an episode from the store, re-render the feed, then delete its files; all
    under the folder lock, so a narration that takes the slug next keeps its new files."""
    cover = show_cover(settings)
    with folder_lock(output), open_store(output) as store:
        with store.transaction():  # the store and the feed change together
            episode = store.remove(slug)
            if episode is None:
                hint = "'suaraberita feed list' shows the slugs"
                raise FeedError(f"no episode {slug!r}", path=output, hint=hint)
            publish(output, store, settings.podcast, cover)
        removed = []
        # its own image only: a file of that name it never made is someone else's
        ours = (episode.image_file,) if episode.image_file else ()
        for name in (*episode_files(slug), *ours):
            path = output / name
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:  # the episode is gone from store and feed already
                raise FeedError(f"cannot delete {name}: {exc.strerror}", path=path) from None
            removed.append(name)
    return removed


def show_cover(settings: Settings) -> Cover:
    """The podcast's own image, or the package's default cover."""
    image = settings.podcast.image
    return load_cover(image) if image else default_cover()


def publish(
    output: Path,
    store: Store,
    podcast: Podcast,
    cover: Cover,
    staged: Staging | None = None,
    if_changed: bool = False,
) -> Path:
    """Render the feed (and its cover) and the web pages from the store. Call with the
    folder lock held. Files `staged` by the caller (a new episode's MP3 and sidecars) and
    the pages are renamed into place right before the new feed, so the feed always
    describes the files; when anything fails before, nothing is renamed.
    `if_changed`: leave everything as it is when the feed and cover would not change (the
    pages show nothing the feed does not)."""
    cover_path = output / f"cover{cover.extension}"
    feed_path = output / FEED_NAME
    episodes = store.episodes()
    xml = render_feed(podcast, episodes, cover_path.name)
    same_cover = cover_path.is_file() and cover_path.read_bytes() == cover.data
    same_feed = feed_path.is_file() and feed_path.read_bytes() == xml  # readers see no churn
    if if_changed and same_cover and same_feed and staged is None:
        return feed_path
    from suaraberita.publish.site import render_site  # jinja2 only when pages are rendered

    with Staging() as own, Staging() as staging:
        files = staged if staged is not None else own  # the new episode's files and pages
        _, gone = render_site(output, podcast, episodes, cover_path.name, files)
        if not same_cover:
            staging.write(cover_path, cover.data)
        if not same_feed:
            staging.write(feed_path, xml)
        files.commit()  # renames only from here on, the feed last: no work between them
        staging.commit()
    for page in gone:
        page.unlink(missing_ok=True)
    return feed_path


def chapter_marks(script: Script, rendered: Rendered) -> tuple[Chapter, ...]:
    """Each chapter starts where its first utterance's speech starts; the last ends the file."""
    starts: list[float] = []
    index = 0
    for part in script.parts:
        starts.append(0.0 if index == 0 else rendered.spans[index].start)
        index += len(part.utterances)
    ends = [*starts[1:], rendered.duration]
    return tuple(
        Chapter(part.title, start, end, part.url)
        for part, start, end in zip(script.parts, starts, ends, strict=True)
    )


@dataclass(frozen=True)
class Estimate:
    """What narrating a script takes, known before any audio is made."""

    characters: int  # of spoken (normalised) text
    seconds: float  # expected length of the episode
    requests: int = 0  # requests to an online voice (one per piece)
    cached: int = 0  # of those, pieces already in the cache: not requested again


ESPEAK_CPS_PER_WPM = 14.6 / 160  # measured: the example article at espeak rate 160
GOOGLE_CPS = 14.0  # Google's Indonesian voice, characters per second (slow: two-thirds)
PIPER_CPS = 15.7  # measured: the joe medium voice on bench/run.py's article, length_scale 1
EDGE_CPS = 15.0  # Edge's Indonesian neural voices at rate "+0%" (an estimate, not measured)


def estimate(script: Script, voice: Voice, engine: EngineOptions | None = None) -> Estimate:
    """Requests and duration from the text alone (speaking rate x characters + pauses)."""
    texts = [u.spoken for u in script.utterances]
    characters = sum(len(text) for text in texts)
    pauses = sum(u.pause_after for u in script.utterances)
    requests = cached = 0
    if voice.engine == "gtts":
        from suaraberita.speech.google import GoogleEngine

        options = engine or EngineOptions()
        google = GoogleEngine(voice, options.cache, options.gtts_url)
        requests, cached = google.plan(texts)
        pauses += max(0, requests - len(texts)) * voice.gtts.piece_gap
        speed = GOOGLE_CPS * (2 / 3 if voice.gtts.slow else 1)
    elif voice.engine == "piper":
        speed = PIPER_CPS / (voice.piper.length_scale or 1.0)
    elif voice.engine == "edge":
        from suaraberita.speech.edge import EdgeEngine

        options = engine or EngineOptions()
        edge = EdgeEngine(voice, options.cache, options.edge_url)
        requests, cached = edge.plan(texts)
        pauses += max(0, requests - len(texts)) * voice.edge.piece_gap
        speed = EDGE_CPS * (1 + int(voice.edge.rate.rstrip("%")) / 100)
    else:
        speed = ESPEAK_CPS_PER_WPM * voice.rate
    seconds = (characters / speed + pauses) / voice.tempo
    return Estimate(characters, seconds, requests, cached)


def spoken_takes(script: Script, engine: Engine) -> Iterator[tuple[Pcm, float]]:
    """The engine's PCM for each utterance with its pause; the engine may work ahead."""
    utterances = script.utterances
    pcms = engine.synthesize_all([u.spoken for u in utterances])
    try:
        for utterance in utterances:
            try:
                pcm = next(pcms)
            except SuaraberitaError:
                raise
            except Exception as exc:  # engine internals: name the utterance that failed
                raise EngineError(
                    f"{engine.name} could not speak {utterance.text[:60]!r}: {exc}"
                ) from exc
            yield pcm, utterance.pause_after
    finally:
        if isinstance(pcms, Generator):
            pcms.close()  # stop the work ahead when rendering stops early


def _tags(
    article: Article, podcast: Podcast, now: datetime, cover: Cover, transcript: str
) -> EpisodeTags:
    return EpisodeTags(
        title=article.title,
        artist=article.meta.author or podcast.author,
        album=podcast.title,
        date=(article.meta.date or now.date().isoformat())[:10],
        comment=_summary(article),
        url=article.meta.url,
        cover=for_embedding(cover),
        transcript=transcript,
    )


def _summary(article: Article) -> str:
    """Subtitle and first intro paragraph, as one short text."""
    parts = [p for p in (article.subtitle, *article.intro[:1]) if p]
    text = " ".join(p if p[-1] in ".!?…" else p + "." for p in parts) or article.title
    if len(text) > SUMMARY_MAX:
        text = text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
    return text


def _refuse_another_article(output: Path, previous: Episode, script: Script) -> None:
    """An episode named by its title alone is updated by an edit of its article, never
    replaced unasked by a different article that shares the title (a daily column)."""
    from suaraberita.publish.site import cue_text, read_vtt

    cues = read_vtt(output / previous.sidecars[1])
    if not cues:  # nothing to compare with: an update, as before
        return
    old = " ".join(cue_text(cue) for cue in cues)
    new = " ".join(u.text for part in script.parts for u in part.utterances)
    if not same_article(old, new):
        raise InputError(
            f"the output folder already has an episode titled {previous.title!r} "
            f"({previous.audio_file}) narrated from a different article",
            hint="two articles share this title; give this one its own `id:` in front "
            "matter, or narrate it with --replace to replace that episode",
        )


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
        low, high = PUB_YEARS
        try:
            in_range = low <= parsed.astimezone(UTC).year <= high
        except OverflowError:  # 0001-01-01T00:00+07:00 is in the year 0 in UTC
            in_range = False
        if not in_range:
            raise InputError(
                f"the article's date {article.meta.date!r} is outside the years {low} to {high}",
                path=article.source,
                hint="podcast apps read no other dates (gPodder takes 0001 for 2001); check "
                "the year",
            )
        return parsed
    if previous is not None:
        return previous.pub_date
    return now
