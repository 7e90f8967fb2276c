"""When a document takes effect, how long it is valid, and its status on a given day.

Policy texts close with 本办法自2024年1月5日起施行，有效期3年 or 自发布之日起实施; some
state an end date instead (有效期至2025年12月31日). Search filters ask 现行有效 / 已失效 /
尚未生效 of a day, which :func:`status_on` answers from these.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Protocol

from corpus.dates import find_dates, normalize_date
from corpus.kinds import REPLY_TYPES
from corpus.numbers import parse_number

_OWN_START = re.compile(
    r"(?:本|此)[^\n。；《》]{0,16}?自\s*([^\n。；，,]{1,30}?)\s*(?:之日)?起(?:施行|实施|执行|生效|试行)"
)
_ANY_START = re.compile(r"(?<!》)自\s*([^\n。；，,《》]{1,30}?)\s*(?:之日)?起(?:施行|实施|执行|生效|试行)")
_ON_ISSUE = re.compile(r"(?:发布|印发|公布|颁布|签发|发文|下发)")
_VALID_YEARS = re.compile(r"有效期(?:限)?(?:为|是)?\s*([0-9０-９.]+|[一二三四五六七八九十两]+)\s*年")
_VALID_UNTIL = re.compile(r"有效期(?:限)?(?:为|是)?(?:[^\n。；]{0,30}?)至\s*([^\n。；，,]{6,20})")
_VALID = re.compile("有效期")
_STOPS = "。；;\n"  # what ends a sentence
_CLAUSE_BREAK = re.compile(r"[，,：:]")
# What a text calls itself: 本措施, 本行动计划, 此通知
_ITSELF = (r"(?:本|此)[^，,。；;\s]{0,10}?(?:办法|措施|规定|方案|计划|通知|细则|意见|条例|决定|规则|政策|指引|"
           r"指南|标准|文件|规划|纲要|目录|清单|公告|通告|制度|法)")
_SUBJECT_ITSELF = re.compile(_ITSELF + r"(?:的)?$")
# ... or opens a sentence with it, after an article or item number: 第三十条 本办法自…起施行
_OPENS_ITSELF = re.compile(r"\s*(?:第[^条\s]{1,8}条|[一二三四五六七八九十\d]+[、.．]|[（(][^）)]{1,4}[）)])?\s*" + _ITSELF)

IN_FORCE, EXPIRED, NOT_YET = "现行有效", "已失效", "尚未生效"
AMENDED = "已被修改"  # a newer version of the text has taken effect (search.amendments)
NOT_APPLICABLE = "不适用"  # a text without a period of force (a reply): the status facet's and filter's name for it


def has_validity(doc_type: str | None) -> bool:
    """Whether a text of this kind is in force for a time (a policy, a law), unlike a reply (to a
    CPPCC proposal, a deputy's suggestion, a citizen's message): it answers once, and a status of
    现行有效 would tell its reader nothing."""
    return doc_type not in REPLY_TYPES


def find_effective_date(text: str, date: str | None) -> str | None:
    """The date it takes effect: 自2024年1月5日起施行 → 2024-01-05; 自发布之日起实施 → ``date``."""
    for pattern in (_OWN_START, _ANY_START):
        for m in pattern.finditer(text):
            when = m.group(1)
            found = normalize_date(when)
            if found:
                return found
            if _ON_ISSUE.search(when):
                return date
    return None


def own_validity(text: str) -> Iterator[str]:
    """The statements of the text's own period of validity, from 有效期 on.

    Laws and regulations state the validity of what they govern (护士执业注册有效期为5年,
    许可证有效期为三年): those are not the document's. A statement is its own when 有效期's
    subject is the text itself (本措施有效期3年), or when it has none and its sentence, or the one
    before, opens with the text (本办法自印发之日起施行，有效期3年; 本办法…施行。有效期五年。).

    >>> list(own_validity("本措施自印发之日起施行，有效期3年。"))
    ['有效期3年']
    >>> list(own_validity("第八条 护士执业注册有效期为5年。"))
    []
    """
    done = -1  # the start of the last sentence that gave its statement
    for m in _VALID.finditer(text):  # only the sentences around 有效期 are read: laws are long
        start = _sentence_start(text, m.start())
        if start == done:
            continue
        before = text[start:m.start()]
        breaks = [b.end() for b in _CLAUSE_BREAK.finditer(before)]
        subject = before[breaks[-1] if breaks else 0:].strip()
        if not before and start > 0:  # 有效期 opens its sentence: the one before must open with the text
            end = start - 1
            while end > 0 and text[end - 1] in _STOPS:  # 施行。\n有效期: past the empty one
                end -= 1
            before = text[_sentence_start(text, end):end]
        if _SUBJECT_ITSELF.search(subject) if subject else _OPENS_ITSELF.match(before):
            done = start
            yield text[m.start():_sentence_end(text, m.end())]


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding the character at ``at`` starts (after 。；; or a line end)."""
    return max(text.rfind(stop, 0, at) for stop in _STOPS) + 1


def _sentence_end(text: str, at: int) -> int:
    ends = [e for e in (text.find(stop, at) for stop in _STOPS) if e >= 0]
    return min(ends) if ends else len(text)


def find_valid_years(text: str) -> int | float | None:
    """The stated period of validity in years (本措施有效期3年, …起施行，有效期为五年); None if
    the text states none of its own (see :func:`own_validity`)."""
    for statement in own_validity(text):
        m = _VALID_YEARS.match(statement)
        if m:
            value = parse_number(m.group(1))
            if value is not None and value > 0:
                return int(value) if value == int(value) else value
    return None


def find_valid_until(text: str) -> str | None:
    """An end date of the text's own, stated as 有效期至2025年12月31日, where there is one."""
    for statement in own_validity(text):
        m = _VALID_UNTIL.match(statement)
        if m:
            dates = find_dates(m.group(1))
            if dates:
                return dates[0].iso
    return None


class _Dated(Protocol):
    date: str | None
    effective_date: str | None
    valid_years: float | None
    body: str


def _as_date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _add_years(start: dt.date, years: float) -> dt.date:
    whole = int(years)
    try:
        end = start.replace(year=start.year + whole)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + whole, day=28)
    return end + dt.timedelta(days=round((years - whole) * 365))


def validity_window(doc: _Dated) -> tuple[str | None, str | None]:
    """(first day in force, first day no longer in force) as ISO dates; None where open.

    The start is the stated effective date, else the document's own date; the end comes from
    有效期至… or from the start plus 有效期N年.
    """
    start = doc.effective_date or doc.date
    until = find_valid_until(doc.body)
    if until:
        return start, (_as_date(until) + dt.timedelta(days=1)).isoformat()
    if start and doc.valid_years:
        return start, _add_years(_as_date(start), doc.valid_years).isoformat()
    return start, None


def last_day_in_force(doc: _Dated) -> str | None:
    """The last day of the stated period of validity (ISO), None where no end is stated.

    >>> from types import SimpleNamespace as D
    >>> last_day_in_force(D(date="2020-03-10", effective_date=None, valid_years=5, body=""))
    '2025-03-09'
    """
    _start, end = validity_window(doc)
    return (_as_date(end) - dt.timedelta(days=1)).isoformat() if end else None


def record_dates(record: dict[str, object]) -> _Dated:
    """What a document's record (``parse --json``, with its ``body``) says of its validity."""
    from types import SimpleNamespace

    return SimpleNamespace(date=record.get("date"), effective_date=record.get("effective_date"),
                           valid_years=record.get("valid_years"), body=record.get("body") or "")


def status_on(doc: _Dated, on: str | dt.date) -> str:
    """现行有效, 已失效 or 尚未生效 on the day ``on``, from effective date and period of validity.

    A document with no stated start counts from its own date; one with no stated period or
    end date stays in force.

    >>> from types import SimpleNamespace as D
    >>> status_on(D(date=None, effective_date="2024-01-05", valid_years=3, body=""), "2027-01-05")
    '已失效'
    """
    day = _as_date(on)
    start, end = validity_window(doc)
    if start and day < _as_date(start):
        return NOT_YET
    if end and day >= _as_date(end):
        return EXPIRED
    return IN_FORCE
