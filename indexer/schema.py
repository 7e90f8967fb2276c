"""The Whoosh schema: one index holds documents and their clauses as separate units.

A *document unit* carries the title and full body; a *clause unit* carries one clause's own
text, its heading and its context (document title and parent headings), and knows its
document by ``doc_id``. Document and clause units use different text fields, so each kind
has its own term statistics (document frequency, average length) for ranking.
"""
from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import ChineseTokenizer, make_analyzer

SCHEMA_VERSION = 1

# Text fields of each unit kind, with the boost each gets in a ranked query.
DOC_FIELDS = {"title": 3.0, "body": 1.0}
CLAUSE_FIELDS = {"heading": 2.0, "text": 1.0, "context": 0.5}
FIELD_KIND = {**{f: "doc" for f in DOC_FIELDS}, **{f: "clause" for f in CLAUSE_FIELDS}}


def make_schema(analyzer: ChineseTokenizer | None = None) -> Schema:
    """The schema of a new index, with ``analyzer`` (default: the best engine installed)."""
    analyzer = analyzer or make_analyzer()
    return Schema(
        unit_id=ID(unique=True, stored=True),
        kind=ID(stored=True),
        doc_id=ID(stored=True),
        file=ID(stored=True),
        file_digest=ID(stored=True),
        file_version=ID(),
        source=ID(stored=True),
        doc_type=ID(stored=True),
        issuing_body=ID(stored=True),
        date=ID(stored=True, sortable=True),
        year=NUMERIC(int, stored=True),
        clause_path=ID(stored=True),
        # ranked text: document units
        title=TEXT(analyzer=analyzer, phrase=True),
        body=TEXT(analyzer=analyzer, phrase=True, stored=True),
        # ranked text: clause units
        heading=TEXT(analyzer=analyzer, phrase=True),
        text=TEXT(analyzer=analyzer, phrase=True, stored=True),
        context=TEXT(analyzer=analyzer, phrase=True, stored=True),
        # what display needs and is not a field above: the document's record as JSON
        display_title=STORED(),
        record=STORED(),
    )


def schema_analyzer(schema: Schema) -> ChineseTokenizer:
    """The analyzer an index was built with (Whoosh stores it pickled in the schema)."""
    analyzer = schema["body"].analyzer
    if not isinstance(analyzer, ChineseTokenizer):
        from corpus.errors import IndexMismatch

        raise IndexMismatch("this index was not built by policy-search — rebuild it with `policy-search ingest`")
    return analyzer
