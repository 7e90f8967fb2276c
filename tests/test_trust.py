"""Nothing hidden, nothing miscounted: replies are never versions, copies in any format are one
hit listing every file, counts are of the hits shown, a text is never its own precedent, and
only texts with a period of force have a status.

One index holds it all (read the texts below: every expectation follows from them): the bundled
samples; the 若干措施 (sample 004) again as a GB18030 .txt with half-width commas and as a
.docx; a table of replies to citizens' messages, two of them on one subject (answered by a 镇
and a 县) and two saying only 网友您好，留言已收悉; and a 停车设施建设管理办法 of 深圳市交通运输局
in two versions (2019, 2023) beside one of the same title by another body.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus import sample_dir
from search.engine import PolicyIndex
from search.fields import FACET_FIELDS
from search.web.pages import filter_term
from tests.conftest import stand_in_model, wsgi_request, working_directory

MEASURES = "004_60ce16b299b7f552.txt"
MEASURES_FILES = {MEASURES, "若干措施-另存.txt", "若干措施.docx"}
REPLIES = [
    ["留言编号", "留言主题", "答复意见", "答复时间", "机关"],
    ["M1", "小区停车难问题", "网友您好，您反映的小区停车难问题，镇政府已协调增设临时停车泊位30个。", "2019-05-06", "白沙镇人民政府"],
    ["M2", "小区停车难问题", "网友您好，关于小区停车难，县交通运输局将在老旧小区周边新建公共停车场。", "2019-11-01", "青山县交通运输局"],
    ["M3", "咨询老年人乘车优惠", "网友您好，留言已收悉。", "2020-01-02", "青山县交通运输局"],
    ["M4", "路灯不亮影响夜间出行", "网友您好，留言已收悉。", "2020-01-03", "白沙镇人民政府"],
]
COLUMNS = "id=留言编号,title=留言主题,body=答复意见,date=答复时间,issuing_body=机关,doc_type=答复"


def parking_rule(issuer: str, date: str, cap: str, start: str) -> str:
    return (f"停车设施建设管理办法\n\n第一条 为加强停车设施建设管理，缓解停车难，制定本办法。\n"
            f"第二条 新建住宅小区应当按照标准配建停车位，每个公共停车场建设补贴最高不超过{cap}。\n"
            f"第三条 本办法自{start}起施行。\n\n{issuer}\n{date}\n")


TEXTS = {
    "停车办法2019.txt": parking_rule("深圳市交通运输局", "2019年2月1日", "50万元", "2019年3月1日"),
    "停车办法2023.txt": parking_rule("深圳市交通运输局", "2023年2月1日", "80万元", "2023年3月1日"),
    "罗湖停车办法.txt": parking_rule("罗湖区人民政府", "2021年6月1日", "20万元", "2021年7月1日"),
}


def measures_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))


@pytest.fixture(scope="module")
def trust_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The index (with stand-in vectors for every document, so hybrid mode is asked too)."""
    from indexer.build import ingest
    from indexer.embed import HashEmbedder

    folder = tmp_path_factory.mktemp("trust")
    docs = folder / "docs"
    docs.mkdir()
    for path in sample_dir().glob("*.txt"):
        shutil.copy(path, docs / path.name)
    measures = (sample_dir() / MEASURES).read_text(encoding="utf-8")
    (docs / "若干措施-另存.txt").write_bytes(measures.replace("，", ",").replace("\n", "\r\n").encode("gb18030"))
    measures_docx(measures, docs / "若干措施.docx")
    for name, text in TEXTS.items():
        (docs / name).write_text(text, encoding="utf-8")
    table = folder / "replies.csv"
    table.write_text("\n".join(",".join(row) for row in REPLIES) + "\n", encoding="utf-8")
    embedder = HashEmbedder()
    with working_directory(folder):
        report = ingest(["docs"], folder / "ix", engine="jieba", embedder=embedder, vectors="documents")
        assert not report.errors, report.errors
        report = ingest(["replies.csv"], folder / "ix", columns=COLUMNS, engine="jieba", embedder=embedder,
                        vectors="documents")
        assert not report.errors, report.errors
    with stand_in_model(embedder):
        yield folder / "ix"


@pytest.fixture(scope="module")
def index(trust_dir: Path) -> Iterator[PolicyIndex]:
    with PolicyIndex(trust_dir) as opened:
        yield opened


def name(source: str) -> str:
    return source.rsplit("/", 1)[-1]


def every_hit(index: PolicyIndex, query: str, size: int = 2, **options) -> list:
    """Every hit of ``query``, page by page of ``size``, until a page comes back empty."""
    found, offset = [], 0
    while True:
        page = index.search(query, limit=size, offset=offset, **options).hits
        if not page:
            return found
        found += page
        offset += size


# -- 1. replies are never versions ----------------------------------------------------------------
def test_two_replies_of_one_subject_are_two_precedents(index):
    hits = [h for h in index.search("小区停车难", limit=20, mode="lexical").hits if h.doc_type == "答复"]
    assert sorted(name(h.source) for h in hits) == ["replies.csv#M1", "replies.csv#M2"]
    for hit in hits:
        assert (hit.versions, hit.status) == ([], None)
        record = index.document(hit.id)
        assert (record["versions"], record["amended_by"], record["status"]) == ([], [], None)


def test_a_rule_of_one_title_and_issuer_has_versions_and_another_issuers_does_not(index):
    hits = index.search("停车设施建设管理办法", limit=20, as_of="2024-01-01").hits
    rules = {name(h.source): h for h in hits if h.doc_type == "办法"}
    assert sorted(rules) == ["停车办法2023.txt", "罗湖停车办法.txt"]  # the 2019 version folded into 2023's
    assert [(v.date, v.status) for v in rules["停车办法2023.txt"].versions] == [
        ("2023-02-01", "现行有效"), ("2019-02-01", "已被修改")]
    assert (rules["罗湖停车办法.txt"].versions, rules["罗湖停车办法.txt"].status) == ([], "现行有效")
    older = index.document("停车办法2019.txt", as_of="2024-01-01")
    assert older["status"] == "已被修改" and [a["id"] for a in older["amended_by"]] == [rules["停车办法2023.txt"].id]


# -- 2. copies in any format: one hit, every file listed, the same hit in every mode ----------------
@pytest.mark.parametrize("mode", ["lexical", "hybrid", "semantic"])
def test_one_text_in_three_formats_is_one_hit_listing_the_others(index, mode):
    hits = [h for h in index.search("时尚产业 若干措施", limit=20, mode=mode).hits if h.doc_type == "若干措施"]
    assert len(hits) == 1
    [hit] = hits
    assert name(hit.source) == MEASURES  # the first source: the same hit whatever the mode
    assert {name(hit.source), *map(name, hit.copies)} == MEASURES_FILES
    assert hit.to_json(relative=True)["copies"] == ["若干措施-另存.txt", "若干措施.docx"]  # inside the folder ingested


def test_show_and_the_api_list_the_copies_inside_the_folder_ingested(index, trust_dir):
    from search.web.app import make_app

    record = index.document(MEASURES)
    assert sorted(map(name, record["copies"])) == sorted(MEASURES_FILES - {MEASURES})
    app = make_app(trust_dir)
    _status, _headers, body = wsgi_request(app, f"/api/doc/{record['id']}")
    assert json.loads(body)["copies"] == ["若干措施-另存.txt", "若干措施.docx"]
    _status, _headers, body = wsgi_request(app, "/api/search", "q=%E8%8B%A5%E5%B9%B2%E6%8E%AA%E6%96%BD&mode=lexical")
    [measures] = [h for h in json.loads(body)["hits"] if h["doc_type"] == "若干措施"]
    assert measures["copies"] == ["若干措施-另存.txt", "若干措施.docx"]
    assert str(trust_dir.parent) not in body.decode("utf-8")


def test_replies_saying_the_same_words_to_different_messages_are_not_copies(index):
    hits = index.search("留言已收悉", limit=20, mode="lexical").hits
    assert sorted(name(h.source) for h in hits if h.doc_type == "答复") == ["replies.csv#M3", "replies.csv#M4"]
    assert all(h.copies == [] for h in hits)


# -- 3. counts of what is shown ----------------------------------------------------------------------
QUERIES = ["时尚产业", "停车", "时尚 若干措施", "补贴", "停车设施建设管理办法"]


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
@pytest.mark.parametrize("clauses", [False, True])
@pytest.mark.parametrize("query", QUERIES)
def test_the_total_is_what_the_pages_list_and_each_facet_what_it_filters_to(index, query, clauses, mode):
    options = dict(clauses=clauses, mode=mode, as_of="2024-01-01")
    results = index.search(query, limit=3, facets=True, **options)
    listed = every_hit(index, query, **options)
    assert results.total == len(listed) == len({(h.id, h.clause) for h in listed})
    for facet, counts in (results.facets or {}).items():
        for value, count in counts:  # the filter the page's facet link adds
            filtered = index.search(f"{query} {filter_term(FACET_FIELDS[facet], value)}", limit=1, **options)
            assert (facet, value, filtered.total) == (facet, value, count)


def test_the_cli_says_how_many_hits_it_lists(trust_dir):
    from tests.test_cli import run

    result = run("search", "时尚产业", "--index", str(trust_dir), "--mode", "lexical", "-n", "50")
    shown = [line for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert result.stderr.splitlines()[0] == f"{len(shown)} hits"


# -- 4. never its own precedent ------------------------------------------------------------------------
def test_like_leaves_out_the_document_and_its_copies(index):
    hits = index.similar_to(MEASURES, limit=20).hits
    assert not MEASURES_FILES & {name(h.source) for h in hits}
    assert not MEASURES_FILES & {name(c) for h in hits for c in h.copies}


def test_a_pasted_text_already_indexed_is_named_and_left_out(index):
    measures = (sample_dir() / MEASURES).read_text(encoding="utf-8")
    for clauses in (False, True):
        results = index.similar(measures.replace("，", ","), limit=20, clauses=clauses)
        assert [name(found["source"]) for found in results.already_indexed] == [MEASURES]
        assert not MEASURES_FILES & {name(h.source) for h in results.hits}
    assert index.similar("建议加快时尚产业数字化转型", limit=5).already_indexed == []


def test_similar_says_on_stderr_and_in_json_that_the_text_is_indexed(trust_dir):
    from tests.test_cli import run

    text = "小区停车难问题\n" + REPLIES[1][2]
    result = run("similar", "-", "--index", str(trust_dir), "--json", "--mode", "lexical", input=text)
    assert "this text is already indexed: 小区停车难问题 (replies.csv#M1" in result.stderr
    *hits, last = [json.loads(line) for line in result.stdout.splitlines()]
    assert [found["id"] for found in last["already_indexed"]] == [index_id(trust_dir, "replies.csv#M1")]
    assert "replies.csv#M1" not in [h["source"] for h in hits]
    assert "replies.csv#M2" in [h["source"] for h in hits]  # the other reply on the subject is a precedent


def index_id(trust_dir: Path, source: str) -> str:
    with PolicyIndex(trust_dir) as opened:
        return opened.document(source)["id"]


def test_the_precedents_page_says_the_text_is_indexed(trust_dir):
    from urllib.parse import urlencode

    from search.web.app import make_app

    app = make_app(trust_dir)
    body = urlencode({"text": "小区停车难问题\n" + REPLIES[1][2], "mode": "lexical"}).encode()
    _status, _headers, page = wsgi_request(app, "/similar", method="POST", body=body,
                                           content_type="application/x-www-form-urlencoded")
    html = page.decode("utf-8")
    assert "这份文件已在索引中" in html and "replies.csv#M1" in html
    _status, _headers, answer = wsgi_request(app, "/api/similar", "mode=lexical", method="POST",
                                             body=("小区停车难问题\n" + REPLIES[1][2]).encode(), content_type="text/plain")
    assert [found["source"] for found in json.loads(answer)["already_indexed"]] == ["replies.csv#M1"]


def test_a_draft_answering_an_indexed_reply_does_not_quote_it(index):
    from search.drafting.compose import draft_from_text

    reply = (sample_dir() / "000_e19b846f0357647c.txt").read_text(encoding="utf-8")
    draft = draft_from_text(index, reply, date="2024-06-30")
    own = index.document("000_e19b846f0357647c.txt")["id"]
    assert [found["id"] for found in draft.to_json()["already_indexed"]] == [own]
    quoted = {p.source.doc_id for s in draft.sections for p in s.passages}
    assert own not in quoted


# -- 5. status only for texts with a period of force ----------------------------------------------------
def test_a_reply_has_no_status_and_counts_as_not_applicable(index):
    results = index.search("停车", limit=50, facets=True, mode="lexical", as_of="2024-01-01")
    replies = [h for h in results.hits if h.doc_type == "答复"]
    assert replies and all(h.to_json()["status"] is None for h in replies)
    status = dict(results.facets["status"])
    assert status["不适用"] == len(replies)
    assert index.search("停车 状态:不适用", limit=50, mode="lexical").total == len(replies)
    assert not [h for h in index.search("停车 状态:现行有效", limit=50, mode="lexical").hits if h.doc_type == "答复"]


def test_precedents_are_found_whatever_their_status(index):
    hits = index.similar(REPLIES[2][2], limit=10, mode="lexical").hits
    assert "replies.csv#M1" in [name(h.source) for h in hits]  # a reply, with no status, is a precedent


@pytest.mark.parametrize("level", ["doc", "clause"])
def test_the_page_says_how_many_it_lists_across_its_pages(trust_dir, level):
    import re
    from urllib.parse import quote

    from search.web.app import make_app

    app = make_app(trust_dir)
    listed, said, page = 0, set(), 1
    while True:
        _status, _headers, body = wsgi_request(app, "/", f"q={quote('时尚产业')}&mode=lexical&level={level}&page={page}")
        html = body.decode("utf-8")
        found = re.search(r"找到 <strong>(\d+)</strong> 条", html)
        hits = html.count('<article class="hit">')
        if not found or not hits:
            break
        said.add(int(found[1]))
        listed += hits
        page += 1
    assert len(said) == 1 and said == {listed}


def test_rows_of_a_table_are_records_of_their_own_but_a_table_ingested_twice_is_copies(tmp_path):
    from indexer.build import ingest

    rows = "编号,答复意见,答复时间\nA1,网友您好，留言已收悉，已转相关部门处理。,2020-01-02\nA2,网友您好，留言已收悉，已转相关部门处理。,2020-01-02\n"
    (tmp_path / "replies.csv").write_text(rows, encoding="utf-8")
    (tmp_path / "replies-again.csv").write_text(rows, encoding="utf-8")
    with working_directory(tmp_path):
        assert not ingest(["replies.csv", "replies-again.csv"], tmp_path / "ix", engine="jieba",
                          columns="id=编号,body=答复意见,date=答复时间,doc_type=答复").errors
    with PolicyIndex(tmp_path / "ix") as opened:
        results = opened.search("留言已收悉", limit=10)
        assert results.total == len(results.hits) == 2
        assert sorted((name(h.source), h.copies) for h in results.hits) == [
            ("replies-again.csv#A1", ["replies.csv#A1"]), ("replies-again.csv#A2", ["replies.csv#A2"])]
