#!/usr/bin/env python3
"""Token agreement and speed of the two segmentation engines (jieba, rjieba) on our corpora.

Usage: python3 bench/engines.py [--laws ../shared/corpus/laws.tar.xz] [--replies ../shared/corpus/replies-public.csv]

For each corpus: the share of index-mode tokens (as multisets per text) the engines agree on,
and each engine's analysis speed in MB/s of UTF-8 text.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import sample_dir  # noqa: E402
from indexer.analysis import make_analyzer  # noqa: E402


def corpora(args: argparse.Namespace) -> dict[str, list[str]]:
    texts = {"seeds": [p.read_text(encoding="utf-8") for p in sorted(sample_dir().glob("*.txt"))]}
    if args.replies:
        with open(args.replies, encoding="utf-8") as f:
            texts["replies"] = [row["答复意见"] for row in csv.DictReader(f)]
    if args.laws:
        with tarfile.open(args.laws) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".md")][::10]
            texts["laws (every 10th)"] = [tar.extractfile(m).read().decode("utf-8") for m in members]
    return texts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--laws")
    ap.add_argument("--replies")
    args = ap.parse_args()
    analyzers = {name: make_analyzer(name) for name in ("jieba", "rjieba")}
    for name, texts in corpora(args).items():
        size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        tokens: dict[str, list[Counter[str]]] = {}
        speed = {}
        for engine, analyzer in analyzers.items():
            analyzer.engine  # load the dictionary outside the timing
            analyzer._lines.clear()
            analyzer._expansions.clear()
            start = time.perf_counter()
            tokens[engine] = [Counter(t for t, *_ in analyzer.words(text)) for text in texts]
            speed[engine] = size / (time.perf_counter() - start)
        same = sum(sum((a & b).values()) for a, b in zip(tokens["jieba"], tokens["rjieba"]))
        total = sum(sum(a.values()) for a in tokens["jieba"])
        print(f"{name:<18} {len(texts):>5} texts {size:6.1f} MB  agreement {same / total:.2%}  "
              f"jieba {speed['jieba']:.2f} MB/s  rjieba {speed['rjieba']:.2f} MB/s")


if __name__ == "__main__":
    main()
