"""Searching an index: ranked document or clause hits with snippets, precedents, documents.

:class:`PolicyIndex` opens an index once and answers many queries (a batch, the web page);
the module functions open, answer one and close. It is a facade over parts that each do one
job over one shared :class:`~search.state.IndexState` (the opened reader, arrays and caches):

- :mod:`search.retrieve` ranks a compiled query (scores, and the units within its filter);
- :mod:`search.hits` turns a ranking into the hits of a page (order, versions, snippets, facets);
- :mod:`search.similar` finds texts like a given one; :mod:`search.records` gives a document's
  record, :mod:`search.citing` resolves citations, :mod:`search.history` knows versions and
  repeals, :mod:`search.places` the titles and places a query names, :mod:`search.facet_counts`
  counts facets, :mod:`search.warmup` loads ahead what queries read.

A query's path: :meth:`PolicyIndex.search` parses a string (or takes a
:class:`~search.query.ParsedQuery` built in code), sets apart the titles and places it names
(:class:`~search.places.Places`), compiles it (:func:`search.compile.compile_query`), ranks it
(:class:`~search.retrieve.Ranker`) and builds the hits (:class:`~search.hits.HitBuilder`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.dates import day_or_today
from errors import UsageError
from search.commitments import Commitments
from search.cited_numbers import CitedNumbers
from search.citing import Citations
from search.compile import compile_query
from search.facet_counts import FacetCounts
from search.filters import FilterContext
from search.hits import HitBuilder
from search.history import History
from search.places import Places
from search.query import ParsedQuery, parse_query, require_words
from search.ranking import SIMILAR_BIGRAMS
from search.records import Records, UnknownDocument
from search.results import Hit, SearchResults
from search.retrieve import Ranker
from search.semantic import Meaning, meaning_text
from search.similar import SIMILAR_SOURCE_CHARS, SIMILAR_TERMS, SimilarTexts
from search.state import IndexState
from search.warmup import warm

MAX_LIMIT = 1000
SORTS = ("relevance", "date")


class PolicyIndex:
    """An open index, ready for many searches. Use as a context manager, or call ``close``.

    ``state`` is the opened index its parts share: Whoosh's ``searcher`` and ``reader``, the
    array ``evaluator`` and cached filter masks (``state.mask``), for tests and benchmarks that
    compare the arrays with Whoosh's own results."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = index_dir = Path(index_dir)
        self.state = state = IndexState(index_dir)
        self.tokenizer = state.tokenizer
        self.history = History(state)
        self.places = Places(state)
        self.citations = Citations(state, self.history)
        self.cited_numbers = CitedNumbers(state, self.citations)
        self.records = Records(state, self.history, self.citations)
        self.ranker = Ranker(state, self.places)
        self.hit_builder = HitBuilder(state, self.history, FacetCounts(state, self.history))
        self.meaning = Meaning(state)
        self.similar_texts = SimilarTexts(state, self.ranker, self.hit_builder, self.meaning, self.history)
        self.commitments = Commitments(state)  # what the replies promised (search.commitments)

    def __enter__(self) -> PolicyIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.state.close()

    def warm(self) -> None:
        """Load now what searches read on first use (columns, field lengths, the value lists of
        filters and facets, the postings of the most common words), so that the first queries
        of a server or a batch do not pay for it (on the laws index: ~8 s, ~150 MB)."""
        warm(self.state, self.places, self.history, self.search)
        self.meaning.warm()

    # -- searching ---------------------------------------------------------------------------------
    def search(self, query: str | ParsedQuery, *, clauses: bool = False, limit: int = 10, offset: int = 0,
               sort: str = "relevance", as_of: str | None = None, facets: bool = False,
               versions: bool = True, mode: str | None = None) -> SearchResults:
        """Hits for a query in the query language (see :mod:`search.query`), or for one made in
        code (:meth:`ParsedQuery.build <search.query.ParsedQuery.build>`).

        ``sort`` is ``relevance`` or ``date`` (newest first); ``as_of`` is the day statuses
        are computed on (default today); ``facets`` adds counts per issuer, type, year and
        status over all hits; ``versions`` shows a family of versions once. ``mode`` is
        ``hybrid`` (words and meaning fused: the default where the units asked for have
        vectors), ``lexical`` or ``semantic`` (meaning alone); filters apply in every mode.
        """
        parsed, day, meaning = search_request(query, limit, offset, sort, as_of)
        mode = self.meaning.mode(mode, meaning, sort, clauses)
        parsed, named = self.places.without_titles(parsed)
        context = FilterContext(parsed.text, day, self.state.field_values, self.history.repealed(day),
                                amended=self.history.amended(day), cited_numbers=self.cited_numbers.documents)
        compiled = compile_query(parsed, self.tokenizer, clauses, context)
        ranking = self.ranker.rank(compiled, clauses, offset + limit, named)
        ranking.meaning = self.meaning.side(meaning, compiled.filter, mode, clauses=clauses,
                                            terms=lambda: self.similar_texts.distinctive_terms(meaning, clauses=True)[0])
        ranking.amounts = compiled.amounts
        ranking.bigrams, ranking.expansions, ranking.every_word = compiled.bigrams, compiled.expansions, compiled.every_word
        ranking.lay_words = compiled.lay_words
        return self.hit_builder.results(parsed.text, ranking, limit=limit, offset=offset, as_of=day, sort=sort,
                                        facets=facets, versions=versions)

    def similar(self, text: str, *, clauses: bool = False, limit: int = 10, breadth: float = 1.0,
                snippets: bool = True, mode: str | None = None, like: str | None = None,
                citable: bool = False) -> SearchResults:
        """Indexed texts most like ``text`` (a new proposal or message), best first.

        Rather than sending the whole text as a query, its terms are weighed against the
        index's own statistics (tf × idf) and the most distinctive ones are kept. ``breadth``
        scales how many: 0.5 keeps half, for a quick list beside a document (the query's cost
        grows with its terms: 290 → 110 ms for a law on the laws index). Without ``snippets``,
        hits come without one (a list of titles costs ~10 % less). ``mode`` as in :meth:`search`.

        ``like`` names an indexed document (its id, or its source as :meth:`document` takes it)
        whose text ``text`` is: its stored vector is the meaning's side, fused with the words of
        ``text`` as hybrid fuses a query's, so nothing is embedded and the model is not asked
        (a page of text would take ~0.5 s to embed; a hit found by meaning alone takes as its
        snippet the sentence sharing most characters with ``text``). Where that document has no
        vector, the ranking is by words alone. The document itself (its copies and its clauses)
        is left out of the hits. An unknown document raises :class:`UnknownDocument`.

        A ``text`` already indexed (its words and numbers those of an indexed document, whatever
        the format: corpus.sameness) is left out of its own precedents, with its copies, and named
        in the results' ``already_indexed``.
        With ``citable``, only texts that can be cited as a basis: policies and laws, never a
        reply (corpus.kinds.REPLY_TYPES) — a reply's numbered points are not clauses to invoke.
        """
        _check_limit(limit, 0)
        if like is None:
            require_words(text)
        unit = self.records.unit(like) if like is not None else None
        return self.similar_texts.similar(text, clauses=clauses, limit=limit, breadth=breadth, snippets=snippets,
                                          as_of=_day(None), mode=mode, like=unit, citable=citable)

    def similar_to(self, doc: str, *, clauses: bool = False, limit: int = 10, breadth: float = 1.0,
                   snippets: bool = True, mode: str | None = None) -> SearchResults:
        """The indexed texts most like an indexed document (its id, or its source as
        :meth:`document` takes it), itself left out: the precedents of a reply already in the
        index. Its title and first SIMILAR_SOURCE_CHARS characters are the words, its stored
        vector the meaning (:meth:`similar` with ``like``): nothing is embedded. An unknown
        document raises :class:`UnknownDocument`."""
        _check_limit(limit, 0)
        unit = self.records.unit(doc)
        title, body = self.records.title_and_body(unit)
        return self.similar_texts.similar(f"{title}\n{body[:SIMILAR_SOURCE_CHARS]}", clauses=clauses, limit=limit,
                                          breadth=breadth, snippets=snippets, as_of=_day(None), mode=mode, like=unit)

    def already_indexed(self, text: str) -> tuple[list[dict[str, str]], set[str]]:
        """The indexed documents holding ``text`` as it stands (``[{"id", "title", "source",
        "relative_source"}]``, none when it is new), and the ids of all their files."""
        return self.similar_texts.already_indexed(text)

    def has_vectors(self, clauses: bool | None = None) -> bool:
        """Whether the index's units have vectors this program can search by meaning; with
        ``clauses`` given, whether its units of that kind (clauses, or documents) have any."""
        vectors = self.meaning.vectors()
        if vectors is None:
            return False
        return clauses is None or vectors.kinds["clause" if clauses else "doc"]

    def distinctive_terms(self, text: str, clauses: bool = False,
                          keep: int = SIMILAR_TERMS) -> tuple[list[str], dict[str, float]]:
        """The ``keep`` terms of ``text`` with the highest tf × idf, and their query boosts."""
        return self.similar_texts.distinctive_terms(text, clauses, keep)

    def distinctive_bigrams(self, text: str, clauses: bool = False,
                            keep: int = SIMILAR_BIGRAMS) -> tuple[list[str], dict[str, float]]:
        """The ``keep`` CJK bigrams of ``text`` with the highest tf × idf, and their boosts."""
        return self.similar_texts.distinctive_bigrams(text, clauses, keep)

    def doc_frequency(self, field_name: str, term: str) -> int:
        """How many units hold ``term`` in ``field_name``, cached (each lookup visits every segment)."""
        return self.state.doc_frequency(field_name, term)

    # -- documents ---------------------------------------------------------------------------------
    def document(self, doc_id: str, *, as_of: str | None = None) -> dict[str, Any]:
        """A document's full record (as `parse --json`) with its body, status and versions, its
        citations resolved to indexed documents and clauses, and what cites it. By id or source."""
        record = self.records.document(doc_id, _day(as_of))
        cited = [] if record.get("doc_number") else self.cited_numbers.of_document(record["id"])
        if cited:  # a 文号 known from the texts citing it (search.cited_numbers)
            record["doc_number_cited"] = cited[0]
        return record

    def field_values(self, field_name: str) -> list[str]:
        """Every distinct value of an indexed field (for filters and facets), cached."""
        return self.state.field_values(field_name)


def _day(as_of: str | None) -> str:
    """The ISO day statuses are computed on: ``as_of`` if given (any written form), else today."""
    return day_or_today(as_of, "as_of")


def search_request(query: str | ParsedQuery, limit: int, offset: int, sort: str,
                   as_of: str | None) -> tuple[ParsedQuery, str, str]:
    """A search's arguments checked and read, as every backend reads them: the parsed query, the
    day statuses are computed on and the text asked by meaning."""
    _check_limit(limit, offset)
    if sort not in SORTS:
        raise UsageError(f"{{param}} must be one of {', '.join(SORTS)}, got `{sort}`", param="sort")
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
    return parsed, _day(as_of), meaning_text(parsed)


def _check_limit(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"{{param}} must be between 1 and {MAX_LIMIT}, got {limit}", param="limit")
    if offset < 0:
        raise UsageError(f"offset must not be negative, got {offset}")


def search(index_dir: Path | str, query: str, **kwargs: Any) -> SearchResults:
    """Open the index at ``index_dir``, run one query, close it."""
    with PolicyIndex(index_dir) as index:
        return index.search(query, **kwargs)


__all__ = ["Hit", "PolicyIndex", "SearchResults", "UnknownDocument", "search"]
