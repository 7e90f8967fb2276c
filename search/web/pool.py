"""The open index a request uses: one shared behind a lock, or one per worker thread.

A Whoosh searcher is not safe to share between threads. The pool warms the index when it
opens it and reopens it when an ingest has changed it (checked at most every
``REFRESH_SECONDS``); :meth:`IndexPool.version` tells the answer caches when that happened.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.store import SETTINGS_FILE
from search.engine import PolicyIndex
from search.remote import is_engine, open_backend

REFRESH_SECONDS = 2.0


class IndexPool:
    """The open index for the calling thread: one shared behind a lock (or, with ``per_thread``,
    one per worker thread), warmed when opened and reopened after an ingest."""

    def __init__(self, index_dir: Path | str, per_thread: bool = False) -> None:
        self.index_dir = index_dir if is_engine(str(index_dir)) else Path(index_dir)  # a folder, or a remote engine
        self.per_thread = per_thread
        self._local = threading.local()
        self._lock = threading.Lock()
        self._shared: tuple[PolicyIndex, int, float] | None = None
        first = open_backend(self.index_dir)  # fail now, at start, if the index cannot be opened
        if per_thread:
            first.close()
        else:
            first.warm()
            self._shared = (first, self._stamp(), time.monotonic())

    def _stamp(self) -> int:
        if not isinstance(self.index_dir, Path):
            return 0  # a remote engine: its sync replaces units in place, nothing to reopen
        try:
            return (self.index_dir / SETTINGS_FILE).stat().st_mtime_ns
        except OSError:
            return 0

    def version(self) -> int:
        """Changes whenever an ingest has written the index (for caches of its answers)."""
        return self._stamp()

    def _fresh(self, held: tuple[PolicyIndex, int, float] | None) -> tuple[PolicyIndex, int, float]:
        now = time.monotonic()
        if held is not None and now - held[2] < REFRESH_SECONDS:
            return held
        stamp = self._stamp()
        if held is not None and held[1] == stamp:
            return held[0], stamp, now
        if held is not None:
            held[0].close()
        index = open_backend(self.index_dir)
        index.warm()
        return index, stamp, now

    @contextmanager
    def use(self) -> Iterator[PolicyIndex]:
        if self.per_thread:
            self._local.held = self._fresh(getattr(self._local, "held", None))
            yield self._local.held[0]
            return
        with self._lock:
            self._shared = self._fresh(self._shared)
            yield self._shared[0]
