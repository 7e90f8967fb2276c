"""The command line and the JSON API say the same things the same way: what they refuse, the
limits they keep, what a page past the end holds, where results and counts go."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_cli import private_home, run  # noqa: F401  (private_home: every test's own HOME)
from test_new_user import app, call, samples  # noqa: F401  (fixtures: the five samples, the app over them)

SIGNS = "。。。！！"
NO_WORDS = "cannot parse query: there is no word to search for, only signs"
LONG_QUERY = "时尚产业" * 150  # 600 characters


def test_a_text_of_signs_alone_is_refused_by_similar_as_by_search(samples, app):  # noqa: F811
    searched = run("search", SIGNS, "--index", str(samples))
    similar = run("similar", "-", "--index", str(samples), input=SIGNS + "\n")
    assert (similar.exit_code, similar.stdout) == (1, "")
    assert similar.stderr == searched.stderr
    assert searched.stderr.startswith(f"Error: {NO_WORDS}\n  {SIGNS}\n")
    for content_type, body in (("application/json", json.dumps({"text": SIGNS})), ("text/plain", SIGNS)):
        status, answer = call(app, "/api/similar", method="POST", body=body.encode(), content_type=content_type)
        assert status == 400 and json.loads(answer)["error"].startswith(NO_WORDS)
    status, answer = call(app, "/api/search", {"q": SIGNS})
    assert status == 400 and json.loads(answer)["error"].startswith(NO_WORDS)


def test_one_query_length_and_one_message_sending_long_texts_to_similar(samples, app):  # noqa: F811
    message = ("the query is 600 characters long, at most 500 are taken — to find the texts like a long text "
               "(a proposal, a message), use similar: `policy-search similar FILE` or POST /api/similar")
    result = run("search", LONG_QUERY, "--index", str(samples))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"Error: {message}\n")
    status, answer = call(app, "/api/search", {"q": LONG_QUERY})
    assert (status, json.loads(answer)["error"]) == (400, message)
    status, page = call(app, "/", {"q": LONG_QUERY})
    assert status == 400 and "最多 500 字" in page and "找先例" in page
    assert run("search", LONG_QUERY[:500], "--index", str(samples)).exit_code == 0


def test_a_long_query_in_a_batch_is_one_error_line(samples, tmp_path):  # noqa: F811
    batch = tmp_path / "queries.txt"
    batch.write_text(f"{LONG_QUERY}\n时尚产业\n", encoding="utf-8")
    result = run("search", "--batch", str(batch), "--index", str(samples), "--json", "-n", "1")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1
    assert records[0]["query"] == LONG_QUERY and "at most 500" in records[0]["error"]
    assert records[1]["query"] == "时尚产业" and records[1]["rank"] == 1


def test_a_page_past_the_end_says_how_many_hits_the_query_has(samples, app):  # noqa: F811
    result = run("search", "时尚产业", "--index", str(samples), "--offset", "20")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no hits on this page (5 in all)\n")
    status, answer = call(app, "/api/search", {"q": "时尚产业", "offset": "20"})
    assert status == 200 and (json.loads(answer)["total"], json.loads(answer)["hits"]) == (5, [])
    status, page = call(app, "/", {"q": "时尚产业", "page": "3"})
    assert status == 200 and "本页没有结果（共 5 条，1 页）" in page and "回到第一页" in page
    assert run("search", "无此词语", "--index", str(samples)).stderr.startswith("no hits\n")


def test_an_index_that_is_a_file_asks_for_a_folder(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("x", encoding="utf-8")
    result = run("search", "时尚", "--index", str(file))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {file} is a file, not an index folder — give the folder of an index, or "
                             "build one in a new folder: `policy-search ingest DIR --index ./ix`\n")
    assert f"--index {file}`" not in result.stderr  # an ingest into a file fails too


def test_the_table_hint_types_a_table_of_answers_as_the_readme_does(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = tmp_path / "replies-public.csv"  # the public data set's columns, a message's details long
    details = "晚上十一点以后工地还在施工，噪音很大，影响周边居民休息，多次反映没有结果，希望有关部门尽快处理。" * 2
    answer = "您好！您反映的问题已转交区生态环境部门依法处理，相关部门将加强夜间施工监管，感谢您的监督。" * 3
    table.write_text("留言编号,留言主题,留言时间,留言详情,答复意见,答复时间\n"
                     f"1,噪音扰民,2023/3/1 10:00:00,{details},{answer},2023/3/2 9:00:00\n"
                     f"2,时尚产业补贴,2023/4/1 10:00:00,{details},{answer},2023/4/11 9:00:00\n",
                     encoding="utf-8")
    result = run("ingest", str(table), "--index", str(tmp_path / "ix"))
    hint = "--columns id=留言编号,title=留言主题,body=答复意见,date=答复时间,doc_type=答复"
    assert result.exit_code == 1 and f"e.g. {hint};" in result.stderr
    assert hint in readme  # the README's own command


@pytest.mark.parametrize("path, params, name", [
    ("/api/search", {"q": "时尚", "clauses": "yes"}, "clauses"),
    ("/api/search", {"q": "时尚", "facets": "2"}, "facets"),
    ("/api/search", {"q": "时尚", "all_versions": "true"}, "all_versions"),
    ("/api/search", {"q": "时尚", "mode": "fuzzy"}, "mode"),
    ("/api/search", {"q": "时尚", "sort": "newest"}, "sort"),
    ("/api/similar", {"clauses": "on"}, "clauses"),
    ("/api/similar", {"mode": "words"}, "mode"),
])
def test_a_value_outside_the_documented_ones_is_a_400_naming_the_parameter(app, path, params, name):  # noqa: F811
    body = json.dumps({"text": "时尚产业"}).encode() if path == "/api/similar" else b""
    status, answer = call(app, path, params, method="POST" if body else "GET", body=body,
                          content_type="application/json" if body else "")
    error = json.loads(answer)["error"]
    assert status == 400 and error.startswith(f"{name} must be ")
    assert params[name] in error


def test_the_documented_flag_values_are_taken(app):  # noqa: F811
    documents = json.loads(call(app, "/api/search", {"q": "时尚产业", "clauses": "0"})[1])
    clauses = json.loads(call(app, "/api/search", {"q": "时尚产业", "clauses": "1", "facets": "1"})[1])
    assert all(h["clause"] is None for h in documents["hits"])
    assert all(h["clause"] for h in clauses["hits"]) and "facets" in clauses


def test_the_api_tells_an_api_caller_of_an_empty_q(app):  # noqa: F811
    status, answer = call(app, "/api/search", {"q": " "})
    assert status == 400
    assert "policy-search search" not in json.loads(answer)["error"]
    assert json.loads(answer)["error"].startswith("q is empty — give a query: /api/search?q=")


def test_a_batch_prints_as_the_single_command_does(samples, tmp_path):  # noqa: F811
    """Results on standard output (JSON only with --json), counts and errors on standard error."""
    batch = tmp_path / "queries.txt"
    batch.write_text('时尚产业\n"公共服务平台\n直播电商\n', encoding="utf-8")
    plain = run("search", "--batch", str(batch), "--index", str(samples), "-n", "1")
    single = run("search", "直播电商", "--index", str(samples), "-n", "1")
    assert plain.exit_code == 1
    assert not plain.stdout.startswith("{")
    assert plain.stdout.split("# 直播电商\n")[1] == single.stdout
    assert plain.stdout.startswith("# 时尚产业\n1. ")
    assert "时尚产业: 5 hits\n" in plain.stderr and "Error: cannot parse query: this quote is never closed" in plain.stderr
    as_json = run("search", "--batch", str(batch), "--index", str(samples), "-n", "1", "--json")
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [r["query"] for r in records] == ["时尚产业", '"公共服务平台', "直播电商"]
    assert "error" in records[1] and as_json.stderr == ""
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"id": "P1", "text": "建议培育直播电商基地"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    similar = run("similar", "--batch", str(texts), "--index", str(samples), "-n", "1")
    assert similar.exit_code == 0 and similar.stdout.startswith("# P1\n1. ") and similar.stderr.startswith("P1: ")
