"""What every reader gives: a document's cleaned text, the format it came in, and its id.

Shared by :mod:`corpus.readers` and the format readers it calls (:mod:`corpus.tables` makes
one source text per row), so none of them imports another to know these.
"""
from __future__ import annotations

import codecs
import enum
import hashlib
from dataclasses import dataclass, field
from pathlib import Path


class Format(enum.Enum):
    """The formats we read, by file extension."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    DOCX = "docx"
    PDF = "pdf"
    CSV = "csv"
    JSONL = "jsonl"
    XLSX = "xlsx"

    @classmethod
    def for_path(cls, path: Path) -> Format | None:
        return _EXTENSIONS.get(path.suffix.lower())

    @property
    def is_table(self) -> bool:
        return self in (Format.CSV, Format.JSONL, Format.XLSX)

    @property
    def is_decoded(self) -> bool:
        """Whether the file's bytes are decoded as text (a user's ``--encoding`` applies to it)."""
        return self not in (Format.DOCX, Format.PDF, Format.XLSX)


_EXTENSIONS = {
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".shtml": Format.HTML,
    ".xhtml": Format.HTML,
    ".docx": Format.DOCX,
    ".pdf": Format.PDF,
    ".csv": Format.CSV,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".xlsx": Format.XLSX,
}
SUPPORTED_EXTENSIONS = tuple(sorted(_EXTENSIONS))

# --columns keys, with the Chinese names a user may type instead.
COLUMN_KEYS = ("id", "title", "body", "date", "issuing_body", "doc_type", "proposal_number", "session", "proposers")
COLUMN_ALIASES = {
    "编号": "id", "标题": "title", "正文": "body", "内容": "body", "日期": "date", "机关": "issuing_body",
    "发文机关": "issuing_body", "类型": "doc_type", "提案号": "proposal_number", "会议": "session",
    "提案人": "proposers", "issuer": "issuing_body", "type": "doc_type",
}


@dataclass(frozen=True)
class SourceText:
    """A document's cleaned text as read from a file, before any parsing of meaning.

    ``source`` is what the user sees (the path as given, ``file.csv#id`` for a table row);
    ``file`` is the resolved path the index keys its incremental updates on; ``file_digest``
    hashes the whole file's bytes and the encoding the user gave (see :func:`file_fingerprint`); ``doc_id`` is stable for the same content. ``fields`` are
    what the file states outright and parsing must not second-guess: a table row's mapped
    columns, a web page's title, date, issuing_body, doc_number, index_number (and
    ``published``, its publication date, used when the text states no date).
    """

    source: str
    file: str
    file_digest: str
    doc_id: str
    text: str
    format: Format
    fields: dict[str, str] = field(default_factory=dict)


def content_id(data: bytes) -> str:
    """A stable 16-hex-digit id of some content (BLAKE2b, 64 bits)."""
    return hashlib.blake2b(data, digest_size=8).hexdigest()


def file_fingerprint(digest: str, fmt: Format | None, encoding: str | None) -> str:
    """What decides that a file is unchanged: its bytes' ``digest``, and for a file decoded as
    text the ``encoding`` a user gave, so that reading it in another encoding reads it again.

    Without an encoding the fingerprint is the digest itself (indexes built before stay valid).
    """
    if not encoding or fmt is None or not fmt.is_decoded:
        return digest
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding.lower()
    return content_id(f"{digest}:{name}".encode("utf-8"))


__all__ = ["COLUMN_ALIASES", "COLUMN_KEYS", "SUPPORTED_EXTENSIONS", "Format", "SourceText", "content_id",
           "file_fingerprint"]
