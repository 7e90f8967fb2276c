#!/usr/bin/env python3
"""A long text asked of the clauses: p50/p95 latency of a pasted message over an index.

Usage: python3 bench/long_query.py --index DIR [--chars 2000] [-n 40] [--mode hybrid|lexical] [--cpu]

The texts are the public citizens' messages (../shared/corpus/replies-public.csv), each joined
with the ones after it until it is ``--chars`` characters long: every text is a new one (the
product remembers the vectors of texts it has embedded, which would hide their cost). Each
latency is one ``search(text, clauses=True)`` with snippets of the top 10 hits: parsing, the
words' ranking, the meaning's side (what the text embeds), the fusion. The first query (which
loads the model) is not counted, nor a text the query language refuses (a link's ``https:``
is read as a field). ``--cpu`` counts this process's CPU time, not the wall clock
(on a machine shared with other work the wall clock measures the others too).
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.engine import PolicyIndex  # noqa: E402

SHARED = Path(os.environ.get("POLICY_SEARCH_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def long_texts(n: int, chars: int) -> list[str]:
    with (SHARED / "corpus" / "replies-public.csv").open(encoding="utf-8-sig", newline="") as f:
        messages = [" ".join(row["留言详情"].split()) for row in csv.DictReader(f)]
    # an ASCII parenthesis is the query language's grouping: a message closing "(" with "）" is a
    # syntax error (said, with where), not a query — written full-width here, as most messages do
    messages = [m.replace("(", "（").replace(")", "）") for m in messages if m]
    out = []
    for start in range(n + 1):
        text, at = "", start * 7
        while len(text) < chars:
            text += messages[at % len(messages)]
            at += 1
        out.append(text[:chars])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--mode", choices=["hybrid", "lexical", "semantic"])
    ap.add_argument("--cpu", action="store_true")
    args = ap.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    texts = long_texts(args.n, args.chars)
    from errors import QuerySyntaxError

    refused = 0
    with PolicyIndex(args.index) as index:
        first = index.search("夜间施工噪音扰民" * 10, clauses=True, limit=10, mode=args.mode)
        times = []
        for text in texts:
            started = clock()
            try:
                index.search(text, clauses=True, limit=10, mode=args.mode)
            except QuerySyntaxError:  # e.g. a link's "https:" read as a field: said, not searched
                refused += 1
                continue
            times.append((clock() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"{len(times)} texts of {args.chars} characters, clauses, mode {first.mode}"
          f" ({'CPU' if args.cpu else 'wall'}): p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms,"
          f" max {times[-1]:.0f} ms; {refused} refused as a query's syntax")


if __name__ == "__main__":
    main()
