"""Citations in 《》: what counts, the 文号 that follows, and title folding."""
from __future__ import annotations

import pytest

from corpus.citations import find_citations, normalize_title


def titles(text: str, title: str = "", exclude: set[str] | None = None) -> list[tuple[str, str | None]]:
    return [(c.title, c.doc_number) for c in find_citations(text, title, exclude)]


def test_citation_with_its_doc_number() -> None:
    text = "以市府办名义印发《深圳市时尚产业高质量发展行动计划（2020-2024年）》（深府办〔2020〕4号），《行动计划》立足国内"
    assert titles(text) == [("深圳市时尚产业高质量发展行动计划（2020-2024年）", "深府办〔2020〕4号")]


def test_doc_number_with_square_brackets_is_normalised() -> None:
    text = "为贯彻落实《广东省促进中小企业发展条例》（粤府[2019]12号）"
    assert titles(text) == [("广东省促进中小企业发展条例", "粤府〔2019〕12号")]


def test_abbreviation_after_yixia_jiancheng_is_not_a_citation() -> None:
    text = "第20190892号提案《关于对标全球标杆城市提升深圳时尚消费的提案》（以下简称《提案》）收悉。积极与委员沟通《提案》内容"
    assert titles(text, exclude={"关于对标全球标杆城市提升深圳时尚消费的提案"}) == []


def test_unbalanced_bracket_is_closed() -> None:
    text = "认真落实《深圳市推进直播电商高质量发展行动方案（2023-2025年》工作部门"
    assert titles(text) == [("深圳市推进直播电商高质量发展行动方案（2023-2025年）", None)]


def test_title_broken_by_a_line_is_joined_and_repeats_are_merged() -> None:
    text = "落实《中华人民共和国\n工会法》。依照《中华人民共和国工会法》的规定"
    assert titles(text) == [("中华人民共和国工会法", None)]


def test_the_document_a_notice_issues_is_not_a_citation() -> None:
    title = "广州市人民政府办公厅关于印发广州市促进软件产业高质量发展若干措施的通知"
    text = "《广州市促进软件产业高质量发展若干措施》已经市人民政府同意，现印发给你们。为贯彻落实《国务院关于印发新时期促进集成电路产业和软件产业高质量发展若干政策的通知》（国发〔2020〕8号）"
    assert titles(text, title) == [("国务院关于印发新时期促进集成电路产业和软件产业高质量发展若干政策的通知", "国发〔2020〕8号")]


@pytest.mark.parametrize("raw, folded", [
    ("《深圳市时尚产业高质量发展行动计划（2020—2024年）》", "深圳市时尚产业高质量发展行动计划(2020-2024年)"),
    ("深圳市时尚产业高质量发展行动计划(2020-2024年)", "深圳市时尚产业高质量发展行动计划(2020-2024年)"),
    ("深圳市推进直播电商高质量发展行动方案（2023－2025年", "深圳市推进直播电商高质量发展行动方案(2023-2025年)"),
    ("中共中央 国务院关于支持深圳建设中国特色社会主义先行示范区的意见", "中共中央国务院关于支持深圳建设中国特色社会主义先行示范区的意见"),
    ("关于修改〈中华人民共和国保险法〉等五部法律的决定", "关于修改<中华人民共和国保险法>等五部法律的决定"),
    ("ＸＸ条例〔２０１９〕", "XX条例(2019)"),
])
def test_normalize_title(raw: str, folded: str) -> None:
    assert normalize_title(raw) == folded


def test_the_law_an_interpretation_applies_is_cited_by_it() -> None:
    # the title names the code it applies; the text's 《民法典》 is that code, not the text itself,
    # and its article's number runs into the thousands
    title = "最高人民法院关于适用《中华人民共和国民法典》继承编的解释（一）"
    text = f"# {title}\n\n第一条 依照《民法典》第一千一百二十七条的规定确定继承人。"
    [citation] = find_citations(text, title)
    assert (citation.title, citation.clause) == ("中华人民共和国民法典", "第一千一百二十七条")


def test_an_added_article_is_cited_with_its_suffix() -> None:
    [citation] = find_citations("依照《中华人民共和国刑法》第二百七十六条之一的规定", "")
    assert citation.clause == "第二百七十六条之一"


def test_a_text_s_own_short_title_is_no_citation() -> None:
    assert titles("《行动计划》立足国内", title="深圳市时尚产业高质量发展行动计划") == []


@pytest.mark.parametrize("text, repealed", [
    ("本条例自2021年1月1日起施行。《北京市预算监督条例》同时废止。", ["北京市预算监督条例"]),
    ("《中华人民共和国婚姻法》、《中华人民共和国继承法》同时废止。", ["中华人民共和国婚姻法", "中华人民共和国继承法"]),
    ("现决定废止《A市停车管理办法》、《A市道路条例》。", ["A市停车管理办法", "A市道路条例"]),
    ("《上海市房地产登记条例》自本规定施行之日起废止。", ["上海市房地产登记条例"]),
    ("《甲条例》废止后，依照《乙条例》执行。", []),  # a past event
    ("依照《中华人民共和国行政处罚法》的规定处罚。", []),
])
def test_a_repeal_is_read_within_its_sentence(text: str, repealed: list[str]) -> None:
    assert [c.title for c in find_citations(text, "某条例") if c.repeals] == repealed


def test_a_new_version_repealing_its_own_title_cites_it() -> None:
    text = "第八十条 本条例自2022年1月1日起施行。《河南省物业管理条例》同时废止。"
    assert [(c.title, c.repeals) for c in find_citations(text, "河南省物业管理条例")] == [("河南省物业管理条例", True)]
