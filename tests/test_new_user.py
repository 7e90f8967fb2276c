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
from test_cli import run

PLAN = "4829501b0167b488"
PROPOSAL = "建议加快时尚产业数字化转型，支持商协会建设公共服务平台，培育直播电商基地。"


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("POLICY_SEARCH_INDEX", raising=False)
    return home


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
    assert json.loads(body)["error"] == f"--as-of: {FEB_30} — write it as 2024-06-30"
