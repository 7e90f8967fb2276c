"""Dates as documents and tables write them, normalised to ``YYYY-MM-DD``.

Forms: 2020年6月28日, 2020-03-10, 2020/3/10, 2020.3.10, 二〇二三年五月一日, full-width digits,
and any of these broken by white space or a line break between their parts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.numbers import cn_small, fold_width

_NUMERIC = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"|([-/.])\s*(\d{1,2})\s*\4\s*(\d{1,2})(?!\d))"
)
_CN_YEAR = "〇○零ＯO一二三四五六七八九"
_CHINESE = re.compile(
    rf"([{_CN_YEAR}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月\s*([一二三四五六七八九十]{{1,3}})\s*日"
)
_YEAR_DIGITS = str.maketrans("ＯO", "〇〇")


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: where it is and its ISO form."""

    start: int
    end: int
    iso: str


def _valid(year: int | None, month: int | None, day: int | None) -> str | None:
    if year and month and day and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def find_dates(text: str) -> list[DateMatch]:
    """Every full date (year, month and day) in ``text``, in order of position."""
    folded = fold_width(text)
    found = []
    for m in _NUMERIC.finditer(folded):
        if m.group(2):
            iso = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        else:
            iso = _valid(int(m.group(1)), int(m.group(5)), int(m.group(6)))
        if iso:
            found.append(DateMatch(m.start(), m.end(), iso))
    if "年" in folded:
        for m in _CHINESE.finditer(folded):
            year = cn_small(m.group(1).translate(_YEAR_DIGITS))
            iso = _valid(year, cn_small(m.group(2)), cn_small(m.group(3)))
            if iso:
                found.append(DateMatch(m.start(), m.end(), iso))
    found.sort(key=lambda d: d.start)
    return found


def normalize_date(value: str) -> str | None:
    """The first date written in ``value``, as ``YYYY-MM-DD``; None if there is none.

    >>> normalize_date("2019/8/20 10:58:13"), normalize_date("二〇二三年五月一日")
    ('2019-08-20', '2023-05-01')
    """
    if not value:
        return None
    dates = find_dates(value)
    return dates[0].iso if dates else None


def day_or_today(value: str | None, param: str) -> str:
    """The ISO day ``value`` names (in any written form), or today when it is empty.

    ``param`` names the parameter in the error, e.g. ``as_of`` (the CLI shows its flag).
    """
    import datetime as dt

    from errors import UsageError

    if not value:
        return dt.date.today().isoformat()
    day = normalize_date(value)
    if not day:
        raise UsageError(f"{{param}}: `{value}` is not a date (e.g. 2024-06-30)", param=param)
    return day
