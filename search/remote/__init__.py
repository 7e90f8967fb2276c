"""Beyond one machine: the same units searched on a remote distributed engine (Typesense).

:func:`open_backend` opens either kind of index by its name: a folder is the embedded Whoosh
index (:class:`search.engine.PolicyIndex`), ``typesense://host:port[,host:port…][/collection]``
a Typesense cluster (:class:`search.remote.backend.RemoteIndex`) that ``policy-search sync``
filled from an index. Both answer the same methods with the same results.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from search.remote.client import is_engine


def open_backend(target: str | Path) -> Any:
    """An open index: the remote engine that ``target`` names, or the index folder it is."""
    if is_engine(str(target)):
        from search.remote.backend import RemoteIndex

        return RemoteIndex(str(target))
    from search.engine import PolicyIndex

    return PolicyIndex(target)


__all__ = ["is_engine", "open_backend"]
