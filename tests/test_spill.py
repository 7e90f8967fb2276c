"""Runs of postings on disk (indexer/spill.py): written sorted, read back whole, merged in order."""
from __future__ import annotations

from indexer.spill import Runs, merge_runs, remove_stale_runs


def test_runs_give_back_each_field_in_term_order_with_earlier_runs_first(tmp_path):
    runs = Runs(str(tmp_path))
    runs.spill({"text": {"资助".encode(): ([1, 3], [1.0, 2.0], [b"a", b"b"]), "平台".encode(): ([2], [1.0], [b"c"])},
                "title": {"时尚".encode(): ([0], [3.0], [b""])}})
    runs.spill({"text": {"资助".encode(): ([5], [1.5], [b"d"]), "产业".encode(): ([6], [1.0], [b"e"])}})
    memory = iter([("资助".encode(), ([9], [1.0], [b"f"]))])
    assert runs.fieldnames == {"text", "title"}
    merged = list(merge_runs([*runs.sources("text"), memory]))
    assert merged == sorted([
        ("资助".encode(), ([1, 3, 5, 9], [1.0, 2.0, 1.5, 1.0], [b"a", b"b", b"d", b"f"])),
        ("平台".encode(), ([2], [1.0], [b"c"])),
        ("产业".encode(), ([6], [1.0], [b"e"])),
    ])
    assert list(merge_runs(runs.sources("title"))) == [("时尚".encode(), ([0], [3.0], [b""]))]
    runs.remove()
    assert list(tmp_path.iterdir()) == []


def test_a_run_holds_more_terms_than_one_batch(tmp_path):
    runs = Runs(str(tmp_path))
    table = {f"词{i:05d}".encode(): ([i], [1.0], [b""]) for i in range(10_000)}
    runs.spill({"text": table})
    assert [btext for btext, _entry in merge_runs(runs.sources("text"))] == sorted(table)
    runs.remove()


def test_run_folders_left_by_a_killed_writer_are_removed(tmp_path):
    (tmp_path / "abc.spill").mkdir()
    (tmp_path / "abc.spill" / "run0000").write_bytes(b"partial")
    (tmp_path / "MAIN_x.pst").write_bytes(b"kept")
    remove_stale_runs(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["MAIN_x.pst"]
