"""Searching reads Whoosh's files through indexer/codec.py and never loads the writer."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_searching_imports_neither_the_bulk_writer_nor_whoosh_multiprocessing(corpus_index_dir):
    code = (
        "import json, sys; from pathlib import Path; from search.engine import PolicyIndex\n"
        f"with PolicyIndex(Path({str(corpus_index_dir)!r})) as index:\n"
        "    assert index.search('时尚产业', clauses=True).hits\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(json.loads(done.stdout))
    assert "indexer.codec" in loaded
    assert not loaded & {"indexer.bulkwriter", "indexer.build", "indexer.spill", "whoosh.multiproc", "multiprocessing"}
