"""From a parsed :class:`Document` to the units the index holds: the document and its clauses."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from corpus.citations import family_key, title_key
from corpus.clauses import cited_path
from corpus.model import Amount, Clause, Document
from corpus.sameness import document_fingerprint
from corpus.validity import validity_window
from indexer.schema import AMOUNT_FIELDS, AMOUNT_GROUPS, BIGRAM_FIELDS, OPEN_END, OPEN_START

_DOC_NUMBER = re.compile(r"^(?P<org>.+?)〔(?P<year>\d{4})〕(?P<seq>\d+)号$")


def relative_source(source: str) -> str:
    """What may be shown of a source whose folder is not known: its file name (and row)."""
    return re.split(r"[\\/]", source)[-1]


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


def document_units(doc: Document, file_key: str, digest: str,
                   relative: str | None = None) -> Iterator[dict[str, Any]]:
    """The field values of the document unit, then of each clause unit, ready for Whoosh.

    ``relative``: the source inside the folder that was ingested (``2023/plan.txt``,
    ``replies.csv#A002``), which the page and the API show instead of the source as given.
    """
    valid_from, valid_until = validity_window(doc)
    fingerprint = document_fingerprint(doc.title, doc.body) or doc.id
    shared: dict[str, Any] = {
        "doc_id": doc.id,
        "file": file_key,
        "source": doc.source,
        "doc_type": doc.doc_type,
        "issuing_body": doc.issuing_body or "",
        "co_issuers": _keywords([i for i in doc.issuers if i != doc.issuing_body]),
        "date": doc.date or doc.effective_date or "",
        "date_basis": "effective" if doc.effective_date and not doc.date else "",
        "valid_from": valid_from or OPEN_START,
        "valid_until": valid_until or OPEN_END,
        "display": {"title": doc.title, "source": doc.source, "relative": relative or relative_source(doc.source)},
        "family": family_key(doc.title) if not doc.title_derived else doc.id,
        "content": fingerprint,
        # files of one text share it; rows of tables are records of their own (sixteen replies saying
        # only 网友您好，留言已收悉 are sixteen answers), a row is a copy only of itself ingested again
        "copy_key": fingerprint if doc.id == digest else doc.id,
    }
    if shared["date"]:
        shared["year"] = int(shared["date"][:4])
    amounts: dict[str, list[Amount]] = {}  # by the clause unit that holds them
    for amount in doc.amounts:
        if amount.clause:
            amounts.setdefault(cited_path(amount.clause), []).append(amount)
    units = clause_units(doc.clauses, keep=frozenset(amounts))
    record = doc.to_record()
    kept_whole = {(clause.path, text) for clause, text in units if text == clause.text}
    for clause in record["clauses"]:
        if (clause["path"], clause["text"]) in kept_whole:  # its unit stores the text (shown from there)
            del clause["text"]
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
        "repeals": _keywords([family_key(c.title) for c in doc.citations if c.repeals]),
        **doc_number_parts(doc.doc_number),
    }
    _add_bigram_fields(unit)
    unit.update(amount_fields((a.yuan, a.kind) for a in doc.amounts))
    if doc.amounts:
        unit["display"] = {**unit["display"], "amounts": [_shown(a) for a in doc.amounts]}
    yield unit
    headings = {clause.path: clause.title for clause in doc.clauses}
    for clause, text in units:
        parts = clause.path.split("/")[:-1]
        parents = [headings.get("/".join(parts[: i + 1]), "") for i in range(len(parts))]
        unit = {
            **shared,
            "unit_id": f"{doc.id}#{clause.path}",
            "kind": "clause",
            "clause_path": clause.path,
            "text": text,
            "context": " ".join([doc.title, *parents]).strip(),
        }
        if clause.path in amounts:
            unit.update(amount_fields((a.yuan, a.kind) for a in amounts[clause.path]))
            unit["display"] = {**unit["display"], "amounts": [_shown(a) for a in amounts[clause.path]]}
        _add_bigram_fields(unit)
        yield unit


def amount_fields(amounts: Iterable[tuple[float, str]]) -> dict[str, list[float]]:
    """The amount fields of a unit holding ``amounts`` (yuan, kind): every one, and each kind's
    group. The embedded index and a remote engine's units are filled by this one rule."""
    amounts = list(amounts)
    if not amounts:
        return {}
    fields = {"amount": [float(yuan) for yuan, _ in amounts]}
    for group, kinds in AMOUNT_GROUPS.items():
        values = [float(yuan) for yuan, kind in amounts if kind in kinds]
        if values:
            fields[AMOUNT_FIELDS[group]] = values
    return fields


def _shown(amount: Amount) -> dict[str, Any]:
    return {"text": amount.text, "yuan": amount.yuan, "kind": amount.kind}


def clause_units(clauses: list[Clause], keep: frozenset[str] = frozenset()) -> list[tuple[Clause, str]]:
    """The clauses that are units of their own, each with the text its unit holds.

    An article (第X条) holds its items and paragraphs, as it is cited: a question about a
    penalty finds 第九十一条, not its item (二) alone. Every other clause holds its own text.
    A bare heading over clauses of its own (第二章 商标注册的申请, 三、重点工作) is no unit:
    its words are in its clauses' context. Clauses in ``keep`` (those holding amounts) stay.
    """
    holders = [cited_path(clause.path) for clause in clauses]
    units: list[tuple[Clause, str]] = []
    for n, clause in enumerate(clauses):
        if holders[n] != clause.path:
            if units and units[-1][0].path == holders[n]:
                units[-1] = (units[-1][0], f"{units[-1][1]}\n{clause.text}")
            continue
        following = clauses[n + 1].path if n + 1 < len(clauses) else ""
        heads_others = following.startswith(clause.path + "/") and holders[n + 1] != clause.path
        if heads_others and _bare_heading(clause) and clause.path not in keep:
            continue
        units.append((clause, clause.text))
    return units


def _bare_heading(clause: Clause) -> bool:
    """Whether a clause's text is its heading line and nothing more: number, title, a stop."""
    text = clause.text.strip()
    return "\n" not in text and len(text) <= len(clause.label) + len(clause.title) + 2


def _add_bigram_fields(unit: dict[str, Any]) -> None:
    """Give each main text field's bigram twin the same text (the twin only indexes it)."""
    for source, twin in BIGRAM_FIELDS.items():
        if unit.get(source):
            unit[twin] = unit[source]
