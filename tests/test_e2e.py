"""End to end through the real CLI: espeak-ng, ffmpeg, mutagen, podcast parsers."""

from __future__ import annotations

from pathlib import Path

import feedparser
import podcastparser
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from suaraberita.audio.tags import read_chapters
from tests.conftest import (
    MARKDOWN_ARTICLE,
    MD_SLUG,
    MD_TITLES,
    PASTED_ARTICLE,
    decode_pcm,
    ffmpeg_info,
    rms,
)
from tests.episode_checks import format_and_chapters, id3_chapters


def test_mp3_format_and_chapters_as_ffmpeg_reads_them(narrated: Path) -> None:
    format_and_chapters(narrated / f"{MD_SLUG}.mp3", MD_TITLES)


def test_id3_v23_with_ordered_toc(narrated: Path) -> None:
    path = narrated / f"{MD_SLUG}.mp3"
    id3_chapters(path, MD_TITLES)
    assert str(ID3(path)["TPE1"]) == "Tim Redaksi"


def test_each_chapter_starts_where_its_speech_starts(narrated: Path) -> None:
    path = narrated / f"{MD_SLUG}.mp3"
    samples, rate = decode_pcm(path)
    chapters = read_chapters(path)
    assert rms(samples, rate, 0.0, 0.3) > 300  # speech begins at once
    for chapter in chapters[1:]:
        before = rms(samples, rate, chapter.start - 0.5, chapter.start - 0.05)
        after = rms(samples, rate, chapter.start + 0.02, chapter.start + 0.4)
        assert before < 50, f"{chapter.title}: not silent before its start"
        assert after > 300, f"{chapter.title}: no speech right after its start"


def test_feed_read_by_podcast_clients(narrated: Path) -> None:
    feed = narrated / "feed.xml"
    mp3 = narrated / f"{MD_SLUG}.mp3"
    with feed.open("rb") as handle:
        parsed = podcastparser.parse("http://localhost:8000/feed.xml", handle)
    [episode] = parsed["episodes"]
    assert episode["title"] == MD_TITLES[0]
    assert episode["guid"] == "https://contoh.id/berita/kereta-cepat"
    [enclosure] = episode["enclosures"]
    assert enclosure["url"] == f"http://localhost:8000/{MD_SLUG}.mp3"
    assert enclosure["file_size"] == mp3.stat().st_size
    assert enclosure["mime_type"] == "audio/mpeg"
    assert episode["total_time"] == round(MP3(mp3).info.length)
    assert episode["published"] > 0

    fp = feedparser.parse(feed.read_bytes())
    assert not fp.bozo, fp.get("bozo_exception")
    assert fp.feed.language == "id"
    [entry] = fp.entries
    assert entry.title == MD_TITLES[0]
    assert entry.enclosures[0]["length"] == str(mp3.stat().st_size)
    assert entry.published_parsed[:3] == (2021, 2, 13)
    assert int(entry.itunes_duration) == episode["total_time"]


def test_renarrating_updates_the_item_and_keeps_its_guid(run_cli, tmp_path: Path) -> None:
    article = tmp_path / "pasar.txt"
    article.write_text(PASTED_ARTICLE, encoding="utf-8")
    assert run_cli("narrate", "pasar.txt").code == 0
    first = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    article.write_text(PASTED_ARTICLE.replace("Pembeli datang", "Para pembeli datang"))
    second_run = run_cli("narrate", "pasar.txt", "-q")
    assert second_run.code == 0
    assert second_run.stdout == ""
    second = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    assert len(second.entries) == 1
    assert second.entries[0].id == first.entries[0].id
    size = (tmp_path / "output/pasar-ikan-baru-dibuka-di-tepi-sungai.mp3").stat().st_size
    assert second.entries[0].enclosures[0]["length"] == str(size)
    assert sorted(p.name for p in (tmp_path / "output").glob("*.mp3")) == [
        "pasar-ikan-baru-dibuka-di-tepi-sungai.mp3"
    ]


def test_pasted_text_chapters_and_preview_without_noise(run_cli, tmp_path: Path) -> None:
    (tmp_path / "pasar.txt").write_text(PASTED_ARTICLE, encoding="utf-8")
    preview = run_cli("preview", "pasar.txt")
    assert preview.code == 0, preview.stderr
    text = preview.stdout
    assert "Gedung baru memiliki saluran air" in text
    assert "Satu. Gedung yang lebih bersih." in text
    for noise in ("Baca Juga", "Verified Writer", "Penulis Lepas", "Community adalah",
                  "Topik", "Berita Terkini", "Pedagang menata ikan", "Rina Sari"):  # fmt: skip
        assert noise not in text, noise

    result = run_cli("narrate", "pasar.txt")
    assert result.code == 0, result.stderr
    info = ffmpeg_info(tmp_path / "output/pasar-ikan-baru-dibuka-di-tepi-sungai.mp3")
    assert [t for _, _, t in info.chapters] == [
        "Pasar Ikan Baru Dibuka di Tepi Sungai",
        "1. Gedung yang lebih bersih",
        "2. Pembeli makin ramai",
    ]


def test_standard_input_and_article_without_sections(run_cli, tmp_path: Path) -> None:
    text = "Hujan Deras di Kota\n\nHujan turun sejak pagi. Jalan utama tergenang air.\n"
    result = run_cli("narrate", "-", "--output", "hasil", stdin=text.encode())
    assert result.code == 0, result.stderr
    info = ffmpeg_info(tmp_path / "hasil/hujan-deras-di-kota.mp3")
    assert [t for _, _, t in info.chapters] == ["Hujan Deras di Kota"]
    assert info.chapters[0][1] == pytest.approx(info.duration, abs=0.1)


def test_two_articles_in_one_call_share_one_feed(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PASTED_ARTICLE, encoding="utf-8")
    result = run_cli("narrate", "a.md", "b.txt", "--base-url", "https://pod.contoh.id/siaran")
    assert result.code == 0, result.stderr
    with (tmp_path / "output/feed.xml").open("rb") as handle:
        parsed = podcastparser.parse("https://pod.contoh.id/siaran/feed.xml", handle)
    urls = sorted(e["enclosures"][0]["url"] for e in parsed["episodes"])
    assert urls == [
        f"https://pod.contoh.id/siaran/{MD_SLUG}.mp3",
        "https://pod.contoh.id/siaran/pasar-ikan-baru-dibuka-di-tepi-sungai.mp3",
    ]


def test_titles_in_other_scripts_keep_their_own_episodes(run_cli, tmp_path: Path) -> None:
    # with no id or url the title names the episode; a title the slug cannot spell must
    # not fold into a shared "episode" guid that each new article replaces
    titles = ["غزة", "北京", "🎉", "Banjir di 北京"]
    for n, title in enumerate(titles):
        body = f"Warga kota berkumpul di alun-alun pada Senin pagi untuk acara ke-{n + 1}."
        (tmp_path / f"a{n}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    result = run_cli("narrate", "-q", *(f"a{n}.txt" for n in range(len(titles))))
    assert result.code == 0, result.stderr
    feed = feedparser.parse((tmp_path / "output/feed.xml").read_bytes())
    assert sorted(e.title for e in feed.entries) == sorted(titles)
    assert len({e.id for e in feed.entries}) == len(titles)
    assert len(list((tmp_path / "output").glob("*.mp3"))) == len(titles)
    again = run_cli("narrate", "-q", "a0.txt")  # the same article is still the same episode
    assert again.code == 0, again.stderr
    assert len(feedparser.parse((tmp_path / "output/feed.xml").read_bytes()).entries) == 4


WEATHER = """Prakiraan Cuaca Hari Ini

{sky} di sebagian besar wilayah Jakarta sepanjang hari ini. Suhu udara berkisar antara
{low} hingga {high} derajat Celsius menurut pengamatan stasiun setempat.

{advice}
"""
MONDAY = WEATHER.format(
    sky="Hujan ringan diperkirakan turun", low=25, high=32,
    advice="Warga diimbau membawa payung saat bepergian pada siang hari.",
)  # fmt: skip
TUESDAY = WEATHER.format(
    sky="Cuaca cerah berawan menyelimuti kota", low=26, high=33,
    advice="Badan meteorologi tidak mengeluarkan peringatan dini untuk hari ini.",
)  # fmt: skip


def test_a_different_article_with_the_same_title_never_replaces_silently(
    run_cli, tmp_path: Path
) -> None:
    (tmp_path / "senin.txt").write_text(MONDAY, encoding="utf-8")
    (tmp_path / "selasa.txt").write_text(TUESDAY, encoding="utf-8")
    feed, mp3 = tmp_path / "output/feed.xml", tmp_path / "output/prakiraan-cuaca-hari-ini.mp3"
    assert run_cli("narrate", "-q", "senin.txt").code == 0
    kept = (feed.read_bytes(), mp3.read_bytes())

    refused = run_cli("narrate", "-q", "selasa.txt")
    assert refused.code == 3
    assert "different article" in refused.stderr
    assert "--replace" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (feed.read_bytes(), mp3.read_bytes()) == kept

    # an edit of the same article updates its episode
    (tmp_path / "senin.txt").write_text(MONDAY.replace("membawa payung", "selalu membawa payung"))
    assert run_cli("narrate", "-q", "senin.txt").code == 0
    assert "selalu membawa" in (tmp_path / "output/prakiraan-cuaca-hari-ini.vtt").read_text()

    # asked for, the other article replaces it
    assert run_cli("narrate", "-q", "--replace", "selasa.txt").code == 0
    entries = feedparser.parse(feed.read_bytes()).entries
    assert len(entries) == 1
    assert "cerah berawan" in (tmp_path / "output/prakiraan-cuaca-hari-ini.vtt").read_text()


def test_two_articles_with_one_title_in_one_batch_publish_one(run_cli, tmp_path: Path) -> None:
    (tmp_path / "senin.txt").write_text(MONDAY, encoding="utf-8")
    (tmp_path / "selasa.txt").write_text(TUESDAY, encoding="utf-8")
    result = run_cli("narrate", "-q", "--jobs", "2", "senin.txt", "selasa.txt")
    assert result.code == 8, result.stderr
    assert "1 of 2 articles failed" in result.stderr
    assert len(feedparser.parse((tmp_path / "output/feed.xml").read_bytes()).entries) == 1


@pytest.mark.parametrize("blocked", ["index.html", "assets/site.css"])
def test_a_new_episode_whose_pages_cannot_be_written_is_not_published(
    run_cli, tmp_path: Path, blocked: str
) -> None:
    """All of an episode or none of it: the feed, the store and the folder stay as they
    were when a page cannot be written, and the next run publishes it whole."""
    (tmp_path / "senin.txt").write_text(MONDAY, encoding="utf-8")
    (tmp_path / "kereta.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    assert run_cli("narrate", "-q", "senin.txt").code == 0
    output = tmp_path / "output"
    page = output / blocked
    page.unlink()
    page.mkdir()  # the show's page cannot be written
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file() and p.suffix != ".db"}
    failed = run_cli("narrate", "-q", "kereta.md")
    assert failed.code == 7, failed.stderr
    assert "a folder is in its place" in failed.stderr
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file() and p.suffix != ".db"}
    assert after == before  # no MP3, sidecar, page or feed of the new episode
    listed = run_cli("feed", "list")
    assert MD_SLUG not in listed.stdout
    page.rmdir()
    assert run_cli("narrate", "-q", "kereta.md").code == 0
    entries = feedparser.parse((output / "feed.xml").read_bytes()).entries
    assert len(entries) == 2
    assert (output / f"{MD_SLUG}.html").is_file()
    assert page.is_file()


def test_a_run_cut_short_before_its_pages_is_repaired_by_the_next(run_cli, tmp_path: Path) -> None:
    (tmp_path / "senin.txt").write_text(MONDAY, encoding="utf-8")
    assert run_cli("narrate", "-q", "senin.txt").code == 0
    page = tmp_path / "output/prakiraan-cuaca-hari-ini.html"
    page.unlink()
    page.mkdir()  # a page that cannot be written: a clear error, no traceback
    failed = run_cli("narrate", "-q", "--force", "senin.txt")
    assert failed.code == 7
    assert "Traceback" not in failed.stderr
    page.rmdir()
    again = run_cli("narrate", "senin.txt")  # not "up to date": the page is missing
    assert again.code == 0, again.stderr
    assert "up to date" not in again.stdout
    assert page.is_file()
    (tmp_path / "output/index.html").unlink()
    assert run_cli("narrate", "-q", "senin.txt").code == 0
    assert (tmp_path / "output/index.html").is_file()
    assert "up to date" in run_cli("narrate", "senin.txt").stdout


def test_the_shared_episode_checks_pass_on_the_espeak_episode(narrated: Path) -> None:
    # tests/episode_checks.py gathers this file's checks for the other voices' episodes
    from tests.episode_checks import check_episode

    checked = check_episode(narrated, MD_SLUG, MD_TITLES, ("Banyak penumpang senang.",))
    assert checked.cues >= len(MD_TITLES)
