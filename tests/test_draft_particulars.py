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
