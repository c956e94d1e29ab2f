"""Feed rendering and the episode store."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import podcastparser
import pytest

from suaraberita.audio.tags import Chapter
from suaraberita.errors import FeedError, InputError
from suaraberita.publish.feed import render_feed
from suaraberita.publish.store import SCHEMA_VERSION, Episode, Store
from suaraberita.settings import Podcast

HOSTILE = "Tom & Jerry <script>alert(\"x\")</script> ]]> \x07 'kutip'"


def _episode(guid: str = "g1", title: str = "Judul", **kw: object) -> Episode:
    values: dict[str, object] = {
        "guid": guid,
        "slug": guid,
        "title": title,
        "summary": "Ringkasan & lainnya",
        "pub_date": datetime(2021, 2, 13, 2, 0, tzinfo=UTC),
        "duration": 61.6,
        "audio_file": f"{guid}.mp3",
        "audio_length": 12345,
        "chapters": (Chapter("Pembuka", 0.0, 10.0), Chapter("1. Isi", 10.0, 61.6)),
        "voice": "id-espeak",
    }
    values.update(kw)
    return Episode(**values)  # type: ignore[arg-type]


def test_hostile_text_is_escaped_and_parses() -> None:
    xml = render_feed(Podcast(title=HOSTILE), (_episode(title=HOSTILE),), "cover.png")
    assert b"<script>" not in xml
    fp = feedparser.parse(xml)
    assert not fp.bozo, fp.get("bozo_exception")
    expected = " ".join(HOSTILE.replace("\x07", "").split())  # podcastparser squashes spaces
    parsed = podcastparser.parse("http://localhost:8000/feed.xml", io.BytesIO(xml))
    assert parsed["title"] == expected
    assert parsed["episodes"][0]["title"] == expected


def test_item_fields() -> None:
    xml = render_feed(Podcast(base_url="https://contoh.id/pod/"), (_episode(),), "cover.png")
    [entry] = feedparser.parse(xml).entries
    assert entry.enclosures[0]["href"] == "https://contoh.id/pod/g1.mp3"
    assert entry.enclosures[0]["length"] == "12345"
    assert entry.id == "g1"
    assert entry.guidislink is False
    assert entry.published == "Sat, 13 Feb 2021 02:00:00 +0000"
    assert entry.itunes_duration == "62"


def test_store_round_trip_upsert_and_order(tmp_path: Path) -> None:
    with Store(tmp_path / "episodes.db") as store:
        store.put(_episode("lama", pub_date=datetime(2020, 1, 1, tzinfo=UTC)))
        store.put(_episode("baru"))
        store.put(_episode("lama", title="Judul baru", pub_date=datetime(2020, 1, 1, tzinfo=UTC)))
        episodes = store.episodes()
    assert [e.guid for e in episodes] == ["baru", "lama"]
    assert episodes[1].title == "Judul baru"
    assert episodes[0] == _episode("baru", number=2)
    assert episodes[1].number == 1  # kept when the episode was replaced


def test_reserved_slugs_keep_own_and_avoid_others(tmp_path: Path) -> None:
    import os

    with Store(tmp_path / "episodes.db") as store:
        store.put(_episode("g1", slug="berita"))
        assert store.reserve_slug("g1", "lain", os.getpid()) == "berita"
        assert store.reserve_slug("g2", "berita", os.getpid()) == "berita-2"
        # another live process narrating a third article with the same title
        assert store.reserve_slug("g3", "berita", os.getpid()) == "berita-3"
        assert store.reserve_slug("g2", "berita", os.getpid()) == "berita-2"  # its own
        store.put(_episode("g2", slug="berita-2"))
        # a reservation of a process that is gone is free again
        assert store.reserve_slug("g4", "kabar", 2**22 + 12345) == "kabar"
        assert store.reserve_slug("g5", "kabar", os.getpid()) == "kabar"
        # the same episode, wanted by another live process at once: refused, not shared
        store.reserve_slug("g6", "warta", os.getpid())
        with pytest.raises(InputError, match="being narrated right now"):
            store.reserve_slug("g6", "warta", os.getppid())
        # left by a process that is gone: taken over
        store.reserve_slug("g7", "kisah", 2**22 + 12345)
        assert store.reserve_slug("g7", "kisah", os.getpid()) == "kisah"


def test_store_has_schema_version_and_refuses_newer(tmp_path: Path) -> None:
    path = tmp_path / "episodes.db"
    Store(path).__exit__()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(FeedError, match="newer"):
        Store(path)


def test_order_follows_the_instant_not_the_text(tmp_path: Path) -> None:
    from datetime import timedelta, timezone

    wib = timezone(timedelta(hours=7))
    with Store(tmp_path / "episodes.db") as store:
        store.put(_episode("siang-wib", pub_date=datetime(2021, 2, 13, 12, 0, tzinfo=wib)))
        store.put(_episode("pagi-utc", pub_date=datetime(2021, 2, 13, 6, 0, tzinfo=UTC)))
        # 12:00 WIB is 05:00 UTC: earlier than 06:00 UTC, though its text sorts later
        assert [e.guid for e in store.episodes()] == ["pagi-utc", "siang-wib"]


def test_slug_clash_is_an_error_not_a_lost_episode(tmp_path: Path) -> None:
    with Store(tmp_path / "episodes.db") as store:
        store.put(_episode("g1", slug="berita"))
        with pytest.raises(FeedError):
            store.put(_episode("g2", slug="berita"))
        assert [e.guid for e in store.episodes()] == ["g1"]


def test_removing_an_episode_deletes_its_files_under_the_folder_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a narration waiting for the lock to take the freed slug must not lose its new files
    import fcntl

    from suaraberita.pipeline import remove_episode
    from suaraberita.publish.store import episode_files
    from suaraberita.settings import Settings

    with Store(tmp_path / "episodes.db") as store:
        store.put(_episode("g1", slug="berita"))
    for name in episode_files("berita"):
        (tmp_path / name).write_bytes(b"x")
    held: list[bool] = []
    unlink = Path.unlink

    def checked_unlink(path: Path, missing_ok: bool = False) -> None:
        if path.name in episode_files("berita"):
            with open(tmp_path / ".suaraberita.lock", "a+b") as other:
                try:
                    fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    held.append(False)
                except BlockingIOError:
                    held.append(True)
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", checked_unlink)
    assert remove_episode(tmp_path, "berita", Settings()) == list(episode_files("berita"))
    assert held == [True] * len(episode_files("berita"))


def test_new_episodes_never_take_the_show_s_files_or_someone_else_s(tmp_path: Path) -> None:
    import os

    (tmp_path / "catatan.html").write_text("<p>halaman saya</p>")
    (tmp_path / "rapat.chapters.json").write_text("[]")
    with Store(tmp_path / "episodes.db") as store:
        assert store.reserve_slug("g1", "index", os.getpid()) == "index-2"
        assert store.reserve_slug("g2", "catatan", os.getpid()) == "catatan-2"
        assert store.reserve_slug("g3", "rapat", os.getpid()) == "rapat-2"
        store.put(_episode("g4", slug="kabar"))
        (tmp_path / "kabar.mp3").write_bytes(b"ours")
        assert store.reserve_slug("g4", "kabar", os.getpid()) == "kabar"  # its own files


def test_podlove_simple_chapters_match_the_json_chapters() -> None:
    import json
    import xml.etree.ElementTree as ET

    from suaraberita.audio.tags import chapters_json

    chapters = (
        Chapter("Pembuka", 0.0, 10.0),
        Chapter("1. Isi & <lain>", 10.4567, 3725.5, "https://contoh.id/isi"),
        Chapter("2. Penutup", 3725.5, 3800.0, "javascript:alert(1)"),
    )
    xml = render_feed(Podcast(), (_episode(chapters=chapters, duration=3800.0),), "cover.png")
    expected = json.loads(chapters_json(chapters))["chapters"]
    parsed = podcastparser.parse("http://localhost:8000/feed.xml", io.BytesIO(xml))
    read = parsed["episodes"][0]["chapters"]  # podcastparser keeps whole seconds
    assert [(c["title"], c["start"]) for c in read] == [
        (c["title"], int(c["startTime"])) for c in expected
    ]
    assert [c.get("href") for c in read] == [None, "https://contoh.id/isi", None]
    psc = "{http://podlove.org/simple-chapters}"
    marks = ET.fromstring(xml).find(f"channel/item/{psc}chapters")
    assert marks is not None
    assert marks.get("version") == "1.2"
    starts = [m.get("start") for m in marks]
    assert starts == ["00:00:00.000", "00:00:10.457", "01:02:05.500"]
    assert not feedparser.parse(xml).bozo


def _item_of(xml: bytes) -> dict[str, str | None]:
    import xml.etree.ElementTree as ET

    ns = {
        "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
        "dc": "http://purl.org/dc/elements/1.1/",
    }
    item = ET.fromstring(xml).find("channel/item")
    assert item is not None
    image = item.find("itunes:image", ns)
    return {
        "link": item.findtext("link"),
        "image": None if image is None else image.get("href"),
        "author": item.findtext("itunes:author", namespaces=ns),
        "creator": item.findtext("dc:creator", namespaces=ns),
    }


@pytest.mark.parametrize(
    ("link", "image_file", "expected_link", "expected_image"),
    [
        # the article's image as narrating fetched and fitted it, beside the audio
        (
            "https://contoh.id/berita/a",
            "g1.jpg",
            "https://contoh.id/berita/a",
            "https://pod.id/k/g1.jpg",
        ),
        # no article address: the episode's own page; no image of its own: the show's cover
        (None, None, "https://pod.id/k/g1.html", "https://pod.id/k/c.png"),
        ("javascript:alert(1)", None, "https://pod.id/k/g1.html", "https://pod.id/k/c.png"),
    ],
)
def test_every_item_has_a_link_and_an_image(
    link: str | None, image_file: str | None, expected_link: str, expected_image: str
) -> None:
    # the article's own address of its image is never linked as it is: it is unchecked
    episode = _episode(link=link, image="https://contoh.id/foto/a.jpg", image_file=image_file)
    xml = render_feed(Podcast(base_url="https://pod.id/k/"), (episode,), "c.png")
    item = _item_of(xml)
    assert (item["link"], item["image"]) == (expected_link, expected_image)
    [entry] = feedparser.parse(xml).entries
    assert entry.link == expected_link
    parsed = podcastparser.parse("https://pod.id/k/feed.xml", io.BytesIO(xml))
    assert parsed["episodes"][0]["link"] == expected_link
    assert parsed["episodes"][0]["episode_art_url"] == expected_image


def test_the_byline_is_the_item_s_author() -> None:
    xml = render_feed(Podcast(author="Redaksi"), (_episode(author="Rina Sari"),), "c.png")
    item = _item_of(xml)
    assert (item["author"], item["creator"]) == ("Rina Sari", "Rina Sari")
    fp = feedparser.parse(xml)
    assert not fp.bozo
    assert fp.entries[0].author == "Rina Sari"
    assert _item_of(render_feed(Podcast(), (_episode(),), "c.png"))["creator"] is None


def test_numbers_follow_the_date_then_the_narration_order(tmp_path: Path) -> None:
    day = datetime(2021, 2, 13, 12, 0, tzinfo=UTC)
    run, later_run = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    with Store(tmp_path / "episodes.db") as store:
        # finished in another order than they were given: the place in the run counts
        assert store.put(_episode("c", pub_date=day, narrated=run, position=2)).number == 1
        store.put(_episode("b", pub_date=day, narrated=run, position=1))
        store.put(_episode("a", pub_date=day, narrated=run, position=0))
        store.put(_episode("lama", pub_date=datetime(2020, 1, 1, tzinfo=UTC), narrated=later_run))
        store.put(_episode("z", pub_date=day, narrated=later_run, position=0))
        # narrated again in a later run: keeps its first place
        again = store.put(_episode("a", title="Baru", pub_date=day, narrated=later_run, position=9))
        assert (again.number, again.narrated, again.position) == (2, run, 0)
        numbered = [(e.guid, e.number) for e in store.episodes()]
        assert numbered == [("z", 5), ("c", 4), ("b", 3), ("a", 2), ("lama", 1)]
        store.remove("lama")
        assert [(e.guid, e.number) for e in store.episodes()][-1] == ("a", 1)


def test_an_older_store_is_numbered_by_date_when_upgraded(tmp_path: Path) -> None:
    from suaraberita.publish import store as store_module

    path = tmp_path / "episodes.db"
    db = sqlite3.connect(path)
    for step in range(1, 6):
        db.executescript(store_module._MIGRATIONS[step])
    columns = "guid, slug, title, summary, pub_date, duration, audio_file, audio_length, chapters"
    for number, (guid, date) in enumerate([("baru", "2021-03-01"), ("lama", "2021-01-01")], 1):
        db.execute(
            f"INSERT INTO episodes ({columns}, voice, number) VALUES (?, ?, 't', 's', ?, 1.0,"
            " 'a.mp3', 1, '[]', 'id-espeak', ?)",
            (guid, guid, f"{date}T12:00:00+07:00", number),
        )
    db.execute("PRAGMA user_version = 5")
    db.commit()
    db.close()
    with Store(path) as store:
        assert [(e.guid, e.number) for e in store.episodes()] == [("baru", 2), ("lama", 1)]
