"""The search page in a real browser: what a member of staff sees and clicks.

Playwright drives Debian's chromium (never a downloaded browser) against the app served by
waitress on 127.0.0.1, over an index of the bundled samples. Screenshots at desktop and phone
width are saved under the test's tmp folder (``--basetemp DIR`` keeps them where you want).
"""
from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import working_directory
from corpus import sample_dir
from indexer.build import ingest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROPOSAL = "建议加快时尚产业数字化转型，支持商协会建设公共服务平台，培育直播电商基地。"

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="playwright is not installed (pip install -e '.[test]')"),
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="no /usr/bin/chromium (apt-get install chromium; .ci/run installs it)"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    index_dir = tmp_path_factory.mktemp("browser") / "ix"
    with working_directory(sample_dir()):
        ingest(["."], index_dir, engine="jieba")
    yield from serving(index_dir)


@pytest.fixture(scope="module")
def meaning_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The page over an index whose documents have vectors of the stand-in model (test_web_meaning)."""
    from conftest import ingest_texts, stand_in_model
    from indexer.embed import HashEmbedder
    from test_web_meaning import LIKE, LIKE_SYNONYMS, ROADWORKS

    with stand_in_model(HashEmbedder(synonyms=LIKE_SYNONYMS)):
        index_dir = ingest_texts(tmp_path_factory.mktemp("meaning"), {**LIKE, **ROADWORKS},
                                 HashEmbedder(synonyms=LIKE_SYNONYMS))
        yield from serving(index_dir)


def serving(index_dir: Path) -> Iterator[str]:
    """The app over ``index_dir`` served by waitress on a free port, in a thread: its base URL."""
    from waitress import create_server

    from search.web.app import make_app

    server = create_server(make_app(index_dir), host="127.0.0.1", port=0, threads=4)
    def serve() -> None:
        try:
            server.run()
        except OSError:  # close() from the test thread ends the loop mid-select: expected at teardown
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    yield page
    context.close()


def test_search_facet_document_clause_and_precedents(page, base_url, tmp_path):
    from playwright.sync_api import expect

    page.goto(base_url + "/")
    expect(page.locator(".brand")).to_have_text("政策文件检索")
    page.fill('input[name="q"]', "时尚产业 金额:>=500万")
    page.press('input[name="q"]', "Enter")
    hits = page.locator("article.hit")
    expect(hits.first.locator("h2 a")).to_have_text("深圳市时尚产业高质量发展行动计划（2020—2024年）")
    expect(hits.first.locator(".snippet mark").first).to_be_visible()
    expect(hits.first.locator(".status")).to_have_text("已失效")
    page.screenshot(path=str(tmp_path / "search-desktop.png"), full_page=True)

    # a facet click adds its filter to the query
    page.locator('section.facet[data-facet="issuer"] a', has_text="龙岗区工业和信息化局").click()
    expect(page.locator('input[name="q"]')).to_have_value("时尚产业 金额:>=500万 机关:龙岗区工业和信息化局")
    expect(hits).to_have_count(1)
    expect(page.locator('section.facet[data-facet="issuer"] li.active')).to_contain_text("龙岗区工业和信息化局")

    # the document, and a clause of its outline
    hits.first.locator("h2 a").click()
    expect(page.locator(".doc-head h1")).to_have_text("龙岗区关于促进时尚产业高质量发展若干措施")
    expect(page.locator("table.metadata")).to_contain_text("龙岗区工业和信息化局")
    page.locator("nav.outline a", has_text="支持时尚制造企业技术改造升级").click()
    assert re.search(r"#c-", page.url)
    target = page.locator(":target")
    expect(target).to_have_attribute("data-path", "三/(二)/4")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("支持时尚制造企业技术改造升级")
    page.screenshot(path=str(tmp_path / "document-desktop.png"))

    # the cited plan is a link to its own page
    page.locator("section.citations a", has_text="深圳市时尚产业高质量发展行动计划").click()
    expect(page.locator(".doc-head h1")).to_have_text("深圳市时尚产业高质量发展行动计划（2020—2024年）")

    # 找先例
    page.locator("nav.nav a", has_text="找先例").click()
    page.fill("textarea[name=text]", PROPOSAL)
    page.locator("form.precedent button").click()
    expect(page.locator("#documents article.hit").first.locator("h2 a")).to_contain_text("推动科技赋能时尚产业的建议")
    expect(page.locator("#clauses article.hit").first.locator(".clause")).to_be_visible()
    page.screenshot(path=str(tmp_path / "precedents-desktop.png"), full_page=True)
    assert page.problems == []  # no CSP violation, no script error


def test_phone_width_fits_the_screen(browser, base_url, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, locale="zh-CN")
    page = context.new_page()
    try:
        for path, name in (("/?q=时尚产业+金额:>=500万&level=clause", "search-phone.png"),
                           ("/doc/4829501b0167b488#c-三-(一)-1", "document-phone.png")):
            page.goto(base_url + path)
            expect(page.locator("main")).to_be_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide at phone width"
            page.screenshot(path=str(tmp_path / name))
        expect(page.locator(":target")).to_be_in_viewport()
    finally:
        context.close()


def test_a_malformed_query_shows_the_problem_in_chinese(page, base_url):
    from playwright.sync_api import expect

    response = page.goto(base_url + "/?q=%22公共服务平台")
    assert response.status == 400
    expect(page.locator(".error h1")).to_have_text("查询语句有误")
    expect(page.locator(".error .problem")).to_have_text("引号没有闭合")
    expect(page.locator("body")).not_to_contain_text("Traceback")


def test_clause_text_in_the_full_text_is_not_bold(page, base_url, tmp_path):
    """Only a hit's clause link is bold: the clauses of a document's full text read as body text."""
    from playwright.sync_api import expect

    page.goto(base_url + "/doc/4829501b0167b488")
    clause = page.locator(".fulltext section.clause").first
    expect(clause).to_be_visible()
    assert clause.evaluate("e => getComputedStyle(e).fontWeight") == "400"
    clause.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "document-fulltext.png"))
    page.goto(base_url + "/?q=时尚产业&level=clause")
    link = page.locator("article.hit a.clause").first
    assert link.evaluate("e => getComputedStyle(e).fontWeight") == "600"


def test_the_mode_switch_fits_a_phone_and_the_mode_chosen_stays(browser, meaning_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(meaning_url + "/?q=停放困难")
        switch = page.locator('.switch[aria-label="匹配方式"]')
        expect(switch.locator('[aria-current="true"]')).to_have_text("综合（字词+语义）")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        switch.locator("a", has_text="仅语义").click()
        expect(switch.locator('[aria-current="true"]')).to_have_text("仅语义")
        expect(page.locator("article.hit", has_text="车位紧张问题").locator(".found-by")).to_have_text("按语义找到")
        page.fill('input[name="q"]', "停放困难 公交")  # a new query from the box keeps the mode
        page.press('input[name="q"]', "Enter")
        expect(switch.locator('[aria-current="true"]')).to_have_text("仅语义")
        page.locator('.switch[aria-label="结果单位"] a', has_text="条款").click()
        assert "mode=semantic" in page.url and "level=clause" in page.url
    finally:
        context.close()
