"""Everyday words and the words the law uses for them: 驾照 → 机动车驾驶证, 老板 → 用人单位.

Citizens and staff ask in their own words (老板拖欠工资，我想辞职); statutes say 用人单位,
拖欠劳动报酬 and 解除劳动合同. A ranked query adds the legal terms of every everyday word it
holds, at a lower weight than the words typed, so a text in the law's words is found and one
in the asker's words still ranks first. The list (``data/lay_terms.txt``: everyday term, tab,
legal terms) is general, by domain; it is not fitted to any set of questions.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

LAY_TERMS = Path(__file__).parent / "data" / "lay_terms.txt"


@lru_cache(maxsize=1)
def _table(path: Path = LAY_TERMS) -> tuple[dict[str, tuple[str, ...]], re.Pattern[str] | None]:
    table: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        lay, legal = line.split("\t", 1)
        terms = tuple(t for t in legal.split() if t != lay.strip())
        if len(lay.strip()) >= 2 and terms:
            table[lay.strip()] = terms
    if not table:
        return table, None
    # longest first: 拖欠工资 is matched before 工资 could be
    pattern = re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))
    return table, pattern


def legal_terms(text: str) -> list[str]:
    """The legal terms of the everyday words in ``text``, in order, without repeats.

    >>> legal_terms("老板拖欠工资，我想辞职")
    ['用人单位', '雇主', '拖欠劳动报酬', '拖欠农民工工资', '解除劳动合同', '提前三十日']
    """
    table, pattern = _table()
    if pattern is None:
        return []
    found: dict[str, None] = {}
    for m in pattern.finditer(text):
        for term in table[m.group()]:
            if term not in text:
                found.setdefault(term, None)
    return list(found)
