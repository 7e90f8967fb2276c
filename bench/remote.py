"""The remote engine against the embedded index: sync rate, query latency, nDCG@10, memory.

    python bench/remote.py --index DIR --queries ../shared/eval/replies-queries.jsonl [--mode lexical]

Starts a 3-node Typesense cluster on loopback (search.remote.cluster), syncs the index to it
(units/s), then runs the queries' batch through both backends with the shared scorer (nDCG@10),
times each query in process through each backend (p50/p95), and prints each node's resident
memory. Stops the cluster at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search.remote.cluster import LocalCluster  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--mode", default=None, help="lexical, hybrid or semantic (default: the index's)")
    parser.add_argument("--timed", type=int, default=200, help="queries timed through each backend")
    args = parser.parse_args()
    key = secrets.token_hex(12)
    os.environ["POLICY_SEARCH_TYPESENSE_KEY"] = key
    root = Path(tempfile.mkdtemp(prefix="bench-typesense-"))
    cluster = LocalCluster(root, key, 3).start()
    try:
        from search.remote.client import EngineClient
        from search.remote.sync import sync

        report = sync(args.index, EngineClient(cluster.address, key))
        print(f"sync: {report.seen} units ({report.vectors} with vectors) in {report.seconds:.1f} s = "
              f"{report.seen / report.seconds:,.0f} units/s")
        again = sync(args.index, EngineClient(cluster.address, key))
        print(f"sync again (unchanged): {again.unchanged} unchanged, {again.sent} sent in {again.seconds:.1f} s")
        print("memory per node (VmRSS, MB):", [round(kb / 1024) for kb in cluster.memory_kb()])
        print("data per node (MB):", [round(sum(f.stat().st_size for f in n.data_dir.rglob("*") if f.is_file())
                                            / 2**20) for n in cluster.nodes])
        queries = [json.loads(line) for line in Path(args.queries).read_text(encoding="utf-8").splitlines() if line]
        wrapper = root / "remote-cmd.sh"
        wrapper.write_text(f'#!/bin/sh\nverb="$1"; shift\nexec policy-search "$verb" --engine {cluster.url} "$@"\n')
        wrapper.chmod(0o755)
        for name, cmd in (("embedded", "policy-search"), ("remote", str(wrapper))):
            if args.mode:
                cmd_mode = root / f"{name}-mode.sh"
                cmd_mode.write_text(f'#!/bin/sh\nverb="$1"; shift\nexec {cmd} "$verb" --mode {args.mode} "$@"\n')
                cmd_mode.chmod(0o755)
                cmd = str(cmd_mode)
            scored = subprocess.run([sys.executable, str(SHARED / "tools" / "score_search.py"), args.queries,
                                     "--index", args.index, "--cmd", cmd], capture_output=True, text=True)
            for line in scored.stdout.strip().splitlines() or [scored.stderr[-500:]]:
                print(f"{name}: {line}")
        from errors import PolicySearchError
        from search.engine import PolicyIndex
        from search.remote.backend import RemoteIndex

        for name, backend in (("embedded", PolicyIndex(args.index)), ("remote", RemoteIndex(cluster.url))):
            with backend as ix:
                ix.warm()
                times = []
                for q in queries[: args.timed]:
                    text = " ".join(str(q.get("query") or q.get("text")).split())
                    start = time.perf_counter()
                    try:
                        ix.search(text, clauses=q.get("mode") == "clauses", mode=args.mode)
                    except PolicySearchError:
                        continue  # a message the query language cannot parse: the scorer's batch says so too
                    times.append(time.perf_counter() - start)
                print(f"{name}: p50 {1000 * statistics.median(times):.0f} ms, p95 {1000 * percentile(times, 0.95):.0f} ms "
                      f"over {len(times)} queries")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
