"""The command line through click's CliRunner: output, exit status and error messages exactly.

Every test runs with XDG_DATA_HOME and HOME in its own temporary folder and without
POLICY_SEARCH_INDEX, so that the user's real default index is never read or written.
"""
from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import cli
from conftest import CSV_COLUMNS
from corpus import sample_dir


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("POLICY_SEARCH_INDEX", raising=False)
    return home


def run(*args: str, input: str | None = None) -> Result:
    # click 8.2+ keeps stderr apart by default; older versions need mix_stderr=False
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        runner = CliRunner(mix_stderr=False)
    else:
        runner = CliRunner()
    result = runner.invoke(cli.main, list(args), input=input)
    # an error is a message and an exit status, never a traceback
    assert result.exc_info is None or result.exc_info[0] is SystemExit, result.exc_info
    assert "Traceback" not in result.output
    return result


def lines(result: Result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def without_scores(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "score"} for r in records]


@pytest.fixture
def ingested(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tests/data copied and ingested through the CLI, from inside the copy (sources: measures.txt …)."""
    monkeypatch.chdir(data_copy)
    result = run("ingest", ".", "--index", str(tmp_path / "ix"), "--columns", CSV_COLUMNS)
    assert result.exit_code == 0, result.output
    return tmp_path / "ix"


# -- help ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(cli.main.commands))
def test_every_command_has_help_with_an_example(name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert f"Usage: main {name}" in result.stdout or f"Usage: policy-search {name}" in result.stdout
    assert "Example" in result.stdout
    assert f"policy-search {name} " in result.stdout
    assert cli.main.commands[name].help


def test_the_search_help_lists_every_query_field_the_parser_knows():
    from search.fields import QUERY_FIELDS
    from search.query import FIELD_NAMES

    result = run("search", "--help")
    assert [f.name for f in QUERY_FIELDS if f"{f.names}:{f.sample}" in result.stdout] == list(dict.fromkeys(
        FIELD_NAMES.values()))


@pytest.mark.parametrize("args, never", [
    (["--help"], {"numpy", "whoosh", "jieba", "rjieba", "cn2an", "docx", "jinja2", "corpus.parse", "indexer.build"}),
    (["search", "--help"], {"numpy", "whoosh", "jieba", "rjieba", "corpus.parse"}),
    (["parse", "--help"], {"numpy", "whoosh", "corpus.parse"}),
])
def test_a_command_imports_only_what_it_uses(args, never):
    import subprocess
    import sys

    code = ("import sys, cli\ntry:\n    cli.main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=Path(cli.__file__).parent,
                            capture_output=True, text=True, check=True)
    assert never.isdisjoint(result.stderr.split())


def test_the_program_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for name in cli.main.commands:
        assert name in result.stdout
    assert "policy-search search 时尚产业" in result.stdout


# -- search ----------------------------------------------------------------------------------------


def test_search_json(corpus_index_dir, corpus_index):
    result = run("search", '"公共服务平台"', "--index", str(corpus_index_dir), "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert lines(result) == [hit.to_json() for hit in corpus_index.search('"公共服务平台"').hits]
    assert without_scores(lines(result))[0] == {
        "rank": 1, "id": corpus_index.document("reply.txt")["id"], "source": "reply.txt",
        "title": "深圳市工业和信息化局关于市政协七届二次会议第20230045号提案答复意见的函", "doc_type": "提案答复",
        "issuing_body": "深圳市工业和信息化局", "date": "2023-06-20", "clause": None,
        "snippet": lines(result)[0]["snippet"], "status": None, "versions": [], "copies": [], "matched": ["words"],
    }
    assert [r["source"] for r in lines(result)] == ["reply.txt", "measures.txt"]


def test_search_clauses_json(corpus_index_dir):
    result = run("search", "直播电商", "--index", str(corpus_index_dir), "--clauses", "--json")
    assert result.exit_code == 0
    assert [(r["source"], r["clause"]) for r in lines(result)] == [("measures.txt", "二/(二)"), ("plan.txt", "二/(二)")]
    assert lines(result)[0]["snippet"] == "（二）发展【直播电商】。支持时尚企业通过【直播电商】拓展销售渠道。"


def test_search_text(corpus_index_dir, corpus_index):
    result = run("search", "噪音扰民", "--index", str(corpus_index_dir))
    hit_id = corpus_index.document("replies.csv#A001")["id"]
    assert (result.exit_code, result.stderr) == (0, "1 hit\n")
    assert result.stdout == (
        "1. 噪音扰民  [其他 · 2023-03-02]\n"
        f"   replies.csv#A001  (id {hit_id})\n"
        "   您反映的夜间施工【噪音扰民】问题已转交区生态环境部门依法处理。\n"
    )


def test_search_with_no_hits(corpus_index_dir):
    result = run("search", "量子计算", "--index", str(corpus_index_dir))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no hits\n")


def test_search_limit_and_offset(corpus_index_dir):
    result = run("search", "时尚", "--index", str(corpus_index_dir), "--json", "-n", "2", "--offset", "1")
    assert [r["rank"] for r in lines(result)] == [2, 3]


def test_a_malformed_query_shows_a_caret_and_no_traceback(corpus_index_dir):
    result = run("search", '时尚 "公共服务平台', "--index", str(corpus_index_dir))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: cannot parse query: this quote is never closed\n"
        '  时尚 "公共服务平台\n'
        "       ^\n"
        'close it: "公共服务平台"\n'
    )


def test_an_unknown_field_lists_the_fields(corpus_index_dir):
    result = run("search", "titel:x", "--index", str(corpus_index_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot parse query: unknown field `titel`\n"
        "  titel:x\n"
        "  ^\n"
        "fields: 类型/type; 机关/issuer; 年份/year; 日期/date; 金额/amount; 状态/status; 文号/docno; "
        "提案号/proposal; 会议/session; 提案人/proposer; 引用/cites; 来源/source\n"
    )


def test_search_needs_a_query_or_a_batch(corpus_index_dir):
    result = run("search", "--index", str(corpus_index_dir))
    assert result.exit_code == 2
    assert "give a QUERY or --batch FILE (one of them)" in result.stderr


def test_search_batch(corpus_index_dir, tmp_path):
    batch = tmp_path / "queries.txt"
    batch.write_text('噪音扰民\n\n"时尚产业" OR\n类型:通知\n', encoding="utf-8")
    result = run("search", "--batch", str(batch), "--index", str(corpus_index_dir), "--json")
    assert result.exit_code == 1
    records = lines(result)
    assert [(r["query"], r.get("source")) for r in records] == [
        ("噪音扰民", "replies.csv#A001"),
        ('"时尚产业" OR', None),
        ("类型:通知", "notice.txt"),
    ]
    assert records[1] == {
        "query": '"时尚产业" OR',
        "error": "cannot parse query: OR at the end of the query needs a word or phrase after it\n"
                 '  "时尚产业" OR\n'
                 "               ^",
    }


def test_search_batch_of_good_queries_exits_0(corpus_index_dir, tmp_path):
    batch = tmp_path / "queries.txt"
    batch.write_text("\ufeff噪音扰民\n直播电商\n", encoding="utf-8")  # a BOM is no part of the query
    result = run("search", "--batch", str(batch), "--index", str(corpus_index_dir), "--clauses", "--json")
    assert result.exit_code == 0
    assert [(r["query"], r["source"], r["clause"]) for r in lines(result)] == [
        ("直播电商", "measures.txt", "二/(二)"), ("直播电商", "plan.txt", "二/(二)"),
    ]


# -- the index: explicit, from the environment, or the default one --------------------------------


def test_no_index_at_an_explicit_path(tmp_path):
    missing = tmp_path / "nothing"
    for command in (["search", "时尚"], ["similar", "-"], ["show", "abc"]):
        result = run(*command, "--index", str(missing), input="时尚")
        assert result.exit_code == 2
        assert result.stderr == (
            f"Error: no index at {missing} — build one with `policy-search ingest DIR --index {missing}`\n"
        )
    assert not missing.exists()


def test_the_environment_variable_names_the_index(corpus_index_dir, monkeypatch):
    monkeypatch.setenv("POLICY_SEARCH_INDEX", str(corpus_index_dir))
    result = run("search", '"夜间经济"', "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [r["source"] for r in lines(result)] == ["notice.txt"]


def test_an_empty_index_named_by_the_environment_is_not_built(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_SEARCH_INDEX", str(tmp_path / "env-ix"))
    result = run("search", "时尚")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: no index at {tmp_path / 'env-ix'} — build one with")


def test_the_option_wins_over_the_environment(corpus_index_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_SEARCH_INDEX", str(tmp_path / "elsewhere"))
    result = run("search", '"夜间经济"', "--index", str(corpus_index_dir), "--json")
    assert [r["source"] for r in lines(result)] == ["notice.txt"]


def test_the_default_index_is_built_from_the_samples(private_home):
    default = private_home / "data" / "policy-search" / "index"
    result = run("search", "时尚产业", "--json")
    assert result.exit_code == 0
    assert result.stderr == f"No index yet at {default}: building it from the bundled sample documents…\n"
    records = lines(result)
    assert records
    samples = {str(p) for p in sample_dir().glob("*.txt")}
    assert {r["source"] for r in records} <= samples
    assert all("时尚" in r["snippet"] for r in records[:3])

    again = run("search", "时尚产业", "--json")
    assert (again.exit_code, again.stderr) == (0, "")
    assert without_scores(lines(again)) == without_scores(records)


def test_ingest_writes_the_default_index_when_none_is_named(private_home, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("关于支持时尚产业发展的通知\n为促进时尚产业发展，现通知如下。", encoding="utf-8")
    result = run("ingest", str(doc))
    default = private_home / "data" / "policy-search" / "index"
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{default}: 1 documents, 0 clauses indexed — files: 1 added, 0 replaced, "
                                    "0 unchanged, 0 pruned, 0 failed (")
    assert [r["source"] for r in lines(run("search", "时尚产业", "--json"))] == [str(doc)]


# -- ingest ----------------------------------------------------------------------------------------


REPORT = re.compile(r"^(?P<index>.+): (?P<units>\d+ documents, \d+ clauses) indexed — files: "
                    r"(?P<counts>\d+ added, \d+ replaced, \d+ unchanged, \d+ pruned, \d+ failed) \(\d+\.\d s\)\n$")


def report_of(result: Result) -> tuple[str, str, str]:
    m = REPORT.match(result.stdout)
    assert m, result.stdout
    return m["index"], m["counts"], m["units"]


def test_ingest_then_search_table_rows(ingested):
    assert report_of(run("ingest", ".", "--index", str(ingested), "--columns", CSV_COLUMNS)) == (
        str(ingested), "0 added, 0 replaced, 5 unchanged, 0 pruned, 0 failed", "0 documents, 0 clauses",
    )
    result = run("search", "时尚产业 补贴", "--index", str(ingested), "--json", "-n", "1")
    assert [(r["source"], r["title"], r["date"]) for r in lines(result)] == [
        ("replies.csv#A002", "时尚产业补贴", "2023-04-11"),
    ]


def test_ingest_reports_an_unreadable_file_and_indexes_the_rest(data_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(data_copy)
    Path("broken.txt").write_bytes(b"")
    result = run("ingest", ".", "--index", str(tmp_path / "ix"), "--columns", CSV_COLUMNS)
    assert result.exit_code == 1
    assert result.stderr == "skipped broken.txt: the file is empty\n"
    assert report_of(result) == (
        str(tmp_path / "ix"), "5 added, 0 replaced, 0 unchanged, 0 pruned, 1 failed", "6 documents, 19 clauses",
    )
    assert [r["source"] for r in lines(run("search", "噪音扰民", "--index", str(tmp_path / "ix"), "--json"))] == [
        "replies.csv#A001",
    ]


def test_ingest_json_report(data_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(data_copy)
    Path("broken.txt").write_bytes(b"\n")
    result = run("ingest", ".", "--index", str(tmp_path / "ix"), "--columns", CSV_COLUMNS, "--json")
    assert (result.exit_code, result.stderr) == (1, "")
    [report] = lines(result)
    del report["seconds"]
    assert report == {
        "index": str(tmp_path / "ix"), "added": 5, "replaced": 0, "unchanged": 0, "pruned": 0, "failed": 1,
        "documents": 6, "clauses": 19, "errors": [{"source": "broken.txt", "error": "the file is empty"}],
        "vectors": {"level": "documents", "units": 0, "embedded": 0, "seconds": 0.0, "model": ""},
    }


def test_ingest_a_table_without_columns_is_reported(data_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(data_copy)
    result = run("ingest", "replies.csv", "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert result.stderr == (
        "skipped replies.csv: a table needs --columns to say which column is the text, e.g. "
        "--columns id=留言编号,title=留言主题,body=答复意见,date=答复时间,doc_type=答复; its columns are: 留言编号, 留言主题, "
        f"答复意见, 答复时间\nnothing was indexed: no file could be read; no index was created at {tmp_path / 'ix'}\n"
    )


def test_ingest_with_a_missing_column_lists_the_columns(data_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(data_copy)
    result = run("ingest", "replies.csv", "--index", str(tmp_path / "ix"), "--columns", "id=编号,body=答复意见")
    assert result.exit_code == 1
    assert result.stderr == (
        "skipped replies.csv: no column 编号 in this table; its columns are: 留言编号, 留言主题, 答复意见, 答复时间\n"
        f"nothing was indexed: no file could be read; no index was created at {tmp_path / 'ix'}\n"
    )


def test_ingest_with_malformed_columns_stops_before_reading(tmp_path):
    result = run("ingest", "x.csv", "--index", str(tmp_path / "ix"), "--columns", "body")
    assert result.exit_code == 2
    assert result.stderr == "Error: --columns: `body` is not KEY=COLUMN (e.g. id=留言编号,body=答复意见)\n"
    assert not (tmp_path / "ix").exists()


def test_ingest_replace_and_prune(ingested, data_copy):
    Path("notice.txt").write_text(Path("notice.txt").read_text(encoding="utf-8").replace("夜间经济", "首店经济"),
                                  encoding="utf-8")
    Path("plan.txt").unlink()
    result = run("ingest", ".", "--index", str(ingested), "--columns", CSV_COLUMNS, "--prune")
    assert result.exit_code == 0
    assert report_of(result)[1] == "0 added, 1 replaced, 3 unchanged, 1 pruned, 0 failed"
    search = lambda q: [r["source"] for r in lines(run("search", q, "--index", str(ingested), "--json"))]  # noqa: E731
    assert (search('"夜间经济"'), search('"首店经济"'), search("服装")) == ([], ["notice.txt"], [])


def test_ingest_rebuild_gives_the_same_hits(ingested):
    def hits() -> list[dict]:
        return without_scores(lines(run("search", "时尚 公共服务平台", "--index", str(ingested), "--json")))

    before = hits()
    result = run("ingest", ".", "--index", str(ingested), "--columns", CSV_COLUMNS, "--rebuild")
    assert report_of(result)[1] == "5 added, 0 replaced, 0 unchanged, 0 pruned, 0 failed"
    assert hits() == before


# -- similar ---------------------------------------------------------------------------------------


PROPOSAL = "建议加快建设时尚设计公共服务平台，为中小企业提供检验检测服务"


def test_similar_file(corpus_index_dir, tmp_path):
    proposal = tmp_path / "proposal.txt"
    proposal.write_text(PROPOSAL, encoding="utf-8")
    result = run("similar", str(proposal), "--index", str(corpus_index_dir), "--json", "-n", "2")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [r["source"] for r in lines(result)] == ["reply.txt", "measures.txt"]
    assert set(lines(result)[0]) == {"rank", "id", "source", "title", "doc_type", "issuing_body", "date", "clause",
                                     "score", "snippet", "status", "versions", "copies", "matched"}


def test_similar_standard_input(corpus_index_dir):
    result = run("similar", "-", "--index", str(corpus_index_dir), "--json", "--clauses", "-n", "1",
                 input="晚上工地还在施工，噪音扰民")
    assert result.exit_code == 0
    assert lines(result) == []  # the replies have no clauses
    result = run("similar", "--index", str(corpus_index_dir), "--json", "-n", "1", input="晚上工地还在施工，噪音扰民")
    assert [r["source"] for r in lines(result)] == ["replies.csv#A001"]


def test_similar_missing_file(corpus_index_dir, tmp_path):
    result = run("similar", str(tmp_path / "gone.txt"), "--index", str(corpus_index_dir))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'gone.txt'}: no such file\n"


def test_similar_batch(corpus_index_dir, tmp_path):
    batch = tmp_path / "proposals.jsonl"
    batch.write_text(
        json.dumps({"id": "P-1", "text": PROPOSAL}, ensure_ascii=False) + "\n\n"
        + json.dumps({"id": 2, "text": "晚上工地还在施工，噪音扰民"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = run("similar", "--batch", str(batch), "--index", str(corpus_index_dir), "-n", "2", "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert [(r["query_id"], r["rank"], r["source"]) for r in lines(result)] == [
        ("P-1", 1, "reply.txt"), ("P-1", 2, "measures.txt"), (2, 1, "replies.csv#A001"),
    ]


def test_similar_batch_with_a_bad_line(corpus_index_dir, tmp_path):
    batch = tmp_path / "proposals.jsonl"
    batch.write_text('{"text": "没有编号"}\n{"id": "x", "text": "噪音扰民"}\nnot json\n', encoding="utf-8")
    result = run("similar", "--batch", str(batch), "--index", str(corpus_index_dir), "--json", "-n", "1")
    assert result.exit_code == 1
    assert [(r.get("query_id"), r.get("source"), r.get("line"), r.get("error")) for r in lines(result)] == [
        (None, None, 1, 'expected {"id": ..., "text": ...}'),
        ("x", "replies.csv#A001", None, None),
        (None, None, 3, 'expected {"id": ..., "text": ...}'),
    ]


@pytest.mark.parametrize("command", [["search", "时尚"], ["similar", "-"]])
def test_a_bad_limit_is_one_message(corpus_index_dir, command):
    result = run(*command, "--index", str(corpus_index_dir), "--limit", "0", input="时尚")
    assert result.exit_code == 2
    assert result.stderr == "Error: --limit must be between 1 and 1000, got 0\n"


def test_a_bad_limit_in_a_similar_batch_is_one_message(corpus_index_dir, tmp_path):
    batch = tmp_path / "proposals.jsonl"
    batch.write_text('{"id": 1, "text": "时尚"}\n', encoding="utf-8")
    result = run("similar", "--batch", str(batch), "--index", str(corpus_index_dir), "--limit", "0")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: --limit must be between 1 and 1000, got 0\n"


# -- parse -----------------------------------------------------------------------------------------


def test_parse_json_with_a_missing_file(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy)
    result = run("parse", "notice.txt", "missing.txt", "reply.txt", "--json")
    assert result.exit_code == 1
    first, error, last = lines(result)
    assert error == {"source": "missing.txt", "error": "no such file"}
    assert (first["source"], first["title"], first["doc_type"], first["date"]) == (
        "notice.txt", "深圳市商务局关于开展2021年夜间经济消费季活动的通知", "通知", "2021-06-10",
    )
    assert (last["source"], last["doc_type"], last["proposers"], last["proposal_number"]) == (
        "reply.txt", "提案答复", ["王小明"], "20230045",
    )


def test_parse_json_keys_follow_the_spec(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy)
    [record] = lines(run("parse", "measures.txt", "--json"))
    assert list(record) == [
        "id", "source", "title", "doc_type", "issuing_body", "issuers", "date", "doc_number", "index_number",
        "proposal_number", "proposal_title", "session", "proposers", "effective_date", "valid_years",
        "clauses", "amounts", "citations", "commitments",
    ]
    assert record["commitments"] == []  # a policy promises nothing: only replies have commitments
    assert record["clauses"][2] == {
        "path": "一/(一)/1", "label": "1", "title": record["clauses"][2]["title"],
        "text": "1.对新认定的国家级时尚品牌企业，给予一次性奖励最高不超过500万元。",
    }


def test_parse_a_table(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy)
    result = run("parse", "replies.csv", "--columns", CSV_COLUMNS, "--json")
    assert result.exit_code == 0
    assert [(r["source"], r["title"], r["date"]) for r in lines(result)] == [
        ("replies.csv#A001", "噪音扰民", "2023-03-02"), ("replies.csv#A002", "时尚产业补贴", "2023-04-11"),
    ]


def test_parse_text_output_with_a_missing_file(data_copy, monkeypatch):
    monkeypatch.chdir(data_copy)
    result = run("parse", "missing.txt", "notice.txt")
    assert result.exit_code == 1
    assert result.stderr == "missing.txt: error: no such file\n"
    assert "标题: 深圳市商务局关于开展2021年夜间经济消费季活动的通知\n" in result.stdout
    assert "条款: 一 二 三\n" in result.stdout


# -- show ------------------------------------------------------------------------------------------


def test_show_json_has_the_body_and_clause_texts(corpus_index_dir, corpus_index):
    doc_id = corpus_index.document("measures.txt")["id"]
    result = run("show", doc_id, "--index", str(corpus_index_dir), "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    [record] = lines(result)
    assert (record["id"], record["source"], record["doc_type"]) == (doc_id, "measures.txt", "若干措施")
    assert record["body"] == (Path(__file__).parent / "data" / "measures.txt").read_text(encoding="utf-8").strip()
    texts = {c["path"]: c["text"] for c in record["clauses"]}
    assert texts["一/(二)/1"] == (
        "1.支持建设时尚设计、检验检测等公共服务平台，按项目总投资的50%给予资助，最高不超过1000万元。"
    )
    assert all(texts.values())


def test_show_by_source_as_text(corpus_index_dir, corpus_index):
    result = run("show", "replies.csv#A001", "--index", str(corpus_index_dir))
    assert result.exit_code == 0
    doc_id = corpus_index.document("replies.csv#A001")["id"]
    assert result.stdout == (
        f"id: {doc_id}\n来源: replies.csv#A001\n标题: 噪音扰民\n类型: 其他\n日期: 2023-03-02\n状态: 现行有效\n\n"
        "您反映的夜间施工噪音扰民问题已转交区生态环境部门依法处理。\n\n"
    )


def test_show_an_unknown_document(corpus_index_dir):
    result = run("show", "0000", "--index", str(corpus_index_dir))
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no document with id or source `0000` in the index — find ids with `policy-search search QUERY --json`\n"
    )


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"main, version \d+\.\d+\.\d+\n|policy-search, version \d+\.\d+\.\d+\n", result.stdout)


@pytest.mark.parametrize("command", ["similar", "draft"])
def test_a_folder_given_as_the_text_is_named_as_a_folder(command, corpus_index_dir, tmp_path):
    folder = tmp_path / "提案"
    folder.mkdir()
    result = run(command, str(folder), "--index", str(corpus_index_dir))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {folder}: is a directory — give a file (.txt .md .docx .html .pdf), or - for standard input"


def test_parse_of_a_folder_holding_no_document_says_so(tmp_path):
    (tmp_path / "notes.dat").write_bytes(b"\x00\x01")
    result = run("parse", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path}: no document here" in result.stderr and ".txt" in result.stderr


def test_a_query_of_signs_alone_is_an_error_on_the_command_line(corpus_index_dir):
    result = run("search", "*", "--index", str(corpus_index_dir))
    assert result.exit_code == 1 and result.stdout == ""
    assert "there is no word to search for, only signs" in result.stderr


@pytest.mark.parametrize("command", ["search", "similar", "show"])
def test_a_query_that_begins_with_an_exclusion_is_told_to_follow_two_dashes(command, corpus_index_dir):
    result = run(command, "-直播 时尚", "--index", str(corpus_index_dir))
    assert result.exit_code == 2
    assert "No such option '-直'" in result.stderr
    assert f"policy-search {command} -- '-直播 时尚'" in result.stderr


def test_a_mistyped_option_keeps_clicks_own_message(corpus_index_dir):
    result = run("search", "时尚", "--limt", "3", "--index", str(corpus_index_dir))
    assert result.exit_code == 2 and "No such option '--limt'" in result.stderr and " -- " not in result.stderr
