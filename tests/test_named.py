"""Titles named in a query (search.named) and the clauses they put first."""
from __future__ import annotations

import pytest

from conftest import index_of_texts
from search.engine import PolicyIndex
from search.named import TitleNames

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
