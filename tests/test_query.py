"""The query language (search/query.py): what a typed query means, and how a bad one is reported."""
from __future__ import annotations

import pytest

from errors import QuerySyntaxError, UsageError
from search.query import ParsedQuery, parse_query


def meaning(query: str) -> dict[str, list]:
    """The parse, without positions: words, required groups, exclusions and filters."""
    parsed = parse_query(query)
    return {
        "words": [c.text for c in parsed.words],
        "any": [[f'"{c.text}"' if c.phrase else c.text for c in group] for group in parsed.required_any],
        "excluded": [f'"{c.text}"' if c.phrase else c.text for c in parsed.excluded],
        "filters": [(f.field, f.op, f.value) for f in parsed.filters],
    }


def q(words=(), any=(), excluded=(), filters=()) -> dict[str, list]:
    return {"words": list(words), "any": [list(g) for g in any], "excluded": list(excluded),
            "filters": list(filters)}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("时尚产业", q(words=["时尚产业"])),
        ("时尚产业  公共服务平台", q(words=["时尚产业", "公共服务平台"])),
        ("时尚产业\u3000资助", q(words=["时尚产业", "资助"])),
        ('"公共服务平台"', q(any=[['"公共服务平台"']])),
        ("“公共服务平台” 资助", q(words=["资助"], any=[['"公共服务平台"']])),
        ("「直播电商」", q(any=[['"直播电商"']])),
        ('" 公共服务平台 "', q(any=[['"公共服务平台"']])),
        ("时尚 -直播", q(words=["时尚"], excluded=["直播"])),
        ("时尚 －直播", q(words=["时尚"], excluded=["直播"])),
        ('时尚 -"直播电商"', q(words=["时尚"], excluded=['"直播电商"'])),
        ('"数字化转型" OR "智能制造"', q(any=[['"数字化转型"', '"智能制造"']])),
        ('"数字化转型" | "智能制造" 或 "直播电商"', q(any=[['"数字化转型"', '"智能制造"', '"直播电商"']])),
        ('资助 OR "公共服务平台"', q(any=[["资助", '"公共服务平台"']])),
        ("补贴 OR 资助", q(words=["补贴", "资助"])),
        ("类型:行动计划", q(filters=[("type", "=", "行动计划")])),
        ("type:通知 时尚", q(words=["时尚"], filters=[("type", "=", "通知")])),
        ("TYPE:通知", q(filters=[("type", "=", "通知")])),
        ("机关：工业和信息化局", q(filters=[("issuer", "=", "工业和信息化局")])),
        ("年份:2020..2023", q(filters=[("year", "..", "2020..2023")])),
        ("year:2021..", q(filters=[("year", "..", "2021..")])),
        ("year:>=2021", q(filters=[("year", ">=", "2021")])),
        ("日期:<2023-01-01", q(filters=[("date", "<", "2023-01-01")])),
        ("来源:replies.csv", q(filters=[("source", "=", "replies.csv")])),
        ('时尚产业 "公共服务平台" -直播 类型:行动计划 年份:2020..2023',
         q(words=["时尚产业"], any=[['"公共服务平台"']], excluded=["直播"],
           filters=[("type", "=", "行动计划"), ("year", "..", "2020..2023")])),
        # a colon after a name that is no field is text: pasted messages have them
        ("投诉：噪音扰民", q(words=["投诉：噪音扰民"])),
        ("一个病人的请求:希望延长门诊时间", q(words=["一个病人的请求:希望延长门诊时间"])),
        ("22:00后还在施工", q(words=["22:00后还在施工"])),
        ("晚上 22:30 噪音", q(words=["晚上", "22:30", "噪音"])),
        # a lone minus is a word, not an exclusion
        ("时尚 - 产业", q(words=["时尚", "-", "产业"])),
    ],
)
def test_parse(query, expected):
    assert meaning(query) == expected


def test_positions_point_into_the_query():
    parsed = parse_query('时尚 "公共服务平台" -直播 年份:2020')
    assert [c.position for c in parsed.words] == [0]
    assert [c.position for c in parsed.required_any[0]] == [3]
    assert [c.position for c in parsed.excluded] == [12]
    assert [f.position for f in parsed.filters] == [16]


def test_a_query_of_filters_only_is_not_empty():
    assert not parse_query("类型:通知").is_empty


FIELDS = ("fields: 类型/type; 机关/issuer; 年份/year; 日期/date; 金额/amount; 金额类型/amount_kind; 状态/status; 文号/docno; "
          "提案号/proposal; 会议/session; 提案人/proposer; 引用/cites; 来源/source")


@pytest.mark.parametrize(
    "query, message",
    [
        ("titel:x 时尚", [
            "cannot parse query: unknown field `titel`",
            "  titel:x 时尚",
            "  ^",
            FIELDS,
        ]),
        ("时尚 Year2:2020", [
            "cannot parse query: unknown field `Year2`",
            "  时尚 Year2:2020",
            "       ^",
            FIELDS,
        ]),
        ('时尚 "公共服务平台', [
            "cannot parse query: this quote is never closed",
            '  时尚 "公共服务平台',
            "       ^",
            'close it: "公共服务平台"',
        ]),
        ("时尚 OR", [
            "cannot parse query: OR at the end of the query needs a word or phrase after it",
            "  时尚 OR",
            "         ^",
        ]),
        ("OR 时尚", [
            "cannot parse query: OR needs a word or phrase on each side",
            "  OR 时尚",
            "  ^",
            'e.g. "数字化转型" OR "智能制造"',
        ]),
        ('"数字化转型" OR OR "智能制造"', [
            "cannot parse query: OR needs a word or phrase on each side",
            '  "数字化转型" OR OR "智能制造"',
            "                  ^",
            'e.g. "数字化转型" OR "智能制造"',
        ]),
        ('"数字化转型" OR 类型:通知', [
            "cannot parse query: OR cannot join a field filter",
            '  "数字化转型" OR 类型:通知',
            "                  ^",
            FIELDS,
        ]),
        ('"数字化转型" OR -直播', [
            "cannot parse query: OR cannot join an excluded word",
            '  "数字化转型" OR -直播',
            "                  ^",
        ]),
        ("-直播", [
            "cannot parse query: a query cannot only exclude: add a word to search for",
            "  -直播",
            "  ^",
        ]),
        ("-类型:通知 时尚", [
            "cannot parse query: a filter cannot be negated",
            "  -类型:通知 时尚",
            "  ^",
            FIELDS,
        ]),
        ("时尚 年份:", [
            "cannot parse query: `年份:` needs a value",
            "  时尚 年份:",
            "            ^",
            FIELDS,
        ]),
        ("year:>=", [
            "cannot parse query: `year:>=` needs a value after >=",
            "  year:>=",
            "       ^",
        ]),
        ('""', [
            "cannot parse query: empty quotes",
            '  ""',
            "  ^",
        ]),
    ],
)
def test_malformed_queries_say_where_and_what(query, message):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert str(caught.value).split("\n") == message


def test_a_syntax_error_carries_its_parts():
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("时尚 titel:x")
    error = caught.value
    assert (error.query, error.position, error.problem) == ("时尚 titel:x", 3, "unknown field `titel`")
    assert (error.exit_code, error.http_status) == (1, 400)


# -- a query built in code ----------------------------------------------------------------------


def built(query) -> dict[str, list]:
    return {
        "words": [c.text for c in query.words],
        "any": [[f'"{c.text}"' if c.phrase else c.text for c in group] for group in query.required_any],
        "excluded": [c.text for c in query.excluded],
        "filters": [(f.field, f.op, f.value) for f in query.filters],
    }


def test_a_built_query_is_the_parse_of_its_text():
    query = ParsedQuery.build(["时尚产业", "资助"], phrases=["公共服务平台"], excluded=["直播"],
                              filters={"类型": "行动计划", "year": "2020..2023", "金额": ">=1万"})
    assert query.text == '时尚产业 资助 "公共服务平台" -"直播" type:行动计划 year:2020..2023 amount:>=1万'
    assert built(query) == built(parse_query(query.text)) == {
        "words": ["时尚产业", "资助"], "any": [['"公共服务平台"']], "excluded": ["直播"],
        "filters": [("type", "=", "行动计划"), ("year", "..", "2020..2023"), ("amount", ">=", "1万")]}
    assert [f.position for f in query.filters] == [f.position for f in parse_query(query.text).filters]


def test_a_built_word_is_never_read_as_an_operator_or_a_filter():
    query = ParsedQuery.build(["OR", "或者", "-直播", "类型:通知"])
    assert built(query) == {"words": ["OR", "或者", "-直播", "类型:通知"], "any": [], "excluded": [], "filters": []}


@pytest.mark.parametrize("kwargs, message", [
    ({"filters": {"颜色": "红"}}, "unknown query field `颜色`"),
    ({"filters": {"year": ">="}}, "needs a value"),
    ({"words": ["时尚", " "]}, "word cannot be blank"),
    ({"excluded": ["直播"]}, "cannot only exclude"),
])
def test_a_malformed_built_query_says_what(kwargs, message):
    with pytest.raises(UsageError, match=message):
        ParsedQuery.build(**kwargs)


@pytest.mark.parametrize("query", ["*", "-", "？？", "* -直播", "\x00", "— …"])
def test_a_query_of_signs_alone_is_an_error_not_every_document(query):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.code == "query.no_words"
    assert str(caught.value).splitlines()[0] == "cannot parse query: there is no word to search for, only signs"


@pytest.mark.parametrize("query", ["时尚 *", "* 类型:行动计划", '"时尚" *', "2020", "C++"])
def test_signs_beside_a_word_a_phrase_or_a_filter_are_no_error(query):
    parse_query(query)


@pytest.mark.parametrize("query, words", [
    # a citizen's message pasted whole: an ASCII parenthesis closed by a full-width one, a link
    ("暂住证明(七个工作日后领取）", ["暂住证明", "七个工作日后领取"]),
    ("见 https://www.gov.cn/zhengce 的通知", ["见", "https://www.gov.cn/zhengce", "的通知"]),
])
def test_a_pasted_message_is_words_not_a_syntax_error(query, words):
    parsed = parse_query(query)
    assert not parsed.filters
    assert all(any(w in c.text for c in parsed.words) for w in words)


@pytest.mark.parametrize("query", ["(时尚 产业", "时尚（产业 (数字化"])
def test_an_ascii_parenthesis_left_open_is_still_an_error(query):
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.code.endswith("unclosed_parenthesis")
