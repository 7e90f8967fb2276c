"""Drafting aid: a new proposal in, the skeleton of its answer letter out.

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
* ``placeholder`` — what the writer must supply: 【待填写：…】.

Clauses are searched among units in force on the draft date, and every proposed clause's
status is computed again from its document's record (:func:`corpus.validity.status_on`):
an expired clause is never proposed as the basis of an answer.

The entry point for the command line and the web page is :func:`draft_from_text`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from corpus.dates import day_or_today
from corpus.proposals import PROPOSAL, Proposal, Suggestion, parse_proposal
from corpus.validity import IN_FORCE, status_on, validity_window
from errors import UsageError
from search.engine import PolicyIndex

REPLY_TYPES = ("提案答复", "建议答复")
PASSAGES_PER_SECTION = 3
CLAUSES_PER_SECTION = 3
NEXT_STEP_PASSAGES = 2
OWN_REPLY_BOOST = 1.5
PRECEDENT_DEPTH = 40
CLAUSE_DEPTH = 60
CLAUSE_SCORE_SHARE = 0.35  # a clause scoring below this share of the best one is not proposed
MIN_CLAUSE_CHARS = 20
PASSAGE_CHARS = 240
MIN_PASSAGE_CHARS = 12
_CN_NUMBERS = "一二三四五六七八九十"

# The genre's fixed wording. A line of kind "fixed" or "guide" is ``template.format(**facts)``.
TITLE_PROPOSAL = "{body}关于对{session}第{number}号提案答复意见的函"
TITLE_SUGGESTION = "关于{session}建议《{title}》（{number}）的回复"
SALUTATION = "尊敬的{names}{role}："
RECEIPT_PROPOSAL = ("{session}第{number}号提案《{title}》（以下简称《提案》）收悉。"
                    "非常感谢{you}对{field}的关心与支持。经认真研究，现答复如下：")
RECEIPT_SUGGESTION = ("{you}在{session}上提出的《{title}》（{number}）已收悉。"
                      "非常感谢{you}对{field}的关心与支持。经认真研究，现答复如下：")
SECTION_HEADING = "{number}、关于“{headline}”建议的答复"
NEXT_STEPS_HEADING = "{number}、下一步工作"
GUIDE_CLAUSES = "【参考条款：以下条款于{date}现行有效，可作为答复依据】"
GUIDE_PASSAGES = "【参考先例：以往答复中的相关表述】"
THANKS = "再次感谢{you}对{field}的关心与支持！"
CLOSING_PROPOSAL = "专此答复。"
CLOSING_SUGGESTION = "特此回复。"
SIGNATURE = "{body}"
DATE_LINE = "{date}"
CONTACT = "（联系人：{name}，电话：{phone}）"
PUBLICITY = "公开方式：{how}"
CC = "抄送：{to}"


def placeholder(what: str) -> str:
    """A visible gap the writer must fill: 【待填写：具体工作进展】."""
    return f"【待填写：{what}】"


PLACEHOLDER = re.compile(r"【待填写：[^】]*】")


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

    def label(self) -> str:
        """One line for a reader: 《深圳市…行动计划（2020—2024年）》三/(一)/2，2020-03-10，深府办〔2020〕4号."""
        parts = [f"《{self.title}》" + (f"{self.clause}" if self.clause else "")]
        if self.issuing_body:
            parts.append(self.issuing_body)
        if self.date:
            parts.append(self.date)
        elif self.effective_date:
            parts.append(f"自{self.effective_date}起施行")
        else:
            parts.append("日期不详")
        if self.doc_number:
            parts.append(self.doc_number + (f"（见《{self.doc_number_cited_in}》所引）" if self.doc_number_cited_in else ""))
        if self.valid_until:
            parts.append(f"有效期至{self.valid_until}")
        return "，".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.doc_id, "title": self.title, "source": self.source, "doc_type": self.doc_type,
            "issuing_body": self.issuing_body, "date": self.date, "clause": self.clause,
            "clause_title": self.clause_title, "effective_date": self.effective_date, "doc_number": self.doc_number,
            "doc_number_cited_in": self.doc_number_cited_in, "status": self.status,
            "valid_until": self.valid_until, "label": self.label(),
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

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number, "heading": self.heading,
            "suggestion": None if self.suggestion is None else {
                "label": self.suggestion.label, "headline": self.suggestion.headline, "text": self.suggestion.text},
            "clauses": [c.to_json() for c in self.clauses],
            "passages": [p.to_json() for p in self.passages],
            "placeholders": [ln.text for ln in self.lines if ln.kind == "placeholder"],
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

    def to_json(self) -> dict[str, Any]:
        """The draft as one JSON object (`policy-search draft --json`, `/api/draft`)."""
        return {
            "kind": self.kind, "as_body": self.as_body, "date": self.date, "title": self.title,
            "proposal": self.proposal.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "placeholders": self.placeholders(),
            "lines": [ln.to_json() for ln in self.lines()],
        }


# -- entry points ----------------------------------------------------------------------------------
def draft_from_text(index: PolicyIndex, text: str, as_body: str | None = None, date: str | None = None) -> Draft:
    """Parse a proposal's text and build its answer skeleton (the web view's and CLI's call)."""
    if not text.strip():
        raise UsageError("the proposal is empty — give its text (a file, or - for standard input)")
    return build_draft(index, parse_proposal(text), as_body, date)


def build_draft(index: PolicyIndex, proposal: Proposal, as_body: str | None = None, date: str | None = None) -> Draft:
    """The skeleton answering ``proposal`` as ``as_body`` on ``date`` (ISO or written; default today)."""
    day = _draft_day(date)
    as_body = (as_body or "").strip() or None
    finder = _Finder(index, day, as_body)
    facts = _letter_facts(proposal, as_body, day)
    sections = []
    for k, suggestion in enumerate(proposal.suggestions):
        number = _cn_number(k + 1)
        query = f"{suggestion.text}"
        sections.append(_section(number, suggestion, finder.clauses(query), finder.passages(query), day))
    sections.append(_next_steps(_cn_number(len(sections) + 1), finder.next_step_passages(proposal.text)))
    return Draft(proposal, as_body, day, _head(proposal, facts), sections, _tail(proposal, facts))


# -- the letter ------------------------------------------------------------------------------------
def _fixed(template: str, role: str = "body", kind: str = "fixed", /, **facts: str) -> Line:
    return Line(kind, template.format(**facts), role, template=template, facts=facts)


def _letter_facts(proposal: Proposal, as_body: str | None, day: str) -> dict[str, str]:
    names = proposal.proposers
    return {
        "body": as_body or placeholder("承办单位"),
        "session": proposal.session or placeholder("会议届次"),
        "number": proposal.number or placeholder("编号"),
        "title": proposal.title or placeholder("提案标题" if proposal.kind == PROPOSAL else "建议标题"),
        "names": "、".join(names) if names else placeholder("提案人姓名" if proposal.kind == PROPOSAL else "代表姓名"),
        "role": "委员" if proposal.kind == PROPOSAL else "代表",
        "you": "你们" if len(names) > 1 else "您",
        "field": placeholder("相关工作领域"),
        "date": _chinese_date(day),
    }


def _head(proposal: Proposal, f: dict[str, str]) -> list[Line]:
    if proposal.kind == PROPOSAL:
        title = _fixed(TITLE_PROPOSAL, "title", body=f["body"], session=f["session"], number=f["number"])
        receipt = _fixed(RECEIPT_PROPOSAL, session=f["session"], number=f["number"], title=f["title"],
                         you=f["you"], field=f["field"])
    else:
        title = _fixed(TITLE_SUGGESTION, "title", session=f["session"], title=f["title"], number=f["number"])
        receipt = _fixed(RECEIPT_SUGGESTION, you=f["you"], session=f["session"], title=f["title"],
                         number=f["number"], field=f["field"])
    return [title, _fixed(SALUTATION, "salutation", names=f["names"], role=f["role"]), receipt]


def _tail(proposal: Proposal, f: dict[str, str]) -> list[Line]:
    closing = CLOSING_PROPOSAL if proposal.kind == PROPOSAL else CLOSING_SUGGESTION
    cc = "政协提案委员会、政府督查室等" if proposal.kind == PROPOSAL else "人大常委会代表工作委员会、政府督查室等"
    return [
        _fixed(THANKS, you=f["you"], field=f["field"]),
        _fixed(closing, "closing"),
        _fixed(SIGNATURE, "signature", body=f["body"]),
        _fixed(DATE_LINE, "date", date=f["date"]),
        _fixed(CONTACT, "meta", name=placeholder("联系人"), phone=placeholder("联系电话")),
        _fixed(PUBLICITY, "meta", how=placeholder("主动公开／依申请公开／不予公开")),
        _fixed(CC, "meta", to=placeholder(f"抄送单位，如{cc}")),
    ]


def _section(number: str, suggestion: Suggestion, clauses: list[ClauseBasis], passages: list[Passage],
             day: str) -> DraftSection:
    heading = _fixed(SECTION_HEADING, "heading", number=number, headline=suggestion.headline)
    lines = [heading, Line("placeholder", placeholder("针对本条建议的答复意见（可引用下列条款与先例）"))]
    if clauses:
        lines.append(_fixed(GUIDE_CLAUSES, "body", "guide", date=_chinese_date(day)))
        lines += [Line("clause", c.text, source=c.source, amounts=c.amounts) for c in clauses]
    else:
        lines.append(Line("placeholder", placeholder(f"未检索到{_chinese_date(day)}现行有效的相关条款，请核实答复依据")))
    if passages:
        lines.append(_fixed(GUIDE_PASSAGES, "body", "guide"))
        lines += [Line("passage", p.text, source=p.source) for p in passages]
    lines.append(Line("placeholder", placeholder("具体工作进展")))
    return DraftSection(number, heading.text, suggestion, clauses, passages, lines)


def _next_steps(number: str, passages: list[Passage]) -> DraftSection:
    heading = _fixed(NEXT_STEPS_HEADING, "heading", number=number)
    lines = [heading, Line("placeholder", placeholder("下一步工作安排"))]
    if passages:
        lines.append(_fixed(GUIDE_PASSAGES, "body", "guide"))
        lines += [Line("passage", p.text, source=p.source) for p in passages]
    return DraftSection(number, heading.text, None, [], passages, lines)


# -- finding precedents and clauses ----------------------------------------------------------------
class _Finder:
    """Searches one index for one draft; caches document records (many sections share them)."""

    def __init__(self, index: PolicyIndex, day: str, as_body: str | None) -> None:
        self.index = index
        self.day = day
        self.as_body = as_body
        self._records: dict[str, dict[str, Any]] = {}

    def record(self, doc_id: str) -> dict[str, Any]:
        if doc_id not in self._records:
            self._records[doc_id] = self.index.document(doc_id, as_of=self.day)
        return self._records[doc_id]

    # clauses in force
    def clauses(self, text: str) -> list[ClauseBasis]:
        """Clauses of policies (not replies) that apply to ``text`` and are in force on the day."""
        terms, _ = self.index.distinctive_terms(text, clauses=True)
        words = [t for t in terms if _QUERY_WORD.match(t) and t.upper() not in _OPERATORS]
        if not words:
            return []
        hits = self.index.search(" ".join(words) + f" 状态:{IN_FORCE}", clauses=True, as_of=self.day,
                                 limit=CLAUSE_DEPTH).hits
        found: list[ClauseBasis] = []
        for hit in hits:
            if hit.doc_type in REPLY_TYPES or hit.status != IN_FORCE or hit.clause is None:
                continue
            basis = self._clause_basis(hit.id, hit.clause, hit.score)
            if basis is None:
                continue
            if found and basis.score < CLAUSE_SCORE_SHARE * found[0].score:
                break
            found.append(basis)
            if len(found) == CLAUSES_PER_SECTION:
                break
        return found

    def _clause_basis(self, doc_id: str, path: str, score: float) -> ClauseBasis | None:
        record = self.record(doc_id)
        if not self.in_force(record):
            return None
        clause = next((c for c in record["clauses"] if c["path"] == path), None)
        if clause is None or len(clause["text"].strip()) < MIN_CLAUSE_CHARS:
            return None
        source = self._source(record, path, clause.get("title"))
        amounts = [{"text": a["text"], "yuan": a["yuan"], "kind": a["kind"]}
                   for a in record.get("amounts", []) if a.get("clause") == path]
        return ClauseBasis(clause["text"].strip(), source, amounts, score)

    def in_force(self, record: dict[str, Any]) -> bool:
        """In force on the draft day, by the index and again by the document's own record."""
        dated = SimpleNamespace(date=record.get("date"), effective_date=record.get("effective_date"),
                                valid_years=record.get("valid_years"), body=record.get("body", ""))
        return record.get("status") == IN_FORCE and status_on(dated, self.day) == IN_FORCE

    def _source(self, record: dict[str, Any], path: str | None, clause_title: str | None) -> Source:
        doc_number, cited_in = record.get("doc_number"), None
        if not doc_number:
            doc_number, cited_in = self._cited_doc_number(record)
        dated = SimpleNamespace(date=record.get("date"), effective_date=record.get("effective_date"),
                                valid_years=record.get("valid_years"), body=record.get("body", ""))
        _start, end = validity_window(dated)
        last_day = (dt.date.fromisoformat(end) - dt.timedelta(days=1)).isoformat() if end else None
        return Source(
            doc_id=record["id"], title=record["title"], source=record["source"], doc_type=record["doc_type"],
            issuing_body=record.get("issuing_body"), date=record.get("date"), clause=path,
            clause_title=clause_title or None, effective_date=record.get("effective_date"), doc_number=doc_number, doc_number_cited_in=cited_in,
            status=record.get("status"), valid_until=last_day if record["doc_type"] not in REPLY_TYPES else None,
        )

    def _cited_doc_number(self, record: dict[str, Any]) -> tuple[str | None, str | None]:
        """A 文号 the document does not state itself, as a document citing it gives it."""
        for citing in record.get("cited_by", []):
            for citation in self.record(citing["id"]).get("citations", []):
                if citation.get("resolved_id") == record["id"] and citation.get("doc_number"):
                    return citation["doc_number"], citing["title"]
        return None, None

    # precedent replies
    def replies(self, text: str, limit: int) -> list[tuple[float, dict[str, Any]]]:
        """The earlier replies most like ``text``; the drafting body's own replies first (a boost)."""
        hits = [h for h in self.index.similar(text, limit=PRECEDENT_DEPTH).hits if h.doc_type in REPLY_TYPES]
        scored = [(h.score * (OWN_REPLY_BOOST if _same_body(self.as_body, h.issuing_body) else 1.0), h.id)
                  for h in hits]
        scored.sort(key=lambda pair: -pair[0])
        return [(score, self.record(doc_id)) for score, doc_id in scored[:limit]]

    def passages(self, text: str) -> list[Passage]:
        """From each of the best precedent replies, its passage closest to ``text``."""
        weights = self._weights(text)
        found = []
        for score, record in self.replies(text, PASSAGES_PER_SECTION):
            best = _best_window(record["body"], weights, self.index)
            if best:
                found.append(Passage(best, self._source(record, _clause_of(record, best), None), score))
        return found

    def next_step_passages(self, text: str) -> list[Passage]:
        """From the best precedent replies, the passage of their 下一步 section closest to ``text``."""
        weights = self._weights(text)
        found = []
        for score, record in self.replies(text, PASSAGES_PER_SECTION):
            steps = [c for c in record.get("clauses", []) if "下一步" in (c.get("title") or "")]
            for clause in steps:
                subtree = "\n".join(c["text"] for c in record["clauses"]
                                    if c["path"] == clause["path"] or c["path"].startswith(clause["path"] + "/"))
                best = _best_window(subtree, weights, self.index)
                if best:
                    found.append(Passage(best, self._source(record, _clause_of(record, best), None), score))
                    break
            if len(found) == NEXT_STEP_PASSAGES:
                break
        return found

    def _weights(self, text: str) -> dict[str, float]:
        """The text's distinctive terms, weighted by rank (most distinctive first)."""
        terms, _ = self.index.distinctive_terms(text, clauses=True)
        n = len(terms)
        return {t: 1.0 + (n - i) / max(n, 1) for i, t in enumerate(terms)}


_QUERY_WORD = re.compile(r"^[\w\u4e00-\u9fff]+$")
_OPERATORS = {"OR", "或", "或者"}
_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
_BOILERPLATE = re.compile(
    r"收悉|尊敬的|感谢|专此答复|特此回复|特此函复|联系人|联系电话|抄送|公开方式|答复如下|回复如下|你们好|您好"
    r"|关于“[^”]*”(?:的)?建议的(?:答复|回复)"
)
_HEADING_LINE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])\s*\S{0,30}$")


def _windows(body: str) -> list[str]:
    """Candidate passages: one or two consecutive sentences of a paragraph, verbatim."""
    out = []
    for paragraph in body.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph or _HEADING_LINE.match(paragraph):
            continue
        sentences = [s for s in _SENTENCE.findall(paragraph) if s.strip()]
        for i, sentence in enumerate(sentences):
            if _BOILERPLATE.search(sentence) or len(sentence.strip()) < MIN_PASSAGE_CHARS:
                continue
            out.append(sentence.strip())
            if i + 1 < len(sentences) and not _BOILERPLATE.search(sentences[i + 1]):
                pair = (sentence + sentences[i + 1]).strip()
                if len(pair) <= PASSAGE_CHARS:
                    out.append(pair)
    return out


def _best_window(body: str, weights: dict[str, float], index: PolicyIndex) -> str | None:
    """The passage of ``body`` sharing the most weighted terms with the suggestion (a longer
    passage must share more to win)."""
    best, best_score = None, 0.0
    for window in _windows(body):
        words = {w for w, _s, _e in index.tokenizer.fine_words(window)}
        shared = sum(weights.get(w, 0.0) for w in words)
        score = shared / (1.0 + len(window) / PASSAGE_CHARS)
        if score > best_score:
            best, best_score = window, score
    return best if best_score >= 2.0 else None


def _clause_of(record: dict[str, Any], passage: str) -> str | None:
    """The deepest clause of ``record`` whose text holds ``passage``."""
    holding = [c["path"] for c in record.get("clauses", []) if passage in c.get("text", "")]
    return max(holding, key=lambda p: p.count("/"), default=None)


def _same_body(as_body: str | None, issuing_body: str | None) -> bool:
    """市工业和信息化局 and 深圳市工业和信息化局 are the same body; 龙岗区工业和信息化局 is not."""
    if not as_body or not issuing_body:
        return False
    a, b = as_body.strip(), issuing_body.strip()
    return a.endswith(b) or b.endswith(a)


def _draft_day(date: str | None) -> str:
    return day_or_today(date, "--date")


def _chinese_date(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.year}年{d.month}月{d.day}日"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + _CN_NUMBERS[n - 11]
    return _CN_NUMBERS[n // 10 - 1] + "十" + (_CN_NUMBERS[n % 10 - 1] if n % 10 else "")


__all__ = ["ClauseBasis", "Draft", "DraftSection", "Line", "Passage", "Source", "build_draft", "draft_from_text",
           "placeholder", "render_docx", "render_markdown", "source_note"]


def render_markdown(draft: Draft) -> str:
    """The skeleton as Markdown (see :mod:`search.drafting.markdown_letter`)."""
    from search.drafting.markdown_letter import render_markdown as render

    return render(draft)


def render_docx(draft: Draft, sources: str = "comments") -> bytes:
    """The skeleton as a Word file laid out after GB/T 9704-2012 (see :mod:`search.drafting.docx_letter`)."""
    from search.drafting.docx_letter import render_docx as render

    return render(draft, sources)
