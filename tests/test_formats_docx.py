"""Word .docx files built here with python-docx, including Word's automatic list numbering."""
from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from corpus import parse_file
from corpus.docx import chinese_counting, format_number
from corpus.readers import Format, read_file

# 一、 / （一） / 1. / （1）: the ladder of Chinese government documents, as numbering.xml defines it.
OUTLINE = [("chineseCounting", "%1、", "nothing"), ("chineseCounting", "（%2）", "nothing"),
           ("decimal", "%3.", "tab"), ("decimal", "（%4）", "nothing")]


def add_abstract(doc, abstract_id: int, levels, *, styles: dict[int, str] | None = None, legal: bool = False) -> None:
    """Append a w:abstractNum to the document's numbering part (before the w:num elements, as the schema wants)."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:pStyle w:val="{styles[i]}"/>' if styles and i in styles else "")
        + ("<w:isLgl/>" if legal and i else "")
        + f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text, suff) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)


def add_num(doc, num_id: int, abstract_id: int, start_overrides: dict[int, int] | None = None) -> None:
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for lvl, start in (start_overrides or {}).items()
    )
    doc.part.numbering_part.element.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
    ))


def numbered(doc, text: str, level: int, num_id: int = 90):
    paragraph = doc.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def outline_document():
    doc = Document()
    add_abstract(doc, 90, OUTLINE)
    add_num(doc, 90, 90)
    doc.sections[0].header.paragraphs[0].text = "深圳市工业和信息化局文件（页眉）"
    doc.sections[0].footer.paragraphs[0].text = "— 1 —（页脚）"
    doc.add_paragraph("深圳市时尚产业高质量发展行动计划")
    doc.add_paragraph("为加快时尚产业发展，制定本行动计划。")
    numbered(doc, "发展目标", 0)
    doc.add_paragraph("到2022年，时尚产业规模不断壮大。")
    numbered(doc, "重点任务", 0)
    numbered(doc, "建设创意设计平台", 1)
    numbered(doc, "支持建设公共服务平台，给予最高不超过500万元资助。", 2)
    numbered(doc, "培育时尚品牌。", 2)
    numbered(doc, "国际品牌", 3)
    numbered(doc, "发展直播电商", 1)
    numbered(doc, "保障措施", 0)
    numbered(doc, "加强组织领导", 1)
    numbered(doc, "建立工作机制，每年安排资金3000万元。", 2)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "资助标准"
    table.cell(1, 0).text, table.cell(1, 1).text = "公共服务平台", "最高500万元"
    doc.add_paragraph("深圳市工业和信息化局")
    doc.add_paragraph("2020年3月10日")
    return doc


OUTLINE_TEXT = """深圳市时尚产业高质量发展行动计划
为加快时尚产业发展，制定本行动计划。
一、发展目标
到2022年，时尚产业规模不断壮大。
二、重点任务
（一）建设创意设计平台
1.支持建设公共服务平台，给予最高不超过500万元资助。
2.培育时尚品牌。
（1）国际品牌
（二）发展直播电商
三、保障措施
（一）加强组织领导
1.建立工作机制，每年安排资金3000万元。
项目 资助标准
公共服务平台 最高500万元
深圳市工业和信息化局
2020年3月10日"""


def save(doc, tmp_path: Path, name: str = "plan.docx") -> Path:
    path = tmp_path / name
    doc.save(str(path))
    return path


def text_of(path: Path) -> str:
    [source] = read_file(str(path), path)
    assert source.format is Format.DOCX
    return source.text


def test_automatic_numbering_is_rendered_as_the_reader_sees_it(tmp_path):
    assert text_of(save(outline_document(), tmp_path)) == OUTLINE_TEXT


def test_clause_paths_follow_the_automatic_numbering(tmp_path):
    result = parse_file(str(save(outline_document(), tmp_path)))
    [doc] = result.documents
    assert [c.path for c in doc.clauses] == [
        "一", "二", "二/(一)", "二/(一)/1", "二/(一)/2", "二/(一)/2/(1)", "二/(二)", "三", "三/(一)", "三/(一)/1",
    ]
    assert (doc.title, doc.doc_type, doc.date, doc.issuing_body) == (
        "深圳市时尚产业高质量发展行动计划", "行动计划", "2020-03-10", "深圳市工业和信息化局",
    )
    assert [(a.clause, a.yuan) for a in doc.amounts][:2] == [("二/(一)/1", 5000000), ("三/(一)/1", 30000000)]


def test_headers_and_footers_are_not_read(tmp_path):
    text = text_of(save(outline_document(), tmp_path))
    assert "页眉" not in text and "页脚" not in text


def test_list_instances_of_one_definition_share_the_count_and_start_override_restarts(tmp_path):
    doc = Document()
    add_abstract(doc, 90, OUTLINE)
    add_num(doc, 90, 90)
    add_num(doc, 91, 90)  # a second instance: continues the count, as Word does
    add_num(doc, 92, 90, {2: 1})  # an instance that restarts level 3 at 1
    numbered(doc, "甲", 0)
    numbered(doc, "子项", 2)
    numbered(doc, "子项", 2)
    numbered(doc, "乙", 0, num_id=91)
    numbered(doc, "子项", 2, num_id=91)
    numbered(doc, "子项", 2, num_id=91)
    numbered(doc, "重新编号", 2, num_id=92)
    assert text_of(save(doc, tmp_path)) == "一、甲\n1.子项\n2.子项\n二、乙\n1.子项\n2.子项\n1.重新编号"


def test_numbering_from_a_paragraph_style(tmp_path):
    doc = Document()
    add_abstract(doc, 95, [("chineseCounting", "第%1条", "space")], styles={0: "Heading1"})
    add_num(doc, 95, 95)
    num_pr = doc.styles["Heading 1"].element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = 95
    for text in ("为了规范管理，制定本办法。", "本办法自发布之日起施行。"):
        doc.add_paragraph(text, style="Heading 1")
    assert text_of(save(doc, tmp_path)) == "第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。"


def test_legal_numbering_and_bullets(tmp_path):
    doc = Document()
    add_abstract(doc, 96, [("decimal", "%1.", "tab"), ("chineseCounting", "%1.%2", "space")], legal=True)
    add_num(doc, 96, 96)
    add_abstract(doc, 97, [("bullet", "\uf0b7", "tab")])
    add_num(doc, 97, 97)
    numbered(doc, "总则", 0, 96)
    numbered(doc, "目的", 1, 96)
    numbered(doc, "范围", 1, 96)
    numbered(doc, "要点", 0, 97)
    assert text_of(save(doc, tmp_path)) == "1.总则\n1.1 目的\n1.2 范围\n要点"


def test_deleted_revisions_and_field_codes_are_not_text(tmp_path):
    doc = Document()
    paragraph = doc.add_paragraph("保留")
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>删除的字</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>插入的字</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText> PAGE </w:instrText></w:r>'))
    paragraph._p.append(parse_xml(f'<w:hyperlink {nsdecls("w")}><w:r><w:t>链接文字</w:t></w:r></w:hyperlink>'))
    assert text_of(save(doc, tmp_path)) == "保留插入的字链接文字"


def test_a_document_of_only_empty_paragraphs_is_empty(tmp_path):
    doc = Document()
    doc.add_paragraph("")
    doc.add_paragraph("   ")
    path = save(doc, tmp_path)
    result = parse_file(str(path))
    assert str(result.error) == f"{path}: no text left after cleaning (empty document)"


@pytest.mark.parametrize("n, fmt, shown", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCountingThousand", "二十"), (99, "chineseCounting", "九十九"), (105, "chineseCounting", "一百零五"),
    (110, "chineseCounting", "一百一十"), (3, "chineseLegalSimplified", "叁"), (12, "chineseLegalSimplified", "拾贰"),
    (2, "ideographTraditional", "乙"), (3, "decimalEnclosedCircle", "③"), (2, "decimalEnclosedParen", "⑵"),
    (7, "decimal", "7"), (7, "decimalZero", "07"), (12, "decimalFullWidth", "１２"), (28, "lowerLetter", "bb"),
    (4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (5, "none", ""), (21, "decimalEnclosedCircle", "21"),
])
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def test_chinese_counting_reads_back():
    from corpus.numbers import cn_small

    assert all(cn_small(chinese_counting(n)) == n for n in range(1, 1000))
