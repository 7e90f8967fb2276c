"""The query language's filters on a remote engine: the Whoosh filter queries that
:mod:`search.filters` builds, written as Typesense ``filter_by`` expressions.

Building a filter stays in one place (parsing 500万, 2020..2023, 现行有效, a part of an
issuer's name); only its last step differs: a tree of terms and ranges becomes a string.
Days are integers on the engine (``20200310``), as :mod:`search.remote.units` sends them.
"""
from __future__ import annotations

from whoosh import query as Q

from errors import UsageError
from indexer.schema import OPEN_END, OPEN_START
from search.remote.units import LAST_DAY, NO_DAY, day_number

DAY_FIELDS = frozenset({"date", "valid_from", "valid_until", "amended_from"})
NOTHING = "kind:=`none`"


def filter_by(query: Q.Query | None) -> str:
    """``query`` as a filter_by expression ('' for none)."""
    if query is None:
        return ""
    return _write(query)


def _write(q: Q.Query) -> str:
    if q is Q.NullQuery or isinstance(q, Q.NullQuery.__class__):
        return NOTHING
    if isinstance(q, Q.Term):
        return f"{q.fieldname}:=`{_escape(q.text)}`"
    if isinstance(q, (Q.And, Q.Or)):
        parts = [_write(sub) for sub in q.subqueries]
        if not parts:
            return NOTHING if isinstance(q, Q.Or) else ""
        joiner = " && " if isinstance(q, Q.And) else " || "
        return "(" + joiner.join(p for p in parts if p) + ")" if len(parts) > 1 else parts[0]
    if isinstance(q, Q.NumericRange):
        return _range(q.fieldname, q.start, q.end, q.startexcl, q.endexcl)
    if isinstance(q, Q.TermRange):
        if q.fieldname in DAY_FIELDS:
            low = day_number(q.start, NO_DAY) if q.start and q.start != OPEN_START else None
            high = day_number(q.end, LAST_DAY) if q.end and q.end != OPEN_END else None
            return _range(q.fieldname, low, high, q.startexcl, q.endexcl)
    if isinstance(q, Q.Not):
        inner = q.query
        if isinstance(inner, Q.Term):
            return f"{inner.fieldname}:!=`{_escape(inner.text)}`"
        if isinstance(inner, (Q.TermRange, Q.NumericRange)):
            return _negated_range(inner)
        if isinstance(inner, (Q.And, Q.Or)):  # De Morgan: the engine negates terms and ranges only
            flipped = Q.And if isinstance(inner, Q.Or) else Q.Or
            return _write(flipped([Q.Not(sub) for sub in inner.subqueries]))
        if isinstance(inner, Q.Not):
            return _write(inner.query)
    raise UsageError(f"this filter cannot be answered by the remote engine ({q!r}); search the index itself")


def _range(field: str, low: float | None, high: float | None, low_excl: bool = False,
           high_excl: bool = False) -> str:
    parts = []
    if low is not None:
        parts.append(f"{field}:{'>' if low_excl else '>='}{_number(low)}")
    if high is not None:
        parts.append(f"{field}:{'<' if high_excl else '<='}{_number(high)}")
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"


def _negated_range(q: Q.TermRange | Q.NumericRange) -> str:
    """NOT (low <= field <= high): field < low OR field > high."""
    low: float | None
    high: float | None
    if isinstance(q, Q.TermRange):
        low = day_number(q.start, NO_DAY) if q.start and q.start != OPEN_START else None
        high = day_number(q.end, LAST_DAY) if q.end and q.end != OPEN_END else None
    else:
        low, high = q.start, q.end
    parts = []
    if low is not None:
        parts.append(f"{q.fieldname}:{'<=' if q.startexcl else '<'}{_number(low)}")
    if high is not None:
        parts.append(f"{q.fieldname}:{'>=' if q.endexcl else '>'}{_number(high)}")
    if not parts:
        return NOTHING
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _escape(text: str) -> str:
    return str(text).replace("`", "'")


def joined(*parts: str) -> str:
    """Filters that must all hold."""
    kept = [p for p in parts if p]
    return " && ".join(kept)
