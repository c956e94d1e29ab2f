"""Indonesian text normalisation: the reading table, the lexicon, and properties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from suaraberita.errors import ConfigError
from suaraberita.text.normalize import PASSES, load_lexicon, normalize


def spoken(text: str) -> str:
    """Compare ignoring case, punctuation, hyphens and spacing."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.replace("-", " ")).lower().split())


TABLE = [
    ("1.500 pengguna", "seribu lima ratus pengguna"),
    ("250.000 warga", "dua ratus lima puluh ribu warga"),
    ("1.001.000 suara", "satu juta seribu suara"),
    (
        "12.345.678",
        "dua belas juta tiga ratus empat puluh lima ribu enam ratus tujuh puluh delapan",
    ),
    ("Rp1,3 triliun", "satu koma tiga triliun rupiah"),
    ("Rp15.000", "lima belas ribu rupiah"),
    ("Rp 804.000 per gram", "delapan ratus empat ribu rupiah per gram"),
    ("Rp12.271,5 triliun", "dua belas ribu dua ratus tujuh puluh satu koma lima triliun rupiah"),
    ("Rp5.000.000,00", "lima juta rupiah"),
    ("Rp50.000,-", "lima puluh ribu rupiah"),
    ("100 juta dolar AS", "seratus juta dolar Amerika Serikat"),
    ("US$13 miliar", "tiga belas miliar dolar Amerika Serikat"),
    ("133 miliar dollar AS", "seratus tiga puluh tiga miliar dolar Amerika Serikat"),
    ("tumbuh 5,2 persen", "tumbuh lima koma dua persen"),
    ("turun 24,3%", "turun dua puluh empat koma tiga persen"),
    ("3,14", "tiga koma satu empat"),
    ("Sabtu (13/2)", "Sabtu, tiga belas Februari"),
    ("Rabu (27/1/2021)", "Rabu, dua puluh tujuh Januari dua ribu dua puluh satu"),
    ("17 Agustus 1945", "tujuh belas Agustus seribu sembilan ratus empat puluh lima"),
    ("pukul 10.30 WIB", "pukul sepuluh lewat tiga puluh menit Waktu Indonesia Barat"),
    ("pukul 07.00 WITA", "pukul tujuh Waktu Indonesia Tengah"),
    ("juara ke-3", "juara ketiga"),
    ("posisi ke-139", "posisi keseratus tiga puluh sembilan"),
    ("abad ke-21", "abad kedua puluh satu"),
    ("Perang Dunia II", "Perang Dunia kedua"),
    ("Paku Buwono X", "Paku Buwono kesepuluh"),
    ("Komisi XI DPR", "Komisi sebelas de pe er"),
    ("periode 2020-2021", "periode dua ribu dua puluh sampai dua ribu dua puluh satu"),
    ("menang 3-1", "menang tiga satu"),
    ("tahun 1990-an", "tahun seribu sembilan ratus sembilan puluhan"),
    ("uang 5.000-an", "uang lima ribuan"),
    ("buku, pena, dll.", "buku, pena, dan lain-lain"),
    ("kebijakan tsb. yg baru", "kebijakan tersebut yang baru"),
    ("Jl. Sudirman No. 5", "Jalan Sudirman nomor lima"),
    ("Prof. Dr. Budi dan dr. Ani", "Profesor Doktor Budi dan dokter Ani"),
    ("DPR, KPK, dan TNI", "de pe er, ka pe ka, dan te en i"),
    ("BUMN dan PBB", "be u em en dan pe be be"),
    ("Polri dan LIPI", "Polri dan LIPI"),
    ("Presiden RI", "Presiden er i"),
    ("CEO Tesla", "si i o Tesla"),
    ("Covid-19", "kovid sembilan belas"),
    ("3 km, 25°C", "tiga kilometer, dua puluh lima derajat Celsius"),
    ("suhu -5 derajat", "suhu minus lima derajat"),
    ("PT XL Axiata", "pe te eks el Axiata"),
    ("AS Roma", "a es Roma"),
    ("1/2 jam", "setengah jam"),
    ("pada Sabtu (13/2) Elon Musk", "pada Sabtu, tiga belas Februari, Elon Mask"),
]

# The same rules on other numbers, dates, amounts and abbreviations.
MORE = [
    ("Rp2,5 miliar", "dua koma lima miliar rupiah"),
    ("Senin (1/3/2021)", "Senin, satu Maret dua ribu dua puluh satu"),
    ("pukul 14.45 WIT", "pukul empat belas lewat empat puluh lima menit Waktu Indonesia Timur"),
    ("ke-17", "ketujuh belas"),
    ("ke-1", "pertama"),
    ("abad XIX", "abad kesembilan belas"),
    ("2,75 persen", "dua koma tujuh lima persen"),
    ("Rp750 ribu", "tujuh ratus lima puluh ribu rupiah"),
    ("US$1,2 juta", "satu koma dua juta dolar Amerika Serikat"),
    ("10-12 Mei", "sepuluh sampai dua belas Mei"),
    ("1/4", "seperempat"),
    ("3/4 bagian", "tiga perempat bagian"),
    ("Jl. Thamrin", "Jalan Thamrin"),
    ("Gubernur DKI", "Gubernur de ka i"),
    ("PSSI", "pe es es i"),
    ("5 kg", "lima kilogram"),
    ("100 m", "seratus meter"),
    ("40 km/jam", "empat puluh kilometer per jam"),
    ("Rp 3.500/liter", "tiga ribu lima ratus rupiah per liter"),
    ("tahun 80-an", "tahun delapan puluhan"),
    ("PDIP", "pe de i pe"),
    ("WHO", "we ha o"),
    ("BBM", "be be em"),
    ("Presiden AS dan warga di AS", "Presiden Amerika Serikat dan warga di Amerika Serikat"),
    ("Perang Dunia I", "Perang Dunia pertama"),
    ("Sri Sultan Hamengku Buwono X", "Sri Sultan Hamengku Buwono kesepuluh"),
    ("Ratu Elizabeth II", "Ratu Elisabet kedua"),  # the English name, respelt
    ("Komisi I", "Komisi satu"),
    ("DI Yogyakarta", "de i Yogyakarta"),
    (
        "pukul 08.00-10.30 WIB",
        "pukul delapan sampai sepuluh lewat tiga puluh menit Waktu Indonesia Barat",
    ),
    ("kalah 1-3", "kalah satu tiga"),
    ("skor akhir 2-2", "skor akhir dua dua"),
    ("Rp10-15 juta", "sepuluh sampai lima belas juta rupiah"),
    ("Kamis, 4/3/2021", "Kamis, empat Maret dua ribu dua puluh satu"),
    ("tanggal 2021-01-27", "tanggal dua puluh tujuh Januari dua ribu dua puluh satu"),
    ("(Jumat, 5/3)", "Jumat, lima Maret"),
    ("5 Jan 2022", "lima Januari dua ribu dua puluh dua"),
    ("layanan 24/7", "layanan dua puluh empat per tujuh"),
    (
        "hubungi 0812-3456-7890",
        "hubungi nol delapan satu dua tiga empat lima enam tujuh delapan sembilan nol",
    ),
    ("jaringan 5G dan KTT G20", "jaringan lima ge dan ka te te ge dua puluh"),
    ("kadar 0,05 ppm", "kadar nol koma nol lima bagian per sejuta"),
    ("€5 juta", "lima juta euro"),
    ("5 juta USD", "lima juta dolar Amerika Serikat"),
    ("kurs USD", "kurs dolar Amerika Serikat"),
    ("Rp 5 M", "lima miliar rupiah"),
    ("UNESCO dan ASEAN", "Unesko dan Asean"),
    ("BPJS Kesehatan", "be pe je es Kesehatan"),
    ("NASA", "Nasa"),
    ("dkk. Mereka", "dan kawan-kawan. Mereka"),
    ("3 x seminggu", "tiga kali seminggu"),
    ("siswa/siswi", "siswa atau siswi"),
    ("dan/atau", "dan atau"),
    ("Baca di kompas.com", "Baca di kompas dot kom"),
    ("@jokowi", "jokowi"),
    ("#1 di dunia", "nomor satu di dunia"),
    ("Rp 5.000 per kg", "lima ribu rupiah per kilogram"),
    ("suhu 30-35°C", "suhu tiga puluh sampai tiga puluh lima derajat Celsius"),
    ("UU ITE", "undang-undang i te e"),
]


@pytest.mark.parametrize(("text", "expected"), TABLE + MORE)
def test_reads_like_a_newsreader(text: str, expected: str) -> None:
    assert spoken(normalize(text, strict=True)) == spoken(expected)


def test_passes_are_small_documented_functions() -> None:
    assert PASSES
    for step in PASSES:
        assert ">>>" in (step.__doc__ or ""), step.__name__


def test_date_in_parentheses_keeps_the_sentence_punctuation() -> None:
    assert normalize("Ia datang Sabtu (13/2).") == "Ia datang Sabtu, tiga belas Februari."
    assert normalize("Pada (13/2), ia datang") == "Pada, tiga belas Februari, ia datang"


def test_abbreviation_at_the_end_keeps_the_full_stop() -> None:
    assert normalize("buku, pena, dll.") == "buku, pena, dan lain-lain."
    assert normalize("tsb. yg baru") == "tersebut yang baru"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kelas C dan vitamin D", "kelas ce dan vitamin de"),
        ("When I go", "Wen i go"),
        ("MIX FM", "em i eks ef em"),
        ("H-1 Lebaran", "ha min satu Lebaran"),
        ("Telp. (021) 555-1234", "Telp. nol dua satu lima lima lima satu dua tiga empat"),
        (
            "+62 812-3456-7890",
            "plus enam dua delapan satu dua tiga empat lima enam tujuh delapan sembilan nol",
        ),
        ("#IndonesiaMaju", "tagar Indonesia Maju"),
        ("redaksi@tempo.co", "redaksi et tempo dot ko"),
        ("https://www.bmkg.go.id/gempa/2021", "be em ka ge dot go dot i de"),
        ("musim 2020/2021", "musim dua ribu dua puluh sampai dua ribu dua puluh satu"),
        ("Skor 1-0, 10-15 menit", "Skor satu nol, sepuluh sampai lima belas menit"),
        ("Rp 12.000-Rp 13.000", "dua belas ribu sampai tiga belas ribu rupiah"),
        ("1 Ramadan 1442 H", "satu Ramadan seribu empat ratus empat puluh dua Hijriah"),
        ("kuartal IV-2020", "kuartal keempat dua ribu dua puluh"),
        ("versi 2.0", "versi dua titik nol"),
        (
            "NIK 3201234567890001",
            "Nik tiga dua nol satu dua tiga empat lima enam tujuh "
            "delapan sembilan nol nol nol satu",
        ),
        ("Ⅻ dan ½", "eks i i dan setengah"),  # no context: letters
    ],
)
def test_more_rules(text: str, expected: str) -> None:
    assert spoken(normalize(text, strict=True)) == spoken(expected)


def test_data_files_are_well_formed() -> None:
    from suaraberita.text.normalize import common as module
    from suaraberita.text.normalize.initialisms import _acronyms

    assert len(module._letters()) == 26
    assert sorted(module._months()[0]) == list(range(1, 13))
    for name in (
        "abbreviations.tsv",
        "acronyms.tsv",
        "currencies.tsv",
        "units.tsv",
        "respell.tsv",
        "roman_context.tsv",
    ):
        for row in module._rows(name):
            assert len(row) >= 2, (name, row)
            assert all(row[:2]), (name, row)
    assert {row[1] for row in module._rows("roman_context.tsv")} == {"ordinal", "cardinal"}
    for token, reading in _acronyms().items():
        assert token.isupper(), token
        assert not re.search(r"(?<![\w])[A-Z]{2,}(?![\w])", reading), reading


# ---------------------------------------------------------------- espeak-ng


def test_espeak_reads_the_normalised_text_as_the_expected_words() -> None:
    """What espeak-ng itself says: the same phonemes as for the words in the table."""
    espeak = pytest.importorskip("suaraberita.speech.espeak")
    voices = pytest.importorskip("suaraberita.speech.voices")
    if not hasattr(espeak.EspeakEngine, "phonemes"):
        pytest.skip("the espeak engine has no phonemes()")
    engine = espeak.EspeakEngine(voices.Voice(name="test", engine="espeak", language="id"))

    def phonemes(text: str) -> str:
        return " ".join(engine.phonemes(spoken(text)).split())

    for text, expected in TABLE:
        assert phonemes(normalize(text)) == phonemes(expected), text
    # and what it would have said without us
    assert phonemes("Sabtu (13/2)") != phonemes("Sabtu tiga belas Februari")


# ---------------------------------------------------------------- lexicon


def test_lexicon_wins_over_built_in_rules_and_is_not_mangled() -> None:
    lexicon = {"DPR": "Dewan Perwakilan Rakyat", "Rp1,3 triliun": "1,3 T rupiah", "kpk": "KPK"}
    assert normalize("DPR dan KPK menerima Rp1,3 triliun", lexicon) == (
        "Dewan Perwakilan Rakyat dan KPK menerima 1,3 T rupiah"
    )


def test_lexicon_case_sensitive_first_then_longest() -> None:
    lexicon = {"Apple": "epel", "apple": "apel", "Apple Watch": "epel woc"}
    assert normalize("Apple Watch dan apple dan APPLE", lexicon) == "epel woc dan apel dan epel"


def test_lexicon_matches_whole_words_only() -> None:
    said = normalize("BUMN dan BUMNnya", {"BUMN": "bumen"})
    assert said.startswith("bumen dan ")
    assert said.count("bumen") == 1


def test_load_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "kata.tsv"
    path.write_text("# komentar\n\nJokowi\tJoko Widodo\nC++\tsi plus plus\n", encoding="utf-8")
    assert load_lexicon(path) == {"Jokowi": "Joko Widodo", "C++": "si plus plus"}


@pytest.mark.parametrize(
    "bad_line", ["Jokowi Joko Widodo", "Jokowi\t", "\tJoko", "a\tb\tc", "Jokowi\tJoko Wi"]
)
def test_load_lexicon_names_file_and_line_of_a_bad_line(tmp_path: Path, bad_line: str) -> None:
    path = tmp_path / "kata.tsv"
    path.write_text(f"# komentar\nJokowi\tJoko Widodo\n{bad_line}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_lexicon(path)
    assert caught.value.path == path
    assert "line 3" in str(caught.value)
    assert str(path) in str(caught.value)


def test_load_lexicon_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the lexicon"):
        load_lexicon(tmp_path / "nope.tsv")


# ---------------------------------------------------------------- properties

WORDS = st.sampled_from(
    [
        "dan", "yang", "di", "Presiden", "Jokowi", "pukul", "jam", "ke", "ke-", "tahun",
        "abad", "Komisi", "Perang Dunia", "menang", "skor", "Rp", "US$", "$", "€", "juta",
        "miliar", "triliun", "ribu", "persen", "dolar", "AS", "Roma", "WIB", "WITA", "WIT",
        "dll.", "tsb.", "yg", "Jl.", "No.", "Prof.", "Dr.", "dr.", "DPR", "KPK", "LIPI",
        "CEO", "PT", "XL", "II", "X", "I", "DI", "MIX", "Covid", "km", "kg", "m", "°C",
        "%", "/", "-", "(", ")", ",", ".", ":", "+", "&", "@", "#", "Sabtu", "Senin",
        "tanggal", "Mei", "Feb", "-an", "ke-", "www.", ".com", "x", "M", "T", "rb", "jt",
    ]
)  # fmt: skip
DIGITS = st.from_regex(r"[0-9]{1,20}", fullmatch=True)
ID_NUMBERS = st.one_of(
    st.integers(min_value=-(10**18), max_value=10**18).map(lambda n: f"{n:,}".replace(",", ".")),
    st.builds(lambda a, b: f"{a},{b}", DIGITS, DIGITS),
    DIGITS,
)
MONEY = st.builds(
    lambda cur, n, scale, tail: f"{cur}{n}{scale}{tail}",
    st.sampled_from(["Rp", "Rp ", "Rp. ", "US$", "$", "€", "RM", "IDR "]),
    ID_NUMBERS,
    st.sampled_from(["", " juta", " miliar", " triliun", " M", " rb"]),
    st.sampled_from(["", ",-", ",00", "/liter"]),
)
DATES = st.builds(
    lambda day, d, m, y: f"{day}({d}/{m}{y})",
    st.sampled_from(["", "Sabtu ", "Rabu, "]),
    st.integers(0, 40),
    st.integers(0, 14),
    st.sampled_from(["", "/2021", "/21", "/1"]),
)
TIMES = st.builds(
    lambda ctx, h, m, tz: f"{ctx}{h:02d}.{m:02d}{tz}",
    st.sampled_from(["pukul ", "jam ", "", "pukul 1"]),
    st.integers(0, 30),
    st.integers(0, 70),
    st.sampled_from(["", " WIB", "-12.00", " WITA"]),
)
CAPS = st.from_regex(r"[A-Z]{1,7}", fullmatch=True)
ROMAN = st.builds(
    lambda ctx, r: f"{ctx} {r}",
    st.sampled_from(["Perang Dunia", "abad", "Komisi", "Elizabeth", "PT", "Paku Buwono"]),
    st.from_regex(r"[IVXLCDM]{1,6}", fullmatch=True),
)
TOKENS = st.one_of(
    WORDS, ID_NUMBERS, MONEY, DATES, TIMES, CAPS, ROMAN,
    st.builds(lambda a, b: f"{a}-{b}", DIGITS, DIGITS),
    st.builds(lambda a, b: f"{a}/{b}", DIGITS, DIGITS),
    st.builds(lambda a: f"ke-{a}", DIGITS),
    st.builds(lambda a: f"{a}-an", ID_NUMBERS),
    st.text(max_size=5),
)  # fmt: skip
SEPARATORS = st.sampled_from([" ", " ", " ", "", ", ", ". ", "-", "/", "(", ") "])
TEXTS = st.lists(st.tuples(TOKENS, SEPARATORS), max_size=12).map(
    lambda parts: "".join(token + sep for token, sep in parts)
)

PROPERTY_SETTINGS = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(TEXTS)
@example("Sabtu (13/2) pukul 10.30 WIB Rp1,3 triliun ke-3 Perang Dunia II")
@example("1" * 5000)
@example("1/0 0/0 00/00 (0/0) ke-0 10.300,5-2.000-an")
def test_never_raises_leaves_no_digit_or_slash_and_is_idempotent(text: str) -> None:
    once = normalize(text, strict=True)
    assert not re.search(r"[0-9/]", once), once
    assert normalize(once, strict=True) == once


@PROPERTY_SETTINGS
@given(TEXTS)
def test_no_all_caps_initialism_survives(text: str) -> None:
    once = normalize(text, strict=True)
    assert not re.search(r"(?<![\w])[A-Z]{2,}(?![\w])", once), once


@PROPERTY_SETTINGS
@given(st.text())
def test_random_unicode_never_raises(text: str) -> None:
    once = normalize(text, strict=True)
    assert not re.search(r"[0-9/]", once)
    assert normalize(once, strict=True) == once


@PROPERTY_SETTINGS
@given(TEXTS)
def test_idempotent_with_a_lexicon(text: str) -> None:
    lexicon = {"DPR": "Dewan Perwakilan Rakyat", "Jokowi": "Joko Widodo"}
    once = normalize(text, lexicon, strict=True)
    assert normalize(once, lexicon, strict=True) == once


# --- the forms a newsreader says differently (letters, addresses, names, characters) ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pak Darmaji (58) hadir.", "Pak Darmaji, lima puluh delapan tahun, hadir."),
        ("kata Nurul (14), siswi kelas 8", "kata Nurul, empat belas tahun, siswi kelas delapan"),
        ("Jl. Rasuna Said Kav. 5", "Jalan Rasuna Said kaveling lima"),
        ("naik 5% yoy", "naik lima persen yir on yir"),  # year on year, respelt
        ("Warga RT 03/RW 07 berkumpul.", "Warga er te nol tiga, er we nol tujuh berkumpul."),
        (
            "Senin, 19 Okt 2020 12:57 WIB",
            "Senin, sembilan belas Oktober dua ribu dua puluh, pukul dua belas lewat lima puluh "
            "tujuh menit, Waktu Indonesia Barat",
        ),
        ("naik 19.86476 persen", "naik sembilan belas koma delapan enam empat tujuh enam persen"),
        (
            "Rp432 ribu--Rp576 ribu",
            "empat ratus tiga puluh dua ribu sampai lima ratus tujuh puluh enam ribu rupiah",
        ),
        ("U$ 50.000", "lima puluh ribu dolar Amerika Serikat"),
        ("USD. 44 miliar", "empat puluh empat miliar dolar Amerika Serikat"),
        ("ditonton 28.8K kali", "ditonton dua puluh delapan koma delapan ribu kali"),
        ("lari 5K pagi ini", "lari lima ka pagi ini"),  # a race, not thousands
        ("Perppu No. 1/2020", "Perppu nomor satu tahun dua ribu dua puluh"),
        ("UU 11/2020 tentang", "undang-undang nomor sebelas tahun dua ribu dua puluh tentang"),
        (
            "telepon 021-319 025 67",
            "telepon nol dua satu tiga satu sembilan nol dua lima enam tujuh",
        ),
        ("Amerika Serikat (AS) dan Tiongkok", "Amerika Serikat dan Tiongkok"),
        ("Badan Pusat Statistik (BPS) mencatat", "Badan Pusat Statistik mencatat"),
        ("Bank Dunia (WB) mencatat", "Bank Dunia (we be) mencatat"),
        ("lahan 5 ha, TRIBUNNEWS.COM/HA", "lahan lima hektare, tribunnews dot kom"),
        (
            "rekaman CCTV, DVD, VIP, MTV, SUV",
            "rekaman si si ti Vi, di Vi di, Vi ai pi, em ti Vi, es yu Vi",
        ),
        (
            "Baca kompas.com, detik.com dan liputan6.com",
            "Baca kompas dot kom, detik dot kom dan liputan enam dot kom",
        ),
        ("Cek kpu.go.id", "Cek ka pe u dot go dot i de"),
        ("ANGELA WEISS di NEW YORK", "Angela Weiss di Nyu york"),
        ("WASHINGTON DC, DPR RI", "Wasyingten de ce, de pe er er i"),
        ("Suhu 30°C 🔥🔥 di Ærø ★", "Suhu tiga puluh derajat Celsius di Aero"),
        ("naik ↑ 5% → Rp1.000", "naik naik lima persen ke seribu rupiah"),
    ],
)
def test_newsreader_forms(text: str, expected: str) -> None:
    assert spoken(normalize(text, strict=True)) == spoken(expected)


def test_the_letter_vi_is_said_as_a_letter_by_espeak() -> None:
    espeak = pytest.importorskip("suaraberita.speech.espeak")
    library = espeak._get_library()
    library.configure("id", 175, 50)
    said = library.phonemes(normalize("rekaman CCTV"))
    assert "ənam" not in said  # not the Roman numeral six
    assert "vˈi" in said


def test_normalize_prints_the_phonemes_the_offline_voice_says(run_cli) -> None:
    result = run_cli("normalize", "--phonemes", "Rekaman CCTV dari kompas.com")
    assert result.code == 0, result.stderr
    ipa = result.stdout
    assert "vˈi" in ipa  # the letter
    assert "ənam" not in ipa  # not the Roman numeral six
    assert "dˈot kˈom" in ipa  # not "titik chom"


def test_preview_prints_phonemes_under_each_sentence(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Judul Singkat\n\nWarga antre di halte.\n", encoding="utf-8")
    result = run_cli("preview", "--phonemes", "--voice", "id-espeak", "a.txt")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    said = lines.index("Warga antre di halte.")
    assert lines[said + 1].startswith("    /")
    assert "hˈaltə" in lines[said + 1]
