"""A table of replies to citizens' messages, ingested as the README says: each row titled by its
message's subject, typed 答复 by ``--columns`` (a fixed value or a column), and shown with no
validity — a reply has no period of validity, on the page or in the CLI."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from cli import main
from conftest import DATA, working_directory, wsgi_request
from corpus.readers import parse_columns, read_file
from errors import UnreadableDocument
from indexer.build import ingest
from search.engine import PolicyIndex
from search.web.app import make_app

README = Path(__file__).resolve().parents[1] / "README.md"
COLUMNS = "id=留言编号,title=留言主题,body=答复意见,date=答复时间,doc_type=答复"


def rows(columns: str, table: Path = DATA / "replies.csv"):
    return read_file(table.name, table, parse_columns(columns))


def test_a_fixed_type_types_every_row():
    assert {r.fields["doc_type"] for r in rows(COLUMNS)} == {"答复"}
    assert {r.fields["doc_type"] for r in rows(COLUMNS.replace("doc_type=", "类型="))} == {"答复"}


def test_a_column_of_types_types_each_row(tmp_path):
    table = tmp_path / "mixed.csv"
    table.write_text("编号,正文,文种\n1,关于夜间施工噪音问题的答复内容。,答复\n2,本通知自印发之日起施行。,通知\n",
                     encoding="utf-8")
    assert [r.fields["doc_type"] for r in rows("id=编号,body=正文,doc_type=文种", table)] == ["答复", "通知"]


def test_a_type_that_is_neither_a_column_nor_a_kind_is_an_error():
    with pytest.raises(UnreadableDocument) as caught:
        rows("id=留言编号,body=答复意见,doc_type=回信")
    message = str(caught.value)
    assert "回信" in message and "提案答复" in message and "留言主题" in message


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("replies") / "ix"
    with working_directory(DATA):
        report = ingest(["replies.csv"], index_dir, columns=COLUMNS, engine="jieba")
    assert not report.errors
    return index_dir


def test_rows_are_titled_by_their_subject_and_typed_as_replies(index_dir):
    with PolicyIndex(index_dir) as ix:
        hits = ix.search("时尚产业补贴").hits
    assert [(h.title, h.doc_type) for h in hits][:1] == [("时尚产业补贴", "答复")]


def test_the_page_shows_no_validity_for_a_reply(index_dir):
    app = make_app(index_dir)
    _status, _headers, body = wsgi_request(app, "/", urlencode({"q": "时尚产业补贴"}))
    hit = BeautifulSoup(body, "html.parser").select_one("article.hit")
    assert hit.select_one(".type").get_text() == "答复"
    assert hit.select_one(".status") is None
    doc_link = hit.select_one("h2 a")["href"]
    _status, _headers, body = wsgi_request(app, doc_link)
    soup = BeautifulSoup(body, "html.parser")
    assert soup.select_one(".doc-head .status") is None
    assert "效力状态" not in [th.get_text() for th in soup.select("table.metadata th")]


def test_the_cli_shows_no_validity_for_a_reply(index_dir):
    result = CliRunner().invoke(main, ["show", "A002", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "类型: 答复" in result.output
    assert "状态" not in result.output and "现行有效" not in result.output


def test_the_readme_maps_the_reply_tables_title_and_type():
    # the user's example; the measuring command leaves the subject out (the queries are subjects)
    commands = re.findall(r"policy-search ingest replies-public\.csv[^\n]*--columns (\S+)", README.read_text(encoding="utf-8"))
    assert commands
    for columns in commands:
        mapping = parse_columns(columns)
        assert mapping["title"] == ["留言主题"] and mapping["doc_type"] == ["答复"]
