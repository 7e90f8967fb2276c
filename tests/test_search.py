"""Searching the tiny corpus (tests/conftest.py describes it): exact rankings, filters,
exclusions, OR, coordination, similar texts and documents, for both segmentation engines."""
from __future__ import annotations

import pytest

from errors import QuerySyntaxError, UnknownDocument, UsageError
from search import engine, retrieve


def sources(index, query: str, **kwargs) -> list[str]:
    return [hit.source for hit in index.search(query, **kwargs).hits]


def clause_hits(index, query: str, n: int = 3) -> list[tuple[str, str | None]]:
    return [(hit.source, hit.clause) for hit in index.search(query, clauses=True).hits[:n]]


# -- documents -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, top",
    [
        ('"公共服务平台"', ["reply.txt", "measures.txt"]),
        ("噪音扰民", ["replies.csv#A001"]),
        ("智能制造 服装", ["plan.txt", "measures.txt"]),
        ("直播电商", ["measures.txt", "plan.txt"]),
        # neither document holds 补贴: the shorter one, with 时尚产业(化), comes first
        ("时尚产业 补贴", ["replies.csv#A002", "plan.txt", "measures.txt"]),
        # after notice.txt (all three words), the texts that hold one of them: the short reply,
        # then the measures, whose title and body repeat 时尚
        ("夜间 消费 时尚", ["notice.txt", "replies.csv#A002", "measures.txt"]),
        ("检验检测 公共服务平台 资助", ["reply.txt", "measures.txt"]),
    ],
)
def test_document_rankings(corpus_index, query, top):
    assert sources(corpus_index, query)[:3] == top


def test_a_phrase_finds_the_words_together_and_not_apart(corpus_index):
    # notice.txt has 时尚 (促进时尚消费) and 产业 (夜间文化产业), but never 时尚产业.
    assert "notice.txt" in sources(corpus_index, "时尚 产业")
    assert sources(corpus_index, '"时尚产业"') == ["replies.csv#A002", "measures.txt", "plan.txt", "reply.txt"]


def test_a_phrase_matches_inside_a_longer_word(corpus_index):
    # plan.txt writes 时尚产业化 (jieba: 时尚产业 + 化); only it holds the longer phrase.
    assert "plan.txt" in sources(corpus_index, '"时尚产业"')
    assert sources(corpus_index, '"时尚产业化"') == ["plan.txt"]


def test_a_word_finds_the_longer_words_that_contain_it(corpus_index):
    # 平台 is indexed inside 公共服务平台; 数字 inside 数字化转型.
    assert sources(corpus_index, "平台") == ["reply.txt", "measures.txt"]
    assert sources(corpus_index, "数字") == ["measures.txt"]


def test_a_text_matching_more_of_the_words_ranks_first(corpus_index):
    # replies.csv#A002 (时尚产业补贴) scores higher on 时尚 and 产业 alone; notice.txt holds all
    # three words (夜间, 时尚, 产业) and the coordination factor puts it first.
    assert sources(corpus_index, "时尚 产业")[0] == "replies.csv#A002"
    assert sources(corpus_index, "夜间 时尚 产业")[:2] == ["notice.txt", "replies.csv#A002"]


def test_no_word_is_required_alone(corpus_index):
    # the query of a citizen's message: most words are nowhere, the hit is still found
    assert sources(corpus_index, "小区 夜间 施工 噪音 扰民 投诉")[0] == "replies.csv#A001"


def test_the_hit_record(corpus_index):
    [hit] = corpus_index.search("噪音扰民").hits
    assert hit.to_json() == {
        "rank": 1, "id": hit.id, "source": "replies.csv#A001", "title": "噪音扰民", "doc_type": "其他",
        "issuing_body": None, "date": "2023-03-02", "clause": None, "score": round(hit.score, 4),
        "snippet": "您反映的夜间施工【噪音扰民】问题已转交区生态环境部门依法处理。",
        "status": "现行有效", "versions": [], "copies": [], "matched": ["words"], "date_basis": "own",
    }
    assert len(hit.id) == 16


# -- filters, exclusions, OR ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("类型:通知", ["notice.txt"]),
        ("type:行动计划", ["plan.txt"]),
        ("文种:若干措施", ["measures.txt"]),
        ("type:提案答复 时尚", ["reply.txt"]),
        ("机关:商务局", ["notice.txt"]),
        ("issuer:工业和信息化局", ["measures.txt", "plan.txt", "reply.txt"]),
        ("年份:2020", ["plan.txt"]),
        ("年份:2021..2022", ["measures.txt", "notice.txt"]),
        ("year:>2021", ["measures.txt", "replies.csv#A001", "replies.csv#A002", "reply.txt"]),
        ("year:<=2021", ["notice.txt", "plan.txt"]),
        ("日期:>=2023-01-01", ["replies.csv#A001", "replies.csv#A002", "reply.txt"]),
        ("日期:<2021-06-10", ["plan.txt"]),
        ("日期:<=2021-06-10", ["notice.txt", "plan.txt"]),
        ("date:2023年6月20日", ["reply.txt"]),
        ("来源:replies", ["replies.csv#A001", "replies.csv#A002"]),
    ],
)
def test_filters_alone(corpus_index, query, expected):
    # a filter alone matches without ranking: compare as a set
    assert sorted(sources(corpus_index, query)) == expected


def test_a_filter_restricts_a_ranked_query(corpus_index):
    assert sources(corpus_index, "year:>=2022 时尚") == ["replies.csv#A002", "measures.txt", "reply.txt"]
    assert sources(corpus_index, "时尚 年份:2020..2021") == ["plan.txt", "notice.txt"]


@pytest.mark.parametrize("query", ["类型:办法", "类型:办法 时尚", "机关:公安局 时尚", "年份:1999"])
def test_a_filter_that_matches_nothing_gives_no_hits(corpus_index, query):
    results = corpus_index.search(query)
    assert (results.hits, results.total) == ([], 0)


def test_a_filter_that_matches_no_clause_gives_no_clause_hits(corpus_index):
    # the two rows of replies.csv have no clauses
    assert sources(corpus_index, "来源:replies", clauses=True) == []


def test_an_unknown_type_lists_the_types(corpus_index):
    with pytest.raises(QuerySyntaxError) as caught:
        corpus_index.search("时尚 类型:报告")
    assert str(caught.value) == (
        "cannot parse query: unknown type `报告`\n"
        "  时尚 类型:报告\n"
        "       ^\n"
        "types: 提案答复 建议答复 答复 法律 条例 规定 办法 细则 决定 司法解释 行动计划 若干措施 实施方案 工作方案 规划 "
        "通知 通告 公告 意见 批复 函 其他"
    )


def test_exclusion(corpus_index):
    assert sources(corpus_index, "直播电商") == ["measures.txt", "plan.txt"]
    assert sources(corpus_index, "直播电商 -服装") == ["measures.txt"]
    assert sources(corpus_index, '"时尚产业" -补贴') == ["measures.txt", "plan.txt", "reply.txt"]
    assert sources(corpus_index, '时尚 -"公共服务平台" -服装') == ["replies.csv#A002", "notice.txt"]


def test_or_between_phrases_needs_one_of_them(corpus_index):
    assert sources(corpus_index, '"夜间经济"') == ["notice.txt"]
    assert sources(corpus_index, '"智能制造"') == ["plan.txt", "measures.txt"]
    assert sources(corpus_index, '"智能制造" OR "夜间经济"') == ["notice.txt", "plan.txt", "measures.txt"]
    assert sources(corpus_index, '"智能制造" 或 "夜间经济"') == ["notice.txt", "plan.txt", "measures.txt"]


def test_a_phrase_is_required_and_words_rank_within_it(corpus_index):
    assert sources(corpus_index, '时尚 "公共服务平台"') == ["measures.txt", "reply.txt"]


# -- clauses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, top",
    [
        # the clause with the grant ranks first: the phrase is in its text and its parent's heading;
        # the heading （二）建设公共服务平台。 is no hit of its own (a heading is not a clause to cite)
        ('"公共服务平台"', [("measures.txt", "一/(二)/1"), ("reply.txt", "一")]),
        ("直播电商", [("measures.txt", "二/(二)"), ("plan.txt", "二/(二)")]),
        ("智能制造 服装", [("plan.txt", "二/(一)"), ("plan.txt", "一"), ("measures.txt", "二/(一)")]),
        ("公共服务平台 资助 检验检测", [("measures.txt", "一/(二)/1"), ("reply.txt", "一"), ("reply.txt", "二")]),
        ("type:提案答复 时尚", [("reply.txt", "一"), ("reply.txt", "二")]),
    ],
)
def test_clause_rankings(corpus_index, query, top):
    assert clause_hits(corpus_index, query) == top


def test_a_clause_hit_carries_its_document_and_path(corpus_index):
    hit = corpus_index.search('"公共服务平台"', clauses=True).hits[0]
    assert hit.to_json() == {
        "rank": 1, "id": hit.id, "source": "measures.txt", "title": "深圳市关于促进时尚产业高质量发展的若干措施",
        "doc_type": "若干措施", "issuing_body": "深圳市工业和信息化局", "date": "2022-02-15", "clause": "一/(二)/1",
        "score": round(hit.score, 4),
        "snippet": "1.支持建设时尚设计、检验检测等【公共服务平台】，按项目总投资的50%给予资助，最高不超过1000万元。",
        "status": hit.status, "versions": [], "copies": [], "matched": ["words"], "date_basis": "own",
    }
    assert hit.unit_id == f"{hit.id}#一/(二)/1"


def test_every_clause_hit_is_a_clause(corpus_index):
    hits = corpus_index.search("时尚", clauses=True, limit=100).hits
    assert hits and all(hit.clause for hit in hits)
    assert all(hit.clause is None for hit in corpus_index.search("时尚", limit=100).hits)


# -- paging and limits -----------------------------------------------------------------------------


def test_limit_and_offset(corpus_index):
    everything = sources(corpus_index, "时尚")
    assert len(everything) == 5
    page = corpus_index.search("时尚", limit=2, offset=1)
    assert [h.source for h in page.hits] == everything[1:3]
    assert [h.rank for h in page.hits] == [2, 3]
    assert page.total == 5


@pytest.mark.parametrize("limit, offset", [(0, 0), (1001, 0), (10, -1)])
def test_bad_limits_are_refused(corpus_index, limit, offset):
    with pytest.raises(UsageError):
        corpus_index.search("时尚", limit=limit, offset=offset)


# -- similar texts ---------------------------------------------------------------------------------


def test_similar_to_a_new_proposal(corpus_index):
    text = "建议加快建设时尚设计公共服务平台，为中小企业提供检验检测服务"
    assert [h.source for h in corpus_index.similar(text).hits[:2]] == ["reply.txt", "measures.txt"]
    assert [(h.source, h.clause) for h in corpus_index.similar(text, clauses=True).hits[:2]] == [
        ("reply.txt", "一"), ("measures.txt", "一/(二)/1"),
    ]


def test_similar_to_a_citizens_message(corpus_index):
    text = "晚上十点以后工地还在施工，噪音很大，影响休息"
    assert corpus_index.similar(text).hits[0].source == "replies.csv#A001"


def test_similar_to_a_text_with_no_known_word(corpus_index):
    assert corpus_index.similar("一二三").hits == []


def test_distinctive_terms_leave_out_common_words(corpus_index):
    # 我们 希望 关于 问题 are stop words; 噪音 and 扰民 are the words the index knows
    terms, _ = corpus_index.distinctive_terms("我们希望关于噪音扰民的问题")
    assert sorted(terms) == ["噪音", "扰民"]


# -- documents -------------------------------------------------------------------------------------


def test_a_document_by_id_has_its_body_and_clause_texts(corpus_index):
    hit = corpus_index.search('"公共服务平台"').hits[0]
    record = corpus_index.document(hit.id)
    assert (record["id"], record["source"], record["doc_type"]) == (hit.id, "reply.txt", "提案答复")
    assert record["proposers"] == ["王小明"]
    assert record["body"].startswith("深圳市工业和信息化局关于市政协七届二次会议第20230045号提案答复意见的函\n\n尊敬的王小明委员：")
    assert [c["path"] for c in record["clauses"]] == ["一", "二"]
    assert record["clauses"][0]["text"] == (
        "一、关于建设公共服务平台的建议\n"
        "我局将会同有关单位，依托现有产业园区建设时尚设计公共服务平台，为中小企业提供设计研发、检验检测等服务。"
    )


def test_a_document_by_source(corpus_index):
    assert corpus_index.document("replies.csv#A002")["title"] == "时尚产业补贴"


def test_an_unknown_document(corpus_index):
    with pytest.raises(UnknownDocument, match="no document with id or source `nope` in the index"):
        corpus_index.document("nope")



def test_a_query_of_common_words_needs_them_all_only_when_enough_units_hold_them_all(corpus_index, monkeypatch):
    # over a large index, units holding every common word are ranked instead of all units holding
    # one; when too few hold them all (a long text's words, as a draft asks), the words are OR-ed
    monkeypatch.setattr(retrieve, "BROAD_QUERY", 0)
    both = corpus_index.search("时尚产业 公共服务平台", limit=2)
    assert ([h.source for h in both.hits], both.total) == (["measures.txt", "reply.txt"], 2)
    none_has_all = corpus_index.search("时尚产业 公共服务平台 火星移民", limit=2)
    assert ([h.source for h in none_has_all.hits], none_has_all.total) == (["measures.txt", "reply.txt"], 5)


def test_a_query_built_in_code_finds_what_its_text_finds(corpus_index):
    from search.query import ParsedQuery

    query = ParsedQuery.build(["时尚"], filters={"年份": "2020..2021"})
    found = corpus_index.search(query)
    assert [h.source for h in found.hits] == sources(corpus_index, "时尚 年份:2020..2021") == ["plan.txt", "notice.txt"]
    assert found.query == "时尚 year:2020..2021"
    with pytest.raises(QuerySyntaxError, match="year:abc"):
        corpus_index.search(ParsedQuery.build(["时尚"], filters={"year": "abc"}))


def test_a_broad_query_is_compiled_once(corpus_index, monkeypatch):
    calls = []
    compile_query = engine.compile_query
    monkeypatch.setattr(engine, "compile_query", lambda *a, **k: calls.append(a) or compile_query(*a, **k))
    monkeypatch.setattr(retrieve, "BROAD_QUERY", 0)
    assert [h.source for h in corpus_index.search("时尚产业 公共服务平台", limit=2).hits] == ["measures.txt", "reply.txt"]
    assert len(calls) == 1
