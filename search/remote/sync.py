"""Sync an index to a remote engine: the units as :mod:`search.remote.units` makes them.

Idempotent and incremental by content: the engine's own list of (id, digest) is read first,
a unit whose digest is unchanged sends nothing, a changed or new one is upserted in batches,
and a unit the index no longer holds (a pruned or changed file's) is deleted. The vectors sent
are the ones our embedder stored beside the index: the engine never embeds.

Besides the units, a one-document ``<collection>_meta`` collection holds what a remote search
needs of the index as a whole: the model that made the vectors, and the distinct values of the
fields filters match a part of (issuers, 文号, sessions, cited titles).
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from errors import EngineRefused, EngineUnavailable
from search.remote.client import EngineClient, NotFound
from search.remote.units import collection_schema, remote_units

BATCH = 200
DELETE_BATCH = 100
SETTLE_SECONDS = 30.0
PART_FIELDS = ("issuing_body", "co_issuers", "doc_number", "session", "cites")
Progress = Callable[["SyncReport"], None]


@dataclass
class SyncReport:
    """What a sync did: units seen in the index, sent (new or changed), unchanged, deleted."""

    engine: str
    seen: int = 0
    sent: int = 0
    unchanged: int = 0
    deleted: int = 0
    vectors: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"engine": self.engine, "units": self.seen, "sent": self.sent, "unchanged": self.unchanged,
                "deleted": self.deleted, "vectors": self.vectors, "seconds": round(self.seconds, 2)}


def meta_collection(client: EngineClient) -> str:
    return f"{client.address.collection}_meta"


def sync(index_dir: Path | str, client: EngineClient, *, batch: int = BATCH, rebuild: bool = False,
         progress: Progress | None = None) -> SyncReport:
    """Make the engine's collection hold exactly the units of the index at ``index_dir``."""
    from search.engine import PolicyIndex

    started = time.monotonic()
    report = SyncReport(str(client.address))
    with PolicyIndex(index_dir) as index:
        vectors = index.meaning.vectors()
        dim = int(vectors.stored.matrix.shape[1]) if vectors is not None else 0
        created = _prepare(client, rebuild, dim)
        known = {} if created else {row["id"]: (row.get("digest", ""), row.get("unit_id", ""))
                                    for row in client.export("id,digest,unit_id")}
        seen: set[str] = set()
        pending: list[str] = []
        lengths: dict[str, dict[str, float]] = {"doc": {}, "clause": {}}
        for unit in remote_units(index):
            report.seen += 1
            for field in ("terms", "head_words"):
                kind_lengths = lengths[unit["kind"]]
                kind_lengths[field] = kind_lengths.get(field, 0) + len(unit[field].split())
            seen.add(unit["id"])
            if "vec" in unit:
                report.vectors += 1
            if known.get(unit["id"], ("", ""))[0] == unit["digest"]:
                report.unchanged += 1
                continue
            pending.append(json.dumps(unit, ensure_ascii=False))
            if len(pending) >= batch:
                report.sent += _send(client, pending)
                pending = []
                if progress:
                    progress(report)
        if pending:
            report.sent += _send(client, pending)
        gone = [unit_id for key, (_digest, unit_id) in known.items() if key not in seen]
        for chunk in _chunks(gone, DELETE_BATCH):
            report.deleted += _delete(client, chunk)
        _write_meta(client, index, vectors, report, lengths)
        _settle(client, report.seen)
    report.seconds = time.monotonic() - started
    if progress:
        progress(report)
    return report


def _prepare(client: EngineClient, rebuild: bool, dim: int) -> bool:
    """The collection, made if missing (or dropped and made again with ``rebuild``): whether it was made."""
    name = client.address.collection
    try:
        existing = client.get(client.collection_path())
    except NotFound:
        existing = None
    if existing is not None and rebuild:
        client.request("DELETE", client.collection_path())
        existing = None
    if existing is not None:
        held = {f["name"] for f in existing["fields"]}
        missing = [f["name"] for f in collection_schema(name, vectors=bool(dim))["fields"]
                   if f.get("index", True) and f["name"] not in held]
        if missing:
            raise EngineRefused(f"the collection `{name}` at {client.address.shown} was made by an older version "
                                f"(no field {', '.join(missing[:3])}) — sync again with --rebuild")
        has_vec = {f["name"]: f for f in existing["fields"]}.get("vec")
        if dim and (has_vec is None or has_vec.get("num_dim") != dim):
            raise EngineRefused(f"the collection `{name}` at {client.address.shown} holds no vectors of {dim} "
                                "dimensions, and the index has them — sync again with --rebuild")
        return False
    schema = collection_schema(name, vectors=bool(dim))
    if dim:
        schema["fields"][-1]["num_dim"] = dim
    client.post("/collections", schema)
    return True


def _settle(client: EngineClient, units: int) -> None:
    """Wait (at most SETTLE_SECONDS) until every node that answers holds the units and the
    meta: followers apply the leader's writes a moment later, and a search right after a sync
    may go to any node."""
    from search.remote.client import EngineAddress

    deadline = time.monotonic() + SETTLE_SECONDS
    pending = list(client.address.nodes)
    while pending and time.monotonic() < deadline:
        still = []
        for node in pending:
            one = EngineClient(EngineAddress((node,), client.address.collection), client.key, timeout=2)
            try:
                held = one.get(one.collection_path()).get("num_documents")
                one.get(f"/collections/{meta_collection(one)}/documents/meta")
            except (NotFound, EngineRefused):
                held = None
            except EngineUnavailable:
                continue  # a node that is down has nothing to wait for
            if held != units:
                still.append(node)
        pending = still
        if pending:
            time.sleep(0.1)


def _send(client: EngineClient, lines: list[str]) -> int:
    results = client.import_lines(lines)
    failed = [r for r in results if not r.get("success")]
    if failed:
        raise EngineRefused(f"the search engine at {client.address.shown} rejected {len(failed)} of {len(lines)} "
                            f"units: {failed[0].get('error')}")
    return len(results)


def _delete(client: EngineClient, unit_ids: list[str]) -> int:
    values = ",".join(f"`{u}`" for u in unit_ids)
    answer = client.request("DELETE", client.collection_path("/documents"),
                            {"filter_by": f"unit_id:=[{values}]", "batch_size": DELETE_BATCH})
    return int(answer.get("num_deleted", 0))


def _write_meta(client: EngineClient, index: Any, vectors: Any, report: SyncReport,
                lengths: dict[str, dict[str, float]]) -> None:
    """The index-wide facts a remote search needs, in ``<collection>_meta``."""
    name = meta_collection(client)
    try:
        client.get(f"/collections/{name}")
    except NotFound:
        client.post("/collections", {"name": name, "fields": [{"name": "kind", "type": "string"}]})
    state = index.state
    meta = {
        "id": "meta", "kind": "meta",
        "model": vectors.stored.model if vectors is not None else "",
        "fingerprint": vectors.stored.fingerprint if vectors is not None else "",
        "vector_kinds": vectors.kinds if vectors is not None else {"doc": False, "clause": False},
        "units": {"doc": state.units("doc"), "clause": state.units("clause")},
        "values": {f: state.field_values(f) for f in PART_FIELDS},
        # the average length of each text field per kind, in words (BM25's, search.remote.rescore)
        "lengths": {kind: {f: total / max(1, state.units(kind)) for f, total in fields.items()}
                    for kind, fields in lengths.items()},
        "synced_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    client.request("POST", f"/collections/{name}/documents", {"action": "upsert"},
                   json.dumps(meta, ensure_ascii=False).encode("utf-8"))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
