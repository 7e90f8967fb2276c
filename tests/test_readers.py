"""Reading files: encodings, cleaning, tables with --columns, and errors that name the file."""
from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from conftest import CSV_COLUMNS, DATA
from corpus import load_files, parse_file
from corpus.clean import clean_text
from corpus.encoding import decode_bytes
from corpus.readers import Format, iter_files, parse_columns, read_file
from errors import UnreadableDocument, UsageError

NOTICE = (DATA / "notice.txt").read_text(encoding="utf-8")


def read(path: Path, columns: str | None = None, encoding: str | None = None):
    return read_file(str(path), path, parse_columns(columns), encoding)


def read_error(path: Path, columns: str | None = None) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read(path, columns)
    assert caught.value.source == str(path)
    return str(caught.value)


# -- encodings -----------------------------------------------------------------------------------


def test_utf8(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(NOTICE, encoding="utf-8")
    [source] = read(path)
    assert source.text == NOTICE.strip()
    assert (source.source, source.file, source.format) == (str(path), str(path.resolve()), Format.TEXT)


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "时尚产业\n发展".encode("utf-8"))
    assert read(path)[0].text == "时尚产业\n发展"


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("时尚产业发展".encode("utf-16"))
    assert read(path)[0].text == "时尚产业发展"


def test_gb18030_is_detected(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(NOTICE.encode("gb18030"))
    assert read(path)[0].text == NOTICE.strip()


def test_a_character_outside_gb2312_still_decodes(tmp_path):
    # 鎔 is in GBK/GB18030 but not in GB2312: detection must not settle on GB2312
    text = NOTICE.replace("市商务局决定", "市商务局（鎔）决定")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    assert read(path)[0].text == text.strip()


def test_an_explicit_encoding_wins(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes("時尚產業發展".encode("big5"))
    assert read(path, encoding="big5")[0].text == "時尚產業發展"


def test_a_wrong_explicit_encoding_is_reported(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes("时尚产业".encode("gb18030"))
    with pytest.raises(UnreadableDocument, match=r"gb\.txt: cannot decode as utf-8"):
        read(path, encoding="utf-8")


def test_decode_bytes_names_the_source():
    with pytest.raises(UnreadableDocument) as caught:
        decode_bytes(b"  \n", "files/empty.txt")
    assert str(caught.value) == "files/empty.txt: the file is empty"


@pytest.mark.parametrize("content", [b"", b" \r\n\t\n"])
def test_an_empty_file_is_unreadable_and_named(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert read_error(path) == f"{path}: the file is empty"


def test_a_file_with_only_residue_is_empty_after_cleaning(tmp_path):
    path = tmp_path / "residue.txt"
    path.write_text("[bookmark: _GoBack]\n\u3000\u3000\n", encoding="utf-8")
    assert read_error(path) == f"{path}: no text left after cleaning (empty document)"


def test_a_missing_file(tmp_path):
    assert read_error(tmp_path / "gone.txt") == f"{tmp_path / 'gone.txt'}: no such file"


READABLE = ".csv .docx .htm .html .jsonl .markdown .md .ndjson .pdf .shtml .text .txt .xhtml .xlsx"


def test_an_unsupported_file_type(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    assert read_error(path) == f"{path}: unsupported file type `.jpg`; readable: {READABLE}"


@pytest.mark.parametrize("name, advice", [
    ("old.doc", "an old Word file — save it as .docx"),
    ("sheet.xls", "an old Excel file — save it as .xlsx"),
    ("draft.wps", "a WPS file — save it as .docx"),
])
def test_a_format_to_convert_first_says_how(tmp_path, name, advice):
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert read_error(path) == f"{path}: {advice}; readable: {READABLE}"


# -- cleaning ------------------------------------------------------------------------------------


def test_word_residue_and_odd_spaces_are_cleaned(tmp_path):
    path = tmp_path / "word.txt"
    path.write_bytes(
        "深圳市关于促进时尚产业高质量发展的若干措施\r\n\r\n\r\n\r\n"
        "\u2003\u2003一、支持时尚品牌发展[bookmark: _GoBack]\r\n"
        "\u3000\u3000（一）培育时尚品牌。\u00a0 \r\n"
        "\t1.给予最高500万元奖励。\u200b\r\n".encode("utf-8")
    )
    assert read(path)[0].text == (
        "深圳市关于促进时尚产业高质量发展的若干措施\n\n"
        "一、支持时尚品牌发展\n"
        "（一）培育时尚品牌。\n"
        "1.给予最高500万元奖励。"
    )


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("时尚\u2003产业", "时尚 产业"),
        ("时尚[bookmark: _Hlk123]产业", "时尚产业"),
        ("\ufeff标题\r正文", "标题\n正文"),
        ("甲\n\n\n\n乙", "甲\n\n乙"),
        ("  甲  \n  乙  ", "甲\n乙"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_html_keeps_the_text_and_drops_scripts(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><style>p{}</style></head><body><nav>首页</nav>"
        "<h1>关于开展夜间经济消费季活动的通知</h1><script>var x=1;</script><p>各区商务主管部门：</p></body></html>",
        encoding="utf-8",
    )
    assert read(path)[0].text == "关于开展夜间经济消费季活动的通知\n各区商务主管部门："


def test_the_id_depends_on_the_content_only(tmp_path):
    (tmp_path / "a.txt").write_text("时尚产业", encoding="utf-8")
    (tmp_path / "b.txt").write_text("时尚产业", encoding="utf-8")
    (tmp_path / "c.txt").write_text("时尚产业发展", encoding="utf-8")
    ids = [read(tmp_path / name)[0].doc_id for name in ("a.txt", "b.txt", "c.txt")]
    assert ids[0] == ids[1] != ids[2]
    assert len(ids[0]) == 16


# -- tables --------------------------------------------------------------------------------------


def test_csv_rows_with_columns():
    rows = read(DATA / "replies.csv", CSV_COLUMNS)
    assert [(r.source, r.text, r.fields) for r in rows] == [
        (f"{DATA / 'replies.csv'}#A001", "您反映的夜间施工噪音扰民问题已转交区生态环境部门依法处理。",
         {"title": "噪音扰民", "date": "2023-03-02"}),
        (f"{DATA / 'replies.csv'}#A002", "关于时尚产业补贴的咨询，请关注市工业和信息化局发布的若干措施申报指南。",
         {"title": "时尚产业补贴", "date": "2023-04-11"}),
    ]
    assert {r.file_digest for r in rows} == {rows[0].file_digest}  # one file, one digest
    assert rows[0].doc_id != rows[1].doc_id


def test_csv_columns_joined_with_plus_and_chinese_keys():
    rows = read(DATA / "replies.csv", "编号=留言编号,正文=留言主题+答复意见")
    assert rows[0].text == "噪音扰民\n\n您反映的夜间施工噪音扰民问题已转交区生态环境部门依法处理。"
    assert rows[0].fields == {}


def test_a_missing_column_lists_the_columns():
    assert read_error(DATA / "replies.csv", "id=留言编号,body=答复") == (
        f"{DATA / 'replies.csv'}: no column 答复 in this table; its columns are: 留言编号, 留言主题, 答复意见, 答复时间"
    )


def test_a_table_without_columns_says_how_to_map_them():
    assert read_error(DATA / "replies.csv") == (
        f"{DATA / 'replies.csv'}: a table needs --columns to say which column is the text, e.g. "
        "--columns id=留言编号,title=留言主题,body=答复意见,date=答复时间,doc_type=答复; its columns are: 留言编号, 留言主题, 答复意见, 答复时间"
    )


def test_a_table_with_english_headers_needs_no_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,title,body\n7,停车难,小区停车难问题已转交交通运输部门。\n8,空行,\n", encoding="utf-8")
    rows = read(path)
    assert [(r.source, r.text, r.fields) for r in rows] == [
        (f"{path}#7", "小区停车难问题已转交交通运输部门。", {"title": "停车难"}),
    ]  # a row with an empty body is no document


def test_a_row_without_id_is_numbered(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,body\n,第一条答复。\n,第二条答复。\n", encoding="utf-8")
    assert [r.source for r in read(path)] == [f"{path}#1", f"{path}#2"]


def test_jsonl_rows(tmp_path):
    path = tmp_path / "t.jsonl"
    lines = [{"编号": "J1", "答复": "已处理。", "提案人": ["王小明", "李华"]}, {"编号": "J2", "答复": "正在研究。"}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8")
    rows = read(path, "id=编号,body=答复,proposers=提案人")
    assert [(r.source, r.text, r.fields) for r in rows] == [
        (f"{path}#J1", "已处理。", {"proposers": "王小明、李华"}),
        (f"{path}#J2", "正在研究。", {}),
    ]


def test_a_bad_jsonl_line_is_named(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"body": "好"}\nnot json\n', encoding="utf-8")
    assert read_error(path, "body=body").startswith(f"{path}: line 2 is not JSON:")


@pytest.mark.parametrize(
    "spec, message",
    [
        ("id", "--columns: `id` is not KEY=COLUMN (e.g. id=留言编号,body=答复意见)"),
        ("titel=标题", "--columns: unknown key `titel`; keys are id, title, body, date, issuing_body, doc_type, "
                       "proposal_number, session, proposers"),
    ],
)
def test_malformed_columns(spec, message):
    with pytest.raises(UsageError) as caught:
        parse_columns(spec)
    assert str(caught.value) == message


def test_columns_must_name_the_body():
    with pytest.raises(UsageError, match="--columns must map `body`"):
        read(DATA / "replies.csv", "id=留言编号")


def test_parse_columns():
    assert parse_columns("编号=留言编号，body=留言主题 + 答复意见") == {"id": ["留言编号"], "body": ["留言主题", "答复意见"]}
    assert parse_columns(None) == {}


# -- folders and whole runs ------------------------------------------------------------------------


def test_a_folder_is_read_recursively_in_order(tmp_path):
    for name in ("b.txt", "a.md", "sub/c.html", ".hidden.txt", ".git/d.txt", "notes.doc"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("正文", encoding="utf-8")
    assert [given for given, _ in iter_files([str(tmp_path)])] == [
        str(tmp_path / "a.md"), str(tmp_path / "b.txt"), str(tmp_path / "sub" / "c.html"),
    ]
    # a file named explicitly is always tried, so that its problem is reported
    assert [given for given, _ in iter_files([str(tmp_path / "notes.doc")])] == [str(tmp_path / "notes.doc")]


def test_a_run_goes_on_past_an_unreadable_file(tmp_path):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("关于时尚产业的说明", encoding="utf-8")
    results = list(load_files([str(tmp_path)]))
    assert [(Path(r.given).name, len(r.documents), r.error and r.error.reason) for r in results] == [
        ("a.txt", 1, None), ("b.txt", 0, "the file is empty"), ("c.txt", 1, None),
    ]


def test_parse_file_returns_the_error_instead_of_raising(tmp_path):
    result = parse_file(str(tmp_path / "gone.txt"))
    assert (result.documents, str(result.error)) == ([], f"{tmp_path / 'gone.txt'}: no such file")
