"""A text's history in an index: its versions (one family, several dates), the newer version
that amends it and the indexed texts that repeal it, and so the status of each unit on a day.

The rules live in :mod:`search.versions`, :mod:`search.amendments` and :mod:`search.repeals`;
this part finds, once per open index, which units they apply to.
"""
from __future__ import annotations

import numpy as np
from whoosh import query as Q

from indexer.schema import OPEN_END, OPEN_START
from search.amendments import Amendment, amendments
from search.evaluate import UnitSet
from search.named import STATE
from search.repeals import Repeal, repeal
from search.results import shown_source
from search.state import FILTER_CACHE, IndexState, cached
from search.groups import Groups, find_groups
from search.versions import Shown, Version, preference, status_of


class History:
    """Versions and repeals of the texts of one open index (found on first use, then kept)."""

    def __init__(self, state: IndexState) -> None:
        self.state = state
        self._repeal_list: list[Repeal] | None = None  # repeals between indexed texts, found on first use
        self._reach: tuple[np.ndarray, dict[int, list[Repeal]]] | None = None  # see _repeal_reach
        self._repealed_on: dict[str, Q.Query | None] = {}  # by day: few days are asked about
        self._amends: tuple[np.ndarray, dict[tuple[str, str], Amendment]] | None = None  # see amendments
        self._amended_on: dict[str, Q.Query | None] = {}
        self._groups: Groups | None = None  # see groups
        self._unit_keys: dict[bool, np.ndarray] = {}
        self._copies_of: dict[tuple[int, str], list[int]] | None = None  # see _copy_units

    def version(self, docnum: int, as_of: str) -> Version:
        """The unit's version of its text, with its status on ``as_of`` (None for a text without
        a period of force: a reply)."""
        column = self.state.column
        status = (status_of(column("valid_from")[docnum], self._until(docnum), as_of, self.amendments()[0][docnum])
                  if self.groups().has_force[docnum] else None)
        return Version(docnum, column("doc_id")[docnum], column("date")[docnum], status)

    def groups(self) -> Groups:
        """Every unit's copies and versions (search.groups), found once."""
        if self._groups is None:
            self._groups = find_groups(self.state)
        return self._groups

    def unit_keys(self, versions: bool) -> np.ndarray:
        """Per unit, the key that the units shown as one hit share (search.groups.Groups.unit_keys)."""
        if versions not in self._unit_keys:
            self._unit_keys[versions] = self.groups().unit_keys(versions, self.state.column("clause_path"))
        return self._unit_keys[versions]

    def ended(self, docnum: int) -> str | None:
        """The first day the unit's text is no longer in force, by its own validity or a repeal
        by another text; None when nothing ends it."""
        return self.window(docnum)[1]

    def window(self, docnum: int) -> tuple[str | None, str | None]:
        """The unit's first day in force and first day no longer in force (its own end, or the
        day a repeal takes effect); None for an open end."""
        start, until = self.state.column("valid_from")[docnum], self._until(docnum)
        return (None if start in ("", OPEN_START) else str(start), None if until in ("", OPEN_END) else str(until))

    def _until(self, docnum: int) -> str:
        """The first day the unit's text is no longer in force (OPEN_END: never)."""
        return min(self.state.column("valid_until")[docnum], self.repealed_from()[docnum])

    def collapse(self, scored: list[tuple[float, int]], as_of: str, versions: bool,
                 allowed: np.ndarray | None) -> list[Shown]:
        """``scored`` (score, unit), best first, as the hits shown: one per text (its copies, and
        with ``versions`` its versions), at its best place. Of a text's versions among ``scored``
        the preferred one is shown (in force, then newest); of that version's files, the same one
        whatever the ranking (the first source, among the units ``allowed``, None: all)."""
        keys = self.unit_keys(versions)
        groups = self.groups()
        first: dict[int, int] = {}
        members: dict[int, list[tuple[float, int]]] = {}
        for score, docnum in scored:
            key = int(keys[docnum])
            first.setdefault(key, docnum)
            members.setdefault(key, []).append((score, docnum))
        shown = []
        for key, found in members.items():
            best_score, best = found[0]
            chosen = best if len(found) == 1 else max((d for _s, d in found),
                                                      key=lambda d: preference(self.version(d, as_of)))
            shown.append(Shown(best_score, self._representative(chosen, groups, allowed), best))
        return shown

    def _representative(self, docnum: int, groups: Groups, allowed: np.ndarray | None) -> int:
        """The unit that stands for ``docnum``'s copies: of the same clause of the same text, the
        one of the first source among those ``allowed``."""
        same = self._copy_units().get((int(groups.copy[docnum]), str(self.state.column("clause_path")[docnum])))
        if not same:
            return docnum
        eligible = [d for d in same if allowed is None or allowed[d]] or [docnum]
        return min(eligible, key=lambda d: (self.state.stored(d)["display"]["source"], d))

    def _copy_units(self) -> dict[tuple[int, str], list[int]]:
        """The units of each text held in several files, by copies group and clause path."""
        if self._copies_of is None:
            groups, path = self.groups(), self.state.column("clause_path")
            _keys, counts = np.unique(groups.copy, return_counts=True)
            shared = np.flatnonzero(np.isin(groups.copy, _keys[counts > 1]))
            found: dict[tuple[int, str], list[int]] = {}
            for d in shared.tolist():
                found.setdefault((int(groups.copy[d]), str(path[d])), []).append(d)
            self._copies_of = {k: v for k, v in found.items() if len(v) > 1}
        return self._copies_of

    def family_versions(self, docnum: int, as_of: str) -> list[Version]:
        """Every version of the document of ``docnum`` (documents only), preferred first; one per
        date: copies of one version in two files are one version (that of ``docnum`` itself)."""
        groups = self.groups()
        if not groups.lineage[docnum]:
            return []
        members = np.flatnonzero((groups.version == groups.version[docnum]) & self.state.mask(Q.Term("kind", "doc")))
        if len(members) < 2:
            return []
        own = self.state.column("doc_id")[docnum]
        by_copy: dict[int, Version] = {int(groups.copy[docnum]): self.version(docnum, as_of)}
        for d in members.tolist():
            if self.state.column("doc_id")[d] != own:
                by_copy.setdefault(int(groups.copy[d]), self.version(d, as_of))
        if len(by_copy) < 2:
            return []
        return sorted(by_copy.values(), key=preference, reverse=True)

    # -- repeals -----------------------------------------------------------------------------------
    def repeals(self) -> list[Repeal]:
        """Every repeal of an indexed family by an indexed document (search.repeals), found once."""
        if self._repeal_list is None:
            state = self.state
            found = []
            families = set(state.field_values("family"))
            for term in state.field_values("repeals"):
                targets = [f for f in (term, STATE + term) if f in families]
                for docnum in sorted(state.docs(Q.And([Q.Term("repeals", term), Q.Term("kind", "doc")]))) if targets else []:
                    if not self.groups().has_force[docnum]:  # a reply telling of a repeal repeals nothing
                        continue
                    stored = state.stored(docnum)
                    for family in targets:
                        if state.column("family")[docnum] == family:  # a new version: it amends the older
                            continue
                        found.append(repeal(family, stored["doc_id"], stored["display"]["title"],
                                            state.column("date")[docnum], state.column("valid_from")[docnum]))
            self._repeal_list = [r for r in found if r is not None]
        return self._repeal_list

    def repealed_from(self) -> np.ndarray:
        """The day each unit's text is repealed by another (OPEN_END: never)."""
        return self._repeal_reach()[0]

    def _repeal_reach(self) -> tuple[np.ndarray, dict[int, list[Repeal]]]:
        """The day each unit's text is repealed, and the repeals reaching each document unit,
        found once."""
        if self._reach is None:
            state = self.state
            days = np.full(state.arrays.doc_count, OPEN_END, dtype=object)
            by_doc: dict[int, list[Repeal]] = {}
            dated = state.column("date")
            docs = state.mask(Q.Term("kind", "doc"))
            for r in self.repeals():
                reached = state.evaluator.docs(r.units())
                # never before the repealed text's own date (a repealing text's first effective date
                # may be older than a revision of what it repealed)
                days[reached] = np.minimum(days[reached], np.maximum(dated[reached].astype(object), r.effective))
                for docnum in np.flatnonzero(reached & docs).tolist():
                    by_doc.setdefault(docnum, []).append(r)
            self._reach = days, by_doc
        return self._reach

    def repealed(self, as_of: str) -> Q.Query | None:
        """The units repealed on or before ``as_of``, for status filters and facets, cached by day;
        None when no indexed text repeals another."""
        if not self.repeals():
            return None
        return cached(self._repealed_on, as_of, FILTER_CACHE,
                      lambda: UnitSet(f"repealed by {as_of}", (self.repealed_from() <= as_of).astype(bool)))

    def copies(self, docnum: int, relative: bool = False) -> list[str]:
        """The other files that hold the text of the unit ``docnum``: the same content (whatever
        the format), or one version in two formats (one lineage, one date); with ``relative``,
        each as the page and the API show it. The index holds every file; a result shows one."""
        same = self._copy_units().get((int(self.groups().copy[docnum]), str(self.state.column("clause_path")[docnum])))
        if not same:
            return []
        shown = self.state.stored(docnum)["display"]
        own = shown_source(shown) if relative else shown["source"]
        sources = {shown_source(self.state.stored(d)["display"]) if relative else self.state.stored(d)["display"]["source"]
                   for d in same}
        return sorted(sources - {own})

    # -- amendments --------------------------------------------------------------------------------
    def amendments(self) -> tuple[np.ndarray, dict[tuple[str, str], Amendment]]:
        """The day each unit's text is amended by a newer version, and the amendments, found once."""
        if self._amends is None:
            column = self.state.column
            self._amends = amendments(self.groups().lineage, column("date"), column("valid_from"),
                                      self.state.mask(Q.Term("kind", "doc")))
        return self._amends

    def amended(self, as_of: str) -> Q.Query | None:
        """The units a newer version amends on or before ``as_of``, cached by day; None when no
        indexed text has a newer version."""
        days, found = self.amendments()
        if not found:
            return None
        return cached(self._amended_on, as_of, FILTER_CACHE,
                      lambda: UnitSet(f"amended by {as_of}", (days <= as_of).astype(bool)))

    def amended_by(self, docnum: int, as_of: str) -> list[dict[str, str]]:
        """The newer version that amends the document of ``docnum`` (its document unit) by
        ``as_of``, if any."""
        column = self.state.column
        found = self.amendments()[1].get((self.groups().lineage[docnum], column("date")[docnum]))
        if found is None or found.effective > as_of:
            return []
        stored = self.state.stored(found.by)
        return [{"id": stored["doc_id"], "title": stored["display"]["title"], "date": str(found.effective)}]

    def repealed_by(self, docnum: int) -> list[dict[str, str]]:
        """The texts that repeal the document of ``docnum`` (its document unit)."""
        return [r.to_json() for r in self._repeal_reach()[1].get(docnum, [])]


__all__ = ["History"]
