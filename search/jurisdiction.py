"""Whose rules a body may ground its answer on: those of its own place, of the places above it
and of the places within it.

A body answering a proposal may ground its answer on the rules of its own place and of the
places above it (a district's, its city's, its province's, the whole country's), and, for a
city's or a province's body, on those of its districts (a 深圳 body may cite 龙岗区's measures as
its district's work) — never on another district's or city's. Which place lies within which is
:mod:`search.divisions`' model of China's administrative divisions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from search.divisions import Divisions, leading_places, level, text_place
from search.named import is_national


@dataclass(frozen=True)
class Jurisdiction:
    """Where a body may draw its grounds from: its own place and those above it (``places``,
    innermost first), and the places within its own. Empty: the body's place is unknown, and every text may be a ground."""

    places: tuple[str, ...]
    divisions: Divisions = field(default_factory=Divisions, compare=False, repr=False)

    @classmethod
    def of(cls, body: str | None, divisions: Divisions, *context: str | None) -> Jurisdiction:
        """The jurisdiction of a body by its name (福田区工业和信息化局), else by the first of
        ``context`` naming a place (a proposal's meeting: 深圳市福田区政协第六届第三次会议)."""
        for name in (body, *context):
            opened = leading_places(name or "")
            if opened:
                return cls(tuple(divisions.chain(opened)), divisions)
        return cls((), divisions)

    def covers(self, title: str, issuer: str | None) -> bool:
        """Whether a text's rules hold in this jurisdiction: it is the whole country's, its place
        is this one, one above or one within (龙岗区 for a 深圳 body), or it cannot be told — its place is unknown (市工业和信息化局
        关于…: none named), or of a higher level than the outermost place known to hold the body
        (a city's text, for a district no text places in its city).

        >>> j = Jurisdiction(("福田区", "深圳市", "广东省"))
        >>> j.covers("深圳市时尚产业高质量发展行动计划", "深圳市工业和信息化局"), j.covers("龙岗区关于…若干措施", "龙岗区工业和信息化局")
        (True, False)
        >>> Jurisdiction(("龙岗区",)).covers("深圳市时尚产业高质量发展行动计划", None)
        True
        >>> Jurisdiction(("深圳市", "广东省")).covers("龙岗区关于…若干措施", "龙岗区工业和信息化局")
        True
        """
        if not self.places or is_national(title, issuer or ""):
            return True
        place = text_place(title, issuer)
        if place is None or place in self.places or level(place) < level(self.places[-1]):
            return True
        return self.places[0] in self.divisions.chain([place])[1:]


__all__ = ["Jurisdiction"]
