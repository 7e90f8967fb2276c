#!/usr/bin/env python3
"""Query benchmark: p50/p95 latency of 200 mixed queries (with snippets) on an index.

Usage: python3 bench/query.py --index DIR [--clauses] [--mode hybrid|lexical|semantic] [--repeat N] [--cpu]

The queries are made from the index's own titles (fixed seed): single words, two words,
quoted phrases, and words with year or type filters. Each latency covers parsing, searching,
ranking and building the snippets of the top 10 hits; in hybrid mode (the default where the index
has vectors) also the query's embedding and the fusion, and the nearest sentence of hits found
by meaning alone.

On a machine shared with other work, wall times measure the others too: ``--repeat 3`` runs
the 200 queries three times in turn and keeps each query's fastest run (its postings and stored
fields are then cached, as a server's popular queries are), ``--cpu`` counts this process's CPU
time instead of the wall clock.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.engine import PolicyIndex  # noqa: E402


def make_queries(index: PolicyIndex, n: int = 200, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    searcher = index.state.searcher
    # in the order of document ids, not of documents in the index: the same corpus gives the same
    # queries however its segments were written (two writer processes interleave differently)
    docs = sorted((f["doc_id"], f["display"]["title"]) for f in searcher.all_stored_fields() if f.get("kind") == "doc")
    titles = [title for _doc_id, title in docs]
    words = [w for t in titles for w, _s, _e in index.tokenizer.fine_words(t) if len(w) >= 2]
    queries: list[tuple[str, str]] = []
    for i in range(n):
        kind = ("word", "words", "phrase", "filter")[i % 4]
        if kind == "word":
            q = rng.choice(words)
        elif kind == "words":
            q = f"{rng.choice(words)} {rng.choice(words)}"
        elif kind == "phrase":
            title = rng.choice(titles)
            parts = [w for w, _s, _e in index.tokenizer.fine_words(title)]
            k = rng.randrange(max(1, len(parts) - 1))
            q = '"' + "".join(parts[k:k + 2]) + '"'
        else:
            q = f"{rng.choice(words)} " + rng.choice(["年份:2010..2020", "年份:>=2015", "类型:规定", "日期:>=2018-01-01"])
        queries.append((kind, q))
    return queries


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--clauses", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="runs of every query; its fastest counts")
    ap.add_argument("--cpu", action="store_true", help="this process's CPU time, not the wall clock")
    ap.add_argument("--mode", choices=["hybrid", "lexical", "semantic"])
    args = ap.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    with PolicyIndex(args.index) as index:
        queries = make_queries(index)
        index.warm()  # as `serve` does: columns and field lengths are loaded once per open index
        index.search("预热", limit=1, mode=args.mode)  # the model loads on the first query by meaning
        fastest = [float("inf")] * len(queries)
        for _ in range(max(1, args.repeat)):
            for i, (_kind, q) in enumerate(queries):
                start = clock()
                index.search(q, clauses=args.clauses, limit=10, mode=args.mode)
                fastest[i] = min(fastest[i], (clock() - start) * 1000)
    by_kind: dict[str, list[float]] = {}
    for (kind, _q), ms in zip(queries, fastest):
        by_kind.setdefault(kind, []).append(ms)
    every = [x for xs in by_kind.values() for x in xs]
    mode = ("clauses" if args.clauses else "documents") + (f" {args.mode}" if args.mode else "")
    for kind, xs in list(by_kind.items()) + [("all", every)]:
        xs = sorted(xs)
        p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
        print(f"{mode:<9} {kind:<7} n={len(xs):>3}  p50 {statistics.median(xs):6.1f} ms  p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
