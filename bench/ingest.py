#!/usr/bin/env python3
"""Ingest benchmark: the laws corpus (+ the seeds) into a fresh index; prints throughput.

Usage: python3 bench/ingest.py ../shared/corpus/laws.tar.xz [--index DIR] [--engine jieba|rjieba] [--limit N]
                               [--vectors none|documents|clauses]

Prints MB/s (of source text), docs/s, clauses and clause units, peak RSS and index size. With
``--vectors`` (default none: the words alone, the figure compared from one change to the next)
it also prints how many units got a vector, the embedding time and the vectors' size; MB/s is
then of the whole ingest. Benchmarks print numbers; no test asserts on them.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import sample_dir  # noqa: E402
from indexer.build import ingest  # noqa: E402
from indexer.store import read_settings  # noqa: E402


def extract(tarball: Path, into: Path, limit: int | None) -> list[Path]:
    with tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".md")]
        members = members[:limit] if limit else members
        tar.extractall(into, members=members, filter="data")
    return [into / m.name for m in members]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("tarball", type=Path)
    ap.add_argument("--index", type=Path)
    ap.add_argument("--engine", choices=["jieba", "rjieba"])
    ap.add_argument("--limit", type=int, help="only the first N laws")
    ap.add_argument("--vectors", choices=["none", "documents", "clauses"], default="none")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    files = extract(args.tarball, work / "laws", args.limit)
    index_dir = args.index or work / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    size = sum(f.stat().st_size for f in files) + sum(f.stat().st_size for f in sample_dir().glob("*.txt"))
    start = time.perf_counter()
    report = ingest([str(work / "laws"), str(sample_dir())], index_dir, engine=args.engine, vectors=args.vectors)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    writer_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    index_mb = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file()) / 1e6
    units = read_settings(index_dir).get("clauses")
    print(f"engine {args.engine or 'default'}: {len(files) + 5} files, {report.documents} documents, "
          f"{report.clauses} clauses in {units} clause units, {len(report.errors)} errors")
    print(f"ingest: {wall:.1f} s, {size / 1e6 / wall:.2f} MB/s, {report.documents / wall:.1f} docs/s, "
          f"peak RSS {rss:.0f} MB (largest writer process {writer_rss:.0f} MB), index {index_mb:.0f} MB at {index_dir}")
    if args.vectors != "none":
        vectors_mb = sum(p.stat().st_size for p in (index_dir / "vectors").rglob("*") if p.is_file()) / 1e6
        print(f"vectors ({args.vectors}): {report.vectors.units} units, embedded in {report.vectors.seconds:.1f} s, "
              f"{vectors_mb:.1f} MB (included in the index size)")
    if not args.index:
        shutil.rmtree(work, ignore_errors=True)
    else:
        shutil.rmtree(work / "laws", ignore_errors=True)


if __name__ == "__main__":
    main()
