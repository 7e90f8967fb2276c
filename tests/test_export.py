"""`export`: every unit of an index as JSON Lines or OpenSearch bulk NDJSON, in the shape the
bundled OpenSearch template maps (not run against an OpenSearch server: the shape is what is tested)."""
from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

from conftest import ingest_texts, stand_in_model


def test_jsonl_holds_every_unit_with_its_fields(corpus_index_dir: Path) -> None:
    from search.engine import PolicyIndex
    from search.remote.export import export

    out = io.StringIO()
    count = export(corpus_index_dir, out)
    units = [json.loads(line) for line in out.getvalue().splitlines()]
    with PolicyIndex(corpus_index_dir) as index:
        assert count == len(units) == index.state.units("doc") + index.state.units("clause")
    measures = next(u for u in units if u["kind"] == "doc" and u["title"].startswith("深圳市关于促进时尚产业"))
    assert measures["doc_type"] == "若干措施" and measures["date"] == "2022-02-15"
    assert measures["valid_from"] == "2022-03-01"  # 自2022年3月1日起施行
    assert 5_000_000.0 in measures["amount"]  # 最高不超过500万元, in yuan
    assert "时尚产业" in measures["terms"].split() and "时尚" in measures["words"].split()
    clause = next(u for u in units if u["kind"] == "clause" and u["doc_id"] == measures["doc_id"])
    assert clause["unit_id"] == f"{clause['doc_id']}#{clause['clause_path']}"
    assert "valid_until" not in {k for u in units if u["kind"] == "doc" and u["doc_type"] == "提案答复" for k in u}


def test_opensearch_bulk_matches_the_template(tmp_path: Path) -> None:
    from indexer.embed import HashEmbedder
    from search.remote.export import export, opensearch_template

    embedder = HashEmbedder(dimension=384)
    with stand_in_model(embedder):
        index_dir = ingest_texts(tmp_path, {"a.txt": "关于促进时尚产业发展的若干措施\n一、对企业给予最高500万元资助。\n"},
                                 embedder=embedder)
        out = io.StringIO()
        count = export(index_dir, out, fmt="opensearch", target="policy-search-2026")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2 * count and count >= 2
    template = json.loads(opensearch_template())
    mapping = template["template"]["mappings"]["properties"]
    assert template["template"]["mappings"]["dynamic"] == "strict"
    for action, unit in zip(lines[::2], lines[1::2]):
        assert action["index"]["_index"] == "policy-search-2026" and action["index"]["_id"]
        assert set(unit) <= set(mapping), set(unit) - set(mapping)  # a strict mapping takes every field
    vectors = [unit["vec"] for unit in lines[1::2] if "vec" in unit]
    assert vectors and all(len(v) == mapping["vec"]["dimension"] for v in vectors)
    assert mapping["words"]["analyzer"] == "presegmented"
    analyzer = template["template"]["settings"]["analysis"]["analyzer"]["presegmented"]
    assert analyzer["tokenizer"] == "whitespace"


def test_export_command_writes_a_file(corpus_index_dir: Path, tmp_path: Path) -> None:
    from cli import main

    target = tmp_path / "units.jsonl"
    result = CliRunner().invoke(main, ["export", "--index", str(corpus_index_dir), "--no-vectors", "-o", str(target)])
    assert result.exit_code == 0, result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert f"{len(lines)} units exported" in result.output
    assert all("vec" not in json.loads(line) for line in lines)
    template = CliRunner().invoke(main, ["export-template"])
    assert json.loads(template.output)["template"]["mappings"]["properties"]["vec"]["type"] == "knn_vector"
