"""The clause tree: numbered headings and articles, nested as a reader sees them.

A heading is a line that opens with a number: 第X编/章/节/条, 一、, （一）, 1. or 1、, （1）,
①, or a Markdown heading. Labels are kept as written (full-width parentheses made ASCII).
Real numbering is messy, so nesting follows what a reader does rather than a fixed ladder:

* 编 > 章 > 节 > 条 have fixed ranks; an article closes every list above it.
* A heading whose style is open on the path continues (or restarts) that level.
* A style never seen before that carries on the count of an open heading of the same shape
  (``1、`` … ``二、``, ``（一）`` … ``（2）``) is taken as its sibling, a slip of the pen.
* A style seen before goes back to the depth it had; a new style opens a deeper level.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from corpus.model import Clause
from corpus.numbers import cn_small, fold_width

_CN = "一二三四五六七八九十百千零〇两"
_LEGAL_RANK = {"编": 0, "分编": 1, "部分": 1, "章": 2, "节": 3, "条": 4}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

_HEADING = re.compile(
    rf"""^[ ]*(?:\#{{1,6}}[ ]+)?(?:
      (?P<legal>第(?P<lnum>[{_CN}\d]+)(?P<lkind>分编|部分|编|章|节|条)(?:之[{_CN}]+)?)
          (?![规所中的至、和或款项修增删第])
    | (?P<cn>[{_CN}]{{1,4}})[ ]*[、.．](?!\d)
    | [（(][ ]*(?P<pcn>[{_CN}]{{1,4}})[ ]*[)）][ ]*[、.．]?
    | (?P<ar>\d{{1,3}})(?:[ ]*[、．]|\.(?!\d))
    | (?P<arp>\d{{1,3}})[)）]
    | [（(][ ]*(?P<par>\d{{1,3}})[ ]*[)）][ ]*[、.．]?
    | (?P<circ>[{_CIRCLED}])
    )[ ]*(?P<rest>[^\n]*)""",
    re.M | re.X,
)
_MARKDOWN = re.compile(r"^(?P<hashes>#{2,6})[ ]+(?P<rest>[^\n]+)", re.M)
# What follows a number that is a quantity, a date or a list of numbers, not a heading.
_AR_NOT_HEADING = re.compile(r"^(?:\d{1,2}(?:[年月日号、,，.万亿元%]|个)|[%万亿元千百个多余年月日号倍])")
_CN_NOT_HEADING = re.compile(rf"^(?:[是者]|[{_CN}](?:[、季级类等年月]))")
_ATTACHMENT_LIST = re.compile(r"^[ ]*附件[ ]*[:：]", re.M)
_TITLE_END = re.compile(r"[。；;：:！？!?]")
# a line that opens an appendix: 附件1, 附件 2：, 附件, 附表1 企业申报表
_APPENDIX_MARK = re.compile(
    rf"^[ ]*(?P<kind>附件|附表)[ ]*(?:[\d{_CN}]+[ ]*[:：]?[ ]*(?:[^\n]{{0,40}})|[:：]?[ ]*)$", re.M)
_FORM = re.compile(r"表|清单|目录|名录|名单|样式|格式|模板|范本|样本|流程图|示意图|承诺书|申请书|汇总")
_TITLE_CHARS = 40


@dataclass(frozen=True)
class _Head:
    start: int  # offset of the heading line
    style: str
    shape: str | None
    rank: int | None
    value: int | None
    label: str
    rest: str


@dataclass(frozen=True)
class ClauseSpan:
    """A clause and the character range of the text it owns (heading line to next heading)."""

    start: int
    end: int
    clause: Clause


def _label(raw: str) -> str:
    """The label as written, with full-width parentheses made ASCII: （一） → (一)."""
    return raw.replace("（", "(").replace("）", ")").replace(" ", "")


def _heading(m: re.Match[str], original: str) -> _Head | None:
    rest = original[m.start("rest"):m.end("rest")]
    if not rest.strip():
        if not m.group("legal"):
            return None
        # a label alone on its line (第一条 ⏎ 为规范…): its text, or a chapter's title, is the next line
        following = re.match(r"[^\S\n]*\n\s*([^\n]*)", original[m.end():])
        rest = following.group(1) if following and not _HEADING.match(following.group(1)) else ""
    start = m.start()
    if m.group("legal"):
        kind = m.group("lkind")
        return _Head(start, "legal" + kind, None, _LEGAL_RANK[kind], cn_small(m.group("lnum")),
                     original[m.start("legal"):m.end("legal")], rest)
    for style, shape in (("cn", "bare"), ("pcn", "paren"), ("ar", "bare"), ("arp", "arp"),
                         ("par", "paren"), ("circ", "circ")):
        if m.group(style) is None:
            continue
        guard = _AR_NOT_HEADING if style in ("ar", "arp") else _CN_NOT_HEADING
        if guard.match(rest):
            return None
        number = m.group(style)
        value = _CIRCLED.index(number) + 1 if style == "circ" else cn_small(number)
        if style in ("pcn", "par"):
            label = f"({original[m.start(style):m.end(style)]})"
        elif style == "arp":
            label = original[m.start(style):m.end(style)] + ")"
        else:
            label = original[m.start(style):m.end(style)]
        return _Head(start, style, shape, None, value, _label(label), rest)
    return None


def _attachment_lines(folded: str) -> set[int]:
    """Offsets of lines listing attachments (附件：1.XX办法 / 2.YY细则), which are not headings."""
    skipped: set[int] = set()
    for m in _ATTACHMENT_LIST.finditer(folded):
        pos = folded.find("\n", m.end())
        while pos != -1:
            end = folded.find("\n", pos + 1)
            line = folded[pos + 1:end if end != -1 else len(folded)]
            if not line.strip():
                pos = end
                continue
            if len(line) > 60 or line.rstrip().endswith("。") or not re.match(r"^[ ]*[\d（(]", line):
                break
            skipped.add(pos + 1)
            pos = end
    return skipped


def _appendix_start(folded: str, heads: list[_Head]) -> int | None:
    """Where the appendices after the body begin (附件1 申请表, 附表), which hold no clauses of
    the body: the first appendix mark after a heading that is a table or form, or that follows
    articles (a regulation's appendices are never more of its articles)."""
    if not heads:
        return None
    for m in _APPENDIX_MARK.finditer(folded, heads[0].start + 1):
        after = folded[m.start():m.start() + 120].split("\n")
        named = " ".join(line for line in after[:3] if line.strip())
        articles = any(h.style == "legal条" and h.start < m.start() for h in heads)
        if m.group("kind") == "附表" or _FORM.search(named) or articles:
            return m.start()
    return None


def _headings(text: str) -> tuple[list[_Head], int]:
    """The headings of the body, in order, and where the body ends (its appendices begin)."""
    folded = fold_width(text)
    skipped = _attachment_lines(folded) if "附件" in folded else set()
    heads = [h for m in _HEADING.finditer(folded) if m.start() not in skipped and (h := _heading(m, text))]
    end = (_appendix_start(folded, heads) if "附件" in folded or "附表" in folded else None) or len(text)
    heads = [h for h in heads if h.start < end]
    numbered = {h.start for h in heads}
    for m in _MARKDOWN.finditer(folded):
        if m.start() not in numbered and m.start() < end:
            level = len(m.group("hashes"))
            label = re.sub(r"\s+", "", text[m.start("rest"):m.end("rest")]).replace("/", "-")
            heads.append(_Head(m.start(), f"md{level}", None, None, None, label, ""))
    heads.sort(key=lambda h: h.start)
    return heads, end


def _title(head: _Head) -> str:
    rest = head.rest.strip()
    if head.style == "legal条":
        bracketed = re.match(r"^[【\[]([^】\]]{1,30})[】\]]", rest)
        return bracketed.group(1) if bracketed else ""
    if head.style.startswith("md"):
        return head.label
    return _TITLE_END.split(rest, maxsplit=1)[0][:_TITLE_CHARS].strip()


def _nest(heads: list[_Head]) -> list[list[_Head]]:
    """The path (list of open headings, top first) of every heading, in order."""
    stack: list[_Head] = []
    depth_of: dict[str, int] = {}
    paths = []
    for h in heads:
        if h.rank is not None:
            while stack and (stack[-1].rank is None or stack[-1].rank >= h.rank):
                stack.pop()
        else:
            same = next((i for i, s in enumerate(stack) if s.style == h.style), None)
            if same is not None:
                del stack[same:]
            elif h.style not in depth_of and h.value and h.value > 1 and (
                sib := next((i for i, s in enumerate(stack)
                             if s.shape == h.shape and s.value == h.value - 1 and s.rank is None), None)
            ) is not None:
                del stack[sib:]
            elif h.style in depth_of:
                del stack[min(depth_of[h.style], len(stack)):]
        depth_of[h.style] = len(stack)
        stack.append(h)
        paths.append(list(stack))
    return paths


def clause_spans(text: str) -> list[ClauseSpan]:
    """Every numbered heading or article in document order, with the text range it owns."""
    heads, body_end = _headings(text)
    spans = []
    for n, (h, path) in enumerate(zip(heads, _nest(heads))):
        end = heads[n + 1].start if n + 1 < len(heads) else body_end
        body = "\n".join(line.strip() for line in text[h.start:end].split("\n") if line.strip())
        body = re.sub(r"^#{1,6}[ ]+", "", body)
        clause = Clause("/".join(p.label for p in path), h.label, _title(h), body)
        spans.append(ClauseSpan(h.start, end, clause))
    return spans


def parse_clauses(text: str) -> list[Clause]:
    """Every numbered heading or article in document order, each with its text up to the next."""
    return [s.clause for s in clause_spans(text)]


_ARTICLE = re.compile(rf"^第[{_CN}\d]+条(?:之[{_CN}]+)?$")


def cited_path(path: str) -> str:
    """The path of the clause one cites for the clause at ``path``: the article (第X条) that
    holds it, where there is one, else itself. Items and paragraphs of an article are cited by
    the article (《护士条例》第三十一条), not on their own.

    >>> cited_path("第五章/第三十一条/(一)"), cited_path("三/(一)/1")
    ('第五章/第三十一条', '三/(一)/1')
    """
    parts = path.split("/")
    for depth, part in enumerate(parts):
        if _ARTICLE.match(part):
            return "/".join(parts[: depth + 1])
    return path


def clause_at(spans: list[ClauseSpan], offset: int) -> str | None:
    """The path of the clause owning the character at ``offset``; None before the first heading."""
    i = bisect.bisect_right([s.start for s in spans], offset) - 1
    return spans[i].clause.path if i >= 0 else None
