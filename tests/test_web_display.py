"""What the page and the JSON API show of a document: its period of validity with the day it
ends, sources relative to what was ingested, and no validity for a reply, which has none.

Over an index of the five bundled samples ingested as a folder given by its absolute path (as
a server's administrator would), and of tests/data's table of replies to citizens' messages.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from conftest import wsgi_request
from corpus import sample_dir
from indexer.build import ingest
from search.web.app import make_app

PLAN = "4829501b0167b488"  # 深圳市时尚产业高质量发展行动计划（2020—2024年）: 2020-03-10, 有效期5年
MEASURES = "b392f55c731a7138"  # 龙岗区…若干措施: 自2024-01-05起施行, 有效期3年


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    index_dir = tmp_path_factory.mktemp("display") / "ix"
    assert not ingest([str(sample_dir().resolve())], index_dir, engine="jieba").errors
    return make_app(index_dir)


def get(app, path: str, query: dict[str, Any] | None = None) -> tuple[int, str]:
    status, _headers, body = wsgi_request(app, path, urlencode(query or {}))
    return int(status.split()[0]), body.decode("utf-8")


def metadata(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {row.th.get_text(strip=True): row.td.get_text(" ", strip=True) for row in soup.select("table.metadata tr")}


def test_document_page_shows_the_last_day_of_validity(app):
    status, html = get(app, f"/doc/{PLAN}")
    assert status == 200
    assert metadata(html)["有效期"] == "5 年，至 2025-03-09"
    assert metadata(get(app, f"/doc/{MEASURES}")[1])["有效期"] == "3 年，至 2027-01-04"


def test_api_document_gives_the_last_day_of_validity(app):
    status, body = get(app, f"/api/doc/{PLAN}")
    record = json.loads(body)
    assert (record["valid_years"], record["valid_until"]) == (5, "2025-03-09")


PLAN_FILE = "002_ba63796111550f13.txt"
DRAFT_BODY = {"text": "关于发展时尚产业的提案\n建议：一是建设时尚产业公共服务平台。二是支持企业技术改造。",
              "as": "深圳市工业和信息化局", "date": "2024-06-30"}


def post_json(app, path: str, body: dict[str, str]) -> tuple[int, str]:
    status, _headers, out = wsgi_request(app, path, "", "POST", json.dumps(body).encode("utf-8"), "application/json")
    return int(status.split()[0]), out.decode("utf-8")


def test_the_api_never_shows_the_servers_folders(app):
    """The samples were ingested by their absolute path: no answer of the API names it."""
    folder = str(sample_dir().resolve())
    answers = [
        get(app, "/api/search", {"q": "时尚产业", "limit": "10"}),
        get(app, "/api/search", {"q": "时尚产业", "clauses": "1"}),
        get(app, f"/api/doc/{PLAN}"),
        get(app, f"/api/doc/{MEASURES}"),
        post_json(app, "/api/similar", {"text": DRAFT_BODY["text"]}),
        post_json(app, "/api/draft", DRAFT_BODY),
        get(app, f"/doc/{PLAN}"),
    ]
    for status, body in answers:
        assert status == 200
        assert folder not in body and folder.replace("/", "\\\\/") not in body


def test_api_sources_are_relative_to_the_folder_ingested(app):
    hits = json.loads(get(app, "/api/search", {"q": "时尚产业 类型:行动计划"})[1])["hits"]
    assert hits[0]["id"] == PLAN and hits[0]["source"] == PLAN_FILE
    record = json.loads(get(app, f"/api/doc/{PLAN}")[1])
    assert record["source"] == PLAN_FILE
    assert all("/" not in c["source"] for c in record["cited_by"])
    draft = json.loads(post_json(app, "/api/draft", DRAFT_BODY)[1])
    sources = [ln["source"]["source"] for ln in draft["lines"] if "source" in ln]
    assert sources and all(not s.startswith("/") for s in sources) and PLAN_FILE in sources
    assert metadata(get(app, f"/doc/{PLAN}")[1])["来源文件"] == PLAN_FILE


def test_a_file_in_a_subfolder_shows_its_path_inside_the_folder_a_table_row_its_row(tmp_path):
    docs = tmp_path / "docs"
    (docs / "2023").mkdir(parents=True)
    plan = next(sample_dir().glob("002_*.txt"))
    (docs / "2023" / "plan.txt").write_text(plan.read_text(encoding="utf-8"), encoding="utf-8")
    table = Path(__file__).parent / "data" / "replies.csv"
    assert not ingest([str(docs), str(table)], tmp_path / "ix", engine="jieba",
                      columns="id=留言编号,title=留言主题,body=答复意见,date=答复时间").errors
    app = make_app(tmp_path / "ix")
    sources = {h["title"]: h["source"] for h in json.loads(get(app, "/api/search", {"q": "时尚产业"})[1])["hits"]}
    assert sources["深圳市时尚产业高质量发展行动计划（2020—2024年）"] == "2023/plan.txt"
    assert sources["时尚产业补贴"] == "replies.csv#A002"


def test_the_cli_keeps_the_path_as_given(app, tmp_path):
    from click.testing import CliRunner

    from cli import main

    index_dir = tmp_path / "ix"
    folder = str(sample_dir().resolve())
    assert not ingest([folder], index_dir, engine="jieba").errors
    result = CliRunner().invoke(main, ["search", "时尚产业 类型:行动计划", "--json", "--index", str(index_dir)])
    assert json.loads(result.output.splitlines()[0])["source"] == f"{folder}/{PLAN_FILE}"


@pytest.mark.parametrize("display, shown", [
    ({"source": "/srv/data/政策/002.txt", "relative": "政策/002.txt"}, "政策/002.txt"),
    ({"source": "/srv/data/政策/002.txt"}, "002.txt"),  # an index made before: the file name alone
    ({"source": "/srv/data/replies.csv#7"}, "replies.csv#7"),
    ({"source": "C:\\data\\002.txt"}, "002.txt"),
])
def test_what_is_shown_of_a_source(display, shown):
    from search.results import shown_source

    assert shown_source(display) == shown


def test_document_page_lists_money_granted_first_and_labels_the_other_amounts(app):
    """The measures' 金额 table: the caps and grants first, then the thresholds, the target …,
    each row named by its kind (营业收入超500亿元的企业 is a 门槛, 达到100亿元 a 目标)."""
    soup = BeautifulSoup(get(app, f"/doc/{MEASURES}")[1], "html.parser")
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("section.amounts tbody tr")]
    kinds = [row[3] for row in rows]
    support = {"资助上限", "资助"}
    assert kinds[0] in support and kinds.index("门槛") > max(i for i, k in enumerate(kinds) if k in support)
    assert ["达到100亿元", "目标"] == [rows[kinds.index("目标")][1], "目标"]
    assert {row[1]: row[3] for row in rows}["超500亿元"] == "门槛"


def test_a_hit_dated_by_its_effective_date_says_so(app):
    """The measures state no date of their own: their hit shows 2024-01-05 marked 施行, in JSON
    ``date_basis: effective``."""
    soup = BeautifulSoup(get(app, "/", {"q": "时尚产业 年份:2024"})[1], "html.parser")
    assert soup.select_one("article.hit .date").get_text(" ", strip=True) == "2024-01-05 施行"
    hits = json.loads(get(app, "/api/search", {"q": "时尚产业", "sort": "date"})[1])["hits"]
    assert (hits[0]["id"], hits[0]["date"], hits[0]["date_basis"]) == (MEASURES, "2024-01-05", "effective")


def test_api_clause_hits_of_an_amount_query_show_the_amounts_compared_with_their_kind(app):
    hits = json.loads(get(app, "/api/search", {"q": "金额:>=500万", "clauses": "1"})[1])["hits"]
    assert hits and all(a["kind"] in ("cap", "grant") and a["yuan"] >= 5_000_000 for h in hits for a in h["amounts"])
    assert all(h["amounts"][0]["text"] in h["snippet"].replace("【", "").replace("】", "") for h in hits)
    floors = json.loads(get(app, "/api/search", {"q": "金额类型:门槛 金额:>=1亿", "clauses": "1"})[1])["hits"]
    assert {a["kind"] for h in floors for a in h["amounts"]} == {"floor"}
