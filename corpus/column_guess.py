"""Which column of a table is which field, guessed from what the columns hold.

A table ingested without ``--columns`` gets a suggestion built from its contents, not from the
order of its columns: the column of unique short codes is the id, the one whose cells are dates
the date, the longest text the body and a short text the title.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.dates import find_dates

SAMPLE_ROWS = 5_000  # rows read for the guess (it is made only when --columns is missing)
MOST = 0.8  # share of a column's filled cells that must look alike
TITLE_CHARS = (4, 80)  # a title's mean length, in characters

_CODE = re.compile(r"[0-9A-Za-z][\w\-/.#]{0,39}", re.ASCII)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_REPLY_COLUMN = re.compile(r"答复|回复|复函")  # a text column that holds the answers
REPLY_KIND = "答复"  # the kind of a reply to a citizen's message (corpus.kinds.REPLY_TYPES)


def guess_columns(header: Sequence[str], rows: Sequence[dict[str, str]]) -> dict[str, str]:
    """``{field: column}`` for id, title, body and date, as far as the contents tell (body always
    when any column holds text); ``doc_type: 答复`` (a kind every row takes) where the body is a
    column of answers (答复意见, 回复内容)."""
    sample = rows[:SAMPLE_ROWS]
    cells = {name: [(row.get(name) or "").strip() for row in sample] for name in header if name}
    filled = {name: [v for v in values if v] for name, values in cells.items()}
    dates = [n for n, v in filled.items() if v and _share(v, _is_date) >= MOST]
    ids = [n for n, v in filled.items() if n not in dates and v and len(v) == len(cells[n])
           and len(set(v)) == len(v) and _share(v, _is_code) >= MOST]
    texts = [n for n, v in filled.items() if n not in dates and n not in ids and v and _share(v, _has_cjk) >= 0.5]
    length = {n: sum(map(len, filled[n])) / len(filled[n]) for n in texts}
    guess: dict[str, str] = {}
    if ids:
        guess["id"] = ids[0]
    if texts:
        body = max(texts, key=lambda n: length[n])
        titles = [n for n in texts if n != body and TITLE_CHARS[0] <= length[n] <= TITLE_CHARS[1]]
        if titles:
            guess["title"] = max(titles, key=lambda n: length[n])
        guess["body"] = body
        if dates:  # the date named like the body (答复意见 → 答复时间), else the last
            guess["date"] = next((n for n in dates if n[:2] == body[:2]), dates[-1])
        if _REPLY_COLUMN.search(body) and REPLY_KIND not in header:  # 答复意见: every row is a reply
            guess["doc_type"] = REPLY_KIND
    elif dates:
        guess["date"] = dates[-1]
    return guess


def columns_option(guess: dict[str, str]) -> str:
    """The ``--columns`` value of a guess, in the order id, title, body, date, doc_type."""
    return ",".join(f"{key}={guess[key]}" for key in ("id", "title", "body", "date", "doc_type") if key in guess)


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values)


def _is_date(value: str) -> bool:
    found = find_dates(value) if len(value) <= 30 else []
    return bool(found) and found[0].end - found[0].start >= len(value) // 2


def _is_code(value: str) -> bool:
    return bool(_CODE.fullmatch(value)) and any(ch.isdigit() for ch in value)


def _has_cjk(value: str) -> bool:
    return bool(_CJK.search(value))
