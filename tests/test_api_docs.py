"""docs/api.md, the repository's own description of the JSON records and the HTTP API, holds
what the API answers: its request examples run as written, and every key of every answer is
documented there (the README points to it, not to material a user of the repository lacks)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conftest import working_directory, wsgi_request
from corpus import sample_dir
from indexer.build import ingest
from search.web.app import make_app

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = DOCS.index(heading + "\n")
    following = re.search(r"^#{2,3} ", DOCS[start + len(heading):], re.M)
    return DOCS[start:start + len(heading) + following.start()] if following else DOCS[start:]


def documented(heading: str) -> set[str]:
    """The keys the tables of a section name in their first column."""
    cells = re.findall(r"^\| ([^|]+) \|", section(heading), re.M)
    return {key for cell in cells for key in re.findall(r"`([a-z_]+)`", cell)}


def named(heading: str) -> set[str]:
    """The keys a section names anywhere: `key`, or "key" inside a code span."""
    text = section(heading)
    spans = re.findall(r"`([^`]+)`", text)
    return {s for s in spans if re.fullmatch(r"[a-z_]+", s)} | {k for s in spans for k in re.findall(r'"([a-z_]+)"', s)}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    index_dir = tmp_path_factory.mktemp("api-docs") / "ix"
    with working_directory(sample_dir()):
        ingest(["."], index_dir, engine="jieba")
    return make_app(index_dir)


def curl_bodies(route: str) -> list[dict[str, str]]:
    """The JSON bodies the documentation's curl examples send to ``route``."""
    examples = re.findall(rf"curl -X POST '?http://127\.0\.0\.1:8000{route}(?:[^\n]*\\\n)*[^\n]*", DOCS)
    return [json.loads(m) for example in examples for m in re.findall(r"-d '(\{.*?\})'", example, re.S)]


def post(app, route: str, body: dict[str, str]) -> dict:
    status, _headers, out = wsgi_request(app, route, "", "POST", json.dumps(body).encode("utf-8"), "application/json")
    assert status.startswith("200"), out
    return json.loads(out)


def test_the_readme_points_to_the_repositorys_own_description():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/api.md)" in readme
    assert "of\nthe shared material" not in readme and "spec/record.md" not in readme


def test_both_post_routes_are_documented_with_their_bodies():
    for route in ("/api/similar", "/api/draft"):
        assert f"### `POST {route}`" in DOCS
        assert curl_bodies(route), route
    assert set(curl_bodies("/api/draft")[0]) == {"text", "as", "date"}
    assert {"text", "as", "date"} <= documented("### `POST /api/draft`")


def test_search_answers_only_documented_keys(app):
    status, _headers, out = wsgi_request(app, "/api/search", urlencode({"q": "时尚产业", "facets": "1"}))
    answer = json.loads(out)
    assert set(answer) <= named("### `GET /api/search`")
    assert answer["hits"] and set(answer["hits"][0]) <= documented("### A hit")


def test_a_document_has_only_documented_keys(app):
    hit = json.loads(wsgi_request(app, "/api/search", "q=时尚产业")[2])["hits"][0]
    record = json.loads(wsgi_request(app, f"/api/doc/{hit['id']}")[2])
    assert set(record) <= documented("### A document")
    for cited in record["cited_by"]:
        assert set(cited) <= named("### A document")


def test_the_documented_requests_run_and_answer_documented_keys(app):
    for body in curl_bodies("/api/similar"):
        hits = post(app, "/api/similar", body)["hits"]
        assert hits and set(hits[0]) <= documented("### A hit")
    draft = post(app, "/api/draft", curl_bodies("/api/draft")[0])
    assert set(draft) <= documented("### A draft")
    in_prose = named("### A draft")
    for part in draft["sections"]:
        assert set(part) <= in_prose
        for quoted in part["clauses"] + part["other_regions"] + part["passages"]:
            assert set(quoted) <= in_prose and set(quoted["source"]) <= in_prose
    for line in draft["lines"]:
        assert set(line) <= in_prose
    assert set(draft["proposal"]) <= in_prose
