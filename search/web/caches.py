"""The two caches of answers: in memory per process, and shared between worker processes.

:class:`ResponseCache` keeps successful answers by path, query string and index version, and
lets a request wait for an answer another thread is computing; :class:`SharedAnswers` keeps
them as files in a folder private to one server's worker processes (``serve --workers``).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from search.web.wsgi import Response

CACHE_ENTRIES = 2048
CACHE_BYTES = 64 * 1024 * 1024
SHARED_FILES = 20_000  # answers shared between worker processes, at most
COMPUTE_WAIT_SECONDS = 30.0  # how long a request waits for the same answer computed by another


class ResponseCache:
    """Answers to GET requests, by path, query string and index version (an ingest empties it).

    Staff repeat searches and open the same documents; a page costs 5–150 ms of CPU to compute
    and nothing to resend. Only successful answers are kept; the least recently used go first
    when ``max_entries`` or ``max_bytes`` is reached. With ``shared_dir`` (serve --workers),
    answers are also written there, so that each is computed once for all worker processes.
    Requests for an answer being computed wait for it instead of computing it again: a new
    document page costs ~200 ms, and a link followed by many users at once queued as many
    computations of it behind the index lock.
    """

    def __init__(self, max_entries: int = CACHE_ENTRIES, max_bytes: int = CACHE_BYTES,
                 shared_dir: Path | None = None) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.shared = SharedAnswers(shared_dir) if shared_dir is not None else None
        self._items: OrderedDict[tuple[str, str, int], Response] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[tuple[str, str, int], threading.Event] = {}
        self.hits = self.misses = 0

    def get_or_make(self, key: tuple[str, str, int], make: Callable[[], Response]) -> Response:
        if not self.max_entries:
            return make()
        with self._lock:
            found = self._take(key)
            if found is not None:
                return found
            self.misses += 1
            other = self._computing.get(key)
            if other is None:
                self._computing[key] = mine = threading.Event()
        if other is not None:  # another thread computes this answer: wait for it
            other.wait(COMPUTE_WAIT_SECONDS)
            with self._lock:
                found = self._take(key)
            # not kept (an error, or too large), or not in time: compute it here
            return found if found is not None else self._make(key, make)
        try:
            return self._make(key, make)
        finally:
            with self._lock:
                del self._computing[key]
            mine.set()

    def _take(self, key: tuple[str, str, int]) -> Response | None:
        """The kept answer for ``key``, if any, now the most recently used (under the lock)."""
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return found

    def _make(self, key: tuple[str, str, int], make: Callable[[], Response]) -> Response:
        response = self.shared.get(key) if self.shared is not None else None
        if response is None:
            response = make()
            if self.shared is not None and self._keeps(response):
                self.shared.put(key, response)
        if self._keeps(response):
            with self._lock:
                if key not in self._items:
                    self._items[key] = response
                    self._bytes += len(response.body)
                while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                    _, old = self._items.popitem(last=False)
                    self._bytes -= len(old.body)
        return response

    def _keeps(self, response: Response) -> bool:
        return response.status == 200 and len(response.body) <= self.max_bytes // 16 and self.max_entries > 0


class SharedAnswers:
    """Answers kept as files in a folder private to one server's worker processes.

    A file holds one JSON line (content type, headers) and the body; it is written aside and
    renamed, so a reader never sees half of one. The oldest half go when there are too many.
    """

    def __init__(self, folder: Path, max_files: int = SHARED_FILES) -> None:
        self.folder, self.max_files = folder, max_files
        self._written = 0

    def _path(self, key: tuple[str, str, int]) -> Path:
        return self.folder / hashlib.sha256(repr(key).encode("utf-8")).hexdigest()

    def get(self, key: tuple[str, str, int]) -> Response | None:
        try:
            head, body = self._path(key).read_bytes().split(b"\n", 1)
            meta = json.loads(head)
        except (OSError, ValueError):
            return None
        return Response(body, 200, meta["type"], tuple((str(n), str(v)) for n, v in meta["headers"]))

    def put(self, key: tuple[str, str, int], response: Response) -> None:
        head = json.dumps({"type": response.content_type, "headers": response.headers}).encode("utf-8")
        path = self._path(key)
        aside = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            aside.write_bytes(head + b"\n" + response.body)
            os.replace(aside, path)
        except OSError:  # a full or vanished folder: the answer is still served, just not shared
            return
        self._written += 1
        if self._written % 256 == 0:
            self._trim()

    def _trim(self) -> None:
        try:
            files = sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime)
        except OSError:
            return
        for old in files[: max(0, len(files) - self.max_files // 2)] if len(files) > self.max_files else []:
            with contextlib.suppress(OSError):
                old.unlink()
