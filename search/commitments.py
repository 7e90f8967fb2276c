"""The commitments of the indexed replies, searchable on their own: what was promised, by whom,
when, by what deadline — each linked to its reply and clause.

The commitments are read at ingest into each reply's record (corpus.commitments); this module
gathers them once per opened index and ranks them for a query by BM25 over their words and
character bigrams (the index's own segmenter), with filters on the committing body and the
deadline, and facets by body and year.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.kinds import REPLY_TYPES
from indexer.analysis import ranked_terms

_K1, _B = 1.2, 0.75


@dataclass(frozen=True)
class CommitmentHit:
    """One commitment found: its text, body, deadline and clause, and the reply that made it."""

    text: str
    body: str | None
    deadline: str | None
    deadline_text: str | None
    clause: str | None
    reply_id: str
    reply_title: str
    reply_date: str | None
    proposal_number: str | None
    session: str | None
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CommitmentResults:
    total: int
    hits: list[CommitmentHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "hits": [h.to_json() for h in self.hits],
                "facets": {name: [{"value": v, "count": n} for v, n in values] for name, values in self.facets.items()}}


class Commitments:
    """Every commitment of an opened index's replies, with their terms for ranking."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self._items: list[CommitmentHit] | None = None
        self._terms: list[Counter[str]] = []
        self._df: Counter[str] = Counter()

    def all(self) -> list[CommitmentHit]:
        if self._items is None:
            self._load()
        return self._items or []

    def _load(self) -> None:
        items: list[CommitmentHit] = []
        reader = self.state.reader
        for docnum in range(reader.doc_count_all()):
            if reader.is_deleted(docnum):
                continue
            stored = reader.stored_fields(docnum)
            if stored.get("kind") != "doc" or stored.get("doc_type") not in REPLY_TYPES:
                continue
            record = json.loads(stored.get("record") or "{}")
            for c in record.get("commitments") or []:
                items.append(CommitmentHit(
                    text=c["text"], body=c.get("body"), deadline=c.get("deadline"),
                    deadline_text=c.get("deadline_text"), clause=c.get("clause"), reply_id=record["id"],
                    reply_title=record.get("title") or "", reply_date=record.get("date"),
                    proposal_number=record.get("proposal_number"), session=record.get("session")))
        items.sort(key=lambda h: (h.reply_date or "", h.reply_id), reverse=True)
        self._terms = [Counter(self._words(h.text)) for h in items]
        self._df = Counter(t for terms in self._terms for t in terms)
        self._items = items

    def _words(self, text: str) -> list[str]:
        words = ranked_terms(self.state.tokenizer, text)
        compact = "".join(text.split())
        return words + [compact[i:i + 2] for i in range(len(compact) - 1)]

    def search(self, query: str, *, by: str | None = None, due_before: str | None = None,
               reply: str | None = None, limit: int = 10, exclude_reply: str | None = None) -> CommitmentResults:
        """The commitments matching ``query`` (all when it is empty), best first; ``by`` keeps
        those whose body contains it, ``due_before`` those with a deadline before that day."""
        items = self.all()
        scores = self._scores(query) if query.strip() else [0.0] * len(items)
        chosen = []
        for n, hit in enumerate(items):
            if query.strip() and scores[n] <= 0:
                continue
            if by and not (hit.body and by in hit.body):
                continue
            if due_before and not (hit.deadline and hit.deadline < due_before):
                continue
            if reply and hit.reply_id != reply:
                continue
            if exclude_reply and hit.reply_id == exclude_reply:
                continue
            chosen.append((scores[n], n))
        chosen.sort(key=lambda pair: (-pair[0], pair[1]))
        facets = {
            "body": Counter(items[n].body or "（未注明）" for _, n in chosen).most_common(20),
            "year": sorted(Counter((items[n].reply_date or "")[:4] or "（无日期）" for _, n in chosen).items(),
                           reverse=True),
        }
        hits = [CommitmentHit(**{**asdict(items[n]), "score": round(s, 4)}) for s, n in chosen[:limit]]
        return CommitmentResults(total=len(chosen), hits=hits, facets=facets)

    def _scores(self, query: str) -> list[float]:
        wanted = set(self._words(query))
        count = len(self._terms) or 1
        average = sum(sum(t.values()) for t in self._terms) / count if self._terms else 1.0
        scores = []
        for terms in self._terms:
            length = sum(terms.values())
            score = 0.0
            for term in wanted:
                tf = terms.get(term, 0)
                if tf:
                    df = self._df[term]
                    idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
                    score += idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / average))
            scores.append(score)
        return scores
