"""Our BM25 over the candidates a remote engine found, so that both backends rank words alike.

Typesense ranks by how many of the query's words a unit holds, then by their proximity: it
knows no idf, so a common word counts as much as a rare one, and a long message asked of the
replies ranked far below our BM25 (nDCG@10 0.28 against 0.70). Here the engine only finds
candidates — the units holding each of the query's words, and those holding most of them —
and gives each word's document frequency (``found`` of a search for it alone); the candidates'
pre-segmented words come back with them, and the score is computed as
:class:`search.scoring.UnitBM25` computes it (per-kind statistics, RSJ idf, the same b and k1 and
field boosts) over the same terms the index holds (words and the sub-words of long ones), without
the bigram side.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from indexer.schema import CLAUSE_FIELDS, DOC_FIELDS
from search.scoring import FIELD_B, rsj_idf

K1 = 1.2
DEFAULT_B = 0.75
# the engine's two text fields, as the index's fields of each kind: (field, boost, b)
FIELDS = {
    "doc": (("terms", DOC_FIELDS["body"], FIELD_B["body"]), ("head_words", DOC_FIELDS["title"], DEFAULT_B)),
    "clause": (("terms", CLAUSE_FIELDS["text"], FIELD_B["text"]), ("head_words", CLAUSE_FIELDS["context"], DEFAULT_B)),
}


TEXT_FIELD = "terms"  # the field whose document frequencies choose a long text's terms


def choose_terms(counts: Counter[str], df: dict[str, dict[str, int]], n: int, keep: int) -> list[str]:
    """The ``keep`` terms with the highest tf × idf in the text field (one found nowhere is left out)."""
    text = df.get(TEXT_FIELD, {})
    weighed = {t: c * rsj_idf(n, text[t]) for t, c in counts.items() if text.get(t)}
    return sorted(weighed, key=lambda t: (-weighed[t], t))[:keep]


def bm25(unit: dict[str, Any], terms: list[str], df: dict[str, dict[str, int]], n: int, kind: str,
         average: dict[str, float]) -> float:
    """The unit's score for ``terms`` (each counted once), as UnitBM25 would give it."""
    score = 0.0
    for field, boost, b in FIELDS[kind]:
        tokens = (unit.get(field) or "").split()
        if not tokens:
            continue
        counts = Counter(tokens)
        norm = K1 * ((1 - b) + b * len(tokens) / (average.get(field) or 1.0))
        for term in terms:
            tf = counts.get(term, 0)
            if tf:
                score += boost * rsj_idf(n, df[field].get(term, 1)) * tf * (K1 + 1) / (tf + norm)
    return score
