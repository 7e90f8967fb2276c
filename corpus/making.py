"""The acts that make a text, as its date lines or its making line state them.

A law's header has one act a line (``2014年11月24日 中华人民共和国国务院令第656号公布``); a
government rule states them in brackets under its title:
``（2013年1月24日吉林市人民政府令第227号公布　自2013年3月1日起施行）``,
``（1994年12月29日某市人民政府发布，根据2010年12月20日…的决定》修正并重新发布）``.
Each act is a date, then who did what: the acting body comes first, a decree names it and
its number (某市人民政府令第5号), the verb comes last.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.dates import find_dates

_N = r"[一二三四五六七八九十百零〇\d]+"
DECREE = re.compile(rf"([\u4e00-\u9fff]{{1,30}}?令)\s*第\s*(\d+|{_N})\s*号")
_ACT = re.compile(r"(?:通过|批准|公布|发布|修正|修订|施行|印发|颁布)$")
_VERB = re.compile(r"通过|批准|公布|发布|修正|修订|施行|印发|颁布|\d{4}年")  # where the acting body's name ends
_NOISE = re.compile(rf"第{_N}届|第{_N}次(?:全体|常务)?会议|《[^》]*》|〈[^〉]*〉|根据|关于|的决定|公告|[部局署委厅]务会议|会议|第{_N}次")
_ORGAN_TAIL = re.compile(r"(?:常务委员会|委员会|人民代表大会|国务院|人民政府|法院|检察院|部|局|署|委|办公厅|审判委员会)")
_QUOTED = re.compile(r"《[^》]*》|〈[^〉]*〉")
_REVISION = re.compile(r"修正|修订|修改|重新发布|重新公布")
_PROMULGATION = re.compile(r"公布|发布|颁布")
_EFFECTIVE = re.compile(r"^(?:起)?施行")
# a making line: in brackets, opening with a date, naming an act
_MAKING_LINE = re.compile(r"^[（(]\s*(?:[\u4e00-\u9fff]{0,4})(?:19|20|[一二〇○Ｏ])")
_MAKING_VERBS = re.compile(r"通过|批准|公布|发布|颁布|施行|修正|修订")
_MAKING_LINE_SCAN = 8
_MAKING_ACT = re.compile(r"通过|公布|发布|颁布|印发")


@dataclass(frozen=True)
class Act:
    """One act on a text: its day, the words that follow the day, and what they say."""

    date: str
    text: str

    @property
    def words(self) -> str:
        """The act's own words, without the titles it names (《…关于修改〈…〉的决定》)."""
        return _QUOTED.sub("", self.text)

    @property
    def is_revision(self) -> bool:
        return bool(_REVISION.search(self.words))

    @property
    def is_approval(self) -> bool:
        """``山东省…常务委员会第十次会议批准``, ``国务院批准``: a higher body approving a text
        another body made (a 设区的市's regulation, a ministry's rule); the approver is not its issuer."""
        words = self.words
        at = words.find("批准")
        return at >= 0 and not DECREE.search(self.text) and not _MAKING_ACT.search(words[:at])

    @property
    def is_effective(self) -> bool:
        """``2018年1月1日 施行``, ``自2018年7月1日起施行``: the day it takes effect, no making."""
        return bool(_EFFECTIVE.match(self.text.strip()))

    @property
    def is_promulgation(self) -> bool:
        return bool(_PROMULGATION.search(self.words))

    @property
    def body(self) -> str | None:
        return acting_body(self.text)

    @property
    def decree(self) -> str | None:
        """The decree that made it public, as written: 吉林市人民政府令第227号."""
        m = DECREE.search(self.text)
        return m.group(0) if m else None


def acting_body(act: str) -> str | None:
    """The acting body of an act: 山东省第十二届人民代表大会常务委员会第三十五次会议批准 → 山东省人民代表大会常务委员会."""
    decree = DECREE.search(act)
    if decree:
        return decree.group(1)[:-1] or None
    # the body acts first: 经人力资源和社会保障部第6次部务会议通过, 淄博市…会议通过并经2018年9月21日山东省…批准
    name = re.sub(r"^[经由]", "", _ACT.sub("", act.strip()))
    name = _NOISE.sub("", _VERB.split(name, maxsplit=1)[0])
    name = re.split(r"[，,、\s《〈<]", name.strip())[0] if name.strip() else ""  # an unclosed 《: a title cut off
    ends = [m.end() for m in _ORGAN_TAIL.finditer(name)]
    return name[:max(ends)] if ends else None


def read_acts(line: str) -> list[Act]:
    """The acts of a making line, one per date, each with the words up to the next date."""
    dates = find_dates(line)
    acts = []
    for n, day in enumerate(dates):
        end = dates[n + 1].start if n + 1 < len(dates) else len(line)
        words = line[day.end:end].strip(" \u3000　，,；;。）)")
        words = re.sub(r"[，,；;\s\u3000]*(?:自|根据|于)?$", "", words)
        acts.append(Act(day.iso, words))
    return acts


def making_line(text: str, title: str) -> str | None:
    """The bracketed making line a rule or regulation carries just under its title, if any."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # under the title's (last) line: a title may be broken over lines
    start = next((n + 1 for n, line in enumerate(lines[:40])
                  if line.lstrip("# ") == title or len(line) > 4 and title.endswith(line)), 0)
    for line in lines[start:start + _MAKING_LINE_SCAN]:
        if _MAKING_LINE.match(line) and _MAKING_VERBS.search(line) and find_dates(line):
            return line
    return None


@dataclass(frozen=True)
class Making:
    """What a making line says: the act that made the text, its latest revision if the line
    names one, and the day it takes effect."""

    made: Act
    effective: str | None
    revised: Act | None = None

    @property
    def date(self) -> str:
        """The day of the text as it reads now: its latest revision, else the day it was made."""
        return self.revised.date if self.revised else self.made.date


def making(acts: list[Act]) -> Making | None:
    """The act that made the text: of the acts before its first revision, the one that
    published it (公布/发布, by decree or notice), else the first (通过); an approval (批准)
    neither makes nor dates it. Later acts revise it: the last of them dates the text."""
    effective = next((a.date for a in acts if a.is_effective), None)
    original: list[Act] = []
    revisions: list[Act] = []
    for act in acts:
        if act.is_revision and original or revisions:
            if not act.is_effective:
                revisions.append(act)
        elif not act.is_effective:
            original.append(act)
    if not original:
        return None
    published = [a for a in original if a.is_promulgation]
    revised = max(revisions, key=lambda a: a.date) if revisions else None
    return Making(published[-1] if published else original[0], effective, revised)
