"""The default index built from the bundled samples, and when it must be built again.

A first search with no index builds one from the samples shipped in the package, with the
segmentation engine installed then. Two later changes leave it behind: installing the fast
engine (rjieba) after jieba, and reinstalling the package elsewhere (an editable install),
after which its hits would name sample files that no longer exist. The index records the
folder it was built from; any other ingest into it removes that mark, so that an index
holding a user's own documents is never rebuilt from the samples.
"""
from __future__ import annotations

from pathlib import Path

from indexer.segment import available_engine
from indexer.store import read_settings, write_settings

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
    built_from = settings.get(SAMPLES_KEY)
    if not built_from:
        return None
    if Path(built_from) != folder.resolve():
        return f"the sample files it points to moved from {built_from} to {folder.resolve()}"
    engine, installed = (settings.get("analysis") or {}).get("engine"), available_engine()
    if engine != installed:
        return f"it was segmented with {engine}, and {installed} is installed now"
    return None
