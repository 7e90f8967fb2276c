"""Searching the index: the query language, ranking, highlights, facets, versions.

    from search import PolicyIndex
    with PolicyIndex("ix") as index:
        hits = index.search("时尚产业 状态:现行有效", clauses=True).hits

The page (:mod:`search.web`) and the drafting aid (:mod:`search.drafting`) are packages on
top of this one. The names below load their modules when first used (PEP 562).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search.engine import Hit, PolicyIndex, SearchResults
    from search.facets import FACETS
    from search.fields import QUERY_FIELDS, QueryField
    from search.query import ParsedQuery, parse_query

_LAZY = {
    "Hit": "search.engine", "PolicyIndex": "search.engine", "SearchResults": "search.engine",
    "FACETS": "search.facets", "QUERY_FIELDS": "search.fields", "QueryField": "search.fields",
    "ParsedQuery": "search.query", "parse_query": "search.query",
}
__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'search' has no attribute {name!r}")
