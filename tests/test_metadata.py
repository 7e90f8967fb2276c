"""Document metadata: title, type, issuer, numbers, reply fields, validity."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from corpus.issuers import find_issuing_body, find_signature
from corpus.kinds import classify
from corpus.metadata import extract_title, find_doc_number, labelled_fields, normalize_doc_number
from corpus.replies import find_proposal_number, find_proposers, find_session, reply_fields
from corpus.validity import find_effective_date, find_valid_until, find_valid_years, status_on


@pytest.mark.parametrize("text, title", [
    ("市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函\n尊敬的朱舜华委员：\n…",
     "市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函"),
    ("关于深圳市福田区第八届人民代表大会第三次会议建议《关于加快数字化转型，推动科技\n赋能时尚产业的建议》（JY20230126）\n"
     "的回复\n\n尊敬的张昊等代表：",
     "关于深圳市福田区第八届人民代表大会第三次会议建议《关于加快数字化转型，推动科技赋能时尚产业的建议》（JY20230126）的回复"),
    ("深圳市工业和信息化局\n\n深圳市时尚产业高质量发展行动计划（2020—2024年）\n\n信息提供日期：2020-03-10 00:00",
     "深圳市时尚产业高质量发展行动计划（2020—2024年）"),
    ("附件\n\n龙岗区关于促进时尚产业高质量发展\n若干措施\n\n现代时尚产业是龙岗区“11+2”集群产业之一。",
     "龙岗区关于促进时尚产业高质量发展若干措施"),
    ("广州市人民政府办公厅关于印发广州市促进软件产业高质量发展若干措施的通知\n穗府办规〔2023〕5号\n\n各区人民政府：",
     "广州市人民政府办公厅关于印发广州市促进软件产业高质量发展若干措施的通知"),
])
def test_title(text: str, title: str) -> None:
    assert extract_title(text) == title


@pytest.mark.parametrize("title, opener, doc_type", [
    ("市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函", "尊敬的朱舜华委员：", "提案答复"),
    ("关于深圳市福田区第八届人民代表大会第三次会议建议《关于加快数字化转型，推动科技赋能时尚产业的建议》（JY20230126）的回复",
     "尊敬的张昊等代表：", "建议答复"),
    ("关于深圳市福田区政协第六届第三次会议提案《关于高质量推进福田建设世界级时尚消费核心区的建议》第2023141号的主办意见",
     "尊敬的张立勤委员：", "提案答复"),
    ("深圳市时尚产业高质量发展行动计划（2020—2024年）", "时尚产业是以创意为核心", "行动计划"),
    ("龙岗区关于促进时尚产业高质量发展若干措施", "", "若干措施"),
    ("广州市人民政府办公厅关于印发广州市促进软件产业高质量发展若干措施的通知", "各区人民政府：", "通知"),
    ("深圳市科技计划项目管理办法（试行）", "第一条 为了规范管理", "办法"),
    ("关于请求为小区加装路灯的回复", "网友：您好！您的来信已收悉，现回复如下：", "答复"),
])
def test_doc_type(title: str, opener: str, doc_type: str) -> None:
    assert classify(title, title + "\n" + opener) == doc_type


@pytest.mark.parametrize("text, title, body", [
    ("再次感谢您！\n专此答复。\n       深圳市工业和信息化局      \n\n                                2020年6月28日  \n（联系人：彭常斐）",
     "市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函", "深圳市工业和信息化局"),
    ("特此回复。\n\n                           福田区文化广电旅游体育局\n2023年5月28日    \n",
     "关于…建议的回复", "福田区文化广电旅游体育局"),
    ("深圳市工业和信息化局\n\n深圳市时尚产业高质量发展行动计划\n\n信息提供日期：2020-03-10 00:00 信息来源：深圳市工业和信息化局",
     "深圳市时尚产业高质量发展行动计划", "深圳市工业和信息化局"),
    ("本措施由区工业和信息化局（区商务局）负责解释。", "龙岗区关于促进时尚产业高质量发展若干措施", "龙岗区工业和信息化局"),
    ("特此回复。", "关于深圳市福田区政协第六届第三次会议提案的主办意见", None),
])
def test_issuing_body(text: str, title: str, body: str | None) -> None:
    full = title + "\n" + text
    assert find_issuing_body(full, title, labelled_fields(full), find_signature(full)) == body


def test_signature_date_split_across_lines() -> None:
    signature = find_signature("特此函复。\n深圳市财政局\n2021年3月\n15日\n")
    assert signature is not None and (signature.date, signature.issuer) == ("2021-03-15", "深圳市财政局")


@pytest.mark.parametrize("raw, number", [
    ("深府办[2020]4号", "深府办〔2020〕4号"),
    ("深府办［2020］4号", "深府办〔2020〕4号"),
    ("深府办（2020）4号", "深府办〔2020〕4号"),
    ("深府办 〔2020〕 4号", "深府办〔2020〕4号"),
])
def test_doc_number_brackets(raw: str, number: str) -> None:
    assert normalize_doc_number(raw) == number


def test_own_doc_number_not_a_cited_one() -> None:
    cited = "以市府办名义印发《深圳市时尚产业高质量发展行动计划（2020-2024年）》（深府办〔2020〕4号）"
    assert find_doc_number("关于X的函\n尊敬的委员：\n" + cited, "关于X的函", {}) is None
    own = "关于印发X的通知\n穗府办规［2023］5号\n各区人民政府：\n" + cited
    assert find_doc_number(own, "关于印发X的通知", {}) == "穗府办规〔2023〕5号"


def test_index_number() -> None:
    fields = labelled_fields("信息索取号： 020200-02-2020-114228 公开类型： 主动公开 生成日期： 2020-03-10")
    assert fields["index_number"] == "020200-02-2020-114228"


@pytest.mark.parametrize("opener, names", [
    ("尊敬的朱舜华委员：", ["朱舜华"]),
    ("尊敬的张昊等代表：", ["张昊"]),
    ("尊敬的张立勤、赵志豪、周璇、宋舒怀、林春浩委员：", ["张立勤", "赵志豪", "周璇", "宋舒怀", "林春浩"]),
    ("尊敬的民建深圳市委员会：", []),
])
def test_proposers(opener: str, names: list[str]) -> None:
    assert find_proposers(opener) == names


@pytest.mark.parametrize("text, session", [
    ("市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函", "市政协六届六次会议"),
    ("关于深圳市福田区第八届人民代表大会第三次会议建议《…》的回复", "深圳市福田区第八届人民代表大会第三次会议"),
    ("关于深圳市福田区政协第六届第三次会议提案《…》第2023141号的主办意见", "深圳市福田区政协第六届第三次会议"),
])
def test_session(text: str, session: str) -> None:
    assert find_session(text) == session


@pytest.mark.parametrize("title, number", [
    ("市工业和信息化局关于对市政协六届六次会议20190892号提案答复意见的函", "20190892"),
    ("关于…建议《关于加快数字化转型的建议》（JY20230126）的回复", "JY20230126"),
    ("关于…提案《关于高质量推进福田建设世界级时尚消费核心区的建议》第2023141号的主办意见", "2023141"),
])
def test_proposal_number(title: str, number: str) -> None:
    assert find_proposal_number(title, "") == number


def test_proposal_title_from_the_opener() -> None:
    text = "市政协办公厅转来市政协六届六次会议第20190892号提案《关于对标全球标杆城市提升深圳时尚消费的提案》（以下简称《提案》）收悉。"
    assert reply_fields("市工业和信息化局关于对提案答复意见的函", text).proposal_title == "关于对标全球标杆城市提升深圳时尚消费的提案"


@pytest.mark.parametrize("text, date, effective", [
    ("本专项政策自2024年1月5日起施行，有效期3年。", None, "2024-01-05"),
    ("本行动计划自发布之日起实施，有效期5年。", "2020-03-10", "2020-03-10"),
    ("本办法自印发之日起施行。", "2023-05-12", "2023-05-12"),
    ("本法自2014年1月1日起施行。", None, "2014-01-01"),
    ("《深圳市XX办法》自2019年1月1日起施行以来成效明显。", None, None),
])
def test_effective_date(text: str, date: str | None, effective: str | None) -> None:
    assert find_effective_date(text, date) == effective


@pytest.mark.parametrize("text, years", [
    ("本专项政策自2024年1月5日起施行，有效期3年。", 3),
    ("本办法自2020年1月1日起施行。有效期为五年。", 5),
    ("十、本措施由市工业和信息化局负责解释，有效期两年。", 2),
    ("本措施有效期至2025年12月31日", None),
    # what a law governs has its own validity, which is not the law's
    ("第八条 护士执业注册有效期为5年。", None),
    ("医疗器械生产许可证分为正本和副本，有效期为5年。", None),
    ("第十条 知识产权海关保护备案自海关总署准予备案之日起生效，有效期为10年。", None),
])
def test_valid_years(text: str, years: int | None) -> None:
    assert find_valid_years(text) == years


@pytest.mark.parametrize("text, until", [
    ("本措施自印发之日起施行，有效期至2025年12月31日。", "2025-12-31"),
    ("第九条 犬只准养登记有效期至2025年12月31日。", None),
])
def test_valid_until(text: str, until: str | None) -> None:
    assert find_valid_until(text) == until


@pytest.mark.parametrize("effective, years, body, day, status", [
    ("2024-01-05", 3, "", "2023-12-31", "尚未生效"),
    ("2024-01-05", 3, "", "2024-01-05", "现行有效"),
    ("2024-01-05", 3, "", "2027-01-04", "现行有效"),
    ("2024-01-05", 3, "", "2027-01-05", "已失效"),
    ("2023-05-12", None, "本措施自印发之日起施行，有效期至2025年12月31日。", "2026-01-01", "已失效"),
    ("2023-05-12", None, "", dt.date(2040, 1, 1), "现行有效"),
])
def test_status_on(effective: str, years: int | None, body: str, day: str | dt.date, status: str) -> None:
    doc = SimpleNamespace(date=None, effective_date=effective, valid_years=years, body=body)
    assert status_on(doc, day) == status


def _parse(text: str) -> dict:
    from corpus.clean import clean_text
    from corpus.parse import parse_source
    from corpus.readers import Format, SourceText

    text = clean_text(text)
    return parse_source(SourceText("doc.txt", "doc.txt", "0", "0", text, Format.TEXT)).to_record()


def test_web_page_of_a_decree() -> None:
    record = _parse(
        "首页 > 政务公开 > 政府规章\n深圳市人民政府门户网站\n索引号：\n11440300007542720G/2023-00123\n"
        "发布机构：\n深圳市人民政府\n深圳市人民政府令（第350号）\n"
        "《深圳市科技创新奖励办法》已经市政府七届八十三次常务会议审议通过，现予公布，自2023年5月1日起施行。\n"
        "市长　覃伟中\n2023年3月20日\n深圳市科技创新奖励办法\n第一章　总　　则\n第一条　为了鼓励科技创新，制定本办法。\n"
    )
    assert (record["title"], record["doc_type"], record["issuing_body"], record["date"]) == (
        "深圳市科技创新奖励办法", "办法", "深圳市人民政府", "2023-03-20")
    assert (record["doc_number"], record["index_number"], record["effective_date"]) == (
        "深圳市人民政府令第350号", "11440300007542720G/2023-00123", "2023-05-01")
    assert record["citations"] == []


def test_notice_that_wraps_measures() -> None:
    # the measures it issues are its body, so it is of their kind (spec: doc_type)
    record = _parse(
        "广州市人民政府办公厅关于印发广州市促进软件产业高质量发展若干措施的通知\n穗府办规〔2023〕5号\n\n"
        "各区人民政府，市政府各部门：\n　　《广州市促进软件产业高质量发展若干措施》已经市人民政府同意，现印发给你们。\n\n"
        "广州市人民政府办公厅\n2023年5月12日\n\n广州市促进软件产业高质量发展若干措施\n\n一、支持企业做大做强\n"
        "（一）对年度营业收入首次突破1亿元的软件企业，给予50万元奖励。\n二、附则\n本措施自印发之日起施行，有效期3年。"
    )
    assert (record["title"], record["doc_type"], record["issuing_body"], record["date"], record["doc_number"]) == (
        "广州市人民政府办公厅关于印发广州市促进软件产业高质量发展若干措施的通知", "若干措施", "广州市人民政府办公厅",
        "2023-05-12", "穗府办规〔2023〕5号")
    assert (record["effective_date"], record["valid_years"]) == ("2023-05-12", 3)
    assert [c["path"] for c in record["clauses"]] == ["一", "一/(一)", "二"]
    assert [(a["clause"], a["yuan"]) for a in record["amounts"]] == [("一/(一)", 100_000_000), ("一/(一)", 500_000)]


_ZHUBAN = next(__import__("corpus").sample_dir().glob("003_*.txt")).read_text(encoding="utf-8").rstrip()


@pytest.mark.parametrize("tail", [
    "\n\n福田区商务局\n2023年7月15日",
    "\n\n福田区商务局\n2023年7月15日（此件主动公开）",  # the publicity note on the date's line
    "\n\n主办单位：福田区商务局\n日期：2023年7月15日",  # a form's labelled date
    "\n\n主办单位：福田区商务局\n答复日期：2023年7月15日",
])
def test_a_主办意见s_date_is_its_signature_date(tail: str) -> None:
    # sample 003 is a 主办意见 that bears no date: signed, it has the date of its signature
    assert _parse(_ZHUBAN)["date"] is None
    assert _parse(_ZHUBAN + tail)["date"] == "2023-07-15"
