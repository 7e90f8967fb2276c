"""What every part of an open index reads: the Whoosh reader, its arrays, and shared caches.

:class:`search.engine.PolicyIndex` opens one :class:`IndexState` and hands it to each of its
parts (ranking, hits, documents, citations, versions, places, facets), so that a part can be
made and tested over an index on its own, and the caches it fills serve all of them.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh.fields import NUMERIC

from indexer.schema import schema_analyzer
from indexer.store import open_index
from search.evaluate import Evaluator, Scored
from search.postings import PostingArrays
from search.scoring import UnitBM25, kind_count

FILTER_CACHE = 512
FREQUENCY_CACHE = 500_000
STORED_CACHE = 4_096  # units whose stored fields are kept decoded (hits of popular queries recur)


class IndexState:
    """An opened index: its reader and searcher (Whoosh's), the array evaluator over them, the
    segmenter of its schema, and caches of what queries look up again and again."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.ix: Any = open_index(index_dir)
        self.tokenizer = schema_analyzer(self.ix.schema)
        self.tokenizer.engine  # load the segmenter now, and check its dictionaries
        # Any: whoosh3's annotations miss the methods Searcher delegates to its reader
        weighting = UnitBM25()
        self.searcher: Any = self.ix.searcher(weighting=weighting)
        self.reader = self.searcher.reader()
        self.evaluator = Evaluator(self.searcher, PostingArrays(self.reader), weighting)
        self.arrays = self.evaluator.arrays
        self._filters: dict[str, set[int]] = {}
        self._masks: dict[str, np.ndarray] = {}
        self._frequencies: dict[tuple[str, str], int] = {}
        weighting.doc_frequency = self.doc_frequency  # BM25's idf shares the frequencies weighed for `similar`
        self._stored_fields: dict[int, dict[str, Any]] = {}
        self._values: dict[str, list[str]] = {}

    def close(self) -> None:
        self.searcher.close()

    def units(self, kind: str) -> int:
        """How many units of a kind (``doc`` or ``clause``) the index holds."""
        return kind_count(self.searcher, kind)

    def doc_frequency(self, field_name: str, term: str) -> int:
        """How many units hold ``term`` in ``field_name``, cached (each lookup visits every segment)."""
        return cached(self._frequencies, (field_name, term), FREQUENCY_CACHE,
                      lambda: self.arrays.doc_frequency(field_name, term))

    def field_values(self, field_name: str) -> list[str]:
        """Every distinct value of an indexed field (for filters and facets), cached."""
        values = self._values.get(field_name)
        if values is None:
            field_type = self.searcher.schema[field_name]
            if isinstance(field_type, NUMERIC):
                values = [str(field_type.from_bytes(t)) for t in field_type.sortable_terms(self.reader, field_name)]
            else:
                values = [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.lexicon(field_name)]
            self._values[field_name] = values
        return values

    def column(self, name: str) -> Any:
        """A sortable field's value for every unit, indexable by document number."""
        return self.arrays.column(name)

    def docs(self, query: Q.Query) -> set[int]:
        """The document numbers matching ``query``, cached: lookups of versions and citations repeat."""
        return cached(self._filters, repr(query), FILTER_CACHE, lambda: set(self.evaluator.ids(query).tolist()))

    def mask(self, query: Q.Query) -> np.ndarray:
        """The units matching a filter query as a boolean mask, cached: filters and facets repeat."""
        return cached(self._masks, repr(query), FILTER_CACHE, lambda: self.evaluator.docs(query))

    def within(self, scored: Scored, filter_query: Q.Query | None) -> np.ndarray:
        """The units an evaluated query matches that pass the filter."""
        return scored.hit if filter_query is None else scored.hit & self.mask(filter_query)

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a unit, cached: decoding a law's stored body costs ~0.2 ms a hit.
        Read only: the dict is shared by every caller."""
        return cached(self._stored_fields, docnum, STORED_CACHE, lambda: self.searcher.stored_fields(docnum))


def cached(cache: dict[Any, Any], key: Any, limit: int, make: Callable[[], Any]) -> Any:
    """``cache[key]``, made now if missing; a cache grown to ``limit`` entries starts afresh."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= limit:
            cache.clear()
        found = cache[key] = make()
    return found
