"""The kind of a document (spec ``doc_type``), as governments name it: the word its title ends with.

Kinds are the 文种 of GB/T 9704 and of legislation (法律, 条例, 规定, 办法, 细则, 决定, 司法解释),
the plans and measures local governments issue (行动计划, 若干措施, 实施方案, 工作方案, 规划)
and three kinds of reply (提案答复, 建议答复, and 答复 to a citizen's message). A notice that
issues or forwards another text (关于印发《X办法》的通知) takes the kind of that text where the
text is its body; otherwise it is a 通知.
"""
from __future__ import annotations

import re

PROPOSAL_REPLY_TYPES = ("提案答复", "建议答复")  # a letter answering a member's proposal or a deputy's suggestion
REPLY_TYPES = (*PROPOSAL_REPLY_TYPES, "答复")  # and the answer to a citizen's message
DOC_TYPES = (
    *REPLY_TYPES, "法律", "条例", "规定", "办法", "细则", "决定", "司法解释",
    "行动计划", "若干措施", "实施方案", "工作方案", "规划", "通知", "通告", "公告", "意见", "批复", "函", "其他",
)

_REPLY_TITLE = re.compile(r"(答复|回复|答复意见|答复函|的函|主办意见|会办意见|协办意见|办理意见|复函)$")
_REPLY_OPENER = re.compile(r"收悉|现(?:将[^。]{0,12})?答复如下|现(?:将[^。]{0,12})?回复如下")
_PROPOSAL_CUE = re.compile(r"提案|议案|政协|人大|人民代表大会|委员(?!会)|代表(?:们)?[：:，,]|等代表|代表建议|代表提出")
_CITIZEN = re.compile(r"网友|市民|来信人|留言")
_CPPCC_CUE = re.compile(r"政协|提案|委员")
_CONGRESS_CUE = re.compile(r"人民代表大会|人大|代表|建议|议案")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[)）]$")
_QUOTE_END = re.compile(r"[》〉」”\"]+$")
_JUDICIAL = re.compile(r"^最高人民(?:法院|检察院)")
# a national law, or a code and one of its books: 中华人民共和国民法典·物权编 (corpus.citations.PART)
_NATIONAL_LAW = re.compile(r"^中华人民共和国.{1,40}法(?:典(?:·[^·]{1,12})?)?$|修正案$")
# (ending, kind), the longer endings first
_ENDINGS = (
    ("行动计划", "行动计划"), ("若干措施", "若干措施"), ("实施方案", "实施方案"), ("工作方案", "工作方案"),
    ("规划纲要", "规划"), ("规划", "规划"), ("实施细则", "细则"), ("细则", "细则"), ("征求意见", None),
    ("意见", "意见"), ("办法", "办法"), ("规定", "规定"), ("条例", "条例"), ("决定", "决定"),
    ("通告", "通告"), ("公告", "公告"), ("批复", "批复"), ("复函", "函"), ("的函", "函"), ("通知", "通知"),
)
_ISSUES = re.compile(r"(?:印发|转发|颁发|发布)(.+?)的(?:通知|函)$")
_COVER = re.compile(r"(?:印发|转发|颁发|发布)(?:给)?(?:你们|各)|现予(?:印发|发布)|予以印发|现印发")
_HEADING_AFTER_COVER = re.compile(r"\n\s*(?:第[一二三四五六七八九十百\d]+[章条]|[一二三四五六七八九十]+、|1[.．、])")


def strip_notes(title: str) -> str:
    """A title without its trailing notes in brackets: （2020—2024年）, （试行）, （征求意见稿）."""
    while _TRAILING_NOTE.search(title):
        title = _TRAILING_NOTE.sub("", title)
    return title


def title_kind(title: str) -> str:
    """The kind a title's ending names: …办法（试行） → 办法; 其他 when it names none."""
    bare = _QUOTE_END.sub("", strip_notes(title.strip()))
    bare = strip_notes(bare)
    if _JUDICIAL.match(bare):
        return "司法解释"
    for ending, kind in _ENDINGS:
        if bare.endswith(ending):
            return kind or "其他"
    return "法律" if _NATIONAL_LAW.search(bare) else "其他"


def _reply_kind(title: str, body: str) -> str | None:
    """提案答复 / 建议答复 / 答复 for a reply, None for anything else.

    A reply says 收悉/现答复如下 or is titled …的函/…的回复/…主办意见; it answers a CPPCC
    proposal (政协, 提案, 委员 → 提案答复), a deputy's suggestion (人大, 代表, 建议 → 建议答复)
    or a citizen's message (网友, 市民, 来信人, 留言 → 答复).
    """
    bare = strip_notes(title)
    opener = body[:800]
    if bare.endswith("通知"):
        return None
    if _CITIZEN.search(opener[:200]):
        replies = re.search(r"(答复|回复)$", bare) or _REPLY_OPENER.search(opener)
        return "答复" if replies else None
    cue = _PROPOSAL_CUE.search(title) or _PROPOSAL_CUE.search(opener)
    if not ((_REPLY_TITLE.search(bare) and (cue or "建议" in title)) or (_REPLY_OPENER.search(opener) and cue)):
        return None
    for cues in (title, opener):
        cppcc, congress = _CPPCC_CUE.search(cues), _CONGRESS_CUE.search(cues)
        if cppcc and (not congress or cppcc.start() < congress.start() or "政协" in cues):
            return "提案答复"
        if congress:
            return "建议答复"
    return "提案答复"


def issued_kind(title: str, body: str) -> str | None:
    """For a notice that issues or forwards a text whose body that text is, the text's kind.

    The text is the body when its title stands in the body on its own (not in 《》, as the
    cover note cites it), or when numbered headings follow the cover note.
    """
    m = _ISSUES.search(title)
    if not m:
        return None
    issued = re.sub(r"^[《〈]|[》〉]$", "", m.group(1).strip())
    kind = title_kind(issued)
    if kind in ("其他", "通知", "函"):
        return None
    flat = re.sub(r"\s+", "", body).replace(re.sub(r"\s+", "", title), "")
    name = re.sub(r"\s+", "", issued)
    for found in re.finditer(re.escape(name), flat):
        at, end = found.start(), found.end()
        if flat[at - 1:at] not in ("《", "〈") and flat[end:end + 1] not in ("》", "〉"):
            return kind
    cover = _COVER.search(body)
    if cover and _HEADING_AFTER_COVER.search(body, cover.end()):
        return kind
    return None


def classify(title: str, body: str) -> str:
    """The doc type of the spec: a reply's kind, the kind of a text a notice issues as its
    body, else the kind the title's ending names."""
    return _reply_kind(title, body) or issued_kind(title, body) or title_kind(title)
