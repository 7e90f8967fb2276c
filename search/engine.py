"""Searching an index: ranked document or clause hits with snippets, precedents, documents.

:class:`PolicyIndex` opens an index once and answers many queries (a batch, the web page);
the module functions open, answer one and close.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh.fields import NUMERIC

from corpus.citations import PART, family_key, main_title, title_key
from corpus.dates import day_or_today
from corpus.validity import IN_FORCE
from errors import PolicySearchError, UsageError
from indexer.bigrams import cjk_bigrams
from indexer.schema import BIGRAM_FIELDS, CLAUSE_FIELDS, DOC_FIELDS, OPEN_END, TEXT_FIELD, schema_analyzer
from indexer.store import open_index
from search.compile import STOP_WORDS, compile_query, fields_for, ranked_query, with_context
from search.evaluate import Evaluator, Scored, UnitSet, top
from search.facets import FACETS
from search.filters import FilterContext, status_query
from search.highlight import Snippet, make_snippet
from search.postings import PostingArrays
from search.named import STATE, TitleNames, is_national
from search.query import ParsedQuery, parse_query
from search.ranking import SIMILAR_BIGRAMS, bigram_field, bigram_query, weigh_terms, with_bigrams
from search.repeals import Repeal, repeal
from search.scoring import UnitBM25, kind_count, rsj_idf
from search.semantic import DEPTH as FUSION_DEPTH
from search.semantic import Fused, UnitVectors, check_mode, fuse, lexical_weight, open_vectors
from search.versions import Version, collapse, preference, status_of

MAX_LIMIT = 1000
SORTS = ("relevance", "date")
# A query of several words whose terms could match more units than this requires all its words
# (see compile_query). It was set when Whoosh took seconds to score so many units; the array
# evaluator does not need it, but dropping it changes totals and rankings: to be decided on
# measurements, not as a side effect.
BROAD_QUERY = 20_000
FILTER_CACHE = 512
FREQUENCY_CACHE = 500_000
STORED_CACHE = 4_096  # units whose stored fields are kept decoded (hits of popular queries recur)
# warm(): the postings of terms in at least this many units are read ahead, up to this many
PRELOAD_MIN_UNITS = 2_000
PRELOAD_POSTINGS = 8_000_000
PRELOAD_SAMPLE, PRELOAD_SAMPLE_CHARS = 500, 2_000  # units sampled to find the common terms
CITED_BY_LIMIT = 50
SIMILAR_TERMS = 40
RERANK_DEPTH = 100
VERSION_MARGIN = 10
COORD_FLOOR = 0.5
NAMED_BOOST = 2.0  # units of a text whose title or place the query names (search.named)
# A query naming no title or place: units of the whole country's texts (search.named.is_national)
# score this many times higher than a province's or city's restating the same rule.
NATIONAL_BOOST = 1.2
NO_SNIPPET = Snippet("", ())


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
    status: str = IN_FORCE
    versions: list[Version] = field(default_factory=list)
    matched: list[str] = field(default_factory=lambda: ["words"])  # what found it: words, meaning

    def to_json(self) -> dict[str, Any]:
        """The object of `search --json` (spec/record.md), plus status, other versions and what found it."""
        return {
            "rank": self.rank, "id": self.id, "source": self.source, "title": self.title,
            "doc_type": self.doc_type, "issuing_body": self.issuing_body, "date": self.date,
            "clause": self.clause, "score": round(self.score, 4), "snippet": self.snippet,
            "status": self.status, "versions": [v.to_json() for v in self.versions], "matched": self.matched,
        }


@dataclass
class SearchResults:
    """The hits of one query, best first, and how many matched in all."""

    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] | None = None
    mode: str = "lexical"  # how it was ranked: lexical, hybrid or semantic


class PolicyIndex:
    """An open index, ready for many searches. Use as a context manager, or call ``close``."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._ix: Any = open_index(index_dir)
        self.tokenizer = schema_analyzer(self._ix.schema)
        self.tokenizer.engine  # load the segmenter now, and check its dictionaries
        # Any: whoosh3's annotations miss the methods Searcher delegates to its reader
        weighting = UnitBM25()
        self._searcher: Any = self._ix.searcher(weighting=weighting)
        self._reader = self._searcher.reader()
        self._evaluator = Evaluator(self._searcher, PostingArrays(self._reader), weighting)
        self._filters: dict[str, set[int]] = {}
        self._masks: dict[str, np.ndarray] = {}
        self._frequencies: dict[tuple[str, str], int] = {}
        weighting.doc_frequency = self.doc_frequency  # BM25's idf shares the frequencies weighed for `similar`
        self._stored_fields: dict[int, dict[str, Any]] = {}
        self._values: dict[str, list[str]] = {}
        self._shared_families: set[str] | None = None
        self._names: TitleNames | None = None  # the titles a query may name, made on first use
        self._national: np.ndarray | None = None  # which units are of national texts, found on first use
        self._repeal_list: list[Repeal] | None = None  # repeals between indexed texts, found on first use
        self._reach: tuple[np.ndarray, dict[int, list[Repeal]]] | None = None  # see _repeal_reach
        self._pairs: tuple[list[tuple[str, str]], np.ndarray] | None = None  # see _titles_and_issuers
        self._part_families: dict[str, list[str]] | None = None
        self._repealed_on: dict[str, Q.Query | None] = {}  # by day: few days are asked about
        self._unit_vectors: UnitVectors | None | bool = False  # opened on first use; None: no vectors

    def __enter__(self) -> PolicyIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._searcher.close()

    def warm(self) -> None:
        """Load now what searches read on first use (columns, field lengths, the value lists of
        filters and facets, the postings of the most common words), so that the first queries
        of a server or a batch do not pay for it (on the laws index: ~8 s, ~150 MB)."""
        for name in ("doc_id", "date", "family", "clause_path", "valid_from", "valid_until"):
            self._column(name)
        ranked = (*DOC_FIELDS, *CLAUSE_FIELDS, *BIGRAM_FIELDS.values())
        for name in ranked:
            self._evaluator.arrays.lengths(name)
        self._evaluator.arrays.preload(self._common_terms(), PRELOAD_POSTINGS)
        self._evaluator.arrays.number_codes("year")
        for facet in FACETS:
            if facet.field and facet.field != "year":
                self._evaluator.arrays.codes(facet.field)
        self._title_names()
        self._national_units()
        self._repealed_from()
        self.search("", facets=True)
        self.search("", clauses=True, facets=True)
        vectors = self._vectors()  # loads the model where the index has vectors: one copy per process
        if vectors is not None:
            vectors.query_vector("预热")

    def _common_terms(self) -> list[tuple[int, str, str]]:
        """(units, field, term) of the words and bigrams found in at least PRELOAD_MIN_UNITS units,
        as far as a sample of the index's texts shows (reading the whole lexicon would take
        minutes on a large index)."""
        kinds = {"clause": ("text", ("text", "context"), "text_bigrams"), "doc": ("body", ("body",), "body_bigrams")}
        found: list[tuple[int, str, str]] = []
        for kind, (stored, word_fields, bigram_field_name) in kinds.items():
            if kind_count(self._searcher, kind) < PRELOAD_MIN_UNITS:
                continue
            units = self._evaluator.ids(Q.Term("kind", kind))
            sample = units[:: max(1, len(units) // PRELOAD_SAMPLE)].tolist()
            words: Counter[str] = Counter()
            grams: Counter[str] = Counter()
            for docnum in sample:
                text = (self._searcher.stored_fields(docnum).get(stored) or "")[:PRELOAD_SAMPLE_CHARS]
                words.update({w for w, _s, _e in self.tokenizer.fine_words(text)})
                grams.update({g for g, _s, _e in cjk_bigrams(text)})
            least = len(sample) * PRELOAD_MIN_UNITS / len(units)
            for counts, field_names in ((words, word_fields), (grams, (bigram_field_name,))):
                for term, seen in counts.items():
                    if seen >= least:
                        for name in field_names:
                            if (units_with := self.doc_frequency(name, term)) >= PRELOAD_MIN_UNITS:
                                found.append((units_with, name, term))
        return found

    # -- searching ---------------------------------------------------------------------------------
    def search(self, query: str, *, clauses: bool = False, limit: int = 10, offset: int = 0,
               sort: str = "relevance", as_of: str | None = None, facets: bool = False,
               versions: bool = True, mode: str | None = None) -> SearchResults:
        """Hits for a query in the query language (see :mod:`search.query`).

        ``sort`` is ``relevance`` or ``date`` (newest first); ``as_of`` is the day statuses
        are computed on (default today); ``facets`` adds counts per issuer, type, year and
        status over all hits; ``versions`` shows a family of versions once. ``mode`` is
        ``hybrid`` (words and meaning fused: the default when the index has vectors),
        ``lexical`` or ``semantic`` (meaning alone); filters apply in every mode.
        """
        _check_limit(limit, offset)
        if sort not in SORTS:
            raise UsageError(f"--sort must be one of {', '.join(SORTS)}, got `{sort}`")
        day = _day(as_of)
        parsed = parse_query(query)
        meaning = _meaning_text(parsed)
        parsed, named = self._without_titles(parsed)
        context = FilterContext(query, day, self.field_values, self._repealed(day))
        compiled = compile_query(parsed, self.tokenizer, clauses, context)
        run = partial(self._run, query, limit=limit, offset=offset, as_of=day, sort=sort, facets=facets,
                      versions=versions, prefer=named, national_first=not named,
                      mode=self._mode(mode, meaning, sort, clauses), meaning=meaning)
        if len(compiled.groups) > 1 and self._matches_at_most(compiled.terms, clauses) > BROAD_QUERY:
            # common words: units holding every word are enough, and far cheaper to rank; unless
            # too few hold them all (a long text's words: a draft's query of 20 words found none)
            narrow = compile_query(parsed, self.tokenizer, clauses, context, require_all_words=True)
            scored = self._evaluator.scores(narrow.query)
            if np.count_nonzero(self._within(scored, narrow.filter)) >= offset + limit:
                return run(narrow.query, narrow.filter, narrow.terms, groups=narrow.groups, scored=scored)
        return run(compiled.query, compiled.filter, compiled.terms, groups=compiled.groups)

    def similar(self, text: str, *, clauses: bool = False, limit: int = 10,
                breadth: float = 1.0, snippets: bool = True, mode: str | None = None) -> SearchResults:
        """Indexed texts most like ``text`` (a new proposal or message), best first.

        Rather than sending the whole text as a query, its terms are weighed against the
        index's own statistics (tf × idf) and the most distinctive ones are kept. ``breadth``
        scales how many: 0.5 keeps half, for a quick list beside a document (the query's cost
        grows with its terms: 290 → 110 ms for a law on the laws index). Without ``snippets``,
        hits come without one (a list of titles costs ~10 % less). ``mode`` as in :meth:`search`.
        """
        _check_limit(limit, 0)
        mode = self._mode(mode, text, "relevance", clauses)
        terms, boosts = self.distinctive_terms(text, clauses, keep=max(1, round(SIMILAR_TERMS * breadth)))
        grams, gram_boosts = self.distinctive_bigrams(text, clauses, keep=max(1, round(SIMILAR_BIGRAMS * breadth)))
        fields = fields_for(clauses)
        query = with_context(with_bigrams(ranked_query(terms, fields, boosts) if terms else None,
                                          bigram_query(grams, clauses, gram_boosts)), terms, fields, boosts)
        kind = "clause" if clauses else "doc"
        if query is None:
            if mode == "lexical":
                return SearchResults(text, [], 0)
            query = Q.NullQuery
        return self._run(text, query, Q.Term("kind", kind), terms, limit=limit, offset=0, as_of=_day(None),
                         snippets=snippets, mode=mode, meaning=text)

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
        return weigh_terms(counts, lambda t: self.doc_frequency(field_name, t), n, keep)

    def doc_frequency(self, field_name: str, term: str) -> int:
        """How many units hold ``term`` in ``field_name``, cached (each lookup visits every segment)."""
        return _cached(self._frequencies, (field_name, term), FREQUENCY_CACHE,
                       lambda: self._evaluator.arrays.doc_frequency(field_name, term))

    def _run(self, text: str, query: Q.Query, filter_query: Q.Query | None, terms: list[str], *,
             limit: int, offset: int, as_of: str, groups: list[frozenset[str]] | None = None,
             sort: str = "relevance", facets: bool = False, versions: bool = True,
             snippets: bool = True, prefer: list[str] | None = None, national_first: bool = False,
             scored: Scored | None = None, mode: str = "lexical", meaning: str = "") -> SearchResults:
        """Hits of ``query`` within ``filter_query`` (``scored``: its evaluation, if made already);
        units of the families in ``prefer`` (whose titles or places a query names) score NAMED_BOOST
        times higher; with ``national_first``, units of national texts score NATIONAL_BOOST times higher."""
        if scored is None:
            scored = self._evaluator.scores(query)
        matched = self._within(scored, filter_query)
        candidates = np.flatnonzero(matched)
        scores = scored.score
        preferred, boost = None, 1.0
        if prefer:
            preferred, boost = self._in_families(prefer), NAMED_BOOST
        elif national_first:
            preferred, boost = self._national_units(), NATIONAL_BOOST
        if preferred is not None:  # only the candidates' scores change: cheaper than a whole new array
            scores = scores.copy()
            raised = candidates[preferred[candidates]]
            scores[raised] *= boost
        coordinate = sort == "relevance" and groups is not None and len(groups) > 1
        # coordination re-ranks the top RERANK_DEPTH; versions fold duplicates, so fetch a margin
        depth = offset + limit
        if coordinate:
            depth = max(depth, RERANK_DEPTH)
        elif versions:
            depth = 2 * depth + VERSION_MARGIN
        query_vector = self._query_vector(meaning) if mode != "lexical" else None
        if query_vector is None:
            mode = "lexical"
        if mode == "semantic":
            candidates = candidates[:0]  # the words find nothing: the meaning finds all
        elif mode == "hybrid":
            depth = max(depth, FUSION_DEPTH)
        if sort == "date":
            # newest first, units without a date ("", the lowest rank) last, ties by number
            _values, rank = np.unique(self._column("date")[candidates], return_inverse=True)
            best = candidates[np.lexsort((candidates, -rank))][:depth]
        else:
            best = top(scores, candidates, depth)
        ranked = [(float(scores[d]), int(d)) for d in best]
        if coordinate:
            found = self._evaluator.matched_terms(query, best)
            factor = [_coordination(f, groups or []) for f in found]
            ranked = sorted(((score * k, d) for (score, d), k in zip(ranked, factor)), key=lambda pair: -pair[0])
        fused: Fused | None = None
        if query_vector is not None and mode != "lexical" and sort == "relevance":
            fused = self._fuse(ranked, query_vector, filter_query, mode, meaning)
            ranked = list(zip(fused.scores.tolist(), fused.docnums.tolist()))
            matched = matched.copy() if mode == "hybrid" else np.zeros_like(matched)
            matched[fused.docnums] = True
        if versions:
            ranked = self._collapse_versions(ranked, as_of)
        weights = {t: self._term_weight(t) for t in terms} if snippets else {}
        hits = [
            self._hit(rank, docnum, score, terms, weights, as_of, versions, snippets)
            for rank, (score, docnum) in enumerate(ranked[offset:offset + limit], start=offset + 1)
        ]
        if fused is not None and query_vector is not None:
            self._say_what_found(hits, ranked[offset:offset + limit], fused, query_vector, snippets)
        counts = self._facet_counts(matched, as_of) if facets else None
        total = int(np.count_nonzero(matched)) if fused is not None else len(candidates)
        return SearchResults(text, hits, total, counts, mode=mode)

    # -- meaning -----------------------------------------------------------------------------------
    def has_vectors(self) -> bool:
        """Whether the index's units have vectors this program can search by meaning."""
        return self._vectors() is not None

    def _vectors(self) -> UnitVectors | None:
        if self._unit_vectors is False:
            ids = self._column("doc_id")
            paths = self._column("clause_path")
            keys = [f"{d}#{p}" if p else str(d) for d, p in zip(ids.tolist(), paths.tolist())]
            self._unit_vectors = open_vectors(self.index_dir, keys)
        return self._unit_vectors if isinstance(self._unit_vectors, UnitVectors) else None

    def _mode(self, mode: str | None, meaning: str, sort: str, clauses: bool) -> str:
        """The mode a query runs in: the one asked for, else hybrid where the units of the kind
        asked for (documents, clauses) have vectors; lexical where they have none."""
        if mode is not None:
            check_mode(mode)
        vectors = self._vectors()
        if mode == "lexical" or not meaning.strip() or sort != "relevance" or vectors is None:
            return "lexical"
        if not vectors.kinds["clause" if clauses else "doc"]:
            return "lexical"
        return mode or "hybrid"

    def _query_vector(self, meaning: str) -> np.ndarray | None:
        vectors = self._vectors()
        return vectors.query_vector(meaning) if vectors is not None and meaning.strip() else None

    def _fuse(self, ranked: list[tuple[float, int]], query_vector: np.ndarray, filter_query: Q.Query | None,
              mode: str, meaning: str) -> Fused:
        vectors = self._vectors()
        assert vectors is not None
        allowed = self._mask(filter_query) if filter_query is not None else None
        weight = 0.0 if mode == "semantic" else lexical_weight(meaning)
        return fuse(ranked, vectors.similarities(query_vector), allowed, weight)

    def _say_what_found(self, hits: list[Hit], ranked: list[tuple[float, int]], fused: Fused,
                        query_vector: np.ndarray, snippets: bool) -> None:
        """Each hit says what found it; one found by meaning alone shows its closest sentence."""
        vectors = self._vectors()
        for hit, (_score, docnum) in zip(hits, ranked):
            hit.matched = [name for name, found in (("words", docnum in fused.by_words),
                                                     ("meaning", docnum in fused.by_meaning)) if found]
            if hit.matched == ["meaning"] and snippets and vectors is not None:
                stored = self._stored(docnum)
                text = stored.get("text" if stored.get("kind") == "clause" else "body") or ""
                sentence = vectors.closest_sentence(text, query_vector)
                if sentence:
                    snippet = Snippet(sentence, ())
                    hit.snippet, hit.snippet_segments = snippet.marked(), snippet.segments()

    def _within(self, scored: Scored, filter_query: Q.Query | None) -> np.ndarray:
        """The units an evaluated query matches that pass the filter."""
        return scored.hit if filter_query is None else scored.hit & self._mask(filter_query)

    def _without_titles(self, parsed: ParsedQuery) -> tuple[ParsedQuery, list[str]]:
        """The query without the titles and places its words name, and the families they name.

        A named title or place says whose clauses come first (``_run``'s ``prefer``); left among
        the words, its own words (道路, 交通, 安全; 北京) would rank that law's (that place's) every
        clause above the one about the matter asked. A query of a name alone keeps it as its words.
        """
        names = self._title_names()
        named: dict[str, None] = {}
        words = []
        for word in parsed.words:
            families, rest = names.split(word.text)
            named.update(dict.fromkeys(families))
            if rest:
                words.append(replace(word, text=rest) if families else word)
        for group in parsed.required_any:
            for clause in group:
                named.update(dict.fromkeys(names.find(clause.text)))
        if not named or not (words or parsed.required_any):
            return parsed, list(named)
        return replace(parsed, words=words), list(named)

    def _title_names(self) -> TitleNames:
        if self._names is None:
            coded = self._evaluator.arrays.codes("family")
            self._names = TitleNames(coded[0] if coded is not None else self.field_values("family"), self._issuers())
        return self._names

    def _national_units(self) -> np.ndarray | None:
        """Whether each unit belongs to a text of the whole country (search.named.is_national, by
        its title and issuer), found once; None for an index whose units may hold several titles
        or issuers."""
        if self._national is None:
            pairs = self._titles_and_issuers()
            if pairs is None:
                return None
            found, unit_pair = pairs
            self._national = np.array([is_national(title, issuer) for title, issuer in found])[unit_pair]
        return self._national

    def _issuers(self) -> dict[str, str]:
        """A family's issuing body (the first one found), by family."""
        pairs = self._titles_and_issuers()
        found: dict[str, str] = {}
        for title, issuer in pairs[0] if pairs is not None else []:
            if title and issuer:
                found.setdefault(title, issuer)
        return found

    def _titles_and_issuers(self) -> tuple[list[tuple[str, str]], np.ndarray] | None:
        """The distinct (family, issuing body) pairs of the units ("" where a unit has none), and
        each unit's index into them, found once; None when a unit may hold several of either."""
        if self._pairs is None:
            arrays = self._evaluator.arrays
            titles, issuers = arrays.codes("family"), arrays.codes("issuing_body")
            if titles is None or issuers is None:
                return None
            codes, unit_pair = np.unique(np.stack([titles[1], issuers[1]]), axis=1, return_inverse=True)
            title_of, issuer_of = [*titles[0], ""], [*issuers[0], ""]  # [-1]: none
            self._pairs = ([(title_of[t], issuer_of[i]) for t, i in codes.T.tolist()], unit_pair.reshape(-1))
        return self._pairs

    def _in_families(self, families: list[str]) -> np.ndarray:
        """Whether each unit belongs to one of ``families``."""
        coded = self._evaluator.arrays.codes("family")
        if coded is None:  # a unit in several families: not written by this package
            return np.isin(self._column("family"), families)
        labels, codes = coded
        named = set(families)
        return np.isin(codes, [i for i, label in enumerate(labels) if label in named])

    def _matches_at_most(self, terms: list[str], clauses: bool) -> int:
        """An upper bound of the units a ranked query's words match (the sum of their frequencies)."""
        field_name = TEXT_FIELD["clause" if clauses else "doc"]
        return sum(self.doc_frequency(field_name, t) for t in terms)

    def _facet_counts(self, matched: np.ndarray, as_of: str) -> dict[str, list[tuple[str, int]]]:
        hits = np.flatnonzero(matched)  # once for every facet: indexing by numbers beats a mask
        repealed = self._repealed(as_of)
        return {f.name: f.counts(matched, self._mask, self.field_values,
                                 lambda status: status_query(status, as_of, repealed), lambda name: self._tally(name, hits))
                for f in FACETS}

    def _tally(self, field_name: str, hits: np.ndarray) -> dict[str, int] | None:
        """Count per value of a single-valued field among the units ``hits`` (document numbers),
        or None when the field can hold several values (then they are counted one by one)."""
        arrays = self._evaluator.arrays
        if isinstance(self._searcher.schema[field_name], NUMERIC):
            coded = arrays.number_codes(field_name)
        else:
            coded = arrays.codes(field_name)
        if coded is None:
            return None
        labels, codes = coded
        present = codes[hits]
        counts = np.bincount(present[present >= 0], minlength=len(labels))
        return {labels[i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def _collapse_versions(self, scored: list[tuple[float, int]], as_of: str) -> list[tuple[float, int]]:
        family, path = self._column("family"), self._column("clause_path")
        keys = {d: f"{family[d]}#{path[d]}" for _, d in scored}
        return collapse(scored, keys, lambda d: self._version(d, as_of))

    def _version(self, docnum: int, as_of: str) -> Version:
        until = min(self._column("valid_until")[docnum], self._repealed_from()[docnum])
        return Version(docnum, self._column("doc_id")[docnum], self._column("date")[docnum],
                       status_of(self._column("valid_from")[docnum], until, as_of))

    def _repeals(self) -> list[Repeal]:
        """Every repeal of an indexed family by an indexed document (search.repeals), found once."""
        if self._repeal_list is None:
            found = []
            families = set(self.field_values("family"))
            for term in self.field_values("repeals"):
                targets = [f for f in (term, STATE + term) if f in families]
                for docnum in sorted(self._docs(Q.And([Q.Term("repeals", term), Q.Term("kind", "doc")]))) if targets else []:
                    stored = self._stored(docnum)
                    for family in targets:
                        found.append(repeal(family, stored["doc_id"], stored["display"]["title"],
                                            self._column("date")[docnum], self._column("valid_from")[docnum]))
            self._repeal_list = [r for r in found if r is not None]
        return self._repeal_list

    def _repealed_from(self) -> np.ndarray:
        """The day each unit's text is repealed by another (OPEN_END: never)."""
        return self._repeal_reach()[0]

    def _repeal_reach(self) -> tuple[np.ndarray, dict[int, list[Repeal]]]:
        """The day each unit's text is repealed, and the repeals reaching each document unit,
        found once."""
        if self._reach is None:
            days = np.full(self._evaluator.arrays.doc_count, OPEN_END, dtype=object)
            by_doc: dict[int, list[Repeal]] = {}
            dated = self._column("date")
            docs = self._mask(Q.Term("kind", "doc"))
            for r in self._repeals():
                reached = self._evaluator.docs(r.units())
                # never before the repealed text's own date (a repealing text's first effective date
                # may be older than a revision of what it repealed)
                days[reached] = np.minimum(days[reached], np.maximum(dated[reached].astype(object), r.effective))
                for docnum in np.flatnonzero(reached & docs).tolist():
                    by_doc.setdefault(docnum, []).append(r)
            self._reach = days, by_doc
        return self._reach

    def _repealed(self, as_of: str) -> Q.Query | None:
        """The units repealed on or before ``as_of``, for status filters and facets, cached by day;
        None when no indexed text repeals another."""
        if not self._repeals():
            return None
        return _cached(self._repealed_on, as_of, FILTER_CACHE,
                       lambda: UnitSet(f"repealed by {as_of}", (self._repealed_from() <= as_of).astype(bool)))

    def _repealed_by(self, docnum: int) -> list[dict[str, str]]:
        """The texts that repeal the document of ``docnum`` (its document unit)."""
        return [r.to_json() for r in self._repeal_reach()[1].get(docnum, [])]

    def _family_versions(self, docnum: int, as_of: str) -> list[Version]:
        """Every version of the document of ``docnum`` (documents only), preferred first; one per
        date: copies of one version in two files are one version (that of ``docnum`` itself)."""
        family = self._column("family")[docnum]
        if family not in self._families_with_versions():
            return []
        own = self._column("doc_id")[docnum]
        members = self._docs(Q.And([Q.Term("family", family), Q.Term("kind", "doc")]))
        by_date: dict[str, Version] = {}
        for version in sorted((self._version(d, as_of) for d in sorted(members)), key=lambda v: v.doc_id != own):
            by_date.setdefault(version.date, version)
        return sorted(by_date.values(), key=preference, reverse=True)

    def _families_with_versions(self) -> set[str]:
        """The families of live documents of two or more dates, found once: most documents stand
        alone, and a hit of theirs then needs no lookup of its versions."""
        if self._shared_families is None:
            docs = self._mask(Q.Term("kind", "doc"))
            pairs = {(str(f), str(d)) for f, d in zip(self._column("family")[docs], self._column("date")[docs])}
            names, counts = np.unique([f for f, _d in pairs], return_counts=True)
            self._shared_families = {str(name) for name in names[counts > 1]}
        return self._shared_families

    def _column(self, name: str) -> Any:
        """A sortable field's value for every unit, indexable by document number."""
        return self._evaluator.arrays.column(name)

    def _docs(self, query: Q.Query) -> set[int]:
        """The document numbers matching ``query``, cached: lookups of versions and citations repeat."""
        return _cached(self._filters, repr(query), FILTER_CACHE, lambda: set(self._evaluator.ids(query).tolist()))

    def _mask(self, query: Q.Query) -> np.ndarray:
        """The units matching a filter query as a boolean mask, cached: filters and facets repeat."""
        return _cached(self._masks, repr(query), FILTER_CACHE, lambda: self._evaluator.docs(query))

    def _term_weight(self, term: str) -> float:
        df = self.doc_frequency("body", term) + self.doc_frequency("text", term)
        return rsj_idf(kind_count(self._searcher, "doc") + kind_count(self._searcher, "clause"), df) * len(term)

    def _stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a unit, cached: decoding a law's stored body costs ~0.2 ms a hit.
        Read only: the dict is shared by every caller."""
        return _cached(self._stored_fields, docnum, STORED_CACHE, lambda: self._searcher.stored_fields(docnum))

    def _hit(self, rank: int, docnum: int, score: float, terms: list[str], weights: dict[str, float],
             as_of: str, versions: bool, snippets: bool = True) -> Hit:
        stored = self._stored(docnum)
        is_clause = stored.get("kind") == "clause"
        snippet = NO_SNIPPET
        if snippets:
            text = stored.get("text" if is_clause else "body") or ""
            highlight = [t for t in terms if len(t) > 1 or not ("\u4e00" <= t <= "\u9fff")] or terms
            snippet = make_snippet(text, highlight, weights)
        version = self._version(docnum, as_of)
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
            versions=self._family_versions(docnum, as_of) if versions else [],
        )

    # -- documents ---------------------------------------------------------------------------------
    def document(self, doc_id: str, *, as_of: str | None = None) -> dict[str, Any]:
        """A document's full record (as `parse --json`) with its body, status and versions, its
        citations resolved to indexed documents and clauses, and what cites it. By id or source."""
        day = _day(as_of)
        docnum = self._doc_unit(doc_id)
        stored = self._searcher.stored_fields(docnum)
        record = json.loads(stored["record"])
        texts = {}
        if record.get("clauses"):
            for d in self._docs(Q.And([Q.Term("doc_id", stored["doc_id"]), Q.Term("kind", "clause")])):
                clause = self._searcher.stored_fields(d)
                if clause["file"] == stored["file"]:  # the same text may sit in two files
                    texts[clause["clause_path"]] = clause.get("text", "")
        for clause in record.get("clauses", []):
            if "text" not in clause:  # kept by its clause unit (indexer.units.clause_units)
                clause["text"] = texts.get(clause["path"], "")
        for citation in record.get("citations", []):
            citation.update(self._resolve(citation, day, record["id"]))
        record["body"] = stored.get("body", "")
        record["status"] = self._version(docnum, day).status
        record["versions"] = [v.to_json() for v in self._family_versions(docnum, day)]
        record["repealed_by"] = self._repealed_by(docnum)
        record["cited_by"] = self._cited_by(record)
        return record

    def _doc_unit(self, doc_id: str) -> int:
        """The document unit for an id, a source as indexed, or the end of one (a file name)."""
        for field_name in ("doc_id", "source"):
            found = self._docs(Q.And([Q.Term(field_name, doc_id), Q.Term("kind", "doc")]))
            if found:
                return min(found)
        ends = [s for s in self.field_values("source") if s.endswith("/" + doc_id) or s.endswith("#" + doc_id)]
        if len(ends) == 1:
            return min(self._docs(Q.And([Q.Term("source", ends[0]), Q.Term("kind", "doc")])))
        if len(ends) > 1:
            raise UnknownDocument(doc_id, f"`{doc_id}` names {len(ends)} documents — give its id or full source")
        raise UnknownDocument(doc_id)

    def _resolve(self, citation: dict[str, Any], as_of: str, citing: str = "") -> dict[str, Any]:
        """The indexed document (and clause) a citation names: by 文号, else by title variants
        (with or without 中华人民共和国; a text split in parts, 中华人民共和国民法典·继承编, by its
        main title). Of several documents, the one holding the cited clause, else the preferred;
        never the citing document itself (a new version repealing its title cites the older)."""
        candidates: set[int] = set()
        if citation.get("doc_number"):
            candidates = self._docs(Q.And([Q.Term("doc_number", citation["doc_number"]), Q.Term("kind", "doc")]))
        titles = [citation["title"]]
        if not citation["title"].startswith(STATE):
            titles.append(STATE + citation["title"])
        for title in titles:
            for field_name, key in (("title_key", title_key), ("family", family_key)):
                if not candidates:
                    candidates = self._docs(Q.And([Q.Term(field_name, key(title)), Q.Term("kind", "doc")]))
            parts = self._parts().get(family_key(title))
            if not candidates and parts:
                candidates = self._docs(Q.And([Q.Or([Q.Term("family", f) for f in parts]), Q.Term("kind", "doc")]))
        candidates = {d for d in candidates if self._column("doc_id")[d] != citing}
        if not candidates:
            return {"resolved_id": None, "resolved_clause": None}
        ranked = sorted(candidates, key=lambda d: preference(self._version(d, as_of)), reverse=True)
        label: str = citation.get("clause") or ""
        for docnum in ranked if label else []:
            doc_id = str(self._column("doc_id")[docnum])
            paths = sorted(self._column("clause_path")[d]
                           for d in self._docs(Q.And([Q.Term("doc_id", doc_id), Q.Term("kind", "clause")])))
            clause = next((p for p in paths if p == label or p.endswith("/" + label)), None)
            if clause:
                return {"resolved_id": doc_id, "resolved_clause": clause}
        return {"resolved_id": str(self._column("doc_id")[ranked[0]]), "resolved_clause": None}

    def _parts(self) -> dict[str, list[str]]:
        """The families of texts split in parts (中华人民共和国民法典·继承编), by the family of the
        whole text, found once."""
        if self._part_families is None:
            self._part_families = {}
            for family in self.field_values("family"):
                if PART in family:
                    self._part_families.setdefault(main_title(family), []).append(family)
        return self._part_families

    def _cited_by(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        # cited by its title or, for a part (中华人民共和国民法典·继承编), its text's; with or without 中华人民共和国
        titles = {title_key(record["title"]), title_key(main_title(record["title"]))}
        keys = [Q.Term("cites", key) for title in titles for key in {title, title.removeprefix(STATE)} if key]
        if record.get("doc_number"):
            keys.append(Q.Term("cites", record["doc_number"]))
        citing = self._docs(Q.And([Q.Or(keys), Q.Term("kind", "doc")]))
        out = []
        for d in sorted(citing, key=lambda d: self._column("date")[d], reverse=True)[:CITED_BY_LIMIT]:
            display = self._stored(d)["display"]
            out.append({"id": self._column("doc_id")[d], "title": display["title"], "source": display["source"],
                        "date": self._column("date")[d] or None})
        return [c for c in out if c["id"] != record["id"]]

    def field_values(self, field_name: str) -> list[str]:
        """Every distinct value of an indexed field (for filters and facets), cached."""
        values = self._values.get(field_name)
        if values is None:
            field_type = self._searcher.schema[field_name]
            if isinstance(field_type, NUMERIC):
                values = [str(field_type.from_bytes(t)) for t in field_type.sortable_terms(self._reader, field_name)]
            else:
                values = [t.decode("utf-8") if isinstance(t, bytes) else t for t in self._reader.lexicon(field_name)]
            self._values[field_name] = values
        return values


class UnknownDocument(PolicySearchError):
    """Raised when no indexed document has the given id or source."""

    http_status = 404

    def __init__(self, doc_id: str, message: str = "") -> None:
        super().__init__(message or f"no document with id or source `{doc_id}` in the index — "
                         "find ids with `policy-search search QUERY --json`")


def _coordination(matched: set[str], groups: list[frozenset[str]]) -> float:
    """Reward matching more of the query's words: a factor from COORD_FLOOR (none) to 1 (all)."""
    share = sum(1 for g in groups if g & matched) / len(groups)
    return COORD_FLOOR + (1 - COORD_FLOOR) * share


def _cached(cache: dict[Any, Any], key: Any, limit: int, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made now if missing; a cache grown to ``limit`` entries starts afresh."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= limit:
            cache.clear()
        found = cache[key] = make()
    return found


def _day(as_of: str | None) -> str:
    """The ISO day statuses are computed on: ``as_of`` if given (any written form), else today."""
    return day_or_today(as_of, "--as-of")


def _all_terms(tokenizer: Any, text: str) -> list[str]:
    """The finest words of ``text`` with repeats (term frequencies matter for tf × idf).

    Not the coarser words and sub-words index mode adds: they would count each long word
    of a message several times (人行天桥, 人行, 天桥), and the bigrams already match across
    segmentations.
    """
    return [w for w, _s, _e in tokenizer.fine_words(text)]


def _meaning_text(parsed: ParsedQuery) -> str:
    """What a query says, for its meaning: its words and phrases, without filters or exclusions."""
    parts = [c.text for c in parsed.words if not c.negated]
    parts += [c.text for group in parsed.required_any for c in group]
    return " ".join(parts)


def _check_limit(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if offset < 0:
        raise UsageError(f"offset must not be negative, got {offset}")


def search(index_dir: Path, query: str, **kwargs: Any) -> SearchResults:
    """Open the index at ``index_dir``, run one query, close it."""
    with PolicyIndex(index_dir) as index:
        return index.search(query, **kwargs)


__all__ = ["Hit", "PolicyIndex", "SearchResults", "UnknownDocument", "search"]
