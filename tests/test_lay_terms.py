"""Everyday words and the law's words for them (search.lay_terms)."""
from __future__ import annotations

from search.lay_terms import legal_terms


def test_everyday_words_bring_the_words_of_the_law_in_order():
    assert legal_terms("老板拖欠工资，我想辞职") == [
        "用人单位", "雇主", "拖欠劳动报酬", "拖欠农民工工资", "解除劳动合同", "提前三十日"]


def test_a_longer_everyday_phrase_is_read_as_one():
    assert legal_terms("驾照扣分") == ["累积记分", "记分"]  # not 驾照's 机动车驾驶证


def test_words_of_the_law_already_typed_are_not_added_again():
    assert legal_terms("驾照 机动车驾驶证") == []
    assert legal_terms("时尚产业 公共服务平台 资助") == []
