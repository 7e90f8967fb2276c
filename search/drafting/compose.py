"""Drafting aid: a new proposal in, the skeleton of its answer letter out.

The skeleton (:mod:`search.drafting.letter`) has the genre's own form and holds nothing
invented: fixed wording filled with the proposal's particulars, passages of earlier replies
and clauses in force, each with its source, and gaps the writer must fill.

Clauses are searched among units in force on the draft date, and every proposed clause's
status is computed again from its document's record (:func:`corpus.validity.status_on`):
an expired clause is never proposed as the basis of an answer. Nor is another place's: the
grounds are the rules of the answering body's own place, of those above it (a district's,
its city's, its province's, the country's) and of those within it (:mod:`search.jurisdiction`);
the closest clauses of other places follow, labelled 其他地区参考.

The entry point for the command line and the web page is :func:`draft_from_text`.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from corpus.dates import day_or_today
from corpus.kinds import PROPOSAL_REPLY_TYPES, REPLY_TYPES
from corpus.proposals import PROPOSAL, Proposal, Suggestion, parse_proposal
from corpus.citations import normalize_title
from corpus.numbers import cn_small
from corpus.validity import IN_FORCE, NOT_YET, has_validity, record_dates, status_on
from errors import UsageError
from search.drafting import earlier_commitments as earlier
from search.drafting.letter import ClauseBasis, Draft, DraftSection, Lapsed, Line, Passage, Source, placeholder
from search.engine import PolicyIndex
from search.divisions import Divisions
from search.jurisdiction import Jurisdiction
from search.query import ParsedQuery

PASSAGES_PER_SECTION = 3
CLAUSES_PER_SECTION = 3
OTHER_REGION_CLAUSES = 2
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
GUIDE_OTHER_REGIONS = "【其他地区参考：以下为其他地区的政策条款，不能作为{body}的答复依据，仅供参考】"
THANKS = "再次感谢{you}对{field}的关心与支持！"
CLOSING_PROPOSAL = "专此答复。"
CLOSING_SUGGESTION = "特此回复。"
SIGNATURE = "{body}"
DATE_LINE = "{date}"
CONTACT = "（联系人：{name}，电话：{phone}）"
PUBLICITY = "公开方式：{how}"
CC = "抄送：{to}"


# Marks inside a quotation or title the letter puts in “” or 《》 become the inner ones (GB/T 15834)
_INNER_MARKS = str.maketrans({"“": "‘", "”": "’", "《": "〈", "》": "〉"})
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')


def inner_marks(text: str) -> str:
    """``text`` made fit to sit inside “…” or 《…》: its own double quotes become single ones and
    its 《》 become 〈〉 — 构建“一核、一街、一圈”格局 → 构建‘一核、一街、一圈’格局."""
    return _STRAIGHT_QUOTES.sub(r"‘\1’", text).translate(_INNER_MARKS)


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
    jurisdiction = _jurisdiction(index, proposal, as_body)
    itself, leave_out = index.already_indexed(proposal.text)
    finder = _Finder(index, day, as_body, jurisdiction, leave_out)
    facts = _letter_facts(proposal, as_body, day)
    sections = []
    for k, suggestion in enumerate(proposal.suggestions):
        number = _cn_number(k + 1)
        query = f"{suggestion.text}"
        grounds, others = finder.clauses(query)
        sections.append(_section(number, suggestion, grounds, finder.passages(query), day, others, facts["body"]))
    promised = earlier.earlier_commitments(index, finder.replies(proposal.text, earlier.COMMITMENT_REPLIES), day,
                                           lambda record, path, text: finder._source(record, path, None, text))
    if (promises := earlier.section(_cn_number(len(sections) + 1), promised)) is not None:
        sections.append(promises)
    sections.append(_next_steps(_cn_number(len(sections) + 1), finder.next_step_passages(proposal.text)))
    return Draft(proposal, as_body, day, _head(proposal, facts), sections, _tail(proposal, facts),
                 jurisdiction.places, itself)


def _jurisdiction(index: PolicyIndex, proposal: Proposal, as_body: str | None) -> Jurisdiction:
    """Where the answering body's grounds may come from: its own place and those above it, by its
    name (or, for 市工业和信息化局, by the proposal's meeting), with the districts the indexed
    titles, issuers and meetings place in their cities; none without ``--as``."""
    if as_body is None:
        return Jurisdiction(())
    places = Divisions().learn([as_body, proposal.session or "", proposal.text[:_PROPOSAL_HEAD],
                             *index.field_values("family"), *index.field_values("issuing_body"),
                             *index.field_values("session")])
    return Jurisdiction.of(as_body, places, proposal.session)


# -- the letter ------------------------------------------------------------------------------------
def _fixed(template: str, role: str = "body", kind: str = "fixed", /, **facts: str) -> Line:
    return Line(kind, template.format(**facts), role, template=template, facts=facts)


def _letter_facts(proposal: Proposal, as_body: str | None, day: str) -> dict[str, str]:
    names = proposal.proposers
    return {
        "body": as_body or placeholder("承办单位"),
        "session": proposal.session or placeholder("会议届次"),
        "number": proposal.number or placeholder("编号"),
        "title": inner_marks(proposal.title) if proposal.title else placeholder(
            "提案标题" if proposal.kind == PROPOSAL else "建议标题"),
        # 李明等: the first of several proposers, the others unnamed — the letter keeps the 等
        "names": "、".join(names) + ("等" if proposal.and_others else "") if names else placeholder(
            "提案人姓名" if proposal.kind == PROPOSAL else "代表姓名"),
        "role": "委员" if proposal.kind == PROPOSAL else "代表",
        "you": "你们" if len(names) > 1 or proposal.and_others else "您",
        "field": proposal.topic or placeholder("相关工作领域"),
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
             day: str, other_regions: list[ClauseBasis], body: str) -> DraftSection:
    heading = _fixed(SECTION_HEADING, "heading", number=number, headline=inner_marks(suggestion.headline))
    lines = [heading, Line("placeholder", placeholder("针对本条建议的答复意见（可引用下列条款与先例）"))]
    if clauses:
        lines.append(_fixed(GUIDE_CLAUSES, "body", "guide", date=_chinese_date(day)))
        lines += [Line("clause", c.text, source=c.source, amounts=c.amounts) for c in clauses]
    else:
        lines.append(Line("placeholder", placeholder(f"未检索到{_chinese_date(day)}现行有效的相关条款，请核实答复依据")))
    if other_regions:
        lines.append(_fixed(GUIDE_OTHER_REGIONS, "body", "guide", body=body))
        lines += [Line("reference", c.text, source=c.source, amounts=c.amounts) for c in other_regions]
    if passages:
        lines.append(_fixed(GUIDE_PASSAGES, "body", "guide"))
        lines += [Line("passage", p.text, source=p.source) for p in passages]
    lines.append(Line("placeholder", placeholder("具体工作进展")))
    return DraftSection(number, heading.text, suggestion, clauses, passages, lines, other_regions)


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

    def __init__(self, index: PolicyIndex, day: str, as_body: str | None, jurisdiction: Jurisdiction,
                 leave_out: set[str] | None = None) -> None:
        self.index = index
        self.leave_out = leave_out or set()  # the ids of the files of the text answered, when it is indexed
        self.day = day
        self.as_body = as_body
        self.jurisdiction = jurisdiction
        self._records: dict[str, dict[str, Any]] = {}

    def record(self, doc_id: str) -> dict[str, Any]:
        if doc_id not in self._records:
            self._records[doc_id] = self.index.document(doc_id, as_of=self.day)
        return self._records[doc_id]

    # clauses in force
    def clauses(self, text: str) -> tuple[list[ClauseBasis], list[ClauseBasis]]:
        """Clauses of policies (not replies) that apply to ``text`` and are in force on the day:
        those of the answering body's jurisdiction (the grounds), and the closest of other places'."""
        terms, _ = self.index.distinctive_terms(text, clauses=True)
        if not terms:
            return [], []
        query = ParsedQuery.build(terms, filters={"status": IN_FORCE})
        hits = self.index.search(query, clauses=True, as_of=self.day, limit=CLAUSE_DEPTH).hits
        grounds: list[ClauseBasis] = []
        others: list[ClauseBasis] = []
        best = None
        for hit in hits:
            if hit.doc_type in REPLY_TYPES or hit.status != IN_FORCE or hit.clause is None:
                continue
            basis = self._clause_basis(hit.id, hit.clause, hit.score)
            if basis is None:
                continue
            best = best or basis.score
            if basis.score < CLAUSE_SCORE_SHARE * best:
                break
            if self.jurisdiction.covers(basis.source.title, basis.source.issuing_body):
                if len(grounds) < CLAUSES_PER_SECTION:
                    grounds.append(basis)
            elif len(others) < OTHER_REGION_CLAUSES:
                others.append(basis)
            if len(grounds) == CLAUSES_PER_SECTION and len(others) == OTHER_REGION_CLAUSES:
                break
        return grounds, others

    def _clause_basis(self, doc_id: str, path: str, score: float) -> ClauseBasis | None:
        record = self.record(doc_id)
        if not self.in_force(record):
            return None
        clause = next((c for c in record["clauses"] if c["path"] == path), None)
        if clause is None or len(clause["text"].strip()) < MIN_CLAUSE_CHARS:
            return None
        source = self._source(record, path, clause.get("title"), clause["text"])
        amounts = [{"text": a["text"], "yuan": a["yuan"], "kind": a["kind"]}
                   for a in record.get("amounts", []) if a.get("clause") == path]
        return ClauseBasis(clause["text"].strip(), source, amounts, score)

    def in_force(self, record: dict[str, Any]) -> bool:
        """In force on the draft day, by the index and again by the document's own record."""
        return record.get("status") == IN_FORCE and status_on(record_dates(record), self.day) == IN_FORCE

    def _source(self, record: dict[str, Any], path: str | None, clause_title: str | None, quoted: str) -> Source:
        """Where ``quoted`` (a clause's text, a passage) comes from. A reply's numbered parts are
        no clauses to cite: a passage of one is placed as 第一部分第二点, its path kept for a link."""
        doc_number, cited_in = record.get("doc_number"), None
        if not doc_number:
            doc_number, cited_in = self._cited_doc_number(record)
        letter = record["doc_type"] in REPLY_TYPES
        return Source(
            doc_id=record["id"], title=record["title"], source=record["source"], doc_type=record["doc_type"],
            issuing_body=record.get("issuing_body"), date=record.get("date"), clause=None if letter else path,
            clause_title=None if letter else clause_title or None, effective_date=record.get("effective_date"),
            doc_number=doc_number, doc_number_cited_in=cited_in, status=record.get("status"),
            valid_until=record.get("valid_until") if has_validity(record["doc_type"]) else None,
            relative_source=record.get("relative_source"), point=reply_point(path) if letter else None,
            anchor=path, lapsed=self.lapsed(record, _scope(record, path, quoted)),
        )

    def lapsed(self, record: dict[str, Any], scope: str) -> list[Lapsed]:
        """The policies ``record`` cites by name in ``scope`` (a passage and the part of the reply
        holding it, a clause) that are no longer in force on the draft's day, each with its
        successor where the index holds one."""
        folded = normalize_title(scope)
        found: dict[str, Lapsed] = {}
        for citation in record.get("citations", []):
            cited_id = citation.get("resolved_id")
            named = normalize_title(citation.get("title") or "") or None
            number = citation.get("doc_number")
            if not cited_id or cited_id in found or cited_id == record["id"]:
                continue
            if not ((named and named in folded) or (number and number in scope)):
                continue
            cited = self.record(cited_id)
            status = cited.get("status")
            if not status or not has_validity(cited["doc_type"]) or status in (IN_FORCE, NOT_YET):
                continue
            found[cited_id] = Lapsed(cited_id, cited["title"], status, _since(cited), self._successor(cited))
        return list(found.values())

    def _successor(self, record: dict[str, Any]) -> dict[str, str] | None:
        """The text in force on the draft's day that took ``record``'s place: the one repealing or
        amending it, else its newest version in force."""
        for after in (*record.get("repealed_by", []), *record.get("amended_by", [])):
            if after.get("id") and after.get("title"):
                return {"id": after["id"], "title": after["title"]}
        newer = [v for v in record.get("versions", [])
                 if v.get("status") == IN_FORCE and (v.get("date") or "") > (record.get("date") or "")]
        if newer:
            latest = max(newer, key=lambda v: v.get("date") or "")
            return {"id": latest["id"], "title": self.record(latest["id"])["title"]}
        return None

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
        hits = [h for h in self.index.similar(text, limit=PRECEDENT_DEPTH).hits
                if h.doc_type in PROPOSAL_REPLY_TYPES and h.id not in self.leave_out]
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
                found.append(Passage(best, self._source(record, _clause_of(record, best), None, best), score))
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
                    found.append(Passage(best, self._source(record, _clause_of(record, best), None, best), score))
                    break
            if len(found) == NEXT_STEP_PASSAGES:
                break
        return found

    def _weights(self, text: str) -> dict[str, float]:
        """The text's distinctive terms, weighted by rank (most distinctive first)."""
        terms, _ = self.index.distinctive_terms(text, clauses=True)
        n = len(terms)
        return {t: 1.0 + (n - i) / max(n, 1) for i, t in enumerate(terms)}


_PROPOSAL_HEAD = 600  # where a proposal names its meeting and the place it is about
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


def _scope(record: dict[str, Any], path: str | None, quoted: str) -> str:
    """What a quote stands in: the quote and, in a reply, the part holding it (a policy named in
    the paragraph before a passage is the one the passage promotes)."""
    if path is None or record["doc_type"] not in REPLY_TYPES:
        return quoted
    top = path.split("/")[0]
    return quoted + "\n" + "\n".join(c.get("text", "") for c in record.get("clauses", []) if c["path"] == top)


def _since(record: dict[str, Any]) -> str | None:
    """The first day a text is out of force: the day it ended, or the day after its last."""
    if record.get("ends"):
        return record["ends"]
    until = record.get("valid_until")
    return (dt.date.fromisoformat(until) + dt.timedelta(days=1)).isoformat() if until else None


def reply_point(path: str | None) -> str | None:
    """A reply's numbered part as a reader counts it, whatever its numbering as written (1、 then
    二、; （一） then （2））: 一 → 第一点, 1/(2) → 第一部分第二点; None outside any.

    >>> reply_point("二"), reply_point("1/(2)"), reply_point("一/(四)/3"), reply_point(None)
    ('第二点', '第一部分第二点', '第一部分第四点', None)
    """
    if not path:
        return None
    values = [_point_value(part) for part in path.split("/")[:2]]
    if not all(values):
        return None
    if len(values) == 1:
        return f"第{_cn_number(values[0])}点"
    return f"第{_cn_number(values[0])}部分第{_cn_number(values[1])}点"


def _point_value(part: str) -> int:
    label = part.strip("()（）")
    return int(label) if label.isdigit() else (cn_small(label) or 0)


def _same_body(as_body: str | None, issuing_body: str | None) -> bool:
    """市工业和信息化局 and 深圳市工业和信息化局 are the same body; 龙岗区工业和信息化局 is not."""
    if not as_body or not issuing_body:
        return False
    a, b = as_body.strip(), issuing_body.strip()
    return a.endswith(b) or b.endswith(a)


def _draft_day(date: str | None) -> str:
    return day_or_today(date, "date")


def _chinese_date(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return f"{d.year}年{d.month}月{d.day}日"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + _CN_NUMBERS[n - 11]
    return _CN_NUMBERS[n // 10 - 1] + "十" + (_CN_NUMBERS[n % 10 - 1] if n % 10 else "")


__all__ = ["build_draft", "draft_from_text", "reply_point"]
