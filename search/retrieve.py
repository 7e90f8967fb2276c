"""The ranking stage: a compiled query's score for every unit, and the units it matches within
its filter, with the texts a query names (or national texts) raised.

What it hands on, a :class:`Ranking`, is all that hit building (:mod:`search.hits`: order,
coordination, versions, snippets, facets) reads, so another ranking can take its place: a
fusion of these lexical scores with dense-vector ones gives a Ranking of its own, and filters,
statuses, versions and facets apply to it unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from whoosh import query as Q

from indexer.schema import TEXT_FIELD
from search.compile import CompiledQuery
from search.evaluate import Scored
from search.places import Places
from search.semantic import MeaningSide
from search.state import IndexState

# A query of several words whose terms could match more units than this requires all its words
# (see CompiledQuery.requiring_all_words). It was set when Whoosh took seconds to score so many
# units; the array evaluator does not need it, but dropping it changes totals and rankings: to be
# decided on measurements, not as a side effect.
BROAD_QUERY = 20_000
NAMED_BOOST = 2.0  # units of a text whose title or place the query names (search.named)
# A query naming no title or place: units of the whole country's texts (search.named.is_national)
# score this many times higher than a province's or city's restating the same rule.
NATIONAL_BOOST = 1.2


@dataclass
class Ranking:
    """Every unit's score, and which units match the query and pass its filter (``candidates``:
    their numbers, ascending); ``query`` is what was evaluated, ``terms`` what to highlight, and
    ``groups`` the terms of each word typed (coordination rewards hits holding more of them);
    ``meaning``, where set, is fused with it in hit building."""

    scores: np.ndarray
    matched: np.ndarray
    query: Q.Query
    terms: list[str]
    groups: list[frozenset[str]] | None = None
    meaning: MeaningSide | None = None  # set: fused with the meaning's ranking (search.semantic)
    allowed: np.ndarray | None = None  # the units the filter lets through, matched or not (None: all)
    candidates: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.candidates = np.flatnonzero(self.matched)

    def exclude(self, docnums: np.ndarray) -> None:
        """Leave these units out of the candidates (a document out of the list of texts like it)."""
        self.matched = self.matched.copy()
        self.matched[docnums] = False
        self.candidates = np.flatnonzero(self.matched)
        self.allowed = np.ones_like(self.matched) if self.allowed is None else self.allowed.copy()
        self.allowed[docnums] = False


class Ranker:
    """Scores compiled queries on one open index."""

    def __init__(self, state: IndexState, places: Places) -> None:
        self.state = state
        self.places = places

    def rank(self, compiled: CompiledQuery, clauses: bool, wanted: int, prefer: list[str]) -> Ranking:
        """The ranking of a query for the first ``wanted`` hits; units of the families in ``prefer``
        (whose titles or places the query names) first, else those of national texts.

        A query of several common words ranks the units holding every word, far cheaper, unless
        fewer than ``wanted`` hold them all (a long text's words: a draft's query of 20 words)."""
        national_first = not prefer
        if len(compiled.groups) > 1 and self._matches_at_most(compiled.terms, clauses) > BROAD_QUERY:
            narrow = compiled.requiring_all_words()
            scored = self.state.evaluator.scores(narrow.query)
            if np.count_nonzero(self.state.within(scored, narrow.filter)) >= wanted:
                return self.ranking(narrow.query, narrow.filter, narrow.terms, narrow.groups, prefer=prefer,
                                    national_first=national_first, scored=scored)
        return self.ranking(compiled.query, compiled.filter, compiled.terms, compiled.groups, prefer=prefer,
                            national_first=national_first)

    def ranking(self, query: Q.Query, filter_query: Q.Query | None, terms: list[str],
                groups: list[frozenset[str]] | None = None, *, prefer: list[str] | None = None,
                national_first: bool = False, scored: Scored | None = None) -> Ranking:
        """The ranking of ``query`` within ``filter_query`` (``scored``: its evaluation, if made
        already); units of the families in ``prefer`` score NAMED_BOOST times higher; with
        ``national_first``, units of national texts score NATIONAL_BOOST times higher."""
        if scored is None:
            scored = self.state.evaluator.scores(query)
        ranking = Ranking(scored.score, self.state.within(scored, filter_query), query, terms, groups,
                          allowed=None if filter_query is None else self.state.mask(filter_query))
        preferred, boost = None, 1.0
        if prefer:
            preferred, boost = self.places.in_families(prefer), NAMED_BOOST
        elif national_first:
            preferred, boost = self.places.national_units(), NATIONAL_BOOST
        if preferred is not None:  # only the candidates' scores change: cheaper than a whole new array
            candidates = ranking.candidates
            ranking.scores = ranking.scores.copy()
            ranking.scores[candidates[preferred[candidates]]] *= boost
        return ranking

    def _matches_at_most(self, terms: list[str], clauses: bool) -> int:
        """An upper bound of the units a ranked query's words match (the sum of their frequencies)."""
        field_name = TEXT_FIELD["clause" if clauses else "doc"]
        return sum(self.state.doc_frequency(field_name, t) for t in terms)
