"""The letter states what the parser understood of the proposal it answers: its title (not the
案由 sentence), its proposers and number — also where the text given is an earlier reply that
names them — and its suggestions' headlines quoted in the genre's punctuation."""
from __future__ import annotations

import pytest

from conftest import samples_index
from corpus import sample_dir
from search.drafting import draft_from_text
from search.engine import PolicyIndex

FASHION_DIGITAL = """关于支持福田区时尚企业数字化转型的提案
案由：福田区时尚企业数量多，但数字化水平不高，中小企业缺乏资金和人才。
建议：
一、设立时尚企业数字化转型专项资金，对企业技术改造给予资助。
二、构建“一核、一街、一圈”时尚产业发展格局，打造时尚消费街区。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    with PolicyIndex(samples_index(tmp_path_factory.mktemp("particulars"))) as ix:
        yield ix


def test_a_title_on_the_first_line_is_the_proposals_title_not_its_案由(index):
    draft = draft_from_text(index, FASHION_DIGITAL, as_body="福田区工业和信息化局", date="2024-06-30")
    assert draft.proposal.title == "关于支持福田区时尚企业数字化转型的提案"
    receipt = draft.head[2].text
    assert "提案《关于支持福田区时尚企业数字化转型的提案》（以下简称《提案》）收悉" in receipt
    assert "数字化水平不高" not in receipt


def test_quotes_inside_a_quoted_headline_become_single_quotes(index):
    draft = draft_from_text(index, FASHION_DIGITAL, as_body="福田区工业和信息化局", date="2024-06-30")
    assert draft.sections[1].heading == "二、关于“构建‘一核、一街、一圈’时尚产业发展格局，打造时尚消费街区”建议的答复"


def test_a_letter_about_the_proposal_gives_its_title_and_proposers(index):
    """Sample 003 is the reply to proposal 2023141: `parse` reads its title and five proposers
    from the reply's title and salutation, and so does the draft."""
    text = next(sample_dir().glob("003_*.txt")).read_text(encoding="utf-8")
    draft = draft_from_text(index, text, as_body="福田区商务局", date="2024-06-30")
    assert draft.proposal.title == "关于高质量推进福田建设世界级时尚消费核心区的建议"
    assert draft.proposal.proposers == ["张立勤", "赵志豪", "周璇", "宋舒怀", "林春浩"]
    assert draft.head[1].text == "尊敬的张立勤、赵志豪、周璇、宋舒怀、林春浩委员："
    assert draft.head[2].text.startswith(
        "深圳市福田区政协第六届第三次会议第2023141号提案《关于高质量推进福田建设世界级时尚消费核心区的建议》（以下简称《提案》）收悉。"
        "非常感谢你们对")
    assert not [gap for gap in draft.placeholders() if "提案人" in gap or "提案标题" in gap]


@pytest.mark.parametrize("written, salutation, you", [
    ("李明等", "尊敬的李明等委员：", "你们"),
    ("李明等3人", "尊敬的李明等委员：", "你们"),
    ("李明", "尊敬的李明委员：", "您"),
    ("李明、王强", "尊敬的李明、王强委员：", "你们"),
])
def test_a_proposer_named_with_others_keeps_the_等(index, written, salutation, you):
    text = f"关于加快时尚产业数字化转型的提案\n提案人：{written}\n建议：一是设立专项资金。二是建设公共服务平台。"
    draft = draft_from_text(index, text, as_body="深圳市工业和信息化局", date="2024-06-30")
    assert draft.proposal.proposers[0] == "李明"
    assert draft.head[1].text == salutation
    assert draft.head[2].text.split("非常感谢")[1].startswith(you)


def test_a_letter_to_several_named_with_others_keeps_the_等(index):
    text = ("关于对市政协六届三次会议第2023015号提案答复意见的函\n尊敬的李明等委员：\n"
            "你们提出的《关于发展夜间经济的提案》收悉。现答复如下：一、关于延长地铁运营时间。\n")
    draft = draft_from_text(index, text, date="2024-06-30")
    assert draft.head[1].text == "尊敬的李明等委员："


@pytest.mark.parametrize("title, field", [
    ("关于加快时尚产业数字化转型的提案", "时尚产业数字化转型"),
    ("关于推动直播电商与时尚产业融合发展的建议", "直播电商与时尚产业融合发展"),
    ("关于支持福田区时尚企业数字化转型的提案", "福田区时尚企业数字化转型"),
    # a title asking two things names no one field: the writer says which
    ("关于对标全球标杆城市提升深圳时尚消费的提案", "【待填写：相关工作领域】"),
    ("关于加快数字化转型，推动科技赋能时尚产业的建议", "【待填写：相关工作领域】"),
])
def test_the_field_thanked_for_is_the_titles_plain_topic(index, title, field):
    text = f"{title}\n提案人：李明\n建议：一是设立专项资金。二是建设公共服务平台。"
    draft = draft_from_text(index, text, as_body="深圳市工业和信息化局", date="2024-06-30")
    assert f"非常感谢您对{field}的关心与支持。" in draft.head[2].text
    assert draft.tail[0].text == f"再次感谢您对{field}的关心与支持！"
