"""Citations: other documents named in 《》, with the 文号 that follows them."""
from __future__ import annotations

from corpus.model import Citation


def find_citations(text: str, title: str) -> list[Citation]:
    """Every other document ``text`` names in 《》 (filled in by the metadata work)."""
    return []
