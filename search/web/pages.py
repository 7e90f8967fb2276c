"""What each web page shows, as plain data: one function per page over an open index.

The web layer (:mod:`search.web.app`) calls exactly one of :func:`search_page`,
:func:`document_page`, :func:`precedents_page` or :func:`draft_page` per request and renders
what it returns;
everything a page needs beyond the index's own answers — clause anchors, the body cut into
anchored sections, facet filters added to a query, pages of results, Chinese wording of query
errors — is computed here, so it is testable without HTTP and never touches Whoosh.
"""
from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.dates import BadDate, parse_day
from corpus.kinds import REPLY_TYPES
from corpus.model import DOC_TYPES
from corpus.proposals import read_proposal
from corpus.validity import has_validity
from errors import (
    DraftInputError, InputTooLong, PolicySearchError, QuerySyntaxError, QueryTooLong, UnreadableDocument,
    UnreadableUpload, UsageError,
)
from search.drafting import PLACEHOLDER, Draft, draft_from_text
from search.engine import Hit, PolicyIndex, SearchResults
from search.facets import FACETS
from search.no_hits import Loosening, loosenings
from search.query import MAX_QUERY_CHARS, check_query_length
from search.fields import FACET_FIELDS, QUERY_FIELDS

MAX_TEXT_CHARS = 20_000
PAGE_SIZES = (10, 20, 50)
MAX_PAGE = 50
SIMILAR_LIMIT = 6
SIMILAR_BREADTH = 0.5  # half the terms of a full precedent search: a side list, it must be quick
PRECEDENT_LIMIT = 10
MAX_BODY_NAME_CHARS = 100  # 答复单位
MAX_DATE_CHARS = 40
UPLOAD_SUFFIXES = (".txt", ".md", ".docx")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

LEVEL_LABELS = {"doc": "文件", "clause": "条款"}  # what a hit is: a document, or one clause
# how hits are found (search.semantic.MODES), offered where the index has vectors
MODE_LABELS = {"hybrid": "综合（字词+语义）", "lexical": "仅字词", "semantic": "仅语义"}
DEFAULT_MODE = "hybrid"
MODE_HINT = "综合：按字词和意思排序；仅字词：只找含有所输词语的；仅语义：按意思找，字面不同也能找到"
SORT_LABELS = {"relevance": "相关度", "date": "日期"}
STATUS_CLASSES = {"现行有效": "in-force", "已被修改": "amended", "已失效": "expired", "尚未生效": "not-yet"}

# the query language's fields as the help shows them: (name, what it filters, examples)
FIELD_HELP: list[tuple[str, str, list[str]]] = [
    (f.label, f.meaning, list(f.examples)) for f in QUERY_FIELDS if f.meaning
]
SYNTAX_HELP: list[tuple[str, str]] = [
    ("时尚产业 数字化转型", "空格分开的词参与排序，命中词越多越靠前，不要求全部出现"),
    ("酒驾 驾照 扣分", "日常说法也能找到法规用语（驾照→机动车驾驶证），排序略低于原词"),
    ("道路交通安全法 醉酒", "写出法规名称，该法规的条款排在前面；其余的词决定是哪一条"),
    ("\"公共服务平台\"", "引号内的短语必须原样出现"),
    ("时尚产业 -直播", "减号排除含有该词的文件"),
    ("\"数字化转型\" OR \"智能制造\"", "至少出现其中一个短语"),
]

def applicable_help(index: PolicyIndex) -> tuple[list[tuple[str, str]], list[tuple[str, str, list[str]]]]:
    """:data:`SYNTAX_HELP` and :data:`FIELD_HELP` with only the examples that find something in
    ``index``: an example is shown only where it applies (酒驾 驾照 扣分 over the laws, not over a
    city's industrial policies). A field whose examples all find nothing keeps its row, unlinked.
    By words: in an index with vectors, the meaning finds something near any example."""

    def finds(example: str) -> bool:
        try:
            hits = index.search(example, limit=1, versions=False, mode="lexical").hits
        except PolicySearchError:
            return False
        return bool(hits) and _HELP_CLAIMS.get(example, "") in hits[0].title

    syntax = [(example, meaning) for example, meaning in SYNTAX_HELP if finds(example)]
    fields = [(name, meaning, [e for e in examples if finds(e)]) for name, meaning, examples in FIELD_HELP]
    return syntax, fields


# what the first hit's title holds where an example claims it (a named law's clauses come first)
_HELP_CLAIMS = {"道路交通安全法 醉酒": "道路交通安全法"}


# what the page says of an error, by its code (errors.py); {value} is the text the error is about
QUERY_PROBLEMS = {
    "query.unclosed_quote": "引号没有闭合",
    "query.empty_quotes": "引号中间没有内容",
    "query.or_needs_sides": "OR 两边都要有词语或短语",
    "query.or_joins_filter": "OR 不能连接字段筛选",
    "query.or_joins_exclusion": "OR 不能连接排除词",
    "query.or_at_end": "末尾的 OR 后面缺少词语或短语",
    "query.only_exclusions": "查询不能只有排除词：请加上要检索的词",
    "query.unknown_field": "未知字段“{value}”",
    "query.field_needs_value": "“{value}:”后面缺少要筛选的值",
    "query.operator_needs_value": "“{value}”后面缺少值",
    "query.negated_filter": "字段筛选前不能加减号",
    "query.unknown_type": "没有“{value}”这种文件类型",
    "query.not_a_year": "“{value}”不是年份",
    "query.not_a_date": "“{value}”不是日期",
    "query.not_an_amount": "“{value}”不是金额",
    "query.unknown_status": "没有“{value}”这种状态",
    "query.field_cannot_filter": "字段“{value}”不能用于筛选",
    "query.unclosed_parenthesis": "括号没有闭合",
    "query.stray_parenthesis": "多出一个右括号",
    "query.no_words": "查询中没有可检索的词语，只有符号",
}
ERROR_MESSAGES = {
    "unknown_document": "索引中没有这个文件。",
    "index_missing": "索引暂时无法打开，请联系管理员重建索引。",
    "index_empty": "索引中还没有文件，请联系管理员添加文件。",
    "index_mismatch": "索引暂时无法打开，请联系管理员重建索引。",
    "index_locked": "索引暂时无法打开，请联系管理员重建索引。",
    "index_write_failed": "索引暂时无法打开，请联系管理员重建索引。",
    "unreadable_upload": "无法读取上传的文件“{source}”：{problem}。请上传 txt、md 或 docx 格式的提案正文。",
    "query_too_long": "查询过长：共 {given} 字，最多 {limit} 字。要查找与一段长文本（提案、建议、来信）相近的文件，请用“找先例”。",
}


_HINT_WORDS = [(r"^(?:close|remove) it; parentheses only group words: (.*) finds what (.*) finds$",
                r"括号只用于分组：\1 与 \2 的结果相同"),
               (r"^close it:", "请补上引号，例如"), (r"^e\.g\.", "例如"), (r"^fields:", "可用字段："),
               (r"^types:", "文件类型："), (r"^statuses:", "状态："), (r" or ", " 或 ")]


# -- search page --------------------------------------------------------------------------------
@dataclass
class FacetItem:
    value: str
    count: int
    query: str  # the query a click runs: the filter added, or removed when already active
    active: bool


@dataclass
class FacetGroup:
    name: str
    label: str
    items: list[FacetItem]


@dataclass
class SearchPage:
    query: str
    level: str  # doc or clause
    mode: str  # how hits are found: hybrid, lexical or semantic (kept in links only where the index has vectors)
    sort: str
    page: int
    size: int
    hits: list[Hit]
    total: int
    pages: int
    facets: list[FacetGroup]
    browsing: bool  # an empty query: every document, newest first
    loosenings: list[Loosening] = field(default_factory=list)  # no hits: the filters that removed them
    offers_modes: bool = False  # the units of this level have vectors: the page offers MODE_LABELS


def known_mode(value: str | None) -> str:
    """``value`` where it is one of MODE_LABELS, else DEFAULT_MODE: a page's parameter it does not
    know is taken as the default."""
    return value if value in MODE_LABELS else DEFAULT_MODE


def _check_mode(mode: str) -> None:
    if mode not in MODE_LABELS:
        raise UsageError(f"mode must be one of {', '.join(MODE_LABELS)}, got `{mode}`")


def search_page(index: PolicyIndex, query: str, *, level: str = "doc", mode: str = DEFAULT_MODE,
                sort: str | None = None, page: int = 1, size: int = PAGE_SIZES[0],
                as_of: str | None = None) -> SearchPage:
    """One page of hits for ``query`` with facet counts; an empty query browses every document.

    ``level`` is ``doc`` or ``clause`` (what a hit is); ``mode`` how hits are found, as in
    :meth:`PolicyIndex.search`: ignored (and the default kept) where the index has no vectors.
    """
    query = query.strip()
    check_query_length(query)
    if level not in LEVEL_LABELS:
        raise UsageError(f"level must be one of {', '.join(LEVEL_LABELS)}, got `{level}`")
    _check_mode(mode)
    if size not in PAGE_SIZES:
        raise UsageError(f"page size must be one of {', '.join(map(str, PAGE_SIZES))}, got {size}")
    if not 1 <= page <= MAX_PAGE:
        raise UsageError(f"page must be between 1 and {MAX_PAGE}, got {page}")
    browsing = not query
    sort = sort or ("date" if browsing else "relevance")
    clauses = level == "clause"
    if not index.has_vectors():
        mode = DEFAULT_MODE  # words alone whatever is asked: the page offers no choice
    options: dict[str, Any] = {"clauses": clauses, "sort": sort, "as_of": as_of, "mode": mode}
    results = index.search(query, limit=size, offset=(page - 1) * size, facets=True, **options)
    loosened = [] if results.total or browsing else loosenings(index, query, **options)
    return SearchPage(query, level, mode, sort, page, size, results.hits, results.total,
                      min(MAX_PAGE, math.ceil(results.total / size)), facet_groups(query, results), browsing,
                      loosened, index.has_vectors(clauses))


def facet_groups(query: str, results: SearchResults) -> list[FacetGroup]:
    """The facets of ``results``, each value with the query that adds (or removes) its filter."""
    groups = []
    for facet in FACETS:
        field_name = FACET_FIELDS[facet.name]
        items = []
        for value, count in (results.facets or {}).get(facet.name, []):
            term = filter_term(field_name, value)
            active = term in query.split()
            items.append(FacetItem(value, count, remove_term(query, term) if active else add_term(query, term), active))
        groups.append(FacetGroup(facet.name, facet.label, items))
    return groups


def filter_term(field_name: str, value: str) -> str:
    """``机关:深圳市工业和信息化局``; a value with spaces keeps its longest part (filters match parts);
    a kind that is part of other kinds' names is quoted, so that it selects itself alone, as the
    facet counted it (类型:"答复", not 提案答复 and 建议答复 too)."""
    parts = value.split()
    if field_name == FACET_FIELDS["type"] and any(value in other and value != other for other in DOC_TYPES):
        return f'{field_name}:"{value}"'
    return f"{field_name}:{max(parts, key=len) if parts else value}"


def add_term(query: str, term: str) -> str:
    return f"{query} {term}".strip()


def remove_term(query: str, term: str) -> str:
    return " ".join(t for t in query.split() if t != term)


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page links to show: first, last and a window around the current one; None is a gap."""
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def snippet_parts(hit: Hit) -> list[tuple[str, bool]]:
    """The hit's snippet as (text, is_match) pieces, with the ellipses the marked form carries."""
    parts = list(hit.snippet_segments)
    if not parts:
        return [(hit.snippet, False)] if hit.snippet else []
    if hit.snippet.startswith("…") and not parts[0][0].startswith("…"):
        parts.insert(0, ("…", False))
    if hit.snippet.endswith("…") and not parts[-1][0].endswith("…"):
        parts.append(("…", False))
    return parts


# -- document page ------------------------------------------------------------------------------
@dataclass
class Section:
    """A piece of the body: the text of one clause (``anchors`` non-empty) or text between."""

    anchors: list[str]
    path: str | None
    paragraphs: list[str]


@dataclass
class OutlineEntry:
    path: str
    anchor: str
    label: str
    title: str
    depth: int


@dataclass
class DocumentPage:
    record: dict[str, Any]
    outline: list[OutlineEntry]
    sections: list[Section]
    similar: list[Hit]
    anchors: dict[str, str] = field(default_factory=dict)  # clause path → anchor
    commitments: list[Any] = field(default_factory=list)  # a reply's commitments (search.commitments)
    earlier_commitments: list[Any] = field(default_factory=list)  # earlier replies' on the same matter


def clause_anchor(path: str) -> str:
    """The stable anchor of a clause: ``三/(一)/1`` → ``c-三-(一)-1`` (paths come from the text)."""
    return "c-" + "-".join(re.sub(r"\s+", "", part) for part in path.split("/"))


def document_page(index: PolicyIndex, doc_id: str, *, as_of: str | None = None) -> DocumentPage:
    """A document with its outline, its body cut at its clauses, and its closest precedents."""
    record = index.document(doc_id, as_of=as_of)
    clauses = record.get("clauses") or []
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for clause in clauses:
        anchor = clause_anchor(clause["path"])
        while anchor in used:  # a path written twice in a messy text
            anchor += "~"
        if clause["path"] not in anchors:
            anchors[clause["path"]] = anchor
            used.add(anchor)
    outline = [OutlineEntry(c["path"], anchors[c["path"]], c.get("label") or "", c.get("title") or "",
                            c["path"].count("/")) for c in clauses]
    sections = body_sections(record.get("body") or "", [(c["path"], c.get("text") or "") for c in clauses], anchors)
    similar = similar_documents(index, record)
    page = DocumentPage(record, outline, sections, similar, anchors)
    page.commitments = index.commitments.of_reply(record["id"], as_of)  # a reply's own (search.commitments)
    page.earlier_commitments = earlier_on_the_matter(index, record, similar, as_of)
    return page


def earlier_on_the_matter(index: PolicyIndex, record: dict[str, Any], similar: list[Hit],
                          as_of: str | None = None) -> list[Any]:
    """For a dated reply: what the replies among its closest precedents (the page's 相似先例) that
    came before it promised — the same matter asked again, with their proposal numbers and sessions."""
    day = record.get("date")
    if record.get("doc_type") not in REPLY_TYPES or not day:  # undated: nothing is known to come before it
        return []
    earlier = [h.id for h in similar if h.doc_type in REPLY_TYPES and h.date and h.date < day]
    return index.commitments.of_replies(earlier, today=as_of)


def similar_documents(index: PolicyIndex, record: dict[str, Any], limit: int = SIMILAR_LIMIT) -> list[Hit]:
    """The indexed documents closest to this one, itself excluded: by the words of its title and
    the start of its text, and by meaning where it has a vector of its own. That stored vector
    stands for the text (embedding this much text per page view would cost ~0.5 s): a document
    without one is compared by words alone."""
    return index.similar_to(record["id"], limit=limit, breadth=SIMILAR_BREADTH, snippets=False).hits


def body_sections(body: str, clauses: list[tuple[str, str]], anchors: dict[str, str]) -> list[Section]:
    """Cut ``body`` where each clause's text begins, in order, so every clause gets its anchor.

    A clause whose text cannot be found keeps its anchor at the next clause that can (so its
    outline link still lands near it).
    """
    cuts: list[tuple[int, list[str], str]] = []
    pending: list[str] = []
    pos = 0
    for path, text in clauses:
        anchor = anchors[path]
        at = _find_start(body, text, pos)
        if at is None:
            pending.append(anchor)
            continue
        cuts.append((at, pending + [anchor], path))
        pending = []
        pos = at + 1
    sections: list[Section] = []
    first = cuts[0][0] if cuts else len(body)
    if body[:first].strip():
        sections.append(Section([], None, _paragraphs(body[:first])))
    for i, (at, ids, path) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(body)
        sections.append(Section(ids, path, _paragraphs(body[at:end])))
    if pending:
        sections.append(Section(pending, None, []))
    return sections


def _find_start(body: str, text: str, pos: int) -> int | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    for length in (40, 12):
        at = body.find(lines[0][:length], pos)
        if at >= 0:
            return at
    return None


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# -- precedents ---------------------------------------------------------------------------------
@dataclass
class PrecedentsPage:
    text: str
    documents: list[Hit]
    clauses: list[Hit]
    mode: str = DEFAULT_MODE  # how precedents are found, as on the search page
    offers_modes: bool = False  # the documents or the clauses have vectors: the form offers MODE_LABELS
    already_indexed: list[dict[str, str]] = field(default_factory=list)  # the text is these indexed documents
    commitments: list[Any] = field(default_factory=list)  # what the closest replies promised


def precedents_page(index: PolicyIndex, text: str, *, mode: str = DEFAULT_MODE,
                    limit: int = PRECEDENT_LIMIT) -> PrecedentsPage:
    """For a pasted proposal or message: the closest replies and documents, and the clauses of
    policies and laws that can be cited (never a reply's numbered points).

    ``mode`` as on the search page: ignored (and the default kept) where neither the documents
    nor the clauses have vectors.
    """
    text = text.strip()
    check_length("文本", text, MAX_TEXT_CHARS)
    _check_mode(mode)
    offers_modes = index.has_vectors()
    if not offers_modes:
        mode = DEFAULT_MODE  # words alone whatever is asked: the form offers no choice
    if not text:
        return PrecedentsPage(text, [], [], mode, offers_modes)
    documents = index.similar(text, limit=limit, mode=mode)
    page = PrecedentsPage(text, documents.hits,
                          index.similar(text, clauses=True, limit=limit, mode=mode, citable=True).hits,
                          mode, offers_modes, documents.already_indexed)
    page.commitments = index.commitments.of_replies([h.id for h in documents.hits])  # on the same matter
    return page


# -- drafting aid -------------------------------------------------------------------------------
_UPLOAD_PROBLEMS: list[tuple[re.Pattern[str], str]] = [(re.compile(p), zh) for p, zh in [
    (r"empty", "文件中没有文字"),
    (r"password", "文件设有密码，请先取消密码"),
    (r"too large|larger than", "文件过大"),
    (r"Word|zip", "不是有效的 Word（.docx）文件，或文件已损坏"),
    (r"not text|decode|BOM|encoding", "不是文本文件，或无法识别其编码"),
]]


@dataclass
class DraftPage:
    """The drafting form as filled in, and the skeleton it gave (None before a proposal is sent)."""

    text: str
    as_body: str
    date: str
    draft: Draft | None = None
    error: str = ""


def draft_page(index: PolicyIndex, text: str, as_body: str = "", date: str = "") -> DraftPage:
    """The answer skeleton of a pasted or uploaded proposal, as ``as_body`` on ``date`` (default today).

    Raises :class:`DraftInputError` (in Chinese) for an empty proposal or a date that is not one,
    before any search.
    """
    text, as_body, date = check_draft_input(text, as_body, date)
    return DraftPage(text, as_body, date, draft_from_text(index, text, as_body or None, date or None))


def draft_of(index: PolicyIndex, text: str, as_body: str = "", date: str = "") -> Draft:
    """The skeleton alone, after the page's checks (for the downloads and ``/api/draft``)."""
    text, as_body, date = check_draft_input(text, as_body, date)
    return draft_from_text(index, text, as_body or None, date or None)


def check_draft_input(text: str, as_body: str, date: str) -> tuple[str, str, str]:
    """The form's fields trimmed and with Windows line ends made plain, or a Chinese error."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    as_body, date = as_body.strip(), date.strip()
    check_length("提案正文", text, MAX_TEXT_CHARS)
    check_length("答复单位", as_body, MAX_BODY_NAME_CHARS)
    check_length("日期", date, MAX_DATE_CHARS)
    if not text:
        raise DraftInputError("没有收到提案或建议的正文：请粘贴正文，或上传 txt、md、docx 文件。")
    if date:
        try:
            parse_day(date)
        except BadDate as exc:
            why = f"：{exc.reason_zh}" if exc.reason_zh else ""
            raise DraftInputError(f"“{date}”不是有效的日期{why}。请写成 2024-06-30 的形式，或留空表示今天。") from None
    return text, as_body, date


def read_upload(filename: str, data: bytes) -> str:
    """The text of an uploaded proposal, read as the corpus reads a file of its type.

    The bytes go to a temporary file named with the upload's extension (the readers choose by
    it), which is deleted as soon as it has been read.
    """
    name = re.split(r"[\\/]", filename)[-1].strip() or "（未命名）"
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise DraftInputError(f"不能读取“{name}”：只能上传 txt、md 或 docx 文件。")
    if not data.strip():
        raise DraftInputError(f"已收到“{name}”，但文件是空的，没有正文：请上传有内容的文件，或直接粘贴正文。")
    if len(data) > MAX_UPLOAD_BYTES:
        raise DraftInputError(f"“{name}”超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请上传较小的文件或直接粘贴正文。")
    with tempfile.TemporaryDirectory(prefix="policy-search-upload-") as folder:
        path = Path(folder) / f"proposal{suffix}"
        path.write_bytes(data)
        try:
            return read_proposal(str(path))
        except UnreadableDocument as exc:
            raise UnreadableUpload(name, exc.reason) from None


def upload_problem(reason: str) -> str:
    """Why an upload could not be read, in Chinese (the readers say it in English)."""
    for pattern, chinese in _UPLOAD_PROBLEMS:
        if pattern.search(reason):
            return chinese
    return "文件已损坏或格式不符"


def gap_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` as (piece, is_gap) pieces, so that each 【待填写：…】 can be highlighted."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > at:
            parts.append((text[at:m.start()], False))
        parts.append((m.group(0), True))
        at = m.end()
    if at < len(text):
        parts.append((text[at:], False))
    return parts


# -- errors -------------------------------------------------------------------------------------
def check_length(what: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise InputTooLong(what, limit, len(text))


@dataclass
class QueryProblem:
    """A query error told in Chinese: the problem, and the query cut at where it is."""

    problem: str
    before: str
    at: str
    after: str
    hint: str
    message: str


def query_problem(error: QuerySyntaxError) -> QueryProblem:
    """The query error in Chinese, by its code (its English problem for a code the page does not know)."""
    chinese = QUERY_PROBLEMS.get(error.code)
    problem = chinese.format(value=error.value) if chinese else error.problem
    q, p = error.query, max(0, min(error.position, len(error.query)))
    return QueryProblem(problem, q[:p], q[p:p + 1], q[p + 1:], chinese_hint(error.hint), str(error))


def error_message(error: PolicySearchError) -> str:
    """What a page says of a library error, by its code: never the machine's paths."""
    chinese = ERROR_MESSAGES.get(error.code)
    if chinese is None:
        return str(error)
    if isinstance(error, UnreadableDocument):
        return chinese.format(source=error.source, problem=upload_problem(error.reason))
    if isinstance(error, QueryTooLong):
        return chinese.format(given=error.given, limit=error.limit)
    return chinese


def chinese_hint(hint: str) -> str:
    """The hint of a query error in Chinese: ``e.g. 年份:2020..2023 or year:>=2021`` → ``例如 …或…``."""
    for english, chinese in _HINT_WORDS:
        hint = re.sub(english, chinese, hint)
    return hint


__all__ = ["DocumentPage", "DraftPage", "PrecedentsPage", "SearchPage", "clause_anchor", "document_page", "draft_of",
           "draft_page", "error_message", "gap_parts", "precedents_page", "query_problem", "read_upload",
           "search_page"]
