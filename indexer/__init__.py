"""Building the index: analysis (segmentation), the schema, and the writer that fills it.

    from indexer import ingest
    report = ingest(["corpus/samples"], "ix")

The names below load their modules when first used (PEP 562): opening an index to search it
never imports the writer.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.build import IngestReport, ingest
    from indexer.progress import Tally
    from indexer.store import default_index_dir, index_exists, read_settings, resolve_index_dir

_LAZY = {
    "IngestReport": "indexer.build", "ingest": "indexer.build", "default_index_dir": "indexer.store",
    "index_exists": "indexer.store", "read_settings": "indexer.store", "resolve_index_dir": "indexer.store",
    "Tally": "indexer.progress",  # what ingest(progress=…, embed_progress=…) is told
}
__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'indexer' has no attribute {name!r}")
