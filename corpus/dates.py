"""Dates as documents and tables write them, normalised to ``YYYY-MM-DD``."""
from __future__ import annotations

import re

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}

_NUMERIC = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_CHINESE = re.compile(r"([〇○零Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")


def _cn_small_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十八 → 28, 三十一 → 31."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _valid(year: int, month: int, day: int) -> str | None:
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def normalize_date(value: str) -> str | None:
    """The first date written in ``value``, as ``YYYY-MM-DD``; None if there is none.

    >>> normalize_date("2019/8/20 10:58:13"), normalize_date("二〇二三年五月一日")
    ('2019-08-20', '2023-05-01')
    """
    if not value:
        return None
    text = re.sub(r"\s+", "", value)
    found: list[tuple[int, str]] = []
    m = _NUMERIC.search(text)
    if m:
        date = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if date:
            found.append((m.start(), date))
    m = _CHINESE.search(text)
    if m:
        year = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        date = _valid(year, _cn_small_number(m.group(2)), _cn_small_number(m.group(3)))
        if date:
            found.append((m.start(), date))
    return min(found)[1] if found else None
