"""Article parsing: golden files, front matter, pasted text and every InputError.

Golden files: each ``tests/data/<name>.md`` or ``.txt`` has ``<name>.json`` with the
expected parse. After a deliberate change, regenerate them and read the diff:

    SUARABERITA_REGENERATE=1 python -m pytest tests/test_article.py -k golden
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suaraberita.errors import InputError
from suaraberita.intake.article import (
    Article,
    Meta,
    Section,
    decode_article_bytes,
    detect_kind,
    parse_article,
    read_article_file,
)
from suaraberita.intake.clutter import Dropped
from suaraberita.intake.noise import is_noise

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parent.parent / "examples"
GOLDEN_INPUTS = sorted([*DATA.glob("*.md"), *DATA.glob("*.txt")])
REGENERATE = os.environ.get("SUARABERITA_REGENERATE") == "1"


def as_json(article: Article) -> Any:
    """The comparable form: asdict without `source`, tuples as lists."""
    data = dataclasses.asdict(article)
    del data["source"]
    return json.loads(json.dumps(data))


# --- golden files ----------------------------------------------------------------


def test_golden_inputs_exist_with_distinct_names() -> None:
    assert {path.suffix for path in GOLDEN_INPUTS} == {".md", ".txt"}
    stems = [path.stem for path in GOLDEN_INPUTS]
    assert len(stems) == len(set(stems)), "two inputs would share one .json"


@pytest.mark.parametrize("path", GOLDEN_INPUTS, ids=lambda path: path.name)
def test_golden(path: Path) -> None:
    article = parse_article(read_article_file(path), source=path.name)
    expected_path = path.with_suffix(".json")
    if REGENERATE:
        text = json.dumps(as_json(article), ensure_ascii=False, indent=2) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    assert expected_path.exists(), f"no {expected_path.name}; regenerate (see module doc)"
    assert as_json(article) == json.loads(expected_path.read_text(encoding="utf-8"))
    assert article.source == path.name


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.*")), ids=lambda path: path.name)
def test_examples_parse_into_three_clean_sections(path: Path) -> None:
    article = parse_article(read_article_file(path), source=path.name)
    assert [section.number for section in article.sections] == [1, 2, 3]
    paragraphs = [*article.intro, *(p for s in article.sections for p in s.paragraphs)]
    assert all(is_noise(p, article.title) is None for p in paragraphs)
    words = sum(len(p.split()) for p in paragraphs)
    assert 300 <= words <= 800


# --- detecting the kind ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("---\ntitle: A\n---\nIsi.", "markdown"),
        ("\n\n---\ntitle: A\n---\nIsi.", "markdown"),
        ("Judul\n\n## Bagian\n\nIsi.", "markdown"),
        ("Judul\n\n###### Bagian\n\nIsi.", "markdown"),
        ("Judul\n\nIsi #tagar dan #1 di sini.", "text"),
        ("Judul\n\n#Tagar\n\nIsi.", "text"),
        ("Judul\n\n1. Bagian\n\nIsi.", "text"),
    ],
)
def test_detect_kind(text: str, kind: str) -> None:
    assert detect_kind(text) == kind


def test_kind_can_be_forced() -> None:
    text = "# Bukan judul Markdown\n\nIsi paragraf."
    assert parse_article(text, kind="text").title == "# Bukan judul Markdown"
    assert parse_article(text, kind="markdown").title == "Bukan judul Markdown"


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="kind"):
        parse_article("Judul\n\nIsi.", kind="html")


# --- pasted text ---------------------------------------------------------------------


def test_text_title_subtitle_intro_sections() -> None:
    article = parse_article(
        "Judul  Berita \n\nSubjudul pendek\n\nKota, Media – Pembuka.\n\n"
        "1. Bagian pertama\n\nIsi satu.\n\n2. Bagian kedua\n\nIsi dua.\n"
    )
    assert article == Article(
        title="Judul Berita",
        subtitle="Subjudul pendek",
        intro=("Kota, Pembuka.",),  # the dateline's outlet is not said
        sections=(
            Section("Bagian pertama", ("Isi satu.",), 1),
            Section("Bagian kedua", ("Isi dua.",), 2),
        ),
        dropped=(Dropped(5, "Kota, Media –", "dateline", "said: Kota,"),),
    )


@pytest.mark.parametrize(
    "second",
    [
        "Subjudul ini berakhir dengan titik.",
        "Subjudul ini terlalu panjang karena punya lebih dari dua belas kata di dalam satu baris",
        "1. Bagian pertama",
    ],
)
def test_text_second_line_that_is_not_a_subtitle(second: str) -> None:
    article = parse_article(f"Judul\n\n{second}\n\nParagraf berikutnya.")
    assert article.subtitle is None


def test_text_subtitle_needs_a_blank_line_after_it() -> None:
    article = parse_article("Judul\n\nBaris pendek\nlanjutan kalimatnya.")
    assert article.subtitle is None
    assert article.intro == ("Baris pendek lanjutan kalimatnya.",)


def test_text_single_line_breaks_between_paragraphs() -> None:
    article = parse_article(
        "Judul\n\nKalimat pertama selesai di sini.\nParagraf kedua dimulai.\n"
        "Kalimat yang dibungkus di tengah\njalan tetap satu paragraf,\n"
        "Koma di akhir baris juga.\n"
    )
    assert article.intro == (
        "Kalimat pertama selesai di sini.",
        "Paragraf kedua dimulai.",
        "Kalimat yang dibungkus di tengah jalan tetap satu paragraf, Koma di akhir baris juga.",
    )


def test_text_heading_directly_followed_by_paragraph() -> None:
    article = parse_article("Judul\n\nPembuka.\n1. Bagian\nIsi bagian.\n")
    assert article.intro == ("Pembuka.",)
    assert article.sections == (Section("Bagian", ("Isi bagian.",), 1),)


@pytest.mark.parametrize(
    "body",
    [
        "1. Siapkan KTP\n2. Isi formulir",  # a numbered list, not headings
        "2. Pemerintah menaikkan tarif air bersih mulai bulan depan.",  # a sentence
        "Ada tiga hal yang\n3. perlu dicatat",  # not after a finished sentence
        "1.500 warga datang",  # a number, not a heading
    ],
)
def test_text_numbered_lines_that_are_not_headings(body: str) -> None:
    article = parse_article(f"Judul\n\nPembuka.\n\n{body}\n")
    assert article.sections == ()


def test_text_bullets_stay_as_paragraphs_without_the_marker() -> None:
    article = parse_article("Judul\n\nYang dibawa:\n• KTP\n• Kartu keluarga\n")
    assert article.intro == ("Yang dibawa:", "KTP", "Kartu keluarga")


def test_text_keeps_typography_and_drops_invisible_characters() -> None:
    article = parse_article("Judul\n\n“Kutipan” – kata\u00a0dia\u200b,  lalu  pergi…\t\n")
    assert article.intro == ("“Kutipan” – kata dia, lalu pergi…",)


def test_section_numbers_keep_the_order_written() -> None:
    article = parse_article("Judul\n\nPembuka.\n\n3. Tiga\n\nA.\n\n2. Dua\n\nB.\n")
    assert [(s.number, s.heading) for s in article.sections] == [(3, "Tiga"), (2, "Dua")]


def test_noise_is_removed_from_text_but_headings_stay() -> None:
    article = parse_article(
        "Judul\n\nPembuka.\n\n1. Bagian\n\nJudulWarga antre. (Dok. Pemkot)\n\n"
        "Baca Juga: Berita lain\n"
    )
    assert article.sections == (Section("Bagian", (), 1),)


# --- Markdown ------------------------------------------------------------------------


def test_markdown_title_from_first_h1_and_later_h1_is_a_section() -> None:
    article = parse_article("Pembuka.\n\n# Judul\n\nIsi.\n\n# Bagian\n\nLagi.\n")
    assert article.title == "Judul"
    assert article.intro == ("Pembuka.", "Isi.")
    assert article.sections == (Section("Bagian", ("Lagi.",)),)


def test_markdown_title_from_first_paragraph_when_no_h1() -> None:
    article = parse_article("---\nauthor: A\n---\nJudul di paragraf\n\n## 1. Satu\n\nIsi.\n")
    assert article.title == "Judul di paragraf"
    assert article.meta == Meta(author="A")
    assert article.sections == (Section("Satu", ("Isi.",), 1),)


def test_markdown_front_matter_title_wins_and_duplicate_h1_goes() -> None:
    text = "---\ntitle: Judul\n---\n# Judul\n\nIsi.\n\n# Lain\n\nLagi.\n"
    article = parse_article(text)
    assert article.title == "Judul"
    assert article.intro == ("Isi.",)
    assert [s.heading for s in article.sections] == ["Lain"]


def test_markdown_h1_differing_from_front_matter_title_is_a_section() -> None:
    article = parse_article("---\ntitle: Judul\n---\n# Bagian\n\nIsi.\n")
    assert article.sections == (Section("Bagian", ("Isi.",)),)


@pytest.mark.parametrize(
    ("front", "meta"),
    [
        ("date: 2024-02-13", Meta(date="2024-02-13")),
        ("date: 2024-02-13 10:30:00", Meta(date="2024-02-13T10:30:00")),
        ("date: 2024-02-13T10:30:00+07:00", Meta(date="2024-02-13T10:30:00+07:00")),
        ("date: 13 Februari 2024", Meta(date="13 Februari 2024")),
        ("tags: ekonomi, kota ,", Meta(tags=("ekonomi", "kota"))),
        ("tags: ekonomi", Meta(tags=("ekonomi",))),
        ("tags: [a, b]", Meta(tags=("a", "b"))),
        ("tags: []", Meta()),
        ("tags:", Meta()),
        ("id: 123", Meta(id="123")),
        ("id: abc-1", Meta(id="abc-1")),
        ("url: https://contoh.id/a\nimage: a.jpg", Meta(url="https://contoh.id/a", image="a.jpg")),
        ("layout: post\ndraft: true", Meta()),
        ("author: ''", Meta()),
    ],
)
def test_front_matter_fields(front: str, meta: Meta) -> None:
    article = parse_article(f"---\ntitle: Judul\n{front}\n---\nIsi.\n")
    assert article.meta == meta


def test_empty_front_matter_is_allowed() -> None:
    article = parse_article("---\n---\n# Judul\n\nIsi.\n")
    assert (article.title, article.meta) == ("Judul", Meta())


def test_markdown_inline_markup_images_html_and_code() -> None:
    article = parse_article(
        "# Judul *miring*\n\nTeks **tebal**, `kode`, [tautan](https://x.id) dan\\\n"
        "baris <b>baru</b> ![gambar](a.png) &amp; ~~coret~~ lagi.\n\n![foto](b.png)\n\n"
        "<div>dibuang</div>\n\n    kode indentasi\n\n- butir *satu*\n- butir dua\n\n"
        "> kutipan\n"
    )
    assert article.title == "Judul miring"
    assert article.intro == (
        "Teks tebal, kode, tautan dan baris baru & lagi.",
        "butir satu",
        "butir dua",
        "kutipan",
    )


def test_markdown_heading_numbers() -> None:
    article = parse_article("# J\n\n## 1. Satu\n\nA.\n\n### Dua\n\nB.\n\n## 10. Sepuluh\n\nC.\n")
    assert [(s.number, s.heading) for s in article.sections] == [
        (1, "Satu"),
        (None, "Dua"),
        (10, "Sepuluh"),
    ]


def test_crlf_and_bom_in_text_given_directly() -> None:
    article = parse_article("\ufeff---\r\ntitle: Judul\r\n---\r\nIsi.\r\n")
    assert (article.title, article.intro) == ("Judul", ("Isi.",))


# --- InputError: parsing -----------------------------------------------------------------


def raises_input_error(text: str, match: str, kind: str = "auto") -> InputError:
    with pytest.raises(InputError, match=match) as info:
        parse_article(text, source="berita.md", kind=kind)
    assert info.value.path == "berita.md"
    assert str(info.value).startswith("berita.md: ")
    return info.value


@pytest.mark.parametrize("text", ["", " \n\t\n", "\ufeff"])
def test_empty_text(text: str) -> None:
    raises_input_error(text, "empty")


@pytest.mark.parametrize(
    "text",
    [
        "---\nauthor: A\n---\n",
        "---\nauthor: A\n---\n![foto](a.png)\n\n```\nkode\n```\n",
        "---\n---\n# \n\n<div>html</div>\n",
    ],
)
def test_no_title(text: str) -> None:
    error = raises_input_error(text, "no title")
    assert error.hint


@pytest.mark.parametrize(
    "text",
    [
        "Judul saja",
        "Judul saja\n\nSubjudul\n",
        "# Judul\n",
        "---\ntitle: Judul\n---\n",
        "---\ntitle: Judul\n---\n## 1. Bagian tanpa isi\n",
        "Judul\n\n1. Bagian\n\n2. Bagian lain\n",
    ],
)
def test_title_without_body(text: str) -> None:
    error = raises_input_error(text, "title but no body")
    assert error.hint is not None
    assert "only the headline" in error.hint


def test_body_that_is_all_noise() -> None:
    error = raises_input_error("Judul\n\nBaca Juga: Lain\n\nJudulFoto warga (Dok. RT)\n", "no body")
    assert error.hint is not None
    assert "noise" in error.hint


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntitle: Judul\nauthor: a: b\n---\nIsi.\n", 3),
        ("---\ntitle: Judul\ntags: [a, b\n---\nIsi.\n", 3),
        ("\n\n---\ntitle: 'Judul\n---\nIsi.\n", 4),
        ("---\ntitle: Judul\n\tauthor: A\n---\nIsi.\n", 3),
    ],
)
def test_broken_yaml_names_the_file_line(text: str, line: int) -> None:
    error = raises_input_error(text, f"not valid YAML on line {line}:")
    assert error.hint


def test_unclosed_front_matter() -> None:
    raises_input_error("---\ntitle: Judul\n\nIsi.\n", "front matter opened on line 1 is not closed")


@pytest.mark.parametrize(
    ("front", "what"),
    [("- a\n- b", "a list"), ("Judul saja", "a text"), ("42", "a number")],
)
def test_front_matter_that_is_not_a_mapping(front: str, what: str) -> None:
    raises_input_error(f"---\n{front}\n---\nIsi.\n", f"front matter is {what}, not a set")


@pytest.mark.parametrize(
    ("front", "match"),
    [
        ("title: 2024", "'title' must be text, not number"),
        ("title: [a]", "'title' must be text, not list"),
        ("subtitle: {a: 1}", "'subtitle' must be text, not mapping"),
        ("author: true", "'author' must be text, not true/false"),
        ("url: 3.5", "'url' must be text"),
        ("image: [a.jpg]", "'image' must be text"),
        ("date: 20240213", "'date' must be a date"),
        ("date: [2024]", "'date' must be a date"),
        ("id: [1]", "'id' must be text or a number"),
        ("id: true", "'id' must be text or a number"),
        ("tags: [a, 1]", "'tags' must be a list of strings"),
        ("tags: {a: b}", "'tags' must be a list of strings, not mapping"),
        ("tags: 5", "'tags' must be a list of strings"),
    ],
)
def test_front_matter_field_of_wrong_type(front: str, match: str) -> None:
    error = raises_input_error(f"---\ntitle: Judul\n{front}\n---\nIsi.\n", match)
    assert error.hint is not None
    assert error.hint.startswith("write e.g.")


# --- InputError: bytes and files ----------------------------------------------------------


def test_decode_strips_bom_and_normalises_line_ends() -> None:
    data = "\ufeffJudul\r\nBaris\rAkhir “kutip”\r\n".encode()
    assert decode_article_bytes(data, "a.txt") == "Judul\nBaris\nAkhir “kutip”\n"


@pytest.mark.parametrize(
    ("data", "match", "hint"),
    [
        (b"Judul\x00\x01\x02", "binary", "NUL"),
        (b"%PDF-1.7\n\x00\x00", "binary", "PDF"),
        (b"PK\x03\x04\x00\x00", "binary", "Word"),
        ("Judul".encode("utf-16"), "UTF-16", "UTF-8"),
        (
            b"Judul\n\nHarga \x80 naik",
            r"not valid UTF-8 \(byte 0x80 at offset 13, line 3\)",
            "save the file as UTF-8",
        ),
        (b"\xef\xbb\xbfCaf\xe9", "offset 6, line 1", "UTF-8"),
        (b"", "empty", "no text"),
        (b" \r\n\t\r\n", "empty", "no text"),
        (b"\xef\xbb\xbf", "empty", "no text"),
    ],
)
def test_decode_refuses(data: bytes, match: str, hint: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        decode_article_bytes(data, "a.txt")
    assert info.value.path == "a.txt"
    assert info.value.hint is not None
    assert hint in info.value.hint


def test_read_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Judul\r\n\r\nIsi.")
    assert read_article_file(path) == "Judul\n\nIsi."


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        read_article_file(tmp_path / "tidak-ada.md")
    assert info.value.path == tmp_path / "tidak-ada.md"
    assert info.value.hint


def test_read_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory") as info:
        read_article_file(tmp_path)
    assert info.value.path == tmp_path


def test_read_too_large(tmp_path: Path) -> None:
    path = tmp_path / "besar.txt"
    path.write_bytes(b"a" * 101)
    assert read_article_file(path, max_bytes=101) == "a" * 101
    with pytest.raises(InputError, match=r"too large .*\(101 bytes\)") as info:
        read_article_file(path, max_bytes=100)
    assert info.value.hint is not None
    assert "100 bytes" in info.value.hint


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_read_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "rahasia.txt"
    path.write_text("Judul\n\nIsi.")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            read_article_file(path)
    finally:
        path.chmod(0o644)


def test_read_unreadable_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rahasia.txt"
    path.write_text("Judul\n\nIsi.")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError, match="permission denied") as info:
        read_article_file(path)
    assert info.value.path == path


def test_read_other_os_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Judul\n\nIsi.")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "open", fail)
    with pytest.raises(InputError, match="Input/output error"):
        read_article_file(path)


def test_read_binary_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "gambar.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(InputError, match="binary") as info:
        read_article_file(path)
    assert info.value.path == str(path)


# --- nothing but InputError escapes ---------------------------------------------------------

PIECES = st.sampled_from(
    [
        "---\n",
        "# ",
        "## 1. ",
        "\n",
        "\n\n",
        "title: ",
        "tags: [",
        "]",
        ": ",
        "'",
        "\t",
        "• ",
        "Baca Juga: ",
        "(Dok. A)",
        "1. ",
        "*",
        "`",
        "![a](b)",
        "<div>",
        "```\n",
        "Judul",
        "isi.",
        "\r\n",
        "\ufeff",
        "\x00",
        "date: 2024-02-30",
        "id: 1",
        "- ",
        "> ",
    ]
)


def parse_or_error(text: str, kind: str) -> Article | InputError:
    try:
        return parse_article(text, source="x.md", kind=kind)
    except InputError as error:
        return error


@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_parse_raises_only_input_error(text: str) -> None:
    for kind in ("auto", "markdown", "text"):
        result = parse_or_error(text, kind)
        if isinstance(result, InputError):
            assert result.path == "x.md"
        else:
            assert result.title
            assert result.intro or any(section.paragraphs for section in result.sections)


def decode_or_error(data: bytes) -> str | InputError:
    try:
        return decode_article_bytes(data, "x.txt")
    except InputError as error:
        return error


@given(st.binary(max_size=64))
@settings(max_examples=300, deadline=None)
def test_decode_raises_only_input_error(data: bytes) -> None:
    result = decode_or_error(data)
    if isinstance(result, InputError):
        assert result.path == "x.txt"
    else:
        assert "\r" not in result
        assert result.strip()


def test_markdown_table_rows_are_read_as_lists() -> None:
    text = (
        "# Harga Pangan\n\nHarga naik pekan ini.\n\n"
        "| Bahan | Harga |\n|---|---|\n| Beras | Rp12.000 |\n| Gula | Rp15.000 |\n\nSelesai.\n"
    )
    article = parse_article(text, "harga.md")
    assert article.intro == (
        "Harga naik pekan ini.",
        "Bahan, Harga.",
        "Beras, Rp12.000.",
        "Gula, Rp15.000.",
        "Selesai.",
    )
