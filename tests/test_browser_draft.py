"""The 起草答复 page in a real browser: paste a proposal, read the skeleton beside its sources,
follow a source to its clause, download the Word file.

Reuses tests/test_browser.py's server (the five bundled samples), browser and page; the
screenshot ``draft-desktop.png`` is saved under the test's tmp folder.
"""
from __future__ import annotations

import re

import pytest

from test_browser import base_url, browser, page, pytestmark  # noqa: F401  (fixtures and skip marks)
from test_draft import PLAN_TITLE, PROPOSAL

PLAN = "4829501b0167b488"
HEADINGS = [
    "一、关于“把提升消费列为全球标杆城市建设的重要维度考核”建议的答复",
    "二、关于“制定促进时尚与科技融合的行动计划”建议的答复",
    "三、关于“聚焦深圳时尚产业的优势发展，按照全球标杆城市标准制定促进时尚产业发展行动计划”建议的答复",
    "四、以往承诺及落实情况",
    "五、下一步工作",
]


def test_paste_a_proposal_and_read_its_skeleton_beside_the_sources(page, base_url, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(base_url + "/")
    page.locator("nav.nav a", has_text="起草答复").click()
    expect(page.locator("main h1")).to_have_text("起草答复")
    page.fill("textarea[name=text]", PROPOSAL)
    page.fill("input[name=as]", "深圳市工业和信息化局")
    page.fill("input[name=date]", "2024-06-30")
    page.locator("form#draft-form button", has_text="生成答复草稿").click()

    expect(page.locator("article.letter section.draft-section h3")).to_have_text(HEADINGS)
    promised = page.locator("section.draft-section", has_text="以往承诺及落实情况")
    pledge = promised.locator("div.draft-line.kind-passage", has_text="一是加大深圳市政府投资引导基金对时尚产业发展的支持")
    # a reply's numbered part is a point as a reader counts it, not a clause path
    expect(pledge.locator("aside.source a.point")).to_have_text("第四点")
    expect(pledge.locator("aside.source a.point")).to_have_attribute("href", re.compile(r"#c-四$"))
    expect(promised.locator("p.guide", has_text="承诺日期：2020-06-28").first).to_be_visible()
    expect(promised.locator("mark.gap", has_text="【待填写：落实情况】").first).to_be_visible()
    section = page.locator("section.draft-section", has_text="时尚与科技融合")
    source = section.locator("aside.source .source-title a").first
    expect(source).to_have_text(PLAN_TITLE)
    expect(source).to_have_attribute("href", f"/doc/{PLAN}#c-三-(一)-2")
    expect(section.locator("aside.source a.clause").first).to_have_text("条款 三/(一)/2")
    expect(page.locator("article.letter mark.gap").first).to_be_visible()
    # the source sits to the right of the quoted clause, on the same row
    quote = section.locator("div.draft-line.kind-clause").first
    left, right = quote.locator("blockquote").bounding_box(), quote.locator("aside.source").bounding_box()
    assert right["x"] >= left["x"] + left["width"] and right["y"] < left["y"] + left["height"]
    page.screenshot(path=str(tmp_path / "draft-desktop.png"), full_page=True)

    with page.expect_download() as download:
        page.locator("button.download", has_text="Word").click()
    assert download.value.suggested_filename == "答复草稿.docx"

    source.click()
    assert re.search(r"#c-", page.url)
    expect(page.locator(":target")).to_have_attribute("data-path", "三/(一)/2")
    expect(page.locator(":target")).to_be_in_viewport()
    assert page.problems == []  # no CSP violation, no script error


def test_the_draft_page_fits_a_phone(browser, base_url, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, locale="zh-CN")
    phone = context.new_page()
    try:
        phone.goto(base_url + "/draft")
        phone.fill("textarea[name=text]", PROPOSAL)
        phone.fill("input[name=date]", "2024-06-30")
        phone.locator("form#draft-form button", has_text="生成答复草稿").click()
        expect(phone.locator("article.letter section.draft-section h3")).to_have_count(5)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the draft page is {width}px wide at phone width"
        phone.screenshot(path=str(tmp_path / "draft-phone.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_answering_body_field_shows_a_long_name_whole(browser, base_url, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    try:
        form = context.new_page()
        form.goto(base_url + "/draft")
        form.fill("input[name=as]", "深圳市福田区文化广电旅游体育局")  # 15 characters, as many bodies' names
        scroll, client = form.evaluate("(() => { const e = document.querySelector('input[name=as]');"
                                       " return [e.scrollWidth, e.clientWidth]; })()")
        assert scroll <= client, f"the name needs {scroll}px, the field shows {client}px"
        assert form.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_other_places_clauses_are_set_apart_and_labelled(page, base_url, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(base_url + "/draft")
    page.fill("textarea[name=text]", "关于支持福田区时尚企业数字化转型的提案\n建议：\n"
              "一、设立时尚企业数字化转型专项资金，对企业技术改造给予资助。\n二、建设时尚产业公共服务平台，提供设计、检测等服务。")
    page.fill("input[name=as]", "福田区工业和信息化局")
    page.fill("input[name=date]", "2024-06-30")
    page.locator("form#draft-form button", has_text="生成答复草稿").click()
    section = page.locator("section.draft-section").first
    expect(section.locator("p.guide", has_text="其他地区参考")).to_be_visible()
    reference = section.locator(".draft-line.kind-reference").first
    expect(reference.locator(".badge")).to_have_text("其他地区")
    expect(reference.locator(".source-title a")).to_have_text("龙岗区关于促进时尚产业高质量发展若干措施")
    for title in section.locator(".draft-line.kind-clause .source-title a").all_inner_texts():
        assert not title.startswith("龙岗区")
    reference.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "draft-other-places.png"))
    assert page.problems == []


def test_precedents_show_an_expired_plan_their_points_and_an_unsigned_letter(page, base_url):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(base_url + "/draft")
    page.fill("textarea[name=text]", PROPOSAL)
    page.fill("input[name=as]", "深圳市工业和信息化局")
    page.fill("input[name=date]", "2025-06-30")  # the 2020–2024 plan expired on 2025-03-10
    page.locator("form#draft-form button", has_text="生成答复草稿").click()
    letter = page.locator("article.letter")
    expect(letter.locator("section.draft-section h3").last).to_contain_text("下一步工作")
    lapsed = letter.locator(".kind-passage aside.source p.lapsed").first
    expect(lapsed).to_have_text(f"所引《{PLAN_TITLE}》已失效（2025-03-10起）")
    unsigned = letter.locator(".kind-passage aside.source", has_text="主办意见").first
    expect(unsigned.locator(".date")).to_have_text("落款未署日期")
    expect(letter.locator(".kind-passage aside.source a.point").first).to_have_text(re.compile(r"^第.+点$"))
    expect(letter.locator(".kind-passage aside.source a.clause")).to_have_count(0)
    # 龙岗区 is a district of 深圳: its measures are a 深圳 body's grounds, not 其他地区参考
    expect(letter.locator("p.guide", has_text="其他地区参考")).to_have_count(0)
    expect(letter.locator(".kind-clause .source-title a", has_text="龙岗区").first).to_be_visible()
    assert page.problems == []


def test_the_letter_keeps_等_and_names_the_titles_field(page, base_url):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(base_url + "/draft")
    page.fill("textarea[name=text]", "关于加快时尚产业数字化转型的提案\n提案人：李明等\n"
              "建议：一是设立时尚企业数字化转型专项资金。二是建设时尚产业公共服务平台。")
    page.fill("input[name=date]", "2024-06-30")
    page.locator("form#draft-form button", has_text="生成答复草稿").click()
    letter = page.locator("article.letter")
    expect(letter.locator(".role-salutation")).to_have_text("尊敬的李明等委员：")
    expect(letter.locator(".draft-line", has_text="收悉").first).to_contain_text("非常感谢你们对时尚产业数字化转型的关心与支持")
    assert page.problems == []


def test_an_empty_file_uploaded_is_said_to_be_empty(page, base_url):  # noqa: F811
    """A file that was received but holds nothing is named and said to be empty (not "no text received")."""
    from playwright.sync_api import expect

    page.goto(base_url + "/draft")
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "新提案.txt", "mimeType": "text/plain", "buffer": b""}])
    page.fill("input[name=as]", "深圳市工业和信息化局")
    page.locator("form#draft-form button", has_text="生成答复草稿").click()
    error = page.locator(".form-error")
    expect(error).to_contain_text("已收到“新提案.txt”，但文件是空的")
    expect(error).not_to_contain_text("没有收到")
    expect(page.locator("input[name=as]")).to_have_value("深圳市工业和信息化局")  # the form as filled in
    expect(page.locator("article.letter")).to_have_count(0)
