"""Typed documents: what `corpus` understands of a text, and the JSON record of the spec."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus.kinds import DOC_TYPES

__all__ = ["DOC_TYPES", "Amount", "Citation", "Clause", "Commitment", "Document"]


@dataclass(frozen=True)
class Clause:
    """One numbered heading or article. ``path`` joins labels from the top down: ``三/(一)/1``."""

    path: str
    label: str
    title: str
    text: str

    @property
    def depth(self) -> int:
        return self.path.count("/") + 1


@dataclass(frozen=True)
class Amount:
    """A money amount written with 元, its value in yuan and what it is (cap, floor, grant…)."""

    clause: str | None
    text: str
    yuan: float
    kind: str = "other"


@dataclass(frozen=True)
class Citation:
    """Another document named in 《》, with the 文号 that follows it where there is one."""

    title: str
    doc_number: str | None = None
    resolved_id: str | None = None
    clause: str | None = None  # the article named right after the title: 《…》第十条
    repeals: bool = False  # the text repeals it: 《…》同时废止, 决定废止《…》


@dataclass(frozen=True)
class Commitment:
    """One thing a reply promises: its text (an item or a sentence), who commits, the clause
    that holds it, a deadline (ISO date) with the words that state it, and how it was found
    (``section``: an item of a 下一步 section; ``sentence``: a future-tense sentence)."""

    text: str
    body: str | None
    clause: str | None
    deadline: str | None = None
    deadline_text: str | None = None
    found_in: str = "sentence"


@dataclass
class Document:
    """A parsed document. ``body`` is the cleaned full text; everything else is read from it."""

    id: str
    source: str
    title: str
    body: str
    doc_type: str = "其他"
    issuing_body: str | None = None
    issuers: list[str] = field(default_factory=list)  # every issuer, the lead (issuing_body) first
    date: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    proposal_number: str | None = None
    proposal_title: str | None = None
    session: str | None = None
    proposers: list[str] = field(default_factory=list)
    effective_date: str | None = None
    valid_years: float | None = None
    clauses: list[Clause] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)  # what a reply promises (corpus.commitments)
    # True when the title was made from the first line of a table row (not a real title):
    # shown to users, not indexed as a title.
    title_derived: bool = False

    def to_record(self, with_body: bool = False) -> dict[str, Any]:
        """The JSON object of `parse --json` (spec/record.md); keys are never renamed."""
        record: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "doc_type": self.doc_type,
            "issuing_body": self.issuing_body,
            "issuers": list(self.issuers),
            "date": self.date,
            "doc_number": self.doc_number,
            "index_number": self.index_number,
            "proposal_number": self.proposal_number,
            "proposal_title": self.proposal_title,
            "session": self.session,
            "proposers": list(self.proposers),
            "effective_date": self.effective_date,
            "valid_years": self.valid_years,
            "clauses": [
                {"path": c.path, "label": c.label, "title": c.title, "text": c.text} for c in self.clauses
            ],
            "amounts": [
                {"clause": a.clause, "text": a.text, "yuan": a.yuan, "kind": a.kind} for a in self.amounts
            ],
            "citations": [
                {"title": c.title, "doc_number": c.doc_number, "resolved_id": c.resolved_id, "clause": c.clause,
                 "repeals": c.repeals}
                for c in self.citations
            ],
            "commitments": [
                {"text": c.text, "body": c.body, "clause": c.clause, "deadline": c.deadline,
                 "deadline_text": c.deadline_text, "found_in": c.found_in}
                for c in self.commitments
            ],
        }
        if with_body:
            record["body"] = self.body
        return record
