"""What a draft says of the precedents it quotes: a policy they promote that has expired by the
draft's day is marked, with the text that took its place; a reply's numbered parts are cited as
a reader counts them (第一部分第二点), not as a policy's clause path; an unsigned letter is said to be
unsigned. Over the five bundled samples (the reply 000 included: it promotes the 2020–2024 plan,
valid until 2025-03-09) and a successor plan."""
from __future__ import annotations

import pytest

from conftest import samples_index
from search.drafting import draft_from_text, render_markdown
from search.engine import PolicyIndex
from test_draft import PLAN_TITLE, PROPOSAL

REPLY_000 = "市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函"
LETTER_003 = "关于深圳市福田区政协第六届第三次会议提案《关于高质量推进福田建设世界级时尚消费核心区的建议》第2023141号的主办意见"
SUCCESSOR_TITLE = "深圳市时尚产业高质量发展行动计划（2025—2027年）"
SUCCESSOR = f"""深圳市工业和信息化局

{SUCCESSOR_TITLE}

信息提供日期：2025-04-01 00:00 信息来源：深圳市工业和信息化局

一、发展目标
到2027年，时尚产业增加值稳步增长。
二、重点任务
（一）支持时尚与科技融合。对企业实施的创意设计、数字化转型等应用创新项目，按不超过项目实际投入30%给予支持，最高不超过300万元。
本行动计划自发布之日起实施，有效期3年。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    folder = tmp_path_factory.mktemp("precedents")
    ix = samples_index(folder, leave_out="none")
    with PolicyIndex(ix) as opened:
        yield opened


@pytest.fixture(scope="module")
def index_with_successor(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    from indexer.build import ingest
    from conftest import working_directory

    folder = tmp_path_factory.mktemp("successor")
    ix = samples_index(folder, leave_out="none")
    (folder / "docs" / "005_successor.txt").write_text(SUCCESSOR, encoding="utf-8")
    with working_directory(folder / "docs"):
        assert not ingest(["."], ix, engine="jieba").errors
    with PolicyIndex(ix) as opened:
        yield opened


def _passages(draft, title):
    return [p for s in draft.sections for p in s.passages if p.source.title == title]


def test_a_precedent_promoting_an_expired_plan_is_marked(index):
    draft = draft_from_text(index, PROPOSAL, as_body="深圳市工业和信息化局", date="2025-06-30")
    promoting = [p for p in _passages(draft, REPLY_000) if p.source.lapsed]
    assert promoting, "no passage of 000 is marked"
    lapsed = promoting[0].source.lapsed[0]
    assert (lapsed.title, lapsed.status, lapsed.since, lapsed.successor) == (PLAN_TITLE, "已失效", "2025-03-10", None)
    assert f"所引《{PLAN_TITLE}》已失效（2025-03-10起）" in promoting[0].source.label()
    assert f"所引《{PLAN_TITLE}》已失效（2025-03-10起）" in render_markdown(draft)
    marked = [p["source"]["lapsed"] for s in draft.to_json()["sections"] for p in s["passages"] if p["source"]["lapsed"]]
    assert marked[0] == [{"id": lapsed.doc_id, "title": PLAN_TITLE, "status": "已失效", "since": "2025-03-10",
                          "successor": None}]


def test_while_the_plan_is_in_force_nothing_is_marked(index):
    draft = draft_from_text(index, PROPOSAL, as_body="深圳市工业和信息化局", date="2024-06-30")
    assert _passages(draft, REPLY_000)
    assert not [p for s in draft.sections for p in s.passages if p.source.lapsed]


def test_the_expired_plans_successor_is_named(index_with_successor):
    draft = draft_from_text(index_with_successor, PROPOSAL, as_body="深圳市工业和信息化局", date="2025-06-30")
    lapsed = [lp for p in _passages(draft, REPLY_000) for lp in p.source.lapsed]
    assert lapsed and lapsed[0].successor["title"] == SUCCESSOR_TITLE
    assert f"所引《{PLAN_TITLE}》已失效（2025-03-10起），后继：《{SUCCESSOR_TITLE}》" in render_markdown(draft)


def test_a_replys_numbered_parts_are_points_not_clauses(index):
    draft = draft_from_text(index, PROPOSAL, as_body="深圳市工业和信息化局", date="2024-06-30")
    letters = [p.source for s in draft.sections for p in s.passages]
    assert letters and all(source.clause is None for source in letters)
    from_003 = [source for source in letters if source.title == LETTER_003 and source.anchor]
    assert from_003 and all(source.point and source.point.startswith("第") for source in from_003)
    assert "1/(" not in render_markdown(draft)
    assert any(source.anchor == "1/(一)" and source.point == "第一部分第一点" for source in from_003)


def test_an_unsigned_letter_is_said_to_be_unsigned(index):
    draft = draft_from_text(index, PROPOSAL, as_body="深圳市工业和信息化局", date="2024-06-30")
    source = next(p.source for s in draft.sections for p in s.passages if p.source.title == LETTER_003)
    assert source.date is None and "落款未署日期" in source.label() and "日期不详" not in source.label()
