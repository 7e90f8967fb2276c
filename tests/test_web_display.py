"""What the page and the JSON API show of a document: its period of validity with the day it
ends, sources relative to what was ingested, and no validity for a reply, which has none.

Over an index of the five bundled samples ingested as a folder given by its absolute path (as
a server's administrator would), and of tests/data's table of replies to citizens' messages.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

from conftest import wsgi_request
from corpus import sample_dir
from indexer.build import ingest
from search.web.app import make_app

PLAN = "4829501b0167b488"  # 深圳市时尚产业高质量发展行动计划（2020—2024年）: 2020-03-10, 有效期5年
MEASURES = "b392f55c731a7138"  # 龙岗区…若干措施: 自2024-01-05起施行, 有效期3年


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    index_dir = tmp_path_factory.mktemp("display") / "ix"
    assert not ingest([str(sample_dir().resolve())], index_dir, engine="jieba").errors
    return make_app(index_dir)


def get(app, path: str, query: dict[str, Any] | None = None) -> tuple[int, str]:
    status, _headers, body = wsgi_request(app, path, urlencode(query or {}))
    return int(status.split()[0]), body.decode("utf-8")


def metadata(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {row.th.get_text(strip=True): row.td.get_text(" ", strip=True) for row in soup.select("table.metadata tr")}


def test_document_page_shows_the_last_day_of_validity(app):
    status, html = get(app, f"/doc/{PLAN}")
    assert status == 200
    assert metadata(html)["有效期"] == "5 年，至 2025-03-09"
    assert metadata(get(app, f"/doc/{MEASURES}")[1])["有效期"] == "3 年，至 2027-01-04"


def test_api_document_gives_the_last_day_of_validity(app):
    status, body = get(app, f"/api/doc/{PLAN}")
    record = json.loads(body)
    assert (record["valid_years"], record["valid_until"]) == (5, "2025-03-09")
