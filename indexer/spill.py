"""Sorted runs of postings on disk, so that a writer's memory stays bounded however much it indexes.

A writer keeps its postings in memory per term (indexer/bulkwriter.py). When they grow past a
budget it writes them out as a *run* — every field's terms in byte order, each with its postings
— and starts afresh; at the end, each field's runs and what is still in memory are merged term by
term into one segment. Units arrive in document order, so a term's postings from an earlier run
all come before those of a later one: merging is concatenation, never a sort of postings.

A run is one file: per field, batches of terms (marshal, then zlib at its fastest level), each
batch preceded by its length, and a zero length after the field's last batch. Runs live in a
folder of the index (same disk, and found and removed by the next ingest if a writer is killed).
"""
from __future__ import annotations

import heapq
import marshal
import os
import shutil
import struct
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path

SPILL_SUFFIX = ".spill"  # the folder of a writer's runs inside the index folder
RUN_BATCH = 4096  # terms per compressed batch
_LENGTH = struct.Struct("<I")

Entry = tuple[list[int], list[float], list[bytes]]  # a term's docnums, weights and encoded values


def remove_stale_runs(index_dir: Path) -> None:
    """Remove run folders left by writers that were killed (call it while no writer runs)."""
    for path in index_dir.glob(f"*{SPILL_SUFFIX}"):
        shutil.rmtree(path, ignore_errors=True)


def write_run(path: str, fields: dict[str, dict[bytes, Entry]]) -> dict[str, int]:
    """Write every field's terms, in byte order, to a new file at ``path``; returns where
    each field's first batch starts."""
    starts: dict[str, int] = {}
    with open(path, "wb") as f:
        for fieldname in sorted(fields):
            table = fields[fieldname]
            if not table:
                continue
            starts[fieldname] = f.tell()
            terms = sorted(table)
            for first in range(0, len(terms), RUN_BATCH):
                batch = [(btext, *table[btext]) for btext in terms[first:first + RUN_BATCH]]
                data = zlib.compress(marshal.dumps(batch), 1)
                f.write(_LENGTH.pack(len(data)))
                f.write(data)
            f.write(_LENGTH.pack(0))
    return starts


def read_run(path: str, start: int) -> Iterator[tuple[bytes, Entry]]:
    """The terms of one field of a run, from its first batch at ``start``, in byte order."""
    with open(path, "rb") as f:
        f.seek(start)
        while True:
            (length,) = _LENGTH.unpack(f.read(_LENGTH.size))
            if not length:
                return
            for btext, ids, weights, values in marshal.loads(zlib.decompress(f.read(length))):
                yield btext, (ids, weights, values)


def merge_runs(sources: Iterable[Iterator[tuple[bytes, Entry]]]) -> Iterator[tuple[bytes, Entry]]:
    """Terms of several sorted sources in byte order; a term found in several sources gets
    their postings one after the other, in the order of the sources, appended to the lists
    of the first (sources hand out lists they no longer use)."""
    for btext, group in groupby(heapq.merge(*sources, key=itemgetter(0)), key=itemgetter(0)):
        _btext, (ids, weights, values) = next(group)
        for _btext, entry in group:
            ids.extend(entry[0])
            weights.extend(entry[1])
            values.extend(entry[2])
        yield btext, (ids, weights, values)


class Runs:
    """The runs one writer has spilled, oldest first."""

    def __init__(self, folder: str | None) -> None:
        self.parent = folder  # where the writer's run folder is made, on its first spill
        self.folder: str | None = None
        self.runs: list[tuple[str, dict[str, int]]] = []  # path, start of each field

    def spill(self, fields: dict[str, dict[bytes, Entry]]) -> None:
        """Write ``fields`` as the newest run (the caller then empties them)."""
        if self.folder is None:
            self.folder = tempfile.mkdtemp(suffix=SPILL_SUFFIX, dir=self.parent)
        path = os.path.join(self.folder, f"run{len(self.runs):04d}")
        self.runs.append((path, write_run(path, fields)))

    @property
    def fieldnames(self) -> set[str]:
        return {name for _path, starts in self.runs for name in starts}

    def sources(self, fieldname: str) -> list[Iterator[tuple[bytes, Entry]]]:
        """A reader of ``fieldname``'s terms in each run that has the field, oldest first."""
        return [read_run(path, starts[fieldname]) for path, starts in self.runs if fieldname in starts]

    def remove(self) -> None:
        """Delete the runs (once they are merged into a segment, or the writer is cancelled)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder, self.runs = None, []
