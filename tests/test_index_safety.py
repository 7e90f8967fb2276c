"""An index survives what happens to ingests: a kill -9 in the middle, a second ingest at the
same time, searches while one runs. Real processes, a real index on disk."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from corpus import sample_dir
from errors import IndexLocked, IndexWriteFailed
from indexer.build import ingest
from search.engine import PolicyIndex

ROOT = Path(__file__).resolve().parents[1]


def hits(index_dir: Path, query: str) -> list[str]:
    with PolicyIndex(index_dir) as index:
        return sorted(Path(h.source).name for h in index.search(query, limit=100).hits)


def many_documents(folder: Path, count: int) -> Path:
    folder.mkdir()
    for i in range(count):
        (folder / f"notice{i:04d}.txt").write_text(
            f"关于开展第{i}批琥珀工坊认定工作的通知\n\n一、申报条件\n（一）在本市注册满一年。\n"
            f"二、支持措施\n对认定的企业给予最高{i + 1}0万元奖励。" + "推动企业数字化转型，提升创新能力。" * 40,
            encoding="utf-8",
        )
    return folder


def test_kill_9_mid_ingest_leaves_the_previous_index_whole(tmp_path):
    index_dir = tmp_path / "ix"
    ingest([str(sample_dir())], index_dir, engine="jieba")
    before = hits(index_dir, "时尚产业")
    assert len(before) == 5
    big = many_documents(tmp_path / "big", 400)

    files = set(os.listdir(index_dir))
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "ingest", str(big), "--index", str(index_dir), "--procs", "1", "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    # the new segment's files appear once its writer has started (probing the write lock instead
    # would take it for a moment, and an ingest opening its writer then is refused)
    while not any(name.endswith(".pst") for name in set(os.listdir(index_dir)) - files):
        assert proc.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the ingest: documents are being added
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    assert hits(index_dir, "时尚产业") == before  # everything it had, nothing half-written
    assert hits(index_dir, "琥珀工坊") == []
    report = ingest([str(big)], index_dir, procs=1)  # no stale lock: the next ingest works
    assert len(report.added) == 400
    assert len(hits(index_dir, "琥珀工坊")) == 100  # limit
    assert hits(index_dir, "时尚产业") == before


def full_disk(path: str, fields: dict) -> dict:
    """Writing a run of postings, on a disk that is full."""
    raise OSError(errno.ENOSPC, "No space left on device", path)


@pytest.mark.parametrize("procs", [1, 2])
def test_a_full_disk_mid_ingest_is_reported_and_leaves_the_index_whole(tmp_path, monkeypatch, procs):
    index_dir = tmp_path / "ix"
    ingest([str(sample_dir())], index_dir)
    before = hits(index_dir, "时尚产业")
    big = many_documents(tmp_path / "big", 40)
    # a small budget makes the writers move postings to disk, where the disk is full
    # (writer processes are forked, so they see the same patches)
    monkeypatch.setattr("indexer.bulkwriter.SPILL_CHARS", 2000)
    monkeypatch.setattr("indexer.spill.write_run", full_disk)
    with pytest.raises(IndexWriteFailed, match="No space left on device") as failed:
        ingest([str(big)], index_dir, procs=procs)
    assert str(index_dir) in str(failed.value) and "the index is as it was" in str(failed.value)
    assert hits(index_dir, "时尚产业") == before
    assert hits(index_dir, "琥珀工坊") == []
    assert not list(index_dir.glob("*.spill"))
    monkeypatch.undo()
    assert len(ingest([str(big)], index_dir, procs=procs).added) == 40


def test_the_command_line_says_what_to_do_when_the_disk_is_full(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import cli

    index_dir = tmp_path / "ix"
    monkeypatch.setattr("indexer.bulkwriter.SPILL_CHARS", 2000)
    monkeypatch.setattr("indexer.spill.write_run", full_disk)
    result = CliRunner().invoke(cli.main, ["ingest", str(sample_dir()), "--index", str(index_dir), "-q"])
    assert result.exit_code == 2
    assert f"could not write the index at {index_dir}: No space left on device — fix the cause" in result.output
    assert "Traceback" not in result.output


def test_a_second_ingest_while_one_writes_is_told_to_wait(tmp_path):
    index_dir = tmp_path / "ix"
    ingest([str(sample_dir())], index_dir, engine="jieba")
    holder = whoosh_index.open_dir(str(index_dir)).writer()
    try:
        with pytest.raises(IndexLocked, match=f"another ingest is writing to {index_dir} — wait for it to finish"):
            ingest([str(sample_dir())], index_dir)
    finally:
        holder.cancel()
    assert len(ingest([str(sample_dir())], index_dir).unchanged) == 5


def test_searches_work_while_an_ingest_writes(tmp_path):
    index_dir = tmp_path / "ix"
    ingest([str(sample_dir())], index_dir, engine="jieba")
    writer = whoosh_index.open_dir(str(index_dir)).writer()
    try:
        writer.delete_by_term("kind", "doc")  # uncommitted: readers must not see it
        assert len(hits(index_dir, "时尚产业")) == 5
    finally:
        writer.cancel()


def test_a_failed_rebuild_keeps_the_old_index(tmp_path, monkeypatch):
    index_dir = tmp_path / "ix"
    ingest([str(sample_dir())], index_dir, engine="jieba")

    import indexer.build

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(indexer.build, "_add_document", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest([str(sample_dir())], index_dir, rebuild=True)
    assert len(hits(index_dir, "时尚产业")) == 5
