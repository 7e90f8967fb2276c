"""Reading and understanding documents: formats, cleaning, metadata, clauses, amounts, citations.

``corpus`` never imports whoosh or jieba; it turns files into :class:`Document` objects.
The names below load their modules when first used (PEP 562), so importing the package for
:func:`sample_dir` costs nothing.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from errors import PolicySearchError, UnreadableDocument

if TYPE_CHECKING:
    from corpus.model import Amount, Citation, Clause, Document
    from corpus.parse import parse_source
    from corpus.readers import iter_files, parse_columns, read_file
    from corpus.source import SourceText

__all__ = [
    "Amount", "Citation", "Clause", "Document", "FileResult", "SourceText", "load_files", "parse_file",
    "parse_source", "sample_dir", "PolicySearchError", "UnreadableDocument",
]
_LAZY = {
    "Amount": "corpus.model", "Citation": "corpus.model", "Clause": "corpus.model", "Document": "corpus.model",
    "parse_source": "corpus.parse", "SourceText": "corpus.source", "iter_files": "corpus.readers",
    "parse_columns": "corpus.readers", "read_file": "corpus.readers",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'corpus' has no attribute {name!r}")


def sample_dir() -> Path:
    """The folder of sample documents shipped with the package."""
    return Path(__file__).parent / "samples"


@dataclass
class FileResult:
    """What reading one file gave: its documents, or the error that stopped it."""

    given: str
    path: Path
    documents: list[Document]
    error: UnreadableDocument | None = None
    digest: str = ""


def parse_file(given: str, path: Path | None = None, columns: str | None = None,
               encoding: str | None = None) -> FileResult:
    """Read and parse one file; errors are returned, not raised, so a run can go on."""
    from corpus.parse import parse_source
    from corpus.readers import parse_columns, read_file

    path = path or Path(given)
    try:
        sources = read_file(given, path, parse_columns(columns), encoding)
        documents = []
        for source in sources:
            doc = parse_source(source)
            doc.title_derived = source.format.is_table and "title" not in source.fields
            documents.append(doc)
        return FileResult(given, path, documents, digest=sources[0].file_digest if sources else "")
    except UnreadableDocument as exc:
        return FileResult(given, path, [], exc)
    except RecursionError:
        return FileResult(given, path, [], UnreadableDocument(given, "nested too deeply to read"))


def load_files(paths: Iterable[str], columns: str | None = None,
               encoding: str | None = None) -> Iterator[FileResult]:
    """Parse every readable file under ``paths`` (files or folders), one result per file."""
    from corpus.readers import iter_files, parse_columns

    parse_columns(columns)  # fail fast on a malformed --columns, before reading anything
    for given, path in iter_files(paths):
        yield parse_file(given, path, columns, encoding)
