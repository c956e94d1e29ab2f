"""Long text without full stops: every utterance stays short, so memory stays flat.

An engine makes an utterance's whole audio at once (and trimming copies it), so a
300 kB paragraph without a sentence end was one 300 kB utterance: 2.4 GiB at peak.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from suaraberita.intake.article import Article
from suaraberita.text.chunking import PUNCTUATION
from suaraberita.text.pauses import Pauses
from suaraberita.text.script import build_script, split_sentences

WORDS = (
    "warga kota menyambut kereta cepat dengan antusias harga tiket turun menjadi lima puluh "
    "ribu rupiah banyak penumpang senang berangkat setiap menit dari stasiun pusat baru "
    "melayani mulai bulan depan"
).split()


def words(size: int, seed: int = 1) -> list[str]:
    """Random words from WORDS, about `size` characters with their spaces."""
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    while total < size:
        out.append(rng.choice(WORDS))
        total += len(out[-1]) + 1
    return out


def unpunctuated(size: int) -> str:
    return " ".join(words(size)).capitalize()


def punctuated(size: int) -> str:
    """The same words, a capital and a full stop every twelve words."""
    chunks = words(size)
    sentences = [" ".join(chunks[i : i + 12]).capitalize() + "." for i in range(0, len(chunks), 12)]
    return " ".join(sentences)


def test_cut_long_keeps_the_text_and_prefers_clauses() -> None:
    from suaraberita.text.chunking import cut_long

    text = ", ".join(" ".join(words(50, seed)) for seed in range(200))
    pieces = cut_long(text, 120)
    assert " ".join(pieces) == text
    assert all(0 < len(p) <= 120 for p in pieces)
    assert sum(p[-1] in PUNCTUATION for p in pieces[:-1]) >= len(pieces) - 2
    assert cut_long("kata " * 3, 120) == ("kata " * 3,)  # a text that fits is kept as it is
    assert cut_long("y" * 250, 100) == ("y" * 100, "y" * 100, "y" * 50)


def test_a_paragraph_without_full_stops_becomes_short_utterances() -> None:
    from suaraberita.text.script import UTTERANCE_MAX

    paragraph = unpunctuated(300_000)
    article = Article(title="Judul", intro=(paragraph,), sections=())
    script = build_script(article, Pauses(), lambda text: text)
    said = [u.text for u in script.utterances[1:]]  # after the title
    assert " ".join(said) == paragraph
    assert max(len(text) for text in said) <= UTTERANCE_MAX
    assert script.utterances[-1].pause_after == Pauses().end


def test_sentence_splitting_is_linear() -> None:
    """Abbreviations and initials do not end sentences; skipping one looked at the whole
    paragraph before it again (quadratic: 0.1 s at 120 kB became minutes at 2 MB)."""

    def seconds(n: int) -> float:
        text = "Kata " + "J. " * n + "Rowling. Benar."  # initials: no sentence ends
        started = time.perf_counter()
        assert len(split_sentences(text)) == 2
        return time.perf_counter() - started

    small, large = seconds(25_000), seconds(100_000)
    assert large < 8 * small + 0.05, (small, large)


def _peak_rss(article: str, folder: Path) -> int:
    """Peak RSS (kB) of `narrate` with the offline voice, the process or its largest child."""
    folder.mkdir()
    (folder / "a.md").write_text(f"# Judul Berita Panjang\n\n{article}\n", encoding="utf-8")
    env = {**os.environ, "SUARABERITA_CACHE": str(folder / "cache")}
    args = [sys.executable, "-m", "suaraberita", "narrate", "a.md", "--voice", "id-espeak", "-q"]
    proc = subprocess.Popen(args, cwd=folder, env=env, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    assert proc.stderr is not None
    assert os.waitstatus_to_exitcode(status) == 0, proc.stderr.read().decode()
    proc.stderr.close()
    return usage.ru_maxrss


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_paragraph_length(tmp_path: Path) -> None:
    """20 kB in one paragraph without a full stop against the same words in sentences:
    about the same peak memory (before: 6.8 times as much; the gap grows with the text)."""
    flat = _peak_rss(unpunctuated(20_000), tmp_path / "flat")
    sentences = _peak_rss(punctuated(20_000), tmp_path / "sentences")
    assert flat < 2 * sentences, (flat, sentences)
