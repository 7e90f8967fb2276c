"""The letter states what the parser understood of the proposal it answers: its title (not the
案由 sentence), its proposers and number — also where the text given is an earlier reply that
names them — and its suggestions' headlines quoted in the genre's punctuation."""
from __future__ import annotations

import pytest

from conftest import samples_index
from corpus import sample_dir
from search.drafting.compose import draft_from_text
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
