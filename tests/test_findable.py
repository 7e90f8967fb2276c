"""Things users type that plain segmentation would split apart: 文号, amounts, traditional
characters, full-width digits — each found as typed, in a real index."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ENGINES, working_directory
from indexer.analysis import composite_tokens, make_analyzer, search_terms, to_simplified
from indexer.build import ingest
from search.engine import PolicyIndex

DOCS = {
    "a.txt": "关于印发深府办〔2020〕4号文件的通知\n\n对企业给予最高500万元支持。",
    "b.txt": "关于落实深府办[2021]7号文件的通知\n\n对企业给予最高50万元支持，另给予3000元补贴。",
    "c.txt": "關於促進時尚產業高質量發展的若干措施\n\n支持時尚產業發展，給予獎勵。",
    "d.txt": "关于５Ｇ基站建设的通知\n\n加快５Ｇ网络覆盖。",
}


@pytest.fixture(scope="module", params=ENGINES)
def index(request, tmp_path_factory) -> PolicyIndex:
    folder = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    with working_directory(folder):
        ingest(["."], folder / "ix", engine=request.param)
    ix = PolicyIndex(folder / "ix")
    yield ix
    ix.close()


def top(index: PolicyIndex, query: str) -> str | None:
    found = index.search(query).hits
    return Path(found[0].source).name if found else None


@pytest.mark.parametrize("query, expected", [
    ("深府办〔2020〕4号", "a.txt"),
    ("深府办[2020]4号", "a.txt"),
    ("深府办（2021）7号", "b.txt"),
    ("500万元", "a.txt"),
    ("500万", "a.txt"),
    ("50万元", "b.txt"),
    ("3000元", "b.txt"),
    ("时尚产业", "c.txt"),
    ('"时尚产业"', "c.txt"),
    ("5G", "d.txt"),
])
def test_found_as_typed(index, query, expected):
    assert top(index, query) == expected


def test_the_original_text_is_what_is_shown(index):
    [hit] = index.search('"时尚产业" 若干措施').hits
    assert hit.title == "關於促進時尚產業高質量發展的若干措施"
    assert "【時尚產業】" in hit.snippet


def test_composite_tokens():
    assert [t for t, _, _ in composite_tokens("印发深府办［2020］4号，最高500万元，补贴3000元，共1.5亿")] == [
        "印发深府办〔2020〕4号", "发深府办〔2020〕4号", "深府办〔2020〕4号", "府办〔2020〕4号",
        "500万", "3000元", "1.5亿",
    ]


def test_traditional_folds_one_character_for_one():
    text = "關於時尚產業的補貼"
    assert to_simplified(text) == "关于时尚产业的补贴"
    assert len(to_simplified(text)) == len(text)


def test_amount_terms_of_a_query():
    assert "500万" in search_terms(make_analyzer("jieba"), "最高500万元")
