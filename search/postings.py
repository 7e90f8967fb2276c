"""Posting lists, field lengths and columns of an open index as numpy arrays.

Whoosh evaluates a query one posting at a time in Python: a few microseconds per posting to
step, score and collect, so a word found in 50,000 of a quarter million clauses costs
~100 ms before anything is shown. Here a term's postings are read once, a block at a time,
into two arrays (document numbers and term frequencies) kept in a bounded cache, and the
per-document field lengths into one array per field; scoring and set operations then run in
numpy (search/evaluate.py). Document numbers are the reader's global ones, deleted documents
left out.

The files are read by indexer/codec.py, which knows whoosh3's W3 layout (the pinned version):
a term's row is looked up in each segment's mapped term table and its blocks decoded straight
from the mapped postings file. Any other codec or storage falls back to Whoosh's own matchers,
which are slower but give the same arrays (tests/test_evaluate.py).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np
from whoosh.formats import Positions

from indexer.codec import (
    EMPTY,
    Postings,
    direct_doc_frequency,
    direct_positions,
    direct_postings,
    field_lengths,
    leaf_positions,
    leaf_postings,
    mapped_terms,
)

# How many postings the cache keeps (8 bytes each): the common words of a large index.
POSTING_BUDGET = 12_000_000
SHORT_TEXT = 16


class PostingArrays:
    """Read-only array views of one open Whoosh reader (cached; not thread-safe)."""

    def __init__(self, reader: Any, budget: int = POSTING_BUDGET) -> None:
        self._reader = reader
        self._leaves: list[tuple[Any, int]] = list(reader.leaf_readers())
        # each segment's term reader, when all can be read directly (see mapped_terms)
        mapped = [(mapped_terms(segment), offset) for segment, offset in self._leaves]
        self._mapped = mapped if all(terms is not None for terms, _ in mapped) else None
        self.doc_count = reader.doc_count_all()
        self.live = np.ones(self.doc_count, dtype=bool)
        for segment, offset in self._leaves:
            if segment.has_deletions():  # the set Whoosh's own matchers filter by
                self.live[np.fromiter(segment.deleted_docs_set, dtype=np.int64) + offset] = False
        self._budget = budget
        self._held = 0
        self._postings: OrderedDict[tuple[str, Any], Postings] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._numbers: dict[str, np.ndarray | None] = {}
        self._codes: dict[str, tuple[list[str], np.ndarray] | None] = {}
        self._number_codes: dict[str, tuple[list[str], np.ndarray] | None] = {}

    def postings(self, field_name: str, text: str | bytes) -> Postings:
        """The postings of a term over the whole index (empty when it is absent)."""
        key = (field_name, text)
        cached = self._postings.get(key)
        if cached is not None:
            self._postings.move_to_end(key)
            return cached
        direct = None
        if self._mapped is not None:
            direct = direct_postings(self._mapped, field_name, self._term_bytes(field_name, text))
        if direct is not None:
            parts = [direct] if len(direct) else []
        else:
            parts = [p for segment, offset in self._leaves
                     if (p := leaf_postings(segment, offset, field_name, text)) is not None]
        if not parts:
            found = EMPTY
        else:
            ids = np.concatenate([p.ids for p in parts]) if len(parts) > 1 else parts[0].ids
            weights = np.concatenate([p.weights for p in parts]) if len(parts) > 1 else parts[0].weights
            keep = self.live[ids]
            found = Postings(ids, weights) if keep.all() else Postings(ids[keep], weights[keep])
        self._remember(key, found)
        return found

    def doc_frequency(self, field_name: str, text: str | bytes) -> int:
        """How many units hold a term (as ``reader.doc_frequency``, read faster)."""
        if self._mapped is None:
            return int(self._reader.doc_frequency(field_name, text))
        return direct_doc_frequency(self._mapped, field_name, self._term_bytes(field_name, text))

    def _term_bytes(self, field_name: str, text: str | bytes) -> bytes:
        return text if isinstance(text, bytes) else self._reader.schema[field_name].to_bytes(text)

    def _remember(self, key: tuple[str, Any], found: Postings) -> None:
        self._postings[key] = found
        self._held += len(found)
        while self._held > self._budget and len(self._postings) > 1:
            _key, dropped = self._postings.popitem(last=False)
            self._held -= len(dropped)

    def preload(self, terms: list[tuple[int, str, str]], budget: int) -> int:
        """Read now the postings of ``terms`` ((units, field, text): most units first) up to
        ``budget`` postings, so that queries over common words find them decoded (a server's
        warm-up). Returns how many postings were read."""
        read = 0
        for units, field_name, text in sorted(terms, reverse=True):
            if read + units > min(budget, self._budget):
                break
            read += len(self.postings(field_name, text))
        return read

    def positions(self, field_name: str, text: str | bytes, docnums: np.ndarray) -> dict[int, list[int]]:
        """Where a term occurs in each of ``docnums`` (ascending, all holding the term): positions
        are decoded for those units only, blocks without any of them are skipped unread."""
        if self._mapped is not None and type(self._reader.schema[field_name].format) is Positions:
            direct = direct_positions(self._mapped, field_name, self._term_bytes(field_name, text), docnums)
            if direct is not None:
                return direct
        found: dict[int, list[int]] = {}
        for segment, offset in self._leaves:
            end = offset + segment.doc_count_all()
            local = docnums[(docnums >= offset) & (docnums < end)] - offset
            if not len(local):
                continue
            decode = self._reader.schema[field_name].format.decode_positions
            for docnum, vbytes in leaf_positions(segment, field_name, text, local):
                found[offset + docnum] = decode(vbytes)
        return found

    def numbers(self, field_name: str) -> np.ndarray | None:
        """Each unit's value of a NUMERIC field holding at most one per unit (NaN where none), or
        None when some unit holds several (amounts): a range is then a comparison, not a union
        of postings."""
        if field_name not in self._numbers:
            field_type = self._reader.schema[field_name]
            coded = self._single_valued(field_name, field_type.sortable_terms(self._reader, field_name))
            if coded is None:
                self._numbers[field_name] = None
            else:
                terms, codes = coded
                values = np.array([field_type.from_bytes(t) for t in terms] + [np.nan], dtype=np.float64)
                self._numbers[field_name] = values[codes]  # code -1: the NaN at the end
        return self._numbers[field_name]

    def number_codes(self, field_name: str) -> tuple[list[str], np.ndarray] | None:
        """As :meth:`codes`, for a NUMERIC field of whole numbers (years): its values as text,
        and each unit's index into them, so that a count over hits is a bincount, not a sort."""
        if field_name not in self._number_codes:
            numbers = self.numbers(field_name)
            if numbers is None:
                self._number_codes[field_name] = None
            else:
                present = ~np.isnan(numbers)
                values = np.unique(numbers[present])
                codes = np.full(self.doc_count, -1, dtype=np.int64)
                codes[present] = np.searchsorted(values, numbers[present])
                self._number_codes[field_name] = ([str(int(v)) for v in values], codes)
        return self._number_codes[field_name]

    def codes(self, field_name: str) -> tuple[list[str], np.ndarray] | None:
        """For a field holding at most one term per unit: its terms, and each unit's index into
        them (-1 where it has none), so that counting values over a result set is one bincount.
        None when some unit holds several terms."""
        if field_name not in self._codes:
            coded = self._single_valued(field_name, self._reader.lexicon(field_name))
            self._codes[field_name] = None if coded is None else (
                [t.decode("utf-8") if isinstance(t, bytes) else t for t in coded[0]], coded[1])
        return self._codes[field_name]

    def _single_valued(self, field_name: str, terms: Any) -> tuple[list[Any], np.ndarray] | None:
        """``terms`` and, per unit, the index of the one it holds (-1: none); None when a unit
        holds two of them."""
        found: list[Any] = []
        codes = np.full(self.doc_count, -1, dtype=np.int64)
        for term in terms:
            ids = self.postings(field_name, term).ids
            if (codes[ids] >= 0).any():
                return None
            codes[ids] = len(found)
            found.append(term)
        return found, codes

    def lengths(self, field_name: str) -> np.ndarray:
        """Every unit's length in ``field_name`` as Whoosh stores it (one byte, approximate)."""
        found = self._lengths.get(field_name)
        if found is None:
            found = np.zeros(self.doc_count, dtype=np.float64)
            for segment, offset in self._leaves:
                lengths = field_lengths(segment, field_name)
                found[offset:offset + len(lengths)] = lengths
            self._lengths[field_name] = found
        return found

    def column(self, field_name: str) -> np.ndarray:
        """The values of a sortable field's column, one per unit ("" where it has none)."""
        found = self._columns.get(field_name)
        if found is None:
            values = [v if isinstance(v, str) else (v.decode("utf-8") if v else "")
                      for v in self._reader.column_reader(field_name)]
            # short values (dates) as fixed-width text, which compares fast; long ones as objects
            short = max(map(len, values), default=0) <= SHORT_TEXT
            found = np.array(values, dtype=None if short else object)
            self._columns[field_name] = found
        return found

    def has_column(self, field_name: str) -> bool:
        return bool(self._reader.has_column(field_name))
