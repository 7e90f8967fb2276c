"""The query language: parse what a user types into words, phrases, exclusions and filters.

    时尚产业 "公共服务平台" -直播 类型:行动计划 年份:2020..2023

- words are ranked: a text matching more of them ranks higher, none is required alone;
- "quoted phrases" (also “…” and 「…」) must occur as written;
- ``-word`` / ``-"phrase"`` excludes texts that contain it;
- ``A OR B`` (also ``|``, 或) requires at least one of A and B where they are phrases;
- ``field:value`` filters, with Chinese or English field names (see ``FIELDS``). An unknown
  ASCII name is an error (a mistyped field); an unknown Chinese one, or digits (22:00), is
  text with a colon (投诉：噪音扰民), as pasted messages often have.

Parsing is separate from building the Whoosh query (:mod:`search.build`), so the parse
is testable on its own and errors point at the character where the problem is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from errors import QuerySyntaxError

# canonical field → names a user may type
FIELDS: dict[str, tuple[str, ...]] = {
    "type": ("类型", "type", "doc_type", "文种"),
    "issuer": ("机关", "issuer", "issuing_body", "发文机关", "单位"),
    "year": ("年份", "year", "年度"),
    "date": ("日期", "date"),
    "amount": ("金额", "amount", "资金"),
    "status": ("状态", "status", "效力"),
    "docno": ("文号", "docno", "发文字号"),
    "proposal": ("提案号", "proposal", "建议号"),
    "session": ("会议", "session"),
    "proposer": ("提案人", "proposer", "代表", "委员"),
    "cites": ("引用", "cites"),
    "source": ("来源", "source", "文件"),
}
FIELD_NAMES = {alias.lower(): canonical for canonical, aliases in FIELDS.items() for alias in aliases}
FIELD_HELP = "fields: " + "; ".join(f"{'/'.join(aliases[:2])}" for aliases in FIELDS.values())

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
    """The parse of one query string."""

    text: str
    words: list[Clause] = field(default_factory=list)
    required_any: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.required_any or self.filters)


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; raise :class:`QuerySyntaxError` pointing at the problem."""
    items = list(_lex(text))
    parsed = ParsedQuery(text)
    groups: list[list[Clause]] = []
    expect_alternative = False
    for kind, value, pos in items:
        if kind == "or":
            if not groups or expect_alternative:
                raise QuerySyntaxError(text, pos, "OR needs a word or phrase on each side",
                                       'e.g. "数字化转型" OR "智能制造"')
            expect_alternative = True
            continue
        if kind == "filter":
            if expect_alternative:
                raise QuerySyntaxError(text, pos, "OR cannot join a field filter", FIELD_HELP)
            parsed.filters.append(value)  # type: ignore[arg-type]
            continue
        clause: Clause = value  # type: ignore[assignment]
        if clause.negated:
            if expect_alternative:
                raise QuerySyntaxError(text, pos, "OR cannot join an excluded word")
            parsed.excluded.append(clause)
            continue
        if expect_alternative:
            groups[-1].append(clause)
            expect_alternative = False
        else:
            groups.append([clause])
    if expect_alternative:
        raise QuerySyntaxError(text, len(text), "OR at the end of the query needs a word or phrase after it")
    for group in groups:
        if len(group) == 1 and not group[0].phrase:
            parsed.words.append(group[0])
        elif any(c.phrase for c in group):
            parsed.required_any.append(group)
        else:
            parsed.words.extend(group)
    if parsed.is_empty and parsed.excluded:
        raise QuerySyntaxError(text, 0, "a query cannot only exclude: add a word to search for")
    return parsed


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
                raise QuerySyntaxError(text, i, "this quote is never closed", 'close it: "公共服务平台"')
            inner = text[i + 1:end].strip()
            if not inner:
                raise QuerySyntaxError(text, i, "empty quotes")
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
        if sep and name.lower() not in FIELD_NAMES and not (name.isascii() and name[0].isalpha()):
            sep = ""  # 一个病人的请求:希望… and 22:00后施工 are text with a colon, not fields
        if sep:
            if negated:
                raise QuerySyntaxError(text, start, "a filter cannot be negated", FIELD_HELP)
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
        raise QuerySyntaxError(text, pos, f"unknown field `{name}`", FIELD_HELP)
    if not value:
        raise QuerySyntaxError(text, pos + len(name) + 1, f"`{name}:` needs a value", FIELD_HELP)
    if ".." in value:
        low, _, high = value.partition("..")
        return Filter(canonical, "..", f"{low.strip()}..{high.strip()}", pos)
    m = re.match(r"^(>=|<=|>|<|=)", value)
    if m:
        op, rest = m.group(1), value[m.end():].strip()
        if not rest:
            raise QuerySyntaxError(text, pos + len(name) + 1, f"`{name}:{op}` needs a value after {op}")
        return Filter(canonical, op, rest, pos)
    return Filter(canonical, "=", value, pos)
