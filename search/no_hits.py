"""Why a query found nothing: which of its filters or exclusions removed every hit.

A user who gets ``no hits`` for a query of words and filters cannot tell whether no text holds
the words or one filter ruled out what they hold. :func:`why_no_hits` runs the query again
without each filter (and each excluded word) in turn and names the one without which there are
hits; for a status filter it says when the texts found were in force, and which ``--as-of``
finds them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from corpus.validity import EXPIRED, NOT_YET
from search.query import Clause, Filter, ParsedQuery, parse_query

if TYPE_CHECKING:
    from search.engine import PolicyIndex
    from search.results import Hit


def why_no_hits(index: PolicyIndex, query: str, **options: Any) -> str | None:
    """One line saying which parts of ``query`` removed every hit it would otherwise have, or None
    when its words find nothing even without its filters. ``options`` are those of the search."""
    parsed = parse_query(query)
    options = {**options, "limit": 3, "offset": 0, "facets": False}
    found = []
    for part, loosened in _loosened(parsed):
        results = index.search(loosened, **options)
        if results.hits:
            line = f"{_hits(results.total)} without {_shown(query, part)}"
            if isinstance(part, Filter) and part.field == "status":
                line += _status_hint(results.hits, options.get("as_of"))
            found.append(line)
    if found:
        return "; ".join(found)
    if parsed.filters or parsed.excluded:
        words = replace(parsed, filters=[], excluded=[])
        if not words.is_empty and (results := index.search(words, **options)).hits:
            return f"{_hits(results.total)} without the filters and exclusions"
    return None


def _hits(count: int) -> str:
    return f"{count} hit{'s' if count != 1 else ''}"


def _loosened(parsed: ParsedQuery):
    """The query without each of its filters, then without each excluded word, in the order typed."""
    for k, flt in enumerate(parsed.filters):
        rest = replace(parsed, filters=parsed.filters[:k] + parsed.filters[k + 1:])
        if not rest.is_empty:
            yield flt, rest
    for k, clause in enumerate(parsed.excluded):
        yield clause, replace(parsed, excluded=parsed.excluded[:k] + parsed.excluded[k + 1:])


def _shown(text: str, part: Filter | Clause) -> str:
    """The part as it was typed: from its position to the end of its token (or closing quote)."""
    start = part.position
    end = start
    if isinstance(part, Clause) and part.phrase:
        opening = text[start + 1] if text[start] in "-－" else text[start]
        close = {"“": "”", "「": "」"}.get(opening, opening)
        end = text.find(close, start + 2) + 1 or len(text)
    else:
        while end < len(text) and not text[end].isspace():
            end += 1
    return text[start:end]


def _status_hint(hits: list[Hit], as_of: str | None) -> str:
    """When the best hit was in force, and the --as-of that finds it."""
    on = f" on {as_of}" if as_of else ""
    for hit in hits:
        if hit.status == EXPIRED and hit.valid_until:
            last = (dt.date.fromisoformat(hit.valid_until) - dt.timedelta(days=1)).isoformat()
            return f" ({_name(hit)} was in force until {last}, {EXPIRED}{on}: try --as-of {last})"
        if hit.status == NOT_YET and hit.valid_from:
            return f" ({_name(hit)} is in force from {hit.valid_from}, {NOT_YET}{on}: try --as-of {hit.valid_from})"
    return ""


def _name(hit: Hit) -> str:
    return f"《{hit.title}》"
