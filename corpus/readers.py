"""Read files into source texts: one reader per format, chosen by the file's extension.

A file yields one :class:`SourceText` (a text document) or many (a table whose rows are
documents). Readers never parse meaning; they decode, extract and clean text and carry the
fields a table maps explicitly with ``--columns``.
"""
from __future__ import annotations

import csv
import enum
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus.clean import clean_text
from corpus.encoding import decode_bytes
from corpus.errors import UnreadableDocument, UsageError

MAX_FILE_BYTES = 64 * 1024 * 1024


class Format(enum.Enum):
    """The formats we read, by file extension."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    CSV = "csv"
    JSONL = "jsonl"

    @classmethod
    def for_path(cls, path: Path) -> Format | None:
        return _EXTENSIONS.get(path.suffix.lower())

    @property
    def is_table(self) -> bool:
        return self in (Format.CSV, Format.JSONL)


_EXTENSIONS = {
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".csv": Format.CSV,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
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
    hashes the whole file's bytes; ``doc_id`` is stable for the same content.
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


def parse_columns(spec: str | None) -> dict[str, list[str]]:
    """Parse ``--columns id=留言编号,body=留言主题+答复意见`` into ``{"id": ["留言编号"], ...}``.

    ``+`` joins several columns into one field (their texts separated by a blank line).
    """
    if not spec:
        return {}
    mapping: dict[str, list[str]] = {}
    for part in spec.replace("，", ",").split(","):
        if not part.strip():
            continue
        key, sep, columns = part.partition("=")
        key = COLUMN_ALIASES.get(key.strip(), key.strip())
        if not sep or not columns.strip():
            raise UsageError(f"--columns: `{part}` is not KEY=COLUMN (e.g. id=留言编号,body=答复意见)")
        if key not in COLUMN_KEYS:
            raise UsageError(f"--columns: unknown key `{key}`; keys are {', '.join(COLUMN_KEYS)}")
        mapping[key] = [c.strip() for c in columns.split("+") if c.strip()]
    return mapping


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, Path]]:
    """Expand files and folders (recursively, following no symlink loops) into (given, path).

    ``given`` is the path as the user wrote it (joined with the name inside a folder); files
    with extensions we do not read are skipped inside folders but reported when named.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            seen: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(path, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in seen:
                    dirs[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    child = Path(root) / name
                    if not name.startswith(".") and Format.for_path(child) is not None:
                        yield str(child), child
        else:
            yield str(given), path


def read_file(
    given: str, path: Path, columns: dict[str, list[str]] | None = None, encoding: str | None = None
) -> list[SourceText]:
    """Read one file into its source texts; raise :class:`UnreadableDocument` naming the problem."""
    fmt = Format.for_path(path)
    if fmt is None:
        raise UnreadableDocument(
            given, f"unsupported file type `{path.suffix or '(none)'}`; readable: {' '.join(SUPPORTED_EXTENSIONS)}"
        )
    data = _read_bytes(given, path)
    digest = content_id(data)
    resolved = str(path.resolve())
    if fmt.is_table:
        text = decode_bytes(data, given, encoding)
        rows = _csv_rows(text, given) if fmt is Format.CSV else _jsonl_rows(text, given)
        return list(_table_texts(given, resolved, digest, fmt, rows, columns or {}))
    text = decode_bytes(data, given, encoding)
    if fmt is Format.HTML:
        text = _html_text(text)
    text = clean_text(text)
    if not text:
        raise UnreadableDocument(given, "no text left after cleaning (empty document)")
    return [SourceText(given, resolved, digest, digest, text, fmt)]


def _read_bytes(given: str, path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableDocument(
                given, f"{size / 1e6:.0f} MB is larger than the {MAX_FILE_BYTES // 2**20} MiB limit for one document"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableDocument(given, "no such file") from None
    except IsADirectoryError:
        raise UnreadableDocument(given, "is a directory") from None
    except PermissionError:
        raise UnreadableDocument(given, "permission denied — check the file's read permission") from None
    except OSError as exc:
        raise UnreadableDocument(given, f"cannot read: {exc.strerror or exc}") from None


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "template"]):
        tag.decompose()
    root = soup.body or soup
    return root.get_text("\n")


def _csv_rows(text: str, given: str) -> list[dict[str, str]]:
    try:
        return list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise UnreadableDocument(given, f"not a readable CSV table: {exc}") from None


def _jsonl_rows(text: str, given: str) -> list[dict[str, str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UnreadableDocument(given, f"line {number} is not JSON: {exc.msg}") from None
        if not isinstance(row, dict):
            raise UnreadableDocument(given, f"line {number} is not a JSON object")
        rows.append({str(k): "" if v is None else str(v) if not isinstance(v, list) else "、".join(map(str, v))
                     for k, v in row.items()})
    return rows


def _table_texts(
    given: str, resolved: str, digest: str, fmt: Format, rows: list[dict[str, str]], columns: dict[str, list[str]]
) -> Iterator[SourceText]:
    if not rows:
        raise UnreadableDocument(given, "the table has no rows")
    header = list(rows[0].keys())
    if not columns:
        columns = {key: [key] for key in COLUMN_KEYS if key in header}
        if "body" not in columns:
            raise UnreadableDocument(
                given, f"a table needs --columns to say which column is the text, e.g. "
                f"--columns id={header[0]},body={header[-1]}; its columns are: {', '.join(header)}"
            )
    if "body" not in columns:
        raise UsageError("--columns must map `body` to the column(s) holding the document text")
    missing = [c for cols in columns.values() for c in cols if c not in header]
    if missing:
        raise UnreadableDocument(
            given, f"no column {', '.join(missing)} in this table; its columns are: {', '.join(header)}"
        )
    for number, row in enumerate(rows, 1):
        fields = {key: "\n\n".join((row.get(c) or "").strip() for c in cols).strip() for key, cols in columns.items()}
        body = clean_text(fields.pop("body"))
        if not body:
            continue
        row_id = fields.pop("id", "") or str(number)
        fields = {k: clean_text(v) for k, v in fields.items() if v}
        identity = json.dumps([row_id, body, fields], ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield SourceText(f"{given}#{row_id}", resolved, digest, content_id(identity), body, fmt, fields)
