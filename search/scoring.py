"""BM25 with per-kind statistics and a probabilistic IDF.

Whoosh's stock BM25F takes the collection size and average field length over *all* units,
so clause units would dilute the statistics of documents and the other way round; its IDF
(``log(N/(df+1)) + 1``) also keeps very common words at weight ≥ 1. Here ``N`` is the
number of units of the field's own kind and IDF is Robertson–Spärck Jones as Lucene uses it,
``log(1 + (N - df + 0.5) / (df + 0.5))``, which goes to zero for words found everywhere.
"""
from __future__ import annotations

from collections.abc import Callable
from math import log
from typing import Any

import numpy as np
from whoosh.scoring import BM25F, BM25FScorer, WeightScorer

from indexer.schema import FIELD_KIND

# Length normalisation of document bodies: stronger than the usual 0.75, because a long reply
# or document matches many words of a message by its length alone (+0.03 nDCG on replies).
# Weaker for clauses: an article holds its items (indexer.units.clause_units), and a long one
# is no less likely the answer (bench/eval questions over the laws: 0.75 → 0.5 gave +0.017 dev,
# +0.012 held-out; seeds' clauses 0.971 → 0.979).
FIELD_B = {"body": 0.9, "body_bigrams": 0.9, "text": 0.5, "text_bigrams": 0.5}


def kind_count(searcher: Any, kind: str) -> int:
    """Number of units of ``kind`` in the index behind ``searcher`` (cached on the searcher)."""
    parent = searcher.get_parent()
    cache = parent.__dict__.setdefault("_policy_kind_counts", {})
    if kind not in cache:
        cache[kind] = parent.doc_frequency("kind", kind) or 1
    return cache[kind]


def rsj_idf(n: int, df: int) -> float:
    """Robertson–Spärck Jones IDF, never negative."""
    return log(1.0 + (n - df + 0.5) / (df + 0.5))


class UnitBM25(BM25F):
    """BM25F whose collection statistics are those of the field's unit kind."""

    def __init__(self, B: float = 0.75, K1: float = 1.2, **kwargs: float) -> None:
        super().__init__(B=B, K1=K1, **{f"{f}_B": b for f, b in FIELD_B.items()}, **kwargs)
        # where document frequencies come from (the engine gives a faster source than Whoosh's)
        self.doc_frequency: Callable[[str, Any], int] | None = None

    def idf(self, searcher: Any, fieldname: str, text: str) -> float:
        kind = FIELD_KIND.get(fieldname)
        parent = searcher.get_parent()
        df = (self.doc_frequency or parent.doc_frequency)(fieldname, text)
        n = kind_count(searcher, kind) if kind else parent.doc_count_all()
        return rsj_idf(n, df)

    def term_scores(self, searcher: Any, fieldname: str, text: Any, tf: np.ndarray,
                    lengths: np.ndarray) -> np.ndarray:
        """The scores of one term in many units at once: ``tf`` its frequencies, ``lengths`` the
        units' field lengths. The same numbers as :meth:`scorer` gives one unit at a time."""
        if not searcher.schema[fieldname].scorable:
            return tf
        parent = searcher.get_parent()
        kind = FIELD_KIND.get(fieldname)
        n = kind_count(searcher, kind) if kind else parent.doc_count_all()
        idf = parent.idf(fieldname, text)
        avgfl = (parent.field_length(fieldname) / n) or 1
        B, K1 = self._field_B.get(fieldname, self.B), self.K1
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths / avgfl)))

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return WeightScorer.for_(searcher, fieldname, text)
        B = self._field_B.get(fieldname, self.B)
        return _UnitScorer(searcher, fieldname, text, B, self.K1, self, qf=qf)


class _UnitScorer(BM25FScorer):
    def __init__(self, searcher: Any, fieldname: str, text: str, B: float, K1: float,
                 model: UnitBM25, qf: int = 1) -> None:
        parent = searcher.get_parent()
        kind = FIELD_KIND.get(fieldname)
        n = kind_count(searcher, kind) if kind else parent.doc_count_all()
        self.idf = parent.idf(fieldname, text)
        self.avgfl = (parent.field_length(fieldname) / n) or 1
        self.B = B
        self.K1 = K1
        self.qf = qf
        self.setup(searcher, fieldname, text)
