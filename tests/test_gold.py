"""The five seed documents against their hand-labelled truth (shared/gold/seeds.json)."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from corpus import parse_file, sample_dir

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "seeds.json"
SCALARS = ("title", "doc_type", "issuing_body", "date", "doc_number", "index_number", "proposal_number",
           "proposal_title", "session", "effective_date", "valid_years")

pytestmark = pytest.mark.skipif(not GOLD.exists(), reason=f"no gold file at {GOLD} (the shared folder is absent)")


def _fold(value: object) -> str:
    """As the scorer compares: width, dashes, brackets and white space folded."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text = text.translate(dict.fromkeys(map(ord, "—–－―‐‑~～"), "-")).replace("[", "〔").replace("]", "〕")
    text = re.sub(r"\s+", "", text).strip("《》")
    return text + ")" if text.count("(") > text.count(")") else text


def _gold_documents() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))["documents"] if GOLD.exists() else []


@pytest.fixture(scope="module", params=_gold_documents(), ids=lambda d: d["file"][:3])
def pair(request: pytest.FixtureRequest) -> tuple[dict, dict]:
    gold = request.param
    result = parse_file(str(sample_dir() / gold["file"]))
    assert result.error is None
    return gold, result.documents[0].to_record()


def test_fields(pair: tuple[dict, dict]) -> None:
    gold, got = pair
    for field in SCALARS:
        allowed = {_fold(v) for v in [gold[field], *gold.get("alternatives", {}).get(field, [])]}
        assert _fold(got[field]) in allowed, field


def test_clauses(pair: tuple[dict, dict]) -> None:
    gold, got = pair
    assert {_fold(c["path"]) for c in got["clauses"]} == {_fold(p) for p in gold["clauses"]}


def test_amounts_and_their_clauses(pair: tuple[dict, dict]) -> None:
    gold, got = pair
    assert sorted((float(a["yuan"]), _fold(a["clause"])) for a in got["amounts"]) == sorted(
        (float(a["yuan"]), _fold(a["clause"])) for a in gold["amounts"])


def test_citations(pair: tuple[dict, dict]) -> None:
    gold, got = pair
    optional = {_fold(c["title"]) for c in gold.get("optional_citations", [])}
    assert {_fold(c["title"]) for c in got["citations"]} - optional == {_fold(c["title"]) for c in gold["citations"]}


def test_proposers(pair: tuple[dict, dict]) -> None:
    gold, got = pair
    assert got["proposers"] == gold["proposers"]
