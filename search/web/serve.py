"""Serving the page under waitress: one process, or several sharing the listening socket.

Searches are CPU work and Python runs one thread at a time, so ``workers`` processes (one per
core) serve many users at once. Each worker opens and warms its own index after the fork; they
share their answers through a private folder (search.web.SharedAnswers). The address is
announced only once every worker can answer, and stopping the parent stops the workers.
"""
from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import signal
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from errors import UsageError, WorkerFailed
from search.remote import open_backend
from search.web.app import MAX_REQUEST_BYTES, make_app

Announce = Callable[[str], None]  # told the address once requests are answered


def serve(index_dir: Path, host: str, port: int, *, threads: int, workers: int, announce: Announce) -> None:
    """Serve the index at ``index_dir`` until interrupted (Ctrl+C or SIGTERM)."""
    from waitress import create_server

    one_blas_thread()

    options: dict[str, Any] = {"threads": threads, "max_request_body_size": MAX_REQUEST_BYTES,
                               "ident": "policy-search"}
    if workers == 1:
        app = make_app(index_dir)
        with _listening(host, port):
            server = create_server(app, host=host, port=port, **options)
        announce(f"http://{host}:{server.effective_port}/")  # type: ignore[union-attr]
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
        return
    if not hasattr(os, "fork"):
        raise UsageError("{param} needs a system that can fork processes (Linux, macOS): "
                         "serve with one worker and more threads", param="workers")
    open_backend(index_dir).close()  # fail here, once, if the index cannot be opened
    with _listening(host, port):
        listener = socket.create_server((host, port), backlog=1024)
    shared = tempfile.mkdtemp(prefix="policy-search-answers-")
    ready_read, ready_write = os.pipe()
    children = [_fork_worker(index_dir, listener, shared, ready_read, ready_write, options) for _ in range(workers)]
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        os.close(ready_write)
        with os.fdopen(ready_read, "rb") as ready:  # one byte from each worker once it is warm
            if len(ready.read(workers)) < workers:
                raise WorkerFailed()
        announce(f"http://{host}:{listener.getsockname()[1]}/")
        for pid in children:
            os.waitpid(pid, 0)
    except KeyboardInterrupt:
        pass
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        listener.close()
        shutil.rmtree(shared, ignore_errors=True)


@contextlib.contextmanager
def _listening(host: str, port: int) -> Iterator[None]:
    """Opening the listening socket: an address in use or no address of this machine is a
    :class:`UsageError` naming the option to change, not a traceback."""
    try:
        yield
    except (OSError, ValueError) as exc:  # waitress says ValueError for a host it cannot resolve
        if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
            raise UsageError(f"cannot listen on {host}:{port}: the port is in use — stop what listens there "
                             "or choose another {param}", param="port") from None
        if isinstance(exc, OSError) and exc.errno == errno.EACCES:
            raise UsageError(f"cannot listen on {host}:{port}: permission denied — choose a {{param}} "
                             "above 1023", param="port") from None
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "no such address here"
        raise UsageError(f"cannot listen on {host}:{port}: {reason} — give an address of this machine "
                         "as {param} (127.0.0.1, or 0.0.0.0 for every network)", param="host") from None


def one_blas_thread() -> None:
    """Let numpy's BLAS use one thread in this process and the workers it forks. The server's
    threads and processes already keep the cores busy; BLAS threads of their own for a product of
    a query with the vectors only wait for a core (the page under load, bench/web_load.py: 281
    req/s and p95 360 ms with BLAS on every core, 526 req/s and p95 207 ms with one thread)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _fork_worker(index_dir: Path, listener: socket.socket, shared: str, ready_read: int, ready_write: int,
                 options: dict[str, Any]) -> int:
    """Start one worker process; returns its pid (in the parent: the worker never returns)."""
    from waitress import create_server

    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        os.close(ready_read)
        server = create_server(make_app(index_dir, shared_cache=shared), sockets=[listener], **options)
        os.write(ready_write, b".")
        os.close(ready_write)
        server.run()
    except KeyboardInterrupt:
        pass
    except BaseException:
        logging.getLogger("policy-search").exception("worker failed")
        code = 1
    finally:
        os._exit(code)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
