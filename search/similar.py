"""Texts like a given one (a new proposal or message): its most distinctive terms and bigrams,
weighed against the index's own statistics, as a ranked query."""
from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from whoosh import query as Q

from corpus.kinds import REPLY_TYPES
from indexer.bigrams import cjk_bigrams
from search.compile import STOP_WORDS, fields_for, ranked_query, with_context
from search.hits import HitBuilder
from search.ranking import SIMILAR_BIGRAMS, bigram_field, bigram_query, weigh_terms, with_bigrams
from search.results import SearchResults
from search.retrieve import Ranker
from search.semantic import Meaning
from search.state import IndexState

SIMILAR_TERMS = 40
SIMILAR_SOURCE_CHARS = 8_000  # of an indexed document compared with the others: its title and this much text


class SimilarTexts:
    """Finds the texts of one open index most like a given text."""

    def __init__(self, state: IndexState, ranker: Ranker, hit_builder: HitBuilder, meaning: Meaning) -> None:
        self.state = state
        self.ranker = ranker
        self.hit_builder = hit_builder
        self.meaning = meaning

    def similar(self, text: str, *, clauses: bool, limit: int, breadth: float, snippets: bool,
                as_of: str, mode: str | None = None, like: int | None = None, citable: bool = False) -> SearchResults:
        """See :meth:`search.engine.PolicyIndex.similar`; ``like`` is the document number of the
        document unit whose stored vector stands for the text's meaning; ``citable`` leaves out
        replies."""
        mode = self.meaning.mode(mode, text, "relevance", clauses)
        terms, boosts = self.distinctive_terms(text, clauses, keep=max(1, round(SIMILAR_TERMS * breadth)))
        grams, gram_boosts = self.distinctive_bigrams(text, clauses, keep=max(1, round(SIMILAR_BIGRAMS * breadth)))
        fields = fields_for(clauses)
        query = with_context(with_bigrams(ranked_query(terms, fields, boosts) if terms else None,
                                          bigram_query(grams, clauses, gram_boosts)), terms, fields, boosts)
        kind = "clause" if clauses else "doc"
        if query is None:
            if mode == "lexical":
                return SearchResults(text, [], 0)
            query = Q.NullQuery  # no distinctive word: the meaning alone
        within: Q.Query = Q.Term("kind", kind)
        if citable:
            within = Q.And([within, Q.Not(Q.Or([Q.Term("doc_type", t) for t in REPLY_TYPES]))])
        ranking = self.ranker.ranking(query, within, terms)
        ranking.meaning = self.meaning.side(text, within, mode, like=like, clauses=clauses, terms=lambda: terms)
        if like is not None:  # the document itself (its copies, its clauses) is no text like it
            own = np.fromiter(self.state.docs(Q.Term("doc_id", self.state.stored(like)["doc_id"])), dtype=np.int64)
            ranking.exclude(own)
            if ranking.meaning is not None:
                ranking.meaning.exclude(own)
        return self.hit_builder.results(text, ranking, limit=limit, offset=0, as_of=as_of, snippets=snippets)

    def distinctive_terms(self, text: str, clauses: bool = False,
                          keep: int = SIMILAR_TERMS) -> tuple[list[str], dict[str, float]]:
        """The ``keep`` terms of ``text`` with the highest tf × idf, and their query boosts."""
        counts = Counter(t for t in _all_terms(self.state.tokenizer, text) if t not in STOP_WORDS)
        return self._weigh(counts, "text" if clauses else "body", clauses, keep)

    def distinctive_bigrams(self, text: str, clauses: bool = False,
                            keep: int = SIMILAR_BIGRAMS) -> tuple[list[str], dict[str, float]]:
        """The ``keep`` CJK bigrams of ``text`` with the highest tf × idf, and their boosts."""
        counts = Counter(g for g, _s, _e in cjk_bigrams(text) if g not in STOP_WORDS)
        return self._weigh(counts, bigram_field(clauses), clauses, keep)

    def _weigh(self, counts: Counter[str], field_name: str, clauses: bool,
               keep: int) -> tuple[list[str], dict[str, float]]:
        n = self.state.units("clause" if clauses else "doc")
        return weigh_terms(counts, lambda t: self.state.doc_frequency(field_name, t), n, keep)


def _all_terms(tokenizer: Any, text: str) -> list[str]:
    """The finest words of ``text`` with repeats (term frequencies matter for tf × idf).

    Not the coarser words and sub-words index mode adds: they would count each long word
    of a message several times (人行天桥, 人行, 天桥), and the bigrams already match across
    segmentations.
    """
    return [w for w, _s, _e in tokenizer.fine_words(text)]
