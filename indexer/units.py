"""From a parsed :class:`Document` to the units the index holds: the document and its clauses."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from corpus.citations import family_key, title_key
from corpus.model import Document
from corpus.validity import validity_window
from indexer.schema import BIGRAM_FIELDS, OPEN_END, OPEN_START

_DOC_NUMBER = re.compile(r"^(?P<org>.+?)〔(?P<year>\d{4})〕(?P<seq>\d+)号$")


def version_key(file_key: str, digest: str) -> str:
    """The term that says "this file, with this content, is indexed"."""
    return f"{digest}:{file_key}"


def doc_number_parts(doc_number: str | None) -> dict[str, Any]:
    """机关代字, year and 序号 of a normalised 发文字号: 深府办〔2020〕4号 → 深府办, 2020, 4."""
    m = _DOC_NUMBER.match(doc_number or "")
    if not m:
        return {}
    return {"docno_org": m["org"], "docno_year": int(m["year"]), "docno_seq": m["seq"]}


def _keywords(values: list[str]) -> str:
    return ",".join(v.replace(",", "，").strip() for v in values if v and v.strip())


def document_units(doc: Document, file_key: str, digest: str) -> Iterator[dict[str, Any]]:
    """The field values of the document unit, then of each clause unit, ready for Whoosh."""
    valid_from, valid_until = validity_window(doc)
    shared: dict[str, Any] = {
        "doc_id": doc.id,
        "file": file_key,
        "source": doc.source,
        "doc_type": doc.doc_type,
        "issuing_body": doc.issuing_body or "",
        "date": doc.date or "",
        "valid_from": valid_from or OPEN_START,
        "valid_until": valid_until or OPEN_END,
        "display": {"title": doc.title, "source": doc.source},
        "family": family_key(doc.title) if not doc.title_derived else doc.id,
    }
    if doc.date:
        shared["year"] = int(doc.date[:4])
    record = doc.to_record()
    for clause in record["clauses"]:
        clause.pop("text", None)
    cited = [title_key(c.title) for c in doc.citations] + [c.doc_number for c in doc.citations if c.doc_number]
    unit: dict[str, Any] = {
        **shared,
        "unit_id": doc.id,
        "kind": "doc",
        "clause_path": "",  # every unit writes every column, so no segment lacks one
        "file_version": version_key(file_key, digest),
        "title": "" if doc.title_derived else doc.title,
        "title_key": title_key(doc.title) if not doc.title_derived else "",
        "body": doc.body,
        "record": json.dumps(record, ensure_ascii=False),
        "doc_number": doc.doc_number or "",
        "index_number": doc.index_number or "",
        "proposal_number": doc.proposal_number or "",
        "session": doc.session or "",
        "proposers": _keywords(doc.proposers),
        "cites": _keywords(cited),
        **doc_number_parts(doc.doc_number),
    }
    _add_bigram_fields(unit)
    if doc.amounts:
        unit["amount"] = [float(a.yuan) for a in doc.amounts]
    yield unit
    amounts: dict[str, list[float]] = {}
    for amount in doc.amounts:
        if amount.clause:
            amounts.setdefault(amount.clause, []).append(float(amount.yuan))
    headings: dict[str, str] = {}
    for clause in doc.clauses:
        headings[clause.path] = clause.title
        parts = clause.path.split("/")[:-1]
        parents = [headings.get("/".join(parts[: i + 1]), "") for i in range(len(parts))]
        unit = {
            **shared,
            "unit_id": f"{doc.id}#{clause.path}",
            "kind": "clause",
            "clause_path": clause.path,
            "text": clause.text,
            "context": " ".join([doc.title, *parents]).strip(),
        }
        if clause.path in amounts:
            unit["amount"] = amounts[clause.path]
        _add_bigram_fields(unit)
        yield unit


def _add_bigram_fields(unit: dict[str, Any]) -> None:
    """Give each main text field's bigram twin the same text (the twin only indexes it)."""
    for source, twin in BIGRAM_FIELDS.items():
        if unit.get(source):
            unit[twin] = unit[source]
