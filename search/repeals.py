"""Texts repealed by other texts: 《北京市预算监督条例》同时废止 ends that regulation's force.

A text's own validity (corpus.validity) only knows what the text says of itself. A newer text
often repeals an older one under another title (噪声污染防治法 repeals 环境噪声污染防治法; 增值税法
repeals 增值税暂行条例) or an older version under the same title. Each document unit lists the
families it repeals (indexer.units, field ``repeals``); here they become :class:`Repeal`
records. The index works out once the day each unit's text is repealed, which the status filter,
the status facet and every hit's status take into account.

A repeal reaches the versions of the family dated before the repealing text, never the
repealing text itself, and takes effect the day the repealing text does.
"""
from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as Q

from indexer.schema import OPEN_END, OPEN_START
from search.groups import no_force_query


@dataclass(frozen=True)
class Repeal:
    """One family's versions repealed by one document."""

    family: str  # the family repealed
    before: str  # its versions dated before this day (the repealing text's date)
    by: str  # the repealing document's id
    title: str  # the repealing document's title
    effective: str  # the day the repeal takes effect (the repealing text's first day in force)

    def units(self) -> Q.Query:
        """The units the repeal reaches: the family's versions dated before it, undated ones
        included, but not the repealing text itself, nor a reply of the same title (it has no
        force to end)."""
        return Q.And([Q.Term("family", self.family), Q.Not(Q.Term("doc_id", self.by)),
                      Q.Not(Q.TermRange("date", self.before, OPEN_END)), Q.Not(no_force_query())])

    def to_json(self) -> dict[str, str]:
        return {"id": self.by, "title": self.title, "date": self.effective}


def repeal(family: str, by: str, title: str, date: str, valid_from: str) -> Repeal | None:
    """The repeal of ``family`` by the document ``by``, dated ``date`` and in force from
    ``valid_from`` (OPEN_START when unknown); None when the repealing text has no date."""
    effective = valid_from if valid_from and valid_from != OPEN_START else date
    if not date and not effective:
        return None
    return Repeal(family, date or effective, by, title, effective)
