"""Versions of one text are one lineage: the newest in force stands for them in results.

A lineage is the texts with a period of force of one title (without a trailing year range:
corpus.citations.family_key) and one issuer (search.groups): the two 护士条例 of the laws corpus,
or a plan's successive editions; never replies. In a result list the lineage appears once,
where its best hit ranks, represented by its newest version in force among the hits; the other
versions are listed on that hit, reachable from it.
"""
from __future__ import annotations

from dataclasses import dataclass

from corpus.validity import AMENDED, EXPIRED, IN_FORCE, NOT_YET
from indexer.schema import OPEN_END, OPEN_START


@dataclass(frozen=True)
class Version:
    """One version of a family: which document, its date, and its status on the day asked."""

    docnum: int
    doc_id: str
    date: str
    status: str | None  # None: a text without a period of force (a reply)

    def to_json(self) -> dict[str, str | None]:
        return {"id": self.doc_id, "date": self.date or None, "status": self.status}


def status_of(valid_from: str, valid_until: str, as_of: str, amended_from: str = OPEN_END) -> str:
    """现行有效 / 已被修改 / 已失效 / 尚未生效 from a unit's validity window (ISO dates, open ends)
    and the day a newer version of it takes effect."""
    if (valid_from or OPEN_START) > as_of:
        return NOT_YET
    if (valid_until or OPEN_END) <= as_of:
        return EXPIRED
    if (amended_from or OPEN_END) <= as_of:
        return AMENDED
    return IN_FORCE


@dataclass(frozen=True)
class Shown:
    """One hit of a result list: its score (the best of its group's), the unit shown and the
    unit of the group ranked best (what found it)."""

    score: float
    docnum: int
    found: int


def preference(version: Version) -> tuple[bool, str]:
    """Sort key: in force first, then the newest."""
    return (version.status == IN_FORCE, version.date)
