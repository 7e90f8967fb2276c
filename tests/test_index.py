"""Building and updating an index on disk: reopening, incremental ingest, prune, rebuild, errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CSV_COLUMNS, DATA, build_index, working_directory
from corpus.model import Clause
from errors import IndexMismatch, IndexMissing, UsageError
from indexer.build import ingest
from indexer.schema import SCHEMA_VERSION
from indexer.units import clause_units
from indexer.store import ENV_VAR, read_settings, resolve_index_dir, write_settings
from search.engine import PolicyIndex


def sources(index_dir: Path, query: str, **kwargs) -> list[str]:
    with PolicyIndex(index_dir) as index:
        return [hit.source for hit in index.search(query, **kwargs).hits]


def test_ingest_reports_what_it_read(corpus_index_dir):
    settings = read_settings(corpus_index_dir)
    assert settings["schema_version"] == SCHEMA_VERSION
    # 19 clauses, of which 5 are bare headings over clauses of their own: 14 clause units
    assert (settings["documents"], settings["clauses"]) == (6, 14)


def test_ingest_of_a_folder_counts_files_documents_and_clauses(tmp_path, engine):
    report = build_index(tmp_path / "ix", engine=engine)
    assert sorted(report.added) == ["measures.txt", "notice.txt", "plan.txt", "replies.csv", "reply.txt"]
    assert (report.documents, report.clauses, report.errors) == (6, 19, [])


def test_the_index_records_its_engine(tmp_path, engine):
    build_index(tmp_path / "ix", engine=engine)
    assert read_settings(tmp_path / "ix")["analysis"]["engine"] == engine


def test_an_index_reopened_in_a_fresh_policy_index_answers(tmp_path, engine):
    build_index(tmp_path / "ix", engine=engine)
    with PolicyIndex(tmp_path / "ix") as first:
        expected = [h.source for h in first.search('"时尚产业"').hits]
    with PolicyIndex(tmp_path / "ix") as again:
        assert again.tokenizer.engine_name == engine
        assert [h.source for h in again.search('"时尚产业"').hits] == expected
    assert expected == ["replies.csv#A002", "measures.txt", "plan.txt", "reply.txt"]


def test_an_index_on_disk_is_read_by_a_new_process(corpus_index_dir, engine):
    # A new interpreter has no segmenter loaded: the analyzer is unpickled from the index.
    code = (
        "import sys; from pathlib import Path; from search.engine import PolicyIndex\n"
        "with PolicyIndex(Path(sys.argv[1])) as ix:\n"
        "    print(ix.tokenizer.engine_name, [h.source for h in ix.search(sys.argv[2]).hits])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(corpus_index_dir), '"公共服务平台"'],
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout == f"{engine} ['reply.txt', 'measures.txt']\n"


# -- incremental ingest -------------------------------------------------------------------------


def test_an_unchanged_file_is_skipped(data_copy, tmp_path):
    build_index(tmp_path / "ix", data_copy)
    report = build_index(tmp_path / "ix", data_copy)
    assert report.added == report.replaced == []
    assert sorted(report.unchanged) == ["measures.txt", "notice.txt", "plan.txt", "replies.csv", "reply.txt"]
    assert read_settings(tmp_path / "ix")["documents"] == 6


def test_a_changed_file_replaces_its_old_entries(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    build_index(index_dir, data_copy)
    assert sources(index_dir, '"夜间经济"') == ["notice.txt"]
    notice = data_copy / "notice.txt"
    notice.write_text(notice.read_text(encoding="utf-8").replace("夜间经济", "首店经济"), encoding="utf-8")

    report = build_index(index_dir, data_copy)

    assert report.replaced == ["notice.txt"]
    assert sorted(report.unchanged) == ["measures.txt", "plan.txt", "replies.csv", "reply.txt"]
    assert sources(index_dir, '"夜间经济"') == []
    assert sources(index_dir, '"首店经济"') == ["notice.txt"]
    # the title changed too, and it is the context of each of the notice's three clauses: a word
    # of the context ranks them among the clauses that match on their own (活动)
    assert sources(index_dir, "活动 首店经济", clauses=True)[:3] == ["notice.txt"] * 3
    assert read_settings(index_dir)["documents"] == 6


def test_a_changed_table_replaces_all_its_rows(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    build_index(index_dir, data_copy)
    table = data_copy / "replies.csv"
    table.write_text("留言编号,留言主题,答复意见,答复时间\nA003,停车难,您反映的小区停车难问题已转交交通运输部门。,2023-05-01\n",
                     encoding="utf-8")
    build_index(index_dir, data_copy)
    assert sources(index_dir, "噪音扰民") == []
    assert sources(index_dir, "停车难") == ["replies.csv#A003"]


def test_prune_drops_the_entries_of_a_deleted_file(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    build_index(index_dir, data_copy)
    (data_copy / "plan.txt").unlink()

    kept = build_index(index_dir, data_copy)
    assert kept.pruned == []
    assert sources(index_dir, "服装") == ["plan.txt"]  # without --prune the entries stay

    with working_directory(data_copy):
        report = ingest(["."], index_dir, columns=CSV_COLUMNS, prune=True)
    assert report.pruned == [str((data_copy / "plan.txt").resolve())]
    assert sources(index_dir, "服装") == []
    assert read_settings(index_dir)["documents"] == 5


def test_rebuild_gives_the_same_hits(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    build_index(index_dir, data_copy)
    queries = ["时尚产业", '"公共服务平台"', "智能制造 服装", "类型:通知"]
    before = {q: sources(index_dir, q) for q in queries}

    with working_directory(data_copy):
        report = ingest(["."], index_dir, columns=CSV_COLUMNS, rebuild=True)

    assert report.unchanged == []
    assert len(report.added) == 5
    assert {q: sources(index_dir, q) for q in queries} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "ix"]  # no .rebuild/.old left behind


def test_an_unreadable_file_is_reported_and_the_others_indexed(data_copy, tmp_path):
    (data_copy / "empty.txt").write_bytes(b"")
    (data_copy / "binary.txt").write_bytes(bytes(range(256)) * 8)
    report = build_index(tmp_path / "ix", data_copy)
    assert [(e.source, e.reason) for e in report.errors] == [
        ("binary.txt", "not text in any known encoding (binary file?) — "
                       "if it is text, try `--encoding gb18030` or `--encoding big5`"),
        ("empty.txt", "the file is empty"),
    ]
    assert len(report.added) == 5
    assert sources(tmp_path / "ix", '"公共服务平台"') == ["reply.txt", "measures.txt"]


def test_an_index_can_be_filled_file_by_file(tmp_path):
    index_dir = tmp_path / "ix"
    ingest([str(DATA / "notice.txt")], index_dir)
    ingest([str(DATA / "plan.txt")], index_dir)
    assert sorted(Path(s).name for s in sources(index_dir, "夜间 服装")) == ["notice.txt", "plan.txt"]
    assert read_settings(index_dir)["documents"] == 2


# -- where the index is, and what is not an index ------------------------------------------------


def test_opening_a_missing_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexMissing) as caught:
        PolicyIndex(tmp_path / "nothing")
    assert str(caught.value) == (
        f"no index at {tmp_path / 'nothing'} — build one with `policy-search ingest DIR --index {tmp_path / 'nothing'}`"
    )
    assert caught.value.exit_code == 2


def test_an_index_of_another_schema_version_is_refused(data_copy, tmp_path):
    index_dir = tmp_path / "ix"
    build_index(index_dir, data_copy)
    write_settings(index_dir, {**read_settings(index_dir), "schema_version": 0})
    with pytest.raises(IndexMismatch, match=f"schema version 0, this program uses {SCHEMA_VERSION} — rebuild it"):
        PolicyIndex(index_dir)


def dictionary_and_docs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A user dictionary with one word, a folder with one text using it, and an index place."""
    dictionary = tmp_path / "words.txt"
    dictionary.write_text("湾区时尚之都 2000 n\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("打造湾区时尚之都。", encoding="utf-8")
    return dictionary, docs, tmp_path / "ix"


def test_user_dictionary_words_live_in_the_index(tmp_path):
    dictionary, docs, index_dir = dictionary_and_docs(tmp_path)
    ingest([str(docs)], index_dir, dictionaries=[str(dictionary)], engine="jieba")
    dictionary.unlink()  # the index keeps the words; it no longer needs the file
    with PolicyIndex(index_dir) as index:
        assert [w for w, *_ in index.tokenizer.words("湾区时尚之都")][0] == "湾区时尚之都"
        assert [h.source for h in index.search('"湾区时尚之都"').hits] == [str(docs / "a.txt")]


def test_other_dictionaries_on_an_existing_index_need_rebuild(tmp_path):
    dictionary, docs, index_dir = dictionary_and_docs(tmp_path)
    ingest([str(docs)], index_dir, engine="jieba")
    with pytest.raises(UsageError, match="built with other dictionaries — add --rebuild"):
        ingest([str(docs)], index_dir, dictionaries=[str(dictionary)])
    ingest([str(docs)], index_dir, dictionaries=[str(dictionary)], rebuild=True, engine="jieba")
    with PolicyIndex(index_dir) as index:
        assert index.tokenizer.user_words == (("湾区时尚之都", 2000, "n"),)


def test_an_index_built_with_other_analysis_is_refused(data_copy, tmp_path, monkeypatch):
    import indexer.analysis

    index_dir = tmp_path / "ix"
    build_index(index_dir, data_copy)
    monkeypatch.setattr(indexer.analysis, "ANALYSIS_VERSION", indexer.analysis.ANALYSIS_VERSION + 1)
    with pytest.raises(IndexMismatch, match="another version of the analysis .* rebuild it"):
        PolicyIndex(index_dir)


def test_index_location_option_then_environment_then_default(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert resolve_index_dir(None) == (tmp_path / "data" / "policy-search" / "index", True)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert resolve_index_dir(None) == (tmp_path / "env", False)
    assert resolve_index_dir(str(tmp_path / "opt")) == (tmp_path / "opt", False)


def test_the_report_as_json(tmp_path):
    report = build_index(tmp_path / "ix")
    got = report.to_json()
    del got["seconds"]
    assert json.loads(json.dumps(got)) == {
        "index": str(tmp_path / "ix"), "added": 5, "replaced": 0, "unchanged": 0, "pruned": 0, "failed": 0,
        "documents": 6, "clauses": 19, "errors": [],
        # the tests' indexes have no model (conftest): the level is recorded, no unit has a vector
        "vectors": {"level": "documents", "units": 0, "embedded": 0, "seconds": 0.0, "model": ""},
    }


def test_clause_units_fold_items_into_their_article_and_skip_bare_headings():
    clauses = [
        Clause("一", "一", "支持时尚品牌发展", "一、支持时尚品牌发展"),
        Clause("一/(一)", "(一)", "培育时尚品牌", "（一）培育时尚品牌。对新认定的品牌企业给予奖励。"),
        Clause("一/(一)/1", "1", "", "1.给予一次性奖励最高不超过500万元。"),
        Clause("第二章", "第二章", "护士执业", "第二章 护士执业"),
        Clause("第二章/第七条", "第七条", "", "第七条 申请护士执业注册，应当具备下列条件："),
        Clause("第二章/第七条/(一)", "(一)", "具有完全民事行为能力", "（一）具有完全民事行为能力；"),
    ]
    units = clause_units(clauses)
    # 一 is its heading alone; (一) has a sentence after its heading; 第二章 is a bare heading
    assert [(c.path, text) for c, text in units] == [
        ("一/(一)", "（一）培育时尚品牌。对新认定的品牌企业给予奖励。"),
        ("一/(一)/1", "1.给予一次性奖励最高不超过500万元。"),
        ("第二章/第七条", "第七条 申请护士执业注册，应当具备下列条件：\n（一）具有完全民事行为能力；"),
    ]
    # a heading holding an amount stays, for 金额 filters on clauses
    assert [c.path for c, _ in clause_units(clauses, keep=frozenset({"一"}))][0] == "一"


def test_ingest_takes_the_index_folder_as_a_str_as_its_docstring_shows(tmp_path):
    from corpus import sample_dir
    from indexer import ingest

    report = ingest([str(sample_dir())], str(tmp_path / "ix"), engine="jieba")
    assert (len(report.added), report.documents, report.errors) == (5, 5, [])
