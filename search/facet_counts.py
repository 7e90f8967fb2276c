"""Counts per issuer, type, year and status over all the hits of a query (search.facets names them)."""
from __future__ import annotations

import numpy as np
from whoosh.fields import NUMERIC

from search.facets import FACETS
from search.filters import status_query
from search.history import History
from search.state import IndexState


class FacetCounts:
    """Facet counts over the hits of queries on one open index."""

    def __init__(self, state: IndexState, history: History) -> None:
        self.state = state
        self.history = history

    def counts(self, matched: np.ndarray, as_of: str, versions: bool = True) -> dict[str, list[tuple[str, int]]]:
        """Each facet's (value, count) over the units ``matched`` (a mask), statuses on ``as_of``:
        how many hits each value filters to, a text with its copies (and, with ``versions``, its
        versions) counting once, as the results show it."""
        hits = np.flatnonzero(matched)  # once for every facet: indexing by numbers beats a mask
        keys = self.history.unit_keys(versions)
        repealed, amended = self.history.repealed(as_of), self.history.amended(as_of)
        return {f.name: f.counts(matched, self.state.mask, self.state.field_values,
                                 lambda status: status_query(status, as_of, repealed, amended),
                                 lambda name: self.tally(name, hits, keys),
                                 lambda found: len(np.unique(keys[found])))
                for f in FACETS}

    def tally(self, field_name: str, hits: np.ndarray, keys: np.ndarray | None = None) -> dict[str, int] | None:
        """Count per value of a single-valued field among the units ``hits`` (document numbers),
        units of one ``keys`` value counting once, or None when the field can hold several
        values (then they are counted one by one)."""
        arrays = self.state.arrays
        if isinstance(self.state.searcher.schema[field_name], NUMERIC):
            coded = arrays.number_codes(field_name)
        else:
            coded = arrays.codes(field_name)
        if coded is None:
            return None
        labels, codes = coded
        if keys is not None:  # one per (value, hit shown)
            pairs = np.unique(np.stack([codes[hits], keys[hits]]), axis=1)
            present = pairs[0]
        else:
            present = codes[hits]
        counts = np.bincount(present[present >= 0], minlength=len(labels))
        return {labels[i]: int(counts[i]) for i in np.flatnonzero(counts)}
