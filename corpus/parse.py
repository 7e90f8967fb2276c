"""From a source text to a :class:`Document`: every extractor applied in one place."""
from __future__ import annotations

from corpus.amounts import find_amounts
from corpus.citations import find_citations
from corpus.clauses import parse_clauses
from corpus.dates import normalize_date
from corpus.metadata import classify, extract_title
from corpus.model import DOC_TYPES, Document
from corpus.readers import SourceText

DERIVED_TITLE_CHARS = 40


def parse_source(src: SourceText) -> Document:
    """Parse one source text. Fields a table maps with ``--columns`` win over what is read."""
    text = src.text
    preset = src.fields
    title = preset.get("title") or (extract_title(text) if not src.format.is_table else _derived_title(text))
    doc_type = preset.get("doc_type") or classify(title, text)
    if doc_type not in DOC_TYPES:
        doc_type = "其他"
    clauses = parse_clauses(text)
    doc = Document(
        id=src.doc_id,
        source=src.source,
        title=title,
        body=text,
        doc_type=doc_type,
        clauses=clauses,
        amounts=find_amounts(text, clauses),
        citations=find_citations(text, title),
    )
    if "issuing_body" in preset:
        doc.issuing_body = preset["issuing_body"]
    if "date" in preset:
        doc.date = normalize_date(preset["date"])
    if "proposal_number" in preset:
        doc.proposal_number = preset["proposal_number"]
    if "session" in preset:
        doc.session = preset["session"]
    if "proposers" in preset:
        doc.proposers = [p for p in preset["proposers"].replace(",", "、").replace("，", "、").split("、") if p]
    return doc


def _derived_title(text: str) -> str:
    """A display title for a table row that has none: its first line, shortened."""
    first = text.split("\n", 1)[0].strip()
    return first if len(first) <= DERIVED_TITLE_CHARS else first[:DERIVED_TITLE_CHARS] + "…"
