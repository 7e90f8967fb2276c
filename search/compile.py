"""Turn a :class:`ParsedQuery` into Whoosh queries, with the index's own analyzer.

No AND trap: words are OR-ed with a coordination bonus (a text matching more of them ranks
higher) instead of all being required, which is what Whoosh's default parser does and what
makes a citizen's message find nothing. Phrases are required; filters restrict without
scoring; every word is analysed in index mode, so a query word also finds the texts that hold
it inside a longer word (时尚 finds 时尚产业).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from whoosh import query as Q

from indexer.analysis import ChineseTokenizer, fold, ranked_terms
from indexer.schema import BOOSTING_FIELDS, CLAUSE_FIELDS, DOC_FIELDS
from search.filters import AmountWanted, FilterContext, amount_kind, amounts_wanted, filter_query
from search.lay_terms import legal_terms
from search.query import Clause, ParsedQuery
from search.ranking import bigram_field, bigram_query, query_bigrams, with_bigrams

# Function words that carry no topic: dropped from ranked queries (kept in phrases).
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 等 是 在 对 为 把 被 将 从 向 于 以 而 并 也 都 就 还 又 之 其 该 此 这 那 个 "
    "我 你 他 她 它 我们 你们 他们 您 有 没有 不 很 要 会 能 可以 希望 请 请问 一个 一些 什么 怎么 "
    "如何 为什么 哪些 问题 情况 相关 进行 已经 通过 关于 根据 按照 由于 因为 所以 但是 如果 以及 "
    # the words of a question (多久之内要上诉): what is asked about is elsewhere in it
    "多少 多久 多长 多大 几 怎样 怎么办 怎么样 能否 是否 吗 呢 吧 啊 哪 哪里 哪个 谁 "
    "算不算 会不会 能不能 要不要 可不可以 是不是 有没有 该不该".split()
)
SHORT_LEGAL_TERM = 2  # words of a legal term of which each shows it alone (search.compile.legal_term_pieces)
LAY_BOOST = 0.8  # the weight of a legal term added for an everyday word typed (search.lay_terms)


@dataclass
class CompiledQuery:
    """The Whoosh side of a query: what scores, what must match, and what filters."""

    query: Q.Query
    filter: Q.Query | None
    terms: list[str] = field(default_factory=list)  # folded terms to highlight, query order
    groups: list[frozenset[str]] = field(default_factory=list)  # the terms of each word the user typed
    # the parts ``query`` is made of, kept to narrow it without compiling again
    ranked: Q.Query | None = None
    required: list[Q.Query] = field(default_factory=list)
    excluded: Q.Query | None = None
    own_fields: list[str] = field(default_factory=list)  # the fields of a unit's own text
    amounts: AmountWanted | None = None  # the amounts its filters compare (a hit shows those it holds)
    # what a snippet marks besides ``terms``: the bigrams of the words typed (停车 of 停车难), and the
    # whole legal terms of everyday words typed (噪声 for 噪音), marked as such
    bigrams: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    every_word: Q.Query | None = None  # a unit holding every word typed (sorting by date asks it)
    lay_words: list[str] = field(default_factory=list)  # ranked words of legal terms, not typed

    def requiring_all_words(self) -> CompiledQuery:
        """The same query with every word typed required (in any of its forms), ranked alike:
        the engine narrows to it when words are so common that tens of thousands of units match
        one of them (人民政府 保护 over a quarter million clauses)."""
        every = [Q.Or([Q.Term(f, t) for t in sorted(g) for f in self.own_fields]) for g in self.groups if g]
        required = self.required + every
        return replace(self, query=_assemble(required, self.ranked, self.excluded), required=required)


def fields_for(clauses: bool) -> dict[str, float]:
    return CLAUSE_FIELDS if clauses else DOC_FIELDS


def compile_query(parsed: ParsedQuery, tokenizer: ChineseTokenizer, clauses: bool,
                  context: FilterContext, require_all_words: bool = False) -> CompiledQuery:
    """Build the Whoosh query for ``parsed`` over document or clause units; with
    ``require_all_words``, as :meth:`CompiledQuery.requiring_all_words` gives it."""
    fields = fields_for(clauses)
    terms: list[str] = []
    groups: list[frozenset[str]] = []
    lay: dict[str, float] = {}  # the legal terms of everyday words typed, at a lower weight
    evidence: list[Q.Query] = []  # a hit matches one of the words typed, or an everyday term's legal one
    per_word: list[Q.Query] = []  # the same, word by word
    expansions: list[str] = []
    own = [f for f in fields if f not in BOOSTING_FIELDS]
    for word in parsed.words:
        word_terms = ranked_terms(tokenizer, word.text)
        terms.extend(t for t in word_terms if t not in STOP_WORDS)
        evidence += _word_evidence(word.text, word_terms, own, clauses)
        evidence += [q for term in legal_terms(word.text) if (q := _term_evidence(term, tokenizer, own))]
        per_word += _fine_word_evidence(word.text, tokenizer, own, clauses)
        for term in legal_terms(word.text):  # what a snippet marks of them: each whole, and the
            pieces, any_one = legal_term_pieces(term, tokenizer)  # words that show a short one
            expansions += [fold(term), *(pieces if any_one else [])]
        legal = [t for term in legal_terms(word.text) for t in ranked_terms(tokenizer, term)]
        lay.update((t, LAY_BOOST) for t in legal if t not in STOP_WORDS)
        groups.append(frozenset(word_terms).union(legal) - STOP_WORDS)
    if not terms:  # a query of stop words alone still searches for them
        for word in parsed.words:
            terms.extend(ranked_terms(tokenizer, word.text))
    terms = list(dict.fromkeys(terms))
    lay = {t: b for t, b in lay.items() if t not in terms}  # a legal term also typed weighs fully
    terms += lay
    ranked = ranked_query(terms, fields, lay) if terms else None
    # a bigram that is itself a word of the query matches what the word matches: it only doubled
    # the cost (and weight) of every two-character word
    grams = [g for g in query_bigrams((w.text for w in parsed.words), STOP_WORDS) if g not in terms]
    ranked = with_context(with_bigrams(ranked, bigram_query(grams, clauses)), terms, fields, lay)

    required: list[Q.Query] = [Q.Or([_clause_query(c, tokenizer, fields) for c in group]) for group in parsed.required_any]
    boosting = [q for g in parsed.required_any for c in g
                if (q := _context_query(c, tokenizer, fields)) is not None]
    if boosting:  # a phrase in a clause's context (its parent's heading) ranks the clause higher
        ranked = Q.Or([ranked, *boosting]) if ranked is not None else Q.Or(boosting)
    excluded = Q.Or([_clause_query(c, tokenizer, fields) for c in parsed.excluded]) if parsed.excluded else None

    filters: list[Q.Query] = [Q.Term("kind", "clause" if clauses else "doc")]
    context = amount_context(parsed, context)
    filters += [filter_query(f, context) for f in parsed.filters]
    # a unit matching only single characters of the words, or single words of their legal terms
    # (生活 of 干扰他人正常生活, for 扰民), is no hit; where every ranked term is a word typed of two
    # characters or more, each is evidence itself, and the filter would change nothing
    if evidence and not parsed.required_any and (lay or any(len(t) == 1 for t in terms)):
        filters.append(Q.Or(evidence))
    highlight = terms + [w for group in parsed.required_any for c in group for w, _, _ in tokenizer.fine_words(c.text)]
    compiled = CompiledQuery(_assemble(required, ranked, excluded), Q.And(filters) if len(filters) > 1 else filters[0],
                             list(dict.fromkeys(highlight)), groups, ranked, required, excluded,
                             [f for f in fields if f not in BOOSTING_FIELDS], amounts_wanted(parsed.filters, context),
                             [g for g in grams if g not in STOP_WORDS], list(dict.fromkeys(expansions)),
                             Q.And(per_word) if len(per_word) > 1 else None, list(lay))
    return compiled.requiring_all_words() if require_all_words else compiled


def amount_context(parsed: ParsedQuery, context: FilterContext) -> FilterContext:
    """``context`` with what the query's 金额 filters compare: the kind its 金额类型 names (the
    last one), else money granted."""
    kinds = [amount_kind(f, parsed.text) for f in parsed.filters if f.field == "amount_kind"]
    compared = any(f.field == "amount" for f in parsed.filters)
    if not kinds and not compared:
        return context
    return replace(context, amount_kind=kinds[-1] if kinds else context.amount_kind, amount_compared=compared)


def _word_evidence(text: str, word_terms: list[str], fields: list[str], clauses: bool) -> list[Q.Query]:
    """What shows a unit holds a word typed: one of its terms of two characters or more, or one
    of its character bigrams (酒驾, split by the segmenter into 酒 and 驾); its single characters
    alone only when it has nothing else (a query of one character). A unit matching none of the
    words typed but through a single character (后, 酒) of them is no hit."""
    long_terms = [t for t in word_terms if len(t) > 1 and t not in STOP_WORDS]
    grams = query_bigrams([text], STOP_WORDS)
    found: list[Q.Query] = [Q.Term(f, t) for t in long_terms for f in fields]
    found += [Q.Term(bigram_field(clauses), g) for g in grams]
    if not found:
        found = [Q.Term(f, t) for t in word_terms for f in fields]
    return found


def _fine_word_evidence(text: str, tokenizer: ChineseTokenizer, fields: list[str], clauses: bool) -> list[Q.Query]:
    """For each finest word of two characters or more of ``text`` (噪音 and 扰民 of 噪音扰民; 停车 of
    停车难), what shows a unit holds it: the word, its bigrams, or the legal term it stands for."""
    found: list[Q.Query] = []
    for piece, _start, _end in tokenizer.fine_words(text):
        if len(piece) < 2 or piece in STOP_WORDS:
            continue
        grams = [Q.Term(bigram_field(clauses), g) for g in query_bigrams([piece])]
        forms: list[Q.Query] = [Q.Term(f, piece) for f in fields]
        if grams:
            forms.append(grams[0] if len(grams) == 1 else Q.And(grams))
        forms += [q for term in legal_terms(piece) if (q := _term_evidence(term, tokenizer, fields))]
        found.append(Q.Or(forms))
    return found


def legal_term_pieces(term: str, tokenizer: ChineseTokenizer) -> tuple[list[str], bool]:
    """The words of a legal term that show a unit holds it, and whether one of them is enough.

    A term of one or two words names a thing, and each of its words names much of it (交通事故:
    交通 or 事故; 饮酒后驾驶: 饮酒 or 驾驶, never 后 alone); a longer one describes, and only all its
    words together say it (干扰他人正常生活: 干扰, 他人, 正常 and 生活 — never 生活 alone, a word
    of every other text)."""
    words = [t for t in ranked_terms(tokenizer, term) if len(t) > 1 and t not in STOP_WORDS]
    pieces = [w for w, _s, _e in tokenizer.fine_words(term) if len(w) > 1 and w not in STOP_WORDS]
    if len(pieces) <= SHORT_LEGAL_TERM:
        return list(dict.fromkeys(words)), True
    return list(dict.fromkeys(pieces)), False


def _term_evidence(term: str, tokenizer: ChineseTokenizer, fields: list[str]) -> Q.Query | None:
    """What shows a unit holds a legal term an everyday word stands for (see legal_term_pieces)."""
    words, any_one = legal_term_pieces(term, tokenizer)
    if not words:
        return None
    if any_one:
        return Q.Or([Q.Term(f, w) for w in words for f in fields])
    each = [Q.Or([Q.Term(f, w) for f in fields]) for w in words]
    return each[0] if len(each) == 1 else Q.And(each)


def _assemble(required: list[Q.Query], ranked: Q.Query | None, excluded: Q.Query | None) -> Q.Query:
    """What must match, scored by what ranks, less what is excluded."""
    if ranked is not None and required:
        query: Q.Query = Q.AndMaybe(Q.And(required) if len(required) > 1 else required[0], ranked)
    elif required:
        query = Q.And(required) if len(required) > 1 else required[0]
    elif ranked is not None:
        query = ranked
    else:
        query = Q.Every()
    return Q.AndNot(query, excluded) if excluded is not None else query


def ranked_query(terms: list[str], fields: dict[str, float], boosts: dict[str, float] | None = None) -> Q.Query:
    """OR of the terms over the fields, flat (see search.ranking.with_bigrams for why).

    A clause's context (its document's title and parent headings) only adds to the score of a
    clause that matches in its own text: as a field of its own it would make every
    clause of every 条例 match the word 条例, and the query scan them all.
    """
    boosts = boosts or {}
    own = {f: b for f, b in fields.items() if f not in BOOSTING_FIELDS}
    query = Q.Or([Q.Term(f, t, boost=b * boosts.get(t, 1.0)) for t in terms for f, b in own.items()])
    return query


def with_context(query: Q.Query | None, terms: list[str], fields: dict[str, float],
                 boosts: dict[str, float] | None = None) -> Q.Query | None:
    """``query``, with the boosting fields (a clause's context) adding to the score of its hits."""
    boosting = {f: b for f, b in fields.items() if f in BOOSTING_FIELDS}
    if query is None or not boosting or not terms:
        return query
    boosts = boosts or {}
    extra = Q.Or([Q.Term(f, t, boost=b * boosts.get(t, 1.0)) for t in terms for f, b in boosting.items()])
    return Q.AndMaybe(query, extra)


def _clause_query(clause: Clause, tokenizer: ChineseTokenizer, fields: dict[str, float]) -> Q.Query:
    """A phrase or word that must (or must not) occur in the unit's own text: a clause's context
    (its law's title) would make every clause of 《中华人民共和国…》 match “中华人民”."""
    return _phrase(clause, tokenizer, {f: b for f, b in fields.items() if f not in BOOSTING_FIELDS})


def _context_query(clause: Clause, tokenizer: ChineseTokenizer, fields: dict[str, float]) -> Q.Query | None:
    """The same phrase in the boosting fields only (None if the unit kind has none)."""
    boosting = {f: b for f, b in fields.items() if f in BOOSTING_FIELDS}
    return _phrase(clause, tokenizer, boosting) if boosting else None


def _phrase(clause: Clause, tokenizer: ChineseTokenizer, fields: dict[str, float]) -> Q.Query:
    words = [w for w, _, _ in tokenizer.fine_words(clause.text)]
    if not words:
        words = [fold(clause.text)]
    if len(words) == 1:
        return Q.Or([Q.Term(f, words[0], boost=b) for f, b in fields.items()])
    return Q.Or([Q.Phrase(f, words, boost=b) for f, b in fields.items()])
