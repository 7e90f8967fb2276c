"""Laws in Markdown: ``# title``, date lines, ``<!-- INFO END -->``, then ``## 第一章`` and articles.

Each date line says what happened on that day and who did it:
``2014年11月24日 中华人民共和国国务院令第656号公布``,
``2017年12月26日 泰安市第十七届人民代表大会常务委员会第六次会议通过``, ``2018年1月1日 施行``.
The last act before 施行 dates this version (a file is one version: a revision stated on the
same line as the act before it counts too); the acts name the body and, for decrees, the number,
read as every making line is (corpus.making). A body that approved (批准) what another made — a
province's standing committee approving a city's regulation — is not its issuer: the maker is.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from corpus.citations import PART
from corpus.dates import find_dates
from corpus.making import DECREE, read_acts
from corpus.metadata import normalize_doc_number

INFO_END = "<!-- INFO END -->"


@dataclass
class LawHeader:
    """What the lines between a law's title and ``<!-- INFO END -->`` state."""

    title: str
    date: str | None = None
    issuing_body: str | None = None
    doc_number: str | None = None
    effective_date: str | None = None


def is_law_markdown(text: str) -> bool:
    """A Markdown law of the corpus: a ``# `` title line and the INFO END marker."""
    return text.startswith("# ") and INFO_END in text[:3000]


def law_header(text: str) -> LawHeader:
    """Title, date, body, decree number and effective date from a Markdown law's header."""
    head, _, _ = text.partition(INFO_END)
    lines = [line.strip() for line in head.split("\n") if line.strip()]
    # a second heading names a part of the text: # 中华人民共和国民法典 / # 继承编 is one of the
    # code's books, titled 中华人民共和国民法典·继承编 (corpus.citations.PART)
    headings = list(itertools.takewhile(lambda line: line.startswith("# "), lines))
    header = LawHeader(title=PART.join(h.lstrip("#").strip() for h in headings))
    approver: str | None = None
    for line in lines[len(headings):]:
        dates = find_dates(line)
        if not dates or dates[0].start > 2:
            continue
        # a line may hold several acts: a revision (…批准根据2019年1月31日…通过并经2019年2月12日…批准的《…
        # 决定》修正), whose maker is the issuer now; or a joint making (最高人民法院审判委员会第1747次会议、
        # 2018年12月12日最高人民检察院…通过), whose first body is the first issuer
        acts = read_acts(line)
        named = False
        for n, act in enumerate(acts):
            if act.is_effective:
                header.effective_date = act.date
                continue
            header.date = max(header.date or act.date, act.date)
            body = act.body
            if body and act.is_approval:
                approver = approver or body
            elif body and (not named or any(a.is_revision for a in acts[n:])):
                header.issuing_body, named = body, True
            decree = DECREE.search(act.text)
            if decree:
                header.doc_number = normalize_doc_number(decree.group(0))
    header.issuing_body = header.issuing_body or approver
    return header
