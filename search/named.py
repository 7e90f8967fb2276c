"""Titles named in a query: 道路交通安全法 醉酒 asks about 《中华人民共和国道路交通安全法》.

A researcher names the law and then the matter. Its clauses should come first, not those of
the many local regulations whose titles and texts share its words (杭州市道路交通安全管理条例).
Names are the version families' keys (corpus.citations.family_key), with or without the
state's name in front, as people cite them.
"""
from __future__ import annotations

from collections.abc import Iterable

from corpus.citations import normalize_title

STATE = "中华人民共和国"
MIN_NAME, MAX_NAME = 2, 60  # 宪法 and 刑法 are names too


class TitleNames:
    """The names of the indexed families, found in text (longest first at each place)."""

    def __init__(self, families: Iterable[str]) -> None:
        self._families: dict[str, list[str]] = {}
        for family in families:
            for name in {family, family.removeprefix(STATE)}:
                if MIN_NAME <= len(name) <= MAX_NAME:
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
            for end in range(min(len(text), start + MAX_NAME), start + MIN_NAME - 1, -1):
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
