"""Citations between indexed texts: the document (and clause) a citation names, and the texts
that cite a document."""
from __future__ import annotations

from typing import Any

from whoosh import query as Q

from corpus.citations import PART, family_key, main_title, title_key
from search.history import History
from search.named import STATE
from search.state import IndexState
from search.versions import preference

CITED_BY_LIMIT = 50


class Citations:
    """Resolves citations to the units of one open index."""

    def __init__(self, state: IndexState, history: History) -> None:
        self.state = state
        self.history = history
        self._part_families: dict[str, list[str]] | None = None

    def resolve(self, citation: dict[str, Any], as_of: str, citing: str = "") -> dict[str, Any]:
        """The indexed document (and clause) a citation names: by 文号, else by title variants
        (with or without 中华人民共和国; a text split in parts, 中华人民共和国民法典·继承编, by its
        main title). Of several documents, the one holding the cited clause, else the preferred;
        never the citing document itself (a new version repealing its title cites the older)."""
        docs, column = self.state.docs, self.state.column
        candidates: set[int] = set()
        if citation.get("doc_number"):
            candidates = docs(Q.And([Q.Term("doc_number", citation["doc_number"]), Q.Term("kind", "doc")]))
        titles = [citation["title"]]
        if not citation["title"].startswith(STATE):
            titles.append(STATE + citation["title"])
        for title in titles:
            for field_name, key in (("title_key", title_key), ("family", family_key)):
                if not candidates:
                    candidates = docs(Q.And([Q.Term(field_name, key(title)), Q.Term("kind", "doc")]))
            parts = self._parts().get(family_key(title))
            if not candidates and parts:
                candidates = docs(Q.And([Q.Or([Q.Term("family", f) for f in parts]), Q.Term("kind", "doc")]))
        candidates = {d for d in candidates if column("doc_id")[d] != citing}
        if not candidates:
            return {"resolved_id": None, "resolved_clause": None}
        ranked = sorted(candidates, key=lambda d: preference(self.history.version(d, as_of)), reverse=True)
        label: str = citation.get("clause") or ""
        for docnum in ranked if label else []:
            doc_id = str(column("doc_id")[docnum])
            paths = sorted(column("clause_path")[d]
                           for d in docs(Q.And([Q.Term("doc_id", doc_id), Q.Term("kind", "clause")])))
            clause = next((p for p in paths if p == label or p.endswith("/" + label)), None)
            if clause:
                return {"resolved_id": doc_id, "resolved_clause": clause}
        return {"resolved_id": str(column("doc_id")[ranked[0]]), "resolved_clause": None}

    def cited_by(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        """The indexed documents citing the document of ``record``, newest first (CITED_BY_LIMIT at most)."""
        # cited by its title or, for a part (中华人民共和国民法典·继承编), its text's; with or without 中华人民共和国
        titles = {title_key(record["title"]), title_key(main_title(record["title"]))}
        keys = [Q.Term("cites", key) for title in titles for key in {title, title.removeprefix(STATE)} if key]
        if record.get("doc_number"):
            keys.append(Q.Term("cites", record["doc_number"]))
        column = self.state.column
        citing = self.state.docs(Q.And([Q.Or(keys), Q.Term("kind", "doc")]))
        out = []
        for d in sorted(citing, key=lambda d: column("date")[d], reverse=True)[:CITED_BY_LIMIT]:
            display = self.state.stored(d)["display"]
            out.append({"id": column("doc_id")[d], "title": display["title"], "source": display["source"],
                        "date": column("date")[d] or None})
        return [c for c in out if c["id"] != record["id"]]

    def _parts(self) -> dict[str, list[str]]:
        """The families of texts split in parts (中华人民共和国民法典·继承编), by the family of the
        whole text, found once."""
        if self._part_families is None:
            self._part_families = {}
            for family in self.state.field_values("family"):
                if PART in family:
                    self._part_families.setdefault(main_title(family), []).append(family)
        return self._part_families
