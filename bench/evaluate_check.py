#!/usr/bin/env python3
"""Check the array evaluator against Whoosh's own on a real index: same matches, same scores.

Usage: python3 bench/evaluate_check.py --index DIR [--queries 60]

search/evaluate.py computes what Whoosh computes posting by posting; tests/test_evaluate.py
checks this on the small test corpus, this script on a large index (many segments, deleted
units, common words). For mixed queries from the index's titles plus exclusions, phrases and
filters, in document and clause mode, it compares every matching unit and its score, and
prints how many queries differ (it should be 0). Slow: Whoosh scores every match.

One difference is intended: a quoted phrase matches only where its words stand next to each
other in the text, while Whoosh also matches them across punctuation, a line break, or inside a
longer word (污染 of 水污染源, then 防治). Units that Whoosh matches or scores for a phrase
their text does not hold are counted apart, as intended.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from whoosh import query as Q

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from query import make_queries  # noqa: E402

from corpus.dates import day_or_today  # noqa: E402
from indexer.analysis import fold, normalize_text  # noqa: E402
from search.compile import compile_query  # noqa: E402
from search.engine import PolicyIndex  # noqa: E402
from search.filters import FilterContext  # noqa: E402
from search.query import parse_query  # noqa: E402

EXTRA = ["劳动合同 -解除", '"法律责任" 罚款', "安全 年份:2010..2015 -生产", "状态:现行有效 护士",
         "金额:>=1万 罚款", '类型:规定 -"人民政府" 管理']


def differences(index: PolicyIndex, query: str, clauses: bool) -> tuple[int, int]:
    """How many units match in one evaluation and not the other, or score differently; and
    how many of them Whoosh alone matches for a phrase their text does not hold (intended)."""
    day = day_or_today(None, "--as-of")
    compiled = compile_query(parse_query(query), index.tokenizer, clauses, FilterContext(query, day, index.field_values))
    allowed = set(index.state.searcher.docs_for_query(compiled.filter)) if compiled.filter is not None else None
    expected = {} if allowed == set() else {  # (Whoosh reads an empty allow-set as no filter at all)
        hit.docnum: hit.score for hit in index.state.searcher.search(compiled.query, limit=None, filter=allowed)}
    scored = index.state.evaluator.scores(compiled.query)
    hit = scored.hit & index.state.mask(compiled.filter) if compiled.filter is not None else scored.hit
    found = {int(d): float(scored.score[d]) for d in np.flatnonzero(hit)}
    differing = (set(expected) ^ set(found)) | {d for d in set(expected) & set(found)
                                                if abs(expected[d] - found[d]) > 1e-6 * max(1.0, abs(expected[d]))}
    phrases = ["".join(q.words) for q in compiled.query.leaves() if isinstance(q, Q.Phrase)]
    # Whoosh matched (or also scored) a phrase that the unit's text does not hold
    intended = {d for d in differing if d in expected and phrases and not _holds_a_phrase(index, d, phrases)}
    return len(differing - intended), len(intended)


def _holds_a_phrase(index: PolicyIndex, docnum: int, phrases: list[str]) -> bool:
    stored = index.state.searcher.stored_fields(docnum)
    text = fold(normalize_text(stored.get("text") or stored.get("body") or ""))
    return any(phrase in text for phrase in phrases)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=int, default=60)
    args = ap.parse_args()
    with PolicyIndex(args.index) as index:
        queries = [q for _kind, q in make_queries(index, args.queries, seed=11)] + EXTRA
        differing = intended = 0
        for query in queries:
            for clauses in (False, True):
                n, apart = differences(index, query, clauses)
                intended += apart
                if n:
                    differing += 1
                    print(f"differs: {'clauses' if clauses else 'documents'} {query!r}: {n} units")
    print(f"{2 * len(queries)} queries, {differing} with differences; "
          f"{intended} units matched by Whoosh alone for a phrase their text does not hold (intended)")


if __name__ == "__main__":
    main()
