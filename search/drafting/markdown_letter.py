"""An answer skeleton as Markdown: the letter's lines in order, each quoted passage or clause
a block quote with its source beside it on the same line, each gap a bold 【待填写：…】."""
from __future__ import annotations

import re

from search.drafting.letter import PLACEHOLDER, Draft, Line, source_note

_INDENT = "\u3000\u3000"  # paragraphs of a Chinese letter open with two full-width spaces


def render_markdown(draft: Draft) -> str:
    """The whole skeleton; a line per paragraph, blank lines between them."""
    return "\n\n".join(_line(line) for line in draft.lines()) + "\n"


def _line(line: Line) -> str:
    if line.role == "title":
        return f"# {_bold_gaps(line.text)}"
    if line.role == "heading":
        return f"## {_bold_gaps(line.text)}"
    if line.kind in ("passage", "clause"):
        return f"> {_one_line(line.text)}〔{source_note(line)}〕"
    if line.kind == "placeholder":
        return f"**{line.text}**"
    if line.kind == "guide":
        return f"*{line.text}*"
    if line.role == "body":
        return _INDENT + _bold_gaps(line.text)
    return _bold_gaps(line.text)


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text.strip())


def _bold_gaps(text: str) -> str:
    return PLACEHOLDER.sub(lambda m: f"**{m.group(0)}**", text)
