"""Posting lists, field lengths and columns of an open index as numpy arrays.

Whoosh evaluates a query one posting at a time in Python: a few microseconds per posting to
step, score and collect, so a word found in 50,000 of a quarter million clauses costs
~100 ms before anything is shown. Here a term's postings are read once, a block at a time,
into two arrays (document numbers and term frequencies) kept in a bounded cache, and the
per-document field lengths into one array per field; scoring and set operations then run in
numpy (search/evaluate.py). Document numbers are the reader's global ones, deleted documents
left out.

The block reading uses the internals of whoosh3's W3 codec (the pinned version); any other
posting reader falls back to Whoosh's own matcher, which is slower but gives the same arrays.
"""
from __future__ import annotations

import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pickle import loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from indexer.bulkwriter import LENGTH_OF_BYTE, length_codes

# How many postings the cache keeps (8 bytes each): the common words of a large index.
POSTING_BUDGET = 12_000_000
SHORT_TEXT = 16
_LENGTH_OF_BYTE = np.array(LENGTH_OF_BYTE, dtype=np.float64)


@dataclass(frozen=True)
class Postings:
    """The units a term occurs in (ascending document numbers) and how often."""

    ids: np.ndarray  # int32: 8 bytes a posting with the weights, for a cache of millions
    weights: np.ndarray  # float32 (term frequencies: small whole numbers, exact)

    def __len__(self) -> int:
        return len(self.ids)


EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


class PostingArrays:
    """Read-only array views of one open Whoosh reader (cached; not thread-safe)."""

    def __init__(self, reader: Any, budget: int = POSTING_BUDGET) -> None:
        self._reader = reader
        self._leaves: list[tuple[Any, int]] = list(reader.leaf_readers())
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

    def postings(self, field_name: str, text: str | bytes) -> Postings:
        """The postings of a term over the whole index (empty when it is absent)."""
        key = (field_name, text)
        cached = self._postings.get(key)
        if cached is not None:
            self._postings.move_to_end(key)
            return cached
        parts = [p for segment, offset in self._leaves
                 if (p := _leaf_postings(segment, offset, field_name, text)) is not None]
        if not parts:
            found = EMPTY
        else:
            ids = np.concatenate([p.ids for p in parts]) if len(parts) > 1 else parts[0].ids
            weights = np.concatenate([p.weights for p in parts]) if len(parts) > 1 else parts[0].weights
            keep = self.live[ids]
            found = Postings(ids, weights) if keep.all() else Postings(ids[keep], weights[keep])
        self._remember(key, found)
        return found

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
        found: dict[int, list[int]] = {}
        for segment, offset in self._leaves:
            end = offset + segment.doc_count_all()
            local = docnums[(docnums >= offset) & (docnums < end)] - offset
            if not len(local):
                continue
            try:
                matcher = segment.postings(field_name, text)
            except TermNotFound:
                continue
            if isinstance(matcher, FilterMatcher):
                matcher = matcher.child
            decode = self._reader.schema[field_name].format.decode_positions
            read = _block_positions if isinstance(matcher, W3LeafMatcher) else _matcher_positions
            for docnum, vbytes in read(matcher, local):
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
                codes = _length_bytes(segment, field_name)
                found[offset:offset + len(codes)] = _LENGTH_OF_BYTE[codes]
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


def _leaf_postings(segment: Any, offset: int, field_name: str, text: str | bytes) -> Postings | None:
    try:
        matcher = segment.postings(field_name, text)
    except TermNotFound:
        return None
    if isinstance(matcher, FilterMatcher):  # deleted documents: left out by the live mask
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        ids, weights = _read_blocks(matcher)
    else:
        ids, weights = _read_one_by_one(matcher)
    return Postings((ids + offset).astype(np.int32), weights)


def _read_blocks(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    """All postings of a W3 leaf matcher, decoding each block at once instead of each posting."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    get = matcher._postfile.get
    while True:
        data = get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
        if matcher._compression:
            data = zlib.decompress(data)
        block_ids, block_weights = loads(data)[:2]
        count = matcher._blocklength
        ids.append(np.cumsum(np.array(block_ids, dtype=np.int32), dtype=np.int32))  # deltas within a block
        if block_weights is None:
            weights.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights, dtype=np.float32))
        else:
            weights.append(np.array(block_weights, dtype=np.float32))
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return np.concatenate(ids), np.concatenate(weights)


def _read_one_by_one(matcher: Any) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32)


def _block_positions(matcher: Any, wanted: np.ndarray) -> list[tuple[int, bytes]]:
    """(document, encoded positions) for the ``wanted`` documents, reading only their blocks."""
    out: list[tuple[int, bytes]] = []
    get = matcher._postfile.get
    i = 0
    while i < len(wanted):
        if matcher._maxid >= wanted[i]:
            data = get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
            if matcher._compression:
                data = zlib.decompress(data)
            block_ids, _weights, values = loads(data)
            ids = np.cumsum(np.array(block_ids, dtype=np.int64))
            j = i
            while j < len(wanted) and wanted[j] <= matcher._maxid:
                j += 1
            where = np.searchsorted(ids, wanted[i:j])
            present = where < len(ids)
            where = where[present]
            where = where[ids[where] == wanted[i:j][present]]
            out.extend(zip(ids[where].tolist(), [values[k] for k in where.tolist()]))
            i = j
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    return out


def _matcher_positions(matcher: Any, wanted: np.ndarray) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    for docnum in wanted:
        if not matcher.is_active():
            break
        matcher.skip_to(int(docnum))
        if matcher.is_active() and matcher.id() == docnum:
            out.append((int(docnum), matcher.value()))
    return out


def _length_bytes(segment: Any, field_name: str) -> np.ndarray:
    """One segment's length bytes of a field: read whole from its column when the codec allows."""
    perdoc = getattr(segment, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return np.zeros(segment.doc_count_all(), dtype=np.uint8)
    return np.frombuffer(length_codes(perdoc, field_name), dtype=np.uint8)
