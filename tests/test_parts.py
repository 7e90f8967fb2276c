"""The parts of PolicyIndex, each made over one opened IndexState and used alone."""
from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as Q

from corpus.dates import day_or_today
from search.compile import compile_query
from search.facet_counts import FacetCounts
from search.filters import FilterContext
from search.hits import HitBuilder
from search.history import History
from search.places import Places
from search.query import parse_query
from search.retrieve import Ranker, Ranking
from search.state import IndexState

TODAY = day_or_today(None, "--as-of")


@pytest.fixture(scope="module")
def state(corpus_index_dir):
    opened = IndexState(corpus_index_dir)
    yield opened
    opened.close()


def hit_builder(state: IndexState) -> HitBuilder:
    history = History(state)
    return HitBuilder(state, history, FacetCounts(state, history))


def test_ranking_then_hit_building_is_a_search(state, corpus_index):
    query = "时尚产业 补贴"
    compiled = compile_query(parse_query(query), state.tokenizer, False, FilterContext(query, TODAY, state.field_values))
    ranking = Ranker(state, Places(state)).rank(compiled, clauses=False, wanted=10, prefer=[])
    results = hit_builder(state).results(query, ranking, limit=10, offset=0, as_of=TODAY)
    expected = corpus_index.search(query)
    assert [h.source for h in results.hits] == [h.source for h in expected.hits][:len(results.hits)]
    assert [h.source for h in results.hits][:3] == ["replies.csv#A002", "plan.txt", "measures.txt"]
    assert results.total == expected.total


def test_hits_follow_any_ranking_handed_to_them(state):
    # the seam for another ranking (a fusion with dense vectors): scores made elsewhere, one
    # unit left out by the filter, are ordered, filtered and shown as a search's hits are
    docs = state.mask(Q.Term("kind", "doc"))
    sources = {d: state.stored(d)["display"]["source"] for d in np.flatnonzero(docs).tolist()}
    order = sorted(sources, key=sources.get)  # by source name: a ranking no query would give
    scores = np.zeros(state.arrays.doc_count)
    scores[order] = np.arange(len(order), 0, -1, dtype=np.float64)
    matched = docs.copy()
    matched[order[0]] = False
    ranking = Ranking(scores, matched, Q.NullQuery, terms=[])
    results = hit_builder(state).results("", ranking, limit=10, offset=0, as_of=TODAY, versions=False)
    assert [h.source for h in results.hits] == [sources[d] for d in order[1:]]
    assert results.total == len(order) - 1


def test_history_alone_gives_each_unit_its_status(state):
    history = History(state)
    plan = min(state.docs(Q.And([Q.Term("source", "plan.txt"), Q.Term("kind", "doc")])))
    assert history.version(plan, TODAY).status == "现行有效"
    assert history.repeals() == [] and history.repealed(TODAY) is None


def test_places_alone_set_apart_a_named_title(state):
    parsed, named = Places(state).without_titles(parse_query("深圳市推进时尚产业化与服装制造升级行动计划 智能制造"))
    assert [w.text for w in parsed.words] == ["智能制造"]
    assert named == ["深圳市推进时尚产业化与服装制造升级行动计划"]


def test_warming_up_changes_no_result(corpus_index_dir):
    from search.engine import PolicyIndex

    with PolicyIndex(corpus_index_dir) as cold, PolicyIndex(corpus_index_dir) as warm:
        warm.warm()
        for query, clauses in (("时尚产业 补贴", False), ('"公共服务平台" 资助', True), ("类型:通知", False)):
            expected = cold.search(query, clauses=clauses, facets=True)
            found = warm.search(query, clauses=clauses, facets=True)
            assert [(h.unit_id, h.score) for h in found.hits] == [(h.unit_id, h.score) for h in expected.hits]
            assert found.facets == expected.facets and found.total == expected.total > 0
