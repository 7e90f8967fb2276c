"""Which indexed files are one text, and which texts are versions of one another.

- **Copies**: files whose normalised content is the same (corpus.sameness: the content
  fingerprint written at ingest), whatever their format (a table's row is a record of its own:
  a copy only of itself ingested again); and, for a text with a period of
  force, one version in two formats (the same lineage and date: a page saved as .html, the
  notice as .docx).
- **Versions**: texts with a period of force (laws, regulations, rules, policies: not a reply,
  see corpus.validity.has_validity) of one title (corpus.citations.family_key) and one issuer:
  their *lineage*. Issuers are compared by the body behind them (全国人民代表大会常务委员会 and
  全国人民代表大会, 中华人民共和国国务院 and 国务院 are one); a text whose issuer is not known
  joins the lineage of the most texts of its title, unless it is of no named kind (其他: a
  message titled by its subject is no version of another message).

A reply, a message or a letter is never a version: each is its own precedent, its lineage "".
A result shows one hit per group (its copies, and its versions unless all are asked for), and
counts groups: what the user sees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from corpus.kinds import REPLY_TYPES
from corpus.validity import has_validity
from search.state import IndexState

NO_KIND = "其他"
_STATE_PREFIX = re.compile(r"^中华人民共和国")
_ORGAN_OF = re.compile(r"(?:常务委员会|审判委员会|检察委员会|办公厅|办公室)$")


def issuer_root(issuer: str) -> str:
    """The body behind an issuer's name: its 常委会, 审委会 or 办公厅 is the body's.

    >>> issuer_root("全国人民代表大会常务委员会") == issuer_root("全国人民代表大会")
    True
    >>> issuer_root("中华人民共和国国务院")
    '国务院'
    """
    name = _STATE_PREFIX.sub("", issuer.strip())
    while True:
        bare = _ORGAN_OF.sub("", name)
        if bare == name or not bare:
            return name
        name = bare


def no_force_query() -> Q.Query:
    """The units of texts without a period of force (replies): no status, no versions."""
    return Q.Or([Q.Term("doc_type", t) for t in REPLY_TYPES])


@dataclass
class Groups:
    """Per unit (document number): the copies group and the versions group of its text, its
    lineage ("" for a text without versions) and whether its text has a period of force."""

    copy: np.ndarray  # int: units of one text in one version (its files) share it
    version: np.ndarray  # int: units of the versions of one text share it
    lineage: np.ndarray  # object: the lineage key, "" for a text that has no versions
    has_force: np.ndarray  # bool

    def unit_keys(self, versions: bool, clause_path: np.ndarray) -> np.ndarray:
        """One int per unit that units shown as one hit share: a document with its copies (and
        its versions, with ``versions``); a clause with the same clause of those."""
        group = self.version if versions else self.copy
        _paths, path_code = np.unique(clause_path.astype(str), return_inverse=True)
        combined = group.astype(np.int64) * (len(_paths) + 1) + path_code.reshape(-1)
        return np.unique(combined, return_inverse=True)[1].reshape(-1)


def find_groups(state: IndexState) -> Groups:
    """The groups of every unit of an open index (live document units decide; clause units take
    their document's)."""
    column = state.column
    n = state.arrays.doc_count
    docs = np.flatnonzero(state.mask(Q.Term("kind", "doc")))
    doc_id, family, date, copy_key = column("doc_id"), column("family"), column("date"), column("copy_key")
    no_force = state.mask(no_force_query())
    kinds = state.arrays.codes("doc_type")
    issuers = state.arrays.codes("issuing_body")

    def kind_of(d: int) -> str:
        if kinds is None:
            return ""
        labels, codes = kinds
        return labels[codes[d]] if codes[d] >= 0 else ""

    def issuer_of(d: int) -> str:
        if issuers is None:
            return ""
        labels, codes = issuers
        return issuer_root(labels[codes[d]]) if codes[d] >= 0 else ""

    parent = {int(d): int(d) for d in docs}

    def find(d: int) -> int:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    # copies: the same content (indexer.units: a file's fingerprint, a table row's own id)
    first_of: dict[str, int] = {}
    for d in docs.tolist():
        union(d, first_of.setdefault(str(copy_key[d]), d))
    # lineages: texts with a period of force, one title, one issuer
    lineage_of: dict[int, str] = {}
    by_family: dict[str, list[int]] = {}
    for d in docs.tolist():
        if not no_force[d] and has_validity(kind_of(d)) and family[d]:
            by_family.setdefault(str(family[d]), []).append(d)
    for name, members in by_family.items():
        roots: dict[str, list[int]] = {}
        unknown: list[int] = []
        for d in members:
            root = issuer_of(d)
            if root:
                roots.setdefault(root, []).append(d)
            elif kind_of(d) != NO_KIND:
                unknown.append(d)
        if unknown:
            largest = max(sorted(roots), key=lambda r: len(roots[r]), default="")
            roots.setdefault(largest, []).extend(unknown)
        for root, same_issuer in roots.items():
            for d in same_issuer:
                lineage_of[d] = f"{name}@{root}"
    # one version in two formats: the same lineage and date
    first_dated: dict[tuple[str, str], int] = {}
    for d, key in lineage_of.items():
        if date[d]:
            union(d, first_dated.setdefault((key, str(date[d])), d))
    copy_root = {d: find(d) for d in parent}
    # versions: the same lineage
    first_lineage: dict[str, int] = {}
    for d, key in lineage_of.items():
        union(d, first_lineage.setdefault(key, d))
    version_root = {d: find(d) for d in parent}
    # clause units take their document's groups (by doc_id: a byte-copy's units share one)
    by_doc_id: dict[str, int] = {}
    for d in docs.tolist():
        by_doc_id.setdefault(str(doc_id[d]), d)
    ids, inverse = np.unique(doc_id.astype(str), return_inverse=True)
    owner = np.array([by_doc_id.get(str(i), -1) for i in ids], dtype=np.int64)[inverse.reshape(-1)]
    has_owner = owner >= 0
    copy = np.arange(n, dtype=np.int64) + n  # a unit without a live document stands alone
    version = copy.copy()
    copy[has_owner] = [copy_root[o] for o in owner[has_owner].tolist()]
    version[has_owner] = [version_root[o] for o in owner[has_owner].tolist()]
    lineage = np.full(n, "", dtype=object)
    lineage[has_owner] = [lineage_of.get(o, "") for o in owner[has_owner].tolist()]
    force = np.ones(n, dtype=bool)
    force[no_force] = False
    return Groups(copy, version, lineage, force)


__all__ = ["Groups", "find_groups", "issuer_root", "no_force_query"]
