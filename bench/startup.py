#!/usr/bin/env python3
"""Start-up benchmark: how long a new ``policy-search`` process takes, as medians of cold runs.

Usage: python3 bench/startup.py [--runs 7] [--query 时尚产业]

Each run is a fresh interpreter (a subprocess), as a user's command is: ``--help``,
``search --help`` and a search of the bundled samples (an index built once, beforehand, in a
temporary folder). Prints the median, the fastest and the slowest run of each, in seconds, and
the segmentation engine the index uses (rjieba starts in ~0.15 s, jieba in 1–1.5 s).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, str(ROOT / "cli.py")]
sys.path.insert(0, str(ROOT))


def timed(args: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` fresh runs of the CLI with ``args`` (each must succeed)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(CLI + args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds.append(time.perf_counter() - start)
    return seconds


def engine_of(index: Path) -> str:
    """The segmentation engine the index records (``rjieba`` or ``jieba``)."""
    from indexer.store import read_settings

    return str(read_settings(index).get("analysis", {}).get("engine", "?"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold runs per command (default 7)")
    parser.add_argument("--query", default="时尚产业", help="the query searched on the samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        index = Path(folder) / "index"
        subprocess.run(CLI + ["ingest", str(ROOT / "corpus" / "samples"), "--index", str(index), "--quiet"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        cases = [("--help", ["--help"]), ("search --help", ["search", "--help"]),
                 ("search QUERY (samples)", ["search", args.query, "--index", str(index)])]
        timed(cases[-1][1], 1)  # the page cache holds the interpreter and the index, as on a user's machine
        print(f"engine: {engine_of(index)}; query: {args.query}; {args.runs} cold runs each; "
              "seconds (median, fastest, slowest)")
        for label, cli_args in cases:
            seconds = timed(cli_args, args.runs)
            print(f"{label:<24} {statistics.median(seconds):6.3f}  {min(seconds):6.3f}  {max(seconds):6.3f}")


if __name__ == "__main__":
    main()
