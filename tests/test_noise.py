"""Noise rules: each rule drops what it is for, and look-alikes stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from suaraberita.errors import ConfigError
from suaraberita.intake.clutter import clean, sift_paragraphs
from suaraberita.intake.noise import Rule, default_rules, is_noise, load_rules

TITLE = "Warga Tirtasari Tanam Ribuan Pohon Mangga"


def test_default_rules_load_once_and_have_unique_names() -> None:
    rules = default_rules()
    assert rules is default_rules()
    assert len({rule.name for rule in rules.rules}) == len(rules.rules)


# --- each rule drops --------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "rule"),
    [
        (f"{TITLE}Relawan menanam bibit di tepi sungai.", "caption-glued-title"),
        (f"{TITLE}2.000 bibit dibagikan gratis.", "caption-glued-title"),
        (f"  {TITLE}Relawan   menanam bibit. ", "caption-glued-title"),
    ],
)
def test_caption_glued_to_title(paragraph: str, rule: str) -> None:
    assert is_noise(paragraph, TITLE) == rule


@pytest.mark.parametrize(
    "credit",
    [
        "(unsplash.com/Nama Fotografer)",
        "(Instagram.com/akun.resmi)",
        "(instagram.com/akun_resmi)",
        "(pexels.com/Nama)",
        "(freepik.com/jcomp)",
        "(Twitter.com/akun)",
        "(x.com/akun)",
        "(kemenkes.go.id/galeri)",
        "(ANTARA FOTO/Aditya Pradana Putra)",
        "(antara foto/Nama)",
        "(IDN Times/Sari Wulandari)",
        "(REUTERS/Nama)",
        "(Dok. Pemkot Tirtasari)",
        "(dok.pribadi)",
        "(Dokumentasi: Humas Polres)",
        "(Foto: Anton Wijaya)",
        "(Getty Images)",
        "(Istimewa)",
    ],
)
def test_caption_with_photo_credit(credit: str) -> None:
    assert is_noise(f"Warga antre di halte bus. Ilustrasi {credit}", TITLE) == (
        "caption-photo-credit"
    )
    assert is_noise(f"Warga antre di halte bus {credit}  ", TITLE) == "caption-photo-credit"


@pytest.mark.parametrize(
    "line",
    [
        "Baca Juga: 7 Pohon Buah yang Cocok Ditanam di Pekarangan",
        "Baca juga: Cara Merawat Bibit Mangga",
        "BACA JUGA: Harga Cabai Naik",
        "Baca Juga : Dengan spasi sebelum titik dua",
    ],
)
def test_baca_juga(line: str) -> None:
    assert is_noise(line, TITLE) == "baca-juga"


@pytest.mark.parametrize(
    "line",
    [
        "Wulan Pertiwi Photo Verified Writer Wulan Pertiwi",
        "Budi Photo Community Writer Budi",
        "Ditulis oleh Budi, verified writer",
    ],
)
def test_byline(line: str) -> None:
    assert is_noise(line, TITLE) == "byline"


def test_byline_takes_the_tagline_after_it() -> None:
    paragraphs = ["Isi terakhir.", "Wulan Photo Verified Writer Wulan", "Suka Jalan Kaki"]
    assert sift_paragraphs(paragraphs, TITLE) == (
        ("Isi terakhir.", None),
        ("Wulan Photo Verified Writer Wulan", "byline"),
        ("Suka Jalan Kaki", "trailer-tagline"),
    )


def test_community_footer() -> None:
    footer = (
        "IDN Times Community adalah ruang menulis terbuka untuk pembaca. Isi setiap "
        "tulisan menjadi tanggung jawab penulisnya."
    )
    assert is_noise(footer, TITLE) == "footer-community"


@pytest.mark.parametrize("line", ["Topik:", "topik :", "Tags:", "Topik: Lingkungan, Kota"])
def test_topik(line: str) -> None:
    assert is_noise(line, TITLE) == "tags-label"


def test_topik_ends_the_article() -> None:
    paragraphs = [
        "Warga menanam dua ribu bibit mangga di bantaran sungai pada Minggu pagi.",
        "Topik:",
        "• Lingkungan",
        "- Tirtasari",
        "Pohon mangga di tepi sungai.",
    ]
    assert [rule for _, rule in sift_paragraphs(paragraphs, TITLE)] == [
        None,
        "tags-label",
        "after-end",
        "after-end",
        "after-end",
    ]


def test_an_end_line_before_any_sentence_ends_nothing() -> None:
    paragraphs = ["Topik:", "Warga menanam dua ribu bibit mangga di bantaran sungai pagi ini."]
    assert [rule for _, rule in sift_paragraphs(paragraphs, TITLE)] == ["tags-label", None]


@pytest.mark.parametrize(
    "line",
    [
        "Berita Terkini Lainnya",
        "berita terkini lainnya",
        "Berita Lainnya",
        "Artikel Terkait Lainnya",
    ],
)
def test_more_news(line: str) -> None:
    assert is_noise(line, TITLE) == "more-headlines"


def test_whole_trailing_block_of_the_reference_shape() -> None:
    paragraphs = [
        "Paragraf terakhir artikel ini cukup panjang untuk jadi kalimat berita.",
        "Baca Juga: Artikel lain",
        "Wulan Pertiwi Photo Verified Writer Wulan Pertiwi",
        "Suka Jalan Kaki",
        "IDN Times Community adalah ruang menulis terbuka untuk pembaca.",
        "Topik:",
        "• Lingkungan",
        "Berita Terkini Lainnya",
    ]
    assert clean(paragraphs, TITLE) == (paragraphs[0],)


# --- look-alikes stay -------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        # the publisher's name in the dateline or in a quote attribution
        "Tirtasari, IDN Times – Ratusan warga turun ke bantaran sungai pada Minggu (12/3).",
        "“Kalau akarnya kuat, tanahnya ikut kuat,” kata Rudi kepada IDN Times, Minggu (12/3).",
        "Menurut data IDN Times, jumlah relawan naik dua kali lipat.",
        # starts with the title, but followed by a space: a sentence, not a caption
        f"{TITLE} adalah judul yang dipilih redaksi.",
        # parentheses at the end that are not photo credits
        "Warga menanam pohon pada Minggu (12/3).",
        "Warga menanam pohon pada Minggu (12/3)",
        "Data dapat dilihat di laman resmi (kemenkes.go.id).",
        "Harga mangga naik 20 persen (ANTARA).",
        "Kantor berita itu menyebut angka yang sama (IDN Times)",
        "Ia mengunggah foto (dok) itu kemarin.",
        # "baca juga" inside a sentence
        "Warga diminta membaca juga: aturan baru soal sampah.",
        "Silakan baca juga aturan lengkapnya di kantor kelurahan.",
        # writers, topics and more news mentioned in the body
        "Ia seorang writer lepas yang tinggal di Tirtasari.",
        "Topik yang dibahas: banjir, sampah, dan pohon.",
        "Berita terkini lainnya akan kami sampaikan besok pagi, kata juru bicara itu.",
        "IDN Times Community menggelar lomba menulis tahun ini.",
        # short lines and bullets outside a trailing block
        "Suka Jalan Kaki",
        "• KTP",
        "- Kartu keluarga",
    ],
)
def test_look_alikes_stay(paragraph: str) -> None:
    assert is_noise(paragraph, TITLE) is None
    assert clean(["Pembuka.", paragraph], TITLE) == ("Pembuka.", paragraph)


def test_long_paragraph_with_a_credit_like_ending_stays() -> None:
    paragraph = "kata " * 70 + "(Dok. Pemkot)"
    assert is_noise(paragraph, TITLE) is None


def test_long_paragraph_starting_with_baca_juga_stays() -> None:
    assert is_noise("Baca juga: " + "kata " * 45, TITLE) is None


def test_trailing_block_closes_at_a_real_paragraph() -> None:
    paragraphs = [
        "Wulan Photo Verified Writer Wulan",  # a byline at the top of some pages
        "Suka Jalan Kaki",
        "Tirtasari, IDN Times – Warga menanam pohon.",
        "Pohon mangga",  # short, but the block is closed: it stays
    ]
    assert clean(paragraphs, TITLE) == (  # the dateline loses the outlet
        "Tirtasari, Warga menanam pohon.",
        "Pohon mangga",
    )


def test_sentence_inside_trailing_block_closes_it() -> None:
    paragraphs = ["Topik:", "Ini kalimat sungguhan.", "• Lingkungan"]
    assert clean(paragraphs, TITLE) == ("Ini kalimat sungguhan.", "• Lingkungan")


def test_is_noise_ignores_in_trailer_rules() -> None:
    assert is_noise("• Lingkungan", TITLE) is None


def test_glued_title_rule_needs_a_title() -> None:
    assert is_noise("Relawan menanam bibit.", "") is None
    assert is_noise("Judul (1)Isi", "Judul (1)") == "caption-glued-title"  # title is escaped


# --- rules as data ------------------------------------------------------------------------


def write_rules(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "noise.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_own_rules_file(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        '[[rule]]\nname = "iklan"\nkind = "drop"\npattern = "^ADVERTISEMENT$"\n'
        "ignore_case = false\nmax_words = 1\n",
    )
    rules = load_rules(path)
    assert rules.rules == (Rule("iklan", "drop", "^ADVERTISEMENT$", False, 1, source=str(path)),)
    assert clean(["ADVERTISEMENT", "advertisement", "Isi."], TITLE, rules) == (
        "advertisement",
        "Isi.",
    )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("rule = 1\n", "array of tables"),
        ("rule = [1]\n", "rule 1 is not a table"),
        ('[[rule]]\nkind = "drop"\npattern = "x"\n', "has no name"),
        ('[[rule]]\nname = "a"\nkind = "hapus"\npattern = "x"\n', "kind 'hapus'"),
        ('[[rule]]\nname = "a"\nkind = "drop"\n', "has no pattern"),
        ('[[rule]]\nname = "a"\nkind = "drop"\npattern = "(x"\n', "bad pattern"),
        ('[[rule]]\nname = "a"\nkind = "drop"\npattern = "x"\nignore_case = 1\n', "ignore_case"),
        ('[[rule]]\nname = "a"\nkind = "drop"\npattern = "x"\nmax_words = 0\n', "max_words"),
        ('[[rule]]\nname = "a"\nkind = "drop"\npattern = "x"\n' * 2, "two rules are called 'a'"),
        ("[[rule]\n", "cannot read"),
    ],
)
def test_bad_rules_file(tmp_path: Path, text: str, match: str) -> None:
    path = write_rules(tmp_path, text)
    with pytest.raises(ConfigError, match=match) as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "tidak-ada.toml")


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Elon Musk (AFP)", "caption-agency"),
        ("Sukses", "liputan6-toast"),
        ("Warga antre di halte bus. Ilustrasi (arn/fas)", None),  # a sign-off, not a credit
    ],
)
def test_short_lines(line: str, rule: str | None) -> None:
    assert is_noise(line, TITLE) == rule


def test_every_built_in_pattern_compiles() -> None:
    """The built-in rules are compiled when first used, not at load: check them here."""
    import re

    for rule in default_rules().rules:
        re.compile(
            rule.pattern.replace("{title}", "Judul"), re.IGNORECASE if rule.ignore_case else 0
        )
