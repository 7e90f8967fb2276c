"""Build and update an index from files: incremental by content hash, all-or-nothing per run.

Every file is read and parsed first; a file that cannot be read is reported and skipped.
The good files are then written through one Whoosh writer and committed once: until the
commit, readers keep seeing the previous index whole, and an error cancels the writer so
that nothing is half-written.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex, LockError
from whoosh.writing import IndexWriter

from corpus import Document, UnreadableDocument, iter_files, parse_columns, parse_file
from corpus.readers import MAX_FILE_BYTES, iter_files_within
from corpus.source import Format, file_fingerprint
from errors import IndexLocked, IndexWriteFailed, UsageError
from indexer.analysis import make_analyzer
from indexer.embed import Embedder, load_embedder
from indexer.embedding import DEFAULT_LEVEL, EmbedProgress, EmbedReport, check_level, check_model, embed_index
from indexer.bulkwriter import BulkMpWriter, BulkSegmentWriter, WriterProcessFailed
from indexer.schema import SCHEMA_VERSION, make_schema, schema_analyzer
from indexer.samples import SAMPLES_KEY
from indexer.spill import remove_stale_runs
from indexer.units import document_units, version_key
from indexer.store import MappedStorage, create_index, index_exists, open_index, read_settings, write_settings

Progress = Callable[[str, str], None]
CHUNK_CHARS = 24_000_000  # characters of text per writer process between two commits (the laws: one)
RUN_LOCK = "INGEST"  # held for a whole ingest, across its chunk commits
PARALLEL_MIN_BYTES = 4_000_000  # below this, starting writer processes costs more than it saves
MAX_PROCS = 2


@dataclass
class IngestReport:
    """What an ingest did, file by file and in total."""

    index_dir: str
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    errors: list[UnreadableDocument] = field(default_factory=list)
    documents: int = 0
    clauses: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    vectors: EmbedReport = field(default_factory=EmbedReport)

    @property
    def indexed_nothing(self) -> bool:
        """Whether the run found no document to add, replace, keep or prune."""
        return not (self.added or self.replaced or self.unchanged or self.pruned)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index_dir,
            "added": len(self.added),
            "replaced": len(self.replaced),
            "unchanged": len(self.unchanged),
            "pruned": len(self.pruned),
            "failed": len(self.errors),
            "documents": self.documents,
            "clauses": self.clauses,
            "errors": [{"source": e.source, "error": e.reason} for e in self.errors],
            "seconds": round(self.seconds, 3),
            "vectors": self.vectors.to_json(),
        }


def ingest(
    paths: Iterable[str],
    index_dir: str | os.PathLike[str],
    *,
    columns: str | None = None,
    encoding: str | None = None,
    prune: bool = False,
    rebuild: bool = False,
    engine: str | None = None,
    dictionaries: Iterable[str] = (),
    progress: Progress | None = None,
    procs: int | None = None,
    vectors: str | None = None,
    embedder: Embedder | None = None,
    embed_progress: EmbedProgress | None = None,
) -> IngestReport:
    """Add or update the documents under ``paths`` in the index at ``index_dir``.

    A file whose content is already indexed is skipped; a changed file's old entries are
    replaced; with ``prune``, entries whose file no longer exists are dropped; with
    ``rebuild``, a new index is built beside the old one and swapped in when complete.
    ``procs`` writer processes segment and index in parallel (default: two on a machine with
    two cores or more, when there are more than a few megabytes to read). ``vectors`` says
    which units get a vector (indexer/embedding.py; default: the level the index has, else
    ``documents``), made by ``embedder`` (default: the installed model) once the words are
    committed.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    parse_columns(columns)
    within = list(iter_files_within(paths))
    files = [(given, path) for given, path, _inside in within]
    shown = {given: inside for given, _path, inside in within}
    report = IngestReport(str(index_dir))
    created = _check_index_place(index_dir)
    existed = index_exists(index_dir)
    left_before = _entries(index_dir)
    level = check_level(vectors or read_settings(index_dir).get("vectors") or DEFAULT_LEVEL)
    if level != "none" and embedder is None:
        embedder = load_embedder()
    if embedder is not None and level != "none" and not rebuild:
        check_model(index_dir, embedder)
    target = index_dir
    if rebuild and index_exists(index_dir):
        target = index_dir.with_name(index_dir.name + ".rebuild")
        shutil.rmtree(target, ignore_errors=True)
    dictionaries = tuple(dictionaries)
    ix = _open_or_create(target, engine, dictionaries)
    built_with = schema_analyzer(ix.schema)
    if dictionaries and target == index_dir and built_with != make_analyzer(built_with.engine_name, dictionaries):
        raise UsageError(f"the index at {index_dir} was built with other dictionaries — "
                         "add --rebuild to rebuild it with these")
    if procs is None:
        procs = _default_procs(files)
    run_lock = ix.storage.lock(RUN_LOCK)
    if not run_lock.acquire(blocking=False):
        raise _locked(index_dir)
    try:
        remove_stale_runs(target)
        with ix.searcher() as searcher:
            writer = _ChunkedWriter(ix, procs, index_dir)
            _ingest_files(writer, searcher.reader(), files, shown, report, columns, encoding, prune, progress)
        with open_index(target).searcher() as searcher:
            reuse = (index_dir,) if target != index_dir else ()
            report.vectors = embed_index(target, searcher.reader(), level, embedder, reuse=reuse,
                                         progress=embed_progress)
    except (OSError, WriterProcessFailed) as exc:  # a file that cannot be read is reported, not raised
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise IndexWriteFailed(f"could not write the index at {index_dir}: {reason} — fix the cause (a full "
                               "disk, a folder without write permission) and run the ingest again; the index "
                               "is as it was before this run") from exc
    finally:
        run_lock.release()
    if report.indexed_nothing and (not existed or target != index_dir):
        # nothing to keep: leave no new empty index behind, and never swap one in for a full one
        if target != index_dir:
            _remove_new(target, None)
        elif created is not None:
            _remove_new(created, None)
        else:
            _remove_new(index_dir, left_before)
        report.seconds = time.perf_counter() - started
        return report
    if target != index_dir:
        _swap_in(target, index_dir)
    _record_settings(index_dir, report, level)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_files(writer: _ChunkedWriter, reader: Any, files: list[tuple[str, Path]], shown: dict[str, str],
                  report: IngestReport, columns: str | None, encoding: str | None, prune: bool,
                  progress: Progress | None) -> None:
    """Read, compare and write every file; ``reader`` shows the index as it was before;
    ``shown``: each file's path inside the folder given (see corpus.readers.iter_files_within)."""
    try:
        for given, path in files:
            resolved = _resolved(path)
            known = _digest_of(path)
            known = known and file_fingerprint(known, Format.for_path(path), encoding)
            if known and reader.doc_frequency("file_version", version_key(resolved, known)):
                report.unchanged.append(given)
                _tell(progress, given, "unchanged")
                continue
            result = parse_file(given, path, columns, encoding)
            if result.error:
                report.errors.append(result.error)
                _tell(progress, given, "error")
                continue
            had = reader.doc_frequency("file", resolved) > 0
            if had:
                writer.delete_file(resolved)
            for doc in result.documents:
                # a table row's source is the file's, then #row
                relative = shown.get(given, os.path.basename(given)) + doc.source[len(given):]
                report.clauses += writer.add_document(doc, resolved, result.digest, relative)
                report.documents += 1
            report.bytes_read += _size(path)
            (report.replaced if had else report.added).append(given)
            _tell(progress, given, "replaced" if had else "added")
            writer.file_done()
        if prune:
            for term in reader.lexicon("file"):
                key = term.decode("utf-8") if isinstance(term, bytes) else term
                if not os.path.exists(key):
                    writer.delete_file(key)
                    report.pruned.append(key)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


class _ChunkedWriter:
    """A writer that commits after every few tens of megabytes of text, between two files.

    Each writer process writes one segment per chunk; its memory is bounded by moving postings
    to disk as it goes (indexer/spill.py), so chunks can be big: fewer segments make faster
    queries (each term lookup visits every segment). Committing in chunks keeps what a killed
    ingest of a large corpus had done, while every file is still all-or-nothing: a commit never
    falls between a file's deletion and its new entries, and the next run skips the whole files
    a killed one committed as unchanged.
    """

    def __init__(self, ix: FileIndex, procs: int, index_dir: Path) -> None:
        self.ix = ix
        self.procs = procs
        self.index_dir = index_dir
        self.pending = 0
        self.writer = self._new()

    def _new(self) -> IndexWriter:
        try:
            if self.procs > 1:
                return _GroupingMpWriter(self.ix, procs=self.procs, compound=False)
            return BulkSegmentWriter(self.ix, compound=False)
        except LockError:
            raise _locked(self.index_dir) from None

    def delete_file(self, file_key: str) -> None:
        self.writer.delete_by_term("file", file_key)

    def add_document(self, doc: Document, file_key: str, digest: str, relative: str | None = None) -> int:
        self.pending += len(doc.body)
        return _add_document(self.writer, doc, file_key, digest, relative)

    def file_done(self) -> None:
        if self.pending >= CHUNK_CHARS * self.procs:
            self.writer.commit(merge=False)
            self.pending = 0
            self.writer = self._new()

    def commit(self) -> None:
        self.writer.commit()

    def cancel(self) -> None:
        self.writer.cancel()


class _GroupingMpWriter(BulkMpWriter):
    """The parallel bulk writer, handing work out when a group ends.

    Its own ``add_document`` only hands a batch to a writer process outside a group, and every
    document is added as a group (its unit and its clauses, for the line cache), so without
    this the whole ingest would become one batch for one process.
    """

    def end_group(self) -> None:
        super().end_group()
        if not self._grouping and len(self.docbuffer) >= self.batchsize:
            self._enqueue()


def _locked(index_dir: Path) -> IndexLocked:
    return IndexLocked(f"another ingest is writing to {index_dir} — wait for it to finish, then run this one again")


def _resolved(path: Path) -> str:
    """The absolute path a file's entries are keyed on (a symlink loop resolves to itself)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return os.path.abspath(path)


def _check_index_place(index_dir: Path) -> Path | None:
    """The outermost folder an ingest into ``index_dir`` creates (None: it exists); a clear error
    for an --index that names a file or a folder inside one."""
    place, outermost = index_dir, None
    while not place.exists() and place != place.parent:
        place, outermost = place.parent, place
    if place.exists() and not place.is_dir():
        problem = "is a file, not a folder" if place == index_dir else f"cannot be a folder: {place} is a file"
        raise UsageError(f"--index {index_dir} {problem} — name a folder for the index "
                         "(it is created if missing), e.g. --index ./ix")
    return outermost


def _entries(folder: Path) -> set[str] | None:
    """The names in ``folder``, or None when it does not exist."""
    try:
        return {p.name for p in folder.iterdir()}
    except OSError:
        return None


def _remove_new(folder: Path, before: set[str] | None) -> None:
    """Remove ``folder``, or only what was made in it when it existed ``before``."""
    if before is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for path in folder.iterdir():
        if path.name not in before:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _open_or_create(index_dir: Path, engine: str | None, dictionaries: tuple[str, ...]) -> FileIndex:
    if index_exists(index_dir):
        return open_index(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the index folder {index_dir}: {exc.strerror or exc} — name a "
                         "folder you can write to, e.g. --index ./ix") from None
    analyzer = make_analyzer(engine, dictionaries)
    ix = create_index(index_dir, make_schema(analyzer))
    write_settings(index_dir, {"schema_version": SCHEMA_VERSION, "analysis": analyzer.settings,
                               "created": time.strftime("%Y-%m-%dT%H:%M:%S")})
    return ix


def _add_document(writer: IndexWriter, doc: Document, file_key: str, digest: str, relative: str | None = None) -> int:
    """Write a document unit and its clause units; return the number of clauses.

    They go as one group, so a parallel writer hands them to one process, which then analyses
    the clauses from the lines of the body it has just analysed.
    """
    writer.start_group()
    try:
        for unit in document_units(doc, file_key, digest, relative):
            writer.add_document(**unit)
    finally:
        writer.end_group()
    return len(doc.clauses)


def _default_procs(files: list[tuple[str, Path]]) -> int:
    cores = os.cpu_count() or 1
    if cores < 2 or sum(_size(path) for _, path in files) < PARALLEL_MIN_BYTES:
        return 1
    return min(cores, MAX_PROCS)


def _digest_of(path: Path) -> str | None:
    """The content hash of a file, or None when it cannot be read or is too big to be a
    document (parsing then reports why). Hashed in blocks: a huge file is never held whole."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
        digest = hashlib.blake2b(digest_size=8)
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _tell(progress: Progress | None, given: str, status: str) -> None:
    if progress:
        progress(given, status)


def _swap_in(built: Path, index_dir: Path) -> None:
    """Replace ``index_dir`` by the freshly built index with two renames."""
    old = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(index_dir, old)
    os.replace(built, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def _record_settings(index_dir: Path, report: IngestReport, level: str) -> None:
    settings = read_settings(index_dir)
    settings.pop(SAMPLES_KEY, None)  # it holds what this ingest read now (indexer.samples)
    settings["vectors"] = level
    ix = MappedStorage(str(index_dir)).open_index()
    with ix.searcher() as s:
        settings["analysis"] = schema_analyzer(ix.schema).settings
        # doc_frequency still counts deleted units until segments merge: count live ones
        settings["documents"] = sum(1 for _ in s.document_numbers(kind="doc"))
        settings["clauses"] = sum(1 for _ in s.document_numbers(kind="clause"))
    settings["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    write_settings(index_dir, settings)
