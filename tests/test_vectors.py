"""Vectors beside the index: written with the ingest, kept in step with replaced and pruned
files, never made twice for the same text, safe from a kill -9, and tied to their model."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from errors import IndexMismatch, UsageError
from indexer.build import ingest
from indexer.embed import HashEmbedder
from indexer.vectors import load_vectors, read_manifest, vector_dir
from tests.conftest import CSV_COLUMNS, working_directory

ROOT = Path(__file__).resolve().parents[1]


def run(folder: Path, index_dir: Path, embedder: HashEmbedder, **kwargs):
    with working_directory(folder):
        return ingest(["."], index_dir, columns=CSV_COLUMNS, engine="jieba", embedder=embedder, **kwargs)


def doc_ids(index_dir: Path) -> set[str]:
    from search.engine import PolicyIndex

    with PolicyIndex(index_dir) as index:
        return {f["doc_id"] for f in index.state.searcher.all_stored_fields() if f.get("kind") == "doc"}


def test_every_document_gets_one_vector_of_its_text(data_copy, tmp_path):
    embedder = HashEmbedder()
    report = run(data_copy, tmp_path / "ix", embedder, vectors="documents")
    stored = load_vectors(tmp_path / "ix")
    assert stored is not None and report.vectors.units == len(stored) == 6 == embedder.calls
    assert set(stored.ids) == doc_ids(tmp_path / "ix")
    assert stored.matrix.dtype == np.float32 and isinstance(stored.matrix, np.memmap)  # BLAS, shared pages
    assert (stored.model, stored.fingerprint) == ("hash-test", "hash-64-1")
    norms = np.linalg.norm(stored.matrix.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)


def test_clauses_level_adds_the_clause_units_and_embeds_only_them(data_copy, tmp_path):
    run(data_copy, tmp_path / "ix", HashEmbedder(), vectors="documents")
    again = HashEmbedder()
    report = run(data_copy, tmp_path / "ix", again)  # the level the index has: documents
    assert again.calls == 0 and report.vectors.units == 6
    report = run(data_copy, tmp_path / "ix", again, vectors="clauses")
    stored = load_vectors(tmp_path / "ix")
    assert stored is not None
    clause_ids = [u for u in stored.ids if "#" in u]
    assert clause_ids and again.calls == len(clause_ids) == report.vectors.embedded
    assert read_manifest(tmp_path / "ix")["level"] == "clauses"


def test_a_changed_file_is_embedded_again_alone_and_its_old_vector_goes(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    run(data_copy, index_dir, HashEmbedder(), vectors="documents")
    before = set(load_vectors(index_dir).ids)  # type: ignore[union-attr]
    notice = data_copy / "notice.txt"
    notice.write_text(notice.read_text(encoding="utf-8") + "\n六、本通知自发布之日起施行。\n", encoding="utf-8")
    embedder = HashEmbedder()
    report = run(data_copy, index_dir, embedder)
    after = set(load_vectors(index_dir).ids)  # type: ignore[union-attr]
    assert len(report.replaced) == 1 and embedder.calls == 1
    assert len(after) == 6 and len(after - before) == 1 and after == doc_ids(index_dir)


def test_prune_drops_the_vectors_of_removed_files(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    run(data_copy, index_dir, HashEmbedder(), vectors="documents")
    (data_copy / "plan.txt").unlink()
    embedder = HashEmbedder()
    report = run(data_copy, index_dir, embedder, prune=True)
    stored = load_vectors(index_dir)
    assert len(report.pruned) == 1 and embedder.calls == 0
    assert stored is not None and len(stored) == 5 and set(stored.ids) == doc_ids(index_dir)
    assert len(list(vector_dir(index_dir).glob("*.npy"))) == 1  # one batch: the others are removed


def test_another_model_is_refused_until_the_index_is_rebuilt(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    run(data_copy, index_dir, HashEmbedder(), vectors="documents")
    other = HashEmbedder(version="2")
    with pytest.raises(IndexMismatch, match=r"hash-64-1.*hash-64-2.*--rebuild"):
        run(data_copy, index_dir, other)
    assert other.calls == 0
    report = run(data_copy, index_dir, other, rebuild=True)
    stored = load_vectors(index_dir)
    assert stored is not None and stored.fingerprint == "hash-64-2" and report.vectors.units == 6
    assert other.calls == 6


def test_a_rebuild_with_the_same_model_embeds_nothing_again(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    run(data_copy, index_dir, HashEmbedder(), vectors="documents")
    embedder = HashEmbedder()
    report = run(data_copy, index_dir, embedder, rebuild=True)
    assert embedder.calls == 0 and report.vectors.units == 6


def test_vectors_none_removes_them_and_an_unknown_level_is_refused(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    run(data_copy, index_dir, HashEmbedder(), vectors="documents")
    run(data_copy, index_dir, HashEmbedder(), vectors="none")
    assert load_vectors(index_dir) is None
    with pytest.raises(UsageError, match="--vectors must be one of none, documents, clauses"):
        run(data_copy, index_dir, HashEmbedder(), vectors="all")


SLOW_INGEST = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from indexer.build import ingest
    from indexer.embed import HashEmbedder

    class Slow(HashEmbedder):
        def _vector(self, text):
            time.sleep(0.02)
            return super()._vector(text)

    ingest([{folder!r}], __import__("pathlib").Path({index!r}), engine="jieba", embedder=Slow(), procs=1)
""")


def test_kill_9_while_embedding_keeps_index_and_vectors_consistent_and_the_work_done(tmp_path):
    from search.engine import PolicyIndex

    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(400):
        (folder / f"reply{i:03d}.txt").write_text(f"关于第{i}号琥珀工坊建议的答复\n\n" + "推动企业数字化转型。" * 5,
                                                   encoding="utf-8")
    index_dir = tmp_path / "ix"
    script = SLOW_INGEST.format(root=str(ROOT), folder=str(folder), index=str(index_dir))
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(vector_dir(index_dir).glob("*.npy")) if vector_dir(index_dir).is_dir() else True:
        assert proc.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # a batch is written: embedding is under way
    proc.wait()

    assert load_vectors(index_dir) is None  # nothing published half-way
    with PolicyIndex(index_dir) as index:  # the words are committed and searchable
        assert index.search("琥珀工坊", limit=1).total == 400
    embedder = HashEmbedder()
    report = ingest([str(folder)], index_dir, engine="jieba", embedder=embedder, procs=1)
    assert len(report.unchanged) == 400
    stored = load_vectors(index_dir)
    assert stored is not None and len(stored) == 400 == report.vectors.units
    assert 0 < embedder.calls <= 400 - 128  # the killed run's finished batches were kept
    assert set(stored.ids) == doc_ids(index_dir)
