"""The skeleton of an answer letter, as data: its lines, sections and sources.

The skeleton has the genre's own form (title, salutation, receipt paragraph, one section per
suggestion, 下一步工作, closing, signature, date, 联系人/电话, 公开方式, 抄送) and holds nothing
invented. Each of its lines is one of:

* ``fixed`` — the genre's fixed wording, filled with the proposal's own particulars; the line
  keeps its ``template`` and ``facts`` so anyone can check it is exactly that;
* ``guide`` — a bracketed note to the writer (【参考条款：…】), also a fixed template;
* ``passage`` — a sentence or two quoted verbatim from an earlier reply that answered
  something similar, with its source;
* ``clause`` — a policy clause in force on the draft date, quoted verbatim, with its source
  (title, clause path, date, 文号, amounts, end of validity);
* ``reference`` — the same, of another place's policy: shown under 其他地区参考, never as a
  ground of the answer;
* ``placeholder`` — what the writer must supply: 【待填写：…】.

:mod:`search.drafting.compose` builds it; :mod:`search.drafting.markdown_letter` and
:mod:`search.drafting.docx_letter` render it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from corpus.kinds import REPLY_TYPES
from corpus.proposals import Proposal, Suggestion


def placeholder(what: str) -> str:
    """A visible gap the writer must fill: 【待填写：具体工作进展】."""
    return f"【待填写：{what}】"


PLACEHOLDER = re.compile(r"【待填写：[^】]*】")


@dataclass(frozen=True)
class Lapsed:
    """A policy a quoted passage or clause relies on that is no longer in force on the draft's
    day: since when, and the text in force after it, where the index holds one."""

    doc_id: str
    title: str
    status: str  # 已失效, or 已被修改 where a newer version has taken effect
    since: str | None  # its first day out of force
    successor: dict[str, str] | None = None  # {"id", "title"} of the text that took its place

    def label(self) -> str:
        """所引《…行动计划（2020—2024年）》已失效（2025-03-10起），后继：《…》."""
        since = f"（{self.since}起）" if self.since else ""
        after = f"，后继：《{self.successor['title']}》" if self.successor else ""
        return f"所引《{self.title}》{self.status}{since}{after}"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.doc_id, "title": self.title, "status": self.status, "since": self.since,
                "successor": self.successor}


@dataclass
class Source:
    """Where a quoted passage or clause comes from, as the writer needs it to cite it."""

    doc_id: str
    title: str
    source: str
    doc_type: str
    issuing_body: str | None
    date: str | None
    clause: str | None = None
    clause_title: str | None = None
    effective_date: str | None = None
    doc_number: str | None = None
    doc_number_cited_in: str | None = None  # the 文号 is not in the text itself but in this citing document
    status: str | None = None
    valid_until: str | None = None  # the last day in force, where the document states a period
    relative_source: str | None = None  # the source inside the folder that was ingested
    point: str | None = None  # where in a reply a passage sits, as a reader counts it: 第一部分第二点
    anchor: str | None = None  # the passage's place in its document, for a link (not a clause to cite)
    lapsed: list[Lapsed] = field(default_factory=list)  # policies it quotes no longer in force on the draft's day

    @property
    def is_letter(self) -> bool:
        return self.doc_type in REPLY_TYPES

    def date_text(self) -> str:
        """The date a reader cites: its own, else the day it took effect; a letter without one is
        unsigned (未署日期), not of an unknown date."""
        if self.date:
            return self.date
        if self.effective_date:
            return f"自{self.effective_date}起施行"
        return "落款未署日期" if self.is_letter else "日期不详"

    def label(self) -> str:
        """One line for a reader: 《深圳市…行动计划（2020—2024年）》三/(一)/2，2020-03-10，深府办〔2020〕4号."""
        parts = [f"《{self.title}》" + (self.clause or self.point or "")]
        if self.issuing_body:
            parts.append(self.issuing_body)
        parts.append(self.date_text())
        if self.doc_number:
            parts.append(self.doc_number + (f"（见《{self.doc_number_cited_in}》所引）" if self.doc_number_cited_in else ""))
        if self.valid_until:
            parts.append(f"有效期至{self.valid_until}")
        parts += [lapsed.label() for lapsed in self.lapsed]
        return "，".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.doc_id, "title": self.title, "source": self.source, "doc_type": self.doc_type,
            "issuing_body": self.issuing_body, "date": self.date, "clause": self.clause,
            "clause_title": self.clause_title, "effective_date": self.effective_date, "doc_number": self.doc_number,
            "doc_number_cited_in": self.doc_number_cited_in, "status": self.status,
            "valid_until": self.valid_until, "relative_source": self.relative_source, "point": self.point,
            "anchor": self.anchor, "lapsed": [lapsed.to_json() for lapsed in self.lapsed], "label": self.label(),
        }


@dataclass
class Passage:
    """A sentence or two of an earlier reply, verbatim."""

    text: str
    source: Source
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source.to_json(), "score": round(self.score, 4)}


@dataclass
class ClauseBasis:
    """A clause in force on the draft date, verbatim, with the amounts it grants."""

    text: str
    source: Source
    amounts: list[dict[str, Any]]
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source.to_json(), "amounts": self.amounts,
                "score": round(self.score, 4)}


def source_note(line: Line) -> str:
    """What a renderer shows beside a quoted line: its source, and for a clause the amounts it
    grants — 来源：《…》三/(一)/2，…，深府办〔2020〕4号；金额：最高不超过300万元."""
    if line.source is None:
        return ""
    note = "来源：" + line.source.label()
    if line.amounts:
        note += "；金额：" + "、".join(a["text"] for a in line.amounts)
    return note


@dataclass
class Line:
    """One line of the skeleton; see the module docstring for the kinds."""

    kind: str
    text: str
    role: str = "body"  # title, salutation, body, heading, closing, signature, date, meta
    source: Source | None = None
    template: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    amounts: list[dict[str, Any]] = field(default_factory=list)  # a clause's amounts

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "role": self.role, "text": self.text}
        if self.source is not None:
            out["source"] = self.source.to_json()
            out["note"] = source_note(self)
        if self.kind == "clause":
            out["amounts"] = self.amounts
        if self.template is not None:
            out["template"] = self.template
            out["facts"] = self.facts
        return out


@dataclass
class DraftSection:
    """The answer to one suggestion (or the 下一步工作 section, with ``suggestion`` None)."""

    number: str
    heading: str
    suggestion: Suggestion | None
    clauses: list[ClauseBasis] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    other_regions: list[ClauseBasis] = field(default_factory=list)  # other places' clauses, for reference
    commitments: list[dict[str, Any]] = field(default_factory=list)  # 以往承诺及落实情况 (earlier_commitments)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number, "heading": self.heading,
            "suggestion": None if self.suggestion is None else {
                "label": self.suggestion.label, "headline": self.suggestion.headline, "text": self.suggestion.text},
            "clauses": [c.to_json() for c in self.clauses],
            "other_regions": [c.to_json() for c in self.other_regions],
            "passages": [p.to_json() for p in self.passages],
            "placeholders": [ln.text for ln in self.lines if ln.kind == "placeholder"],
            "commitments": self.commitments,
        }


@dataclass
class Draft:
    """The skeleton of an answer letter: its parts in order, each a list of :class:`Line`."""

    proposal: Proposal
    as_body: str | None
    date: str
    head: list[Line]
    sections: list[DraftSection]
    tail: list[Line]
    jurisdiction: tuple[str, ...] = ()  # the answering body's place and those above it, innermost first
    # the indexed documents holding the text answered (left out of its precedents): [{"id", "title", "source"}]
    already_indexed: list[dict[str, str]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.proposal.kind

    @property
    def title(self) -> str:
        return self.head[0].text

    def lines(self) -> list[Line]:
        """Every line of the skeleton, in order."""
        return self.head + [ln for s in self.sections for ln in s.lines] + self.tail

    def placeholders(self) -> list[str]:
        """Every 【待填写：…】 gap, in order (several may sit on one line)."""
        return [m.group(0) for ln in self.lines() for m in PLACEHOLDER.finditer(ln.text)]

    def earlier_proposals(self) -> list[dict[str, Any]]:
        """The same matter asked before: the earlier replies whose commitments the draft lists."""
        from search.drafting.earlier_commitments import earlier_proposals

        return earlier_proposals([c for s in self.sections for c in s.commitments])

    def to_json(self) -> dict[str, Any]:
        """The draft as one JSON object (`policy-search draft --json`, `/api/draft`)."""
        return {
            "kind": self.kind, "as_body": self.as_body, "date": self.date, "title": self.title,
            "jurisdiction": list(self.jurisdiction),
            "proposal": self.proposal.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "placeholders": self.placeholders(),
            "earlier_proposals": self.earlier_proposals(),
            "lines": [ln.to_json() for ln in self.lines()],
            "already_indexed": [dict(found) for found in self.already_indexed],
        }


__all__ = ["PLACEHOLDER", "ClauseBasis", "Draft", "DraftSection", "Lapsed", "Line", "Passage", "Source", "placeholder",
           "source_note"]
