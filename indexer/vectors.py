"""The units' vectors, in our own files beside the Whoosh index (reading and writing in one place).

``vectors/`` in the index folder holds batches: ``<name>.npy`` (float32 rows, memory-mapped
when read, so the worker processes of one server share one copy in the page cache) and
``<name>.ids.json`` (the unit id of each row). A unit id is derived from the content of its file, so a vector keyed by it never goes stale: a changed file has new ids,
an unchanged one keeps its vectors. ``manifest.json`` names the model that made the vectors,
its fingerprint and the batch readers use; it is replaced atomically, after the index commit.

A batch is written whole or not at all (temporary files, then renames; the ``.npy`` last), and
embedding writes one every few hundred units: a kill -9 while embedding leaves the index and
the manifest as they were, and the next ingest reuses the batches the killed one finished.
At the end of an ingest, the vectors of the units the index holds go into one batch and the
others are removed.
"""
from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

VECTOR_DIR = "vectors"
MANIFEST = "manifest.json"
# float32, not float16 (which scores the same, bench/fusion_replies.py --float16, in half the
# bytes): numpy multiplies float16 without BLAS, and a query over the laws' 155,000 clause
# vectors took 0.3-0.6 s in float16 against 20-40 ms in float32 (converting on the fly: 0.4 s)
STORED_DTYPE = np.float32


@dataclass
class StoredVectors:
    """The vectors an index holds: unit ids, a (memory-mapped) matrix, and what made them."""

    ids: list[str]
    matrix: np.ndarray
    model: str
    fingerprint: str

    def __post_init__(self) -> None:
        if self.matrix.dtype != STORED_DTYPE:  # an index written when vectors were float16
            self.matrix = np.asarray(self.matrix, dtype=STORED_DTYPE)

    def __len__(self) -> int:
        return len(self.ids)


def vector_dir(index_dir: Path) -> Path:
    return index_dir / VECTOR_DIR


def read_manifest(index_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((vector_dir(index_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def load_vectors(index_dir: Path) -> StoredVectors | None:
    """The vectors the manifest names, memory-mapped; None when the index has none."""
    manifest = read_manifest(index_dir)
    if not manifest.get("batch"):
        return None
    folder = vector_dir(index_dir)
    try:
        ids = json.loads((folder / f"{manifest['batch']}.ids.json").read_text(encoding="utf-8"))
        matrix = np.load(folder / f"{manifest['batch']}.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None
    if matrix.ndim != 2 or matrix.shape[0] != len(ids):
        return None
    return StoredVectors(ids, matrix, str(manifest.get("model", "")), str(manifest.get("fingerprint", "")))


class VectorWriter:
    """Writes batches of one model's vectors into an index folder and publishes them."""

    def __init__(self, index_dir: Path, model: str, fingerprint: str) -> None:
        self.folder = vector_dir(index_dir)
        self.model = model
        self.fingerprint = fingerprint
        self.folder.mkdir(parents=True, exist_ok=True)

    def batch_names(self) -> list[str]:
        """Finished batches of this model, oldest first (a batch without its ``.npy`` is unfinished)."""
        names = [p.name[: -len(".npy")] for p in self.folder.glob("*.npy")]
        mine = [n for n in names if n.startswith(self._prefix())]
        return sorted(mine, key=lambda n: (self.folder / f"{n}.npy").stat().st_mtime)

    def _prefix(self) -> str:
        safe = "".join(ch if ch.isalnum() else "-" for ch in self.fingerprint)
        return f"b-{safe}-"

    def known(self, folders: Iterable[Path] = ()) -> dict[str, np.ndarray]:
        """Every vector this model already made, by unit id, here and in ``folders`` (an index
        being rebuilt reuses the old one's)."""
        found: dict[str, np.ndarray] = {}
        for folder in (*[vector_dir(f) for f in folders], self.folder):
            other = VectorWriter.__new__(VectorWriter)
            other.folder, other.model, other.fingerprint = folder, self.model, self.fingerprint
            if not folder.is_dir():
                continue
            for name in other.batch_names():
                try:
                    ids = json.loads((folder / f"{name}.ids.json").read_text(encoding="utf-8"))
                    matrix = np.load(folder / f"{name}.npy", mmap_mode="r")
                except (OSError, ValueError):
                    continue
                if matrix.ndim == 2 and matrix.shape[0] == len(ids):
                    for row, unit_id in enumerate(ids):
                        found[unit_id] = matrix[row]
        return found

    def write_batch(self, ids: list[str], vectors: np.ndarray) -> str:
        """Write one batch whole (temporary files, then renames, the ``.npy`` last); its name."""
        name = f"{self._prefix()}{uuid.uuid4().hex[:12]}"
        ids_tmp = self.folder / f".{name}.ids.json.tmp"
        npy_tmp = self.folder / f".{name}.npy.tmp"
        ids_tmp.write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
        with npy_tmp.open("wb") as f:
            np.save(f, np.asarray(vectors, dtype=STORED_DTYPE))
            f.flush()
            os.fsync(f.fileno())
        os.replace(ids_tmp, self.folder / f"{name}.ids.json")
        os.replace(npy_tmp, self.folder / f"{name}.npy")
        return name

    def publish(self, ids: list[str], known: dict[str, np.ndarray], level: str) -> int:
        """Make the vectors of ``ids`` (those ``known`` holds) the index's, in one batch; remove
        every other batch. Returns how many units have a vector."""
        kept = [unit_id for unit_id in ids if unit_id in known]
        current = read_manifest(self.folder.parent)
        if (current.get("fingerprint") == self.fingerprint and current.get("level") == level
                and self._ids_of(str(current.get("batch"))) == kept):
            self.remove_all_but(str(current["batch"]))  # nothing changed: no copy of every vector
            return len(kept)
        matrix = (np.vstack([known[u] for u in kept]) if kept
                  else np.zeros((0, 1), dtype=STORED_DTYPE))
        name = self.write_batch(kept, matrix)
        dimension = int(matrix.shape[1]) if kept else 0
        manifest = {"model": self.model, "fingerprint": self.fingerprint, "dimension": dimension,
                    "dtype": np.dtype(STORED_DTYPE).name, "level": level, "units": len(kept), "batch": name}
        tmp = self.folder / f".{MANIFEST}.tmp"
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.folder / MANIFEST)
        self.remove_all_but(name)
        return len(kept)

    def _ids_of(self, name: str) -> list[str] | None:
        try:
            ids = json.loads((self.folder / f"{name}.ids.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return ids if (self.folder / f"{name}.npy").exists() else None

    def remove_all_but(self, keep: str) -> None:
        for path in self.folder.iterdir():
            if path.name == MANIFEST or path.name.startswith(keep + "."):
                continue
            try:
                path.unlink()
            except OSError:
                pass  # a reader on another platform may hold it open: the next ingest removes it


def drop_vectors(index_dir: Path) -> None:
    """Remove an index's vectors (another model's, or ``--vectors none``)."""
    folder = vector_dir(index_dir)
    if folder.is_dir():
        for path in folder.iterdir():
            try:
                path.unlink()
            except OSError:
                pass
