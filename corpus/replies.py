"""What a reply says about the proposal or suggestion it answers: number, title, session, proposers.

A reply names these in its title (…六届六次会议第20190892号提案…的函) and in its opening
(尊敬的张立勤、赵志豪委员：… 你们的提案《关于…的建议》第2023141号已收悉).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_N = r"[一二三四五六七八九十\d]+"
_SESSION_CORE = re.compile(
    rf"(?:第?{_N}届)?(?:政协|政治协商会议|人民代表大会|人大)[\u4e00-\u9fff]{{0,10}}?"
    rf"(?:第?{_N}届(?:委员会|常委会)?)?第?{_N}次(?:全体)?会议"
)
_PLACE_CHAR = r"(?:(?![关于对在就向和与及的将局委办厅部会议])[\u4e00-\u9fff])"
_PLACE_PREFIX = re.compile(rf"(?:{_PLACE_CHAR}{{2,4}}?[省市])?(?:{_PLACE_CHAR}{{2,4}}?[区县])?|[省市区县]")
_NUMBER = re.compile(r"(?<![〔\[［】〕\]\d])(?:第\s*)?([A-Za-z]{0,6}\d{3,}(?:-\d+)?)\s*号")
_NUMBER_IN_PARENS = re.compile(r"[（(]\s*(?:编号[：:]?|第)?\s*([A-Za-z]{1,6}\d{3,}|\d{4,})\s*号?\s*[)）]")
_NUMBER_LABEL = re.compile(r"(?:提案|建议|议案)?(?:编号|号)\s*[：:]\s*([A-Za-z]{0,6}\d{3,})")
_QUOTED = re.compile(r"《([^《》\n]{2,120})》")
_PROPOSAL_WORD = re.compile(r"(?:提案|建议|议案)$")
_NEAR_CUE = re.compile(r"(?:提案|建议|议案)\s*$")
_OPENER_END = re.compile(r"收悉|答复如下|回复如下")
_SALUTATION = re.compile(r"尊敬的([^：:\n]{2,120}?)(委员|代表|同志)(?:们)?\s*[：:]")
_ADDRESS = re.compile(r"^([\u4e00-\u9fff、，, ]{2,80}?)(委员|代表)(?:们)?\s*[：:]", re.M)
_PROPOSER_LABEL = re.compile(r"(?:提案人|建议人|领衔人|领衔代表|领衔委员|提出人)\s*[：:]\s*([^\n]{2,80})")
_NAME_SPLIT = re.compile(r"[、，,；;\s]+|和|及")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
_OPENER_CHARS = 800


@dataclass
class ReplyFields:
    """The proposal-side fields of a reply; empty for other documents."""

    proposal_number: str | None = None
    proposal_title: str | None = None
    session: str | None = None
    proposers: list[str] = field(default_factory=list)


def find_session(text: str) -> str | None:
    """The meeting, with the place written before it: 深圳市福田区政协第六届第三次会议."""
    m = _SESSION_CORE.search(text)
    if not m:
        return None
    before = text[max(0, m.start() - 12):m.start()]
    prefix = ""
    for k in range(len(before)):
        tail = before[k:]
        if _PLACE_PREFIX.fullmatch(tail):
            prefix = tail
            break
    return prefix + m.group(0)


def find_proposal_number(title: str, opener: str) -> str | None:
    """The proposal/suggestion number without 第/号: 20190892, JY20230126."""
    for text in (title, opener):
        for pattern in (_NUMBER, _NUMBER_IN_PARENS, _NUMBER_LABEL):
            m = pattern.search(text)
            if m:
                return m.group(1)
    return None


def find_proposal_title(title: str, opener: str) -> str | None:
    """The title of the proposal answered, without 《》: the quoted title that is a 提案/建议."""
    for text in (title, opener):
        quoted = list(_QUOTED.finditer(text))
        for m in quoted:
            name = re.sub(r"\s+", "", m.group(1))
            if _PROPOSAL_WORD.search(name) or _NEAR_CUE.search(text[max(0, m.start() - 6):m.start()]):
                return name
    return None


def _names(raw: str) -> list[str]:
    names = []
    for part in _NAME_SPLIT.split(raw):
        part = re.sub(r"(?:委员|代表|同志|等\s*(?:\d+\s*[人位名])?)+$", "", part.strip())
        if _NAME.match(part) and part not in names:
            names.append(part)
    return names


def find_proposers(opener: str) -> list[str]:
    """Names addressed in the salutation (尊敬的张昊等代表 → 张昊) or a labelled 提案人 line."""
    for pattern in (_SALUTATION, _ADDRESS, _PROPOSER_LABEL):
        m = pattern.search(opener)
        if m:
            names = _names(m.group(1))
            if names:
                return names
    return []


def reply_fields(title: str, text: str) -> ReplyFields:
    """Read the proposal number, title, session and proposers of a reply."""
    head = text[:_OPENER_CHARS]
    end = _OPENER_END.search(head)
    opener = head[:end.end()] if end else head
    return ReplyFields(
        proposal_number=find_proposal_number(title, opener),
        proposal_title=find_proposal_title(title, opener),
        session=find_session(title) or find_session(opener),
        proposers=find_proposers(head),
    )

