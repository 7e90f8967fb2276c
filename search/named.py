"""Titles and places named in a query: 道路交通安全法 醉酒 asks about 《中华人民共和国道路交通安全法》,
在浙江骑电瓶车 about the texts of 浙江省; and which texts are local.

A researcher names the law and then the matter. Its clauses should come first, not those of
the many local regulations whose titles and texts share its words (杭州市道路交通安全管理条例).
Names are the version families' keys (corpus.citations.family_key), with or without the
state's name in front, as people cite them.

A citizen names a place: 北京居民扔垃圾不分类 wants 北京市生活垃圾管理条例, not 杭州市's rule on the
same matter. A place is the province, region or city a title opens with (浙江省…, 广州市…,
关于深圳市…) or whose issuer its name opens (深圳市工业和信息化局), named in full or without its
suffix (浙江, 广州), once it opens two or more titles: a lone title that merely starts like a place
(城市市容…) names none. An index holding one place's texts only (a district's policies) has no
places to name: its name would only push aside the texts that do not repeat it (龙岗区…).

A question that names no place is most often about the rules of the whole country: a national
law comes before the provinces' and cities' texts restating it (search.engine.NATIONAL_BOOST).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from corpus.citations import main_title, normalize_title
from search.divisions import text_place

STATE = "中华人民共和国"
MIN_NAME, MAX_NAME = 4, 60
# Shorter names only for laws (宪法, 刑法, 民法典, 国旗法): a text titled 通知 or 公告 (a title
# lost in a messy file) must not claim every query holding that word.
SHORT_NAME = re.compile(r"^(?:宪法|刑法|..法|..典)$")
# A name made of generic words alone (实施方案, 若干措施) is a document type, not a title.
GENERIC = re.compile(r"^(?:关于)?(?:实施|管理|工作|若干|行动|暂行|试行|补充|有关|具体|专项)*"
                     r"(?:通知|办法|措施|计划|方案|意见|规定|细则|决定|回复|答复|条例|通告|公告|批复|报告|纲要|"
                     r"规划|指引|指南|规则|政策)$")
# The place a title opens with: its name, then the suffix that may be left out (国家市场监督管理总局
# and 全国… open with no place).
PLACE = re.compile(r"^(?:关于)?(?!国家|全国|中华)([\u4e00-\u9fff]{2,3}?)(省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)")
MIN_PLACE_TITLES = 2
MIN_PLACES = 2  # places tell texts apart only where several places' texts are indexed
# An issuing body of a district or county (龙岗区工业和信息化局); a title opening so is often the
# whole country's (风景名胜区条例, 行政区划管理条例), so only issuers are read this way.
DISTRICT = re.compile(r"^(?!国家|全国|中华)[\u4e00-\u9fff]{2,4}?(?:区|县)(?!级|域)")
# A text of the whole country opens with the state or a national body, or is a ministry's.
NATIONAL = re.compile(r"^(?:中华人民共和国|中国|全国|国务院|最高人民法院|最高人民检察院|中共中央|中央|国家|海关总署)"
                      r"|^[\u4e00-\u9fff]{1,10}部$")
STATUTE = re.compile(r"(?:法|法典|条例|规定|办法|细则|规则|解释|决定)(?:[(（][^()（）]{1,6}[)）])?$")


class TitleNames:
    """The names of the indexed families and of the places they belong to, found in text
    (longest first at each position)."""

    def __init__(self, families: Iterable[str], issuers: Mapping[str, str] | None = None) -> None:
        """``issuers``: a family's issuing body, where it names the place its title does not
        (深圳市工业和信息化局 for 市工业和信息化局关于…的函)."""
        self._families: dict[str, list[str]] = {}
        places: dict[tuple[str, str], list[str]] = {}
        for family in families:
            # a part (中华人民共和国民法典·继承编) is named by its own title and by its text's
            whole, part = main_title(family), family[len(main_title(family)) + 1:]
            for name in {family, family.removeprefix(STATE), whole, whole.removeprefix(STATE),
                         whole.removeprefix(STATE) + part}:
                if (MIN_NAME <= len(name) <= MAX_NAME or SHORT_NAME.match(name)) and not GENERIC.match(name):
                    self._families.setdefault(name, []).append(family)
            if place := PLACE.match(family) or PLACE.match((issuers or {}).get(family, "")):
                places.setdefault((place[1], place[2]), []).append(family)
        named = {place: titled for place, titled in places.items() if len(titled) >= MIN_PLACE_TITLES}
        if len(named) < MIN_PLACES:  # one city's texts alone: its name tells none of them apart
            return
        for (name, suffix), titled in named.items():
            for key in (name, name + suffix):
                self._families.setdefault(key, []).extend(titled)

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


def is_local(title: str, issuer: str = "") -> bool:
    """Whether a text is a province's, region's, city's, district's or county's, as its title or
    issuer opens with a place: one of China's administrative divisions (search.divisions: an
    autonomous county's 条例 too), or a name written as one (莱芜市, a city no more).

    >>> is_local("北京市生活垃圾管理条例"), is_local("", "龙岗区工业和信息化局"), is_local("风景名胜区条例")
    (True, True, False)
    >>> is_local("景宁畲族自治县水资源管理条例"), is_local("莱芜市既有多层住宅增设电梯规定")
    (True, True)
    """
    return bool(PLACE.match(title) or PLACE.match(issuer) or DISTRICT.match(issuer) or text_place(title, issuer))


def is_national(title: str, issuer: str = "") -> bool:
    """Whether a text is the whole country's: not local, and either issued or titled by the state
    or a national body (国务院, 最高人民法院, 公安部, 中华人民共和国…), or titled as a statute
    (…条例, …办法, …规定): a province's or city's statutes carry its name in their titles. A
    reply or notice that names no place is neither.

    >>> is_national("工伤保险条例"), is_national("", "公安部"), is_national("噪音扰民"), is_national("北京市控制吸烟条例")
    (True, True, False, False)
    """
    if is_local(title, issuer):
        return False
    return bool(NATIONAL.match(title) or NATIONAL.match(issuer) or STATUTE.search(title))
