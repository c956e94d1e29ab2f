"""Fill in the Indonesian respelling of foreign words in text/data/foreign.tsv.

For every word without a respelling, espeak-ng's American English voice gives its
phonemes, and these are written with Indonesian letters ("Clubhouse": klˈʌbhaʊs ->
"klabhaus"), which every engine then reads right. A respelling written by hand in the
file is kept. Run after adding words:

    python scripts/respell_foreign.py
"""

from __future__ import annotations

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "suaraberita" / "text" / "data"
FILE = DATA / "foreign.tsv"


def main() -> int:
    sys.path.insert(0, str(DATA.parents[2]))
    from suaraberita.espeak_lib import english_phonemes
    from suaraberita.text.normalize.foreign import respell

    lines = FILE.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if not line.strip() or line.startswith("#"):
            out.append(line)
            continue
        word, _, said = line.partition("\t")
        said = said.strip() or respell(english_phonemes(word.strip()))
        out.append(f"{word.strip()}\t{said}")
    FILE.write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
