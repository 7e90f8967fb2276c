"""Field filters of the query language, as Whoosh queries that restrict without scoring.

Each filter turns ``field op value`` (see :class:`search.query.Filter`) into a query over the
index fields that :mod:`indexer.units` writes on every unit, so the same filter works on
documents and on clauses. Values are read the way people type them: 500万, 1亿元, 2020..2023,
>=2023-01-01, 现行有效, a title or a 文号.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from whoosh import query as Q

from corpus.citations import title_key
from corpus.dates import BadDate, parse_day
from corpus.metadata import normalize_doc_number
from corpus.model import DOC_TYPES
from corpus.numbers import parse_number
from corpus.validity import AMENDED, EXPIRED, IN_FORCE, NOT_APPLICABLE, NOT_YET
from errors import QuerySyntaxError
from indexer.schema import OPEN_END, OPEN_START
from search.groups import no_force_query
from search.query import FIELD_HELP, Filter

STATUS_NAMES = {
    IN_FORCE: IN_FORCE, "有效": IN_FORCE, "现行": IN_FORCE, "in-force": IN_FORCE, "valid": IN_FORCE,
    EXPIRED: EXPIRED, "失效": EXPIRED, "废止": EXPIRED, "expired": EXPIRED,
    NOT_YET: NOT_YET, "未生效": NOT_YET, "pending": NOT_YET,
    AMENDED: AMENDED, "已修改": AMENDED, "被修改": AMENDED, "修改": AMENDED, "amended": AMENDED,
    NOT_APPLICABLE: NOT_APPLICABLE, "无": NOT_APPLICABLE, "none": NOT_APPLICABLE, "n/a": NOT_APPLICABLE,
}
STATUSES = (IN_FORCE, AMENDED, EXPIRED, NOT_YET, NOT_APPLICABLE)
_DOC_NUMBER_FULL = re.compile(r"^.+〔\d{4}〕\d+号$")


@dataclass
class FilterContext:
    """What building a filter needs besides the filter: the query text (for errors), the day
    statuses are computed on, and the distinct values of an indexed field (for part matches)."""

    text: str
    as_of: str
    values: Callable[[str], list[str]]
    repealed: Q.Query | None = None  # the units other texts repeal by ``as_of`` (search.repeals)
    amended: Q.Query | None = None  # the units a newer version amends by ``as_of`` (search.amendments)
    # the ids of documents that citations give a 文号 (full, or holding a part): search.cited_numbers
    cited_numbers: Callable[..., list[str]] | None = None


def filter_query(flt: Filter, ctx: FilterContext) -> Q.Query:
    """The Whoosh query for one filter; raises QuerySyntaxError pointing at a bad value."""
    build = _BUILDERS.get(flt.field)
    if build is None:
        raise QuerySyntaxError(ctx.text, flt.position, f"the field `{flt.field}` cannot filter", FIELD_HELP,
                               code="field_cannot_filter", value=flt.field)
    return build(flt, ctx)


def status_query(status: str, as_of: str, repealed: Q.Query | None = None, amended: Q.Query | None = None) -> Q.Query:
    """Units whose document is in force, amended, expired or not yet in force on ``as_of`` (ISO
    date), by its own validity and, when given, the units ``repealed`` by other texts and those
    ``amended`` by a newer version by then; 不适用: the units of texts without a period of force
    (replies), which no other status selects."""
    no_force = no_force_query()
    if status == NOT_APPLICABLE:
        return no_force
    return Q.And([_dated_status(status, as_of, repealed, amended), Q.Not(no_force)])


def _dated_status(status: str, as_of: str, repealed: Q.Query | None, amended: Q.Query | None) -> Q.Query:
    if status in (IN_FORCE, AMENDED):
        within: list[Q.Query] = [Q.TermRange("valid_from", OPEN_START, as_of),
                                 Q.TermRange("valid_until", as_of, OPEN_END, startexcl=True)]
        if repealed is not None:
            within.append(Q.Not(repealed))
        if status == AMENDED:
            return Q.And([*within, amended]) if amended is not None else Q.NullQuery
        return Q.And([*within, Q.Not(amended)] if amended is not None else within)
    if status == EXPIRED:
        ended = Q.TermRange("valid_until", OPEN_START, as_of)
        return Q.Or([ended, repealed]) if repealed is not None else ended
    return Q.TermRange("valid_from", as_of, OPEN_END, startexcl=True)


def _error(ctx: FilterContext, flt: Filter, code: str, value: str, problem: str, hint: str) -> QuerySyntaxError:
    return QuerySyntaxError(ctx.text, flt.position, problem, hint, code=code, value=value)


_QUOTED_VALUE = re.compile(r'^["“「](.+)["”」]$')


def _type(flt: Filter, ctx: FilterContext) -> Q.Query:
    """The kinds holding the value typed (类型:答复: every kind of reply); a value in quotes is
    one kind alone (类型:"答复", as the 类型 facet's link writes it: its count is of that kind)."""
    exact = _QUOTED_VALUE.match(flt.value)
    types = [exact[1]] if exact and exact[1] in DOC_TYPES else [t for t in DOC_TYPES if flt.value in t]
    if not types:
        raise _error(ctx, flt, "unknown_type", flt.value, f"unknown type `{flt.value}`",
                     "types: " + " ".join(DOC_TYPES))
    return Q.Or([Q.Term("doc_type", t) for t in types])


def _part_of(field: str) -> Callable[[Filter, FilterContext], Q.Query]:
    """A filter matching every indexed value of ``field`` that contains what was typed."""

    def build(flt: Filter, ctx: FilterContext) -> Q.Query:
        matching = [v for v in ctx.values(field) if flt.value in v]
        return Q.Or([Q.Term(field, v) for v in matching]) if matching else Q.NullQuery

    return build


def _issuer(flt: Filter, ctx: FilterContext) -> Q.Query:
    """Units any of whose issuers (the lead or a joint one) contains what was typed."""
    either = [q for q in (_part_of("issuing_body")(flt, ctx), _part_of("co_issuers")(flt, ctx))
              if q is not Q.NullQuery]
    return Q.Or(either) if either else Q.NullQuery


def _year(flt: Filter, ctx: FilterContext) -> Q.Query:
    def convert(value: str) -> int:
        value = value.strip().rstrip("年")
        if not (value.isdigit() and len(value) == 4):
            raise _error(ctx, flt, "not_a_year", value, f"`{value}` is not a year",
                         "e.g. 年份:2020..2023 or year:>=2021")
        return int(value)

    low, high = _bounds(flt, convert, lambda v: v + 1, lambda v: v - 1)
    return Q.NumericRange("year", low, high)


def _date(flt: Filter, ctx: FilterContext) -> Q.Query:
    def convert(value: str) -> str:
        try:
            return parse_day(value)
        except BadDate as exc:
            problem = f"`{value}` is not a date" + (f": {exc.reason}" if exc.reason else "")
            raise _error(ctx, flt, "not_a_date", value, problem, "e.g. 日期:>=2023-01-01") from None

    low, high = _bounds(flt, convert, _next_day, _previous_day)
    return Q.TermRange("date", low or OPEN_START, high or OPEN_END)


def parse_amount(value: str) -> float | None:
    """Yuan in an amount as typed: 500万 → 5000000, 1亿元 → 100000000, 3000 → 3000."""
    value = value.strip().removesuffix("元").removesuffix("人民币")
    return parse_number(value) if value else None


def _amount(flt: Filter, ctx: FilterContext) -> Q.Query:
    def convert(value: str) -> float:
        amount = parse_amount(value)
        if amount is None:
            raise _error(ctx, flt, "not_an_amount", value, f"`{value}` is not an amount",
                         "e.g. 金额:>=500万 or amount:100万..1000万")
        return amount

    low, high = _bounds(flt, convert, lambda v: v + 0.005, lambda v: v - 0.005)
    return Q.NumericRange("amount", low, high)


def _status(flt: Filter, ctx: FilterContext) -> Q.Query:
    status = STATUS_NAMES.get(flt.value.lower())
    if status is None or flt.op != "=":
        raise _error(ctx, flt, "unknown_status", flt.value, f"unknown status `{flt.value}`",
                     "statuses: " + " ".join(STATUSES))
    return status_query(status, ctx.as_of, ctx.repealed, ctx.amended)


def _doc_number(flt: Filter, ctx: FilterContext) -> Q.Query:
    number = normalize_doc_number(flt.value)
    full = bool(_DOC_NUMBER_FULL.match(number))
    own = Q.Term("doc_number", number) if full else Q.Or([Q.Term("docno_org", flt.value),
                                                          _part_of("doc_number")(flt, ctx)])
    # a number known only from the citations of other texts is the cited document's too
    cited: list[str] = []
    if ctx.cited_numbers is not None:
        cited = ctx.cited_numbers(number=number) if full else ctx.cited_numbers(part=number)
    return Q.Or([own, *(Q.Term("doc_id", doc_id) for doc_id in cited)]) if cited else own


def _proposal(flt: Filter, ctx: FilterContext) -> Q.Query:
    number = flt.value.strip().removeprefix("第").removesuffix("号")
    return Q.Term("proposal_number", number)


def _proposer(flt: Filter, ctx: FilterContext) -> Q.Query:
    name = re.sub(r"(委员|代表|等)+$", "", flt.value.strip())
    return Q.Term("proposers", name)


def _cites(flt: Filter, ctx: FilterContext) -> Q.Query:
    number = normalize_doc_number(flt.value)
    if _DOC_NUMBER_FULL.match(number):
        return Q.Term("cites", number)
    key = title_key(flt.value)
    return Q.Or([Q.Term("cites", v) for v in ctx.values("cites") if key in v]) if key else Q.NullQuery


def _source(flt: Filter, ctx: FilterContext) -> Q.Query:
    return Q.Wildcard("source", f"*{flt.value}*")


def _bounds(flt: Filter, convert: Callable[[str], Any], after: Callable[[Any], Any],
            before: Callable[[Any], Any]) -> tuple[Any, Any]:
    """(low, high) inclusive bounds for an =, >=, <=, >, < or low..high filter."""
    if flt.op == "..":
        low, high = flt.value.split("..", 1)
        return (convert(low) if low.strip() else None), (convert(high) if high.strip() else None)
    value = convert(flt.value)
    if flt.op == "=":
        return value, value
    if flt.op == ">=":
        return value, None
    if flt.op == ">":
        return after(value), None
    if flt.op == "<=":
        return None, value
    return None, before(value)


def _next_day(value: str) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=1)).isoformat()


def _previous_day(value: str) -> str:
    return (dt.date.fromisoformat(value) - dt.timedelta(days=1)).isoformat()


_BUILDERS: dict[str, Callable[[Filter, FilterContext], Q.Query]] = {
    "type": _type,
    "issuer": _issuer,
    "year": _year,
    "date": _date,
    "amount": _amount,
    "status": _status,
    "docno": _doc_number,
    "proposal": _proposal,
    "session": _part_of("session"),
    "proposer": _proposer,
    "cites": _cites,
    "source": _source,
}
