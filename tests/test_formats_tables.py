"""Tables whose rows are documents: CSV (as Excel and proposal systems export it), JSON Lines, .xlsx."""
from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from corpus import parse_file
from corpus.readers import Format, parse_columns, read_file
from errors import UnreadableDocument

COLUMNS = "id=提案编号,title=提案标题,body=答复内容,date=答复日期,issuing_body=承办单位,proposers=提案人"
HEADER = ["提案编号", "提案标题", "提案人", "承办单位", "答复日期", "答复内容"]
ROWS = [
    [20230045, "关于支持时尚产业发展的提案", "王小明、李华", "深圳市工业和信息化局", dt.datetime(2023, 6, 20),
     "一、关于建设公共服务平台\n我局将给予最高不超过500万元资助。"],
    [20230046, "关于夜间经济的提案", None, "深圳市商务局", dt.date(2023, 7, 1), "已研究办理。"],
    [None, None, None, None, None, None],  # an empty row in the middle of the sheet
    ["JY20230126", "关于数字化转型的建议", "张昊", "深圳市福田区企业发展服务中心", "2023年8月2日", ""],
]


def xlsx(tmp_path: Path, rows=ROWS, name: str = "replies.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("说明").append(["本表为导出数据"])
    path = tmp_path / name
    workbook.save(path)
    return path


def read(path: Path, columns: str | None = COLUMNS):
    return read_file(str(path), path, parse_columns(columns))


def test_xlsx_rows_are_documents_with_their_columns_as_fields(tmp_path):
    path = xlsx(tmp_path)
    rows = read(path)
    assert [r.format for r in rows] == [Format.XLSX, Format.XLSX]
    assert [(r.source, r.text, r.fields) for r in rows] == [
        (f"{path}#20230045", "一、关于建设公共服务平台\n我局将给予最高不超过500万元资助。",
         {"title": "关于支持时尚产业发展的提案", "date": "2023-06-20", "issuing_body": "深圳市工业和信息化局",
          "proposers": "王小明、李华"}),
        (f"{path}#20230046", "已研究办理。",
         {"title": "关于夜间经济的提案", "date": "2023-07-01", "issuing_body": "深圳市商务局"}),
    ]  # the row without a reply is no document; numbers keep no ".0"


def test_xlsx_rows_parse_with_preset_fields(tmp_path):
    result = parse_file(str(xlsx(tmp_path)), columns=COLUMNS)
    first = result.documents[0]
    assert (first.source.endswith("#20230045"), first.title, first.date, first.issuing_body, first.proposers) == (
        True, "关于支持时尚产业发展的提案", "2023-06-20", "深圳市工业和信息化局", ["王小明", "李华"],
    )
    assert [(c.path, c.title) for c in first.clauses] == [("一", "关于建设公共服务平台")]
    assert [a.yuan for a in first.amounts] == [5000000]


def test_an_xlsx_with_a_missing_column_lists_its_columns(tmp_path):
    path = xlsx(tmp_path)
    with pytest.raises(UnreadableDocument) as caught:
        read(path, "id=编号,body=答复内容")
    assert caught.value.reason == f"no column 编号 in this table; its columns are: {', '.join(HEADER)}"


def test_an_empty_xlsx_has_no_rows(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(UnreadableDocument) as caught:
        read(path)
    assert caught.value.reason == "the table has no rows"


def test_csv_as_excel_saves_it_utf8_with_bom(tmp_path):
    path = tmp_path / "replies.csv"
    path.write_bytes(codecs.BOM_UTF8 + "提案编号,答复内容\r\n1,已办理。\r\n2,\"多行\r\n答复\"\r\n".encode("utf-8"))
    assert [(r.source, r.text) for r in read(path, "id=提案编号,body=答复内容")] == [
        (f"{path}#1", "已办理。"), (f"{path}#2", "多行\n答复"),
    ]


def test_csv_in_gbk(tmp_path):
    path = tmp_path / "gbk.csv"
    text = "留言编号,留言主题,答复意见\n" + "".join(
        f"{n},关于小区停车难的问题{n},您好！您反映的小区停车难问题已转交交通运输部门研究处理，感谢您的关注。\n" for n in range(5))
    path.write_bytes(text.encode("gbk"))
    rows = read(path, "id=留言编号,title=留言主题,body=答复意见")
    assert [r.source for r in rows] == [f"{path}#{n}" for n in range(5)]
    assert rows[0].fields == {"title": "关于小区停车难的问题0"}


def test_a_csv_row_longer_than_its_header(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("id,body\n1,答复一,多余的格\n2\n", encoding="utf-8")
    assert [(r.source, r.text) for r in read(path, None)] == [(f"{path}#1", "答复一")]


def test_a_csv_field_too_large_is_reported(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("id,body\n1," + "长" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(UnreadableDocument) as caught:
        read(path, None)
    assert caught.value.reason == "not a readable CSV table: field larger than field limit (131072)"


def test_jsonl_header_is_every_key_seen(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "a", "body": "答复甲"}\n{"id": "b", "body": "答复乙", "date": "2023-01-05"}\n',
                    encoding="utf-8")
    assert [(r.source, r.fields) for r in read(path, "id=id,body=body,date=date")] == [
        (f"{path}#a", {}), (f"{path}#b", {"date": "2023-01-05"}),
    ]
