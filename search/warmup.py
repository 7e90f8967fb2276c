"""Warm-up: load what searches read on first use, before the first query of a server or batch."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from whoosh import query as Q

from indexer.bigrams import cjk_bigrams
from indexer.schema import BIGRAM_FIELDS, CLAUSE_FIELDS, DOC_FIELDS
from search.facets import FACETS
from search.history import History
from search.places import Places
from search.state import IndexState

# the postings of terms in at least this many units are read ahead, up to this many
PRELOAD_MIN_UNITS = 2_000
PRELOAD_POSTINGS = 8_000_000
PRELOAD_SAMPLE, PRELOAD_SAMPLE_CHARS = 500, 2_000  # units sampled to find the common terms


def warm(state: IndexState, places: Places, history: History, search: Callable[..., object]) -> None:
    """Load the columns, field lengths, value lists of filters and facets, the postings of the
    most common words, the titles and places queries may name and the repeals; then run
    ``search`` for everything, with facets, in both modes."""
    for name in ("doc_id", "date", "family", "clause_path", "valid_from", "valid_until"):
        state.column(name)
    arrays = state.arrays
    for name in (*DOC_FIELDS, *CLAUSE_FIELDS, *BIGRAM_FIELDS.values()):
        arrays.lengths(name)
    arrays.preload(common_terms(state), PRELOAD_POSTINGS)
    arrays.number_codes("year")
    for facet in FACETS:
        if facet.field and facet.field != "year":
            arrays.codes(facet.field)
    places.title_names()
    places.national_units()
    history.repealed_from()
    search("", facets=True)
    search("", clauses=True, facets=True)


def common_terms(state: IndexState) -> list[tuple[int, str, str]]:
    """(units, field, term) of the words and bigrams found in at least PRELOAD_MIN_UNITS units,
    as far as a sample of the index's texts shows (reading the whole lexicon would take
    minutes on a large index)."""
    kinds = {"clause": ("text", ("text", "context"), "text_bigrams"), "doc": ("body", ("body",), "body_bigrams")}
    found: list[tuple[int, str, str]] = []
    for kind, (stored, word_fields, bigram_field_name) in kinds.items():
        if state.units(kind) < PRELOAD_MIN_UNITS:
            continue
        units = state.evaluator.ids(Q.Term("kind", kind))
        sample = units[:: max(1, len(units) // PRELOAD_SAMPLE)].tolist()
        words: Counter[str] = Counter()
        grams: Counter[str] = Counter()
        for docnum in sample:
            text = (state.searcher.stored_fields(docnum).get(stored) or "")[:PRELOAD_SAMPLE_CHARS]
            words.update({w for w, _s, _e in state.tokenizer.fine_words(text)})
            grams.update({g for g, _s, _e in cjk_bigrams(text)})
        least = len(sample) * PRELOAD_MIN_UNITS / len(units)
        for counts, field_names in ((words, word_fields), (grams, (bigram_field_name,))):
            for term, seen in counts.items():
                if seen >= least:
                    for name in field_names:
                        if (units_with := state.doc_frequency(name, term)) >= PRELOAD_MIN_UNITS:
                            found.append((units_with, name, term))
    return found
