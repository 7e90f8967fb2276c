"""The array evaluator (search/evaluate.py) against Whoosh's own: same matches, same scores.

Whoosh walks each query posting by posting; search/evaluate.py computes the same sums over
whole posting arrays. Both run here on the index of tests/data, so any drift in the formula,
the statistics, boosts or the way OR / AND / AND-MAYBE / AND-NOT combine shows as a difference.
"""
from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as Q

from search.evaluate import _members, top
from search.postings import PostingArrays

QUERIES = [
    Q.Term("body", "时尚"),
    Q.Or([Q.Term("body", "时尚"), Q.Term("title", "时尚", boost=3.0), Q.Term("body_bigrams", "尚产")]),
    Q.Or([Q.Term("text", "平台"), Q.Term("text", "补贴"), Q.Term("text_bigrams", "补贴")]),
    Q.AndMaybe(Q.Or([Q.Term("text", "服务"), Q.Term("text", "平台")]), Q.Or([Q.Term("context", "时尚", boost=0.5)])),
    Q.And([Q.Or([Q.Term("text", "时尚"), Q.Term("text", "产业")]), Q.Term("text", "平台")]),
    Q.AndNot(Q.Or([Q.Term("body", "时尚"), Q.Term("body", "产业")]), Q.Term("body", "夜间")),
    Q.Phrase("body", ["时尚", "产业"]),
    Q.AndMaybe(Q.Phrase("text", ["公共", "服务"]), Q.Term("text", "平台")),
]


def whoosh_scores(index, query) -> dict[int, float]:
    results = index.state.searcher.search(query, limit=None)
    return {hit.docnum: hit.score for hit in results}


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_the_arrays_match_and_score_as_whoosh_does(corpus_index, query):
    expected = whoosh_scores(corpus_index, query)
    scored = corpus_index.state.evaluator.scores(query)
    found = {int(d): float(scored.score[d]) for d in np.flatnonzero(scored.hit)}
    assert expected, "the query should match something in tests/data"
    assert found.keys() == expected.keys()
    for docnum, score in expected.items():
        assert found[docnum] == pytest.approx(score, rel=1e-6)


def test_the_phrase_check_finds_what_whoosh_finds_where_the_words_touch(corpus_index):
    for words in (["时尚", "产业"], ["公共", "服务", "平台"], ["产业", "时尚"], ["给予", "最高"], ["超过", "500"]):
        for field in ("body", "text"):
            phrase = Q.Phrase(field, words)
            expected = set(corpus_index.state.searcher.docs_for_query(phrase))
            assert set(np.flatnonzero(corpus_index.state.evaluator.docs(phrase)).tolist()) == expected


def test_units_holding_the_phrase_as_one_word_match_without_a_position_check(corpus_index_dir):
    from pathlib import Path

    from search.engine import PolicyIndex

    with PolicyIndex(Path(corpus_index_dir)) as index:  # a fresh evaluator: no phrase cached yet
        evaluator, arrays = index.state.evaluator, index.state.evaluator.arrays
        whole = set(arrays.postings("body", "时尚产业").ids.tolist())  # 时尚产业 is in the package dictionary
        checked: list[int] = []
        read = arrays.positions
        arrays.positions = lambda field, word, docnums: checked.extend(docnums.tolist()) or read(field, word, docnums)
        phrase = Q.Phrase("body", ["时尚", "产业"])
        found = set(np.flatnonzero(evaluator.docs(phrase)).tolist())
        assert whole and whole <= found and not whole & set(checked)
        assert found == set(index.state.searcher.docs_for_query(phrase))


def test_a_phrase_matches_only_where_its_words_touch_in_the_text(corpus_index):
    # 高质量发展，打造具有全球影响力的时尚之都: punctuation takes no position, so Whoosh matches
    # 发展 + 打造 here; the text does not hold 发展打造, so the phrase does not match
    across = Q.Phrase("body", ["发展", "打造"])
    assert len(list(corpus_index.state.searcher.docs_for_query(across))) == 1
    assert np.count_nonzero(corpus_index.state.evaluator.docs(across)) == 0
    touching = Q.Phrase("body", ["影响力", "的", "时尚"])
    assert np.count_nonzero(corpus_index.state.evaluator.docs(touching)) == 1


def test_filters_become_masks_equal_to_whoosh_sets(corpus_index):
    for flt in (Q.NumericRange("year", 2021, 2022), Q.NumericRange("year", None, 2021),
                Q.TermRange("date", "2021-01-01", "2022-12-31"), Q.NumericRange("amount", 5_000_000, None),
                Q.And([Q.Term("kind", "clause"), Q.Not(Q.Term("doc_type", "通知"))])):
        expected = set(corpus_index.state.searcher.docs_for_query(flt))
        assert expected, flt
        assert set(np.flatnonzero(corpus_index.state.evaluator.docs(flt)).tolist()) == expected, flt


def test_top_orders_by_score_then_document_number():
    scores = np.array([0.5, 2.0, 1.0, 2.0, 0.0, 1.0])
    assert top(scores, np.array([0, 1, 2, 3, 5]), 3).tolist() == [1, 3, 2]
    assert top(scores, np.array([0, 2, 5]), 10).tolist() == [2, 5, 0]


def test_members_finds_which_hits_hold_a_term():
    ids = np.array([1, 5, 7, 9], dtype=np.int32)
    assert _members(np.array([0, 5, 7, 100]), ids).tolist() == [False, True, True, False]
    assert _members(np.array([9, 1]), ids).tolist() == [True, True]
    assert _members(np.array([3]), ids[:0]).tolist() == [False]


def test_posting_arrays_leave_out_deleted_units(tmp_path):
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    ix = RamStorage().create_index(Schema(id=ID(unique=True, stored=True), body=TEXT))
    with ix.writer() as writer:
        for key in "abc":
            writer.add_document(id=key, body="policy text")
    with ix.writer() as writer:
        writer.delete_by_term("id", "b")
    with ix.searcher() as searcher:
        arrays = PostingArrays(searcher.reader())
        kept = arrays.postings("body", "policy").ids.tolist()
        assert [searcher.stored_fields(d)["id"] for d in kept] == ["a", "c"]
        assert arrays.postings("body", "absent").ids.tolist() == []


def test_preload_reads_the_most_common_terms_first_within_the_budget(corpus_index):
    arrays = PostingArrays(corpus_index.state.reader)
    searcher = corpus_index.state.searcher
    terms = [(searcher.doc_frequency(f, t), f, t) for f, t in (("text", "时尚"), ("text", "平台"), ("kind", "clause"))]
    clauses = searcher.doc_frequency("kind", "clause")
    assert arrays.preload(terms, budget=clauses) == clauses  # the commonest alone fills the budget
    assert [key for key in arrays._postings] == [("kind", "clause")]


def test_an_index_keeps_its_segments_as_separate_files(corpus_index_dir):
    # a compound segment (one .seg file) is copied into memory whole whenever it is opened
    assert not list(corpus_index_dir.glob("*.seg"))
    assert list(corpus_index_dir.glob("*.pst"))


def test_postings_read_in_place_equal_whoosh_over_segments_and_deletions(data_copy, tmp_path):
    """The direct reading of term tables and postings files (search/postings.py) against
    Whoosh's matchers, term by term, on an index of three segments with a replaced file."""
    from indexer.build import ingest
    from search.engine import PolicyIndex
    from indexer.codec import leaf_postings

    files = sorted(str(p) for p in data_copy.iterdir())
    index_dir = tmp_path / "index"
    ingest(files[:2], index_dir, procs=1)
    ingest(files, index_dir, procs=1)
    plan = data_copy / "plan.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n附件：时尚产业重点项目清单。\n", encoding="utf-8")
    ingest(files, index_dir, procs=1)  # the plan's old units are deleted, its new ones added
    with PolicyIndex(index_dir) as index:
        reader = index.state.reader
        assert len(list(reader.leaf_readers())) == 3 and reader.has_deletions()
        arrays = PostingArrays(reader)
        assert arrays._mapped is not None, "the segments should be read in place"
        compared = 0
        for field in ("body", "text", "context", "body_bigrams", "text_bigrams", "kind", "year", "amount"):
            for term in reader.lexicon(field):
                parts = [p for segment, offset in reader.leaf_readers()
                         if (p := leaf_postings(segment, offset, field, term)) is not None]
                ids = np.concatenate([p.ids for p in parts])
                weights = np.concatenate([p.weights for p in parts])
                live = arrays.live[ids]
                found = arrays.postings(field, term)
                assert found.ids.dtype == np.int32
                assert found.ids.tolist() == ids[live].tolist(), (field, term)
                assert found.weights.tolist() == weights[live].tolist(), (field, term)
                assert arrays.doc_frequency(field, term) == reader.doc_frequency(field, term), (field, term)
                if field in ("body", "text", "context"):
                    assert arrays.positions(field, term, found.ids) == whoosh_positions(reader, field, term), term
                compared += 1
        assert compared > 1_000
        assert arrays.postings("body", "不在索引里的词").ids.tolist() == []
        assert arrays.doc_frequency("body", "不在索引里的词") == 0


def whoosh_positions(reader, field: str, term: str) -> dict[int, list[int]]:
    """Where a term occurs in each live unit, as Whoosh's matchers decode it."""
    found: dict[int, list[int]] = {}
    for segment, offset in reader.leaf_readers():
        if (field, term) not in segment:
            continue
        matcher = segment.postings(field, term)
        while matcher.is_active():
            found[offset + matcher.id()] = list(matcher.value_as("positions"))
            matcher.next()
    return found
