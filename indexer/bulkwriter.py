"""A Whoosh segment writer that keeps postings per term and writes each term's blocks at once.

Whoosh's ``SegmentWriter`` puts every posting in a pool as a tuple, sorts all of them at
commit, then hands them one at a time to the postings writer, which checks, buffers and
measures each; on the laws corpus that was half of the ingest. Units arrive in document
order, so the postings of one term are in order already: this writer appends them to the
term's lists, sorts only the terms, and encodes each block of 128 postings in one step. Our
text and ID fields take a shortcut past Whoosh's token objects too (:func:`_fast_adder`). Past a
budget of text, the postings in memory move to a sorted run on disk (indexer/spill.py), and the
runs are merged into the segment at the end: one segment per writer, in bounded memory.

The files are the ones Whoosh writes, byte for byte (``tests/test_bulkwriter.py`` compares
them), so every reader — Whoosh's and ``search.postings`` — reads them unchanged. Only the
whoosh3 codec is written this way (indexer/codec.py); any other codec goes through Whoosh's own path.
"""
from __future__ import annotations

import contextlib
import gc
import queue
from collections.abc import Iterator
from pickle import dumps
from typing import Any

from whoosh.analysis import IDTokenizer
from whoosh.formats import Existence, Frequency, Positions
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import emptybytes, pack_uint
from whoosh.writing import SegmentWriter

from indexer.analysis import ChineseTokenizer
from indexer.bigrams import BigramTokenizer, bigram_counts
from indexer.codec import length_codes, write_field, writes_in_bulk
from indexer.spill import Entry, Runs, merge_runs

_ONE = pack_uint(1)
# Text a writer indexes before it moves its postings to disk (indexer/spill.py): a writer
# process holding the postings of 6 M characters (all text fields together) takes ~0.6 GB.
SPILL_CHARS = 6_000_000


TermTable = dict[bytes, Entry]  # term -> docnums, weights, values


def _append(table: TermTable, btext: bytes, docnum: int, weight: float, value: bytes) -> None:
    """Append one posting to its term's lists."""
    entry = table.get(btext)
    if entry is None:
        table[btext] = ([docnum], [weight], [value])
    else:
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(value)


class TermPool:
    """The postings of one segment, per field and term, in the order they were added.

    It answers the part of Whoosh's pool interface that writers use (``add``,
    ``iter_postings``, ``fieldnames``, ``cleanup``), so merging old segments into a writer
    still works; postings that may arrive out of document order are sorted at the end.
    """

    def __init__(self, spill_folder: str | None = None) -> None:
        self.fields: dict[str, TermTable] = {}
        self.in_order = True
        self.runs = Runs(spill_folder)  # postings moved to disk by spill(), oldest first
        self.floor = 0  # units below this number are in the runs

    @property
    def fieldnames(self) -> set[str]:
        """The fields that have postings (Whoosh's parallel writer reports them)."""
        return {name for name, table in self.fields.items() if table} | self.runs.fieldnames

    def spill(self, next_docnum: int) -> None:
        """Move the postings held in memory to a run on disk; every unit added from now on is
        numbered ``next_docnum`` or more."""
        if not self.in_order:
            raise ValueError("postings added out of document order cannot be spilled")
        self.runs.spill(self.fields)
        self.fields = {}
        self.floor = next_docnum

    def terms(self, fieldname: str) -> TermTable:
        """The term table of a field, created on first use."""
        table = self.fields.get(fieldname)
        if table is None:
            table = self.fields[fieldname] = {}
        return table

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting as Whoosh's pool takes it: (field, term, docnum, weight, value)."""
        fieldname, btext, docnum, weight, value = item
        table = self.terms(fieldname)
        if docnum < self.floor:
            raise ValueError(f"unit {docnum} comes before the postings spilled to disk")
        entry = table.get(btext)
        if entry is not None and entry[0][-1] >= docnum:
            self.in_order = False
        _append(table, btext, docnum, weight, value or emptybytes)

    def sorted_entries(self, fieldname: str) -> Iterator[tuple[bytes, Entry]]:
        """A field's terms in byte order, each with its postings in document order: those of
        the runs on disk, then those in memory."""
        runs = self.runs.sources(fieldname)
        if runs:
            return merge_runs([*runs, self._memory_entries(fieldname)])
        return self._memory_entries(fieldname)

    def _memory_entries(self, fieldname: str) -> Iterator[tuple[bytes, Entry]]:
        table = self.fields.get(fieldname, {})
        for btext in sorted(table):
            entry = table[btext]
            if not self.in_order:
                rows = sorted(zip(*entry))
                entry = ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
            yield btext, entry

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        for fieldname in sorted(self.fieldnames):  # a field may be only in the runs
            for btext, (ids, weights, values) in self.sorted_entries(fieldname):
                for docnum, weight, value in zip(ids, weights, values):
                    yield fieldname, btext, docnum, weight, value

    def cleanup(self) -> None:
        self.fields.clear()
        self.runs.remove()


def _fast_adder(field: Any, value: Any) -> Any:
    """The function that adds ``value``'s postings in ``field`` to a term table, when the field
    is one of ours: same terms, frequencies, weights and encoded values as ``field.index``,
    without Whoosh's per-token objects and generator layers."""
    if not isinstance(value, str):
        return None
    if type(field.analyzer) is IDTokenizer and type(field.format) is Existence:
        return _add_id
    if isinstance(field.analyzer, ChineseTokenizer) and type(field.format) is Positions:
        return _add_positions
    if isinstance(field.analyzer, BigramTokenizer) and type(field.format) is Frequency:
        return _add_frequencies
    return None


def _add_id(table: dict[bytes, Any], docnum: int, field: Any, value: str, boost: float) -> int:
    """The one posting of an ID field (``Existence.word_values`` over ``IDTokenizer``): the whole
    value is the term; such a field keeps no length."""
    _append(table, value.encode("utf-8"), docnum, field.format.field_boost * boost, emptybytes)
    return 0


def _add_positions(table: dict[bytes, Any], docnum: int, field: Any, value: str, boost: float) -> int:
    """Word postings with positions (``Positions.word_values``); returns the field length."""
    positions: dict[str, list[int]] = {}
    for text, pos, _start, _end in field.analyzer.words(value):
        found = positions.get(text)
        if found is None:
            positions[text] = [pos]
        else:
            found.append(pos)
    field_boost = field.format.field_boost
    length = 0
    for text, poslist in positions.items():
        count = len(poslist)
        length += count
        if count == 1:  # a single position is its own delta
            encoded = _ONE + dumps(poslist, 2)
        else:
            encoded = pack_uint(count) + dumps([b - a for a, b in zip([0, *poslist], poslist)], 2)
        # _append, written out: a call per posting costs ~12 % of an ingest
        btext, weight = text.encode("utf-8"), float(count) * field_boost * boost
        entry = table.get(btext)
        if entry is None:
            table[btext] = ([docnum], [weight], [encoded])
        else:
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(encoded)
    return length


def _add_frequencies(table: dict[bytes, Any], docnum: int, field: Any, value: str, boost: float) -> int:
    """Bigram postings with frequencies (``Frequency.word_values``); returns the field length."""
    field_boost = field.format.field_boost
    length = 0
    for text, count in bigram_counts(value).items():
        length += count
        # _append, written out (see _add_positions)
        btext, weight, encoded = text.encode("utf-8"), float(count) * field_boost * boost, pack_uint(count)
        entry = table.get(btext)
        if entry is None:
            table[btext] = ([docnum], [weight], [encoded])
        else:
            entry[0].append(docnum)
            entry[1].append(weight)
            entry[2].append(encoded)
    return length


class BulkFlush:
    """Mixin for a Whoosh ``SegmentWriter``: a :class:`TermPool` and the bulk flush."""

    pool: Any

    def _use_term_pool(self) -> None:
        self.pool = TermPool(getattr(self.storage, "folder", None))  # type: ignore[attr-defined]

    def _flush_segment(self) -> None:
        fieldwriter = self.fieldwriter  # type: ignore[attr-defined]
        if not writes_in_bulk(fieldwriter):
            super()._flush_segment()  # type: ignore[misc]  # another codec, or one that inlines postings
            return
        self.perdocwriter.close()  # type: ignore[attr-defined]
        lengths = self.per_document_reader()  # type: ignore[attr-defined]
        try:
            for fieldname in sorted(self.pool.fieldnames):
                write_field(fieldwriter, self.schema[fieldname], fieldname,  # type: ignore[attr-defined]
                            self.pool.sorted_entries(fieldname), length_codes(lengths, fieldname))
        finally:
            fieldwriter.close()
            lengths.close()


class BulkSegmentWriter(BulkFlush, SegmentWriter):
    """Whoosh's segment writer with postings kept per term (see the module doc)."""

    def __init__(self, ix: Any, *, spill_chars: int | None = None, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._use_term_pool()
        self.spill_chars = spill_chars or SPILL_CHARS
        self._held_chars = 0  # characters of text whose postings are in memory
        for name, field in self.schema.items():
            if field.separate_spelling() or field.vector:
                raise ValueError(f"field {name!r}: spelling and vector fields need Whoosh's own writer")

    def add_document(self, **fields: Any) -> None:
        """As ``SegmentWriter.add_document``, appending postings to their terms directly."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    terms = pool.terms(fieldname)
                    adder = _fast_adder(field, value)
                    if adder is not None:
                        length = adder(terms, docnum, field, value, fieldboost)
                        if field.scorable:
                            self._held_chars += len(value)
                        else:
                            length = 0
                    scorable = field.scorable
                    for btext, freq, weight, vbytes in (() if adder else field.index(value)):
                        if scorable:
                            length += freq
                        _append(terms, btext, docnum, weight * fieldboost, vbytes or emptybytes)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        if self._held_chars >= self.spill_chars and pool.in_order:
            pool.spill(self.docnum)
            self._held_chars = 0


class WriterProcessFailed(RuntimeError):
    """Raised at commit when a writer process failed or ended without its segment."""


_FAILED = "failed"  # what a failed writer process puts on the result queue instead of a run name


class BulkSubWriterTask(SubWriterTask):
    """A writer process of Whoosh's ``MpWriter`` that writes with :class:`BulkSegmentWriter`.

    If it fails (a full disk, say), it closes its files, removes its runs and tells the parent,
    whose commit then fails too instead of going on without this segment (the unfinished
    segment's files belong to no commit: the next commit that cleans the folder removes them).
    """

    def run(self) -> None:
        # This process only holds postings, which form no reference cycles: without the cycle
        # collector rescanning them as they grow, the process indexes ~30 % faster.
        gc.disable()
        writer = None
        try:
            ix = self.storage.open_index(self.indexname)
            writer = self.writer = BulkSegmentWriter(ix, _lk=False, **self.kwargs)
            while self.running:
                jobinfo = self.jobqueue.get()
                if jobinfo is None:
                    break
                self._process_file(*jobinfo)
            if not self.running:
                writer.cancel()
                return
            if not self.multisegment:
                raise ValueError("BulkSubWriterTask writes one segment per process (multisegment=True)")
            fieldnames = writer.pool.fieldnames
            segment = writer._finalize_segment()
        except BaseException as exc:
            if writer is not None:  # close its files and remove its runs; cancel() would also
                with contextlib.suppress(Exception):  # delete the temporary folder it shares with the parent
                    writer._close_segment()
            self.resultqueue.put((_FAILED, f"{type(exc).__name__}: {exc}", None), timeout=5)
            raise
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


class _CheckedResults:
    """The result queue as ``MpWriter``'s commit reads it, raising when a writer process failed:
    Whoosh's own commit would go on without that process's segment, losing its units silently."""

    def __init__(self, results: Any) -> None:
        self.results = results

    def get(self, timeout: float | None = None) -> tuple[Any, Any, Any]:
        try:
            runname, fieldnames, segment = self.results.get(timeout=timeout)
        except queue.Empty:
            raise WriterProcessFailed("a writer process ended without writing its segment") from None
        if runname == _FAILED:
            raise WriterProcessFailed(f"a writer process failed ({fieldnames})")
        return runname, fieldnames, segment


class BulkMpWriter(BulkFlush, MpWriter):
    """Whoosh's parallel writer whose processes (and its own merges) use the bulk writer."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs["multisegment"] = True
        super().__init__(ix, **kwargs)
        self._use_term_pool()
        self._results = self.resultqueue  # what the processes put on; the commit reads it checked

    def _new_task(self) -> SubWriterTask:
        task = BulkSubWriterTask(self.storage, self.indexname, self.jobqueue, self._results,
                                 self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        self.resultqueue = _CheckedResults(self._results)
        super()._commit(mergetype, optimize, merge)
