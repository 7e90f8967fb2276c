"""From a source text to a :class:`Document`: every extractor applied in one place."""
from __future__ import annotations

import re

from corpus.amounts import find_amounts
from corpus.citations import find_citations
from corpus.clauses import clause_spans
from corpus.commitments import find_commitments
from corpus.dates import normalize_date
from corpus.issuers import find_issuers, find_signature
from corpus.kinds import PROPOSAL_REPLY_TYPES, REPLY_TYPES, classify
from corpus.laws import is_law_markdown, law_header
from corpus.making import Making, making, making_line, read_acts
from corpus.metadata import (
    extract_title, find_date, find_doc_number, find_index_number, labelled_fields, normalize_doc_number, organ_names,
)
from corpus.model import DOC_TYPES, Document
from corpus.replies import reply_fields
from corpus.source import SourceText
from corpus.validity import find_effective_date, find_valid_years

DERIVED_TITLE_CHARS = 40


def parse_source(src: SourceText) -> Document:
    """Parse one source text. Fields a table maps with ``--columns`` win over what is read."""
    text = src.text
    preset = src.fields
    law = law_header(text) if not src.format.is_table and is_law_markdown(text) else None
    if "title" in preset:
        title = preset["title"]
    elif src.format.is_table:
        title = _derived_title(text)
    else:
        title = law.title if law else extract_title(text)
    doc_type = preset.get("doc_type") or classify(title, text)
    if doc_type not in DOC_TYPES:
        doc_type = "其他"
    spans = clause_spans(text)
    doc = Document(
        id=src.doc_id,
        source=src.source,
        title=title,
        body=text,
        doc_type=doc_type,
        clauses=[s.clause for s in spans],
        amounts=find_amounts(text, spans),
    )
    made: Making | None = None
    if law and not law.date:  # no date lines: the making line in brackets under the title, if any
        made = _made(text, title)
        if made:
            law.date, law.issuing_body = made.date, law.issuing_body or made.made.body
            law.doc_number = law.doc_number or (normalize_doc_number(made.made.decree) if made.made.decree else None)
            law.effective_date = law.effective_date or made.effective
    if law:
        doc.date, doc.issuing_body, doc.doc_number = law.date, law.issuing_body, law.doc_number
        doc.issuers = [law.issuing_body] if law.issuing_body else []
    else:
        made = _made(text, title)
        _read_metadata(doc, text, title, made)
    exclude: set[str] = set()
    if doc.doc_type in PROPOSAL_REPLY_TYPES:
        reply = reply_fields(title, text)
        doc.proposal_number, doc.proposal_title = reply.proposal_number, reply.proposal_title
        doc.session, doc.proposers = reply.session, reply.proposers
        exclude = {reply.proposal_title} if reply.proposal_title else set()
    doc.citations = find_citations(text, title, exclude)
    _apply_preset(doc, preset)
    stated = law.effective_date if law else made.effective if made else None
    doc.effective_date = stated or find_effective_date(text, doc.date)
    doc.valid_years = find_valid_years(text)
    if doc.doc_type in REPLY_TYPES:
        doc.commitments = find_commitments(text, spans, doc.issuing_body, doc.date)
    return doc


def _made(text: str, title: str) -> Making | None:
    """What the making line under a rule's title says (corpus.making), if it has one."""
    line = making_line(text, title)
    return making(read_acts(line)) if line else None


def _read_metadata(doc: Document, text: str, title: str, made: Making | None) -> None:
    labelled = labelled_fields(text)
    signature = find_signature(text)
    doc.doc_number = find_doc_number(text, title, labelled)
    if not doc.doc_number and made and made.made.decree:
        doc.doc_number = normalize_doc_number(made.made.decree)
    doc.issuers = find_issuers(text, title, labelled, signature, doc.doc_number, made)
    doc.issuing_body = doc.issuers[0] if doc.issuers else None
    doc.date = made.date if made else find_date(text, labelled, signature.date if signature else None)
    doc.index_number = find_index_number(labelled)


def _apply_preset(doc: Document, preset: dict[str, str]) -> None:
    """Fields the file states (a table's ``--columns``, a web page's meta tags and info table)
    win over what was read from the text; a page's publication date only fills a gap."""
    if "issuing_body" in preset:  # joint issuers stated in one field: 甲局 乙局, 甲局、乙局
        joint = organ_names(preset["issuing_body"])
        doc.issuers = joint if len(joint) > 1 else [preset["issuing_body"]]
        doc.issuing_body = doc.issuers[0]
    if "date" in preset:
        doc.date = normalize_date(preset["date"])
    elif not doc.date and "published" in preset:
        doc.date = normalize_date(preset["published"])
    if "doc_number" in preset:
        doc.doc_number = preset["doc_number"]
    if "index_number" in preset:
        doc.index_number = preset["index_number"]
    if "proposal_number" in preset:
        doc.proposal_number = preset["proposal_number"]
    if "session" in preset:
        doc.session = preset["session"]
    if "proposers" in preset:
        doc.proposers = [p for p in re.split(r"[、,，;；\s]+", preset["proposers"]) if p]


def _derived_title(text: str) -> str:
    """A display title for a table row that has none: its first line, shortened."""
    first = text.split("\n", 1)[0].strip()
    return first if len(first) <= DERIVED_TITLE_CHARS else first[:DERIVED_TITLE_CHARS] + "…"
