"""Snippets: the best sentences of a text for the query terms, cut at Chinese sentence bounds,
with matches marked 【like this】 so that expected output reads as the user sees it."""
from __future__ import annotations

import random

import pytest

from search.highlight import _SENTENCE, LONG_TEXT, _sentences, make_snippet

MEASURE = "一、总体要求。为加快推动我市时尚产业高质量发展，制定本措施；二、支持品牌建设！三、其他事项？"


def marked(text: str, terms: list[str], **kwargs) -> str:
    return make_snippet(text, terms, **kwargs).marked()


def test_a_short_text_is_shown_whole_with_its_matches_marked():
    assert marked(MEASURE, ["时尚产业"]) == (
        "一、总体要求。为加快推动我市【时尚产业】高质量发展，制定本措施；二、支持品牌建设！三、其他事项？"
    )


@pytest.mark.parametrize(
    "terms, expected",
    [
        (["总体要求"], "一、【总体要求】。为加快推动我市时尚产业高质量发展，制定本措施；…"),
        (["时尚产业"], "…为加快推动我市【时尚产业】高质量发展，制定本措施；…"),
        (["品牌"], "…二、支持【品牌】建设！三、其他事项？"),
        (["其他事项"], "…二、支持品牌建设！三、【其他事项】？"),
    ],
)
def test_the_window_is_cut_at_sentence_bounds(terms, expected):
    # 。；！？ end sentences; the window grows from the best sentence (forward first) while it
    # is shorter than 60% of max_chars and the next sentence still fits
    assert marked(MEASURE, terms, max_chars=30) == expected


def test_the_sentence_with_the_most_terms_wins():
    text = "支持时尚品牌发展。支持建设时尚设计公共服务平台。支持直播电商。"
    assert marked(text, ["时尚", "公共服务平台"], max_chars=20) == "…支持建设【时尚】设计【公共服务平台】。…"


def test_weights_decide_between_sentences():
    text = "支持时尚品牌发展。鼓励企业数字化转型。"
    weights = {"时尚": 1.0, "数字化转型": 5.0}
    assert marked(text, ["时尚", "数字化转型"], weights=weights, max_chars=10) == "…鼓励企业【数字化转型】。"


def test_a_long_sentence_is_cut_around_its_first_match():
    text = "甲" * 100 + "时尚产业" + "乙" * 100 + "。"
    assert marked(text, ["时尚产业"], max_chars=20) == "…甲甲甲甲甲甲【时尚产业】乙乙乙乙乙乙乙乙乙乙…"


def test_line_breaks_become_spaces_and_bound_the_window():
    text = "第一行\n支持时尚产业\n第三行"
    assert marked(text, ["时尚产业"]) == "第一行 支持【时尚产业】 第三行"
    # a window that starts or ends at a line break gets no ellipsis there
    assert marked("甲" * 200 + "\n支持时尚产业。\n" + "乙" * 200, ["时尚产业"], max_chars=10) == "支持【时尚产业】。"


def test_an_ellipsis_shows_where_the_paragraph_goes_on():
    text = "背景介绍。" * 10 + "这里支持时尚产业发展。" + "其他说明。" * 10
    assert marked(text, ["时尚产业"], max_chars=20) == "…这里支持【时尚产业】发展。其他说明。…"
    text = "第一段。\n\n支持时尚产业。第二句话很长很长很长。"
    assert marked(text, ["时尚产业"], max_chars=8) == "支持【时尚产业】。…"


def test_the_longest_term_is_marked_first_and_overlaps_merge():
    assert marked("时尚产业和时尚", ["时尚", "时尚产业"]) == "【时尚产业】和【时尚】"
    assert marked("建设公共服务平台", ["公共", "服务", "平台"]) == "建设【公共服务平台】"


def test_full_width_and_upper_case_text_matches_folded_terms():
    assert marked("支持ＡＩ与５Ｇ产业，发展AI芯片", ["ai", "5g"]) == "支持【ＡＩ】与【５Ｇ】产业，发展【AI】芯片"


def test_traditional_characters_are_marked_when_the_text_lacks_the_simplified_form():
    assert marked("推動時尚產業發展。", ["时尚产业"]) == "推動【時尚產業】發展。"
    # a text holding the term as typed is searched as it is (its other forms are not folded)
    assert marked("时尚产业与時尚產業。", ["时尚产业"]) == "【时尚产业】与時尚產業。"


def test_no_match_gives_the_opening_sentences():
    assert marked("没有匹配的句子。另一句。", ["时尚"]) == "没有匹配的句子。另一句。"


def test_empty_text():
    snippet = make_snippet("", ["时尚"])
    assert (snippet.text, snippet.spans, snippet.marked()) == ("", (), "")


def test_other_marks_and_segments():
    snippet = make_snippet("支持时尚产业发展", ["时尚产业"])
    assert snippet.marked("<b>", "</b>") == "支持<b>时尚产业</b>发展"
    assert snippet.segments() == [("支持", False), ("时尚产业", True), ("发展", False)]


def test_long_texts_are_split_into_the_sentences_of_the_regular_expression():
    rng = random.Random(7)
    pieces = ["", "。", "\n", "\n\n", "第一条　总则。\n\n第二条 适用范围；其他！？", "一。。二\n。三", "😀。"]
    texts = ["".join(rng.choice(pieces + list("甲乙。；;！!？?\n ")) for _ in range(LONG_TEXT)) for _ in range(50)]
    texts += ["甲" * LONG_TEXT, "甲" * LONG_TEXT + "。", "\n" * LONG_TEXT]
    for text in texts:
        expected = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]
        assert list(zip(*_sentences(text))) == expected
