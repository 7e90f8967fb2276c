"""Talking to a Typesense cluster over HTTP: its address, its key, and failing over between nodes.

An engine is named ``typesense://host:port[,host:port…][/collection]``; its API key is read from
the environment variable :data:`KEY_VARIABLE`, never from a command line (``ps`` shows those).
A request goes to one node and, when that node does not answer (refused, timed out, or not
ready while the cluster elects a leader), to the next, until one answers or
:data:`FAILOVER_SECONDS` have passed: a cluster that lost a node keeps answering.

Plain ``http.client`` rather than the ``typesense`` package: we use six endpoints, the server
is 0.24 (the package's current releases follow the API of much newer servers), and the errors
must name every address tried and say what to do, which means owning the retry loop anyway.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from errors import EngineRefused, EngineUnavailable, UsageError

SCHEME = "typesense://"
KEY_VARIABLE = "POLICY_SEARCH_TYPESENSE_KEY"
DEFAULT_COLLECTION = "policy_search"
TIMEOUT_SECONDS = 10.0
FAILOVER_SECONDS = 20.0  # a new leader is elected within ~10 s of one dying
DOWN_SECONDS = 2.0  # when no node answers at all, that long: the engine is down, say so
RETRY_PAUSE = 0.2


@dataclass(frozen=True)
class EngineAddress:
    """Where an engine listens: its nodes (host, port) and the collection that holds our units."""

    nodes: tuple[tuple[str, int], ...]
    collection: str = DEFAULT_COLLECTION

    @property
    def shown(self) -> str:
        return ",".join(f"{h}:{p}" for h, p in self.nodes)

    def __str__(self) -> str:
        return f"{SCHEME}{self.shown}/{self.collection}"


def is_engine(target: str | None) -> bool:
    return bool(target) and str(target).startswith(SCHEME)


def parse_engine(url: str) -> EngineAddress:
    """``typesense://127.0.0.1:8108,127.0.0.1:8118/laws`` → its nodes and collection."""
    if not url.startswith(SCHEME):
        raise UsageError(f"{{param}} must look like {SCHEME}host:port[,host:port…][/collection], got `{url}`",
                         param="engine")
    rest = url[len(SCHEME):]
    hosts, _, collection = rest.partition("/")
    nodes = []
    for part in hosts.split(","):
        host, sep, port = part.strip().rpartition(":")
        if not sep or not host or not port.isdigit():
            raise UsageError(f"{{param}}: `{part}` is not host:port (e.g. {SCHEME}127.0.0.1:8108)", param="engine")
        nodes.append((host.strip("[]"), int(port)))
    collection = collection.strip("/") or DEFAULT_COLLECTION
    if not all(ch.isalnum() or ch in "_-" for ch in collection):
        raise UsageError(f"{{param}}: a collection name holds letters, digits, _ and -, got `{collection}`",
                         param="engine")
    return EngineAddress(tuple(nodes), collection)


def api_key() -> str:
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if not key:
        raise UsageError(f"set the engine's API key in the environment variable {KEY_VARIABLE} "
                         "(it is never given on the command line)")
    return key


class EngineClient:
    """Requests to one engine's nodes, failing over between them; safe to share between threads
    (each thread keeps its own connection to each node)."""

    def __init__(self, address: EngineAddress, key: str | None = None, timeout: float = TIMEOUT_SECONDS) -> None:
        self.address = address
        self.key = key if key is not None else api_key()
        self.timeout = timeout
        self._local = threading.local()
        self._next = 0

    def _connection(self, node: int) -> http.client.HTTPConnection:
        held = getattr(self._local, "connections", None)
        if held is None:
            held = self._local.connections = {}
        if node not in held:
            host, port = self.address.nodes[node]
            held[node] = http.client.HTTPConnection(host, port, timeout=self.timeout)
        return held[node]

    def _drop(self, node: int) -> None:
        conn = getattr(self._local, "connections", {}).pop(node, None)
        if conn is not None:
            conn.close()

    def request(self, method: str, path: str, params: dict[str, Any] | None = None, body: bytes | None = None,
                *, content_type: str = "application/json", raw: bool = False) -> Any:
        """The answer of the first node that gives one (JSON decoded, or the bytes with ``raw``)."""
        query = ("?" + urllib.parse.urlencode({k: _param(v) for k, v in params.items()})) if params else ""
        headers = {"X-TYPESENSE-API-KEY": self.key, "Content-Type": content_type}
        started = time.monotonic()
        answered = False  # some node answered (not ready, say), so failing over is worth the wait
        reason = ""
        n = len(self.address.nodes)
        start = self._next
        self._next = (self._next + 1) % n  # spread reads over the nodes
        attempt = 0
        while True:
            node = (start + attempt) % n
            attempt += 1
            try:
                conn = self._connection(node)
                conn.request(method, path + query, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self._drop(node)
                reason = _reason(exc)
            else:
                if response.status in (401, 403):
                    raise EngineRefused(f"the search engine at {self.address.shown} refused the API key in "
                                        f"{KEY_VARIABLE} — set the key the engine was started with")
                if response.status == 503 or (response.status >= 500 and method == "GET"):
                    reason = f"HTTP {response.status} ({_message(data)})"  # not ready: elections, lag
                    answered = True
                elif response.status >= 400:
                    raise _refused(self.address, response.status, data, method, path)
                else:
                    return data if raw else json.loads(data or b"null")
            if attempt % n == 0:
                if time.monotonic() - started >= (FAILOVER_SECONDS if answered else DOWN_SECONDS):
                    raise EngineUnavailable(self.address.shown, reason)
                time.sleep(RETRY_PAUSE)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params)

    def post(self, path: str, obj: Any, **params: Any) -> Any:
        return self.request("POST", path, params, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

    def collection_path(self, suffix: str = "") -> str:
        return f"/collections/{self.address.collection}{suffix}"

    def import_lines(self, lines: Iterable[str], action: str = "upsert") -> list[dict[str, Any]]:
        """Send JSON lines to the collection's import endpoint; one result per line."""
        body = "\n".join(lines).encode("utf-8")
        data = self.request("POST", self.collection_path("/documents/import"), {"action": action}, body,
                            content_type="text/plain", raw=True)
        return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]

    def export(self, include_fields: str) -> Iterator[dict[str, Any]]:
        """Every document of the collection, with only ``include_fields``."""
        data = self.request("GET", self.collection_path("/documents/export"), {"include_fields": include_fields},
                            raw=True)
        for line in data.decode("utf-8").splitlines():
            if line.strip():
                yield json.loads(line)

    def health(self) -> list[bool]:
        """Whether each node says it is healthy (no failover: one answer per node)."""
        out = []
        for host, port in self.address.nodes:
            try:
                conn = http.client.HTTPConnection(host, port, timeout=2)
                conn.request("GET", "/health")
                out.append(json.loads(conn.getresponse().read()).get("ok") is True)
                conn.close()
            except (OSError, ValueError, http.client.HTTPException):
                out.append(False)
        return out


class NotFound(EngineRefused):
    """The engine has no such collection or document."""

    code = "engine_not_found"


def _refused(address: EngineAddress, status: int, data: bytes, method: str, path: str) -> EngineRefused:
    message = _message(data)
    if status == 404:
        return NotFound(f"the search engine at {address.shown} has no {path.split('?')[0]} ({message}) — "
                        f"sync an index to it first: policy-search sync --engine {address}")
    return EngineRefused(f"the search engine at {address.shown} refused {method} {path}: HTTP {status} {message}")


def _message(data: bytes) -> str:
    try:
        return str(json.loads(data).get("message", ""))
    except (ValueError, AttributeError):
        return data[:200].decode("utf-8", "replace")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.timeout):
        return "timed out"
    return str(exc) or type(exc).__name__


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
