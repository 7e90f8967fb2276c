"""Commitments in a real browser: a reply's page lists what it promised, each linked to its
clause, with what the index can tell of its follow-through; 找先例 lists the promises made on
the same matter, linked to their reply and clause. Phone and desktop widths.

Serves a small index of its own: a 2021 reply promising two documents and a plan issued later
by the same body (tests/test_commitments.py's texts).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from conftest import ingest_texts
from test_browser import base_url, browser, page, pytestmark, serving  # noqa: F401  (fixtures and skip marks)
from test_commitments import FOLLOW_PLAN, FOLLOW_REPLY


@pytest.fixture(scope="module")
def promises_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-commitments")
    yield from serving(ingest_texts(folder, {"reply.txt": FOLLOW_REPLY, "plan.txt": FOLLOW_PLAN}))


def test_a_replys_page_lists_its_commitments_linked_to_their_clauses(page, promises_url, tmp_path):
    from playwright.sync_api import expect

    page.goto(promises_url + "/?q=时尚人才引进")
    page.locator("article.hit h2 a", has_text="2021015号提案").click()
    listed = page.locator("section.commitments-of-reply li.commitment")
    expect(page.locator("section.commitments-of-reply h2")).to_have_text("本答复的承诺（3）")
    expect(listed).to_have_count(3)
    first = listed.nth(0)
    expect(first.locator(".deadline")).to_have_text("期限 2021-12-31")
    expect(first.locator(".follow-through")).to_contain_text("已落实")
    expect(listed.nth(1).locator(".follow-through")).to_have_text("已逾期未见落实")
    expect(listed.nth(2).locator(".follow-through")).to_have_count(0)  # nothing checkable: no status
    listed.nth(1).locator("a.clause").click()
    expect(page.locator(":target")).to_have_attribute("data-path", "二/(二)")
    first.locator("a.delivered").click()
    expect(page.locator("main h1")).to_contain_text("福田区时尚产业发展规划")
    page.screenshot(path=str(tmp_path / "commitments-desktop.png"), full_page=True)
    assert page.problems == []


def test_precedents_show_the_promises_made_on_the_same_matter(page, promises_url):
    from playwright.sync_api import expect

    page.goto(promises_url + "/similar")
    page.fill("textarea[name=text]", "建议加快出台时尚产业发展规划，建设时尚消费街区，引进时尚人才")
    page.locator("form button", has_text="找先例").click()
    section = page.locator("section#commitments")
    expect(section.locator("h2")).to_have_text("同一事项的以往承诺")
    expect(section.locator("li.commitment")).to_have_count(3)
    link = section.locator("a.reply").first
    expect(link).to_have_attribute("href", re.compile(r"^/doc/[0-9a-f]{16}#c-二-\(一\)$"))
    link.click()
    expect(page.locator(":target")).to_have_attribute("data-path", "二/(一)")
    assert page.problems == []


def test_the_commitments_fit_a_phone(browser, promises_url, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    phone = context.new_page()
    try:
        phone.goto(promises_url + "/similar")
        phone.fill("textarea[name=text]", "建议加快出台时尚产业发展规划，建设时尚消费街区")
        phone.locator("form button", has_text="找先例").click()
        expect(phone.locator("section#commitments li.commitment").first).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(tmp_path / "commitments-phone.png"), full_page=True)
    finally:
        context.close()


def test_the_search_box_asks_for_commitments_with_the_query_field(page, promises_url):
    from playwright.sync_api import expect

    page.goto(promises_url + "/")
    page.fill('input[name="q"]', "范围:承诺 时尚")
    page.press('input[name="q"]', "Enter")
    expect(page.locator(".commitments-results .summary")).to_have_text("找到 3 项承诺")
    expect(page.locator('section.facet[data-facet="year"] .value')).to_have_text(["2021"])
    page.locator('section.facet[data-facet="body"] a', has_text="福田区商务局").click()
    expect(page.locator('section.facet[data-facet="body"] li.active .value')).to_have_text("福田区商务局")
    expect(page.locator("li.commitment")).to_have_count(3)
    page.fill('input[name="q"]', "范围:承诺 时尚 期限:<2021-02-30")
    page.press('input[name="q"]', "Enter")
    expect(page.locator("main")).to_contain_text("不是有效日期")
    assert not [p for p in page.problems if "400" not in p]


def test_a_replys_page_shows_what_was_promised_on_the_same_matter_before_it(page, base_url):  # noqa: F811
    """The 2023 reply on fashion's digital turn (sample 001): the 2020 reply (000) on the same
    matter promised three things in its 四、下一步工作计划, shown with its proposal and session."""
    from playwright.sync_api import expect

    page.goto(base_url + "/doc/92e4460b9021828f")
    earlier = page.locator("section.earlier-commitments")
    expect(earlier.locator("h2")).to_have_text("此前同一事项的承诺")
    pledge = earlier.locator("li.commitment", has_text="一是加大深圳市政府投资引导基金对时尚产业发展的支持")
    expect(pledge).to_contain_text("承诺于 2020-06-28")
    expect(pledge).to_contain_text("第20190892号")
    expect(pledge.locator("a.reply")).to_have_attribute("href", "/doc/0f83e369c48702d2#c-四")
    own = page.locator("section.commitments-of-reply li.commitment", has_text="六是拓展时尚人才交流圈")
    expect(own.locator("a.clause")).to_have_text("条款 二")
    assert page.problems == []
