"""Turn a :class:`ParsedQuery` into Whoosh queries, with the index's own analyzer.

No AND trap: words are OR-ed with a coordination bonus (a text matching more of them ranks
higher) instead of all being required, which is what Whoosh's default parser does and what
makes a citizen's message find nothing. Phrases are required; filters restrict without
scoring; every word is analysed in index mode, so a query word also finds the texts that hold
it inside a longer word (时尚 finds 时尚产业).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as Q

from corpus.dates import normalize_date
from corpus.errors import QuerySyntaxError
from corpus.model import DOC_TYPES
from indexer.analysis import ChineseTokenizer, fold, search_terms
from indexer.schema import CLAUSE_FIELDS, DOC_FIELDS
from search.query import FIELD_HELP, Clause, Filter, ParsedQuery
from search.ranking import bigram_query, query_bigrams, with_bigrams

# Function words that carry no topic: dropped from ranked queries (kept in phrases).
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 等 是 在 对 为 把 被 将 从 向 于 以 而 并 也 都 就 还 又 之 其 该 此 这 那 个 "
    "我 你 他 她 它 我们 你们 他们 您 有 没有 不 很 要 会 能 可以 希望 请 请问 一个 一些 什么 怎么 "
    "如何 为什么 哪些 问题 情况 相关 进行 已经 通过 关于 根据 按照 由于 因为 所以 但是 如果 以及".split()
)


@dataclass
class CompiledQuery:
    """The Whoosh side of a query: what scores, what must match, and what filters."""

    query: Q.Query
    filter: Q.Query | None
    terms: list[str] = field(default_factory=list)  # folded terms to highlight, query order
    groups: list[frozenset[str]] = field(default_factory=list)  # the terms of each word the user typed


def fields_for(clauses: bool) -> dict[str, float]:
    return CLAUSE_FIELDS if clauses else DOC_FIELDS


def compile_query(parsed: ParsedQuery, tokenizer: ChineseTokenizer, clauses: bool,
                  issuers: list[str] | None = None) -> CompiledQuery:
    """Build the Whoosh query for ``parsed`` over document or clause units."""
    fields = fields_for(clauses)
    terms: list[str] = []
    groups: list[frozenset[str]] = []
    for word in parsed.words:
        terms.extend(t for t in search_terms(tokenizer, word.text) if t not in STOP_WORDS)
        groups.append(frozenset(search_terms(tokenizer, word.text)) - STOP_WORDS)
    if not terms:  # a query of stop words alone still searches for them
        for word in parsed.words:
            terms.extend(search_terms(tokenizer, word.text))
    terms = list(dict.fromkeys(terms))
    ranked = ranked_query(terms, fields) if terms else None
    grams = query_bigrams((w.text for w in parsed.words), STOP_WORDS)
    ranked = with_bigrams(ranked, bigram_query(grams, clauses))

    required = [Q.Or([_clause_query(c, tokenizer, fields) for c in group]) for group in parsed.required_any]
    if ranked is not None and required:
        query: Q.Query = Q.AndMaybe(Q.And(required) if len(required) > 1 else required[0], ranked)
    elif required:
        query = Q.And(required) if len(required) > 1 else required[0]
    elif ranked is not None:
        query = ranked
    else:
        query = Q.Every()
    if parsed.excluded:
        query = Q.AndNot(query, Q.Or([_clause_query(c, tokenizer, fields) for c in parsed.excluded]))

    filters: list[Q.Query] = [Q.Term("kind", "clause" if clauses else "doc")]
    filters += [_filter_query(parsed.text, f, issuers or []) for f in parsed.filters]
    highlight = terms + [w for group in parsed.required_any for c in group for w, _, _ in tokenizer.fine_words(c.text)]
    return CompiledQuery(query, Q.And(filters) if len(filters) > 1 else filters[0],
                         list(dict.fromkeys(highlight)), groups)


def ranked_query(terms: list[str], fields: dict[str, float], boosts: dict[str, float] | None = None) -> Q.Query:
    """OR of the terms over the fields (coordination across words is applied by the engine)."""
    boosts = boosts or {}
    groups = [
        Q.Or([Q.Term(f, t, boost=b * boosts.get(t, 1.0)) for f, b in fields.items()]) for t in terms
    ]
    return Q.Or(groups) if len(groups) > 1 else groups[0]


def _clause_query(clause: Clause, tokenizer: ChineseTokenizer, fields: dict[str, float]) -> Q.Query:
    words = [w for w, _, _ in tokenizer.fine_words(clause.text)]
    if not words:
        words = [fold(clause.text)]
    if len(words) == 1:
        return Q.Or([Q.Term(f, words[0], boost=b) for f, b in fields.items()])
    return Q.Or([Q.Phrase(f, words, boost=b) for f, b in fields.items()])


def _filter_query(text: str, flt: Filter, issuers: list[str]) -> Q.Query:
    if flt.field == "type":
        types = [t for t in DOC_TYPES if flt.value in t]
        if not types:
            raise QuerySyntaxError(text, flt.position, f"unknown type `{flt.value}`",
                                   "types: " + " ".join(DOC_TYPES))
        return Q.Or([Q.Term("doc_type", t) for t in types])
    if flt.field == "issuer":
        matching = [name for name in issuers if flt.value in name]
        return Q.Or([Q.Term("issuing_body", n) for n in matching]) if matching else Q.NullQuery
    if flt.field == "year":
        low, high = _range(text, flt, _year)
        return Q.NumericRange("year", low, high)
    if flt.field == "date":
        low_d, high_d = _range(text, flt, _date)
        return Q.TermRange("date", low_d or "0000-00-00", high_d or "9999-99-99")
    if flt.field == "source":
        return Q.Wildcard("source", f"*{flt.value}*")
    raise QuerySyntaxError(text, flt.position, f"the field `{flt.field}` cannot filter yet", FIELD_HELP)


def _range(text: str, flt: Filter, convert):
    """(low, high) inclusive bounds for an =, >=, <=, >, < or .. filter."""
    if flt.op == "..":
        low, high = flt.value.split("..", 1)
        return (convert(text, flt, low) if low else None), (convert(text, flt, high) if high else None)
    value = convert(text, flt, flt.value)
    if flt.op == "=":
        return value, value
    if flt.op in (">=", ">"):
        return (_next(value) if flt.op == ">" else value), None
    return None, (_previous(value) if flt.op == "<" else value)


def _year(text: str, flt: Filter, value: str) -> int:
    if not value.strip().isdigit() or len(value.strip()) != 4:
        raise QuerySyntaxError(text, flt.position, f"`{value}` is not a year", "e.g. 年份:2020..2023 or year:>=2021")
    return int(value)


def _date(text: str, flt: Filter, value: str) -> str:
    date = normalize_date(value)
    if not date:
        raise QuerySyntaxError(text, flt.position, f"`{value}` is not a date", "e.g. 日期:>=2023-01-01")
    return date


def _next(value):
    if isinstance(value, int):
        return value + 1
    return value + "\x00"


def _previous(value):
    if isinstance(value, int):
        return value - 1
    import datetime

    day = datetime.date.fromisoformat(value) - datetime.timedelta(days=1)
    return day.isoformat()
