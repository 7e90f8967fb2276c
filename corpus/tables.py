"""Tables whose rows are documents: CSV, JSON Lines and Excel (.xlsx) exports of proposal systems.

``--columns`` says which column is which field (``id=留言编号,body=答复意见``); each row with a
body becomes a source text whose ``source`` is ``<file>#<id>``. Excel files are read with
openpyxl in read-only mode (rows streamed, values as last saved, not formulas), first sheet.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from corpus.clean import clean_text
from corpus.encoding import decode_bytes
from corpus.source import COLUMN_KEYS, Format, SourceText, content_id
from errors import UnreadableDocument, UsageError


@dataclass
class Table:
    """A table's column names, in order, and its rows as {column: text}."""

    header: list[str]
    rows: list[dict[str, str]]


def read_table(kind: str, data: bytes, given: str, encoding: str | None = None) -> Table:
    """Read a ``csv``, ``jsonl`` or ``xlsx`` table."""
    if kind == "xlsx":
        return _xlsx_table(data, given)
    text = decode_bytes(data, given, encoding)
    return _csv_table(text, given) if kind == "csv" else _jsonl_table(text, given)


def _csv_table(text: str, given: str) -> Table:
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [name.strip() if name else "" for name in reader.fieldnames or []]
        reader.fieldnames = header
        rows = [{k: v if isinstance(v, str) else "" for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as exc:
        raise UnreadableDocument(given, f"not a readable CSV table: {exc}") from None
    return Table(header, rows)


def _jsonl_table(text: str, given: str) -> Table:
    rows = []
    header: dict[str, None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise UnreadableDocument(given, f"line {number} is not JSON: {reason}") from None
        if not isinstance(row, dict):
            raise UnreadableDocument(given, f"line {number} is not a JSON object")
        cells = {str(k): _json_cell(v) for k, v in row.items()}
        header.update(dict.fromkeys(cells))
        rows.append(cells)
    return Table(list(header), rows)


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(_json_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _xlsx_table(data: bytes, given: str) -> Table:
    from corpus.archive import open_zip

    open_zip(data, given, "Excel .xlsx").close()
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise UnreadableDocument(given, "the workbook has no sheets")
            rows = [[_xlsx_cell(v) for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    except UnreadableDocument:
        raise
    except Exception as exc:  # noqa: BLE001 — a hostile file can make openpyxl raise anything
        raise UnreadableDocument(given, f"not a readable Excel .xlsx file ({_describe(exc)})") from None
    rows = [row for row in rows if any(row)]
    if not rows:
        return Table([], [])
    header = [h.strip() for h in rows[0]]
    return Table(header, [dict(zip(header, row)) for row in rows[1:]])


def _xlsx_cell(value: Any) -> str:
    """A cell as text: numbers without a spurious .0 (ids are often numbers), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().split("\n")[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def table_texts(
    given: str, resolved: str, digest: str, fmt: Format, table: Table, columns: dict[str, list[str]]
) -> Iterator[SourceText]:
    """One source text per row with a body, its mapped columns as preset fields."""
    if not table.rows:
        raise UnreadableDocument(given, "the table has no rows")
    header = [h for h in table.header if h]
    if not columns:
        columns = {key: [key] for key in COLUMN_KEYS if key in header}
        if "body" not in columns:
            raise UnreadableDocument(
                given, f"a table needs --columns to say which column is the text, e.g. "
                f"--columns id={_first(header)},body={_last(header)}; its columns are: {', '.join(header)}"
            )
    if "body" not in columns:
        raise UsageError("--columns must map `body` to the column(s) holding the document text")
    missing = [c for cols in columns.values() for c in cols if c not in header]
    if missing:
        raise UnreadableDocument(
            given, f"no column {', '.join(missing)} in this table; its columns are: {', '.join(header)}"
        )
    for number, row in enumerate(table.rows, 1):
        fields = {key: "\n\n".join((row.get(c) or "").strip() for c in cols).strip() for key, cols in columns.items()}
        body = clean_text(fields.pop("body"))
        if not body:
            continue
        row_id = fields.pop("id", "") or str(number)
        fields = {k: clean_text(v) for k, v in fields.items() if v}
        identity = json.dumps([row_id, body, fields], ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield SourceText(f"{given}#{row_id}", resolved, digest, content_id(identity), body, fmt, fields)


def _first(names: Iterable[str]) -> str:
    return next(iter(names), "ID")


def _last(names: list[str]) -> str:
    return names[-1] if names else "TEXT"
