"""Versions amended by a newer one: a text is 已被修改 once a newer version of it takes effect.

The versions of one text are a lineage (search.groups: one title, one issuer, a period of
force): 军人抚恤优待条例 of 2011 and of 2024. From the day the 2024 version takes effect the 2011 one is no longer the text in
force; it is 已被修改, and names the version that replaced it. Copies of one version (the same
date) amend nothing. A newer version that repeals its own title (《…条例》同时废止) amends the
older ones rather than ending a different text (search.repeals).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.schema import OPEN_END, OPEN_START


@dataclass(frozen=True)
class Amendment:
    """The newer version that amends a document from the day it takes effect."""

    by: int  # the document unit of the newer version
    effective: str  # the day the newer version takes effect


def amendments(lineage: np.ndarray, date: np.ndarray, valid_from: np.ndarray,
               is_doc: np.ndarray) -> tuple[np.ndarray, dict[tuple[str, str], Amendment]]:
    """The day each unit's text is amended by a newer version (OPEN_END: never), and the
    amendment of each (lineage, date) that has one.

    ``lineage`` ("" for a text without versions), ``date`` and ``valid_from`` are the columns of
    every unit (a clause carries its document's), ``is_doc`` marks the document units.
    """
    family = lineage
    versions: dict[str, dict[str, tuple[str, int]]] = {}  # lineage → date → (first day in force, doc unit)
    for d in np.flatnonzero(is_doc).tolist():
        if not family[d] or not date[d]:
            continue
        start = valid_from[d] if valid_from[d] and valid_from[d] != OPEN_START else date[d]
        known = versions.setdefault(family[d], {}).get(date[d])
        if known is None or start < known[0]:
            versions[family[d]][date[d]] = (start, d)
    amended: dict[tuple[str, str], Amendment] = {}
    for name, dated in versions.items():
        days = sorted(dated)
        for older, newer in zip(days, days[1:]):
            start, by = dated[newer]
            amended[(name, older)] = Amendment(by, max(start, older))
    days_of_units = np.full(len(family), OPEN_END, dtype=object)
    if amended:
        families = {name for name, _ in amended}
        for u in np.flatnonzero(np.isin(family, list(families))).tolist():
            found = amended.get((family[u], date[u]))
            if found:
                days_of_units[u] = found.effective
    return days_of_units, amended
