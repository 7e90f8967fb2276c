"""Every kind of page fits the screen at phone, tablet and desktop width, whatever it lists.

The index is the five bundled samples ingested by an absolute path (as a server's folder would
be), with what makes a page wide: copies of a text in a folder with a long unbroken name, a text
with a long title and a long 文号, a rule whose articles can be cited. Each page kind — search
(documents and clauses), a document, 找先例, an 起草答复 result, errors — is opened at 390, 768
and 1,280 px in Chromium, and the document must be no wider than the window. Screenshots are
saved under the test's tmp folder (``--basetemp DIR`` keeps them).
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus import sample_dir
from indexer.build import ingest
from test_browser import browser, pytestmark, serving  # noqa: F401  (fixtures and skip marks)

WIDTHS = (390, 768, 1280)
LONG_FOLDER = "policy_documents_archive_of_the_futian_district_industry_and_information_technology_bureau_2024"
LONG_FILE = "shenzhen_fashion_industry_high_quality_development_action_plan_2020_2024_copy_saved_from_the_portal.txt"
LONG_DOC_NUMBER = "SZFTGXJGFXWJZFBF〔2024〕12345号"  # the longest the parser takes: 16 letters, 5 digits
LONG_TITLE = ("深圳市福田区工业和信息化局关于印发《福田区促进时尚产业与数字经济深度融合高质量发展若干措施"
              "（2024—2028年）实施细则及配套专项资金管理办法ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789》的通知")
LONG_TEXT = f"""{LONG_TITLE}

{LONG_DOC_NUMBER}

各有关单位：
为促进时尚产业与数字经济深度融合，现将有关事项通知如下：
一、支持时尚企业数字化转型
对时尚企业实施数字化转型项目的，按照项目实际投入的30%给予资助，单个项目最高不超过500万元。
二、建设公共服务平台
支持建设时尚产业公共服务平台，按照项目实际投入的50%给予资助，每年最高不超过200万元。

深圳市福田区工业和信息化局
2024年3月1日
"""
RULE = """深圳市时尚产业促进条例

第一条 为了促进时尚产业数字化转型，支持商协会建设公共服务平台，制定本条例。
第二条 市、区人民政府应当支持直播电商基地建设，培育时尚产业集群。
第三条 本条例自2024年1月1日起施行。
"""
PROPOSAL = "建议加快时尚产业数字化转型，支持商协会建设公共服务平台，培育直播电商基地。"
DRAFT_PROPOSAL = ("关于发展时尚产业的提案\n提案号：20240001\n提案人：李明等\n"
                  "建议：一是建设公共服务平台。二是支持技术改造。")


@pytest.fixture(scope="module")
def wide_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("widths")
    docs = root / "server_documents"
    shutil.copytree(sample_dir(), docs, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    nested = docs / LONG_FOLDER / LONG_FOLDER
    nested.mkdir(parents=True)
    shutil.copy(docs / "002_ba63796111550f13.txt", nested / LONG_FILE)
    (docs / "long_title.txt").write_text(LONG_TEXT, encoding="utf-8")
    (docs / "rule.txt").write_text(RULE, encoding="utf-8")
    report = ingest([str(docs.resolve())], root / "ix", engine="jieba")
    assert not report.errors
    yield from serving(root / "ix")


def _pages(browser, url: str, width: int):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                  is_mobile=width < 500, device_scale_factor=2 if width < 500 else 1)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _fits(page, width: int, what: str, shot: Path, wide: list[str]) -> None:
    """Records ``what`` in ``wide`` where the page is wider than the window. On a phone the window
    (innerWidth) grows with a page too wide for it, so the width asked is the measure."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    page.screenshot(path=str(shot), full_page=page.evaluate("document.documentElement.scrollHeight") < 4000)
    if scroll > min(inner, width):
        wide.append(f"{what}: {scroll}px")


def _plan_id(page, url: str) -> str:
    page.goto(url + "/?q=时尚产业高质量发展行动计划")
    href = page.locator("article.hit h2 a").first.get_attribute("href")
    return href.split("/doc/")[1].split("#")[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_fits_the_window(browser, wide_url, width, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    context, page = _pages(browser, wide_url, width)
    wide: list[str] = []
    try:
        gets = {
            "search": "/?q=时尚产业",
            "search-clauses": "/?q=时尚产业+资助&level=clause",
            "search-long-title": f"/?q=实施细则+配套专项资金+{'A' * 60}",
            "help": "/help",
            "error-query": "/?q=%22" + "时尚产业ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 4,
            "error-404": "/doc/" + "x" * 120,
        }
        for name, path in gets.items():
            page.goto(wide_url + path)
            expect(page.locator("main")).to_be_visible()
            _fits(page, width, name, tmp_path / f"{name}-{width}.png", wide)
        plan = _plan_id(page, wide_url)
        page.goto(wide_url + f"/doc/{plan}")
        expect(page.locator("table.metadata")).to_contain_text(LONG_FILE)
        _fits(page, width, "document with copies", tmp_path / f"document-{width}.png", wide)
        page.goto(wide_url + "/?q=" + LONG_DOC_NUMBER)
        page.locator("article.hit h2 a").first.click()
        expect(page.locator(".doc-head h1")).to_contain_text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        expect(page.locator("table.metadata")).to_contain_text(LONG_DOC_NUMBER)
        _fits(page, width, "document with a long title", tmp_path / f"document-long-{width}.png", wide)

        page.goto(wide_url + "/similar")
        page.fill("textarea[name=text]", PROPOSAL)
        page.locator("form.precedent button").click()
        expect(page.locator("#clauses article.hit").first).to_be_visible()
        _fits(page, width, "找先例", tmp_path / f"precedents-{width}.png", wide)

        page.goto(wide_url + "/draft")
        page.fill("textarea[name=text]", DRAFT_PROPOSAL)
        page.fill("input[name=date]", "2024-06-30")
        page.locator("form#draft-form button", has_text="生成答复草稿").click()
        expect(page.locator("article.letter")).to_be_visible()
        _fits(page, width, "起草答复", tmp_path / f"draft-{width}.png", wide)
    finally:
        context.close()
    assert wide == [], f"wider than {width}px: {wide}"


def test_no_page_shows_a_folder_of_the_server(browser, wide_url):  # noqa: F811
    """Sources are shown inside the folder that was ingested: never the server's own folders."""
    context, page = _pages(browser, wide_url, 1280)
    try:
        plan = _plan_id(page, wide_url)
        for path in ("/?q=时尚产业", "/?q=时尚产业+资助&level=clause", f"/doc/{plan}"):
            page.goto(wide_url + path)
            text = page.locator("body").inner_text()
            assert "server_documents" not in text, f"{path} shows a folder of the server"
            assert "/tmp" not in text and "pytest-" not in text, f"{path} shows a folder of the server"
        page.goto(wide_url + "/similar")
        page.fill("textarea[name=text]", PROPOSAL)
        page.locator("form.precedent button").click()
        assert "server_documents" not in page.locator("body").inner_text()
    finally:
        context.close()


def test_clauses_to_cite_are_those_of_policies_and_laws(browser, wide_url):  # noqa: F811
    """可援引的条款 on 找先例: clauses of texts one can cite (the rule's articles, the measures'
    items), never a reply's numbered points, though the replies match the proposal best."""
    from playwright.sync_api import expect

    from corpus.validity import has_validity

    context, page = _pages(browser, wide_url, 1280)
    try:
        page.goto(wide_url + "/similar")
        page.fill("textarea[name=text]", PROPOSAL)
        page.locator("form.precedent button").click()
        clauses = page.locator("#clauses article.hit")
        expect(clauses.first).to_be_visible()
        kinds = clauses.locator(".meta .type").all_inner_texts()
        assert kinds and all(has_validity(kind) for kind in kinds), kinds
        expect(clauses.first.locator("h2 a")).to_have_text("深圳市时尚产业促进条例")
        assert "建议答复" in page.locator("#documents article.hit .meta .type").all_inner_texts()
    finally:
        context.close()
