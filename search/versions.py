"""Versions of one text are one family: the newest in force stands for them in results.

A family is the title without a trailing year range (corpus.citations.family_key): the two
护士条例 of the laws corpus, or a plan's successive editions. In a result list the family
appears once, where its best hit ranks, represented by its newest version in force among
the hits; the other versions are listed on that hit, reachable from it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corpus.validity import AMENDED, EXPIRED, IN_FORCE, NOT_YET
from indexer.schema import OPEN_END, OPEN_START


@dataclass(frozen=True)
class Version:
    """One version of a family: which document, its date, and its status on the day asked."""

    docnum: int
    doc_id: str
    date: str
    status: str

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


def preference(version: Version) -> tuple[bool, str]:
    """Sort key: in force first, then the newest."""
    return (version.status == IN_FORCE, version.date)


def collapse(candidates: list[tuple[float, int]], key_of: dict[int, str],
             version_of: Callable[[int], Version]) -> list[tuple[float, int]]:
    """Keep one hit per family (and clause path, for clauses), at its best rank.

    ``candidates`` are (score, docnum), best first; ``key_of`` gives each docnum's grouping key.
    The hit kept is the preferred version among the family's hits (in force, then newest); it
    takes the best score and place of the family. ``version_of`` is asked only about hits that
    share their key with another: most hits stand alone.
    """
    groups: dict[str, list[int]] = {}
    best: dict[str, float] = {}
    for score, docnum in candidates:
        key = key_of[docnum]
        if key not in groups:
            groups[key] = []
            best[key] = score
        groups[key].append(docnum)
    return [
        (best[key], members[0] if len(members) == 1 else max(members, key=lambda d: preference(version_of(d))))
        for key, members in groups.items()
    ]
