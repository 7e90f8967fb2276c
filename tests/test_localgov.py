"""Documents as local governments write them: rules with a making line, decrees, notices that
issue or forward a text, joint issuers, kinds (real lines from tests/data/localgov)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus import parse_file
from corpus.clauses import parse_clauses
from corpus.issuers import find_issuers, find_signature, head_mark, title_opener
from corpus.kinds import classify, title_kind
from corpus.making import making, making_line, read_acts
from corpus.metadata import extract_title, labelled_fields

DATA = Path(__file__).parent / "data" / "localgov"
GOLD = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))["documents"]


@pytest.mark.parametrize("line, date, body, decree, effective", [
    ("(2013年1月17日吉林市第十五届人民政府第1次常务会议审议通过 2013年1月24日吉林市人民政府令第227号公布 "
     "自2013年3月1日起施行)", "2013-01-24", "吉林市人民政府", "吉林市人民政府令第227号", "2013-03-01"),
    (" (1991年3月26日济南市人民政府令19号发布)", "1991-03-26", "济南市人民政府", None, None),
    # an approval (批准) neither makes nor dates a regulation
    ("(2010年6月22日大连市第十四届人民代表大会常务委员会第十七次会议通过;2010年7月30日辽宁省第十一届人民代表大会"
     "常务委员会第十八次会议批准)", "2010-06-22", "大连市人民代表大会常务委员会", None, None),
    # the first act made it; the later one revised it (the issue's example)
    ("（1994年12月29日某市人民政府发布，根据2010年12月20日某市人民政府令第52号公布的《某市人民政府关于修改〈…〉"
     "等148件市政府规章的决定》修正并重新发布）", "1994-12-29", "某市人民政府", None, None),
    ("（2018年5月7日某市人民政府令第5号公布　自2018年7月1日起施行）", "2018-05-07", "某市人民政府", "某市人民政府令第5号",
     "2018-07-01"),
])
def test_making_line(line: str, date: str, body: str, decree: str | None, effective: str | None) -> None:
    made = making(read_acts(line))
    assert made is not None
    assert (made.made.date, made.made.body, made.made.decree, made.effective) == (date, body, decree, effective)


def test_making_line_stands_under_the_title() -> None:
    text = "吉林省吉林市人民政府\n\n吉林市城市露天市场管理办法\n\n(2013年1月24日吉林市人民政府令第227号公布)\n\n第一条 为加强管理"
    assert making_line(text, "吉林市城市露天市场管理办法") == "(2013年1月24日吉林市人民政府令第227号公布)"
    assert making_line("关于某事的通知\n\n各区：\n\n第一条 (2013年1月24日起)", "关于某事的通知") is None
    # under a title broken over two lines, below a red header and a 文号
    broken = ("某市人民政府\n\n某市人民政府令\n\n第5号\n\n\n某市城市道路\n\n车辆停放管理办法\n\n"
              "（2018年5月7日某市人民政府令第5号公布　自2018年7月1日起施行）\n\n第一条 为了规范管理")
    assert making_line(broken, "某市城市道路车辆停放管理办法") == "（2018年5月7日某市人民政府令第5号公布　自2018年7月1日起施行）"


@pytest.mark.parametrize("tail, date, issuers", [
    # joint issuers on one line, with spaces between
    ("请遵照执行。\n\n泉州市财政局     泉州市农业农村局 \n\n2019年6月10日\n", "2019-06-10", ("泉州市财政局", "泉州市农业农村局")),
    # one a line
    ("现予印发，请遵照执行。\n盐城市科学技术局\n盐城市财政局\n2022年5月9日\n", "2022-05-09", ("盐城市科学技术局", "盐城市财政局")),
    ("现印发给你们，请认真贯彻执行。\n\n东莞市人民政府办公室\n二○○五年六月二十八日\n", "2005-06-28", ("东莞市人民政府办公室",)),
    # a decree signed by the mayor names no body
    ("现予公布,自2010年2月1日起施行。\n\n        市长 刘赐贵\n\n        二OO九年十二月二十三日\n", "2009-12-23", ()),
])
def test_signature_block(tail: str, date: str, issuers: tuple[str, ...]) -> None:
    signature = find_signature(tail)
    assert signature is not None and (signature.date, signature.issuers) == (date, issuers)


@pytest.mark.parametrize("title, bodies", [
    ("成都市发展和改革委员会 中共成都市委社会工作部 成都市规划和自然资源局 成都市住房和城乡建设局 关于印发成都市城市社区"
     "嵌入式服务设施建设工程实施方案的通知",
     ["成都市发展和改革委员会", "中共成都市委社会工作部", "成都市规划和自然资源局", "成都市住房和城乡建设局"]),
    ("北京市财政局、北京市水利局转发财政部、水利部《关于颁发〈特大防汛抗旱补助费使用管理暂行办法〉的通知》",
     ["北京市财政局", "北京市水利局"]),
    ("上海市人民政府印发《关于本市加强政务诚信建设的实施意见》的通知", ["上海市人民政府"]),
    ("关于印发东莞市困难家庭住房保障办法实施细则的通知", []),
])
def test_title_opener(title: str, bodies: list[str]) -> None:
    assert title_opener(title) == bodies


def test_head_mark_above_the_title() -> None:
    text = "湖南省人民政府办公厅文件\n\n湘政办发〔2009〕24号\n\n湖南省人民政府办公厅关于加强普通高等学校\n\n毕业生就业工作的通知\n"
    assert head_mark(text, "湖南省人民政府办公厅关于加强普通高等学校毕业生就业工作的通知") == ["湖南省人民政府办公厅"]
    assert head_mark("宁夏回族自治区政府\n\n宁夏回族自治区社会办医和个体行医管理办法\n", "宁夏回族自治区社会办医和个体行医管理办法") == [
        "宁夏回族自治区政府"]
    assert head_mark("某局\n\n正文没有标题。\n", "不在文中的标题") == []


@pytest.mark.parametrize("stated, issuers", [
    ("盐城市科学技术局 盐城市财政局", ["盐城市科学技术局", "盐城市财政局"]),
    ("泉州市财政局、泉州市农业农村局", ["泉州市财政局", "泉州市农业农村局"]),
    ("深圳市工业和信息化局", ["深圳市工业和信息化局"]),
])
def test_joint_issuers_stated_in_one_field(tmp_path: Path, stated: str, issuers: list[str]) -> None:
    table = tmp_path / "rows.csv"
    table.write_text(f"编号,机关,正文\nA1,{stated},现将有关事项通知如下。\n", encoding="utf-8")
    [doc] = parse_file(str(table), columns="id=编号,issuing_body=机关,body=正文").documents
    assert (doc.issuing_body, doc.issuers) == (issuers[0], issuers)


def test_the_printing_office_of_the_colophon_issues_nothing() -> None:
    # GB/T 9704's 版记 closes with the 印发机关 and 印发日期; where the signature is missing, the
    # date is the 印发 date and the issuer the body the title opens with
    text = ("某市人民政府关于加强城市管理的通知\n\n各区人民政府，市政府各部门：\n　　现就有关事项通知如下。\n\n"
            "抄送：市委办公室。\n某市人民政府办公室　　2020年3月5日印发\n")
    signature = find_signature(text)
    assert signature is not None and (signature.date, signature.printed) == ("2020-03-05", True)
    assert find_issuers(text, "某市人民政府关于加强城市管理的通知", {}, signature) == ["某市人民政府"]


def test_rule_issuer_is_the_government_not_the_interpreter() -> None:
    text = ("某市某某管理办法\n（2018年5月7日某市人民政府令第5号公布　自2018年7月1日起施行）\n"
            "第一条 为规范管理，制定本办法。\n第二条 本办法由市公安局负责解释。\n")
    made = making(read_acts(making_line(text, "某市某某管理办法") or ""))
    assert find_issuers(text, "某市某某管理办法", {}, find_signature(text), None, made) == ["某市人民政府"]


@pytest.mark.parametrize("text, title", [
    # broken by a blank line under a red header and a 发文字号
    ("湖南省人民政府办公厅文件\n\n湘政办发〔2009〕24号\n\n湖南省人民政府办公厅关于加强普通高等学校\n\n毕业生就业工作的通知\n\n"
     "各市州、县市区人民政府,省政府各厅委、各直属机构:\n",
     "湖南省人民政府办公厅关于加强普通高等学校毕业生就业工作的通知"),
    # four joint issuers make a long title line
    ("成都市发展和改革委员会 中共成都市委社会工作部 成都市规划和自然资源局 成都市住房和城乡建设局 关于印发成都市城市社区嵌入式"
     "服务设施建设工程实施方案的通知\n\n各区(市)县政府(管委会),市级有关部门,有关单位:\n",
     "成都市发展和改革委员会 中共成都市委社会工作部 成都市规划和自然资源局 成都市住房和城乡建设局 关于印发成都市城市社区嵌入式"
     "服务设施建设工程实施方案的通知"),
    # the issuers' line under the title is not part of it
    ("北京市财政局、北京市水利局转发财政部、水利部《关于颁发〈特大防汛抗旱补助费使用管理暂行办法〉的通知》\n北京市财政局 市水利局\n\n"
     "各区、县财政局、水利(水资源)局、市属水利管理单位:\n",
     "北京市财政局、北京市水利局转发财政部、水利部《关于颁发〈特大防汛抗旱补助费使用管理暂行办法〉的通知》"),
    ("宁夏回族自治区政府\n\n\n宁夏回族自治区社会办医和个体行医管理办法\n宁夏回族自治区政府\n\n\n\n第一章 总则\n",
     "宁夏回族自治区社会办医和个体行医管理办法"),
    # a page's labelled fields as a list, and as a table
    ("- 索引号:dqxs/2021-00016\n- 发文字号:阿行发〔2021〕42号\n- 名 称:阿里地区行政公署关于印发《阿里地区行政公署工作规则》的通知\n"
     "阿里地区行政公署关于印发《阿里地区行政公署工作规则》的通知\n发布时间:2021-12-22 17:45 浏览次数:\n",
     "阿里地区行政公署关于印发《阿里地区行政公署工作规则》的通知"),
    ("汉阴县人民政府办公室关于印发《汉阴县过渡期统筹整合使用财政涉农资金管理办法》的通知\n"
     "索引号 | xzfgzbmzfb/2021-3740 | 公开目录: | 县政府办文件,惠农惠民政策和资金 |\n",
     "汉阴县人民政府办公室关于印发《汉阴县过渡期统筹整合使用财政涉农资金管理办法》的通知"),
    # a rule's title broken by a blank line, under its decree
    ("某市人民政府\n\n某市人民政府令\n\n第5号\n\n\n某市城市道路\n\n车辆停放管理办法\n\n"
     "（2018年5月7日某市人民政府令第5号公布　自2018年7月1日起施行）\n\n第一条 为了规范管理", "某市城市道路车辆停放管理办法"),
    # the first chapter right under the title is no part of it
    ("盐政发〔2017〕40号\n盐池县人民政府工作规则\n第一章 总 则\n第一条 根据《中华人民共和国宪法》,制定本规则。\n",
     "盐池县人民政府工作规则"),
])
def test_title(text: str, title: str) -> None:
    assert extract_title(text) == title


def test_labelled_fields_of_a_table_row() -> None:
    fields = labelled_fields("文号 | 汉政办发〔2021〕88号 | 成文日期: | 2021年09月28日 |\n")
    assert (fields["doc_number"], fields["signed"]) == ("汉政办发〔2021〕88号", "2021年09月28日")


@pytest.mark.parametrize("title, kind", [
    ("中华人民共和国政府采购法", "法律"),
    ("中华人民共和国刑法修正案（十一）", "法律"),
    ("中华人民共和国归侨侨眷权益保护法实施办法", "办法"),
    ("最高人民法院关于审理劳动争议案件适用法律若干问题的解释（三）", "司法解释"),
    ("大连市循环经济促进条例", "条例"),
    ("北京市人民代表大会常务委员会关于加强市级预算审查监督的决定", "决定"),
    ("广安市广安区城市精细化管理实施细则", "细则"),
    ("《银川市城市住房保障管理办法(修订草案征求意见稿)》公开征求意见", "其他"),
    ("国务院办公厅关于印发《国务院有关部门和单位制定和修订突发公共事件应急预案框架指南》的函", "函"),
    ("东阳市促进残疾人就业行动实施方案(2023—2025年)", "实施方案"),
    ("某区2024年安全生产工作方案", "工作方案"),
    ("某市国土空间总体规划（2021—2035年）", "规划"),
    ("某市人民政府关于禁止燃放烟花爆竹的通告", "通告"),
])
def test_title_kind(title: str, kind: str) -> None:
    assert title_kind(title) == kind


@pytest.mark.parametrize("title, body, kind", [
    # the text it issues is its body: of that text's kind
    ("濮阳市人民政府办公室关于印发濮阳市城市道路窨井设施管理暂行办法的通知",
     "各县(区)人民政府:\n《濮阳市城市道路窨井设施管理暂行办法》已经市政府同意,现印发给你们。\n\n二〇一一年三月三十日\n\n"
     "濮阳市城市道路窨井设施管理暂行办法\n\n第一条 为加强城市道路窨井设施的监督,制定本办法。", "办法"),
    # …broken over two lines
    ("汉阴县人民政府办公室关于印发《汉阴县过渡期统筹整合使用财政涉农资金管理办法》的通知",
     "现将《汉阴县过渡期统筹整合使用财政涉农资金管理办法》印发给你们,请遵照执行。\n汉阴县人民政府办公室\n2021年9月28日\n"
     "汉阴县过渡期统筹整合使用财政涉农\n资金管理办法\n第一条 为贯彻落实", "办法"),
    # …with no title of its own, but numbered after the cover note
    ("成都市发展和改革委员会关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知",
     "经市领导同意,现将《成都市城市社区嵌入式服务设施建设工程实施方案》印发给你们,请结合实际认真贯彻落实.\n\n开展城市社区嵌入式"
     "服务设施建设是重大民生工程。\n\n一、主要目标\n\n到2025年底前…", "实施方案"),
    # the cover note alone: a notice
    ("广州市人民政府办公厅关于印发广州市促进软件产业高质量发展若干措施的通知",
     "各区人民政府：\n《广州市促进软件产业高质量发展若干措施》已经市人民政府同意，现印发给你们。\n", "通知"),
    # a text of no kind of the list (工作规则): a notice
    ("太湖县人民政府关于印发《太湖县人民政府工作规则》的通知",
     "《太湖县人民政府工作规则》已经县政府第三次全体会议通过,现予印发。\n\n太湖县人民政府工作规则\n\n第一章 总则\n", "通知"),
    ("关于请求为小区加装路灯的回复", "网友：您好！您的来信已收悉，现回复如下：", "答复"),
])
def test_issued_kind(title: str, body: str, kind: str) -> None:
    assert classify(title, title + "\n" + body) == kind


@pytest.mark.parametrize("text, paths", [
    # an article label alone on its line; the item under it stays an item
    ("第一章\n总则\n第一条\n为规范某某管理，制定本办法。\n第二条\n本办法所称成本，包括：\n6.财务成本，指企业的利息支出。\n",
     ["第一章", "第一章/第一条", "第一章/第二条", "第一章/第二条/6"]),
    # a form after the body holds no clauses of it
    ("一、工作目标\n到2025年完成。\n二、工作要求\n各单位按时报送。\n\n某局\n2024年3月1日\n\n附件1\n企业申报汇总表\n一、企业名称\n二、联系人\n",
     ["一", "二"]),
    # nor do a regulation's appendices
    ("第一条 为规范管理，制定本办法。\n第二条 本办法自发布之日起施行。\n附件\n一、收费项目\n二、收费标准\n", ["第一条", "第二条"]),
    # the text a notice issues, under 附件 before any clause, is its body
    ("现将《某规定》印发给你们。\n附件:\n某规定\n一、为规范管理，制定本规定。\n二、本规定自印发之日起施行。\n", ["一", "二"]),
])
def test_numbering_layouts(text: str, paths: list[str]) -> None:
    assert [c.path for c in parse_clauses(text)] == paths


def test_appendix_text_is_not_in_the_last_clause() -> None:
    clauses = parse_clauses("第一条 为规范管理。\n第二条 本办法自发布之日起施行。\n\n附表1\n项目 金额\n")
    assert clauses[-1].text == "第二条 本办法自发布之日起施行。"


@pytest.mark.parametrize("want", GOLD, ids=[g["file"] for g in GOLD])
def test_collected_document(want: dict) -> None:
    result = parse_file(str(DATA / want["file"]))
    record = result.documents[0].to_record()
    alternatives = want.get("alternatives", {})
    for field in ("title", "issuing_body", "date", "doc_number", "doc_type"):
        if field in want:  # titles compare without their white space (东阳市人民政府办公室 关于…)
            accepted = {re.sub(r"\s+", "", v) if v else v for v in [want[field], *alternatives.get(field, [])]}
            assert (re.sub(r"\s+", "", record[field]) if record[field] else None) in accepted, field
    leads = [want["issuers"][0], *alternatives.get("issuing_body", [])]
    assert record["issuers"] in [[lead, *want["issuers"][1:]] for lead in leads]


JOINT = ("泉州市财政局 泉州市农业农村局关于印发泉州市市级特色现代农业发展资金管理暂行规定的通知\n\n"
         "各县(市、区)财政局、农业农村主管部门:\n现将《泉州市市级特色现代农业发展资金管理暂行规定》印发给你们,请遵照执行。\n\n"
         "泉州市财政局     泉州市农业农村局\n\n2019年6月10日\n\n泉州市市级特色现代农业发展资金管理暂行规定\n\n"
         "一、为规范市级特色现代农业发展专项资金的分配和管理,制定本暂行规定。\n")
SINGLE = ("泉州市农业农村局关于做好2019年农业发展资金申报的通知\n\n各县(市、区)农业农村主管部门:\n"
          "请按时报送农业发展资金申报材料。\n\n泉州市农业农村局\n\n2019年7月1日\n")


@pytest.fixture(scope="module")
def joint_index(tmp_path_factory: pytest.TempPathFactory):
    from conftest import index_of_texts

    with index_of_texts(tmp_path_factory.mktemp("joint"), {"joint.txt": JOINT, "single.txt": SINGLE}) as index:
        yield index


def test_a_document_counts_under_each_of_its_issuers(joint_index) -> None:
    results = joint_index.search("农业发展资金", facets=True)
    assert results.facets is not None
    assert dict(results.facets["issuer"]) == {"泉州市农业农村局": 2, "泉州市财政局": 1}


@pytest.mark.parametrize("query, sources", [
    ("农业发展资金 机关:农业农村局", ["joint.txt", "single.txt"]),
    ("农业发展资金 机关:财政局", ["joint.txt"]),
])
def test_the_issuer_filter_matches_a_joint_issuer(joint_index, query: str, sources: list[str]) -> None:
    assert sorted(h.source for h in joint_index.search(query).hits) == sources
