"""The 起草答复 page, its downloads and /api/draft, through the WSGI callable.

Over the index tests/test_draft.py drafts against: samples 001–004, without the reply 000
whose proposal :data:`PROPOSAL` is. On 2024-06-30 the section on 时尚与科技融合 proposes clause
三/(一)/2 of the 2020 action plan (最高不超过300万元), in force until 2025-03-09.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from docx import Document as new_docx

from conftest import samples_index, wsgi_request
from search.drafting import draft_from_text
from search.engine import PolicyIndex
from search.web.app import make_app, relative_sources
from search.web.pages import MAX_UPLOAD_BYTES, clause_anchor
from test_draft import PLAN_TITLE, PROPOSAL

PLAN = "4829501b0167b488"
DATE = "2024-06-30"
BODY = "深圳市工业和信息化局"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADINGS = [
    "一、关于“把提升消费列为全球标杆城市建设的重要维度考核”建议的答复",
    "二、关于“制定促进时尚与科技融合的行动计划”建议的答复",
    "三、关于“聚焦深圳时尚产业的优势发展，按照全球标杆城市标准制定促进时尚产业发展行动计划”建议的答复",
    "四、以往承诺及落实情况",
    "五、下一步工作",
]


class Answer:
    """One answer of the app; ``text`` and ``soup`` only for the answers that are text."""

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")

    def json(self) -> Any:
        return json.loads(self.text)


def call(app, path: str, method: str = "GET", body: bytes = b"", content_type: str = "") -> Answer:
    return Answer(*wsgi_request(app, path, "", method, body, content_type))


def post_form(app, path: str, fields: dict[str, str]) -> Answer:
    return call(app, path, "POST", urlencode(fields).encode("utf-8"), "application/x-www-form-urlencoded")


def post_multipart(app, path: str, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> Answer:
    """As a browser sends the form: text fields, and the file part (empty when none was chosen)."""
    boundary = "----policySearchTestBoundary7MA4YWxkTrZu0gW"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode("utf-8")
             for name, value in fields.items()]
    filename, data = file or ("", b"")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode("utf-8") + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode("ascii")
    return call(app, path, "POST", body, f"multipart/form-data; boundary={boundary}")


def form(text: str = PROPOSAL, date: str = DATE, as_body: str = BODY) -> dict[str, str]:
    return {"text": text, "as": as_body, "date": date}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Samples 001–004: the reply 000 itself is not there to copy from."""
    return samples_index(tmp_path_factory.mktemp("web-draft"))


@pytest.fixture(scope="module")
def app(index_dir: Path):
    return make_app(index_dir)


@pytest.fixture(scope="module")
def library_draft(index_dir: Path):
    with PolicyIndex(index_dir) as ix:
        return draft_from_text(ix, PROPOSAL, as_body=BODY, date=DATE)


@pytest.fixture(scope="module")
def drafted(app) -> Answer:
    answer = post_form(app, "/draft", form())
    assert answer.status == 200
    return answer


def section(soup: BeautifulSoup, words: str):
    return next(s for s in soup.select("article.letter section.draft-section") if words in s.h3.get_text())


def sources(part) -> list[str]:
    return [a["href"] for a in part.select("aside.source .source-title a")]


# -- the form --------------------------------------------------------------------------------------
def test_the_form_is_in_the_navigation_and_takes_text_a_file_a_body_and_a_date(app):
    page = call(app, "/draft")
    assert page.status == 200
    soup = page.soup
    assert [a.get_text() for a in soup.select("nav.nav a")][:3] == ["检索", "找先例", "起草答复"]
    assert soup.select_one('nav.nav a[href="/draft"]') is not None
    form_ = soup.select_one("form#draft-form")
    assert (form_["action"], form_["method"], form_["enctype"]) == ("/draft", "post", "multipart/form-data")
    assert form_.select_one("textarea[name=text]")["maxlength"] == "20000"
    assert form_.select_one("input[type=file][name=file]")["accept"] == ".txt,.md,.docx"
    assert form_.select_one("input[name=as]") is not None
    assert form_.select_one("input[name=date]")["value"] == dt.date.today().isoformat()
    assert soup.select_one("article.letter") is None


# -- the skeleton ----------------------------------------------------------------------------------
def test_each_section_of_the_letter_is_shown_in_order(drafted):
    letter = drafted.soup.select_one("article.letter")
    assert [h.get_text() for h in letter.select("section.draft-section h3")] == HEADINGS
    assert letter.select_one("h2.letter-title").get_text() == f"{BODY}关于对深圳市政协六届六次会议第20190892号提案答复意见的函"
    assert "尊敬的朱舜华委员：" in letter.get_text()


def test_the_fashion_and_tech_section_quotes_the_plans_clause_beside_its_linked_source(drafted):
    part = section(drafted.soup, "时尚与科技融合")
    line = next(div for div in part.select("div.draft-line.kind-clause")
                if div.select_one(".source .clause") and div.select_one(".source .clause").get_text() == "条款 三/(一)/2")
    assert "对企业为提升竞争力实施的创意设计、供应链管理及商业模式等应用创新项目" in line.blockquote.get_text()
    title_link = line.select_one("aside.source .source-title a")
    assert title_link.get_text() == PLAN_TITLE
    assert title_link["href"] == f"/doc/{PLAN}#{clause_anchor('三/(一)/2')}" == f"/doc/{PLAN}#c-三-(一)-2"
    meta = line.select_one("aside.source .meta").get_text(" ", strip=True)
    assert "深圳市工业和信息化局" in meta and "2020-03-10" in meta and "深府办〔2020〕4号" in meta
    assert "有效期至 2025-03-09" in meta
    assert line.select_one("aside.source .amounts").get_text() == "金额：最高不超过300万元"
    assert sources(part)[0] == f"/doc/{PLAN}#c-三-(一)-2"  # the first basis proposed


def test_the_anchor_of_a_source_link_is_on_the_documents_page(app, drafted):
    href = sources(section(drafted.soup, "时尚与科技融合"))[0]
    path, anchor = href.split("#")
    document = call(app, path)
    assert document.status == 200
    assert document.soup.find(id=anchor) is not None


def test_every_quoted_line_has_its_source_and_passages_link_to_earlier_replies(drafted, library_draft):
    letter = drafted.soup.select_one("article.letter")
    quoted = letter.select("div.draft-line.kind-clause, div.draft-line.kind-passage")
    expected = [ln for ln in library_draft.lines() if ln.kind in ("clause", "passage")]
    assert len(quoted) == len(expected) > 0
    for div, line in zip(quoted, expected):
        assert div.blockquote.get_text() == line.text
        href = div.select_one("aside.source .source-title a")["href"]
        assert href.startswith(f"/doc/{line.source.doc_id}")
        if line.source.clause:
            assert href.endswith("#" + clause_anchor(line.source.clause))


def test_placeholders_are_highlighted(drafted, library_draft):
    letter = drafted.soup.select_one("article.letter")
    gaps = [m.get_text() for m in letter.select("mark.gap")]
    assert gaps == library_draft.placeholders()
    assert "【待填写：具体工作进展】" in gaps and "【待填写：联系电话】" in gaps
    summary = drafted.soup.select_one(".draft-toolbar .summary").get_text()
    assert f"{len(gaps)} 处待填写" in summary and DATE in summary


def test_the_form_keeps_what_was_sent(drafted):
    soup = drafted.soup
    assert soup.select_one("textarea[name=text]").get_text().strip() == PROPOSAL.strip()
    assert soup.select_one("input[name=as]")["value"] == BODY
    assert soup.select_one("input[name=date]")["value"] == DATE


def test_after_the_plan_expires_its_clauses_are_not_shown(app):
    page = post_form(app, "/draft", form(date="2026-01-01"))
    assert page.status == 200
    clause_links = [a["href"] for a in page.soup.select("div.draft-line.kind-clause aside.source .source-title a")]
    assert not any(href.startswith(f"/doc/{PLAN}") for href in clause_links)


# -- downloads -------------------------------------------------------------------------------------
def test_the_download_buttons_post_the_same_form(drafted):
    buttons = {b["formaction"]: b for b in drafted.soup.select(".draft-toolbar button")}
    assert set(buttons) == {"/draft.docx", "/draft.md"}
    assert all(b["form"] == "draft-form" and b["type"] == "submit" for b in buttons.values())


def test_the_docx_download_opens_in_word_with_the_section_headings(app):
    answer = post_form(app, "/draft.docx", form())
    assert answer.status == 200
    assert answer.headers["content-type"] == DOCX_TYPE
    disposition = answer.headers["content-disposition"].encode("latin-1").decode("utf-8")  # WSGI's latin-1
    assert disposition.startswith('attachment; filename="答复草稿.docx"')
    assert "filename*=UTF-8''%E7%AD%94%E5%A4%8D%E8%8D%89%E7%A8%BF.docx" in disposition
    document = new_docx(io.BytesIO(answer.body))
    texts = [p.text for p in document.paragraphs]
    assert [t for t in texts if t in HEADINGS] == HEADINGS
    assert any("对企业为提升竞争力实施的创意设计" in t for t in texts)


def test_the_docx_of_an_uploaded_proposal_is_the_same(app):
    pasted = post_form(app, "/draft.docx", form())
    uploaded = post_multipart(app, "/draft.docx", form(text=""), ("提案.docx", proposal_docx()))
    assert uploaded.status == 200
    assert paragraphs(uploaded.body) == paragraphs(pasted.body)


def test_the_markdown_download(app, library_draft):
    answer = post_form(app, "/draft.md", form())
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/markdown; charset=utf-8"
    assert answer.headers["content-disposition"].encode("latin-1").decode("utf-8").startswith(
        'attachment; filename="答复草稿.md"')
    from search.drafting import render_markdown

    assert answer.text == render_markdown(library_draft)


# -- the JSON API ----------------------------------------------------------------------------------
def test_api_draft_equals_the_librarys_json(app, library_draft):
    answer = call(app, "/api/draft", "POST", json.dumps({"text": PROPOSAL, "as": BODY, "date": DATE}).encode(),
                  "application/json")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert answer.json() == json.loads(json.dumps(relative_sources(library_draft.to_json())))


def test_api_draft_takes_form_fields_too(app, library_draft):
    answer = post_form(app, "/api/draft", form())
    assert answer.json() == json.loads(json.dumps(relative_sources(library_draft.to_json())))


@pytest.mark.parametrize("body, problem", [
    ({"text": PROPOSAL, "date": "2024-13-45"}, "不是有效的日期"),
    ({"text": PROPOSAL, "date": "明天"}, "不是有效的日期"),
    ({"text": "   "}, "没有收到提案或建议的正文"),
    ({"text": "时" * 20_001}, "过长"),
])
def test_api_draft_errors_are_json_with_the_errors_status(app, body, problem):
    answer = call(app, "/api/draft", "POST", json.dumps(body).encode(), "application/json")
    assert answer.status == 400
    assert answer.json()["status"] == 400 and problem in answer.json()["error"]


@pytest.mark.parametrize("body", [b"[1, 2]", b'{"text": 3}', b"not json"])
def test_api_draft_wants_a_json_object_of_strings(app, body):
    answer = call(app, "/api/draft", "POST", body, "application/json")
    assert answer.status == 400 and answer.json()["status"] == 400


def test_api_draft_is_post_only(app):
    assert call(app, "/api/draft").status == 405
    assert call(app, "/draft.docx").status == 405


# -- friendly 400s ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fields, problem", [
    (form(date="2024-13-45"), "“2024-13-45”不是有效的日期"),
    (form(text=""), "没有收到提案或建议的正文"),
    (form(text=" \r\n "), "没有收到提案或建议的正文"),
])
def test_a_bad_date_or_an_empty_proposal_shows_the_form_again_with_the_problem(app, fields, problem):
    page = post_form(app, "/draft", fields)
    assert page.status == 400
    soup = page.soup
    assert problem in soup.select_one(".form-error").get_text()
    assert soup.select_one("article.letter") is None
    assert soup.select_one("textarea[name=text]").get_text().strip() == fields["text"].strip()
    assert soup.select_one("input[name=as]")["value"] == BODY
    assert "Traceback" not in page.text


@pytest.mark.parametrize("path", ["/draft.docx", "/draft.md"])
def test_a_download_of_nothing_is_a_400_page(app, path):
    page = post_form(app, path, form(text=""))
    assert page.status == 400
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "没有收到提案或建议的正文" in page.soup.select_one(".error .problem").get_text()


# -- uploads ---------------------------------------------------------------------------------------
def proposal_docx() -> bytes:
    """:data:`PROPOSAL` as a Word file, one paragraph per line, the title in a heading style."""
    document = new_docx()
    lines = PROPOSAL.strip().splitlines()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraphs(docx_bytes: bytes) -> list[str]:
    return [p.text for p in new_docx(io.BytesIO(docx_bytes)).paragraphs]


def test_an_uploaded_docx_gives_the_same_sections_as_the_pasted_text(app, drafted):
    page = post_multipart(app, "/draft", form(text=""), ("朱舜华提案.docx", proposal_docx()))
    assert page.status == 200
    pasted, uploaded = drafted.soup.select_one("article.letter"), page.soup.select_one("article.letter")
    assert [h.get_text() for h in uploaded.select("section.draft-section h3")] == HEADINGS
    assert [sources(s) for s in uploaded.select("section.draft-section")] == \
           [sources(s) for s in pasted.select("section.draft-section")]
    assert uploaded.get_text() == pasted.get_text()
    # the text read from the file is in the form, so the download buttons send it again
    assert "制定促进时尚与科技融合的行动计划" in page.soup.select_one("textarea[name=text]").get_text()


@pytest.mark.parametrize("name, encoding", [("提案.txt", "utf-8"), ("提案.md", "gb18030")])
def test_an_uploaded_text_file_in_any_encoding_gives_the_same_sections(app, name, encoding):
    page = post_multipart(app, "/draft", form(text=""), (name, PROPOSAL.encode(encoding)))
    assert page.status == 200
    assert [h.get_text() for h in page.soup.select("section.draft-section h3")] == HEADINGS


def test_the_multipart_form_without_a_file_uses_the_pasted_text(app):
    page = post_multipart(app, "/draft", form())
    assert page.status == 200
    assert [h.get_text() for h in page.soup.select("section.draft-section h3")] == HEADINGS


def test_the_uploaded_file_is_deleted_once_read(app, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert post_multipart(app, "/draft", form(text=""), ("提案.docx", proposal_docx())).status == 200
    assert post_multipart(app, "/draft", form(text=""), ("坏.docx", b"PK\x03\x04 broken")).status == 422
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, data, status, problem", [
    ("提案.pdf", b"%PDF-1.4", 400, "只能上传 txt、md 或 docx 文件"),
    ("提案.xlsx", b"PK", 400, "只能上传 txt、md 或 docx 文件"),
    ("坏.docx", b"this is not a zip", 422, "无法读取上传的文件“坏.docx”：不是有效的 Word（.docx）文件"),
    ("空.txt", "\u3000\n".encode(), 422, "无法读取上传的文件“空.txt”"),
])
def test_an_upload_that_cannot_be_read_says_so_in_chinese_without_paths(app, name, data, status, problem):
    page = post_multipart(app, "/draft", form(text=""), (name, data))
    assert page.status == status
    # a file of another type: the form again, the problem above it; one that cannot be read: an error page
    message = (page.soup.select_one(".form-error") or page.soup.select_one(".error .problem")).get_text()
    assert problem in message
    assert "/" not in message and "proposal" not in message and "tmp" not in message


def test_uploads_up_to_5_mb_are_accepted_and_larger_bodies_refused(app):
    padding = "\n" + "　" * 10  # a text file just under the limit, mostly blank
    big = (PROPOSAL + padding * ((MAX_UPLOAD_BYTES - 4096) // len(padding.encode()))).encode("utf-8")
    assert len(big) < MAX_UPLOAD_BYTES
    assert post_multipart(app, "/api/draft", form(text=""), ("大.txt", big)).status == 200
    too_big = post_multipart(app, "/draft", form(text=""), ("大.txt", b"x" * (MAX_UPLOAD_BYTES + 300 * 1024)))
    assert too_big.status == 413
    assert "5 MB" in too_big.soup.select_one(".error .problem").get_text()


def test_the_larger_limit_is_only_for_uploads_to_the_drafting_routes(app):
    body = ("text=" + "时" * 100_000).encode("utf-8")  # 300 KB of form: over the global 256 KB
    assert call(app, "/draft", "POST", body, "application/x-www-form-urlencoded").status == 413
    assert call(app, "/similar", "POST", body, "application/x-www-form-urlencoded").status == 413
    assert call(app, "/api/draft", "POST", body, "application/json").status == 413


# -- safety ----------------------------------------------------------------------------------------
def test_the_draft_page_has_no_script_and_the_strict_policy(drafted):
    assert "script-src 'none'" in drafted.headers["content-security-policy"]
    soup = drafted.soup
    assert soup.find("script") is None
    assert not [tag for tag in soup.find_all(True) if any(attr.startswith("on") for attr in tag.attrs)]


def test_markup_in_a_proposal_is_inert(app):
    page = post_form(app, "/draft", form(text=PROPOSAL.replace("时尚消费是城市", "<script>alert(1)</script>时尚消费是城市"),
                                         as_body="<b>局</b>"))
    assert page.status == 200
    assert "<script>alert(1)</script>" not in page.text and "<b>局</b>" not in page.text
    assert page.soup.select_one("h2.letter-title").get_text().startswith("<b>局</b>关于")
