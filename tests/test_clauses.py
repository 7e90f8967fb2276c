"""Clause labels and nesting, on real numbering including its slips."""
from __future__ import annotations

import pytest

from corpus.clauses import parse_clauses


def paths(text: str) -> list[str]:
    return [c.path for c in parse_clauses(text)]


@pytest.mark.parametrize("line, label", [
    ("一、发展目标", "一"),
    ("（一）创新协同化。坚持创新驱动发展战略", "(一)"),
    ("(四) 实施知识产权保护与激励工程。", "(四)"),
    ("1. 加快推进技术创新。支持企业建立以研发机构为核心载体的技术创新体系", "1"),
    ("11.加大财政资金支持。充分发挥财政资金的激励和引导作用", "11"),
    ("1、 工作开展情况", "1"),
    ("（2） 强化创意能力建设打造特色品牌", "(2)"),
    ("第一章 总则", "第一章"),
    ("第二节 监督管理", "第二节"),
    ("第一千二百六十条 本法自2021年1月1日起施行。", "第一千二百六十条"),
    ("## 第一章  总   则", "第一章"),
    ("## 一、关于管辖区域调整", "一"),
    ("①申请表", "①"),
])
def test_heading_label(line: str, label: str) -> None:
    assert [c.label for c in parse_clauses(line)] == [label]


@pytest.mark.parametrize("line", [
    "2020年4月，经市政府同意，市商务局已向广东省、商务部上报申请。",
    "1000万元以上的项目，按照实际投资额的20%进行资助。",
    "1、2月份全市工业增加值增长5%。",
    "3.5亿元用于支持产业发展。",
    "一是加快产业聚集区升级。",
    "一、二季度完成招标。",
    "第十二条规定的情形，依照前款处理。",
    "（联系人：彭常斐，电话：88101020）",
    "2023.5.1 发布",
])
def test_not_a_heading(line: str) -> None:
    assert parse_clauses(line) == []


def test_nesting_of_an_action_plan() -> None:
    text = "一、发展目标\n到2022年…\n二、基本原则\n（一）创新协同化。\n三、主要任务\n（一）实施创新能力提升工程。\n" \
           "1. 加快推进技术创新。\n2. 加大技术改造力度。\n（二）实施工业设计提升工程。\n4. 提升工业设计创新与应用水平。"
    assert paths(text) == ["一", "二", "二/(一)", "三", "三/(一)", "三/(一)/1", "三/(一)/2", "三/(二)", "三/(二)/4"]


def test_slips_of_numbering_nest_as_a_reader_would() -> None:
    text = "1、 工作开展情况\n（一）加快培育\n（2） 强化创意能力建设\n（三）深化校企引育时尚人才。\n二、下一步工作\n（一）持续性做好规划"
    assert paths(text) == ["1", "1/(一)", "1/(2)", "1/(三)", "二", "二/(一)"]


def test_numbering_carried_across_subsections_stays_nested() -> None:
    text = "三、重点工作\n（一）推动产业集聚成势\n1、打造集聚地。\n3、鼓励头部企业。\n（二）支持企业提质增效\n4、支持技术改造。"
    assert paths(text) == ["三", "三/(一)", "三/(一)/1", "三/(一)/3", "三/(二)", "三/(二)/4"]


def test_notice_wrapping_measures_restarts_at_the_top() -> None:
    text = "一、请各区抓好落实。\n二、请及时反馈。\n广州市人民政府办公厅\n2023年5月12日\n若干措施\n一、支持企业做大做强\n（一）对企业给予奖励。"
    assert paths(text) == ["一", "二", "一", "一/(一)"]


def test_articles_under_chapters_and_items_under_articles() -> None:
    text = "## 第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 申请应当提交下列材料：\n（一）申请表；\n（二）营业执照。\n" \
           "## 第二章 附则\n第三条 本办法自2024年1月1日起施行。"
    assert paths(text) == ["第一章", "第一章/第一条", "第一章/第二条", "第一章/第二条/(一)", "第一章/第二条/(二)",
                           "第二章", "第二章/第三条"]


def test_clause_text_and_title() -> None:
    clause = parse_clauses("（一）政策引导，构建数智时尚公共服务体系\n我区积极推动商协会加快数字化转型。\n（二）空间打造")[0]
    assert clause.title == "政策引导，构建数智时尚公共服务体系"
    assert clause.text == "（一）政策引导，构建数智时尚公共服务体系\n我区积极推动商协会加快数字化转型。"


def test_attachment_list_is_not_numbered_clauses() -> None:
    text = "一、工作要求\n请认真贯彻执行。\n附件：1.深圳市XX管理办法\n2.深圳市XX实施细则"
    assert paths(text) == ["一"]
