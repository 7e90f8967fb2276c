"""The grounds of an answer are the rules of the answering body's own place and of the places
above it: 福田区 answers on 福田区's, 深圳市's, 广东省's and the country's rules, never on
龙岗区's; those come after, labelled 其他地区参考. Over the bundled samples: 002 is 深圳市's plan,
004 龙岗区's measures; 001 and 003, titled 关于深圳市福田区…, say that 福田区 lies in 深圳市."""
from __future__ import annotations

import pytest

from conftest import samples_index
from search.drafting import draft_from_text, render_markdown
from search.engine import PolicyIndex
from search.divisions import Divisions, leading_places, text_place
from search.jurisdiction import Jurisdiction

PLAN_TITLE = "深圳市时尚产业高质量发展行动计划（2020—2024年）"
MEASURES_TITLE = "龙岗区关于促进时尚产业高质量发展若干措施"
PROPOSAL = """关于支持福田区时尚企业数字化转型的提案
案由：福田区时尚企业数量多，但数字化水平不高，中小企业缺乏资金和人才。
建议：
一、设立时尚企业数字化转型专项资金，对企业技术改造给予资助。
二、建设时尚产业公共服务平台，提供设计、检测等服务。
三、支持直播电商基地建设，培育时尚品牌。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    with PolicyIndex(samples_index(tmp_path_factory.mktemp("jurisdiction"))) as ix:
        yield ix


def test_another_districts_clauses_are_no_ground_for_futians_answer(index):
    draft = draft_from_text(index, PROPOSAL, as_body="福田区工业和信息化局", date="2024-06-30")
    assert draft.jurisdiction == ("福田区", "深圳市", "广东省")
    grounds = [c.source.title for s in draft.sections for c in s.clauses]
    assert grounds and MEASURES_TITLE not in grounds
    assert draft.sections[0].clauses[0].source.title == PLAN_TITLE
    others = [c.source.title for s in draft.sections for c in s.other_regions]
    assert others and set(others) == {MEASURES_TITLE}
    lines = draft.sections[0].lines
    guide = next(k for k, ln in enumerate(lines) if ln.text.startswith("【其他地区参考"))
    assert lines[guide].text == "【其他地区参考：以下为其他地区的政策条款，不能作为福田区工业和信息化局的答复依据，仅供参考】"
    assert lines[guide + 1].kind == "reference" and lines[guide + 1].source.title == MEASURES_TITLE
    assert all(ln.kind != "clause" for ln in lines[guide:])
    markdown = render_markdown(draft)
    after_guide = markdown[markdown.index("【其他地区参考"):]
    assert markdown.index("【参考条款") < markdown.index("【其他地区参考")
    assert after_guide.split("## ")[0].count(f"〔来源：《{MEASURES_TITLE}》") == len(draft.sections[0].other_regions)


def test_a_districts_own_measures_are_its_grounds(index):
    # the administrative divisions say 龙岗区 is in 深圳市: the city's plan holds there too
    draft = draft_from_text(index, PROPOSAL, as_body="龙岗区工业和信息化局", date="2024-06-30")
    assert draft.jurisdiction == ("龙岗区", "深圳市", "广东省")
    grounds = {c.source.title for s in draft.sections for c in s.clauses}
    assert {MEASURES_TITLE, PLAN_TITLE} <= grounds
    assert not [c for s in draft.sections for c in s.other_regions]


def test_without_a_body_every_place_may_ground_the_answer(index):
    draft = draft_from_text(index, PROPOSAL, date="2024-06-30")
    assert draft.jurisdiction == ()
    assert MEASURES_TITLE in {c.source.title for s in draft.sections for c in s.clauses}


def test_the_json_draft_lists_other_places_apart(index):
    record = draft_from_text(index, PROPOSAL, as_body="福田区工业和信息化局", date="2024-06-30").to_json()
    assert record["jurisdiction"] == ["福田区", "深圳市", "广东省"]
    first = record["sections"][0]
    assert {c["source"]["title"] for c in first["other_regions"]} == {MEASURES_TITLE}
    assert MEASURES_TITLE not in {c["source"]["title"] for c in first["clauses"]}


def test_a_city_bodys_districts_are_grounds_not_other_places(index):
    # 龙岗区 is a district of 深圳: answering as a 深圳 body, its measures were labelled 其他地区参考
    draft = draft_from_text(index, PROPOSAL, as_body="深圳市工业和信息化局", date="2024-06-30")
    assert draft.jurisdiction == ("深圳市", "广东省")
    assert MEASURES_TITLE in {c.source.title for s in draft.sections for c in s.clauses}
    assert not [c for s in draft.sections for c in s.other_regions]
    assert "【其他地区参考" not in render_markdown(draft)


@pytest.mark.parametrize("place, chain", [
    ("龙岗区", ["龙岗区", "深圳市", "广东省"]),
    ("昆山市", ["昆山市", "苏州市", "江苏省"]),  # a county-level city
    ("和安县", ["和安县", "和田地区", "新疆维吾尔自治区"]),  # set up in December 2024
    ("济源市", ["济源市", "河南省"]),  # a city right under its province
    ("海淀区", ["海淀区", "北京市"]),
])
def test_districts_and_counties_from_the_administrative_divisions(place, chain):
    assert Divisions().chain([place]) == chain


def test_places_within_places():
    places = Divisions().learn(["关于深圳市福田区政协第六届第三次会议提案", "北京市海淀区人民政府"])
    assert places.chain(["福田区"]) == ["福田区", "深圳市", "广东省"]
    assert places.chain(["北京市", "海淀区"]) == ["海淀区", "北京市"]
    assert places.chain(["南山区"]) == ["南山区"]  # of 深圳市 and of 鹤岗市: no text places it
    assert Divisions().learn(["深圳市南山区人民政府"]).chain(["南山区"]) == ["南山区", "深圳市", "广东省"]
    assert Jurisdiction.of("市工业和信息化局", places, "深圳市政协六届六次会议").places == ("深圳市", "广东省")
    futian = Jurisdiction.of("福田区工业和信息化局", places)
    assert futian.covers("广东省促进中小企业发展条例", None)
    assert futian.covers("中华人民共和国中小企业促进法", None)
    assert not futian.covers("广州市促进时尚产业发展若干措施", "广州市工业和信息化局")
    assert not futian.covers("关于印发某措施的通知", "深圳市南山区人民政府")


@pytest.mark.parametrize("title, issuer, place", [
    ("深圳市时尚产业高质量发展行动计划", "深圳市工业和信息化局", "深圳市"),
    (MEASURES_TITLE, "龙岗区工业和信息化局", "龙岗区"),
    ("关于印发某办法的通知", "广州市天河区人民政府", "天河区"),
    ("广东省促进中小企业发展条例", None, "广东省"),
    ("海绵城市建设管理办法", None, None),  # 海绵城市 is no city
    ("社区矫正法实施办法", None, None),
    ("市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函", None, None),
])
def test_where_a_text_governs(title, issuer, place):
    assert text_place(title, issuer) == place


def test_a_district_opening_a_title_alone_is_read_from_its_issuer():
    assert leading_places("示范区建设方案") == []
    assert leading_places("开发区管理委员会") == []
    assert leading_places("浦东新区人民政府") == ["浦东新区"]
