"""Laws in Markdown: ``# title``, date lines, ``<!-- INFO END -->``, then ``## 第一章`` and articles.

Each date line says what happened on that day and who did it:
``2014年11月24日 中华人民共和国国务院令第656号公布``,
``2017年12月26日 泰安市第十七届人民代表大会常务委员会第六次会议通过``, ``2018年1月1日 施行``.
The last act before 施行 dates this version; its text names the body and, for decrees, the number.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from corpus.citations import PART
from corpus.dates import find_dates
from corpus.metadata import normalize_doc_number

INFO_END = "<!-- INFO END -->"
_N = r"[一二三四五六七八九十百零〇\d]+"
_DECREE = re.compile(rf"([\u4e00-\u9fff]{{1,30}}?令)\s*第\s*(\d+|{_N})\s*号")
_ACT = re.compile(r"(?:通过|批准|公布|发布|修正|修订|施行|印发|颁布)$")
_VERB = re.compile(r"通过|批准|公布|发布|修正|修订|施行|印发|颁布|\d{4}年")  # where the acting body's name ends
_NOISE = re.compile(rf"第{_N}届|第{_N}次(?:全体|常务)?会议|《[^》]*》|〈[^〉]*〉|根据|关于|的决定|公告|[部局署委厅]务会议|会议|第{_N}次")
_ORGAN_TAIL = re.compile(r"(?:常务委员会|委员会|人民代表大会|国务院|人民政府|法院|检察院|部|局|署|委|办公厅|审判委员会)")


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


def _body(act: str) -> str | None:
    """The acting body of a date line: 山东省第十二届人民代表大会常务委员会第三十五次会议批准 → 山东省人民代表大会常务委员会."""
    decree = _DECREE.search(act)
    if decree:
        return decree.group(1)[:-1] or None
    # the body acts first: 经人力资源和社会保障部第6次部务会议通过, 淄博市…会议通过并经2018年9月21日山东省…批准
    name = re.sub(r"^[经由]", "", _ACT.sub("", act.strip()))
    name = _NOISE.sub("", _VERB.split(name, maxsplit=1)[0])
    name = re.split(r"[，,、\s《〈<]", name.strip())[0] if name.strip() else ""  # an unclosed 《: a title cut off
    ends = [m.end() for m in _ORGAN_TAIL.finditer(name)]
    return name[:max(ends)] if ends else None


def law_header(text: str) -> LawHeader:
    """Title, date, body, decree number and effective date from a Markdown law's header."""
    head, _, _ = text.partition(INFO_END)
    lines = [line.strip() for line in head.split("\n") if line.strip()]
    # a second heading names a part of the text: # 中华人民共和国民法典 / # 继承编 is one of the
    # code's books, titled 中华人民共和国民法典·继承编 (corpus.citations.PART)
    headings = list(itertools.takewhile(lambda line: line.startswith("# "), lines))
    header = LawHeader(title=PART.join(h.lstrip("#").strip() for h in headings))
    for line in lines[len(headings):]:
        dates = find_dates(line)
        if not dates or dates[0].start > 2:
            continue
        act = line[dates[0].end:].strip()
        if re.fullmatch(r"(?:起)?施行", act):
            header.effective_date = dates[0].iso
            continue
        header.date = dates[0].iso
        body = _body(act)
        if body:
            header.issuing_body = body
        decree = _DECREE.search(act)
        if decree:
            header.doc_number = normalize_doc_number(decree.group(0))
    return header
