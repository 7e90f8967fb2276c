"""Export an index's units for another engine: JSON Lines, or OpenSearch's bulk NDJSON.

The units are those a sync sends (:func:`search.remote.units.remote_units`: pre-segmented
words, filters, validity with repeals, versions, copies, the stored vector), with days written
as ISO dates. Streamed: one unit is in memory at a time, so an index larger than memory
exports in constant memory. ``search/data/opensearch-template.json`` is the index template
that reads the bulk file (text on a ``whitespace`` analyzer, so OpenSearch segments as we did).
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from search.remote.units import LAST_DAY, NO_DAY, remote_units

DAY_FIELDS = ("date", "valid_from", "valid_until", "amended_from")
FORMATS = ("jsonl", "opensearch")


def opensearch_template() -> str:
    return resources.files("search").joinpath("data/opensearch-template.json").read_text(encoding="utf-8")


def exported(unit: dict[str, Any]) -> dict[str, Any]:
    """A unit as exported: days as ISO dates (an open or missing one left out)."""
    out = dict(unit)
    for name in DAY_FIELDS:
        day = int(out.pop(name, 0) or 0)
        if day not in (NO_DAY, LAST_DAY):
            s = f"{day:08d}"
            out[name] = f"{s[:4]}-{s[4:6]}-{s[6:]}"
    return out


def export(index_dir: Path | str, stream: TextIO, *, fmt: str = "jsonl", target: str = "policy-search",
           vectors: bool = True) -> int:
    """Write every unit of the index to ``stream``; returns how many."""
    from search.engine import PolicyIndex

    if fmt not in FORMATS:
        from errors import UsageError

        raise UsageError(f"{{param}} must be one of {', '.join(FORMATS)}, got `{fmt}`", param="format")
    count = 0
    with PolicyIndex(index_dir) as index:
        for unit in remote_units(index, with_vectors=vectors):
            body = exported(unit)
            if fmt == "opensearch":
                key = body.pop("id")
                stream.write(json.dumps({"index": {"_index": target, "_id": key}}) + "\n")
            stream.write(json.dumps(body, ensure_ascii=False) + "\n")
            count += 1
    return count
