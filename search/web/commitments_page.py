"""The page of commitments: what the indexed replies promised, for a query of the query
language that asks for them (范围:承诺 停车 机关:街道 年份:2019), with facets by body and year."""
from __future__ import annotations

from dataclasses import dataclass, field

from search.commitments import CommitmentHit, commitment_query
from search.engine import PolicyIndex
from search.web.wsgi import HTTPError

PAGE_SIZE = 50
SCOPE = "范围:承诺"


@dataclass
class FacetLink:
    value: str
    count: int
    query: str
    active: bool = False


@dataclass
class CommitmentsPage:
    query: str
    words: str
    total: int
    hits: list[CommitmentHit]
    facets: dict[str, list[FacetLink]] = field(default_factory=dict)


def asks_for_commitments(query: str) -> bool:
    return commitment_query(query) is not None


def commitments_page(index: PolicyIndex, query: str) -> CommitmentsPage:
    """The commitments ``query`` asks for, best first, and its facets as links that add (or
    remove) a body or a year to the query."""
    asked = commitment_query(query) or commitment_query(f"{SCOPE} {query}")
    assert asked is not None
    from corpus.dates import normalize_date

    due = normalize_date(asked.due_before) if asked.due_before else None
    if asked.due_before and not due:
        raise HTTPError(400, f"“期限:<{asked.due_before}”不是有效日期，请写成 期限:<2024-01-01")
    results = index.commitments.search(asked.words, by=asked.by, due_before=due, year=asked.year, limit=PAGE_SIZE)
    facets: dict[str, list[FacetLink]] = {}
    for name, field_name, current in (("body", "机关", asked.by), ("year", "年份", asked.year)):
        links = []
        for value, count in results.facets.get(name, []):
            if value.startswith("（"):  # 未注明, 无日期: nothing to filter by
                continue
            active = current == value
            base = " ".join(w for w in query.split() if not w.startswith(f"{field_name}:"))
            links.append(FacetLink(value, count, base if active else f"{base} {field_name}:{value}", active))
        facets[name] = links
    return CommitmentsPage(query, asked.words, results.total, results.hits, facets)


def facet_label(name: str) -> str:
    return {"body": "承诺单位", "year": "年份"}.get(name, name)


__all__ = ["CommitmentsPage", "asks_for_commitments", "commitments_page", "facet_label", "PAGE_SIZE", "SCOPE"]
