"""Whose rules a text states, and which places lie within which: 福田区 in 深圳市 in 广东省.

A body answering a proposal may ground its answer on the rules of its own place and of the
places above it (a district's, its city's, its province's, the whole country's), never on
another district's or city's. Where a text governs is read from the places its issuer's name or
its title opens with (深圳市工业和信息化局, 龙岗区关于…, 关于深圳市福田区…): provinces and cities
are known from a table of China's provinces and their prefecture-level divisions
(``search/data/places.txt``); districts and counties from the texts themselves, where a city is
written before them (深圳市福田区 in a title, an issuer, a meeting's name).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from search.named import is_national

PLACES_FILE = Path(__file__).parent / "data" / "places.txt"
# A district or county: two to four characters before 区/县/旗 — not a kind of area (社区, 园区,
# 开发区, 示范区, 自贸区…), which titles and bodies name too.
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
    provinces: frozenset[str]
    province_of: dict[str, str]  # a city (prefecture) → its province


@lru_cache(maxsize=1)
def _table() -> _Table:
    provinces: set[str] = set()
    province_of: dict[str, str] = {}
    for line in PLACES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        province, *cities = line.split()
        provinces.add(province)
        for city in cities:
            province_of[city] = province
    return _Table(frozenset(provinces), province_of)


@lru_cache(maxsize=1)
def _known() -> re.Pattern[str]:
    """Any province or city of the table, longest first."""
    table = _table()
    names = sorted({*table.provinces, *table.province_of}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def _district_at(text: str, at: int) -> str | None:
    m = _DISTRICT.match(text, at)
    if m and not _NOT_A_DISTRICT.search(m.group(0)):
        return m.group(0)
    return None


def leading_places(name: str, *, districts: bool = True) -> list[str]:
    """The places a body's name or a title opens with, outermost first.

    ``districts``: also a district or county opening the name on its own (龙岗区工业和信息化局);
    a title's opening word may only look like one, so titles are read without. A district after
    a province or city (深圳市福田区…) is always read.

    >>> leading_places("深圳市福田区工业和信息化局"), leading_places("关于深圳市时尚产业的通知", districts=False)
    (['深圳市', '福田区'], ['深圳市'])
    >>> leading_places("龙岗区工业和信息化局"), leading_places("市工业和信息化局"), leading_places("海绵城市建设办法")
    (['龙岗区'], [], [])
    """
    text = _OPENING.sub("", name.strip())
    found: list[str] = []
    at = 0
    while m := _known().match(text, at):
        found.append(m.group(0))
        at = m.end()
    if found or districts:
        district = _district_at(text, at)
        if district:
            found.append(district)
    return found


@dataclass
class Places:
    """What is known of which place lies within which: the table's provinces and cities, and the
    districts learned from texts that write a city before them."""

    parent: dict[str, str] = field(default_factory=lambda: dict(_table().province_of))

    def learn(self, texts: Iterable[str]) -> Places:
        """Learn the district of every 深圳市福田区 (a table's city, then a district) in ``texts``."""
        known = _known()
        for text in texts:
            for m in known.finditer(text or ""):
                district = _district_at(text, m.end())
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


@dataclass(frozen=True)
class Jurisdiction:
    """Where a body may draw its grounds from: its own place and those above it (innermost first).
    Empty: the body's place is unknown, and every text may be a ground."""

    places: tuple[str, ...]

    @classmethod
    def of(cls, body: str | None, places: Places, *context: str | None) -> Jurisdiction:
        """The jurisdiction of a body by its name (福田区工业和信息化局), else by the first of
        ``context`` naming a place (a proposal's meeting: 深圳市福田区政协第六届第三次会议)."""
        for name in (body, *context):
            opened = leading_places(name or "")
            if opened:
                return cls(tuple(places.chain(opened)))
        return cls(())

    def covers(self, title: str, issuer: str | None) -> bool:
        """Whether a text's rules hold in this jurisdiction: it is the whole country's, its place
        is this one or one above, or it cannot be told — its place is unknown (市工业和信息化局
        关于…: none named), or of a higher level than the outermost place known to hold the body
        (a city's text, for a district no text places in its city).

        >>> j = Jurisdiction(("福田区", "深圳市", "广东省"))
        >>> j.covers("深圳市时尚产业高质量发展行动计划", "深圳市工业和信息化局"), j.covers("龙岗区关于…若干措施", "龙岗区工业和信息化局")
        (True, False)
        >>> Jurisdiction(("龙岗区",)).covers("深圳市时尚产业高质量发展行动计划", None)
        True
        """
        if not self.places or is_national(title, issuer or ""):
            return True
        place = text_place(title, issuer)
        return place is None or place in self.places or level(place) < level(self.places[-1])


def level(place: str) -> int:
    """0 for a province, region or municipality, 1 for a city or prefecture, 2 for a district or county."""
    if place in _table().provinces:
        return 0
    return 2 if place.endswith(("区", "县", "旗")) and place not in _table().province_of else 1


def text_place(title: str, issuer: str | None) -> str | None:
    """The innermost place a text governs, by its issuer's name, else by its title; None when
    neither opens with a place."""
    by_issuer = leading_places(issuer or "")
    by_title = leading_places(title, districts=False)
    # the more specific of the two: 深圳市人民政府 issuing 关于深圳市福田区… is still the city's
    found = by_issuer or by_title
    return found[-1] if found else None


__all__ = ["Jurisdiction", "Places", "leading_places", "level", "text_place"]
