"""What the amounts of a corpus are for: how many of each kind (corpus.amount_kinds), with
sentences of each to read, so that a change to the cues is checked on real text.

Usage: python3 bench/amount_kinds.py ../shared/corpus/laws.tar.xz [--sample 10] [--seed 0]
       python3 bench/amount_kinds.py ../shared/corpus/seeds --sample 40
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse_laws import iter_laws  # noqa: E402
from corpus.amounts import find_amounts  # noqa: E402
from corpus.clean import clean_text  # noqa: E402
from corpus.numbers import fold_width  # noqa: E402


def texts(place: str) -> Iterator[tuple[str, str]]:
    """(name, text) of each law in a tarball, or of each file of a folder."""
    if place.endswith((".tar.xz", ".tar.gz", ".tar")):
        for name, _data, text in iter_laws(place):
            yield name, text
        return
    for path in sorted(Path(place).rglob("*")):
        if path.is_file():
            yield path.name, clean_text(path.read_text(encoding="utf-8", errors="replace"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--sample", type=int, default=0, help="sentences shown per kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    found: list[tuple[str, str, str]] = []  # kind, amount, its context
    for _name, text in texts(args.corpus):
        folded = fold_width(text)
        at = 0
        for amount in find_amounts(text, []):
            where = folded.find(amount.text, at)
            at = where + 1 if where >= 0 else at
            context = folded[max(0, where - 40):where + len(amount.text) + 20] if where >= 0 else ""
            found.append((amount.kind, amount.text, context.replace("\n", " ")))
    counts = Counter(kind for kind, _t, _c in found)
    print(f"{len(found)} amounts: " + ", ".join(f"{kind} {n}" for kind, n in counts.most_common()))
    rng = random.Random(args.seed)
    for kind in counts:
        of_kind = [f for f in found if f[0] == kind]
        for _kind, amount, context in rng.sample(of_kind, min(args.sample, len(of_kind))):
            print(f"{kind}\t{amount}\t{context}")


if __name__ == "__main__":
    main()
