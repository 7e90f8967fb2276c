"""The drafting aid: a reply letter's skeleton built from precedents and clauses, as Markdown or Word.

    from search.drafting import draft_from_text, render_markdown
    print(render_markdown(draft_from_text(index, proposal_text, as_body="深圳市工业和信息化局")))

The names below load their modules when first used (PEP 562): the Word renderer imports
python-docx only when a Word file is asked for.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search.drafting.compose import build_draft, draft_from_text
    from search.drafting.docx_letter import render_docx
    from search.drafting.letter import PLACEHOLDER, ClauseBasis, Draft, DraftSection, Line, Passage, Source
    from search.drafting.markdown_letter import render_markdown

_LAZY = {
    "build_draft": "compose", "draft_from_text": "compose", "render_docx": "docx_letter",
    "render_markdown": "markdown_letter", "PLACEHOLDER": "letter", "ClauseBasis": "letter", "Draft": "letter",
    "DraftSection": "letter", "Line": "letter", "Passage": "letter", "Source": "letter",
}
__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"search.drafting.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'search.drafting' has no attribute {name!r}")
