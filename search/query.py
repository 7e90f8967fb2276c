"""The query language: parse what a user types into words, phrases, exclusions and filters.

    时尚产业 "公共服务平台" -直播 类型:行动计划 年份:2020..2023

- words are ranked: a text matching more of them ranks higher, none is required alone;
- "quoted phrases" (also “…” and 「…」) must occur as written;
- ``-word`` / ``-"phrase"`` excludes texts that contain it;
- ``A OR B`` (also ``|``, 或) requires at least one of A and B where they are phrases;
- ``field:value`` filters, with Chinese or English field names (see :mod:`search.fields`). An unknown
  ASCII name is an error (a mistyped field); an unknown Chinese one, or digits (22:00), is
  text with a colon (投诉：噪音扰民), as pasted messages often have.

Parsing is separate from building the Whoosh query (:mod:`search.build`), so the parse
is testable on its own and errors point at the character where the problem is.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from errors import PolicySearchError, QuerySyntaxError, QueryTooLong, UsageError
from search.fields import FIELDS, QUERY_FIELDS

FIELD_NAMES = {alias.lower(): canonical for canonical, aliases in FIELDS.items() for alias in aliases}
FIELD_HELP = "fields: " + "; ".join(f.names for f in QUERY_FIELDS)

_QUOTES = {'"': '"', "“": "”", "「": "」", "＂": "＂"}
_OR_WORDS = {"OR", "|", "或", "或者"}
_SPACE = re.compile(r"[\s\u3000]+")


@dataclass(frozen=True)
class Filter:
    """``field op value`` as typed; ``op`` is one of = >= <= > < .. (range)."""

    field: str
    op: str
    value: str
    position: int


@dataclass
class Clause:
    """One item of the query: a word or a phrase, maybe negated."""

    text: str
    phrase: bool
    negated: bool
    position: int


@dataclass
class ParsedQuery:
    """A query: ranked words, required phrases, exclusions and filters.

    :func:`parse_query` makes one from what a user types; :meth:`build` makes one in code, with
    no parsing, so a word is never read as an operator or a filter (``OR``, ``-``, ``a:b``)."""

    text: str
    words: list[Clause] = field(default_factory=list)
    required_any: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.required_any or self.filters)

    @classmethod
    def build(cls, words: Iterable[str] = (), *, phrases: Iterable[str] = (), excluded: Iterable[str] = (),
              filters: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> ParsedQuery:
        """A query made in code: ``words`` ranked, each of ``phrases`` required as written, texts
        holding one of ``excluded`` left out, ``filters`` as (field, value) in the query
        language's terms (``("status", "现行有效")``, ``("year", "2020..2023")``, ``("amount", ">=1万")``).

        Its ``text`` is the query as it would be typed, where an error in a filter's value is shown.
        """
        query = cls("")
        parts: list[str] = []

        def place(shown: str) -> int:
            position = sum(len(p) + 1 for p in parts)
            parts.append(shown)
            return position

        for word in _nonblank(words, "word"):
            query.words.append(Clause(word, False, False, place(word)))
        for text in _nonblank(phrases, "phrase"):
            query.required_any.append([Clause(text, True, False, place(f'"{text}"'))])
        for text in _nonblank(excluded, "excluded text"):
            query.excluded.append(Clause(text, False, True, place(f'-"{text}"')))
        for name, value in filters.items() if isinstance(filters, Mapping) else filters:
            canonical = FIELD_NAMES.get(name.lower())
            if canonical is None:
                raise UsageError(f"unknown query field `{name}`; {FIELD_HELP}")
            op, operand = _operator(value.strip())
            if not operand:
                raise UsageError(f"the query field `{name}` needs a value, got `{value}`")
            query.filters.append(Filter(canonical, op, operand, place(f"{canonical}:{value.strip()}")))
        if query.is_empty and query.excluded:
            raise UsageError("a query cannot only exclude: add a word to search for")
        query.text = " ".join(parts)
        return query


def _nonblank(texts: Iterable[str], what: str) -> list[str]:
    """``texts`` stripped, each checked to hold something."""
    found = [t.strip() for t in ([texts] if isinstance(texts, str) else texts)]
    if any(not t for t in found):
        raise UsageError(f"a query's {what} cannot be blank")
    return found


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; raise :class:`QuerySyntaxError` pointing at the problem."""
    _check_parentheses(text)
    items = list(_lex(text))
    parsed = ParsedQuery(text)
    groups: list[list[Clause]] = []
    expect_alternative = False
    for kind, value, pos in items:
        if kind == "or":
            if not groups or expect_alternative:
                raise QuerySyntaxError(text, pos, "OR needs a word or phrase on each side",
                                       'e.g. "数字化转型" OR "智能制造"', code="or_needs_sides")
            expect_alternative = True
            continue
        if kind == "filter":
            if expect_alternative:
                raise QuerySyntaxError(text, pos, "OR cannot join a field filter", FIELD_HELP, code="or_joins_filter")
            parsed.filters.append(value)  # type: ignore[arg-type]
            continue
        clause: Clause = value  # type: ignore[assignment]
        if clause.negated:
            if expect_alternative:
                raise QuerySyntaxError(text, pos, "OR cannot join an excluded word", code="or_joins_exclusion")
            parsed.excluded.append(clause)
            continue
        if expect_alternative:
            groups[-1].append(clause)
            expect_alternative = False
        else:
            groups.append([clause])
    if expect_alternative:
        raise QuerySyntaxError(text, len(text), "OR at the end of the query needs a word or phrase after it",
                               code="or_at_end")
    for group in groups:
        if len(group) == 1 and not group[0].phrase:
            parsed.words.append(group[0])
        elif any(c.phrase for c in group):
            parsed.required_any.append(group)
        else:
            parsed.words.extend(group)
    if parsed.is_empty and parsed.excluded:
        raise QuerySyntaxError(text, 0, "a query cannot only exclude: add a word to search for",
                               code="only_exclusions")
    if parsed.words and not parsed.required_any and not parsed.filters and not any(map(_has_word, parsed.words)):
        # `*` or `？？` would otherwise match every text: a hit needs one of the words typed
        raise NoWords(text, parsed.words[0].position)
    return parsed


class NoWords(QuerySyntaxError):
    """A query or a text with no word in it, only signs (``。。。！！``): one message for ``search``
    and ``similar``, on the command line and in the API."""

    def __init__(self, text: str, position: int = 0) -> None:
        super().__init__(text, position, "there is no word to search for, only signs",
                         "type words (时尚产业) or filters (类型:行动计划)", code="no_words")


def require_words(text: str) -> None:
    """Raise :func:`NoWords` where ``text`` holds no letter or digit of any script: a text of
    signs alone has no word to match and no meaning to find (its vector is noise)."""
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise NoWords(" ".join(text.split())[:80], 0)


def _has_word(clause: Clause) -> bool:
    """Whether a word typed holds a letter or a digit (any script), not signs alone."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in clause.text)


def _check_parentheses(text: str) -> None:
    """An unclosed ``(`` (or a ``)`` closing none) outside quotes is an error, as an unclosed
    quote is: the query language has no grouping, and a half of one means a mistyped query.
    A full-width parenthesis closes or opens as an ASCII one does (a pasted message writes
    暂住证明(七个工作日后领取）), but one left unpaired is text."""
    opened: list[tuple[int, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _QUOTES:
            end = text.find(_QUOTES[ch], i + 1)
            if end < 0:
                return  # the lexer points at the unclosed quote
            i = end + 1
            continue
        if ch in "(（":
            opened.append((i, ch))
        elif ch in ")）":
            if opened:
                opened.pop()
            elif ch == ")":
                raise QuerySyntaxError(text, i, "this parenthesis closes none", "remove it; " + _PARENTHESES_HINT,
                                       code="stray_parenthesis")
        i += 1
    unclosed = [pos for pos, ch in opened if ch == "("]
    if unclosed:
        raise QuerySyntaxError(text, unclosed[-1], "this parenthesis is never closed", "close it; " + _PARENTHESES_HINT,
                               code="unclosed_parenthesis")


_PARENTHESES_HINT = "parentheses only group words: (时尚 OR 产业) finds what 时尚 OR 产业 finds"


MAX_QUERY_CHARS = 500  # of a query on the command line, in the API and on the page


def check_query_length(query: str) -> None:
    """Raise :class:`QueryTooLong` for a query (spaces at its ends aside) over MAX_QUERY_CHARS."""
    given = len(query.strip())
    if given > MAX_QUERY_CHARS:
        raise QueryTooLong(given, MAX_QUERY_CHARS)


class EmptyQuery(PolicySearchError):
    """Raised when a search is asked for with nothing to search for."""

    code = "query.empty"
    http_status = 400

    def __init__(self) -> None:
        super().__init__("the query is empty — type words or filters, e.g. policy-search search 时尚产业, "
                         "or policy-search search '类型:行动计划 年份:2020'")


def _lex(text: str):
    """Yield ("word"|"or"|"filter", value, position) items."""
    i, n = 0, len(text)
    while i < n:
        m = _SPACE.match(text, i)
        if m:
            i = m.end()
            continue
        start = i
        negated = False
        if text[i] in "-－" and i + 1 < n and not _SPACE.match(text, i + 1):
            negated = True
            i += 1
        if text[i] in _QUOTES:
            close = _QUOTES[text[i]]
            end = text.find(close, i + 1)
            if end < 0:
                raise QuerySyntaxError(text, i, "this quote is never closed", 'close it: "公共服务平台"',
                                       code="unclosed_quote")
            inner = text[i + 1:end].strip()
            if not inner:
                raise QuerySyntaxError(text, i, "empty quotes", code="empty_quotes")
            yield "word", Clause(inner, True, negated, start), start
            i = end + 1
            continue
        m = _SPACE.search(text, i)
        end = m.start() if m else n
        token = text[i:end]
        i = end
        if not negated and token in _OR_WORDS:
            yield "or", None, start
            continue
        name, sep, value = _split_field(token)
        if sep and name.lower() not in FIELD_NAMES and (not (name.isascii() and name[0].isalpha())
                                                        or value.startswith("//")):
            sep = ""  # 一个病人的请求:希望…, 22:00后施工 and https://… are text with a colon, not fields
        if sep:
            if negated:
                raise QuerySyntaxError(text, start, "a filter cannot be negated", FIELD_HELP, code="negated_filter")
            yield "filter", _filter(text, name, value, start), start
            continue
        yield "word", Clause(token, False, negated, start), start


def _split_field(token: str) -> tuple[str, str, str]:
    for sep in (":", "："):
        name, found, value = token.partition(sep)
        if found and name and re.fullmatch(r"[\w\u4e00-\u9fff]+", name):
            return name, sep, value
    return token, "", ""


def _filter(text: str, name: str, value: str, pos: int) -> Filter:
    canonical = FIELD_NAMES.get(name.lower())
    if canonical is None:
        raise QuerySyntaxError(text, pos, f"unknown field `{name}`", FIELD_HELP, code="unknown_field",
                               value=name)
    if not value:
        raise QuerySyntaxError(text, pos + len(name) + 1, f"`{name}:` needs a value", FIELD_HELP,
                               code="field_needs_value", value=name)
    op, operand = _operator(value)
    if not operand:
        raise QuerySyntaxError(text, pos + len(name) + 1, f"`{name}:{op}` needs a value after {op}",
                               code="operator_needs_value", value=f"{name}:{op}")
    return Filter(canonical, op, operand, pos)


def _operator(value: str) -> tuple[str, str]:
    """A filter's operator and operand: ``2020..2023`` is a range, ``>=1万`` a bound, else ``=``."""
    if ".." in value:
        low, _, high = value.partition("..")
        return "..", f"{low.strip()}..{high.strip()}"
    m = re.match(r"^(>=|<=|>|<|=)", value)
    if m:
        return m.group(1), value[m.end():].strip()
    return "=", value
