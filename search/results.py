"""What a search answers: its hits, best first, each a document or one clause of one."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from corpus.validity import IN_FORCE
from indexer.units import relative_source
from search.versions import Version


@dataclass
class Hit:
    """One result: a document, or one clause of a document."""

    rank: int
    id: str
    unit_id: str
    source: str
    title: str
    doc_type: str
    issuing_body: str | None
    date: str | None
    clause: str | None
    score: float
    snippet: str
    snippet_segments: list[tuple[str, bool]] = field(default_factory=list)
    status: str | None = IN_FORCE  # None: a text without a period of force (a reply)
    versions: list[Version] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)  # the other files that hold the same text
    relative_copies: list[str] = field(default_factory=list)  # the same, as the page and the API show them
    relative_source: str = ""  # the source inside the folder that was ingested (see shown_source)
    valid_from: str | None = None  # the first day in force, when known
    valid_until: str | None = None  # the first day no longer in force (its own end, or a repeal)
    matched: list[str] = field(default_factory=lambda: ["words"])  # what found it: words, meaning

    def to_json(self, relative: bool = False) -> dict[str, Any]:
        """The object of `search --json` (spec/record.md), plus status, other versions, copies and
        what found it; with ``relative``, its source is the one inside the folder ingested (the JSON API's)."""
        return {
            "rank": self.rank, "id": self.id, "source": self.relative_source if relative else self.source,
            "title": self.title,
            "doc_type": self.doc_type, "issuing_body": self.issuing_body, "date": self.date,
            "clause": self.clause, "score": round(self.score, 4), "snippet": self.snippet,
            "status": self.status, "versions": [v.to_json() for v in self.versions],
            "copies": list(self.relative_copies if relative else self.copies),
            "matched": self.matched,
        }


def shown_source(display: dict[str, str]) -> str:
    """A unit's source as the page and the API show it: inside the folder or table that was
    ingested (indexer.units.document_units), or its file name for an index made before that."""
    return display.get("relative") or relative_source(display["source"])


@dataclass
class SearchResults:
    """The hits of one query, best first, and how many matched in all."""

    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]] | None = None
    mode: str = "lexical"  # how it was ranked: lexical, hybrid or semantic
    # of a text compared with the index (similar): the indexed documents that hold it, left out of
    # the hits: [{"id", "title", "source", "relative_source"}]
    already_indexed: list[dict[str, str]] = field(default_factory=list)
