"""Texts like a given one (a new proposal or message): its most distinctive terms and bigrams,
weighed against the index's own statistics, as a ranked query."""
from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from whoosh import query as Q

from corpus.kinds import REPLY_TYPES
from corpus.sameness import pasted_fingerprints
from indexer.bigrams import cjk_bigrams
from search.compile import STOP_WORDS, fields_for, ranked_query, with_context
from search.hits import HitBuilder
from search.ranking import SIMILAR_BIGRAMS, bigram_field, bigram_query, weigh_terms, with_bigrams
from search.history import History
from search.results import SearchResults, shown_source
from search.retrieve import Ranker
from search.semantic import Meaning
from search.state import IndexState

SIMILAR_TERMS = 40
SIMILAR_SOURCE_CHARS = 8_000  # of an indexed document compared with the others: its title and this much text


class SimilarTexts:
    """Finds the texts of one open index most like a given text."""

    def __init__(self, state: IndexState, ranker: Ranker, hit_builder: HitBuilder, meaning: Meaning,
                 history: History) -> None:
        self.state = state
        self.history = history
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
        indexed = self.indexed_as(text) if like is None else []
        itself = [like] if like is not None else indexed
        if itself:  # the text itself (in any of its files, its clauses too) is no precedent of itself
            copy = self.history.groups().copy
            own = np.flatnonzero(np.isin(copy, copy[itself]))
            ranking.exclude(own)
            if ranking.meaning is not None:
                ranking.meaning.exclude(own)
        results = self.hit_builder.results(text, ranking, limit=limit, offset=0, as_of=as_of, snippets=snippets)
        results.already_indexed = [self._named(d) for d in indexed]
        return results

    def indexed_as(self, text: str) -> list[int]:
        """The document units holding ``text`` as it stands (corpus.sameness: the same words and
        numbers), one per text, by its files' first source: a pasted text may be indexed already."""
        found: dict[int, int] = {}
        copy = self.history.groups().copy
        for fingerprint in pasted_fingerprints(text):
            for d in sorted(self.state.docs(Q.And([Q.Term("content", fingerprint), Q.Term("kind", "doc")]))):
                found.setdefault(int(copy[d]), d)
        return sorted(found.values())

    def already_indexed(self, text: str) -> tuple[list[dict[str, str]], set[str]]:
        """The indexed documents that hold ``text`` (as :attr:`SearchResults.already_indexed`), and
        the ids of every file of theirs: what a draft answering ``text`` must not quote as a precedent."""
        found = self.indexed_as(text)
        if not found:
            return [], set()
        copy = self.history.groups().copy
        files = np.flatnonzero(np.isin(copy, copy[found]))
        return [self._named(d) for d in found], {str(i) for i in self.state.column("doc_id")[files]}

    def _named(self, docnum: int) -> dict[str, str]:
        stored = self.state.stored(docnum)
        return {"id": stored["doc_id"], "title": stored["display"]["title"], "source": stored["display"]["source"],
                "relative_source": shown_source(stored["display"])}

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
