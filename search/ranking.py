"""Ranking beyond single word terms: the bigram side of a query, and long texts as queries.

A ranked query is the OR of its word terms (search/compile.py) and of the character bigrams
of the same text in the bigram twin of each text field (indexer/bigrams.py). Both sides are
BM25 with per-kind statistics, so their scores simply add: a text sharing a word with the
query gains from both, a text sharing only an unsegmented name (暮云经开区 vs 暮云 经开区)
still gains from the bigrams.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable

from whoosh import query as Q

from indexer.bigrams import cjk_bigrams
from indexer.schema import BIGRAM_BOOST, BIGRAM_FIELDS
from search.scoring import rsj_idf

SIMILAR_BIGRAMS = 60
# How many of a long text's most frequent terms are weighed at all, per term kept: a law has
# thousands of distinct words and bigrams, and each costs an index lookup (~0.1 ms over 14 segments).
CANDIDATES_PER_KEPT = 6


def bigram_field(clauses: bool) -> str:
    """The bigram field of clause or document units."""
    return BIGRAM_FIELDS["text" if clauses else "body"]


def query_bigrams(texts: Iterable[str], stop: frozenset[str] = frozenset()) -> list[str]:
    """The distinct bigrams of ``texts`` in order, without those that are stop words."""
    seen: dict[str, None] = {}
    for text in texts:
        for gram, _s, _e in cjk_bigrams(text):
            if gram not in stop:
                seen.setdefault(gram, None)
    return list(seen)


def bigram_query(grams: list[str], clauses: bool, boosts: dict[str, float] | None = None) -> Q.Query | None:
    """OR of ``grams`` in the bigram field of the unit kind, or None when there are none."""
    if not grams:
        return None
    boosts = boosts or {}
    name = bigram_field(clauses)
    terms = [Q.Term(name, g, boost=BIGRAM_BOOST * boosts.get(g, 1.0)) for g in grams]
    return Q.Or(terms) if len(terms) > 1 else terms[0]


def with_bigrams(ranked: Q.Query | None, bigrams: Q.Query | None) -> Q.Query | None:
    """The sum of the word and bigram sides (either may be missing), as one flat OR.

    Flat, because Whoosh under-estimates the best score of an OR nested in another OR when
    the inner one reads postings in blocks (its max_quality is the max of its parts, not the
    sum), and then skips documents that belong in the top hits.
    """
    if ranked is None or bigrams is None:
        return ranked or bigrams
    return Q.Or([ranked, bigrams]).normalize()


def weigh_terms(counts: Counter[str], df: Callable[[str], int], n: int,
                keep: int) -> tuple[list[str], dict[str, float]]:
    """The ``keep`` terms with the highest (1 + log tf) × idf, and (1 + log tf) as their boosts.

    How a long text becomes a query: its own frequent terms that are rare in the index
    (``df`` gives a term's document frequency among the ``n`` units searched) say what it is
    about; terms the index does not hold cannot match and are dropped. Of a long text only the
    ``keep`` × CANDIDATES_PER_KEPT most frequent terms are weighed (first seen first among equals).
    """
    scored = []
    for term, tf in counts.most_common(keep * CANDIDATES_PER_KEPT):
        freq = df(term)
        if freq:
            scored.append(((1 + math.log(tf)) * rsj_idf(n, freq), term, tf))
    scored.sort(reverse=True)
    chosen = scored[:keep]
    return [t for _, t, _ in chosen], {t: 1 + math.log(tf) for _, t, tf in chosen}
