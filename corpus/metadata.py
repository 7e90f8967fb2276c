"""Document-level metadata read out of the text: title, doc type, issuer, date and numbers.

Government documents put these in a few fixed places: the title block at the top (with an
attachment marker or a lone issuer line above it and the 发文字号 below it), labelled fields
of a web page (信息来源：…, 索引号：…), and the signature block (issuer, then date) at the end.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.dates import find_dates, normalize_date

# ---------------------------------------------------------------------------- names of bodies
ORGAN = re.compile(
    r"^[\u4e00-\u9fff（）()·]{2,40}?"
    r"(?:局|委员会|委|办公室|办公厅|办|人民政府|政府|厅|部|中心|院|会|署|处|所|馆|站|队|集团|公司|银行|小组"
    r"|法院|检察院|管委会|工作委员会|联合会|协会|政协|常委会|街道)$"
)
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|市|区|县|州|旗|镇|乡|街道|新区)$")

# ---------------------------------------------------------------------------- labelled fields
_LABEL = re.compile(r"(?:^|(?<=\s))([\u4e00-\u9fff]{2,6})\s*[：:]")
FIELD_LABELS = {
    "标题": "title", "名称": "title", "文件名称": "title",
    "发布机构": "issuer", "发文机关": "issuer", "发文单位": "issuer", "信息来源": "issuer", "来源": "issuer",
    "成文日期": "signed", "印发日期": "signed", "发文日期": "signed", "签发日期": "signed",
    "发布日期": "published", "发布时间": "published", "信息提供日期": "published", "公开日期": "published",
    "生成日期": "published",
    "文号": "doc_number", "发文字号": "doc_number", "发文文号": "doc_number",
    "索引号": "index_number", "信息索取号": "index_number", "索取号": "index_number",
    "施行日期": "effective", "实施日期": "effective", "生效日期": "effective",
}
_BARE_LABEL = re.compile(r"^([\u4e00-\u9fff]{2,6})\s*[：:]$")
_HEAD_LINES = 15
_TAIL_LINES = 12


def labelled_fields(text: str) -> dict[str, str]:
    """Fields a web page states as ``label：value`` in its header or footer, by role.

    >>> labelled_fields("信息提供日期：2020-03-10 00:00 信息来源：深圳市工业和信息化局")["issuer"]
    '深圳市工业和信息化局'
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    edge = lines[:_HEAD_LINES] + lines[max(_HEAD_LINES, len(lines) - _TAIL_LINES):]
    fields: dict[str, str] = {}
    for n, line in enumerate(edge):
        bare = _BARE_LABEL.match(line)
        if bare and n + 1 < len(edge):
            role = FIELD_LABELS.get(bare.group(1))
            if role and role not in fields and not _BARE_LABEL.match(edge[n + 1]):
                fields[role] = edge[n + 1]
            continue
        if len(line) > 200 or "：" not in line and ":" not in line:
            continue
        marks = list(_LABEL.finditer(line))
        for n, m in enumerate(marks):
            role = FIELD_LABELS.get(m.group(1))
            value = line[m.end():marks[n + 1].start() if n + 1 < len(marks) else len(line)].strip()
            if role and value and role not in fields:
                fields[role] = value
    return fields


# ---------------------------------------------------------------------------- title
_SENTENCE_END = tuple("。：:；！？!?")
_SALUTATION = re.compile(r"^(尊敬的|各位|你们好|您好|亲爱的)")
_ATTACHMENT = re.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[：:]?$")
_NOISE = re.compile(
    r"^(?:[（(]?此件.*|[\u4e00-\u9fff]{2,6}\s*[：:].*|.*文件$|首页.*|当前位置.*|.*[>›»].*|【.*】$"
    r"|字号.*|打印.*|分享.*)$"
)
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fffA-Za-z]{1,16}\s*[〔\[［【（(]\s*(?:19|20)\d{2}\s*[〕\]］】）)]\s*第?\s*\d{1,5}\s*号"
    r"|[\u4e00-\u9fff]{1,20}令\s*[（(]?\s*第\s*\d{1,5}\s*号\s*[)）]?"
)
_TITLE_LINE_CHARS = 60
_TITLE_SCAN_LINES = 40
_BODY_HEADING = re.compile(r"^(?:第[一二三四五六七八九十百\d]+[章条节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_CLOSING = re.compile(r"^(?:特此|专此|此复|此致)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TITLE_TYPE_WORD = re.compile(
    r"(?:通知|办法|措施|计划|方案|意见|规定|细则|决定|函|回复|答复|条例|通告|公告|批复|报告|纲要|规划|指引|指南|规则|政策)$"
)


def _is_doc_number_line(line: str) -> bool:
    m = DOC_NUMBER.search(line)
    return m is not None and len(line.strip("（()） ")) <= len(m.group(0)) + 2


def _is_date_line(line: str) -> bool:
    dates = find_dates(line)
    return bool(dates) and len(line) - (dates[0].end - dates[0].start) <= 12


def extract_title(text: str) -> str:
    """The title: the first heading block, its wrapped lines joined.

    Skips an attachment marker (附件), labelled page fields, red-header lines (…文件) and a lone
    issuer line above the real title; a block is ended by a salutation, a 发文字号 or date line
    or body text. When the first block does not end as titles do (…通知, …办法, …的函) and a
    later one before the first numbered heading does, that one is the title: a decree's preamble
    or a site banner may stand above it.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    after_label = False
    for raw in text.split("\n")[:_TITLE_SCAN_LINES]:
        line = raw.strip().lstrip("#").strip()
        if blocks and _BODY_HEADING.match(line):
            break
        ends_block = (not line or after_label or _ATTACHMENT.match(line) or _NOISE.match(line)
                      or _is_doc_number_line(line) or _is_date_line(line) or not _CJK.search(line))
        after_label = bool(_BARE_LABEL.match(line))
        sentence = bool(line) and (_SALUTATION.match(line) or line.endswith(_SENTENCE_END) or _CLOSING.match(line)
                                   or len(line) > _TITLE_LINE_CHARS)
        if ends_block or sentence:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
        if len(current) >= 4:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    if blocks and len(blocks[0]) > 1 and ORGAN.match(blocks[0][0]) and not re.search(r"关于|的$", blocks[0][0]):
        blocks[0] = blocks[0][1:]
    if len(blocks) > 1 and len(blocks[0]) == 1 and ORGAN.match(blocks[0][0]):
        blocks = blocks[1:]
    if not blocks:
        return labelled_fields(text).get("title") or text.strip().split("\n", 1)[0][:80]
    titles = ["".join(b) for b in blocks]
    if not _TITLE_TYPE_WORD.search(_strip_notes(titles[0])):
        typed = [t for t in titles[1:] if _TITLE_TYPE_WORD.search(_strip_notes(t))]
        return typed[0] if typed else titles[0]
    return titles[0]


# ---------------------------------------------------------------------------- doc type
_REPLY_TITLE = re.compile(r"(答复|回复|答复意见|答复函|的函|主办意见|会办意见|协办意见|办理意见|复函)$")
_REPLY_OPENER = re.compile(r"收悉|现(?:将[^。]{0,12})?答复如下|现(?:将[^。]{0,12})?回复如下")
_PROPOSAL_CUE = re.compile(r"提案|议案|政协|人大|人民代表大会|委员(?!会)|代表(?:们)?[：:，,]|等代表|代表建议|代表提出")
_CITIZEN = re.compile(r"网友|市民|来信人|留言")
_CPPCC_CUE = re.compile(r"政协|提案|委员")
_CONGRESS_CUE = re.compile(r"人民代表大会|人大|代表|建议|议案")
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[)）]$")
_TYPE_ENDINGS = (
    ("行动计划", "行动计划"), ("若干措施", "若干措施"), ("实施方案", "实施方案"), ("通知", "通知"),
    ("意见", "意见"), ("办法", "办法"), ("规定", "规定"),
)


def _strip_notes(title: str) -> str:
    """A title without its trailing notes in brackets: （2020—2024年）, （试行）, （征求意见稿）."""
    while _TRAILING_NOTE.search(title):
        title = _TRAILING_NOTE.sub("", title)
    return title


def classify(title: str, body: str) -> str:
    """The doc type of the spec, from the title's ending and, for replies, the reply wording.

    A reply says 收悉/现答复如下 or is titled …的函/…的回复/…主办意见; it answers a CPPCC
    proposal (政协, 提案, 委员 → 提案答复) or a deputy's suggestion (人大, 代表, 建议 → 建议答复).
    """
    bare = _strip_notes(title)
    opener = body[:800]
    cue = _PROPOSAL_CUE.search(title) or _PROPOSAL_CUE.search(opener)
    is_reply = (_REPLY_TITLE.search(bare) and (cue or "建议" in title)) or (_REPLY_OPENER.search(opener) and cue)
    if is_reply and not bare.endswith("通知") and not _CITIZEN.search(opener[:200]):
        for cues in (title, opener):
            cppcc, congress = _CPPCC_CUE.search(cues), _CONGRESS_CUE.search(cues)
            if cppcc and (not congress or cppcc.start() < congress.start() or "政协" in cues):
                return "提案答复"
            if congress:
                return "建议答复"
        return "提案答复"
    for ending, doc_type in _TYPE_ENDINGS:
        if bare.endswith(ending):
            return doc_type
    return "其他"


# ---------------------------------------------------------------------------- numbers
_INDEX_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/_.．]{3,}")


def normalize_doc_number(raw: str) -> str:
    """A 发文字号 with its year brackets as 〔〕 and no white space: 深府办[2020]4号 → 深府办〔2020〕4号."""
    text = re.sub(r"\s+", "", raw)
    text = re.sub(r"令[（(](第\d+号)[)）]", r"令\1", text)
    return re.sub(r"[\[［【（(]((?:19|20)\d{2})[\]］】）)]", r"〔\1〕", text)


def find_doc_number(text: str, title: str, labelled: dict[str, str]) -> str | None:
    """The document's own 发文字号: a labelled 文号, a number line near the top, or one closing the title.

    Numbers that follow a cited title in the body belong to that other document and are ignored.
    """
    if labelled.get("doc_number"):
        m = DOC_NUMBER.search(labelled["doc_number"])
        return normalize_doc_number(m.group(0)) if m else None
    for line in [ln.strip() for ln in text.split("\n") if ln.strip()][:_HEAD_LINES]:
        if _is_doc_number_line(line):
            m = DOC_NUMBER.search(line)
            assert m is not None
            return normalize_doc_number(m.group(0))
    m = re.search(rf"[（(]({DOC_NUMBER.pattern})[)）]$", title)
    return normalize_doc_number(m.group(1)) if m else None


def find_index_number(labelled: dict[str, str]) -> str | None:
    """The 信息索取号 / 索引号 of a web page, where given."""
    m = _INDEX_NUMBER.search(labelled.get("index_number", ""))
    return m.group(0) if m else None


# ---------------------------------------------------------------------------- signature and issuer
_SIGNATURE_TAIL = re.compile(r"^[（(]?(?:印发|发布|签发|公布)?[)）]?$")
_TITLE_PREFIX = re.compile(r"^(.{2,40}?)关于")
_INTERPRETER = re.compile(r"由([^，。；;\n]{2,40}?)负责(?:解释|说明)")
_RELATIVE = re.compile(r"^[市区县省]")
_LOOKBACK_LINES = 3
_LOOKBACK_CHARS = 400


@dataclass(frozen=True)
class Signature:
    """The signature block: the date standing on its own line and the bodies named just above it."""

    date: str
    issuer: str | None


def _organ_name(line: str) -> str | None:
    """A line that is only a body's name (or several, separated by spaces), as written."""
    parts = [p for p in re.split(r"\s+", line.strip()) if p]
    if parts and all(ORGAN.match(p) for p in parts):
        return "、".join(parts)
    return None


def find_signature(text: str) -> Signature | None:
    """The first date that stands on its own line (or after the issuer's name on it).

    The issuer is read from the same line or the few lines above it; a date line without a
    body above it still counts, since many replies end with the date alone.
    """
    found: Signature | None = None
    for d in find_dates(text):
        line_start = text.rfind("\n", 0, d.start) + 1
        line_end = text.find("\n", d.end)
        pre = text[line_start:d.start].strip()
        post = text[d.end:line_end if line_end != -1 else len(text)].strip()
        if not _SIGNATURE_TAIL.match(post) or pre.endswith(("：", ":")):
            continue
        issuer = _organ_name(pre) if pre else None
        if pre and not issuer:
            continue
        if issuer is None:
            window = text[max(0, line_start - _LOOKBACK_CHARS):line_start].split("\n")
            above = [ln.strip() for ln in window[-_LOOKBACK_LINES - 1:] if ln.strip()]
            names = [n for n in (_organ_name(ln) for ln in above[-2:]) if n]
            issuer = "、".join(names) if names and _organ_name(above[-1]) else None
        if issuer:
            return Signature(d.iso, issuer)
        found = found or Signature(d.iso, None)
    return found


def _jurisdiction(title: str, text: str, first: str) -> str | None:
    """The place a relative name (市…, 区…) refers to: the title's place prefix or the text's first."""
    m = _TITLE_PREFIX.match(title)
    if m and _PLACE.match(m.group(1)) and m.group(1).endswith(first):
        return m.group(1)
    m = re.search(rf"(?:^|[\s：:（(，,])([\u4e00-\u9fff]{{2,3}}{first})(?=[\u4e00-\u9fff])", text[:3000])
    return m.group(1) if m else None


def full_name(name: str, title: str, text: str) -> str:
    """Where the document gives a body's full name, that name: 市工业和信息化局 → 深圳市工业和信息化局.

    A relative name (市…, 区…) takes the full form the document writes as a name of its own
    (a signature or source line), else the place the title opens with (龙岗区关于… → 龙岗区…).
    """
    if not _RELATIVE.match(name):
        return name
    for line in text.split("\n"):
        line = re.sub(r"^[\u4e00-\u9fff]{2,6}\s*[：:]\s*", "", line.strip())
        if len(line) > len(name) and line.endswith(name) and _organ_name(line) == line:
            return line
    place = _jurisdiction(title, text, name[0])
    return place + name[1:] if place else name


def _clean_name(name: str) -> str:
    name = re.sub(r"[（(][^（）()]*[)）]", "", name).strip()
    return re.split(r"会同|、|，|,", name)[0].strip()


def find_issuing_body(text: str, title: str, labelled: dict[str, str], signature: Signature | None,
                      doc_number: str | None = None) -> str | None:
    """The body that issued or signed the document, full name where the document gives one.

    In order: the signature block, a labelled 信息来源/发布机构, the title's prefix before 关于
    when it names a body, the body of a decree number (深圳市人民政府令第350号), and the body
    负责解释 the document.
    """
    candidates = []
    if signature and signature.issuer:
        candidates.append(signature.issuer)
    if labelled.get("issuer"):
        name = _organ_name(labelled["issuer"])
        if name:
            candidates.append(name)
    m = _TITLE_PREFIX.match(title)
    if m and _organ_name(m.group(1)):
        candidates.append(m.group(1))
    m = re.match(r"^(.+?)令第", doc_number or "")
    if m and ORGAN.match(m.group(1)):
        candidates.append(m.group(1))
    m = _INTERPRETER.search(text)
    if m and ORGAN.match(_clean_name(m.group(1))):
        candidates.append(_clean_name(m.group(1)))
    if not candidates:
        return None
    best = candidates[0]
    longer = [c for c in candidates[1:] if c != best and c.endswith(best)]
    return full_name(longer[0] if longer else best, title, text)


def find_date(text: str, labelled: dict[str, str], signature: Signature | None) -> str | None:
    """Date of signature, else the labelled 成文日期, else the page's publication date."""
    if signature:
        return signature.date
    for role in ("signed", "published"):
        if labelled.get(role):
            date = normalize_date(labelled[role])
            if date:
                return date
    return None
