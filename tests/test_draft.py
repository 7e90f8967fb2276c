"""The drafting aid on the real samples: a new proposal made of the suggestions sample 000
answered, drafted against an index of the OTHER samples (001–004, not 000).

The 2020 reply (000) answered “制定促进时尚与科技融合的行动计划” by quoting clause 三/(一)/2 of the
2020 action plan (002): application-innovation projects, up to 30% of the investment, at most
300万元. The plan is valid 5 years from 2020-03-10, so it is in force on 2024-06-30 and on
2025-03-09, and expired from 2025-03-10: then it must not be proposed.
"""
from __future__ import annotations

import io
import json
import re

import pytest
from click.testing import CliRunner
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

import search.drafting.compose as draft_module
import search.drafting.earlier_commitments as earlier
import search.retrieve
from cli import main
from conftest import samples_index
from corpus.proposals import parse_proposal
from corpus.validity import IN_FORCE, status_on
from errors import UsageError
from search.drafting import PLACEHOLDER, build_draft, draft_from_text, render_docx, render_markdown
from search.engine import PolicyIndex

PLAN_TITLE = "深圳市时尚产业高质量发展行动计划（2020—2024年）"
MEASURES_TITLE = "龙岗区关于促进时尚产业高质量发展若干措施"

PROPOSAL = """关于对标全球标杆城市提升深圳时尚消费的提案
提案号：20190892
会议：深圳市政协六届六次会议
提案人：朱舜华

深圳提出建设全球标杆城市，时尚消费是城市竞争力的重要体现。目前我市时尚产业规模大而不强，时尚消费外流明显，时尚与科技融合不足。
为此，提出如下建议：
一、把提升消费列为全球标杆城市建设的重要维度考核。将时尚消费纳入全球标杆城市评价体系，定期发布时尚消费指数。
二、制定促进时尚与科技融合的行动计划。支持企业运用大数据、云计算、人工智能等新一代信息技术改造时尚产业，对创意设计、商业模式等应用创新项目给予资金支持。
三、聚焦深圳时尚产业的优势发展，按照全球标杆城市标准制定促进时尚产业发展行动计划。推动服装、钟表、黄金珠宝等产业聚集区升级，打造时尚消费街区。
"""

SUGGESTION = """深圳市福田区第八届人民代表大会第三次会议
关于推动直播电商与时尚产业融合发展的建议
建议编号：JY20240018
领衔代表：陈晓、李娜

建议：一是支持建设直播电商基地，为中小商户提供直播培育服务；二是加大时尚产业数字化转型支持力度。
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    """An index of samples 001–004: the reply 000 itself is not there to copy from."""
    with PolicyIndex(samples_index(tmp_path_factory.mktemp("draft-samples"))) as ix:
        yield ix


@pytest.fixture(scope="module")
def draft(index):
    return draft_from_text(index, PROPOSAL, as_body="深圳市工业和信息化局", date="2024-06-30")


def fashion_and_tech(d):
    return next(s for s in d.sections if "时尚与科技融合" in s.heading)


def test_one_section_per_suggestion_then_next_steps(draft):
    assert [s.heading for s in draft.sections] == [
        "一、关于“把提升消费列为全球标杆城市建设的重要维度考核”建议的答复",
        "二、关于“制定促进时尚与科技融合的行动计划”建议的答复",
        "三、关于“聚焦深圳时尚产业的优势发展，按照全球标杆城市标准制定促进时尚产业发展行动计划”建议的答复",
        "四、以往承诺及落实情况",
        "五、下一步工作",
    ]


def test_fashion_and_tech_section_proposes_the_plans_300_wan_clause(draft):
    section = fashion_and_tech(draft)
    found = {(c.source.title, c.source.clause): c for c in section.clauses}
    clause = found[(PLAN_TITLE, "三/(一)/2")]
    assert "对企业为提升竞争力实施的创意设计、供应链管理及商业模式等应用创新项目" in clause.text
    assert clause.amounts == [{"text": "最高不超过300万元", "yuan": 3000000, "kind": "cap"}]
    source = clause.source
    assert (source.date, source.issuing_body, source.status) == ("2020-03-10", "深圳市工业和信息化局", IN_FORCE)
    # the plan does not print its own 文号; the measures that cite it do
    assert (source.doc_number, source.doc_number_cited_in) == ("深府办〔2020〕4号", MEASURES_TITLE)
    assert source.valid_until == "2025-03-09"
    assert "三/(一)/2" in source.label() and "深府办〔2020〕4号" in source.label()


def test_the_clause_is_the_first_proposed_for_its_suggestion(draft):
    first = fashion_and_tech(draft).clauses[0]
    assert (first.source.title, first.source.clause) == (PLAN_TITLE, "三/(一)/2")


def test_clauses_are_proposed_when_the_index_is_large(index, monkeypatch):
    # over a large index a suggestion's common words exceed the engine's broad-query bound; the
    # clauses holding all twenty of them are none, and the draft proposed nothing at all
    monkeypatch.setattr(search.retrieve, "BROAD_QUERY", 0)
    d = draft_from_text(index, PROPOSAL, as_body="深圳市工业和信息化局", date="2024-06-30")
    first = fashion_and_tech(d).clauses[0]
    assert (first.source.title, first.source.clause) == (PLAN_TITLE, "三/(一)/2")


@pytest.mark.parametrize("date, proposed", [
    ("2024-06-30", True),
    ("2025-03-09", True),   # the last day of its five years
    ("2025-03-10", False),  # expired
    ("2026-01-01", False),
])
def test_an_expired_clause_is_never_proposed(index, date, proposed):
    d = draft_from_text(index, PROPOSAL, date=date)
    sources = [c.source for s in d.sections for c in s.clauses]
    assert any(s.title == PLAN_TITLE and s.clause == "三/(一)/2" for s in sources) is proposed
    if not proposed:
        assert all(s.title != PLAN_TITLE for s in sources)
    for source in sources:  # every clause proposed, checked again from its document
        record = index.document(source.doc_id, as_of=date)
        assert status_on(_Dated(record), date) == IN_FORCE


def test_after_the_plan_expires_the_measures_in_force_are_proposed_instead(index):
    section = fashion_and_tech(draft_from_text(index, PROPOSAL, date="2025-06-30"))
    assert section.clauses and {c.source.title for c in section.clauses} == {MEASURES_TITLE}


def test_a_day_before_the_measures_take_effect_they_are_not_proposed(index):
    sources = [c.source for s in draft_from_text(index, PROPOSAL, date="2024-01-04").sections for c in s.clauses]
    assert sources and all(s.title == PLAN_TITLE for s in sources)


def test_no_clause_in_force_leaves_a_placeholder(index):
    d = draft_from_text(index, PROPOSAL, date="2019-01-01")  # before every policy indexed
    assert not any(s.clauses for s in d.sections)
    assert "【待填写：未检索到2019年1月1日现行有效的相关条款，请核实答复依据】" in d.placeholders()


def test_replies_are_passages_never_clauses(draft):
    clause_types = {c.source.doc_type for s in draft.sections for c in s.clauses}
    passage_types = {p.source.doc_type for s in draft.sections for p in s.passages}
    assert clause_types and not clause_types & {"提案答复", "建议答复"}
    assert passage_types and passage_types <= {"提案答复", "建议答复"}


def test_the_drafting_bodys_own_replies_come_first_but_others_stay(index):
    # On suggestion 三 the 2023 Futian reply (001) ranks just below the 主办意见 (003), whose
    # issuer is not stated; answering as 001's issuer lifts it to the top.
    own = "福田区文化广电旅游体育局"
    for as_body in (None, own):
        d = draft_from_text(index, PROPOSAL, as_body=as_body, date="2024-06-30")
        bodies = [p.source.issuing_body for p in d.sections[2].passages]
        if as_body:
            assert bodies[0] == own
            assert len(set(bodies)) > 1  # a boost, not a filter
        else:
            assert bodies[0] != own


# -- nothing invented ------------------------------------------------------------------------------
TEMPLATES = {getattr(draft_module, name) for name in (
    "TITLE_PROPOSAL", "TITLE_SUGGESTION", "SALUTATION", "RECEIPT_PROPOSAL", "RECEIPT_SUGGESTION", "SECTION_HEADING",
    "NEXT_STEPS_HEADING", "GUIDE_CLAUSES", "GUIDE_PASSAGES", "GUIDE_OTHER_REGIONS", "THANKS", "CLOSING_PROPOSAL", "CLOSING_SUGGESTION",
    "SIGNATURE", "DATE_LINE", "CONTACT", "PUBLICITY", "CC")} | {earlier.HEADING, earlier.GUIDE, earlier.PARTICULARS}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("text, as_body, date", [
    (PROPOSAL, "深圳市工业和信息化局", "2024-06-30"),
    (PROPOSAL, None, "2025-06-30"),
    (SUGGESTION, "福田区文化广电旅游体育局", "2024-06-30"),
])
def test_every_line_is_genre_wording_a_sourced_quote_or_a_gap(index, text, as_body, date):
    d = draft_from_text(index, text, as_body=as_body, date=date)
    allowed_facts = {as_body, "委员", "代表", "您", "你们", d.proposal.session, d.proposal.number, d.proposal.title,
                     "、".join(d.proposal.proposers), d.proposal.topic} | {s.headline for s in d.proposal.suggestions}
    lines = d.lines()
    for n, line in enumerate(lines):
        if line.template == earlier.PARTICULARS:  # an earlier commitment's facts, read from its reply
            quoted = lines[n + 1]
            assert quoted.kind == "passage" and line.facts["date"] in (quoted.source.date, "不详")
            assert line.template.format(**line.facts) == line.text
            continue
        if line.kind in ("fixed", "guide"):
            assert line.template in TEMPLATES, line.text
            assert line.template.format(**line.facts) == line.text
            for value in line.facts.values():
                assert (value in allowed_facts or PLACEHOLDER.fullmatch(value) or re.fullmatch(r"\d{4}年\d+月\d+日", value)
                        or value in "一二三四五六七八九十"), value
        elif line.kind in ("passage", "clause", "reference"):
            assert line.source is not None
            body = index.document(line.source.doc_id)["body"]
            assert _flat(line.text) in _flat(body), line.text  # verbatim
        else:
            assert line.kind == "placeholder" and PLACEHOLDER.fullmatch(line.text), line.text


def test_placeholders_for_what_the_writer_supplies(draft):
    gaps = draft.placeholders()
    assert gaps.count("【待填写：具体工作进展】") == 3
    for gap in ("【待填写：下一步工作安排】", "【待填写：联系人】", "【待填写：联系电话】", "【待填写：相关工作领域】"):
        assert gap in gaps


# -- the genre's form ------------------------------------------------------------------------------
def test_a_proposal_answer_has_the_genres_form(draft):
    texts = [line.text for line in draft.lines()]
    assert texts[0] == "深圳市工业和信息化局关于对深圳市政协六届六次会议第20190892号提案答复意见的函"
    assert texts[1] == "尊敬的朱舜华委员："
    assert texts[2].startswith("深圳市政协六届六次会议第20190892号提案《关于对标全球标杆城市提升深圳时尚消费的提案》")
    assert "收悉。" in texts[2] and texts[2].endswith("经认真研究，现答复如下：")
    assert texts[-7:] == [
        "再次感谢您对【待填写：相关工作领域】的关心与支持！",
        "专此答复。",
        "深圳市工业和信息化局",
        "2024年6月30日",
        "（联系人：【待填写：联系人】，电话：【待填写：联系电话】）",
        "公开方式：【待填写：主动公开／依申请公开／不予公开】",
        "抄送：【待填写：抄送单位，如政协提案委员会、政府督查室等】",
    ]


def test_a_suggestion_answer_is_a_reply_to_deputies(index):
    d = draft_from_text(index, SUGGESTION, date="2024-06-30")
    texts = [line.text for line in d.lines()]
    assert d.kind == "建议"
    assert texts[0] == ("关于深圳市福田区第八届人民代表大会第三次会议建议《关于推动直播电商与时尚产业融合发展的建议》"
                        "（JY20240018）的回复")
    assert texts[1] == "尊敬的陈晓、李娜代表："
    assert texts[2].startswith("你们在深圳市福田区第八届人民代表大会第三次会议上提出的")
    assert "特此回复。" in texts and "专此答复。" not in texts
    assert "【待填写：承办单位】" in texts  # no --as: the signature is a gap
    assert [s.heading for s in d.sections] == [
        "一、关于“支持建设直播电商基地，为中小商户提供直播培育服务”建议的答复",
        "二、关于“加大时尚产业数字化转型支持力度”建议的答复",
        "三、以往承诺及落实情况",
        "四、下一步工作",
    ]


def test_a_proposal_with_no_particulars_gets_gaps_for_them(index):
    d = draft_from_text(index, "建议加快时尚产业数字化转型，支持商协会建设公共服务平台。", date="2024-06-30")
    assert d.title == "【待填写：承办单位】关于对【待填写：会议届次】第【待填写：编号】号提案答复意见的函"
    assert d.lines()[1].text == "尊敬的【待填写：提案人姓名】委员："


@pytest.mark.parametrize("text, date, problem", [
    ("   ", None, "the proposal is empty"),
    (PROPOSAL, "30/06/2024x", "is not a date"),
])
def test_bad_input_is_a_usage_error(index, text, date, problem):
    with pytest.raises(UsageError, match=problem):
        draft_from_text(index, text, date=date)


# -- outputs ---------------------------------------------------------------------------------------
def test_json_holds_sections_passages_clauses_sources_and_gaps(draft):
    record = json.loads(json.dumps(draft.to_json(), ensure_ascii=False))
    assert record["kind"] == "提案" and record["date"] == "2024-06-30"
    assert record["proposal"]["number"] == "20190892"
    section = record["sections"][1]
    assert section["suggestion"]["headline"] == "制定促进时尚与科技融合的行动计划"
    clause = section["clauses"][0]
    assert clause["source"]["clause"] == "三/(一)/2" and clause["source"]["doc_number"] == "深府办〔2020〕4号"
    assert clause["amounts"][0]["yuan"] == 3000000
    assert all(p["source"]["title"] and p["text"] for p in section["passages"])
    assert "【待填写：具体工作进展】" in section["placeholders"]
    assert record["placeholders"] == draft.placeholders()
    assert all("source" in ln for ln in record["lines"] if ln["kind"] in ("passage", "clause"))


def test_markdown_shows_every_source_beside_its_quote(draft):
    markdown = render_markdown(draft)
    quotes = [line for line in markdown.split("\n") if line.startswith(">")]
    assert quotes and all(re.search(r"〔来源：《[^〔]+》", q) for q in quotes)
    assert "# 深圳市工业和信息化局关于对深圳市政协六届六次会议第20190892号提案答复意见的函" in markdown
    assert "## 二、关于“制定促进时尚与科技融合的行动计划”建议的答复" in markdown
    clause = next(q for q in quotes if "应用创新项目" in q and PLAN_TITLE in q)
    assert "三/(一)/2" in clause and "深府办〔2020〕4号" in clause and "金额：最高不超过300万元" in clause
    assert "**【待填写：具体工作进展】**" in markdown
    unquoted = [line for line in markdown.split("\n") if line and not line.startswith(">")]
    assert not any("〔来源" in line for line in unquoted)


def _docx(draft, sources="comments"):
    return open_docx(io.BytesIO(render_docx(draft, sources)))


def test_docx_is_laid_out_as_an_official_document(draft):
    document = _docx(draft)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    normal = document.styles["Normal"]
    assert _east_asian(normal) == "仿宋_GB2312" and normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    title = document.styles["公文标题"]
    assert _east_asian(title) == "方正小标宋简体" and title.font.size.pt == 22
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    heading = document.styles["公文一级标题"]
    assert _east_asian(heading) == "黑体" and heading.font.size.pt == 16


def test_docx_holds_the_letter_with_sources_as_comments(draft):
    document = _docx(draft)
    paragraphs = [p for p in document.paragraphs]
    assert paragraphs[0].text == draft.title and paragraphs[0].style.name == "公文标题"
    headings = [p.text for p in paragraphs if p.style.name == "公文一级标题"]
    assert headings == [s.heading for s in draft.sections]
    assert "专此答复。" in [p.text for p in paragraphs]
    sourced = [ln for ln in draft.lines() if ln.source is not None]
    comments = list(document.comments)
    assert len(comments) == len(sourced)
    assert all(c.text.startswith("来源：《") for c in comments)
    assert not any("〔来源" in p.text for p in paragraphs)  # the letter's text stays clean
    gaps = [r for p in paragraphs for r in p.runs if PLACEHOLDER.fullmatch(r.text)]
    assert gaps and all(r.font.highlight_color is not None for r in gaps)


def test_docx_sources_as_paragraphs_of_their_own_style(draft):
    document = _docx(draft, "paragraphs")
    notes = [p for p in document.paragraphs if p.style.name == "来源"]
    assert len(notes) == len([ln for ln in draft.lines() if ln.source is not None])
    assert all(p.text.startswith("〔来源：《") for p in notes)
    assert document.styles["来源"].font.size.pt < 16
    assert not list(document.comments)


def _east_asian(style) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


class _Dated:
    def __init__(self, record):
        self.date, self.effective_date = record["date"], record["effective_date"]
        self.valid_years, self.body = record["valid_years"], record["body"]


# -- the command -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def index_dir(index) -> str:
    return str(index.index_dir)


def test_cli_prints_markdown(index_dir, tmp_path):
    path = tmp_path / "提案.txt"
    path.write_text(PROPOSAL, encoding="utf-8")
    result = CliRunner().invoke(main, ["draft", str(path), "--index", index_dir, "--date", "2024-06-30",
                                       "--as", "深圳市工业和信息化局"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# 深圳市工业和信息化局关于对")
    assert "〔来源：《深圳市时尚产业高质量发展行动计划（2020—2024年）》三/(一)/2" in result.output


def test_cli_reads_standard_input_and_prints_json(index_dir):
    result = CliRunner().invoke(main, ["draft", "-", "--index", index_dir, "--date", "2024-06-30", "--json"],
                                input=PROPOSAL)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["sections"][1]["clauses"][0]["source"]["clause"] == "三/(一)/2"


def test_cli_writes_docx_and_markdown(index_dir, tmp_path):
    runner = CliRunner()
    for name in ("答复.docx", "答复.md"):
        out = tmp_path / name
        result = runner.invoke(main, ["draft", "-", "--index", index_dir, "--date", "2024-06-30", "--out", str(out)],
                               input=PROPOSAL)
        assert result.exit_code == 0, result.output
        assert f"{out}: 5 sections" in result.output
    assert open_docx(str(tmp_path / "答复.docx")).paragraphs[1].text == "尊敬的朱舜华委员："
    assert (tmp_path / "答复.md").read_text(encoding="utf-8").startswith("# **【待填写：承办单位】**关于对")


@pytest.mark.parametrize("args, code, message", [
    (["draft", "-", "--out", "x.pdf"], 2, "write .md or .docx"),
    (["draft", "-", "--date", "明年"], 2, "is not a date"),
    (["draft", "no-such-file.txt"], 1, "no such file"),
])
def test_cli_errors(index_dir, args, code, message):
    result = CliRunner().invoke(main, args + ["--index", index_dir], input=PROPOSAL)
    assert result.exit_code == code
    assert message in result.output


def test_a_bad_date_names_the_parameter_in_the_library_and_the_flag_on_the_command_line(index, index_dir):
    with pytest.raises(UsageError) as raised:
        draft_from_text(index, PROPOSAL, date="明年")
    assert (raised.value.param, str(raised.value)) == ("date", "date: `明年` is not a date — write it as 2024-06-30")
    result = CliRunner().invoke(main, ["draft", "-", "--date", "明年", "--index", index_dir], input=PROPOSAL)
    assert result.output.endswith("Error: --date: `明年` is not a date — write it as 2024-06-30\n")


def test_build_draft_takes_a_parsed_proposal(index):
    d = build_draft(index, parse_proposal(PROPOSAL), "深圳市工业和信息化局", "2024-06-30")
    assert [s.number for s in d.sections] == ["一", "二", "三", "四", "五"]

