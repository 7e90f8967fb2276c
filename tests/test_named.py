"""Titles named in a query (search.named) and the clauses they put first."""
from __future__ import annotations

import pytest

from conftest import index_of_texts
from search.engine import PolicyIndex
from search.named import TitleNames, is_local, is_national

NAMES = TitleNames(["中华人民共和国道路交通安全法", "中华人民共和国道路交通安全法实施条例", "中华人民共和国刑法"])


def test_a_title_is_named_with_or_without_the_state_name():
    assert NAMES.split("道路交通安全法醉酒") == (["中华人民共和国道路交通安全法"], "醉酒")
    assert NAMES.split("《中华人民共和国刑法》盗窃") == (["中华人民共和国刑法"], "盗窃")


def test_the_longest_name_wins():
    assert NAMES.find("道路交通安全法实施条例 年检") == ["中华人民共和国道路交通安全法实施条例"]


def test_text_naming_nothing_is_left_alone():
    assert NAMES.split("醉酒驾驶") == ([], "醉酒驾驶")


NATIONAL = """# 中华人民共和国道路交通安全法

第四条 各级人民政府应当保障道路交通安全管理工作与经济建设和社会发展相适应。

第九十一条 醉酒驾驶机动车的，由公安机关交通管理部门约束至酒醒，吊销机动车驾驶证。
"""
LOCAL = """# 杭州市道路交通安全管理条例

第一条 为了维护道路交通秩序，根据《中华人民共和国道路交通安全法》，制定本条例。

第三十条 醉酒驾驶机动车的，依照《中华人民共和国道路交通安全法》处罚。
"""


@pytest.fixture(scope="module")
def traffic(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    with index_of_texts(tmp_path_factory.mktemp("traffic"),
                        {"道路交通安全法.md": NATIONAL, "杭州市道路交通安全管理条例.md": LOCAL}) as index:
        yield index


def test_the_named_law_comes_first_with_its_clause_on_the_matter(traffic):
    # without the name, the local rule's clause holds both 道路交通安全法 and 醉酒 in its text;
    # the name says whose clauses are wanted, and 醉酒 which of them
    hits = traffic.search("道路交通安全法 醉酒", clauses=True).hits
    assert [(h.source, h.clause) for h in hits] == [
        ("道路交通安全法.md", "第九十一条"), ("杭州市道路交通安全管理条例.md", "第三十条")]


def test_a_title_alone_still_searches_its_words(traffic):
    hits = traffic.search("道路交通安全法", clauses=True).hits
    assert hits[0].source == "道路交通安全法.md"


def test_a_short_title_names_a_law_only():
    # a text titled 通知 or 实施方案 (its title lost in a messy file) must not claim every query
    # holding that word
    names = TitleNames(["通知", "实施方案", "中华人民共和国宪法", "中华人民共和国国旗法"])
    assert names.split("宪法 国旗法 通知 实施方案") == (["中华人民共和国宪法", "中华人民共和国国旗法"], "通知实施方案")


PLACES = TitleNames(["北京市生活垃圾管理条例", "北京市控制吸烟条例", "关于深圳市促进时尚产业发展的若干措施",
                     "深圳市时尚产业行动计划", "广西壮族自治区消防条例", "广西壮族自治区水利工程管理条例",
                     "城市市容和环境卫生管理条例", "杭州市生活垃圾管理条例"])


def test_a_place_is_named_in_full_or_without_its_suffix():
    beijing = ["北京市生活垃圾管理条例", "北京市控制吸烟条例"]
    assert PLACES.split("北京居民扔垃圾不分类") == (beijing, "居民扔垃圾不分类")
    assert PLACES.split("北京市 禁烟") == (beijing, "禁烟")
    assert PLACES.find("深圳 时尚") == ["关于深圳市促进时尚产业发展的若干措施", "深圳市时尚产业行动计划"]
    assert PLACES.find("在广西") == ["广西壮族自治区消防条例", "广西壮族自治区水利工程管理条例"]


def test_a_place_opening_one_title_only_names_nothing():
    # 城市市容… merely starts like a place; 杭州 opens one title here, too few to tell
    assert PLACES.split("城市 杭州 垃圾") == ([], "城市杭州垃圾")


BEIJING_WASTE = """# 北京市生活垃圾管理条例

第六十七条 个人违反生活垃圾分类投放规定的，由城市管理综合执法部门给予书面警告；再次违反规定的，处五十元以上二百元以下罚款。
"""
BEIJING_SMOKING = """# 北京市控制吸烟条例

第十条 在禁止吸烟场所吸烟的，由卫生健康部门责令改正，处五十元罚款。
"""
HANGZHOU_WASTE = """# 杭州市生活垃圾管理条例

第三十三条 个人未分类投放生活垃圾，经劝阻拒不改正的，处五十元以上二百元以下罚款。
"""
SHANGHAI_WASTE = """# 上海市生活垃圾管理条例

第五十六条 个人将有害垃圾与可回收物、湿垃圾、干垃圾混合投放的，处五十元以上二百元以下罚款。
"""
SHANGHAI_CARDS = """# 上海市单用途预付消费卡管理规定

第十二条 经营者停业、歇业的，应当退还预付卡余额。
"""


@pytest.fixture(scope="module")
def waste(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    texts = {"北京市生活垃圾管理条例.md": BEIJING_WASTE, "北京市控制吸烟条例.md": BEIJING_SMOKING,
             "杭州市生活垃圾管理条例.md": HANGZHOU_WASTE, "上海市生活垃圾管理条例.md": SHANGHAI_WASTE,
             "上海市单用途预付消费卡管理规定.md": SHANGHAI_CARDS}
    with index_of_texts(tmp_path_factory.mktemp("waste"), texts) as index:
        yield index


def test_the_named_place_s_clause_comes_first(waste):
    # without the place, 杭州's shorter rule on the same matter comes first; the place the question
    # names says which city's rule is asked about
    assert waste.search("居民扔垃圾不分类，会被罚多少钱", clauses=True).hits[0].source == "杭州市生活垃圾管理条例.md"
    hits = waste.search("北京居民扔垃圾不分类，会被罚多少钱", clauses=True).hits
    assert hits[0].source == "北京市生活垃圾管理条例.md"
    assert hits[0].clause == "第六十七条"
    hits = waste.search("上海 垃圾 罚款", clauses=True).hits
    assert hits[0].source == "上海市生活垃圾管理条例.md"


def test_without_a_place_every_city_s_rule_competes(waste):
    hits = waste.search("个人 生活垃圾 罚款", clauses=True).hits
    assert {h.source for h in hits} >= {"北京市生活垃圾管理条例.md", "杭州市生活垃圾管理条例.md", "上海市生活垃圾管理条例.md"}


BLOOD_LAW = """# 中华人民共和国献血法

第九条 血站对献血者每次采集血液量一般为二百毫升，最多不得超过四百毫升，两次采集间隔期不少于六个月。
"""
SHANGHAI_BLOOD = """# 上海市献血条例

第十条 献血者每次采集血液量一般为二百毫升，最多不得超过四百毫升，两次采集间隔期不少于六个月。
"""


@pytest.fixture(scope="module")
def blood(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    texts = {"献血法.md": BLOOD_LAW, "上海市献血条例.md": SHANGHAI_BLOOD,
             "上海市单用途预付消费卡管理规定.md": SHANGHAI_CARDS}
    with index_of_texts(tmp_path_factory.mktemp("blood"), texts) as index:
        yield index


def test_a_question_naming_no_place_gets_the_national_rule_first(blood):
    # 上海's article restates the law's rule in fewer words, and would come first by its words alone
    hits = blood.search("献血 间隔 多久", clauses=True).hits
    assert [h.source for h in hits] == ["献血法.md", "上海市献血条例.md"]


def test_a_question_naming_the_place_gets_its_rule_first(blood):
    hits = blood.search("上海 献血 间隔 多久", clauses=True).hits
    assert [h.source for h in hits] == ["上海市献血条例.md", "献血法.md"]


def test_texts_are_local_by_the_place_their_title_or_issuer_opens_with():
    assert is_local("关于深圳市福田区政协第六届第三次会议提案的主办意见")
    assert is_local("", "福田区文化广电旅游体育局")
    assert is_local("", "河南省人民代表大会常务委员会")
    assert not is_local("中华人民共和国献血法", "全国人民代表大会常务委员会")
    assert not is_local("国家市场监督管理总局关于…的规定", "国家市场监督管理总局")
    assert not is_local("风景名胜区条例", "中华人民共和国国务院")  # 区 opens no district in a title


def test_texts_are_national_by_their_issuer_or_as_statutes_naming_no_place():
    assert is_national("", "全国人民代表大会常务委员会")
    assert is_national("机动车登记规定")  # a ministry's rule whose issuer the file does not state
    assert is_national("企业职工带薪年休假实施办法（试行）")
    assert not is_national("上海市献血条例")
    # a reply or notice naming no place is no national text: it gets no preference over local ones
    assert not is_national("噪音扰民")
    assert not is_national("关于开展夜间经济消费季活动的通知")


def test_one_place_s_texts_alone_name_no_place():
    # a district's own index: 深圳 would only push aside 龙岗区's measures, which do not repeat it
    names = TitleNames(["深圳市时尚产业高质量发展行动计划", "关于深圳市福田区政协提案的主办意见", "龙岗区关于促进时尚产业高质量发展若干措施"])
    assert names.split("深圳 时尚产业") == ([], "深圳时尚产业")


def test_an_issuer_places_a_text_its_title_does_not():
    reply = "市工业和信息化局关于对市政协提案答复意见的函"
    names = TitleNames([reply, "深圳市时尚产业高质量发展行动计划", "北京市生活垃圾管理条例", "北京市控制吸烟条例"],
                       {reply: "深圳市工业和信息化局"})
    assert names.find("深圳 时尚") == [reply, "深圳市时尚产业高质量发展行动计划"]


def test_an_autonomous_countys_regulation_is_local_not_the_whole_countrys():
    # 景宁畲族自治县 is a county of the administrative divisions; its 条例 was taken for a national statute
    from search.named import is_local, is_national

    assert is_local("景宁畲族自治县水资源管理条例")
    assert not is_national("景宁畲族自治县水资源管理条例")
    assert is_national("取水许可和水资源费征收管理条例")
