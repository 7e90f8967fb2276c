"""Searching an index: ranked document or clause hits with snippets, precedents, documents.

:class:`PolicyIndex` opens an index once and answers many queries (a batch, the web page);
the module functions open, answer one and close.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as Q
from whoosh.searching import Searcher

from corpus.errors import PolicySearchError, UsageError
from indexer.analysis import search_terms
from indexer.bigrams import cjk_bigrams
from indexer.schema import schema_analyzer
from indexer.store import open_index
from search.compile import STOP_WORDS, compile_query, fields_for, ranked_query
from search.highlight import make_snippet
from search.query import parse_query
from search.ranking import SIMILAR_BIGRAMS, bigram_field, bigram_query, weigh_terms, with_bigrams
from search.scoring import UnitBM25, kind_count, rsj_idf

MAX_LIMIT = 1000
SIMILAR_TERMS = 40
RERANK_DEPTH = 100
COORD_FLOOR = 0.5


@dataclass
class Hit:
    """One result: a document, or one clause of a document."""

    rank: int
    id: str
    unit_id: str
    source: str
    title: str
    doc_type: str
    issuing_body: str | None
    date: str | None
    clause: str | None
    score: float
    snippet: str
    snippet_segments: list[tuple[str, bool]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The object of `search --json` (spec/record.md)."""
        return {
            "rank": self.rank, "id": self.id, "source": self.source, "title": self.title,
            "doc_type": self.doc_type, "issuing_body": self.issuing_body, "date": self.date,
            "clause": self.clause, "score": round(self.score, 4), "snippet": self.snippet,
        }


@dataclass
class SearchResults:
    """The hits of one query, best first, and how many matched in all."""

    query: str
    hits: list[Hit]
    total: int


class PolicyIndex:
    """An open index, ready for many searches. Use as a context manager, or call ``close``."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._ix = open_index(index_dir)
        self.tokenizer = schema_analyzer(self._ix.schema)
        self.tokenizer.engine  # load the segmenter now, and check its dictionaries
        self._searcher: Searcher = self._ix.searcher(weighting=UnitBM25())
        self._filters: dict[str, Any] = {}
        self._issuers: list[str] | None = None

    def __enter__(self) -> PolicyIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    # -- searching ---------------------------------------------------------------------------------
    def search(self, query: str, *, clauses: bool = False, limit: int = 10, offset: int = 0) -> SearchResults:
        """Hits for a query in the query language (see :mod:`search.query`)."""
        _check_limit(limit, offset)
        parsed = parse_query(query)
        compiled = compile_query(parsed, self.tokenizer, clauses, self.issuers())
        return self._run(query, compiled.query, compiled.filter, compiled.terms, limit, offset, compiled.groups)

    def similar(self, text: str, *, clauses: bool = False, limit: int = 10) -> SearchResults:
        """Indexed texts most like ``text`` (a new proposal or message), best first.

        Rather than sending the whole text as a query, its terms are weighed against the
        index's own statistics (tf × idf) and the most distinctive ones are kept.
        """
        _check_limit(limit, 0)
        terms, boosts = self.distinctive_terms(text, clauses)
        grams, gram_boosts = self.distinctive_bigrams(text, clauses)
        query = with_bigrams(ranked_query(terms, fields_for(clauses), boosts) if terms else None,
                             bigram_query(grams, clauses, gram_boosts))
        if query is None:
            return SearchResults(text, [], 0)
        kind = "clause" if clauses else "doc"
        return self._run(text, query, Q.Term("kind", kind), terms, limit, 0)

    def distinctive_terms(self, text: str, clauses: bool = False,
                          keep: int = SIMILAR_TERMS) -> tuple[list[str], dict[str, float]]:
        """The ``keep`` terms of ``text`` with the highest tf × idf, and their query boosts."""
        counts = Counter(t for t in _all_terms(self.tokenizer, text) if t not in STOP_WORDS)
        return self._weigh(counts, "text" if clauses else "body", clauses, keep)

    def distinctive_bigrams(self, text: str, clauses: bool = False,
                            keep: int = SIMILAR_BIGRAMS) -> tuple[list[str], dict[str, float]]:
        """The ``keep`` CJK bigrams of ``text`` with the highest tf × idf, and their boosts."""
        counts = Counter(g for g, _s, _e in cjk_bigrams(text) if g not in STOP_WORDS)
        return self._weigh(counts, bigram_field(clauses), clauses, keep)

    def _weigh(self, counts: Counter[str], field_name: str, clauses: bool,
               keep: int) -> tuple[list[str], dict[str, float]]:
        n = kind_count(self._searcher, "clause" if clauses else "doc")
        return weigh_terms(counts, lambda t: self._searcher.doc_frequency(field_name, t), n, keep)

    def _run(self, text: str, query: Q.Query, filter_query: Q.Query | None, terms: list[str],
             limit: int, offset: int, groups: list[frozenset[str]] | None = None) -> SearchResults:
        allowed = self._filter_set(filter_query)
        if allowed is not None and not allowed:
            # Whoosh reads an empty allow-set as "no filter": a filter that matches
            # nothing (类型:办法 in an index without one) must give no hits, not every unit.
            return SearchResults(text, [], 0)
        coordinate = groups is not None and len(groups) > 1
        depth = max(offset + limit, RERANK_DEPTH) if coordinate else offset + limit
        results = self._searcher.search(query, limit=depth, filter=allowed, terms=coordinate)
        scored = [(hit.score, hit) for hit in results]
        if coordinate:
            scored = [(score * _coordination(hit, groups or []), hit) for score, hit in scored]
            scored.sort(key=lambda pair: -pair[0])
        weights = {t: self._term_weight(t) for t in terms}
        hits = []
        for rank, (score, hit) in enumerate(scored[offset:offset + limit], start=offset + 1):
            hits.append(self._hit(rank, hit.fields(), score, terms, weights))
        return SearchResults(text, hits, len(results))

    def _filter_set(self, filter_query: Q.Query | None) -> Any:
        """The matching document numbers of a filter, cached: filters repeat across queries."""
        if filter_query is None:
            return None
        key = repr(filter_query)
        cached = self._filters.get(key)
        if cached is None:
            cached = set(self._searcher.docs_for_query(filter_query))
            if len(self._filters) > 256:
                self._filters.clear()
            self._filters[key] = cached
        return cached

    def _term_weight(self, term: str) -> float:
        df = self._searcher.doc_frequency("body", term) + self._searcher.doc_frequency("text", term)
        return rsj_idf(kind_count(self._searcher, "doc") + kind_count(self._searcher, "clause"), df) * len(term)

    def _hit(self, rank: int, stored: dict[str, Any], score: float, terms: list[str],
             weights: dict[str, float]) -> Hit:
        is_clause = stored.get("kind") == "clause"
        text = stored.get("text" if is_clause else "body") or ""
        highlight = [t for t in terms if len(t) > 1 or not ("\u4e00" <= t <= "\u9fff")] or terms
        snippet = make_snippet(text, highlight, weights)
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
        )

    # -- documents ---------------------------------------------------------------------------------
    def document(self, doc_id: str) -> dict[str, Any]:
        """The full record of a document (as `parse --json`, plus its body) by id or source."""
        stored = self._searcher.document(kind="doc", doc_id=doc_id) or self._searcher.document(
            kind="doc", source=doc_id
        )
        if stored is None:
            raise UnknownDocument(doc_id)
        record = json.loads(stored["record"])
        texts = {
            f["clause_path"]: f.get("text", "")
            for f in self._searcher.documents(kind="clause", doc_id=stored["doc_id"])
            if f.get("file") == stored.get("file")
        }
        for clause in record.get("clauses", []):
            clause["text"] = texts.get(clause["path"], "")
        record["body"] = stored.get("body", "")
        return record

    def issuers(self) -> list[str]:
        """Every issuing body in the index (for filters that match part of a name)."""
        if self._issuers is None:
            self._issuers = [
                t.decode("utf-8") if isinstance(t, bytes) else t for t in self._searcher.lexicon("issuing_body")
            ]
        return self._issuers


class UnknownDocument(PolicySearchError):
    """Raised when no indexed document has the given id or source."""

    http_status = 404

    def __init__(self, doc_id: str) -> None:
        super().__init__(f"no document with id or source `{doc_id}` in the index — "
                         "find ids with `policy-search search QUERY --json`")


def _coordination(hit: Any, groups: list[frozenset[str]]) -> float:
    """Reward matching more of the query's words: a factor from COORD_FLOOR (none) to 1 (all)."""
    matched = {text.decode("utf-8") if isinstance(text, bytes) else text for _f, text in hit.matched_terms()}
    share = sum(1 for g in groups if g & matched) / len(groups)
    return COORD_FLOOR + (1 - COORD_FLOOR) * share


def _all_terms(tokenizer: Any, text: str) -> list[str]:
    """The finest words of ``text`` with repeats (term frequencies matter for tf × idf).

    Not the coarser words and sub-words index mode adds: they would count each long word
    of a message several times (人行天桥, 人行, 天桥), and the bigrams already match across
    segmentations.
    """
    return [w for w, _s, _e in tokenizer.fine_words(text)]


def _check_limit(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise UsageError(f"offset must not be negative, got {offset}")


def search(index_dir: Path, query: str, **kwargs: Any) -> SearchResults:
    """Open the index at ``index_dir``, run one query, close it."""
    with PolicyIndex(index_dir) as index:
        return index.search(query, **kwargs)


__all__ = ["Hit", "PolicyIndex", "SearchResults", "UnknownDocument", "search", "search_terms"]
