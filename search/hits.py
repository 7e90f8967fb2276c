"""Hit building: a :class:`~search.retrieve.Ranking` into the hits of one page, best first —
ordered by score or date, re-ranked by how many of the words typed each holds, one version of
each text, with snippets and statuses — and the facet counts over all its hits."""
from __future__ import annotations

import numpy as np

from search.evaluate import top
from search.facet_counts import FacetCounts
from search.highlight import Snippet, make_snippet
from search.history import History
from search.results import Hit, SearchResults, shown_source
from search.retrieve import Ranking
from search.scoring import rsj_idf
from search.semantic import DEPTH as FUSION_DEPTH
from search.semantic import Fused, MeaningSide
from search.state import IndexState
from search.versions import Shown

RERANK_DEPTH = 100
VERSION_MARGIN = 10
COORD_FLOOR = 0.5
NO_SNIPPET = Snippet("", ())


class HitBuilder:
    """Builds the results of rankings on one open index."""

    def __init__(self, state: IndexState, history: History, facets: FacetCounts) -> None:
        self.state = state
        self.history = history
        self.facets = facets

    def results(self, text: str, ranking: Ranking, *, limit: int, offset: int, as_of: str,
                sort: str = "relevance", facets: bool = False, versions: bool = True,
                snippets: bool = True) -> SearchResults:
        """Hits ``offset`` to ``offset + limit`` of ``ranking`` (``sort``: relevance or date, newest
        first), statuses on ``as_of``; a text held in several files is one hit, and with
        ``versions`` so are its versions; ``facets`` adds counts over all hits, without
        ``snippets`` hits come without one. The total, the pages and the facets count hits as
        shown: every hit counted is listed on some page."""
        side = ranking.meaning if sort == "relevance" else None
        candidates = ranking.candidates
        if side is not None and side.mode == "semantic":
            candidates = candidates[:0]  # the words find nothing: the meaning finds all
        wanted = offset + limit
        depth = 2 * wanted + VERSION_MARGIN
        while True:
            ranked, fused, listable = self._ordered(ranking, candidates, side, sort, depth)
            shown = self.history.collapse(ranked, as_of, versions, ranking.allowed)
            if len(shown) >= wanted or len(ranked) >= listable:
                break
            depth *= 4  # copies and versions folded more than the margin: look deeper
        matched = ranking.matched
        if fused is not None and side is not None:
            matched = matched.copy() if side.mode == "hybrid" else np.zeros_like(matched)
            matched[fused.docnums] = True
        terms = ranking.terms
        weights = {t: self._term_weight(t) for t in terms} if snippets else {}
        page = shown[offset:offset + limit]
        hits = [
            self._hit(rank, one.docnum, one.score, terms, weights, as_of, versions, snippets)
            for rank, one in enumerate(page, start=offset + 1)
        ]
        if side is not None and fused is not None:
            self._say_what_found(hits, page, fused, side, snippets)
        keys = self.history.unit_keys(versions)
        total = len(np.unique(keys[matched]))
        counts = self.facets.counts(matched, as_of, versions) if facets else None
        if fused is None:
            return SearchResults(text, hits, total, counts)
        return SearchResults(text, hits, total, counts, mode=side.mode if side else "lexical")

    def _ordered(self, ranking: Ranking, candidates: np.ndarray, side: MeaningSide | None, sort: str,
                 depth: int) -> tuple[list[tuple[float, int]], Fused | None, int]:
        """The first ``depth`` or more units of the ranking, best first (with the meaning fused
        where ``side`` is set), the fusion, and how many units the whole list holds."""
        scores = ranking.scores
        groups = ranking.groups
        coordinate = sort == "relevance" and groups is not None and len(groups) > 1
        if coordinate:
            depth = max(depth, RERANK_DEPTH)
        if side is not None:
            depth = max(depth, FUSION_DEPTH)
        if sort == "date":
            # newest first, units without a date ("", the lowest rank) last, ties by number
            _values, rank = np.unique(self.state.column("date")[candidates], return_inverse=True)
            best = candidates[np.lexsort((candidates, -rank))][:depth]
        else:
            best = top(scores, candidates, depth)
        ranked = [(float(scores[d]), int(d)) for d in best]
        if coordinate:  # the top RERANK_DEPTH re-ranked, the rest after them as they were (pages stay put)
            head, tail = best[:RERANK_DEPTH], ranked[RERANK_DEPTH:]
            found = self.state.evaluator.matched_terms(ranking.query, head)
            factor = [_coordination(f, groups or []) for f in found]
            ranked = sorted(((score * k, d) for (score, d), k in zip(ranked, factor)), key=lambda pair: -pair[0]) + tail
        if side is None:
            return ranked, None, len(candidates)
        fused = side.fuse(ranked)
        listed = list(zip(fused.scores.tolist(), fused.docnums.tolist()))
        # the words' candidates past the fusion's depth follow it, in the words' order
        seen = set(fused.docnums.tolist())
        floor = min((score for score, _d in listed), default=0.0)
        rest = [d for _s, d in ranked if d not in seen]
        listed += [(floor - 1.0 - n / max(len(rest), 1), d) for n, d in enumerate(rest)]
        listable = len(seen) + len(candidates) - int(np.count_nonzero(np.isin(candidates, fused.docnums)))
        return listed, fused, listable

    def _say_what_found(self, hits: list[Hit], page: list[Shown], fused: Fused, side: MeaningSide,
                        snippets: bool) -> None:
        """Each hit says what found it; one found by meaning alone shows its closest sentence."""
        alone: list[tuple[Hit, str]] = []
        for hit, one in zip(hits, page):
            docnum = one.docnum
            hit.matched = [name for name, found in (("words", one.found in fused.by_words or docnum in fused.by_words),
                                                     ("meaning", one.found in fused.by_meaning
                                                      or docnum in fused.by_meaning)) if found] or ["words"]
            if hit.matched == ["meaning"] and snippets:
                stored = self.state.stored(docnum)
                alone.append((hit, stored.get("text" if stored.get("kind") == "clause" else "body") or ""))
        sentences = side.vectors.closest_sentences([t for _h, t in alone], side.text, side.query_vector,
                                                    side.embedded_hits)
        for (hit, _text), sentence in zip(alone, sentences):
            if sentence:
                snippet = Snippet(sentence, ())
                hit.snippet, hit.snippet_segments = snippet.marked(), snippet.segments()

    def _term_weight(self, term: str) -> float:
        state = self.state
        df = state.doc_frequency("body", term) + state.doc_frequency("text", term)
        return rsj_idf(state.units("doc") + state.units("clause"), df) * len(term)

    def _hit(self, rank: int, docnum: int, score: float, terms: list[str], weights: dict[str, float],
             as_of: str, versions: bool, snippets: bool = True) -> Hit:
        stored = self.state.stored(docnum)
        is_clause = stored.get("kind") == "clause"
        snippet = NO_SNIPPET
        if snippets:
            text = stored.get("text" if is_clause else "body") or ""
            highlight = [t for t in terms if len(t) > 1 or not ("\u4e00" <= t <= "\u9fff")] or terms
            snippet = make_snippet(text, highlight, weights)
        version = self.history.version(docnum, as_of)
        valid_from, valid_until = self.history.window(docnum)
        return Hit(
            rank=rank,
            id=stored["doc_id"],
            unit_id=stored["unit_id"],
            source=stored["display"]["source"],
            title=stored["display"]["title"],
            doc_type=stored.get("doc_type", "其他"),
            issuing_body=stored.get("issuing_body") or None,
            date=stored.get("date") or None,
            clause=stored.get("clause_path") if is_clause else None,
            score=score,
            snippet=snippet.marked(),
            snippet_segments=snippet.segments(),
            status=version.status,
            versions=self.history.family_versions(docnum, as_of) if versions else [],
            copies=self.history.copies(docnum),
            relative_copies=self.history.copies(docnum, relative=True),
            relative_source=shown_source(stored["display"]),
            valid_from=valid_from,
            valid_until=valid_until,
        )


def _coordination(matched: set[str], groups: list[frozenset[str]]) -> float:
    """Reward matching more of the query's words: a factor from COORD_FLOOR (none) to 1 (all)."""
    share = sum(1 for g in groups if g & matched) / len(groups)
    return COORD_FLOOR + (1 - COORD_FLOOR) * share
