"""The search page: a WSGI application over the engine, its views and the server that runs it.

    from search.web import make_app
    app = make_app("ix")  # a WSGI callable; `policy-search serve` runs it under waitress

Modules: ``app`` (routes and rendering), ``pages`` (what each page shows, as data), ``wsgi``
(requests and responses), ``pool`` (the open index), ``caches`` (answers kept), ``serve``
(the server's processes). The names below load their modules when first used (PEP 562).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search.web.app import App, make_app
    from search.web.serve import serve

_LAZY = {"App": "search.web.app", "make_app": "search.web.app", "serve": "search.web.serve"}
__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'search.web' has no attribute {name!r}")
