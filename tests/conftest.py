"""Shared fixtures: the tiny corpus in tests/data, and one index of it per segmentation engine.

The corpus (read it: every expected ranking in the tests follows from these texts):

- ``measures.txt``  深圳市关于促进时尚产业高质量发展的若干措施 (若干措施, 2022): clauses 一、（一）1.,
  公共服务平台, 数字化转型, 直播电商, amounts 最高不超过500万元 …
- ``reply.txt``     深圳市工业和信息化局关于…第20230045号提案答复意见的函 (提案答复, 2023): 尊敬的王小明委员,
  时尚设计公共服务平台
- ``notice.txt``    深圳市商务局关于开展2021年夜间经济消费季活动的通知 (通知, 2021): 时尚 and 产业, but far
  apart (促进时尚消费 … 夜间文化产业)
- ``plan.txt``      深圳市推进时尚产业化与服装制造升级行动计划 (行动计划, 2020): 时尚产业化, 智能制造, 服装
- ``replies.csv``   two replies to citizens' messages (A001 噪音扰民, A002 时尚产业补贴), read with
  ``--columns`` :data:`CSV_COLUMNS`

Indexes are built once per session, from inside ``tests/data`` so that sources read as
``measures.txt`` and ``replies.csv#A002``.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from search.engine import PolicyIndex

# Indexes of the tests hold no vectors unless a test asks for them (tests/test_vectors.py): the
# exact rankings the tests assert are the words' own. Subprocesses inherit this.
os.environ["POLICY_SEARCH_MODEL"] = "none"
# Off a terminal an ingest shows its progress once it has run 2 s: a test's stderr would hold it
# or not by the machine's load. Tests of the progress itself set 0 (tests/test_progress.py).
os.environ["POLICY_SEARCH_PROGRESS_AFTER"] = "3600"

DATA = Path(__file__).parent / "data"
CSV_COLUMNS = "id=留言编号,title=留言主题,body=答复意见,date=答复时间"

ENGINES = [
    "jieba",
    pytest.param(
        "rjieba",
        marks=pytest.mark.skipif(importlib.util.find_spec("rjieba") is None, reason="rjieba is not installed"),
    ),
]


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def index_of_texts(folder: Path, texts: dict[str, str]) -> Iterator[PolicyIndex]:
    """The texts written as files into ``folder``, indexed with jieba, open for searching."""
    from search.engine import PolicyIndex

    with PolicyIndex(ingest_texts(folder, texts)) as index:
        yield index


def ingest_texts(folder: Path, texts: dict[str, str], embedder: Any = None) -> Path:
    """The texts written as files into ``folder`` and indexed with jieba at ``folder/ix``; with
    ``embedder`` (a stand-in model), every document gets a vector."""
    from indexer.build import ingest

    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    with working_directory(folder):
        ingest(["."], folder / "ix", engine="jieba", embedder=embedder, vectors="documents" if embedder else None)
    return folder / "ix"


@contextmanager
def stand_in_model(embedder: Any) -> Iterator[Any]:
    """``embedder`` (a HashEmbedder) as the model that an index's vectors name, within the block:
    searching by meaning embeds its queries with it."""
    from indexer import embed

    missing = object()
    before = embed._loaded.get(embedder.name, missing)
    embed.use_embedder(embedder)
    try:
        yield embedder
    finally:
        if before is missing:
            embed._loaded.pop(embedder.name, None)
        else:
            embed._loaded[embedder.name] = before


def build_index(index_dir: Path, data: Path = DATA, engine: str | None = None):
    """Ingest the files of the folder ``data`` (sources relative to it) into ``index_dir``; its
    subfolders hold sets of their own (localgov/: documents scored by bench/parse_localgov.py)."""
    from indexer.build import ingest

    with working_directory(data):
        return ingest(sorted(p.name for p in data.iterdir() if p.is_file()), index_dir, columns=CSV_COLUMNS,
                      engine=engine)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each segmentation engine in turn (rjieba skipped when it is not installed)."""
    return request.param


@pytest.fixture(scope="session")
def corpus_index_dir(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of tests/data built with ``engine``; read-only for the tests that use it."""
    index_dir = tmp_path_factory.mktemp(f"index-{engine}") / "index"
    report = build_index(index_dir, engine=engine)
    assert not report.errors, report.errors
    return index_dir


@pytest.fixture(scope="session")
def corpus_index(corpus_index_dir: Path):
    """The index of tests/data, open for searching (one per engine, for the whole session)."""
    from search.engine import PolicyIndex

    with PolicyIndex(corpus_index_dir) as index:
        yield index


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of tests/data that a test may change."""
    target = tmp_path / "docs"
    shutil.copytree(DATA, target, ignore=lambda folder, names: [n for n in names if (Path(folder) / n).is_dir()])
    return target


def samples_index(folder: Path, leave_out: str = "000_") -> Path:
    """An index, at ``folder/ix``, of the bundled samples but those whose name starts with
    ``leave_out`` (the drafting tests leave out the reply 000 so that it cannot be copied from)."""
    from corpus import sample_dir
    from indexer.build import ingest

    docs = folder / "docs"
    docs.mkdir()
    for path in sample_dir().glob("*.txt"):
        if not path.name.startswith(leave_out):
            shutil.copy(path, docs / path.name)
    with working_directory(docs):
        assert not ingest(["."], folder / "ix", engine="jieba").errors
    return folder / "ix"


def wsgi_request(app, path: str, query: str = "", method: str = "GET", body: bytes = b"",
                 content_type: str = "") -> tuple[str, list[tuple[str, str]], bytes]:
    """One request through a WSGI app in process: (status line, headers, body)."""
    import io

    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path.encode("utf-8").decode("latin-1"), "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
        "CONTENT_LENGTH": str(len(body)) if body else "", "CONTENT_TYPE": content_type,
    }
    answer: dict[str, object] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = status, headers

    out = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], out  # type: ignore[return-value]
