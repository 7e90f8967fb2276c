"""Reading a new proposal or suggestion: title, number, session, proposers, kind, and its
suggestions split in each of the forms proposals use (numbered, 一是…二是…, sentences after 建议：)."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.proposals import parse_proposal, read_proposal, split_suggestions
from errors import UnreadableDocument

FASHION = """关于对标全球标杆城市提升深圳时尚消费的提案
提案号：20190892
会议：深圳市政协六届六次会议
提案人：朱舜华（市政协委员、深圳市服装行业协会会长）
联名人：李明、王芳

深圳提出建设全球标杆城市，时尚消费是城市竞争力的重要体现。目前我市时尚产业规模大而不强，时尚与科技融合不足。
为此，提出如下建议：
一、把提升消费列为全球标杆城市建设的重要维度考核。将时尚消费纳入全球标杆城市评价体系。
二、制定促进时尚与科技融合的行动计划。支持企业运用大数据、人工智能等新一代信息技术改造时尚产业。
三、聚焦深圳时尚产业的优势发展，按照全球标杆城市标准制定促进时尚产业发展行动计划。
"""


@pytest.mark.parametrize("text, title", [
    (FASHION, "关于对标全球标杆城市提升深圳时尚消费的提案"),
    ("《关于加快数字化转型，推动科技赋能时尚产业的建议》\n领衔代表：张昊\n建议：加快建设公共服务平台。",
     "关于加快数字化转型，推动科技赋能时尚产业的建议"),
    ("关于高质量推进福田建设世界级时尚消费\n核心区的建议\n提案人：张立勤\n一、加快培育时尚消费产业集群。\n二、强化创意能力建设。",
     "关于高质量推进福田建设世界级时尚消费核心区的建议"),
    ("案由：关于在华强北建设直播电商基地的提案\n提案人：刘洋\n建议：支持华强北打造直播基地。",
     "关于在华强北建设直播电商基地的提案"),
    ("近年来我区夜间消费增长较快。建议延长地铁运营时间。", None),
])
def test_title(text, title):
    assert parse_proposal(text).title == title


@pytest.mark.parametrize("text, number", [
    (FASHION, "20190892"),
    ("关于加快数字化转型的建议\n建议编号：JY20230126\n建议：加快转型。", "JY20230126"),
    ("关于时尚消费核心区的提案\n编号：第2023141号\n建议：打造时尚消费商圈。", "2023141"),
    ("市政协六届六次会议第20190892号提案《关于提升时尚消费的提案》\n建议：制定行动计划。", "20190892"),
    ("关于加快数字化转型的建议（JY20230126）\n建议：加快转型。", "JY20230126"),
    ("关于发展夜间经济的提案\n建议：延长地铁运营时间。", None),
])
def test_number(text, number):
    assert parse_proposal(text).number == number


@pytest.mark.parametrize("text, proposers, cosigners", [
    (FASHION, ["朱舜华"], ["李明", "王芳"]),
    ("关于时尚消费核心区的建议\n提案人：张立勤、赵志豪、周璇、宋舒怀、林春浩\n建议：打造时尚消费商圈。",
     ["张立勤", "赵志豪", "周璇", "宋舒怀", "林春浩"], []),
    ("关于加快数字化转型的建议\n领衔代表：张昊\n联名代表：李娜，陈刚\n建议：加快转型。", ["张昊"], ["李娜", "陈刚"]),
    ("关于发展夜间经济的提案\n建议：延长地铁运营时间。", [], []),
])
def test_proposers(text, proposers, cosigners):
    proposal = parse_proposal(text)
    assert (proposal.proposers, proposal.cosigners) == (proposers, cosigners)


@pytest.mark.parametrize("text, kind, session", [
    (FASHION, "提案", "深圳市政协六届六次会议"),
    # a CPPCC proposal may be titled 《关于…的建议》: the meeting decides
    ("关于深圳市福田区政协第六届第三次会议提案《关于高质量推进福田建设世界级时尚消费核心区的建议》\n建议：打造商圈。",
     "提案", "深圳市福田区政协第六届第三次会议"),
    ("深圳市福田区第八届人民代表大会第三次会议\n关于加快数字化转型的建议\n建议：加快转型。",
     "建议", "深圳市福田区第八届人民代表大会第三次会议"),
    ("关于加快数字化转型的建议\n建议编号：JY20230126\n建议：加快转型。", "建议", None),
    ("关于加快数字化转型的建议\n领衔代表：张昊\n建议：加快转型。", "建议", None),
    ("关于发展夜间经济的提案\n建议：延长地铁运营时间。", "提案", None),
])
def test_kind_and_session(text, kind, session):
    proposal = parse_proposal(text)
    assert (proposal.kind, proposal.session) == (kind, session)


@pytest.mark.parametrize("body, form, labels, headlines", [
    # numbered 一、 after a cue phrase
    (FASHION.split("\n", 5)[5], "numbered", ["一", "二", "三"],
     ["把提升消费列为全球标杆城市建设的重要维度考核", "制定促进时尚与科技融合的行动计划",
      "聚焦深圳时尚产业的优势发展，按照全球标杆城市标准制定促进时尚产业发展行动计划"]),
    # the argument is numbered too; only the section announced as 对策建议 holds suggestions
    ("一、存在的问题\n（一）公共服务平台不足。\n（二）数字化人才缺乏。\n二、对策建议\n"
     "（一）建设时尚产业公共服务平台。对商协会建设的平台给予资助。\n（二）加快引进数字化人才。\n（三）培育直播电商基地。",
     "numbered", ["(一)", "(二)", "(三)"], ["建设时尚产业公共服务平台", "加快引进数字化人才", "培育直播电商基地"]),
    # numbers run together in one paragraph
    ("我区直播电商发展迅速，但缺少基地。建议：1.支持华强北打造直播基地；2.对头部主播引进给予奖励；3.开展直播人才培训。",
     "numbered", ["1", "2", "3"], ["支持华强北打造直播基地", "对头部主播引进给予奖励", "开展直播人才培训"]),
    # Arabic numbers on their own lines, with dates and amounts inside that are not items
    ("具体建议如下：\n1. 设立时尚产业发展基金，规模不低于10亿元。\n2. 2024年起每年举办深圳时装周。\n3. 建设时尚消费街区。",
     "numbered", ["1", "2", "3"], ["设立时尚产业发展基金，规模不低于10亿元", "2024年起每年举办深圳时装周", "建设时尚消费街区"]),
    # 一是…二是…
    ("为推动夜间经济发展，建议：一是延长地铁运营时间至凌晨一点；二是开放机关单位停车场；三是打造夜间消费街区。",
     "enumerated", ["一是", "二是", "三是"], ["延长地铁运营时间至凌晨一点", "开放机关单位停车场", "打造夜间消费街区"]),
    # plain sentences after 建议：
    ("福田区商圈停车难。建议：开放周边机关单位停车场。推广错时共享停车。加强违停执法。",
     "sentences", [None, None, None], ["开放周边机关单位停车场", "推广错时共享停车", "加强违停执法"]),
    # nothing announced and nothing numbered: the whole text is one suggestion
    ("希望政府加大对时尚产业的支持力度。", "whole", [None], ["政府加大对时尚产业的支持力度"]),
])
def test_suggestion_splitting(body, form, labels, headlines):
    got_form, suggestions = split_suggestions(body)
    assert got_form == form
    assert [s.label for s in suggestions] == labels
    assert [s.headline for s in suggestions] == headlines


def test_a_suggestion_keeps_its_whole_text():
    second = parse_proposal(FASHION).suggestions[1]
    assert second.text == "制定促进时尚与科技融合的行动计划。支持企业运用大数据、人工智能等新一代信息技术改造时尚产业。"


def test_labelled_particulars_are_not_suggestions():
    proposal = parse_proposal(FASHION)
    assert all("朱舜华" not in s.text and "20190892" not in s.text for s in proposal.suggestions)


def test_read_proposal_from_word(tmp_path: Path):
    from docx import Document

    document = Document()
    for line in FASHION.strip().split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "提案.docx"
    document.save(path)
    proposal = parse_proposal(read_proposal(str(path)))
    assert proposal.title == "关于对标全球标杆城市提升深圳时尚消费的提案"
    assert [s.label for s in proposal.suggestions] == ["一", "二", "三"]


def test_read_proposal_refuses_a_table(tmp_path: Path):
    path = tmp_path / "rows.csv"
    path.write_text("编号,正文\n1,建议一\n2,建议二\n", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="a proposal is one document"):
        read_proposal(str(path))
