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
from search.state import FILTER_CACHE, IndexState, cached
from search.versions import Version, collapse, preference, status_of


class History:
    """Versions and repeals of the texts of one open index (found on first use, then kept)."""

    def __init__(self, state: IndexState) -> None:
        self.state = state
        self._shared_families: set[str] | None = None
        self._repeal_list: list[Repeal] | None = None  # repeals between indexed texts, found on first use
        self._reach: tuple[np.ndarray, dict[int, list[Repeal]]] | None = None  # see _repeal_reach
        self._repealed_on: dict[str, Q.Query | None] = {}  # by day: few days are asked about
        self._amends: tuple[np.ndarray, dict[tuple[str, str], Amendment]] | None = None  # see amendments
        self._amended_on: dict[str, Q.Query | None] = {}
        self._copy_groups: dict[tuple[str, str], list[int]] | None = None  # see copies

    def version(self, docnum: int, as_of: str) -> Version:
        """The unit's version of its text, with its status on ``as_of``."""
        column = self.state.column
        return Version(docnum, column("doc_id")[docnum], column("date")[docnum],
                       status_of(column("valid_from")[docnum], self._until(docnum), as_of,
                                 self.amendments()[0][docnum]))

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

    def collapse_versions(self, scored: list[tuple[float, int]], as_of: str) -> list[tuple[float, int]]:
        """``scored`` (score, unit) with each family's clause (or document) once, in its preferred version."""
        family, path = self.state.column("family"), self.state.column("clause_path")
        keys = {d: f"{family[d]}#{path[d]}" for _, d in scored}
        return collapse(scored, keys, lambda d: self.version(d, as_of))

    def family_versions(self, docnum: int, as_of: str) -> list[Version]:
        """Every version of the document of ``docnum`` (documents only), preferred first; one per
        date: copies of one version in two files are one version (that of ``docnum`` itself)."""
        family = self.state.column("family")[docnum]
        if family not in self._families_with_versions():
            return []
        own = self.state.column("doc_id")[docnum]
        members = self.state.docs(Q.And([Q.Term("family", family), Q.Term("kind", "doc")]))
        by_date: dict[str, Version] = {}
        for version in sorted((self.version(d, as_of) for d in sorted(members)), key=lambda v: v.doc_id != own):
            by_date.setdefault(version.date, version)
        return sorted(by_date.values(), key=preference, reverse=True)

    def _families_with_versions(self) -> set[str]:
        """The families of live documents of two or more dates, found once: most documents stand
        alone, and a hit of theirs then needs no lookup of its versions."""
        if self._shared_families is None:
            column = self.state.column
            docs = self.state.mask(Q.Term("kind", "doc"))
            pairs = {(str(f), str(d)) for f, d in zip(column("family")[docs], column("date")[docs])}
            names, counts = np.unique([f for f, _d in pairs], return_counts=True)
            self._shared_families = {str(name) for name in names[counts > 1]}
        return self._shared_families

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

    def copies(self, docnum: int) -> list[str]:
        """The other files that hold the text of the unit ``docnum``: the same content, or one
        version in two formats (a page saved as .html, the notice as .docx: one title, one date).
        The index holds every file; a result shows one of them."""
        state = self.state
        family, date, doc_id = state.column("family"), state.column("date"), state.column("doc_id")

        def key(d: int) -> tuple[str, str]:
            return (str(family[d]), str(date[d])) if date[d] else ("", str(doc_id[d]))

        if self._copy_groups is None:
            groups: dict[tuple[str, str], list[int]] = {}
            for d in sorted(state.docs(Q.Term("kind", "doc"))):
                groups.setdefault(key(d), []).append(d)
            self._copy_groups = {k: members for k, members in groups.items() if len(members) > 1}
        members = self._copy_groups.get(key(docnum)) if self._copy_groups else None
        if not members:
            return []
        own = state.stored(docnum)["display"]["source"]
        return sorted({state.stored(d)["display"]["source"] for d in members} - {own})

    # -- amendments --------------------------------------------------------------------------------
    def amendments(self) -> tuple[np.ndarray, dict[tuple[str, str], Amendment]]:
        """The day each unit's text is amended by a newer version, and the amendments, found once."""
        if self._amends is None:
            column = self.state.column
            self._amends = amendments(column("family"), column("date"), column("valid_from"),
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
        found = self.amendments()[1].get((column("family")[docnum], column("date")[docnum]))
        if found is None or found.effective > as_of:
            return []
        stored = self.state.stored(found.by)
        return [{"id": stored["doc_id"], "title": stored["display"]["title"], "date": str(found.effective)}]

    def repealed_by(self, docnum: int) -> list[dict[str, str]]:
        """The texts that repeal the document of ``docnum`` (its document unit)."""
        return [r.to_json() for r in self._repeal_reach()[1].get(docnum, [])]


__all__ = ["History"]
