"""Whoosh's W3 codec files (whoosh/codec/whoosh3.py, the pinned version), read and written
past its objects: the one module that knows their private layout.

Reading (for search/postings.py): a term's row is looked up in each segment's mapped term table
and its blocks decoded straight from the mapped postings file, without Whoosh's matcher objects;
other codecs and storages are read through Whoosh's own matchers. Writing (for
indexer/bulkwriter.py): a field's terms and their posting blocks, byte for byte as Whoosh's
postings writer writes them.
"""
from __future__ import annotations

import io
import mmap
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import md5
from itertools import accumulate
from pickle import dumps, load, loads
from typing import Any

import numpy as np
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher, W3TermInfo, W3TermsReader
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort, unpack_int, unpack_long
from whoosh.util.numeric import byte_to_length, length_to_byte

LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]  # the length a stored byte stands for
_BYTE_OF_BYTE = [length_to_byte(LENGTH_OF_BYTE[b]) if b else 0 for b in range(256)]  # as a block states it
_TERM_ROW = whoosh3.W3TermInfo._struct
_LENGTH_OF_BYTE = np.array(LENGTH_OF_BYTE, dtype=np.float64)  # the same, by a numpy array of bytes


@dataclass(frozen=True)
class Postings:
    """The units a term occurs in (ascending document numbers) and how often."""

    ids: np.ndarray  # int32: 8 bytes a posting with the weights, for a cache of millions
    weights: np.ndarray  # float32 (term frequencies: small whole numbers, exact)

    def __len__(self) -> int:
        return len(self.ids)


EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


_ROW = W3TermInfo._struct
_HEADER = len(WHOOSH3_HEADER_MAGIC)
_SLOT = struct.Struct("!Iq")  # a hash table slot of Whoosh's term table: key hash, item position
_LENGTHS = struct.Struct("!ii")  # an item's key and value lengths


def mapped_terms(segment: Any) -> Any | None:
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


def direct_postings(segments: list[tuple[Any, int]], field_name: str, tbytes: bytes) -> Postings | None:
    """A term's postings over every segment ((term reader, first document number) each, see
    :func:`mapped_terms`), read straight from the term tables and postings files: for a term
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


def direct_doc_frequency(segments: list[tuple[Any, int]], field_name: str, tbytes: bytes) -> int:
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


def direct_positions(segments: list[tuple[Any, int]], field_name: str, tbytes: bytes,
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


def leaf_postings(segment: Any, offset: int, field_name: str, text: str | bytes) -> Postings | None:
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


def leaf_positions(segment: Any, field_name: str, text: str | bytes, wanted: np.ndarray) -> list[tuple[int, bytes]]:
    """(document, encoded positions) of a term in the ``wanted`` documents of one segment
    (its own numbers, ascending), through Whoosh's matcher: a W3 one a block at a time."""
    try:
        matcher = segment.postings(field_name, text)
    except TermNotFound:
        return []
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    read = _block_positions if isinstance(matcher, W3LeafMatcher) else _matcher_positions
    return read(matcher, wanted)


def field_lengths(segment: Any, field_name: str) -> np.ndarray:
    """One segment's lengths of a field, per unit, as the lengths its stored bytes stand for."""
    return _LENGTH_OF_BYTE[_length_bytes(segment, field_name)]


def _length_bytes(segment: Any, field_name: str) -> np.ndarray:
    """One segment's length bytes of a field: read whole from its column when the codec allows."""
    perdoc = getattr(segment, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return np.zeros(segment.doc_count_all(), dtype=np.uint8)
    return np.frombuffer(length_codes(perdoc, field_name), dtype=np.uint8)


def writes_in_bulk(fieldwriter: Any) -> bool:
    """Whether :func:`write_field` can write a segment for ``fieldwriter``: a W3 field writer that
    never stores postings inline in the term table."""
    return isinstance(fieldwriter, whoosh3.W3FieldWriter) and fieldwriter._codec._inlinelimit <= 1


def length_codes(lengths: Any, fieldname: str) -> bytes:
    """The length byte of every unit in ``fieldname`` (all zero when the field keeps none), read
    whole from a segment's per-document reader ``lengths`` when the column allows."""
    count = lengths.doc_count_all()
    column = lengths._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:
        return bytes(count)
    if getattr(column, "_fixedlen", None) == 1 and hasattr(column, "_dbfile"):
        stored = min(column._count, count)
        return bytes(column._dbfile.get(column._basepos, stored)) + bytes(count - stored)
    return bytes(column[d] or 0 for d in range(count))


class _Block:
    """What ``W3TermInfo.add_block`` reads of a block of postings."""

    __slots__ = ("_weights", "_ids", "_minlength", "_maxlength", "_maxweight")

    def __init__(self, ids: list[int], weights: array, minlength: int | None, maxlength: int,
                 maxweight: float) -> None:
        self._ids, self._weights = ids, weights
        self._minlength, self._maxlength, self._maxweight = minlength, maxlength, maxweight

    def __len__(self) -> int:
        return len(self._ids)

    def min_id(self) -> int:
        return self._ids[0]

    def max_id(self) -> int:
        return self._ids[-1]

    def min_length(self) -> int | None:
        return self._minlength

    def max_length(self) -> int:
        return self._maxlength

    def max_weight(self) -> float:
        return self._maxweight


def write_field(fieldwriter: Any, fieldobj: Any, fieldname: str,
                entries: Iterable[tuple[bytes, tuple[list[int], list[float], list[bytes]]]], codes: bytes) -> None:
    """Every term of one field (``entries``: each term in byte order with its postings in
    document order): its posting blocks, then its row in the term table; ``codes`` are the
    segment's length bytes of the field (:func:`length_codes`)."""
    fieldwriter.start_field(fieldname, fieldobj)
    postwriter = fieldwriter._postwriter
    postfile = fieldwriter._postfile
    add_row = fieldwriter._tindex.add
    prefix = pack_ushort(fieldwriter._fieldid)
    blocklimit, compression = postwriter._blocklimit, postwriter._compression
    fixedsize = fieldobj.format.fixed_value_size()
    offset = postfile.tell()
    for btext, (ids, weights, values) in entries:
        count = len(ids)
        if count == 1:
            encoded, row = _single(ids[0], weights[0], values[0], codes, fixedsize, compression, offset)
            postfile.write(encoded)
            offset += len(encoded)
            add_row(prefix + btext, row)
            continue
        terminfo = whoosh3.W3TermInfo()
        parts = [whoosh3.WHOOSH3_HEADER_MAGIC]
        for first in range(0, count, blocklimit):
            parts.extend(_block(terminfo, ids[first:first + blocklimit], weights[first:first + blocklimit],
                                values[first:first + blocklimit], codes, fixedsize, compression,
                                last=first + blocklimit >= count))
        encoded = emptybytes.join(parts)
        postfile.write(encoded)
        terminfo.set_extent(offset, len(encoded))
        offset += len(encoded)
        add_row(prefix + btext, terminfo.to_bytes())
    fieldwriter.finish_field()


def _single(docnum: int, weight: float, value: bytes, codes: bytes, fixedsize: int | None, compression: int,
            offset: int) -> tuple[bytes, bytes]:
    """A term with one posting (most terms): its postings bytes and its term-table row, as
    :func:`_block` and ``W3TermInfo.to_bytes`` would give them, in fewer steps."""
    stored = array("f", (weight,))[0]
    maxweight: float = weight if weight > 0 else 0
    length_byte = _BYTE_OF_BYTE[codes[docnum]]
    if fixedsize is None or fixedsize < 0:
        mini_values: Any = (value,) if value else ()
    elif fixedsize == 0:
        mini_values = None
    else:
        mini_values = value
    databytes = dumps(((docnum,), None if stored == 1.0 else stored, mini_values), 2)
    comp = compression if len(databytes) >= whoosh3.COMPRESSION_MIN_SIZE else 0
    if comp:
        databytes = zlib.compress(databytes, comp)
    infobytes = dumps((1, docnum, maxweight, comp, length_byte, length_byte), 2)
    encoded = emptybytes.join((whoosh3.WHOOSH3_HEADER_MAGIC, pack_int(-(len(infobytes) + len(databytes))),
                               infobytes, databytes))
    row = _TERM_ROW.pack(False, stored, 1, length_byte, length_byte, maxweight, docnum, docnum)
    return encoded, row + pack_long(offset) + pack_int(len(encoded))


def _block(terminfo: Any, ids: list[int], weights: list[float], values: list[bytes], codes: bytes,
           fixedsize: int | None, compression: int, last: bool) -> tuple[bytes, bytes, bytes]:
    """One block as ``W3PostingsWriter._write_block`` writes it: length, info and data bytes;
    adds the block's statistics to ``terminfo``."""
    stored = array("f", weights)
    if len(ids) == 1:
        mini_weights: Any = None if stored[0] == 1.0 else stored[0]
    else:
        as_stored = stored.tolist()
        if as_stored.count(1.0) == len(as_stored):
            mini_weights = None
        elif as_stored.count(as_stored[0]) == len(as_stored):
            mini_weights = as_stored[0]
        else:
            mini_weights = tuple(as_stored)
    maxweight: float = max(weights)
    if not maxweight > 0:
        maxweight = 0
    lengths = [LENGTH_OF_BYTE[c] for c in map(codes.__getitem__, ids) if c]
    minlength = min(lengths) if lengths else None
    maxlength = max(lengths) if lengths else 0
    terminfo.add_block(_Block(ids, stored, minlength, maxlength, maxweight))
    if fixedsize is None or fixedsize < 0:
        mini_values: Any = tuple(values) if emptybytes not in values else tuple(v for v in values if v)
    elif fixedsize == 0:
        mini_values = None
    else:
        mini_values = emptybytes.join(values)
    deltas = (ids[0],) if len(ids) == 1 else tuple([b - a for a, b in zip([0, *ids], ids)])
    databytes = dumps((deltas, mini_weights, mini_values), 2)
    comp = compression if len(databytes) >= whoosh3.COMPRESSION_MIN_SIZE else 0
    if comp:
        databytes = zlib.compress(databytes, comp)
    infobytes = dumps((len(ids), ids[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength)), 2)
    blocklength = len(infobytes) + len(databytes)
    return pack_int(-blocklength if last else blocklength), infobytes, databytes
