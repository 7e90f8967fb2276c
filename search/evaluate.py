"""Evaluate the queries search/compile.py builds over whole arrays instead of posting by posting.

A query is the same Whoosh query tree; only its evaluation changes. Each node gives, for every
unit of the index, whether it matches and its score: a term's BM25 (the same formula and
statistics as :class:`search.scoring.UnitBM25`) from its cached posting arrays, sums over OR
and AND as Whoosh adds them, AND-MAYBE adding the optional part where the required part
matches, AND-NOT removing what the excluded part matches. Filters become boolean masks: a
range over a sortable field compares its column. Phrases are checked on positions, only in the
units that hold all their words (and, for a phrase that only boosts, that the rest matched) but
not the phrase as one indexed word (人民法院 is indexed whole and as 人民 + 法院 at consecutive
positions: such a unit matches as it is). Unlike Whoosh's, a phrase in a field with a bigram
twin must stand in the text as written: a unit lacking the bigram where two of its words meet
(理条 of 管理 + 条例) is dropped before any position is read, so neither punctuation, which
takes no position (管理：条例), nor a longer word (管理所条例) lets it match.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh.query.qcore import _NullQuery

from indexer.bigrams import junction_bigrams
from indexer.schema import BIGRAM_FIELDS
from search.postings import PostingArrays
from search.scoring import UnitBM25

PHRASE_CACHE = 128


class UnitSet(Q.Query):
    """Units worked out elsewhere, as a boolean mask over the index, that a filter can use like
    any query (the units other texts repeal by a day); ``name`` stands for it in cache keys."""

    def __init__(self, name: str, mask: np.ndarray) -> None:
        self.name = name
        self.mask = mask

    def __repr__(self) -> str:
        return f"UnitSet({self.name!r})"

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnitSet) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


@dataclass
class Scored:
    """Per unit: whether it matches, and its score (0 where it does not)."""

    hit: np.ndarray
    score: np.ndarray


class Evaluator:
    """Matches and scores Whoosh queries on one open searcher, through its posting arrays."""

    def __init__(self, searcher: Any, arrays: PostingArrays, weighting: UnitBM25) -> None:
        self._searcher = searcher
        self._reader = searcher.reader()
        self.arrays = arrays
        self._weighting = weighting
        self._n = arrays.doc_count
        self._phrases: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # phrase → (checked, matched)

    # -- which units match ---------------------------------------------------------------------------
    def docs(self, query: Q.Query) -> np.ndarray:
        """A boolean mask of the units ``query`` matches (deleted ones never do)."""
        return self._docs(query) & self.arrays.live

    def ids(self, query: Q.Query) -> np.ndarray:
        """The document numbers ``query`` matches, ascending. Terms and ANDs or ORs of them are
        answered from their postings without a mask over the whole index: lookups of one
        document's versions, clauses or citations are small."""
        found = self._ids(query)
        if found is None:
            return np.flatnonzero(self.docs(query))
        return found[self.arrays.live[found]]

    def _ids(self, query: Q.Query) -> np.ndarray | None:
        if isinstance(query, Q.Term):
            return self.arrays.postings(query.fieldname, query.text).ids
        if type(query) in (Q.And, Q.Or):
            parts = [self._ids(child) for child in query.subqueries]  # type: ignore[attr-defined]
            if not parts or any(p is None for p in parts):
                return None
            found: np.ndarray = parts[0]  # type: ignore[assignment]
            for part in parts[1:]:
                if isinstance(query, Q.And):
                    found = np.intersect1d(found, part, assume_unique=True)  # type: ignore[arg-type]
                else:
                    found = np.union1d(found, part)  # type: ignore[arg-type]
            return found
        return None

    def _docs(self, query: Q.Query) -> np.ndarray:
        if isinstance(query, Q.Term):
            mask = np.zeros(self._n, dtype=bool)
            mask[self.arrays.postings(query.fieldname, query.text).ids] = True
            return mask
        if isinstance(query, (Q.AndNot, Q.AndMaybe, Q.Require)):
            first = self._docs(query.a)
            if isinstance(query, Q.AndNot):
                return first & ~self._docs(query.b)
            if isinstance(query, Q.Require):
                return first & self._docs(query.b)
            return first
        if isinstance(query, Q.And):
            mask = np.ones(self._n, dtype=bool)
            for child in query.subqueries:
                mask &= self._docs(child)
            return mask
        if isinstance(query, Q.Or):
            mask = np.zeros(self._n, dtype=bool)
            for child in query.subqueries:
                mask |= self._docs(child)
            return mask
        if isinstance(query, Q.Not):
            return ~self._docs(query.query)
        if isinstance(query, Q.Every):
            return np.ones(self._n, dtype=bool)
        if isinstance(query, UnitSet):
            return query.mask.copy()
        if isinstance(query, _NullQuery):
            return np.zeros(self._n, dtype=bool)
        if isinstance(query, Q.TermRange) and self.arrays.has_column(query.fieldname):
            values = self.arrays.column(query.fieldname)
            return _in_range(values, values != "", query)
        if isinstance(query, Q.NumericRange):
            numbers = self.arrays.numbers(query.fieldname)
            if numbers is None:
                return self._docs(query._compile_query(self._reader))
            return _in_range(numbers, ~np.isnan(numbers), query)
        if isinstance(query, Q.MultiTerm):
            mask = np.zeros(self._n, dtype=bool)
            for text in query._btexts(self._reader):
                mask[self.arrays.postings(query.fieldname, text).ids] = True  # type: ignore[attr-defined]
            return mask
        if isinstance(query, Q.Phrase):
            return self._phrase_docs(query)
        return self._whoosh_docs(query)


    def _phrase_docs(self, query: Q.Phrase, within: np.ndarray | None = None) -> np.ndarray:
        """Units holding the words in order (each within ``slop`` positions of the one before);
        with ``within``, only those among them. Positions are read only for units that hold
        every word, and each unit is checked once per phrase: what was checked and what matched
        are kept (common phrases such as 中华人民 take tens of milliseconds to check)."""
        key = f"{query.fieldname}\0{query.slop}\0" + "\0".join(query.words)
        entry = self._phrases.pop(key, None)
        if entry is None:
            entry = (np.zeros(self._n, dtype=bool), np.zeros(self._n, dtype=bool))
        checked, matched = entry
        wanted = ~checked if within is None else within & ~checked
        if wanted.any():
            matched |= self._check_phrase(query, wanted)
            checked |= wanted
        if len(self._phrases) >= PHRASE_CACHE:
            self._phrases.pop(next(iter(self._phrases)))
        self._phrases[key] = entry  # most recently used last
        return matched.copy() if within is None else matched & within

    def _check_phrase(self, query: Q.Phrase, within: np.ndarray) -> np.ndarray:
        candidates = within.copy()
        for word in query.words:
            candidates &= self._docs(Q.Term(query.fieldname, word))
        candidates &= self.arrays.live
        if len(query.words) == 1 or not candidates.any():
            return candidates
        twin = BIGRAM_FIELDS.get(query.fieldname)
        if twin and query.slop == 1:  # the words touch in the text: so do the characters where they meet
            for junction in junction_bigrams(query.words):
                candidates &= self._docs(Q.Term(twin, junction))
        # A unit holding the phrase as one word (人民法院, indexed whole and as 人民 + 法院 at
        # consecutive positions) matches: only the others need their positions read.
        mask = np.zeros(self._n, dtype=bool)
        if query.slop == 1:
            mask[self.arrays.postings(query.fieldname, "".join(query.words)).ids] = True
            mask &= candidates
        docnums = np.flatnonzero(candidates & ~mask)
        if not len(docnums):
            return mask
        where = [self.arrays.positions(query.fieldname, word, docnums) for word in query.words]
        for docnum in docnums.tolist():
            mask[docnum] = _in_order([w.get(docnum, ()) for w in where], query.slop)
        return mask

    def _whoosh_docs(self, query: Q.Query) -> np.ndarray:
        mask = np.zeros(self._n, dtype=bool)
        mask[np.fromiter(self._searcher.docs_for_query(query), dtype=np.int64)] = True
        return mask

    # -- how well they match ---------------------------------------------------------------------------
    def scores(self, query: Q.Query) -> Scored:
        """Which units ``query`` matches and their scores, as Whoosh would sum them."""
        scored = self._scores(query)
        scored.hit &= self.arrays.live
        return scored

    def _scores(self, query: Q.Query, within: np.ndarray | None = None) -> Scored:
        """``within``, when given, are the only units whose result matters (it saves phrase checks)."""
        if isinstance(query, Q.Term):
            scored = self._empty()
            self._add_term(scored, query)
            return scored
        if isinstance(query, (Q.AndNot, Q.AndMaybe, Q.Require)):
            first = self._scores(query.a, within)
            if isinstance(query, Q.AndMaybe):  # the optional part counts only where the first matches
                extra = self._scores(query.b, first.hit)
                first.score += np.where(first.hit, extra.score, 0.0)
            else:
                other = self._docs(query.b)
                first.hit &= ~other if isinstance(query, Q.AndNot) else other
            return first
        if isinstance(query, Q.And):
            parts = [self._scores(child, within) for child in query.subqueries]
            # summed in place into a copy of the first: stacking the parts to reduce them copied
            # every one of them (a quarter million units each)
            hit, score = parts[0].hit.copy(), parts[0].score.copy()
            for part in parts[1:]:
                hit &= part.hit
                score += part.score
            score *= hit  # 0 where not every part matched (scores are finite)
            return Scored(hit, score)
        if isinstance(query, Q.Or):
            total = self._empty()
            for child in query.subqueries:
                if isinstance(child, Q.Term):
                    self._add_term(total, child)
                else:
                    part = self._scores(child, within)
                    total.hit |= part.hit
                    total.score += part.score
            return total
        if isinstance(query, Q.Phrase):
            hit = self._phrase_docs(query, within)
            scored = self._empty()
            for word in query.words:
                self._add_term(scored, Q.Term(query.fieldname, word, boost=query.boost))
            return Scored(hit, np.where(hit, scored.score, 0.0))
        hit = self._docs(query)  # a filter-like query: matches count, at a constant score
        return Scored(hit, np.where(hit, float(query.boost) if hasattr(query, "boost") else 1.0, 0.0))

    def _empty(self) -> Scored:
        return Scored(np.zeros(self._n, dtype=bool), np.zeros(self._n, dtype=np.float64))

    def _add_term(self, scored: Scored, term: Q.Term) -> None:
        postings = self.arrays.postings(term.fieldname, term.text)
        if not len(postings):
            return
        lengths = self.arrays.lengths(term.fieldname)[postings.ids]
        values = self._weighting.term_scores(self._searcher, term.fieldname, term.text, postings.weights, lengths)
        scored.score[postings.ids] += values * term.boost
        scored.hit[postings.ids] = True

    # -- which of its terms each unit matched ------------------------------------------------------------
    def matched_terms(self, query: Q.Query, docnums: np.ndarray) -> list[set[str]]:
        """For each of ``docnums``, the texts of the query's (positive) terms found in it."""
        matched: list[set[str]] = [set() for _ in docnums]
        for term in _positive_terms(query):
            ids = self.arrays.postings(term.fieldname, term.text).ids
            found = _members(docnums, ids)
            text = term.text.decode("utf-8") if isinstance(term.text, bytes) else term.text
            for i in np.flatnonzero(found):
                matched[i].add(text)
        return matched


def _members(docnums: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of ``docnums`` are in ``ids`` (ascending): a binary search for each of a page of
    hits, where ``np.isin`` would sort the whole posting list of a common word."""
    if not len(ids):
        return np.zeros(len(docnums), dtype=bool)
    at = np.minimum(np.searchsorted(ids, docnums), len(ids) - 1)
    return ids[at] == docnums


def _in_range(values: np.ndarray, present: np.ndarray, query: Q.TermRange | Q.NumericRange) -> np.ndarray:
    """The units with a value (``present``) within the query's bounds, each open or not."""
    mask = np.asarray(present)
    if query.start is not None:
        mask &= (values > query.start) if query.startexcl else (values >= query.start)
    if query.end is not None:
        mask &= (values < query.end) if query.endexcl else (values <= query.end)
    return mask


def _in_order(positions: list[Any], slop: int) -> bool:
    """Whether some occurrence of each word follows one of the word before within ``slop``."""
    reach = set(positions[0])
    for following in positions[1:]:
        reach = {p for p in following if any(0 < p - q <= slop for q in reach)} if slop > 1 else \
            {p for p in following if p - 1 in reach}
        if not reach:
            return False
    return True


def _positive_terms(query: Q.Query) -> list[Q.Term]:
    """The terms of a query that can add to a match, not those that exclude or only filter."""
    if isinstance(query, Q.Term):
        return [query]
    if isinstance(query, Q.AndNot):
        return _positive_terms(query.a)
    if isinstance(query, Q.Phrase):
        return [Q.Term(query.fieldname, w) for w in query.words]
    if isinstance(query, Q.CompoundQuery):
        return [t for child in query.subqueries for t in _positive_terms(child)]
    return []


def top(scores: np.ndarray, candidates: np.ndarray, depth: int) -> np.ndarray:
    """The ``depth`` best of ``candidates`` (document numbers, ascending) by score, ties by number."""
    if len(candidates) > depth:
        values = scores[candidates]
        kth = np.partition(values, len(values) - depth)[len(values) - depth]
        candidates = candidates[values >= kth]
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order][:depth]
