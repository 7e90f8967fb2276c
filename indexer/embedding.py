"""Give the index's units vectors: which units, with what text, and the embedding run itself.

Levels (``ingest --vectors``): ``none``; ``documents`` — every document unit (a reply, a
proposal, a table row; a policy's or law's title and opening); ``clauses`` — the clause units
too (a law's articles: ~153,000 units, about three hours here). Units that already have a vector
from this model keep it; the others are embedded in batches written as they are done.

A document of one matter (a reply, a message, a table row: a text with few clauses) is
embedded whole, up to 256 tokens (indexer.embed.MAX_TOKENS): its matter is stated first. A structured text
(a law, a policy: STRUCTURED_CLAUSES clauses or more) treats many matters, each in its clauses;
its document unit is embedded from its title and opening (LEAD_CHARS), as a reader skims it —
the 3,475 laws then take minutes at the ``documents`` level, not an hour.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from errors import IndexMismatch, UsageError
from indexer.embed import Embedder
from indexer.progress import Meter, Report
from indexer.vectors import VectorWriter, drop_vectors, read_manifest

LEVELS = ("none", "documents", "clauses")
DEFAULT_LEVEL = "documents"
LEAD_CHARS = 300  # a structured text's title and opening
STRUCTURED_CLAUSES = 3  # clause units from which a text is structured
CLAUSE_CHARS = 240  # a clause's context and text, cut: an article's point is in its first lines
SAVE_EVERY = 128  # units per batch written while embedding: what a killed run keeps

_READ = ("doc_id", "clause_path", "kind", "display", "body", "text", "context")  # what unit_text reads


@dataclass
class EmbedReport:
    """What the embedding step did."""

    level: str = "none"
    units: int = 0  # units with a vector after the run
    embedded: int = 0  # units embedded by this run
    seconds: float = 0.0
    model: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "units": self.units, "embedded": self.embedded,
                "seconds": round(self.seconds, 1), "model": self.model}


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise UsageError(f"--vectors must be one of {', '.join(LEVELS)}, got `{level}`")
    return level


def unit_key(fields: dict[str, Any]) -> str:
    """The id a unit's vector is kept under: its document id, and its clause path for a clause."""
    path = fields.get("clause_path") or ""
    return f"{fields.get('doc_id', '')}#{path}" if path else str(fields.get("doc_id", ""))


def unit_text(fields: dict[str, Any], structured: bool = False) -> str:
    """The text a unit is embedded from (``structured``: a document unit of a text with clauses)."""
    display = fields.get("display") or {}
    if fields.get("kind") == "clause":
        context = fields.get("context") or display.get("title") or ""
        return f"{context}\n{fields.get('text') or ''}"[:CLAUSE_CHARS]
    title = str(display.get("title") or "")
    body = str(fields.get("body") or "")
    text = f"{title}\n{body}" if title and not body.startswith(title) else body
    return text[:LEAD_CHARS] if structured else text


def wanted_units(reader: Any, level: str) -> list[tuple[str, str]]:
    """(key, text) of the units that should have a vector at ``level``, in index order."""
    if level == "none":
        return []
    kinds = {"doc"} if level == "documents" else {"doc", "clause"}
    clauses: Counter[str] = Counter()
    chosen = []
    for _docnum, fields in reader.iter_docs():
        if fields.get("kind") == "clause":
            clauses[str(fields.get("doc_id"))] += 1
        if fields.get("kind") in kinds:
            chosen.append({name: fields.get(name) for name in _READ})
    seen: set[str] = set()
    units = []
    for fields in chosen:
        key = unit_key(fields)
        if key not in seen:  # copies of one file: one vector
            seen.add(key)
            structured = clauses[str(fields.get("doc_id"))] >= STRUCTURED_CLAUSES
            units.append((key, unit_text(fields, structured)))
    return units


def check_model(index_dir: Path, embedder: Embedder) -> None:
    """Refuse to add this model's vectors beside another model's."""
    manifest = read_manifest(index_dir)
    if manifest.get("fingerprint") and manifest["fingerprint"] != embedder.fingerprint:
        raise IndexMismatch(
            f"the index at {index_dir} holds vectors of {manifest.get('model')} ({manifest['fingerprint']}), "
            f"this program makes {embedder.name} ({embedder.fingerprint}) — rebuild it with "
            f"`policy-search ingest DIR --index {index_dir} --rebuild`"
        )


def embed_index(index_dir: Path, reader: Any, level: str, embedder: Embedder | None, *,
                reuse: tuple[Path, ...] = (), progress: Report | None = None) -> EmbedReport:
    """Give every unit ``level`` asks for a vector, then publish the vectors of the index's units;
    ``progress`` is told how many of those to embed are done (their number known before the first),
    the time left measured from the rate of the batches done (a longer text takes longer)."""
    report = EmbedReport(level=level)
    if level == "none":
        drop_vectors(index_dir)
        return report
    if embedder is None:
        return report
    report.model = embedder.name
    writer = VectorWriter(index_dir, embedder.name, embedder.fingerprint)
    units = wanted_units(reader, level)
    known = writer.known(reuse)
    missing = [(key, text) for key, text in units if key not in known]
    started = time.perf_counter()
    if missing:
        chars = [min(len(text), 1500) for _key, text in missing]
        meter = Meter("units", len(missing), progress, weights=chars)
        meter.start()
        for start in range(0, len(missing), SAVE_EVERY):
            part = missing[start:start + SAVE_EVERY]

            def tell(done: int, _total: int, start: int = start) -> None:
                meter.advance(start + done)

            vectors = embedder.passages([text for _key, text in part], tell)
            writer.write_batch([key for key, _text in part], vectors)
            for (key, _text), vector in zip(part, vectors):
                known[key] = vector
            report.embedded += len(part)
    report.seconds = time.perf_counter() - started
    report.units = writer.publish([key for key, _text in units], known, level)
    return report
