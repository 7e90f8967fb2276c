"""The bulk segment writer (indexer/bulkwriter.py) writes the files Whoosh's writer writes.

Both writers index the same units of the samples and tests/data; every file of the segment
(term table, postings, field lengths, columns, stored fields) must be equal byte for byte, so
every reader of the index reads the same thing whichever writer built it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.writing import SegmentWriter

from corpus import parse_file, sample_dir
from indexer.build import ingest
from indexer.bulkwriter import BulkSegmentWriter, TermPool, _fast_adder
from indexer.schema import make_schema
from indexer.store import create_index, open_index
from indexer.units import document_units
from tests.conftest import DATA


def _units() -> list[dict]:
    units = []
    for path in sorted([*sample_dir().glob("*.txt"), *(p for p in DATA.iterdir() if p.is_file())]):
        for doc in parse_file(str(path), path, None, None).documents:
            units.extend(document_units(doc, str(path), "digest"))
    return units


UNITS = _units()


def _segment_files(index_dir: Path) -> dict[str, bytes]:
    """The files of the index's segments by what follows the segment name."""
    return {p.name.split(".", 1)[1]: p.read_bytes() for p in index_dir.iterdir() if p.name.startswith("MAIN_")
            and "." in p.name and not p.name.endswith("WRITELOCK")}


def _build(index_dir: Path, writer_class: type, units: list[dict], engine: str, *, optimize_after: int = 0,
           **options) -> int:
    """Build an index; returns how many runs the last writer had spilled to disk before its commit."""
    index_dir.mkdir()
    ix = create_index(index_dir, make_schema(_analyzer(engine)))
    if optimize_after:  # a first segment, merged with the rest by an optimizing commit
        writer = writer_class(ix, compound=False, **options)
        for unit in units[:optimize_after]:
            writer.add_document(**unit)
        writer.commit()
        units = units[optimize_after:]
    writer = writer_class(ix, compound=False, **options)
    for unit in units:
        writer.add_document(**unit)
    spilled = len(writer.pool.runs.runs) if isinstance(writer, BulkSegmentWriter) else 0
    writer.commit(optimize=bool(optimize_after))
    return spilled


def _analyzer(engine: str):
    from indexer.analysis import make_analyzer
    return make_analyzer(engine)


def test_the_units_cover_every_kind_of_posting():
    assert {u["kind"] for u in UNITS} == {"doc", "clause"}
    assert any("amount" in u for u in UNITS) and any(u.get("proposers") for u in UNITS)


def test_the_bulk_writer_writes_the_files_whoosh_writes(tmp_path, engine):
    _build(tmp_path / "whoosh", SegmentWriter, UNITS, engine)
    _build(tmp_path / "bulk", BulkSegmentWriter, UNITS, engine)
    expected, written = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "bulk")
    assert {"trm", "pst", "_text_len.col", "_stored.col"} <= expected.keys()
    assert written.keys() == expected.keys()
    for name, content in expected.items():
        assert written[name] == content, f"segment file .{name} differs"


def test_merging_segments_writes_what_whoosh_writes(tmp_path, engine):
    # the optimizing commit feeds the old segment's postings through the pool, after the new units
    _build(tmp_path / "whoosh", SegmentWriter, UNITS, engine, optimize_after=40)
    _build(tmp_path / "bulk", BulkSegmentWriter, UNITS, engine, optimize_after=40)
    expected, written = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "bulk")
    assert written["trm"] == expected["trm"] and written["pst"] == expected["pst"]


def test_a_writer_that_spills_postings_to_disk_writes_the_same_files(tmp_path, engine):
    # a budget of 3,000 characters moves the postings to a run on disk every few units
    _build(tmp_path / "whoosh", SegmentWriter, UNITS, engine, optimize_after=40)
    spilled = _build(tmp_path / "bulk", BulkSegmentWriter, UNITS, engine, optimize_after=40, spill_chars=3000)
    assert spilled >= 5
    expected, written = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "bulk")
    assert written.keys() == expected.keys()
    for name, content in expected.items():
        assert written[name] == content, f"segment file .{name} differs"
    assert not list((tmp_path / "bulk").glob("*.spill")), "the runs are removed after the commit"


def test_a_cancelled_writer_removes_its_runs(tmp_path, engine):
    index_dir = tmp_path / "ix"
    index_dir.mkdir()
    writer = BulkSegmentWriter(create_index(index_dir, make_schema(_analyzer(engine))), spill_chars=3000)
    for unit in UNITS[:30]:
        writer.add_document(**unit)
    assert list(index_dir.glob("*.spill"))
    writer.cancel()
    assert not list(index_dir.glob("*.spill"))


def test_postings_for_units_already_on_disk_are_refused():
    pool = TermPool()
    pool.add(("text", "时尚".encode(), 4, 1.0, None))
    pool.spill(next_docnum=5)
    with pytest.raises(ValueError, match="spilled"):
        pool.add(("text", "时尚".encode(), 3, 1.0, None))
    pool.add(("text", "时尚".encode(), 7, 1.0, None))
    assert [(t, d) for _f, t, d, _w, _v in pool.iter_postings()] == [("时尚".encode(), 4), ("时尚".encode(), 7)]
    pool.cleanup()


def test_a_field_held_only_on_disk_is_still_posted():
    pool = TermPool()
    pool.add(("title", "时尚".encode(), 0, 3.0, None))
    pool.spill(next_docnum=1)
    pool.add(("text", "产业".encode(), 1, 1.0, None))
    assert list(pool.iter_postings()) == [("text", "产业".encode(), 1, 1.0, b""), ("title", "时尚".encode(), 0, 3.0, b"")]
    pool.cleanup()


def test_the_term_pool_sorts_postings_added_out_of_order():
    pool = TermPool()
    for docnum in (5, 2, 9):
        pool.add(("text", "时尚".encode(), docnum, 1.0, None))
    pool.add(("text", "产业".encode(), 3, 2.0, b"v"))
    assert list(pool.iter_postings()) == [
        ("text", "产业".encode(), 3, 2.0, b"v"),
        ("text", "时尚".encode(), 2, 1.0, b""), ("text", "时尚".encode(), 5, 1.0, b""),
        ("text", "时尚".encode(), 9, 1.0, b""),
    ]


def test_our_text_and_id_fields_post_what_whoosh_would(engine):
    schema = make_schema(_analyzer(engine))
    text = "深府办〔2020〕4号：对时尚产业给予最高500万元资助，時尚產業，５Ｇ。\n第二行 时尚 时尚"
    for name in ("body", "body_bigrams"):
        table: dict = {}
        field = schema[name]
        _fast_adder(field, text)(table, 7, field, text, 2.0)
        expected = {btext: ([7], [weight * 2.0], [value]) for btext, _freq, weight, value in field.index(text)}
        assert table == expected
    for name, value in (("doc_type", "行动计划"), ("clause_path", "")):
        table = {}
        field = schema[name]
        assert _fast_adder(field, value)(table, 7, field, value, 2.0) == 0  # an ID keeps no length
        assert table == {btext: ([7], [weight * 2.0], [value]) for btext, _freq, weight, value in field.index(value)}
    assert _fast_adder(schema["proposers"], "朱舜华,张昊") is None  # other fields go through Whoosh


def test_a_parallel_ingest_finds_what_a_single_process_one_finds(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    files = [str(p) for p in DATA.iterdir() if p.is_file()]
    ingest([*files, str(sample_dir())], one, procs=1)
    ingest([*files, str(sample_dir())], two, procs=2)
    found = []
    for index_dir in (one, two):
        with open_index(index_dir).searcher() as searcher:
            found.append({
                word: sorted(searcher.stored_fields(d)["unit_id"]
                             for d in searcher.document_numbers(**{"text": word}))
                for word in ("时尚", "资助", "平台", "500万")
            } | {"units": searcher.doc_count()})
    assert found[0] == found[1]
    assert found[0]["units"] == len(UNITS)

