"""Facet counts of a result set: how many hits per issuer, type, year and status.

Each facet is a small class naming the index field it counts (datasette's pattern), collected
in one registry. A single-valued field is counted at once (the index's ``tally``); otherwise the
result set is intersected with the units of each value, whose masks the index caches.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from whoosh import query as Q

from corpus.validity import AMENDED, EXPIRED, IN_FORCE, NOT_APPLICABLE, NOT_YET

DocSet = np.ndarray  # a boolean mask over the index's units
Lookup = Callable[[Q.Query], DocSet]  # the units matching a query, cached
# field → count per value among the hits, when the index can count a field's values at once, else None
Tally = Callable[[str], "dict[str, int] | None"]
StatusQuery = Callable[[str], Q.Query]  # a status (现行有效 …) → its units on the day asked
Count = Callable[[DocSet], int]  # how many hits a set of units makes (a text and its copies: one)


def _units(found: DocSet) -> int:
    return int(np.count_nonzero(found))


class Facet:
    """Counts hits per value of one index field."""

    name = ""
    label = ""
    field = ""
    top = 20

    def values(self, lexicon: Callable[[str], list[str]], status: StatusQuery) -> Iterable[tuple[str, Q.Query]]:
        """(value shown, query selecting it) for every value of the field."""
        return ((v, Q.Term(self.field, v)) for v in lexicon(self.field) if v)

    def counts(self, hits: DocSet, lookup: Lookup, lexicon: Callable[[str], list[str]],
               status: StatusQuery, tally: Tally | None = None, count: Count = _units) -> list[tuple[str, int]]:
        """(value, count) for the values present among ``hits``, most frequent first; ``count``
        says how many hits some units make."""
        counted = self.tallied(hits, lookup, lexicon, status, tally, count)
        counted.sort(key=lambda vc: (-vc[1], vc[0]))
        return counted[: self.top]

    def tallied(self, hits: DocSet, lookup: Lookup, lexicon: Callable[[str], list[str]],
                status: StatusQuery, tally: Tally | None = None, count: Count = _units) -> list[tuple[str, int]]:
        """(value, count) for every value present among ``hits``, in no order."""
        tallied = tally(self.field) if tally is not None and self.field else None
        if tallied is not None:
            counted = [(v, n) for v, n in tallied.items() if v and n]
        else:
            counted = []
            for value, query in self.values(lexicon, status):
                n = count(hits & lookup(query))
                if n:
                    counted.append((value, n))
        return counted


class IssuerFacet(Facet):
    """A document counts under each of its issuers: its lead (one a unit, counted at once) and
    its joint issuers (few units have any, counted one value at a time)."""

    name, label, field = "issuer", "机关", "issuing_body"
    joint = "co_issuers"

    def tallied(self, hits: DocSet, lookup: Lookup, lexicon: Callable[[str], list[str]],
                status: StatusQuery, tally: Tally | None = None, count: Count = _units) -> list[tuple[str, int]]:
        counted = dict(super().tallied(hits, lookup, lexicon, status, tally, count))
        for value in lexicon(self.joint):
            if not value:
                continue
            joint = hits & lookup(Q.Term(self.joint, value))
            if not joint.any():
                continue
            # a text counts once under a body: as its lead, or as a joint issuer
            counted[value] = count(joint | (hits & lookup(Q.Term(self.field, value))))
        return list(counted.items())


class TypeFacet(Facet):
    name, label, field = "type", "类型", "doc_type"


class YearFacet(Facet):
    name, label, field = "year", "年份", "year"

    def values(self, lexicon: Callable[[str], list[str]], status: StatusQuery) -> Iterable[tuple[str, Q.Query]]:
        return ((v, Q.NumericRange("year", int(v), int(v))) for v in lexicon("year"))

    def counts(self, hits: DocSet, lookup: Lookup, lexicon: Callable[[str], list[str]],
               status: StatusQuery, tally: Tally | None = None, count: Count = _units) -> list[tuple[str, int]]:
        counted = super().counts(hits, lookup, lexicon, status, tally, count)
        return sorted(counted, key=lambda vc: vc[0], reverse=True)


class StatusFacet(Facet):
    name, label, field = "status", "状态", ""

    def values(self, lexicon: Callable[[str], list[str]], status: StatusQuery) -> Iterable[tuple[str, Q.Query]]:
        return ((name, status(name)) for name in (IN_FORCE, AMENDED, EXPIRED, NOT_YET, NOT_APPLICABLE))


FACETS: tuple[Facet, ...] = (IssuerFacet(), TypeFacet(), YearFacet(), StatusFacet())
