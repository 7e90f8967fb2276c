"""Posting lists, field lengths and columns of an open index as numpy arrays.

Whoosh evaluates a query one posting at a time in Python: a few microseconds per posting to
step, score and collect, so a word found in 50,000 of a quarter million clauses costs
~100 ms before anything is shown. Here a term's postings are read once, a block at a time,
into two arrays (document numbers and term frequencies) kept in a bounded cache, and the
per-document field lengths into one array per field; scoring and set operations then run in
numpy (search/evaluate.py). Document numbers are the reader's global ones, deleted documents
left out.

The reading uses the internals of whoosh3's W3 codec (the pinned version): a term's row is
looked up in each segment's mapped term table and its blocks decoded straight from the mapped
postings file, without Whoosh's matcher objects. Any other codec or storage falls back to
Whoosh's own matchers, which are slower but give the same arrays (tests/test_evaluate.py).
"""
from __future__ import annotations

import io
import mmap
import struct
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from hashlib import md5
from itertools import accumulate
from pickle import load, loads
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher, W3TermInfo, W3TermsReader
from whoosh.formats import Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import pack_ushort, unpack_int, unpack_long

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
        # each segment's term reader, when all can be read directly (see _mapped_terms)
        mapped = [(_mapped_terms(segment), offset) for segment, offset in self._leaves]
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
            direct = _direct_postings(self._mapped, field_name, self._term_bytes(field_name, text))
        if direct is not None:
            parts = [direct] if len(direct) else []
        else:
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

    def doc_frequency(self, field_name: str, text: str | bytes) -> int:
        """How many units hold a term (as ``reader.doc_frequency``, read faster)."""
        if self._mapped is None:
            return int(self._reader.doc_frequency(field_name, text))
        return _direct_doc_frequency(self._mapped, field_name, self._term_bytes(field_name, text))

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
            direct = _direct_positions(self._mapped, field_name, self._term_bytes(field_name, text), docnums)
            if direct is not None:
                return direct
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


_ROW = W3TermInfo._struct
_HEADER = len(WHOOSH3_HEADER_MAGIC)
_SLOT = struct.Struct("!Iq")  # a hash table slot of Whoosh's term table: key hash, item position
_LENGTHS = struct.Struct("!ii")  # an item's key and value lengths


def _mapped_terms(segment: Any) -> Any | None:
    """A segment's W3 term reader, when it and its postings are on mapped files (as
    indexer.store opens them) and its term table hashes with md5 (as whoosh3 writes it)."""
    terms = getattr(segment, "_terms", None)
    if type(terms) is not W3TermsReader or terms._tindex.hashtype != 0:
        return None
    if not isinstance(terms._tindex.dbfile.file, mmap.mmap) or not isinstance(terms._postfile.file, mmap.mmap):
        return None
    return terms


def _term_rows(segments: list[tuple[Any, int]], field_name: str, tbytes: bytes) -> Iterator[tuple[Any, int, bytes]]:
    """(term reader, first document number, row) of each segment whose term table holds the term.

    The lookup of Whoosh's ``HashReader.get``, read from the mapped file in place: through
    Whoosh's reader a lookup costs ~25 µs in generators, seeks and copies, and a precedents
    list makes thousands (each term in each of ten segments). The key's hash is computed once
    for all segments that number the field alike."""
    hashed: dict[int, tuple[bytes, int]] = {}
    for terms, offset in segments:
        number = terms._fieldmap.get(field_name)
        if number is None:
            continue
        found = hashed.get(number)
        if found is None:
            key = pack_ushort(number) + tbytes
            found = hashed[number] = (key, int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big"))
        row = _find_row(terms._tindex, *found)
        if row is not None:
            yield terms, offset, row


def _find_row(table: Any, key: bytes, keyhash: int) -> bytes | None:
    """The value of ``key`` in one of Whoosh's hash tables (an ``OrderedHashReader``)."""
    data = table.dbfile.file
    start, slots = table.tables[keyhash & 255]
    if not slots:
        return None
    end = start + slots * _SLOT.size
    position = start + ((keyhash >> 8) % slots) * _SLOT.size
    for _ in range(slots):
        slot_hash, item = _SLOT.unpack_from(data, position)
        if not item:
            return None
        if slot_hash == keyhash:
            key_length, value_length = _LENGTHS.unpack_from(data, item)
            at = item + _LENGTHS.size
            if key_length == len(key) and data[at:at + key_length] == key:
                return data[at + key_length:at + key_length + value_length]
        position += _SLOT.size
        if position == end:
            position = start
    return None


def _postings_bytes(terms: Any, row: bytes) -> bytes | None:
    """The postings a term row points to in its segment's postings file; None when they are
    stored inline in the row, or do not start as W3 postings do."""
    if row[0]:  # postings stored inline in the term table
        return None
    start = unpack_long(row[_ROW.size:_ROW.size + 8])[0]
    length = unpack_int(row[_ROW.size + 8:_ROW.size + 12])[0]
    data = terms._postfile.file[start:start + length]
    return data if data[:_HEADER] == WHOOSH3_HEADER_MAGIC else None


def _direct_postings(segments: list[tuple[Any, int]], field_name: str, tbytes: bytes) -> Postings | None:
    """A term's postings over every segment ((term reader, first document number) each, see
    :func:`_mapped_terms`), read straight from the term tables and postings files: for a term
    in a few units of each of ten segments, building Whoosh's matcher per segment and numpy
    arrays per block cost more than the reading. None for postings stored inline."""
    deltas: list[int] = []
    weights: list[float] = []
    last = 0  # the last document number read, over all segments
    for terms, offset, row in _term_rows(segments, field_name, tbytes):
        data = _postings_bytes(terms, row)
        if data is None:
            return None
        last = _decode_blocks(data, offset, last, deltas, weights)
    ids = np.cumsum(np.array(deltas, dtype=np.int64)).astype(np.int32) if deltas else EMPTY.ids
    return Postings(ids, np.array(weights, dtype=np.float32))


def _direct_doc_frequency(segments: list[tuple[Any, int]], field_name: str, tbytes: bytes) -> int:
    """How many units hold a term (deleted ones included, as Whoosh counts), from its rows."""
    return sum(_ROW.unpack_from(row)[2] for _terms, _offset, row in _term_rows(segments, field_name, tbytes))


def _blocks(data: bytes) -> Iterator[tuple[int, int, int, bytes]]:
    """(postings, largest document number, compression, data) of each block of one term's
    postings as W3 writes them: a length (negative for the last block), a pickled header, and
    the block's pickled (gaps, weights, values), compressed when the header says so."""
    stream = io.BytesIO(data)
    position = _HEADER
    while position < len(data):
        length = unpack_int(data[position:position + 4])[0]
        stream.seek(position + 4)
        count, maxid, _maxweight, compression, _minlength, _maxlength = load(stream)
        block_end = position + 4 + abs(length)
        yield count, maxid, compression, data[stream.tell():block_end]
        if length < 0:  # the last block
            break
        position = block_end


def _unpacked(compression: int, block: bytes) -> tuple[Any, ...]:
    return loads(zlib.decompress(block) if compression else block)


def _decode_blocks(data: bytes, offset: int, last: int, deltas: list[int], weights: list[float]) -> int:
    """Append the postings of one term's blocks to ``deltas`` (gaps between document numbers,
    over all segments) and ``weights``; returns the last document number.

    Within a block, the first number is the block's own start and the others are gaps: only
    the first is changed into the gap from the ``last`` one before it (``offset`` shifts the
    segment's numbers into the reader's)."""
    for count, maxid, compression, block in _blocks(data):
        block_deltas, block_weights = _unpacked(compression, block)[:2]
        first = len(deltas)
        deltas.extend(block_deltas)
        deltas[first] += offset - last
        last = offset + maxid
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
    return last


def _direct_positions(segments: list[tuple[Any, int]], field_name: str, tbytes: bytes,
                      docnums: np.ndarray) -> dict[int, list[int]] | None:
    """Where a term occurs in each of ``docnums`` (ascending, all holding it), read from the
    term rows and postings of every segment; blocks without any of them are not unpickled.
    None when some postings are not W3 ones (the caller then reads through Whoosh)."""
    found: dict[int, list[int]] = {}
    for terms, offset, row in _term_rows(segments, field_name, tbytes):
        data = _postings_bytes(terms, row)
        if data is None:
            return None
        # this segment's numbers (those of later segments lie past its last block: never matched)
        wanted = docnums[np.searchsorted(docnums, offset):] - offset
        i = 0
        for _count, maxid, compression, block in _blocks(data):
            if i >= len(wanted):
                break
            if maxid < wanted[i]:
                continue
            j = int(np.searchsorted(wanted, maxid, side="right"))
            block_ids, _weights, values = _unpacked(compression, block)
            ids = np.cumsum(np.array(block_ids, dtype=np.int64))
            where = np.searchsorted(ids, wanted[i:j])
            present = where < len(ids)
            where = where[present]
            where = where[ids[where] == wanted[i:j][present]]
            # Positions.decode_positions, without its per-call layers: a count, then pickled gaps
            found.update((offset + docnum, list(accumulate(loads(values[k][4:]))))
                         for docnum, k in zip(ids[where].tolist(), where.tolist()))
            i = j
    return found


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
