"""A document's full record from an index: its text, clauses, status, versions and repeals, its
citations resolved and what cites it."""
from __future__ import annotations

import json
from typing import Any

from whoosh import query as Q

from corpus.validity import last_day_in_force, record_dates
from errors import UnknownDocument
from search.citing import Citations
from search.history import History
from search.results import shown_source
from search.state import IndexState


class Records:
    """Documents of one open index, by id or source."""

    def __init__(self, state: IndexState, history: History, citations: Citations) -> None:
        self.state = state
        self.history = history
        self.citations = citations

    def document(self, doc_id: str, day: str) -> dict[str, Any]:
        """A document's full record (as `parse --json`) with its body, status and versions on
        ``day``, its citations resolved to indexed documents and clauses, and what cites it."""
        state = self.state
        docnum = self.unit(doc_id)
        stored = state.searcher.stored_fields(docnum)
        record = json.loads(stored["record"])
        texts = {}
        if record.get("clauses"):
            for d in state.docs(Q.And([Q.Term("doc_id", stored["doc_id"]), Q.Term("kind", "clause")])):
                clause = state.searcher.stored_fields(d)
                if clause["file"] == stored["file"]:  # the same text may sit in two files
                    texts[clause["clause_path"]] = clause.get("text", "")
        for clause in record.get("clauses", []):
            if "text" not in clause:  # kept by its clause unit (indexer.units.clause_units)
                clause["text"] = texts.get(clause["path"], "")
        for citation in record.get("citations", []):
            citation.update(self.citations.resolve(citation, day, record["id"]))
        record["body"] = stored.get("body", "")
        record["relative_source"] = shown_source(stored["display"])
        record["status"] = self.history.version(docnum, day).status
        record["valid_until"] = last_day_in_force(record_dates(record)) if record["status"] is not None else None
        record["versions"] = [v.to_json() for v in self.history.family_versions(docnum, day)]
        record["repealed_by"] = self.history.repealed_by(docnum)
        record["ends"] = self.history.ended(docnum)  # the first day no longer in force (已失效 from then)
        record["amended_by"] = self.history.amended_by(docnum, day)
        record["copies"] = self.history.copies(docnum)
        record["relative_copies"] = self.history.copies(docnum, relative=True)
        record["cited_by"] = self.citations.cited_by(record)
        return record

    def title_and_body(self, docnum: int) -> tuple[str, str]:
        """A document unit's title (as its record has it) and body, without the rest of its record."""
        stored = self.state.stored(docnum)
        return json.loads(stored["record"]).get("title") or "", stored.get("body") or ""

    def unit(self, doc_id: str) -> int:
        """The document unit for an id, a source as indexed, or the end of one (a file name)."""
        docs = self.state.docs
        for field_name in ("doc_id", "source"):
            found = docs(Q.And([Q.Term(field_name, doc_id), Q.Term("kind", "doc")]))
            if found:
                return min(found)
        ends = [s for s in self.state.field_values("source") if s.endswith("/" + doc_id) or s.endswith("#" + doc_id)]
        if len(ends) == 1:
            return min(docs(Q.And([Q.Term("source", ends[0]), Q.Term("kind", "doc")])))
        if len(ends) > 1:
            raise UnknownDocument(doc_id, f"`{doc_id}` names {len(ends)} documents — give its id or full source")
        raise UnknownDocument(doc_id)
