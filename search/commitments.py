"""The commitments of the indexed replies, searchable on their own: what was promised, by whom,
when, by what deadline — each linked to its reply and clause.

The commitments are read at ingest into each reply's record (corpus.commitments); this module
gathers them once per opened index and ranks them for a query by BM25 over their words and
character bigrams (the index's own segmenter), with filters on the committing body and the
deadline, and facets by body and year.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from whoosh import query as Q

from corpus.citations import title_key
from corpus.kinds import REPLY_TYPES, strip_notes
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
    found_in: str = "sentence"  # section: an item of a 下一步 section; sentence: a sentence elsewhere
    score: float = 0.0
    follow_through: dict[str, Any] | None = None  # see Commitments.follow_through

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Issued:
    """An indexed document that is not a reply: what a promise to issue one is checked against."""

    doc_id: str
    title: str
    key: str
    body: str
    date: str


# A document a commitment promises to issue: by its title (印发《…》) or by its kind (出台…办法).
_NAMED_TITLE = re.compile(r"(?:印发|出台|制定|发布|颁布|编制|修订)(?:出台|印发|发布)?《([^《》]{4,80})》")
_NAMED_KIND = re.compile(
    r"(?:印发|出台|制定|发布|颁布|编制)(?:出台|印发)?(?:了)?([\u4e00-\u9fff“”（）()\d—-]{2,40}?"
    r"(?:办法|方案|措施|规划|计划|意见|政策|细则|规定|指引|条例))"
)
# The query language's way to ask for commitments: 范围:承诺 (with 机关:… and 期限:<YYYY-MM-DD).
_SCOPE = re.compile(r"(?:^|(?<=\s))(?:范围|scope)[:：](?:承诺|commitments?)(?=\s|$)")
_BY = re.compile(r"(?:^|(?<=\s))(?:机关|issuer|单位)[:：](\S+)")
_DUE = re.compile(r"(?:^|(?<=\s))(?:期限|due)[:：]<(\S+)")
_YEAR = re.compile(r"(?:^|(?<=\s))(?:年份|year)[:：](\d{4})(?=\s|$)")
OVERDUE = "已逾期未见落实"
DELIVERED = "已落实"


@dataclass
class CommitmentResults:
    total: int
    hits: list[CommitmentHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "hits": [h.to_json() for h in self.hits],
                "facets": {name: [{"value": v, "count": n} for v, n in values] for name, values in self.facets.items()}}


@dataclass(frozen=True)
class CommitmentQuery:
    """A query of the query language asking for commitments: its words and filters."""

    words: str
    by: str | None = None
    due_before: str | None = None
    year: str | None = None


def commitment_query(text: str) -> CommitmentQuery | None:
    """What ``范围:承诺 停车 机关:街道 期限:<2024-01-01`` asks; None when it asks for documents."""
    if not _SCOPE.search(text):
        return None
    by, due, year = _BY.search(text), _DUE.search(text), _YEAR.search(text)
    words = _YEAR.sub(" ", _DUE.sub(" ", _BY.sub(" ", _SCOPE.sub(" ", text))))
    return CommitmentQuery(" ".join(words.split()), by.group(1) if by else None, due.group(1) if due else None,
                           year.group(1) if year else None)


class Commitments:
    """Every commitment of an opened index's replies, with their terms for ranking."""

    def __init__(self, state: Any) -> None:
        self.state = state
        self._items: list[CommitmentHit] | None = None
        self._terms: list[Counter[str]] = []
        self._df: Counter[str] = Counter()
        self._issued: list[_Issued] | None = None
        self._by_reply: dict[str, list[CommitmentHit]] = {}

    def all(self) -> list[CommitmentHit]:
        if self._items is None:
            self._load()
        return self._items or []

    def _load(self) -> None:
        """Read the replies' commitments from their stored records (replies alone are read)."""
        items: list[CommitmentHit] = []
        replies = Q.And([Q.Term("kind", "doc"), Q.Or([Q.Term("doc_type", t) for t in REPLY_TYPES])])
        for docnum in sorted(self.state.docs(replies)):
            record = json.loads(self.state.reader.stored_fields(docnum).get("record") or "{}")
            for c in record.get("commitments") or []:
                items.append(CommitmentHit(
                    text=c["text"], body=c.get("body"), deadline=c.get("deadline"),
                    deadline_text=c.get("deadline_text"), clause=c.get("clause"), reply_id=record["id"],
                    reply_title=record.get("title") or "", reply_date=record.get("date"),
                    proposal_number=record.get("proposal_number"), session=record.get("session"),
                    found_in=c.get("found_in") or "sentence"))
        items.sort(key=lambda h: (h.reply_date or "", h.reply_id), reverse=True)
        by_reply: dict[str, list[CommitmentHit]] = {}
        for hit in items:
            by_reply.setdefault(hit.reply_id, []).append(hit)
        self._terms = [Counter(self._words(h.text)) for h in items]
        self._df = Counter(t for terms in self._terms for t in terms)
        self._by_reply = by_reply
        self._items = items  # last: another thread takes a set _items as everything loaded

    def _issued_documents(self) -> list[_Issued]:
        """The indexed documents that are not replies (read once, when a commitment names one)."""
        if self._issued is None:
            others = Q.And([Q.Term("kind", "doc"), Q.Not(Q.Or([Q.Term("doc_type", t) for t in REPLY_TYPES]))])
            issued = []
            for docnum in sorted(self.state.docs(others)):
                stored = self.state.reader.stored_fields(docnum)
                title = (stored.get("display") or {}).get("title") or ""
                issued.append(_Issued(stored["doc_id"], title, title_key(strip_notes(title)) if title else "",
                                      stored.get("issuing_body") or "", stored.get("date") or ""))
            self._issued = issued
        return self._issued

    def _words(self, text: str) -> list[str]:
        words = ranked_terms(self.state.tokenizer, text)
        compact = "".join(text.split())
        return words + [compact[i:i + 2] for i in range(len(compact) - 1)]

    def search(self, query: str, *, by: str | None = None, due_before: str | None = None,
               reply: str | None = None, limit: int = 10, exclude_reply: str | None = None,
               today: str | None = None, year: str | None = None) -> CommitmentResults:
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
            if year and not (hit.reply_date or "").startswith(year):
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
        hits = [CommitmentHit(**{**asdict(items[n]), "score": round(s, 4),
                                 "follow_through": self.follow_through(items[n], today)}) for s, n in chosen[:limit]]
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

    def of_reply(self, reply_id: str, today: str | None = None) -> list[CommitmentHit]:
        """A reply's commitments, with their follow-through."""
        self.all()
        return [CommitmentHit(**{**asdict(h), "follow_through": self.follow_through(h, today)})
                for h in self._by_reply.get(reply_id, [])]

    def of_replies(self, reply_ids: list[str], per_reply: int = 4, replies: int = 3,
                   today: str | None = None) -> list[CommitmentHit]:
        """The commitments made on the same matter: those of the first ``replies`` of
        ``reply_ids`` (ranked replies, best first) that made any, ``per_reply`` of each."""
        self.all()
        found: list[CommitmentHit] = []
        used = 0
        for reply_id in dict.fromkeys(reply_ids):  # a reply's 下一步 items first: what it set out to do
            own = sorted(self.of_reply(reply_id, today), key=lambda h: h.found_in != "section")[:per_reply]
            if own:
                found += own
                used += 1
            if used == replies:
                break
        return found

    def follow_through(self, hit: CommitmentHit, today: str | None = None) -> dict[str, Any] | None:
        """What the index can tell of a commitment that names a document to issue (印发《…》,
        出台…办法): ``已落实`` with the document when one of that title, or of that kind and
        subject, by the committing body, dated after the reply, is indexed; ``已逾期未见落实``
        when its deadline is past and none is; None otherwise (no status is invented)."""
        if self._items is None:
            self._load()
        named = [(m.group(1), True) for m in _NAMED_TITLE.finditer(hit.text)]
        named += [(m.group(1), False) for m in _NAMED_KIND.finditer(hit.text) if "《" not in m.group(0)]
        if not named:
            return None
        for name, is_title in named:
            found = self._issued_after(name, is_title, hit)
            if found:
                return {"status": DELIVERED, "named": name, "document": {"id": found.doc_id, "title": found.title,
                                                                         "date": found.date or None}}
        day = today or dt.date.today().isoformat()
        if hit.deadline and hit.deadline < day:
            return {"status": OVERDUE, "named": named[0][0], "document": None}
        return None

    def _issued_after(self, name: str, is_title: bool, hit: CommitmentHit) -> _Issued | None:
        key = title_key(strip_notes(name))
        core = re.sub(r"^(?:新的|一批|相关|我区|我市|本市|全市|全区)", "", name)
        for doc in self._issued_documents():
            if hit.reply_date and doc.date and doc.date < hit.reply_date:
                continue
            if not _same_body(hit.body, doc.body):
                continue
            if is_title and key and (doc.key == key or key in doc.key):
                return doc
            if not is_title and len(core) >= 6 and core in doc.title:
                return doc
        return None


def _same_body(committing: str | None, issuer: str) -> bool:
    """Whether a document's issuer may be the committing body (one name holds the other's core;
    a commitment whose body is not known is checked against any issuer)."""
    if not committing or not issuer:
        return True
    strip = re.compile(r"^(?:深圳市|广东省|[\u4e00-\u9fff]{2,3}[市区县])")
    a, b = strip.sub("", committing), strip.sub("", issuer)
    return a in b or b in a or committing in issuer or issuer in committing
