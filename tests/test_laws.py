"""A sample of the Markdown laws corpus parses, with articles wherever the text has them."""
from __future__ import annotations

import re
import tarfile
from pathlib import Path

import pytest

from corpus.clean import clean_text
from corpus.dates import find_dates
from corpus.laws import law_header
from corpus.parse import parse_source
from corpus.readers import Format, SourceText, content_id
from conftest import index_of_texts

REAL = Path(__file__).parent / "data" / "laws"  # excerpts of laws of the archive, their header whole
LAWS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "laws.tar.xz"
SAMPLE_EVERY = 17  # about 200 of the 3,475 laws, spread over every folder of the archive
ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百千零〇\d]+条", re.M)


@pytest.fixture(scope="module")
def sample() -> list[tuple[str, str]]:
    if not LAWS.exists():
        pytest.skip(f"no laws corpus at {LAWS} (the shared folder is absent)")
    laws = []
    with tarfile.open(LAWS) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".md")]
        for member in members[::SAMPLE_EVERY]:
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            laws.append((member.name, clean_text(data.decode("utf-8"))))
    return laws


def test_sample_parses_with_articles(sample: list[tuple[str, str]]) -> None:
    written = found = 0
    for name, text in sample:
        doc = parse_source(SourceText(name, name, "0", content_id(text.encode()), text, Format.MARKDOWN))
        assert doc.title, name
        if ARTICLE_LINE.search(text):
            written += 1
            found += any(re.fullmatch(r"第.+条", c.label) for c in doc.clauses)
    assert len(sample) >= 190
    assert found / written >= 0.99


def test_law_header() -> None:
    text = ("# 泰山风景名胜区生态保护条例\n\n2017年12月26日 泰安市第十七届人民代表大会常务委员会第六次会议通过\n\n"
            " 2018年1月23日山东省第十二届人民代表大会常务委员会第三十五次会议批准\n\n2018年5月1日 施行\n\n"
            "<!-- INFO END -->\n\n## 第一章  总   则\n\n第一条 为加强泰山风景名胜区生态保护，制定本条例。")
    header = law_header(clean_text(text))
    assert (header.title, header.date, header.issuing_body, header.effective_date) == (
        "泰山风景名胜区生态保护条例", "2018-01-23", "泰安市人民代表大会常务委员会", "2018-05-01")


@pytest.mark.parametrize("line, body", [
    # the body named first acts; what follows on the line is another act, dated on its own
    ("2018年8月29日 淄博市第十五届人民代表大会常务委员会第十六次会议通过并经2018年9月21日山东省第十三届人民代表大会"
     "常务委员会第五次会议批准的《淄博市人民代表大会常务委员会关于修改〈淄博市国土绿化条例〉等十三件地方性法规的决定》第二次修正",
     "淄博市人民代表大会常务委员会"),
    ("2014年5月30日 青岛市人民代表大会常务委员会公告公布自2014年9月1日施行", "青岛市人民代表大会常务委员会"),
    ("2008年7月17日 经人力资源和社会保障部第6次部务会议通过", "人力资源和社会保障部"),
    ("2016年11月21日 由最高人民法院审判委员会第1700次会议通过", "最高人民法院审判委员会"),
    # a joint making: the body named first is the first issuer
    ("2018年9月3日 最高人民法院审判委员会第1747次会议、2018年12月12日最高人民检察院第十三届检察委员会第十一次会议通过",
     "最高人民法院审判委员会"),
    # a revision the province approved: the city's committee made it
    ("2011年11月25日 山东省第十一届人民代表大会常务委员会第二十七次会议批准的2011年11月15日青岛市第十四届人民代表大会"
     "常务委员会第三十三次会议《关于修改<青岛市专利保护规定>的决定》修正", "青岛市人民代表大会常务委员会"),
    ("2017年3月30日 山东省第十二届人民代表大会常务委员会第二十七次会议《修改〈山东省人民代表大会", "山东省人民代表大会常务委员会"),
])
def test_the_acting_body_of_a_date_line(line: str, body: str) -> None:
    header = law_header(f"# 某条例\n\n{line}\n\n<!-- INFO END -->\n")
    assert header.issuing_body == body
    if "施行" not in line:  # the latest act dates the text; a day it takes effect does not
        assert header.date == max(day.iso for day in find_dates(line))


def test_decree_number_from_date_line() -> None:
    header = law_header("# 某条例\n\n2014年11月24日 中华人民共和国国务院令第656号公布\n\n<!-- INFO END -->\n")
    assert (header.date, header.issuing_body, header.doc_number) == ("2014-11-24", "中华人民共和国国务院",
                                                                     "中华人民共和国国务院令第656号")


def parse_real(name: str):
    text = clean_text((REAL / name).read_text(encoding="utf-8"))
    return parse_source(SourceText(name, name, "0", content_id(text.encode()), text, Format.MARKDOWN))


def test_a_citys_regulation_is_issued_by_the_city_not_the_approving_province() -> None:
    doc = parse_real("潮州市畲族文化保护条例.md")  # 潮州市…通过, 广东省…批准
    assert (doc.issuing_body, doc.issuers, doc.date) == ("潮州市人民代表大会常务委员会", ["潮州市人民代表大会常务委员会"],
                                                         "2021-03-18")


def test_a_revision_on_the_line_of_an_approval_dates_the_text_and_names_its_maker() -> None:
    # 2016年…批准根据2019年1月31日济南市…通过并经2019年2月12日山东省…批准的《…决定》修正
    doc = parse_real("济南市钢结构建筑应用促进条例.md")
    assert (doc.issuing_body, doc.date) == ("济南市人民代表大会常务委员会", "2019-02-12")


def test_a_making_line_in_brackets_dates_a_law_by_its_latest_revision() -> None:
    # （2019年5月20日…第1769次会议通过，根据2020年12月23日…第1823次会议通过的《…决定》修正）
    doc = parse_real("生态环境损害赔偿若干规定.md")
    assert (doc.doc_type, doc.issuing_body, doc.date) == ("司法解释", "最高人民法院审判委员会", "2020-12-23")


def test_the_civil_codes_books_are_laws() -> None:
    doc = parse_real("民法典物权编.md")
    assert (doc.title, doc.doc_type, doc.issuing_body) == ("中华人民共和国民法典·物权编", "法律", "全国人民代表大会")


def test_laws_facts_in_search(tmp_path: Path) -> None:
    texts = {path.name: path.read_text(encoding="utf-8") for path in REAL.glob("*.md")}
    with index_of_texts(tmp_path, texts) as index:
        found = index.search("居住权 类型:法律", clauses=True).hits
        assert {(hit.title, hit.clause.split("/")[-1]) for hit in found} >= {("中华人民共和国民法典·物权编", "第三百六十六条"),
                                                             ("中华人民共和国民法典·物权编", "第三百六十八条")}
        assert {hit.title for hit in found} == {"中华人民共和国民法典·物权编"}
        assert index.search("畲族 机关:广东").hits == []
        assert [hit.title for hit in index.search("畲族 机关:潮州").hits] == ["潮州市畲族文化保护条例"]
