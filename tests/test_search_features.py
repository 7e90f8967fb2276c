"""Search features on the five real sample documents: filters, facets, sort, status, versions,
citations — each with the exact results a reader of the samples expects.

The samples (corpus/samples): 000 a 2020 reply citing the action plan with its 文号; 001 a 2023
reply to a deputy; 002 the 2020 action plan (valid 5 years from 2020-03-10); 003 a reply with
messy numbering; 004 Longgang's measures (in force 2024-01-05, 3 years), citing the plan.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import index_of_texts, working_directory
from corpus import sample_dir
from errors import QuerySyntaxError
from indexer.build import ingest
from search.engine import PolicyIndex

PLAN = "002_ba63796111550f13.txt"
MEASURES = "004_60ce16b299b7f552.txt"
REPLY_2020 = "000_e19b846f0357647c.txt"
REPLY_2023 = "001_9766235b75c142a3.txt"
REPLY_MESSY = "003_e2458defcac5246b.txt"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    index_dir = tmp_path_factory.mktemp("samples") / "ix"
    with working_directory(sample_dir()):
        ingest(["."], index_dir, engine="jieba")
    index = PolicyIndex(index_dir)
    yield index
    index.close()


def names(hits) -> list[str]:
    return [Path(h.source).name for h in hits]


def clauses(hits) -> list[tuple[str, str]]:
    return [(Path(h.source).name, h.clause) for h in hits]


def test_amount_and_type_give_the_plans_big_grants(samples):
    hits = samples.search("金额:>=500万 类型:行动计划", clauses=True, limit=20).hits
    assert sorted(clauses(hits)) == [(PLAN, "三/(一)/1"), (PLAN, "三/(一)/3"), (PLAN, "三/(六)/15")]


@pytest.mark.parametrize("query, expected", [
    ("金额:>=800万", [(REPLY_2020, "二"), (REPLY_2023, "一/(三)"), (REPLY_2023, "一/(五)"), (PLAN, "三/(一)/1"),
                    (REPLY_MESSY, "1/(一)"), (REPLY_MESSY, "二/(三)"), (MEASURES, "一/(一)"), (MEASURES, "一/(二)"),
                    (MEASURES, "三/(一)/3"), (MEASURES, "三/(四)/10")]),
    ("amount:1000万..1000万", [(REPLY_2023, "一/(三)"), (MEASURES, "三/(四)/10")]),
    ("金额:<31万 类型:若干措施", [(MEASURES, "三/(二)/5")]),
    ("金额:>1亿 机关:龙岗", [(MEASURES, "一/(一)"), (MEASURES, "三/(一)/3")]),
])
def test_amount_filters_on_clauses(samples, query, expected):
    assert sorted(clauses(samples.search(query, clauses=True, limit=50).hits)) == sorted(expected)


@pytest.mark.parametrize("query, expected", [
    ("类型:答复", [REPLY_2020, REPLY_2023, REPLY_MESSY]),
    ("type:建议答复", [REPLY_2023]),
    ("提案号:20190892", [REPLY_2020]),
    ("提案号:第2023141号", [REPLY_MESSY]),
    ("proposal:JY20230126", [REPLY_2023]),
    ("提案人:张立勤委员", [REPLY_MESSY]),
    ("proposer:朱舜华", [REPLY_2020]),
    ("会议:第八届人民代表大会", [REPLY_2023]),
    ("session:政协六届六次", [REPLY_2020]),
    ("引用:深府办〔2020〕4号", [REPLY_2020, MEASURES]),
    ("引用:深府办[2020]4号", [REPLY_2020, MEASURES]),
    ("cites:深圳市时尚产业高质量发展行动计划", [REPLY_2020, MEASURES]),
    ("引用:《深圳市推进直播电商高质量发展行动方案（2023—2025年）》", [REPLY_2023]),
    ("文号:深府办〔2020〕4号", [PLAN]),  # the plan's own page prints no number: its citers give it
    ("年份:2020", [REPLY_2020, PLAN]),
    ("日期:>=2023-01-01", [REPLY_2023]),
    ("日期:2020-03-10", [PLAN]),
    ("来源:004", [MEASURES]),
])
def test_every_document_filter(samples, query, expected):
    assert sorted(names(samples.search(query, limit=20).hits)) == sorted(expected)


@pytest.mark.parametrize("as_of, in_force, expired", [
    ("2024-06-30", [PLAN, MEASURES], []),
    ("2025-03-10", [MEASURES], [PLAN]),
    ("2027-01-05", [], [PLAN, MEASURES]),
])
def test_status_on_a_day(samples, as_of, in_force, expired):
    """Only texts with a period of force have a status: the replies are neither in force nor
    expired on any day; 状态:不适用 finds them (the status facet's name for them)."""
    assert sorted(names(samples.search("状态:现行有效", as_of=as_of).hits)) == sorted(in_force)
    assert sorted(names(samples.search("status:已失效", as_of=as_of).hits)) == sorted(expired)
    assert sorted(names(samples.search("状态:不适用", as_of=as_of).hits)) == sorted([REPLY_2020, REPLY_2023, REPLY_MESSY])


def test_not_yet_in_force(samples):
    assert names(samples.search("状态:尚未生效", as_of="2023-12-31").hits) == [MEASURES]


def test_facets_count_every_hit_not_only_the_page(samples):
    results = samples.search("时尚", limit=1, facets=True, as_of="2025-06-01")
    assert len(results.hits) == 1
    assert results.facets == {
        "issuer": [("深圳市工业和信息化局", 2), ("福田区文化广电旅游体育局", 1), ("龙岗区工业和信息化局", 1)],
        "type": [("提案答复", 2), ("建议答复", 1), ("若干措施", 1), ("行动计划", 1)],
        "year": [("2023", 1), ("2020", 2)],
        "status": [("不适用", 3), ("已失效", 1), ("现行有效", 1)],
    }


def test_facets_follow_the_filters(samples):
    results = samples.search("时尚 类型:答复", facets=True, as_of="2025-06-01")
    assert results.facets["type"] == [("提案答复", 2), ("建议答复", 1)]
    assert results.facets["status"] == [("不适用", 3)]


def test_sort_by_date_puts_the_newest_first(samples):
    assert names(samples.search("时尚产业", sort="date").hits)[:3] == [REPLY_2023, REPLY_2020, PLAN]


def test_a_status_filter_with_an_unknown_value_lists_the_statuses(samples):
    with pytest.raises(QuerySyntaxError, match="unknown status `有用`\n.*\n.*\nstatuses: 现行有效 已被修改 已失效 尚未生效 不适用"):
        samples.search("状态:有用")


@pytest.mark.parametrize("query, problem", [
    ("金额:很多", "`很多` is not an amount"),
    ("年份:二零二零", "`二零二零` is not a year"),
    ("日期:>=昨天", "`昨天` is not a date"),
    ("类型:报告", "unknown type `报告`"),
])
def test_malformed_filter_values_point_at_the_filter(samples, query, problem):
    with pytest.raises(QuerySyntaxError) as caught:
        samples.search(f"时尚 {query}")
    message = str(caught.value)
    assert problem in message
    assert message.splitlines()[2] == "  " + " " * 5 + "^"  # 时尚 takes four columns, then a space


def test_citations_of_the_2020_reply_resolve_to_the_plan(samples):
    record = samples.document(REPLY_2020)
    plan_id = samples.document(PLAN)["id"]
    cited = {c["title"]: c["resolved_id"] for c in record["citations"]}
    assert cited["深圳市时尚产业高质量发展行动计划（2020-2024年）"] == plan_id
    assert cited["深圳市建设国际消费中心城市行动计划（2019-2021）"] is None


def test_citation_of_the_measures_resolves_despite_the_dash(samples):
    record = samples.document(MEASURES)
    [citation] = [c for c in record["citations"] if c["doc_number"] == "深府办〔2020〕4号"]
    assert citation["resolved_id"] == samples.document(PLAN)["id"]


def test_the_plan_knows_who_cites_it(samples):
    cited_by = samples.document(PLAN)["cited_by"]
    assert sorted(Path(c["source"]).name for c in cited_by) == [REPLY_2020, MEASURES]


def test_show_by_file_name_and_by_id_agree(samples):
    by_name = samples.document(PLAN)
    assert samples.document(by_name["id"]) == by_name
    assert by_name["clauses"][8]["path"] == "三/(一)/1"
    assert by_name["clauses"][8]["text"].startswith("1. 加快推进技术创新。")


# -- versions of one law --------------------------------------------------------------------------

LAW = """# 护士条例

{date} 中华人民共和国国务院令第{number}号公布

<!-- INFO END -->

第一条 为了维护护士的合法权益，规范护理行为，制定本条例。

第二条 本条例所称护士，是指经执业注册取得护士执业证书的卫生技术人员。{extra}
"""


@pytest.fixture(scope="module")
def laws(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    with index_of_texts(tmp_path_factory.mktemp("laws"), {
        "护士条例(2008-01-31).md": LAW.format(date="2008年1月31日", number="517", extra=""),
        "护士条例(2020-03-27).md": LAW.format(date="2020年3月27日", number="726", extra="护士执业注册应当符合条件。"),
        "other.md": "# 医疗机构管理条例\n\n1994年2月26日 国务院令第149号发布\n\n第一条 为了加强对医疗机构的管理，制定本条例。\n",
    }) as index:
        yield index


def test_two_versions_show_once_as_the_newest(laws):
    [hit] = laws.search("护士 执业注册").hits
    assert (hit.source, hit.date) == ("护士条例(2020-03-27).md", "2020-03-27")
    assert [(v.date, v.status) for v in hit.versions] == [("2020-03-27", "现行有效"), ("2008-01-31", "已被修改")]


def test_an_older_version_is_amended_from_the_day_the_newer_takes_effect(laws):
    older = "护士条例(2008-01-31).md"
    assert (laws.document(older, as_of="2020-03-26")["status"], laws.document(older, as_of="2020-03-26")["amended_by"]) == (
        "现行有效", [])
    record = laws.document(older, as_of="2020-03-27")
    newer = laws.document("护士条例(2020-03-27).md")
    assert record["status"] == "已被修改"
    assert record["amended_by"] == [{"id": newer["id"], "title": "护士条例", "date": "2020-03-27"}]
    assert (newer["status"], newer["amended_by"]) == ("现行有效", [])


def test_the_status_filter_and_facet_know_amended_versions(laws):
    hits = laws.search("护士 状态:已被修改", versions=False, as_of="2021-01-01").hits
    assert [h.source for h in hits] == ["护士条例(2008-01-31).md"]
    assert [h.source for h in laws.search("护士 状态:已被修改", versions=False, as_of="2019-01-01").hits] == []
    counts = dict(laws.search("护士", versions=False, facets=True, as_of="2021-01-01").facets["status"])
    assert counts == {"现行有效": 1, "已被修改": 1}


def test_every_version_is_reachable(laws):
    hits = laws.search("护士", versions=False).hits
    assert sorted(h.source for h in hits) == ["护士条例(2008-01-31).md", "护士条例(2020-03-27).md"]
    older = laws.document("护士条例(2008-01-31).md")
    assert [v["date"] for v in older["versions"]] == ["2020-03-27", "2008-01-31"]


def test_copies_of_one_version_in_two_folders_are_no_versions(tmp_path):
    # the laws hold byte-identical copies (社会法/ and 行政法/) and copies that differ in a blank
    text = LAW.format(date="2020年3月27日", number="726", extra="")
    texts = {"a/护士条例.md": text, "b/护士条例.md": text, "c/护士条例.md": text.replace("。", "。 ", 1)}
    for name in texts:
        (tmp_path / name).parent.mkdir(exist_ok=True)
    with index_of_texts(tmp_path, texts) as index:
        hits = index.search("护士").hits
        assert len(hits) == 1 and hits[0].versions == []
        assert index.document("c/护士条例.md")["versions"] == []


def test_clauses_of_two_versions_show_once(laws):
    hits = laws.search('"合法权益"', clauses=True).hits
    assert [(h.source, h.clause) for h in hits] == [("护士条例(2020-03-27).md", "第一条")]


INJURY = """# 工伤保险条例

2003年4月27日 国务院令第375号公布

## 第一章 总则

第一条 为了保障因工作遭受事故伤害的职工获得医疗救治和经济补偿，制定本条例。

## 第三章 工伤认定

第十四条 职工有下列情形之一的，应当认定为工伤：
（一）在工作时间和工作场所内，因工作原因受到事故伤害的；
（二）在上下班途中，受到非本人主要责任的交通事故伤害的。

第十五条 职工在上下班途中发生事故的，用人单位应当及时报告。
"""


@pytest.fixture(scope="module")
def injury(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    with index_of_texts(tmp_path_factory.mktemp("injury"), {"工伤保险条例.md": INJURY}) as index:
        yield index


def test_an_article_is_found_with_its_items_as_it_is_cited(injury):
    # the words are spread over the article's lead-in and its item (二): the article is the hit;
    # 第一条 holds 事故 alone (a piece of 交通事故)
    hits = injury.search("上下班 交通事故 工伤", clauses=True).hits
    assert [h.clause for h in hits] == ["第三章/第十四条", "第三章/第十五条", "第一章/第一条"]
    assert "【上下班】途中，受到非本人主要责任的【交通事故】" in hits[0].snippet


def test_a_bare_heading_is_no_hit_of_its_own(injury):
    hits = injury.search("工伤认定", clauses=True).hits
    assert [h.clause for h in hits] == ["第三章/第十四条"]


def test_the_document_keeps_the_text_of_each_item(injury):
    record = injury.document("工伤保险条例.md")
    texts = {c["path"]: c["text"] for c in record["clauses"]}
    assert texts["第三章"] == "第三章 工伤认定"
    assert texts["第三章/第十四条"] == "第十四条 职工有下列情形之一的，应当认定为工伤："
    assert texts["第三章/第十四条/(二)"] == "（二）在上下班途中，受到非本人主要责任的交通事故伤害的。"


def test_everyday_words_also_find_the_words_of_the_law(injury):
    # 车祸 is 交通事故 in the law (search.lay_terms), of which the others hold 事故 alone; 吗 is
    # a question's word, not a topic's
    hits = injury.search("出车祸 算工伤吗", clauses=True).hits
    assert [h.clause for h in hits] == ["第三章/第十四条", "第三章/第十五条", "第一章/第一条"]
    assert "【交通事故】" in hits[0].snippet


# -- a text in parts: the books of the civil code ------------------------------------------------

def civil_code_book(book: str, articles: str) -> str:
    return (f"# 中华人民共和国民法典\n\n# {book}\n\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n"
            f"2021年1月1日 施行\n\n<!-- INFO END -->\n\n{articles}\n")


INHERITANCE = civil_code_book("继承编", "第一千一百二十七条 遗产按照下列顺序继承：第一顺序：配偶、子女、父母；第二顺序：兄弟姐妹、祖父母、外祖父母。")
PROPERTY = civil_code_book("物权编", "第二百七十八条 下列事项由业主共同决定：选聘和解聘物业服务企业或者其他管理人。")
INTERPRETATION = """# 最高人民法院关于适用《中华人民共和国民法典》继承编的解释（一）

2020年12月25日 最高人民法院审判委员会第1825次会议通过

<!-- INFO END -->

第一条 继承从被继承人生理死亡或者被宣告死亡时开始。依照《民法典》第一千一百二十七条的规定确定继承人。
"""


@pytest.fixture(scope="module")
def civil_code(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    texts = {"继承编.md": INHERITANCE, "物权编.md": PROPERTY, "继承编的解释（一）.md": INTERPRETATION}
    with index_of_texts(tmp_path_factory.mktemp("code"), texts) as index:
        yield index


def test_each_book_of_a_code_is_a_text_of_its_own_not_a_version(civil_code):
    hits = civil_code.search("民法典 继承").hits
    assert hits[0].title == "中华人民共和国民法典·继承编"
    assert hits[0].versions == []
    assert {h.title for h in civil_code.search("民法典").hits} >= {"中华人民共和国民法典·继承编", "中华人民共和国民法典·物权编"}


def test_a_citation_of_the_code_by_its_short_name_resolves_to_the_book_holding_the_article(civil_code):
    record = civil_code.document("继承编的解释（一）.md")
    [citation] = [c for c in record["citations"] if c.get("clause")]
    book = civil_code.document("继承编.md")
    assert (citation["resolved_id"], citation["resolved_clause"]) == (book["id"], "第一千一百二十七条")
    assert [Path(c["source"]).name for c in book["cited_by"]] == ["继承编的解释（一）.md"]


# -- a text repealed by another ------------------------------------------------------------------

OLD_NOISE = """# 中华人民共和国环境噪声污染防治法

1996年10月29日 第八届全国人民代表大会常务委员会第二十二次会议通过

<!-- INFO END -->

第二条 本法所称环境噪声，是指在工业生产、建筑施工、交通运输和社会生活中所产生的干扰周围生活环境的声音。
"""
NEW_NOISE = """# 中华人民共和国噪声污染防治法

2021年12月24日 第十三届全国人民代表大会常务委员会第三十二次会议通过

2022年6月5日 施行

<!-- INFO END -->

第二条 本法所称噪声，是指在工业生产、建筑施工、交通运输和社会生活中产生的干扰周围生活环境的声音。

第九十条 本法自2022年6月5日起施行。《中华人民共和国环境噪声污染防治法》同时废止。
"""


@pytest.fixture(scope="module")
def noise(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    texts = {"环境噪声污染防治法.md": OLD_NOISE, "噪声污染防治法.md": NEW_NOISE}
    with index_of_texts(tmp_path_factory.mktemp("noise"), texts) as index:
        yield index


def test_a_law_repealed_by_another_is_expired_from_the_day_that_one_takes_effect(noise):
    def statuses(as_of: str) -> dict[str, str]:
        return {h.source: h.status for h in noise.search("噪声 建筑施工", as_of=as_of).hits}

    assert statuses("2022-06-04") == {"噪声污染防治法.md": "尚未生效", "环境噪声污染防治法.md": "现行有效"}
    assert statuses("2022-06-05") == {"噪声污染防治法.md": "现行有效", "环境噪声污染防治法.md": "已失效"}


def test_the_status_filter_and_facet_know_the_repeal(noise):
    in_force = noise.search("噪声 状态:现行有效", as_of="2023-01-01", facets=True)
    assert [h.source for h in in_force.hits] == ["噪声污染防治法.md"]
    expired = noise.search("噪声 状态:已失效", as_of="2023-01-01", clauses=True).hits
    assert {h.source for h in expired} == {"环境噪声污染防治法.md"}
    counts = dict(noise.search("噪声", as_of="2023-01-01", facets=True).facets["status"])
    assert counts == {"现行有效": 1, "已失效": 1}


def test_a_repealed_text_says_which_text_repeals_it(noise):
    old = noise.document("环境噪声污染防治法.md", as_of="2023-01-01")
    new = noise.document("噪声污染防治法.md", as_of="2023-01-01")
    assert old["status"] == "已失效"
    assert old["repealed_by"] == [{"id": new["id"], "title": "中华人民共和国噪声污染防治法", "date": "2022-06-05"}]
    assert new["repealed_by"] == []
    assert (old["ends"], new["ends"]) == ("2022-06-05", None)  # 已失效 since the day the repeal takes effect
    assert [c["repeals"] for c in new["citations"]] == [True]


PROPERTY_RULE = """# 河南省物业管理条例

{date} 河南省人民代表大会常务委员会第{n}次会议通过

<!-- INFO END -->

第一条 为了规范物业管理活动，维护业主和物业服务人的合法权益，制定本条例。{repeal}
"""


def test_a_new_version_that_repeals_its_title_amends_the_older_versions_only(tmp_path):
    texts = {"物业(2004).md": PROPERTY_RULE.format(date="2004年7月30日", n="十", repeal=""),
             "物业(2021).md": PROPERTY_RULE.format(date="2021年7月30日", n="二十五",
                                                   repeal="\n\n第八十条 本条例自2022年1月1日起施行。《河南省物业管理条例》同时废止。")}
    with index_of_texts(tmp_path, texts) as index:
        hit = index.search("物业管理", as_of="2023-01-01").hits[0]
        assert hit.source == "物业(2021).md"
        assert [(v.date, v.status) for v in hit.versions] == [("2021-07-30", "现行有效"), ("2004-07-30", "已被修改")]


# -- copies: one text in several files ------------------------------------------------------------

COPY = ("濮阳市人民政府办公室关于印发濮阳市城市道路窨井设施管理暂行办法的通知\n濮政办〔2011〕19号\n\n"
        "市市政园林管理局制定的《濮阳市城市道路窨井设施管理暂行办法》已经市政府同意,现印发给你们,请认真贯彻执行。\n\n"
        "二〇一一年三月三十日\n\n濮阳市城市道路窨井设施管理暂行办法\n\n第一条 为加强城市道路窨井设施的监督、维护和管理,制定本办法。\n")


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    with index_of_texts(tmp_path_factory.mktemp("copies"), {"notice.txt": COPY, "saved-page.txt": COPY,
                                                            "other.txt": COPY.replace("窨井", "路灯")}) as index:
        yield index


def test_a_hit_lists_the_other_files_that_hold_its_text(copies):
    [hit] = copies.search("窨井 -路灯").hits
    assert [hit.source, *hit.copies] in (["notice.txt", "saved-page.txt"], ["saved-page.txt", "notice.txt"])
    assert hit.to_json()["copies"] == hit.copies


@pytest.mark.parametrize("source", ["notice.txt", "saved-page.txt"])
def test_the_source_filter_matches_any_copy(copies, source):
    [hit] = copies.search(f"窨井 来源:{source}").hits
    assert (hit.source, hit.copies) == (source, sorted({"notice.txt", "saved-page.txt"} - {source}))
    assert copies.document(source)["copies"] == hit.copies


def test_a_text_in_one_file_has_no_copies(copies):
    [hit] = copies.search("路灯 设施 -窨井").hits
    assert (hit.source, hit.copies) == ("other.txt", [])
