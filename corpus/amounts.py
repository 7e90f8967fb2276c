"""Money amounts written with 元: their value in yuan, their kind and the clause they sit in."""
from __future__ import annotations

from corpus.model import Amount, Clause


def find_amounts(text: str, clauses: list[Clause]) -> list[Amount]:
    """Every money amount in ``text`` in document order (filled in by the metadata work)."""
    return []
