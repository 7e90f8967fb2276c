"""Whose texts a query asks for: the titles and places it names, and which units are of
national texts (preferred when it names none).

The rules live in :mod:`search.named`; this part applies them to one open index.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from search.named import TitleNames, is_national
from search.query import ParsedQuery
from search.state import IndexState


class Places:
    """Titles, issuers and places of the texts of one open index (found on first use, then kept)."""

    def __init__(self, state: IndexState) -> None:
        self.state = state
        self._names: TitleNames | None = None  # the titles a query may name, made on first use
        self._national: np.ndarray | None = None  # which units are of national texts, found on first use
        self._pairs: tuple[list[tuple[str, str]], np.ndarray] | None = None  # see _titles_and_issuers

    def without_titles(self, parsed: ParsedQuery) -> tuple[ParsedQuery, list[str]]:
        """The query without the titles and places its words name, and the families they name.

        A named title or place says whose clauses come first (the ranking's ``prefer``); left among
        the words, its own words (道路, 交通, 安全; 北京) would rank that law's (that place's) every
        clause above the one about the matter asked. A query of a name alone keeps it as its words.
        """
        names = self.title_names()
        named: dict[str, None] = {}
        words = []
        for word in parsed.words:
            families, rest = names.split(word.text)
            named.update(dict.fromkeys(families))
            if rest:
                words.append(replace(word, text=rest) if families else word)
        for group in parsed.required_any:
            for clause in group:
                named.update(dict.fromkeys(names.find(clause.text)))
        if not named or not (words or parsed.required_any):
            return parsed, list(named)
        return replace(parsed, words=words), list(named)

    def title_names(self) -> TitleNames:
        """The titles (and places) a query may name, made once."""
        if self._names is None:
            coded = self.state.arrays.codes("family")
            self._names = TitleNames(coded[0] if coded is not None else self.state.field_values("family"),
                                     self._issuers())
        return self._names

    def national_units(self) -> np.ndarray | None:
        """Whether each unit belongs to a text of the whole country (search.named.is_national, by
        its title and issuer), found once; None for an index whose units may hold several titles
        or issuers."""
        if self._national is None:
            pairs = self._titles_and_issuers()
            if pairs is None:
                return None
            found, unit_pair = pairs
            self._national = np.array([is_national(title, issuer) for title, issuer in found])[unit_pair]
        return self._national

    def in_families(self, families: list[str]) -> np.ndarray:
        """Whether each unit belongs to one of ``families``."""
        coded = self.state.arrays.codes("family")
        if coded is None:  # a unit in several families: not written by this package
            return np.isin(self.state.column("family"), families)
        labels, codes = coded
        named = set(families)
        return np.isin(codes, [i for i, label in enumerate(labels) if label in named])

    def _issuers(self) -> dict[str, str]:
        """A family's issuing body (the first one found), by family."""
        pairs = self._titles_and_issuers()
        found: dict[str, str] = {}
        for title, issuer in pairs[0] if pairs is not None else []:
            if title and issuer:
                found.setdefault(title, issuer)
        return found

    def _titles_and_issuers(self) -> tuple[list[tuple[str, str]], np.ndarray] | None:
        """The distinct (family, issuing body) pairs of the units ("" where a unit has none), and
        each unit's index into them, found once; None when a unit may hold several of either."""
        if self._pairs is None:
            arrays = self.state.arrays
            titles, issuers = arrays.codes("family"), arrays.codes("issuing_body")
            if titles is None or issuers is None:
                return None
            codes, unit_pair = np.unique(np.stack([titles[1], issuers[1]]), axis=1, return_inverse=True)
            title_of, issuer_of = [*titles[0], ""], [*issuers[0], ""]  # [-1]: none
            self._pairs = ([(title_of[t], issuer_of[i]) for t, i in codes.T.tolist()], unit_pair.reshape(-1))
        return self._pairs
