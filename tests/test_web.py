"""The search page through its WSGI callable, HTML parsed with BeautifulSoup.

Over an index of the five bundled samples (see tests/test_search_features.py for what they
hold): 002 the 2020 action plan (深圳市工业和信息化局, 已失效), 004 Longgang's measures citing
the plan by title and 文号, 000 and 001 replies, 003 a reply with messy numbering.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

import cli
from conftest import working_directory, wsgi_request
from corpus import sample_dir
from indexer.build import ingest
from search.web.app import make_app, relative_sources, search_url
from search.web.pages import MAX_QUERY_CHARS, MAX_TEXT_CHARS, body_sections, clause_anchor, page_numbers

PLAN = "4829501b0167b488"
MEASURES = "b392f55c731a7138"
REPLY_2020 = "0f83e369c48702d2"
REPLY_2023 = "92e4460b9021828f"
PROPOSAL = "建议加快时尚产业数字化转型，支持商协会建设公共服务平台，培育直播电商基地。"


class Page:
    """One answer of the app: status, headers, text, and the parsed HTML."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.text = body.decode("utf-8")

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")

    def json(self) -> Any:
        return json.loads(self.text)


def call(app, path: str, query: dict[str, Any] | str | None = None, method: str = "GET",
         body: bytes = b"", content_type: str = "") -> Page:
    qs = query if isinstance(query, str) else urlencode(query or {})
    return Page(*wsgi_request(app, path, qs, method, body, content_type))


def post_form(app, path: str, fields: dict[str, str]) -> Page:
    return call(app, path, method="POST", body=urlencode(fields).encode("utf-8"),
                content_type="application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("web") / "ix"
    with working_directory(sample_dir()):
        ingest(["."], index_dir, engine="jieba")
    return index_dir


@pytest.fixture(scope="module")
def app(index_dir: Path):
    return make_app(index_dir)


def hit_titles(page: Page) -> list[str]:
    return [a.get_text(strip=True) for a in page.soup.select("article.hit h2 a")]


def hit_links(page: Page) -> list[str]:
    return [a["href"] for a in page.soup.select("article.hit h2 a")]


def facet(page: Page, name: str) -> dict[str, tuple[int, str]]:
    """value → (count, href) of one facet group of the sidebar."""
    out = {}
    for a in page.soup.select(f'section.facet[data-facet="{name}"] li a'):
        out[a.select_one(".value").get_text()] = (int(a.select_one(".count").get_text()), a["href"])
    return out


def query_of(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


# -- the search page -------------------------------------------------------------------------------
def test_search_shows_hits_with_marked_snippets_and_metadata(app):
    page = call(app, "/", {"q": "时尚产业 金额:>=500万"})
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert hit_links(page)[:2] == [f"/doc/{PLAN}", f"/doc/{MEASURES}"]
    first = page.soup.select_one("article.hit")
    assert first.select_one(".type").get_text() == "行动计划"
    assert first.select_one(".issuer").get_text() == "深圳市工业和信息化局"
    assert first.select_one(".date").get_text() == "2020-03-10"
    assert first.select_one(".status").get_text() == "已失效"
    assert "expired" in first.select_one(".status")["class"]
    assert "时尚产业" in [m.get_text() for m in first.select(".snippet mark")]
    assert page.soup.select_one('input[name="q"]')["value"] == "时尚产业 金额:>=500万"
    assert "找到" in page.soup.select_one(".summary").get_text()


def test_facets_count_hits_and_a_click_adds_the_filter(app):
    page = call(app, "/", {"q": "时尚产业"})
    issuers = facet(page, "issuer")
    assert issuers["深圳市工业和信息化局"][0] == 2
    assert issuers["龙岗区工业和信息化局"][0] == 1
    assert set(facet(page, "type")) == {"提案答复", "建议答复", "若干措施", "行动计划"}
    assert facet(page, "year")["2020"][0] == 2
    assert facet(page, "status")["已失效"][0] == 1
    href = issuers["龙岗区工业和信息化局"][1]
    assert query_of(href)["q"] == "时尚产业 机关:龙岗区工业和信息化局"
    filtered = call(app, "/", urlsplit(href).query)
    assert hit_links(filtered) == [f"/doc/{MEASURES}"]
    active = filtered.soup.select_one('section.facet[data-facet="issuer"] li.active a')
    assert query_of(active["href"])["q"] == "时尚产业"  # a second click removes it


@pytest.mark.parametrize("level", [{"level": "clause"}, {"mode": "clause"}])  # mode=clause: a link from before level
def test_clause_level_links_each_hit_to_its_clause_anchor(app, level):
    page = call(app, "/", {"q": "金额:>=500万 类型:行动计划", **level})
    links = sorted(hit_links(page))
    assert links == sorted(f"/doc/{PLAN}#{clause_anchor(p)}" for p in ("三/(一)/1", "三/(一)/3", "三/(六)/15"))
    assert "条款 三/(一)/1" in [a.get_text() for a in page.soup.select("article.hit a.clause")]
    assert page.soup.select_one('.switch[aria-label="结果单位"] .on').get_text() == "条款"
    assert page.soup.select_one('input[name="level"]')["value"] == "clause"
    assert page.soup.select_one('input[name="mode"]') is None
    assert query_of(page.soup.select_one('.switch[aria-label="排序"] a')["href"])["level"] == "clause"


def test_pagination_pages_through_clause_hits(app):
    first = call(app, "/", {"q": "时尚 产业", "level": "clause"})
    total = int(first.soup.select_one(".summary strong").get_text())
    assert total > 20
    pager = first.soup.select_one("nav.pager")
    assert pager.select_one(".current").get_text() == "1"
    assert pager.select_one('a[rel="prev"]') is None
    next_href = pager.select_one('a[rel="next"]')["href"]
    assert query_of(next_href) == {"q": "时尚 产业", "level": "clause", "page": "2"}
    second = call(app, "/", urlsplit(next_href).query)
    assert second.soup.select_one("nav.pager .current").get_text() == "2"
    assert second.soup.select_one('nav.pager a[rel="prev"]') is not None
    assert len(hit_links(first)) == len(hit_links(second)) == 10
    assert not set(hit_links(first)) & set(hit_links(second))


def test_sort_by_date_puts_the_newest_first(app):
    page = call(app, "/", {"q": "时尚产业", "sort": "date"})
    dates = [d.get_text() for d in page.soup.select("article.hit .date") if d.get_text() != "日期不详"]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2023-05-28"
    assert page.soup.select_one('.switch[aria-label="排序"] .on').get_text() == "日期"
    relevance = page.soup.select_one('.switch[aria-label="排序"] a')
    assert relevance.get_text() == "相关度" and "sort" not in query_of(relevance["href"])


def test_without_vectors_no_mode_is_offered_and_one_asked_for_is_ignored(app):
    plain = call(app, "/", {"q": "时尚产业"})
    assert plain.soup.select_one('.switch[aria-label="匹配方式"]') is None
    for mode in ("semantic", "lexical", "nonsense"):
        page = call(app, "/", {"q": "时尚产业", "mode": mode})
        assert page.status == 200 and hit_links(page) == hit_links(plain)
        assert page.soup.select_one('.switch[aria-label="匹配方式"]') is None
        assert page.soup.select_one('input[name="mode"]') is None
        assert not [a for a in page.soup.select("main a[href^='/?']") if "mode" in query_of(a["href"])]
    assert "匹配方式" not in call(app, "/help").text


def test_the_empty_query_browses_every_document_with_the_help_open(app):
    page = call(app, "/")
    assert page.status == 200
    assert len(hit_links(page)) == 5
    assert "全部文件" in page.soup.select_one(".summary").get_text()
    help_box = page.soup.select_one("details.help")
    assert help_box.has_attr("open")
    fields = [th.get_text() for th in help_box.select("table.fields tbody th")]
    assert fields == ["类型", "机关", "年份", "日期", "金额", "状态", "文号", "提案号", "会议", "提案人", "引用"]
    examples = [a.get_text() for a in help_box.select("table.fields a")]
    assert "金额:>=500万" in examples and "引用:深府办〔2020〕4号" in examples


def test_no_hits_says_so(app):
    page = call(app, "/", {"q": "\"量子计算机\""})
    assert page.status == 200
    assert hit_links(page) == []
    assert "没有找到" in page.soup.select_one(".summary").get_text()


# -- the document page -----------------------------------------------------------------------------
def test_document_page_has_metadata_outline_and_anchored_clauses(app):
    page = call(app, f"/doc/{PLAN}")
    assert page.status == 200
    soup = page.soup
    assert soup.select_one(".doc-head h1").get_text() == "深圳市时尚产业高质量发展行动计划（2020—2024年）"
    rows = {tr.th.get_text(): tr.td.get_text(" ", strip=True) for tr in soup.select("table.metadata tr")}
    assert rows["发文机关"] == "深圳市工业和信息化局"
    assert rows["成文日期"] == "2020-03-10"
    assert rows["有效期"] == "5 年，至 2025-03-09"
    assert rows["效力状态"] == "已失效"
    assert rows["来源文件"] == "002_ba63796111550f13.txt"  # the file name, never the folder
    outline = [a["href"] for a in soup.select("nav.outline a")]
    assert len(outline) == 37
    assert "#c-三-(一)-1" in outline
    ids = {el["id"] for el in soup.select("[id]")}
    assert {href[1:] for href in outline} <= ids  # every outline entry lands on its clause
    clause = soup.find(id="c-三-(一)-1")
    assert clause["data-path"] == "三/(一)/1"
    assert clause.get_text().strip().replace("§ 三/(一)/1", "").strip().startswith("1. 加快推进技术创新")
    assert "最高不超过800万元" in clause.get_text()
    amounts = soup.select("section.amounts tbody tr")
    assert amounts[0].select_one("a")["href"] == "#c-三-(一)-1"
    assert amounts[0].select_one(".num").get_text() == "8,000,000"


def test_document_page_links_what_cites_it_and_its_precedents(app):
    soup = call(app, f"/doc/{PLAN}").soup
    cited_by = [a["href"] for a in soup.select("section.cited-by a")]
    assert cited_by == [f"/doc/{REPLY_2020}", f"/doc/{MEASURES}"]
    similar = [a["href"] for a in soup.select("section.similar a")]
    assert similar and f"/doc/{PLAN}" not in similar


def test_document_page_links_resolved_citations(app):
    soup = call(app, f"/doc/{MEASURES}").soup
    items = soup.select("section.citations li")
    linked = [(li.a.get_text(), li.a["href"]) for li in items if li.a]
    assert linked == [("《深圳市时尚产业高质量发展行动计划（2020-2024年）》", f"/doc/{PLAN}")]
    unresolved = [li.get_text(" ", strip=True) for li in items if not li.a]
    assert any("投资合作框架协议" in text and "未收录" in text for text in unresolved)


def test_a_citation_of_a_clause_links_to_its_anchor():
    assert clause_anchor("三/(一)/1") == "c-三-(一)-1"
    assert clause_anchor("第三条") == "c-第三条"
    from search.web.app import doc_url
    assert doc_url(PLAN, "三/(一)/1") == f"/doc/{PLAN}#c-三-(一)-1"


def test_body_sections_anchor_clauses_even_when_one_is_not_found():
    body = "前言\n一、总则\n正文一\n二、措施\n正文二"
    sections = body_sections(body, [("一", "一、总则\n正文一"), ("X", "找不到的条款"), ("二", "二、措施\n正文二")],
                             {"一": "c-一", "X": "c-X", "二": "c-二"})
    assert [(s.anchors, s.paragraphs) for s in sections] == [
        ([], ["前言"]), (["c-一"], ["一、总则", "正文一"]), (["c-X", "c-二"], ["二、措施", "正文二"])]


def test_page_numbers_keep_first_last_and_a_window():
    assert page_numbers(1, 3) == [1, 2, 3]
    assert page_numbers(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]


# -- 找先例 ----------------------------------------------------------------------------------------
def test_precedents_page_lists_replies_and_clauses(app):
    form = call(app, "/similar")
    assert form.status == 200
    assert form.soup.select_one("form.precedent textarea[name=text]") is not None
    page = post_form(app, "/similar", {"text": PROPOSAL})
    assert page.status == 200
    documents = [a["href"] for a in page.soup.select("#documents article.hit h2 a")]
    clauses = [a["href"] for a in page.soup.select("#clauses article.hit h2 a")]
    assert documents[0] == f"/doc/{REPLY_2023}"
    assert clauses and all("#c-" in href for href in clauses)
    assert page.soup.select_one("textarea").get_text() == PROPOSAL


def test_precedents_without_vectors_offer_no_mode_and_one_sent_is_ignored(app):
    assert call(app, "/similar").soup.select_one('input[name="mode"]') is None
    plain = post_form(app, "/similar", {"text": PROPOSAL})
    for mode in ("semantic", "lexical", "nonsense"):
        page = post_form(app, "/similar", {"text": PROPOSAL, "mode": mode})
        assert page.status == 200 and "匹配方式" not in page.text
        assert page.soup.select_one('input[name="mode"]') is None
        assert [a["href"] for a in page.soup.select("article.hit h2 a")] == \
            [a["href"] for a in plain.soup.select("article.hit h2 a")]


# -- the JSON API: the shapes of the CLI's --json -------------------------------------------------
def cli_json(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli.main, list(args))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_api_search_equals_the_cli(app, index_dir):
    api = call(app, "/api/search", {"q": "时尚产业 金额:>=500万", "clauses": "1", "limit": "5", "facets": "1"}).json()
    lines = cli_json("search", "时尚产业 金额:>=500万", "--clauses", "-n", "5", "--facets", "--json",
                     "--index", str(index_dir))
    assert api["hits"] == lines[:-1]
    assert api["facets"] == lines[-1]["facets"]
    assert api["total"] >= len(api["hits"]) == 5
    assert api["query"] == "时尚产业 金额:>=500万"


def test_api_document_equals_the_cli(app, index_dir):
    api = call(app, f"/api/doc/{MEASURES}")
    assert api.headers["content-type"] == "application/json; charset=utf-8"
    # the same record, with each source inside the folder ingested (here the sources as given)
    assert api.json() == relative_sources(cli_json("show", MEASURES, "--json", "--index", str(index_dir))[0])


@pytest.mark.parametrize("how", ["raw", "form", "json"])
def test_api_similar_equals_the_cli(app, index_dir, how, tmp_path):
    if how == "raw":
        page = call(app, "/api/similar", {"limit": "3"}, "POST", PROPOSAL.encode(), "text/plain; charset=utf-8")
    elif how == "form":
        page = call(app, "/api/similar", {"limit": "3"}, "POST", urlencode({"text": PROPOSAL}).encode(),
                    "application/x-www-form-urlencoded")
    else:
        page = call(app, "/api/similar", {"limit": "3"}, "POST", json.dumps({"text": PROPOSAL}).encode(),
                    "application/json")
    (tmp_path / "p.txt").write_text(PROPOSAL, encoding="utf-8")
    assert page.json() == {"hits": cli_json("similar", str(tmp_path / "p.txt"), "-n", "3", "--json",
                                            "--index", str(index_dir)), "already_indexed": []}


def test_api_errors_are_json(app):
    bad = call(app, "/api/search", {"q": '"公共服务平台'})
    assert bad.status == 400
    assert "never closed" in bad.json()["error"]
    assert call(app, "/api/doc/ffffffffffffffff").json()["status"] == 404
    assert call(app, "/api/similar").status == 405
    assert call(app, "/api/similar", method="POST", body=b"[1]", content_type="application/json").status == 400


@pytest.mark.parametrize("path", ["/api/doc/nope", "/doc/nope"])
def test_a_malformed_document_id_is_named_with_what_an_id_looks_like(app, path):
    answer = call(app, path)
    assert answer.status == 404
    text = answer.json()["error"] if path.startswith("/api/") else answer.text
    assert "“nope”不是文件编号：文件编号是 16 位十六进制数字" in text


@pytest.mark.parametrize("body, content_type", [
    (b"", "text/plain"), (b"  \n ", "text/plain; charset=utf-8"), (b'{"text": " "}', "application/json"),
    (b"text=", "application/x-www-form-urlencoded"),
])
def test_api_similar_without_a_text_is_a_400_saying_what_to_send(app, body, content_type):
    answer = call(app, "/api/similar", method="POST", body=body, content_type=content_type)
    assert answer.status == 400
    assert answer.json()["error"].startswith('no text to compare: send {"text": "…"}')


# -- errors ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("query, problem", [
    ('"公共服务平台', "引号没有闭合"),
    ("foo:bar", "未知字段“foo”"),
    ("金额:很多", "“很多”不是金额"),
    ("-直播", "查询不能只有排除词"),
])
def test_a_malformed_query_is_a_friendly_400_page(app, query, problem):
    page = call(app, "/", {"q": query})
    assert page.status == 400
    assert page.soup.select_one(".error h1").get_text() == "查询语句有误"
    assert problem in page.soup.select_one(".error .problem").get_text()
    assert page.soup.select_one(".error .where").get_text() == query
    assert page.soup.select_one('input[name="q"]')["value"] == query  # ready to be corrected
    assert "Traceback" not in page.text and "File \"" not in page.text


@pytest.mark.parametrize("query", [
    '"公共服务平台', '时尚 ""', "OR 时尚", "时尚 OR 类型:通知", "时尚 OR -直播", "时尚 OR", "-直播", "foo:bar",
    "type:", "年份:>=", "-类型:通知", "类型:小说", "年份:去年", "日期:>=昨天", "金额:很多", "状态:好",
])
def test_every_query_error_has_a_code_the_page_says_in_chinese(app, query):
    from errors import QuerySyntaxError
    from search.web.pages import QUERY_PROBLEMS, query_problem

    with pytest.raises(QuerySyntaxError) as raised, app.indexes.use() as ix:
        ix.search(query)
    chinese = QUERY_PROBLEMS[raised.value.code]
    assert not re.search(r"[A-Za-z]", chinese.replace("OR", "").replace("{value}", ""))
    assert query_problem(raised.value).problem == chinese.format(value=raised.value.value)


@pytest.mark.parametrize("path", [
    "/doc/ffffffffffffffff",                    # a well-formed id that is not indexed
    "/doc/../../etc/passwd",
    "/doc/..%2F..%2Fetc%2Fpasswd",
    "/doc/002_ba63796111550f13.txt",            # a source the library would resolve: not in URLs
    "/api/doc/..",
    "/static/../app.py",
    "/static/nothing.css",
    "/nowhere",
])
def test_unknown_documents_and_paths_are_404_pages(app, path):
    page = call(app, path)
    assert page.status == 404
    assert "Traceback" not in page.text
    if not path.startswith("/api/"):
        assert page.soup.select_one(".error h1").get_text() == "找不到页面"


def test_every_answer_has_the_security_headers(app):
    for page in (call(app, "/"), call(app, f"/doc/{PLAN}"), call(app, "/api/search", {"q": "x"}),
                 call(app, "/static/style.css"), call(app, "/nowhere"), call(app, "/", {"q": '"'})):
        csp = page.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'none'" in csp
        assert page.headers["x-content-type-options"] == "nosniff"
    assert call(app, "/static/style.css").headers["content-type"] == "text/css; charset=utf-8"


def test_pages_link_only_the_apps_own_assets(app):
    for page in (call(app, "/"), call(app, f"/doc/{PLAN}"), call(app, "/similar")):
        soup = page.soup
        assert soup.find_all("script") == []
        assert [link["href"] for link in soup.find_all("link")] == ["/static/style.css", "/static/favicon.svg"]
        assert not re.search(r"(src|href)=\"https?://", page.text)


def test_lengths_are_bounded(app):
    long_query = "时" * (MAX_QUERY_CHARS + 1)
    page = call(app, "/", {"q": long_query})
    assert page.status == 400
    assert f"最多 {MAX_QUERY_CHARS} 字" in page.soup.select_one(".error .problem").get_text()
    assert call(app, "/api/search", {"q": long_query}).status == 400
    assert call(app, "/", {"q": "时" * MAX_QUERY_CHARS}).status == 200
    too_long = post_form(app, "/similar", {"text": "时尚" * (MAX_TEXT_CHARS // 2 + 1)})
    assert too_long.status == 400 and "最多" in too_long.text
    huge = call(app, "/api/similar", method="POST", body=b"x" * (300 * 1024), content_type="text/plain")
    assert huge.status == 413
    assert call(app, "/api/search", {"q": "时尚", "limit": "100000"}).status == 400  # as the CLI: said, not cut
    assert len(call(app, "/api/search", {"q": "时尚", "limit": "100", "clauses": "1"}).json()["hits"]) <= 100
    odd = call(app, "/", {"q": "时尚", "n": "100000", "page": "99999", "mode": "x", "level": "y", "sort": "z"})
    assert odd.status == 200
    too_many = call(app, "/", "&".join(f"a{i}=1" for i in range(50)))
    assert too_many.status == 400


def test_methods(app):
    assert call(app, "/", method="HEAD").body == b""
    assert call(app, "/", method="POST").status == 405


def test_script_in_a_query_is_inert(app):
    query = '<script>alert("x")</script> 时尚'
    page = call(app, "/", {"q": query})
    assert page.status == 200
    assert page.soup.find_all("script") == []
    assert "<script>alert" not in page.text
    assert page.soup.select_one('input[name="q"]')["value"] == query
    bad = call(app, "/", {"q": '<script>alert(1)</script> "'})
    assert bad.status == 400 and bad.soup.find_all("script") == [] and "<script>alert" not in bad.text


def test_script_inside_an_indexed_document_is_inert(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "evil.txt").write_text(
        "关于<script>alert(1)</script>时尚产业的通知\n\n一、总则\n时尚产业<img src=x onerror=alert(2)>支持资金"
        "最高不超过500万元。\n二、其他\n《<script>x</script>办法》另行制定。\n", encoding="utf-8")
    with working_directory(docs):
        ingest(["."], tmp_path / "ix", engine="jieba")
    app = make_app(tmp_path / "ix")
    results = call(app, "/", {"q": "时尚产业 script"})
    assert len(hit_links(results)) == 1
    doc_id = hit_links(results)[0].split("/")[-1]
    clause_hits = call(app, "/", {"q": "onerror 支持资金", "level": "clause"})
    document = call(app, f"/doc/{doc_id}")
    assert document.status == 200
    for page in (results, clause_hits, document):
        soup = page.soup
        assert soup.find_all("script") == [] and soup.find_all("img") == []
        assert "<script>" not in page.text and "<img" not in page.text
    assert "<script>alert(1)</script>" in document.soup.select_one(".fulltext").get_text()


# -- serve -----------------------------------------------------------------------------------------
def test_serve_builds_the_default_index_and_says_where_it_listens(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("POLICY_SEARCH_INDEX", raising=False)
    served = {}

    class FakeServer:
        effective_port = 8123

        def run(self) -> None:
            served["ran"] = True

        def close(self) -> None:
            served["closed"] = True

    def create_server(app, **options):
        served.update(options, app=app)
        return FakeServer()

    import waitress
    monkeypatch.setattr(waitress, "create_server", create_server)
    result = CliRunner().invoke(cli.main, ["serve", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert "building it from the bundled sample documents" in result.output
    assert "at http://127.0.0.1:8123/" in result.output
    assert served["host"] == "127.0.0.1" and served["ran"] and served["closed"]
    assert call(served["app"], "/", {"q": "时尚产业"}).status == 200


def test_serve_with_two_workers_answers_from_both_and_stops_them_with_the_parent(corpus_index, corpus_index_dir):
    import json
    import signal
    import subprocess
    import sys
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "serve", "--index", str(corpus_index_dir),
                             "--port", "0", "--workers", "2", "--threads", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=Path(cli.__file__).parent)
    expected = [h.to_json() for h in corpus_index.search("时尚产业").hits]
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        for _ in range(6):  # keep-alive off: each request may land on either worker
            with urllib.request.urlopen(url + "api/search?q=%E6%97%B6%E5%B0%9A%E4%BA%A7%E4%B8%9A", timeout=60) as r:
                hits = json.loads(r.read())["hits"]
            assert hits == expected and hits[0]["title"] == "时尚产业补贴"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert subprocess.run(["pgrep", "-f", f"serve --index {corpus_index_dir}"], capture_output=True).stdout == b""


def test_serve_without_an_index_at_an_explicit_place_says_how_to_build_one(tmp_path):
    result = CliRunner().invoke(cli.main, ["serve", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "policy-search ingest" in result.output


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_on_a_port_in_use_says_so_in_one_line(corpus_index_dir, workers):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        result = CliRunner().invoke(cli.main, ["serve", "--index", str(corpus_index_dir), "--port", port,
                                               "--workers", workers])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "--port" in result.output


def test_serve_on_a_host_that_is_no_address_says_so_in_one_line(corpus_index_dir):
    result = CliRunner().invoke(cli.main, ["serve", "--index", str(corpus_index_dir), "--host", "999.1.1.1"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot listen on 999.1.1.1:8000" in result.output and "--host" in result.output


# -- threads, caches and a changing index ----------------------------------------------------------
def test_answers_are_cached_until_an_ingest_changes_the_index(tmp_path, monkeypatch):
    import search.web.pool as pool

    monkeypatch.setattr(pool, "REFRESH_SECONDS", 0.0)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("关于支持时尚产业发展的通知\n\n一、支持时尚设计。\n", encoding="utf-8")
    with working_directory(docs):
        ingest(["."], tmp_path / "ix", engine="jieba")
    app = make_app(tmp_path / "ix")
    first = call(app, "/", {"q": "时尚"})
    assert call(app, "/", {"q": "时尚"}).body == first.body
    assert app.cache.hits == 1
    assert len(hit_links(first)) == 1
    (docs / "b.txt").write_text("关于时尚消费季活动的通知\n\n一、举办时尚消费季。\n", encoding="utf-8")
    with working_directory(docs):
        ingest(["."], tmp_path / "ix", engine="jieba")
    assert len(hit_links(call(app, "/", {"q": "时尚"}))) == 2  # the new document, without a restart


def test_a_precedent_search_posted_again_is_answered_from_the_cache(index_dir):
    app = make_app(index_dir)
    text = "建议加快时尚产业数字化转型，建设公共服务平台。".encode("utf-8")
    first = call(app, "/api/similar", {"limit": "3"}, method="POST", body=text, content_type="text/plain; charset=utf-8")
    again = call(app, "/api/similar", {"limit": "3"}, method="POST", body=text, content_type="text/plain; charset=utf-8")
    other = call(app, "/api/similar", {"limit": "3"}, method="POST", body="噪音扰民".encode("utf-8"),
                 content_type="text/plain; charset=utf-8")
    assert first.status == again.status == 200 and again.body == first.body
    assert (app.cache.hits, app.cache.misses) == (1, 2)
    assert json.loads(other.body)["hits"] != json.loads(first.body)["hits"]


def test_worker_processes_share_their_answers_through_a_folder(tmp_path):
    from search.web.caches import ResponseCache
    from search.web.wsgi import Response

    key = ("/", "q=%E6%97%B6%E5%B0%9A", 1)
    page = Response("<p>时尚</p>".encode("utf-8"), headers=(("X-Test", "1"),))
    first, second = ResponseCache(shared_dir=tmp_path), ResponseCache(shared_dir=tmp_path)
    assert first.get_or_make(key, lambda: page) is page
    shared = second.get_or_make(key, lambda: pytest.fail("the second worker computed the page again"))
    assert (shared.body, shared.content_type, shared.headers) == (page.body, page.content_type, page.headers)
    failed = Response(b"error", status=500)
    assert first.get_or_make(("/", "q=x", 1), lambda: failed) is failed
    assert len(list(tmp_path.iterdir())) == 1  # only successful answers are shared


def test_requests_for_an_answer_being_computed_wait_for_it():
    import threading
    import time

    from search.web.caches import ResponseCache
    from search.web.wsgi import Response

    cache, key = ResponseCache(), ("/doc/x", "", 1)
    entered, release, made = threading.Event(), threading.Event(), []

    def make() -> Response:
        made.append(1)
        entered.set()
        release.wait(10)
        return Response(b"<p>page</p>")

    answers: list[Response] = []
    threads = [threading.Thread(target=lambda: answers.append(cache.get_or_make(key, make))) for _ in range(5)]
    threads[0].start()
    assert entered.wait(10)
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 10
    while cache.misses < 5 and time.monotonic() < deadline:  # all five have asked
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(made) == 1 and len(answers) == 5 and {a.body for a in answers} == {b"<p>page</p>"}


def test_an_answer_not_kept_is_computed_by_each_request():
    from search.web.caches import ResponseCache
    from search.web.wsgi import Response

    cache, made = ResponseCache(), []
    for _ in range(2):
        cache.get_or_make(("/", "q=x", 1), lambda: made.append(1) or Response(b"error", status=500))
    assert len(made) == 2


def test_concurrent_requests_from_many_threads_agree(app):
    from concurrent.futures import ThreadPoolExecutor

    paths = [("/api/search", {"q": q, "clauses": c}) for q in ("时尚产业", "公共服务平台 资助", "人才 年份:2020..2023")
             for c in ("0", "1")] + [(f"/api/doc/{d}", {}) for d in (PLAN, MEASURES, REPLY_2020)]
    expected = {i: call(app, p, q).text for i, (p, q) in enumerate(paths)}
    app.cache._items.clear()  # every answer computed again, concurrently

    def fetch(i: int) -> bool:
        path, query = paths[i % len(paths)]
        return call(app, path, {**query, "n": str(i)}).text == expected[i % len(paths)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(fetch, range(200)))


@pytest.mark.parametrize("query, hint", [
    ('"公共服务平台', '请补上引号，例如 "公共服务平台"'),
    ("年份:二〇二〇", "例如 年份:2020..2023 或 year:>=2021"),
    ("foo:bar", "可用字段： 类型/type"),
])
def test_hints_of_query_errors_are_in_chinese(app, query, hint):
    assert hint in call(app, "/", {"q": query}).soup.select_one(".error .hint").get_text()


@pytest.mark.parametrize("query", ["时尚产业", "安全  责任 机关:国务院", " 金额:>=500万 ", '"法律责任" -处罚 a+b&c=d'])
def test_search_links_quote_the_query_as_urlencode_does(query):
    assert search_url(query, "clause", "date", 2) == "/?" + urlencode(
        {"q": query, "level": "clause", "sort": "date", "page": 2})
    assert search_url(query, "clause", mode="semantic") == "/?" + urlencode(
        {"q": query, "level": "clause", "mode": "semantic"})
    assert search_url(query, mode="hybrid") == "/?" + urlencode({"q": query})


def test_a_repealed_text_s_page_links_the_text_repealing_it(tmp_path):
    from conftest import index_of_texts
    from test_search_features import NEW_NOISE, OLD_NOISE

    with index_of_texts(tmp_path, {"环境噪声污染防治法.md": OLD_NOISE, "噪声污染防治法.md": NEW_NOISE}) as index:
        new_id = index.document("噪声污染防治法.md")["id"]
        old_id = index.document("环境噪声污染防治法.md")["id"]
    soup = call(make_app(tmp_path / "ix"), f"/doc/{old_id}").soup
    status = soup.select_one("table.metadata .repealed-by")
    assert status.get_text(strip=True).endswith("起由《中华人民共和国噪声污染防治法》废止）")
    assert status.a["href"] == f"/doc/{new_id}"


def test_the_server_lets_numpy_use_one_blas_thread():
    """Its threads and worker processes keep the cores busy: BLAS threads of their own would wait."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from search.web.serve import one_blas_thread

    with threadpool_limits(limits=None):  # whatever this test sets is undone when it ends
        one_blas_thread()
        blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
        assert blas and all(pool["num_threads"] == 1 for pool in blas)
