"""Document-level metadata read out of the text: title, doc type, issuer, date and numbers.

Government documents put these in a few fixed places: the title block at the top (with an
attachment marker or a lone issuer line above it and the 发文字号 below it), labelled fields
of a web page (信息来源：…, 索引号：…), and the signature block (issuer, then date) at the end.
"""
from __future__ import annotations

import re

from corpus.dates import find_dates, normalize_date
from corpus.kinds import strip_notes

# ---------------------------------------------------------------------------- names of bodies
ORGAN = re.compile(
    r"^[\u4e00-\u9fff（）()·]{2,40}?"
    r"(?:局|委员会|委|办公室|办公厅|办|人民政府|政府|厅|部|中心|院|会|署|处|所|馆|站|队|集团|公司|银行|小组"
    r"|法院|检察院|管委会|工作委员会|联合会|协会|政协|常委会|街道)$"
)
PLACE = re.compile(r"^[\u4e00-\u9fff]{1,12}?(?:省|市|区|县|州|旗|镇|乡|街道|新区)$")

_SEPARATORS = re.compile(r"[\s、，,]+")


def organ_names(line: str) -> list[str]:
    """The bodies a line names when it names nothing else: one, or several between spaces or 、."""
    parts = [p for p in _SEPARATORS.split(line.strip()) if p]
    return parts if parts and all(ORGAN.match(p) for p in parts) else []


# ---------------------------------------------------------------------------- labelled fields
_LABEL = re.compile(r"(?:^|(?<=\s))([\u4e00-\u9fff]{2,6})\s*[：:]")
FIELD_LABELS = {
    "标题": "title", "名称": "title", "文件名称": "title",
    "发布机构": "issuer", "发文机关": "issuer", "发文单位": "issuer", "信息来源": "issuer", "来源": "issuer",
    "成文日期": "signed", "印发日期": "signed", "发文日期": "signed", "签发日期": "signed",
    "答复日期": "signed", "回复日期": "signed", "办理日期": "signed", "落款日期": "signed", "日期": "signed",
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
        if "|" in line:  # a table row: | 文号 | 汉政办发〔2021〕88号 | 成文日期: | 2021年09月28日 |
            cells = [c.strip().rstrip("：:").strip() for c in line.split("|")]
            for label, value in zip(cells, cells[1:]):
                role = FIELD_LABELS.get(label)
                if role and value and value not in FIELD_LABELS and role not in fields:
                    fields[role] = value
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
    r"^(?:[（(]?此件.*|[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,5}\s*[：:].*|.*文件$|首页.*|当前位置.*|.*[>›»].*|【.*】$"
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
_BULLET = re.compile(r"^[-•*·]\s+")
_IN_SENTENCE = re.compile(r"[，。；：,;:！？]")
_TITLE_OPENING = re.compile(r"关于|印发|转发")
_PLACE_OPENING = re.compile(r"^[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|区|县|州|旗|镇|乡)(?!人民政府$)")
_QUOTE_END = re.compile(r"[》〉」”\"]+$")
_TITLE_TYPE_WORD = re.compile(
    r"(?:通知|办法|措施|计划|方案|意见|规定|细则|决定|函|回复|答复|条例|通告|公告|批复|报告|纲要|规划|指引|指南|规则|政策)$"
)


def _is_doc_number_line(line: str) -> bool:
    m = DOC_NUMBER.search(line)
    return m is not None and len(line.strip("（()） ")) <= len(m.group(0)) + 2


def _is_date_line(line: str) -> bool:
    dates = find_dates(line)
    return bool(dates) and len(line) - (dates[0].end - dates[0].start) <= 12


def _typed(title: str) -> bool:
    """Whether a title ends as titles do (…通知, …办法（试行）, …的通知》)."""
    return bool(_TITLE_TYPE_WORD.search(strip_notes(_QUOTE_END.sub("", strip_notes(title)))))


def _long_title(line: str) -> bool:
    """A line longer than a title line usually is that is still one: it ends as titles do and
    holds no sentence punctuation (joint issuers' names make titles long)."""
    return _typed(line) and not _IN_SENTENCE.search(line)


def extract_title(text: str) -> str:
    """The title: the first heading block, its wrapped lines joined.

    Skips an attachment marker (附件), labelled page fields, red-header lines (…文件) and a lone
    issuer line above (or below) the real title; a block is ended by a salutation, a 发文字号 or
    date line or body text. A title broken over blocks by blank lines (…关于加强普通高等学校 ⏎⏎
    毕业生就业工作的通知) is joined. When the first block does not end as titles do (…通知,
    …办法, …的函) and a later one before the first numbered heading does, that one is the
    title: a decree's preamble or a site banner may stand above it.
    """
    blocks: list[list[str]] = []
    after_blank: list[bool] = []  # per block: only blank lines separate it from the one before
    current: list[str] = []
    after_label = False
    blank_gap = False
    for raw in text.split("\n")[:_TITLE_SCAN_LINES]:
        line = _BULLET.sub("", raw.strip().lstrip("#").strip())
        if (blocks or current) and _BODY_HEADING.match(line):
            break
        ends_block = (not line or after_label or _ATTACHMENT.match(line) or _NOISE.match(line) or "|" in line
                      or _is_doc_number_line(line) or _is_date_line(line) or not _CJK.search(line))
        after_label = bool(_BARE_LABEL.match(line))
        sentence = bool(line) and (_SALUTATION.match(line) or line.endswith(_SENTENCE_END) or _CLOSING.match(line)
                                   or len(line) > _TITLE_LINE_CHARS and not _long_title(line))
        if ends_block or sentence:
            if current:
                blocks.append(current)
                current = []
                blank_gap = True
            if line:
                blank_gap = False
            continue
        if not current:
            after_blank.append(blank_gap and bool(blocks))
        current.append(line)
        if len(current) >= 4:
            blocks.append(current)
            current = []
            blank_gap = False
    if current:
        blocks.append(current)
    for block in blocks:  # an issuer line under the title (宁夏回族自治区政府)
        if len(block) > 1 and organ_names(block[-1]) and _typed("".join(block[:-1])):
            del block[-1]
    if blocks and len(blocks[0]) > 1 and ORGAN.match(blocks[0][0]) and not re.search(r"关于|的$", blocks[0][0]):
        blocks[0] = blocks[0][1:]
    if len(blocks) > 1 and len(blocks[0]) == 1 and ORGAN.match(blocks[0][0]):
        blocks, after_blank = blocks[1:], after_blank[1:]
    if not blocks:
        return labelled_fields(text).get("title") or text.strip().split("\n", 1)[0][:80]
    titles = ["".join(b) for b in blocks]
    first = next((n for n, t in enumerate(titles) if _typed(t)), None)
    if first is None:
        return titles[0]
    opening = titles[first - 1] if first else ""
    if (opening and after_blank[first] and not organ_names(opening)  # a title broken by a blank line
            and (_TITLE_OPENING.search(opening) or _PLACE_OPENING.match(opening))
            and not _TITLE_OPENING.search(titles[first])):
        return opening + titles[first]
    return titles[first]


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
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:_HEAD_LINES]
    for n, line in enumerate(lines):
        if line.endswith("令") and n + 1 < len(lines) and re.fullmatch(r"第\s*\d{1,5}\s*号", lines[n + 1]):
            line += lines[n + 1]  # a decree's number under its name: 内蒙古自治区人民政府令 ⏎ 第82号
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


def find_date(text: str, labelled: dict[str, str], signed: str | None) -> str | None:
    """Date of signature, else the labelled 成文日期, else the page's publication date."""
    if signed:
        return signed
    for role in ("signed", "published"):
        if labelled.get(role):
            date = normalize_date(labelled[role])
            if date:
                return date
    return None
