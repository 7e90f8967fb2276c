"""Document-level metadata read out of the text: title and doc type (more in later work)."""
from __future__ import annotations

import re

_SENTENCE_END = tuple("。：:；！？!?")
_SALUTATION = re.compile(r"^(尊敬的|各位|你们好|您好)")
_NOT_TITLE = re.compile(r"^(附件\s*\d*|附录|[（(]?此件.*|信息(提供日期|来源|索取号).*)$")
_BODY_NAME = re.compile(r"^\S{2,30}(局|委|委员会|办公室|办公厅|政府|厅|部|中心|公司|院|会)$")


def extract_title(text: str) -> str:
    """The title: the first heading block, its wrapped lines joined.

    Skips an attachment marker (附件) and a lone issuer line that stands above the real title,
    and stops at a salutation or the first line that ends a sentence.
    """
    blocks = _leading_blocks(text)
    candidates = [b for b in blocks if not _NOT_TITLE.match(b[0])]
    if len(candidates) > 1 and len(candidates[0]) == 1 and _BODY_NAME.match(candidates[0][0]):
        candidates = candidates[1:]
    if not candidates:
        first = text.strip().split("\n", 1)[0]
        return first[:80]
    return "".join(candidates[0])


def _leading_blocks(text: str, max_blocks: int = 4) -> list[list[str]]:
    """Groups of consecutive title-like lines at the top of the text."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n")[:30]:
        line = line.strip()
        if not line:
            if current:
                blocks.append(current)
                current = []
                if len(blocks) >= max_blocks:
                    break
            continue
        if _SALUTATION.match(line) or len(line) > 120:
            break
        current.append(line)
        if line.endswith(_SENTENCE_END) or len(current) >= 4:
            break
    if current:
        blocks.append(current)
    return [b for b in blocks if not b[-1].endswith(_SENTENCE_END) or len(b) > 1]


_TYPE_ENDINGS = (
    ("行动计划", "行动计划"), ("若干措施", "若干措施"), ("实施方案", "实施方案"), ("通知", "通知"),
    ("意见", "意见"), ("办法", "办法"), ("规定", "规定"),
)


def classify(title: str, body: str) -> str:
    """The doc type of the spec from the title's ending and, for replies, the reply wording."""
    head = title + body[:300]
    is_reply = bool(re.search(r"(答复|回复|主办意见|的函)$", title)) or bool(
        re.search(r"收悉|现(将办理情况)?答复如下", body[:600])
    )
    if is_reply:
        if re.search(r"人民代表大会|人大|代表建议|代表：", head) and "政协" not in head:
            return "建议答复"
        return "提案答复"
    bare = re.sub(r"[（(][^（）()]*[)）]$", "", title)
    for ending, doc_type in _TYPE_ENDINGS:
        if bare.endswith(ending):
            return doc_type
    return "其他"
