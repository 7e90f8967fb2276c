"""The Whoosh schema: one index holds documents and their clauses as separate units.

A *document unit* carries the title, the full body and every document-level field; a
*clause unit* carries one clause's text (its heading line first; an article with its items, see
indexer.units.clause_units) and its context (parent headings and document title) and knows its
document by ``doc_id``. Both carry the fields filters
use (type, issuer, dates, validity, amounts), so a filter works the same on either.
Document and clause units use different text fields, so each kind has its own term
statistics (document frequency, average length) for ranking.

What a hit displays is stored in the index, so showing it never re-reads the source file.
"""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from errors import IndexMismatch
from indexer.analysis import ChineseTokenizer, make_analyzer
from indexer.bigrams import BigramTokenizer

SCHEMA_VERSION = 10  # 10: the content fingerprint (copies); 9: a reply's record holds its commitments; 8: joint issuers; 7: the texts a document repeals; 6: an article's items are in its unit

# Text fields of each unit kind, with the boost each gets in a ranked query.
DOC_FIELDS = {"title": 3.0, "body": 1.0}
CLAUSE_FIELDS = {"text": 1.0, "context": 0.5}
# Fields that only add to the score of a unit matching elsewhere (search.compile.with_context).
BOOSTING_FIELDS = frozenset({"context"})
# Each main text field's CJK-bigram twin (indexer/bigrams.py), and the boost of the twins.
BIGRAM_FIELDS = {"body": "body_bigrams", "text": "text_bigrams"}
BIGRAM_BOOST = 1.0
FIELD_KIND = {**{f: "doc" for f in DOC_FIELDS}, **{f: "clause" for f in CLAUSE_FIELDS},
              "body_bigrams": "doc", "text_bigrams": "clause"}
# Where the text of a unit of each kind is stored (for snippets).
TEXT_FIELD = {"doc": "body", "clause": "text"}
OPEN_START, OPEN_END = "0000-00-00", "9999-99-99"


def make_schema(analyzer: ChineseTokenizer | None = None) -> Schema:
    """The schema of a new index, with ``analyzer`` (default: the best engine installed).

    (The ``type: ignore`` marks: whoosh3 annotates ``analyzer`` as an Analyzer, but a tokenizer
    alone is a whole analyzer, called the same way.)
    """
    analyzer = analyzer or make_analyzer()
    return Schema(
        # identity and incremental updates
        unit_id=ID(unique=True, stored=True),
        kind=ID(stored=True),
        doc_id=ID(stored=True, sortable=True),
        file=ID(stored=True),
        file_version=ID(),
        source=ID(),
        # filters, on every unit
        doc_type=ID(stored=True),
        issuing_body=ID(stored=True),  # the lead issuer
        co_issuers=KEYWORD(commas=True),  # the joint issuers after the lead
        date=ID(stored=True, sortable=True),
        year=NUMERIC(int, stored=True),
        valid_from=ID(sortable=True),
        valid_until=ID(sortable=True),
        amount=NUMERIC(float),
        # document fields
        doc_number=ID(),
        docno_org=ID(),
        docno_year=NUMERIC(int),
        docno_seq=ID(),
        index_number=ID(),
        proposal_number=ID(),
        session=ID(),
        proposers=KEYWORD(commas=True),
        cites=KEYWORD(commas=True),
        repeals=KEYWORD(commas=True),  # the families of the texts it repeals (《…》同时废止)
        title_key=ID(),
        family=ID(sortable=True),
        content=ID(sortable=True),  # the fingerprint of the normalised text (corpus.sameness): a pasted text's lookup
        copy_key=ID(sortable=True),  # what copies share: a file's content fingerprint; a table row's own id
        # ranked text: document units
        title=TEXT(analyzer=analyzer, phrase=True),  # type: ignore[arg-type]
        body=TEXT(analyzer=analyzer, phrase=True, stored=True),  # type: ignore[arg-type]
        # ranked text: clause units
        clause_path=ID(stored=True, sortable=True),
        text=TEXT(analyzer=analyzer, phrase=True, stored=True),  # type: ignore[arg-type]
        context=TEXT(analyzer=analyzer, phrase=True),  # type: ignore[arg-type]
        # ranked text: CJK bigrams of the body and clause text (frequencies only, no positions)
        body_bigrams=TEXT(analyzer=BigramTokenizer(), phrase=False),  # type: ignore[arg-type]
        text_bigrams=TEXT(analyzer=BigramTokenizer(), phrase=False),  # type: ignore[arg-type]
        # display: title and source of every unit; the record of a document as JSON
        display=STORED(),
        record=STORED(),
    )


def schema_analyzer(schema: Schema) -> ChineseTokenizer:
    """The analyzer an index was built with (Whoosh stores it pickled in the schema)."""
    analyzer = schema["body"].analyzer
    if not isinstance(analyzer, ChineseTokenizer):
        raise IndexMismatch("this index was not built by policy-search — rebuild it with `policy-search ingest`")
    return analyzer
