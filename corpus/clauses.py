"""The clause tree: numbered headings and articles, nested as a reader sees them."""
from __future__ import annotations

import re

from corpus.model import Clause

_CN_NUM = "一二三四五六七八九十百零〇两"
# (style, pattern) — a style is a numbering family; its level is the order it first appears in.
_HEADINGS = (
    ("chapter", re.compile(rf"^(第[{_CN_NUM}\d]+章)\s*")),
    ("section", re.compile(rf"^(第[{_CN_NUM}\d]+节)\s*")),
    ("article", re.compile(rf"^(第[{_CN_NUM}\d]+条)\s*")),
    ("cn", re.compile(rf"^([{_CN_NUM}]+)\s*[、.．]\s*")),
    ("paren_cn", re.compile(rf"^([（(]\s*[{_CN_NUM}]+\s*[)）])\s*[、.．]?\s*")),
    ("arabic", re.compile(r"^(\d{1,3})\s*(?:[、．]|\.(?!\d))\s*")),
    ("paren_arabic", re.compile(r"^([（(]\s*\d{1,3}\s*[)）])\s*[、.．]?\s*")),
)


def _label(raw: str) -> str:
    """The label as written, with full-width parentheses made ASCII: （一） → (一)."""
    return raw.replace("（", "(").replace("）", ")").replace(" ", "")


def parse_clauses(text: str) -> list[Clause]:
    """Every numbered heading or article in document order, each with its text up to the next.

    Levels follow the order in which numbering styles first appear, as a reader infers them.
    """
    lines = text.split("\n")
    heads: list[tuple[int, str, str, str]] = []  # line index, style, label, rest of line
    for i, line in enumerate(lines):
        stripped = line.strip()
        for style, pattern in _HEADINGS:
            m = pattern.match(stripped)
            if m and len(stripped) > len(m.group(0)):
                heads.append((i, style, _label(m.group(1)), stripped[m.end():]))
                break
    order: list[str] = []
    clauses: list[Clause] = []
    stack: list[tuple[int, str]] = []  # (level, label)
    for n, (i, style, label, rest) in enumerate(heads):
        if style not in order:
            order.append(style)
        level = order.index(style)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, label))
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body = "\n".join(line for line in lines[i:end] if line.strip())
        title = re.split(r"[。；;]", rest, maxsplit=1)[0][:60]
        clauses.append(Clause("/".join(lb for _, lb in stack), label, title, body))
    return clauses
