"""Titles named in a query: 道路交通安全法 醉酒 asks about 《中华人民共和国道路交通安全法》.

A researcher names the law and then the matter. Its clauses should come first, not those of
the many local regulations whose titles and texts share its words (杭州市道路交通安全管理条例).
Names are the version families' keys (corpus.citations.family_key), with or without the
state's name in front, as people cite them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.citations import normalize_title

STATE = "中华人民共和国"
MIN_NAME, MAX_NAME = 4, 60
# Shorter names only for laws (宪法, 刑法, 民法典, 国旗法): a text titled 通知 or 公告 (a title
# lost in a messy file) must not claim every query holding that word.
SHORT_NAME = re.compile(r"^(?:宪法|刑法|..法|..典)$")
# A name made of generic words alone (实施方案, 若干措施) is a document type, not a title.
GENERIC = re.compile(r"^(?:关于)?(?:实施|管理|工作|若干|行动|暂行|试行|补充|有关|具体|专项)*"
                     r"(?:通知|办法|措施|计划|方案|意见|规定|细则|决定|回复|答复|条例|通告|公告|批复|报告|纲要|"
                     r"规划|指引|指南|规则|政策)$")


class TitleNames:
    """The names of the indexed families, found in text (longest first at each place)."""

    def __init__(self, families: Iterable[str]) -> None:
        self._families: dict[str, list[str]] = {}
        for family in families:
            for name in {family, family.removeprefix(STATE)}:
                if (MIN_NAME <= len(name) <= MAX_NAME or SHORT_NAME.match(name)) and not GENERIC.match(name):
                    self._families.setdefault(name, []).append(family)

    def find(self, text: str) -> list[str]:
        """The families ``text`` names, in order.

        >>> TitleNames(["中华人民共和国道路交通安全法", "杭州市道路交通安全管理条例"]).find("道路交通安全法 醉酒")
        ['中华人民共和国道路交通安全法']
        """
        return self.split(text)[0]

    def split(self, text: str) -> tuple[list[str], str]:
        """The families ``text`` names, and what is left of it (folded) without the names.

        >>> TitleNames(["中华人民共和国刑法"]).split("刑法盗窃")
        (['中华人民共和国刑法'], '盗窃')
        """
        text = normalize_title(text)
        found: dict[str, None] = {}
        rest: list[str] = []
        start = 0
        while start < len(text):
            for end in range(min(len(text), start + MAX_NAME), start + 1, -1):
                families = self._families.get(text[start:end])
                if families:
                    found.update(dict.fromkeys(families))
                    start = end
                    break
            else:
                if text[start] not in "《》":  # what quoted a name
                    rest.append(text[start])
                start += 1
        return list(found), "".join(rest)
