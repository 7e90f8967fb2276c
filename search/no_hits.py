"""Why a query found nothing: which of its filters or exclusions removed every hit.

A user who gets ``no hits`` for a query of words and filters cannot tell whether no text holds
the words or one filter ruled out what they hold. :func:`loosenings` runs the query again
without each filter (and each excluded word) in turn and says without which there are hits;
for a status filter, when the best text found was in force, and which day finds it.
:func:`why_no_hits` says it in one line, for the command line; the page says it in Chinese.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from corpus.validity import EXPIRED, NOT_YET
from search.query import Clause, Filter, ParsedQuery, parse_query

if TYPE_CHECKING:
    from collections.abc import Iterator

    from search.engine import PolicyIndex
    from search.results import Hit


@dataclass(frozen=True)
class Loosening:
    """A part of a query without which it has hits: the part as typed (empty: every filter and
    exclusion), the hits then, the query then, and for a status filter the text that was
    in force on another day (``title``, ``status`` on the day asked, and ``day``, one it was not)."""

    part: str
    total: int
    query: str
    title: str = ""
    status: str = ""
    day: str = ""


def loosenings(index: PolicyIndex, query: str, **options: Any) -> list[Loosening]:
    """The parts of ``query`` without which it has hits, in the order typed; ``options`` are the
    search's. When no single part does, the query without all of them (if that has hits)."""
    parsed = parse_query(query)
    options = {**options, "limit": 3, "offset": 0, "facets": False}
    found = []
    for part, loosened in _loosened(parsed):
        results = index.search(loosened, **options)
        if results.hits:
            shown = _shown(query, part)
            without = (query[:part.position] + query[part.position + len(shown):]).strip()
            status = _in_force_on(results.hits) if isinstance(part, Filter) and part.field == "status" else {}
            found.append(Loosening(shown, results.total, " ".join(without.split()), **status))
    if not found and (parsed.filters or parsed.excluded):
        words = replace(parsed, filters=[], excluded=[])
        if not words.is_empty and (results := index.search(words, **options)).hits:
            without = query
            parts: list[Filter | Clause] = [*parsed.filters, *parsed.excluded]
            for each in parts:
                without = without.replace(_shown(query, each), " ", 1)
            found.append(Loosening("", results.total, " ".join(without.split())))
    return found


def why_no_hits(index: PolicyIndex, query: str, **options: Any) -> str | None:
    """One line saying which parts of ``query`` removed every hit it would otherwise have, or None
    when its words find nothing even without its filters."""
    lines = []
    for each in loosenings(index, query, **options):
        count = f"{each.total} hit{'s' if each.total != 1 else ''}"
        line = f"{count} without {each.part}" if each.part else f"{count} without the filters and exclusions"
        if each.day:
            on = f" on {options['as_of']}" if options.get("as_of") else ""
            when = f"was in force until {each.day}" if each.status == EXPIRED else f"is in force from {each.day}"
            line += f" (《{each.title}》 {when}, {each.status}{on}: try --as-of {each.day})"
        lines.append(line)
    return "; ".join(lines) or None


def _loosened(parsed: ParsedQuery) -> Iterator[tuple[Filter | Clause, ParsedQuery]]:
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


def _in_force_on(hits: list[Hit]) -> dict[str, str]:
    """For the best hit not in force: its title, its status and a day it was (or will be) in force."""
    for hit in hits:
        if hit.status == EXPIRED and hit.valid_until:
            last = (dt.date.fromisoformat(hit.valid_until) - dt.timedelta(days=1)).isoformat()
            return {"title": hit.title, "status": EXPIRED, "day": last}
        if hit.status == NOT_YET and hit.valid_from:
            return {"title": hit.title, "status": NOT_YET, "day": hit.valid_from}
    return {}
