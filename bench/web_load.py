"""Load on the search page: many concurrent clients against `policy-search serve` on loopback.

    python3 bench/web_load.py --index /tmp/lawsix            # 50 clients, 30 s
    python3 bench/web_load.py --index ./ix --clients 20 --seconds 10
    python3 bench/web_load.py --url http://127.0.0.1:8000/   # a server already running

Starts the server as a subprocess on a free port (unless --url), sends a mix of search pages
(documents and clauses, filters, date sort, later pages; half of them popular queries, half a
long tail of ~2,000 word pairs), document pages and API calls,
and prints requests per second, p50/p95/max latency and every kind of error. Only 127.0.0.1 is
ever contacted; the run stops by itself after --seconds or --max-requests, whichever is first.
Exit status 1 when any request failed or p95 is above --target-p95 ms.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

QUERIES = [
    "时尚产业", "公共服务平台 资助", "\"公共服务平台\"", "数字化转型 直播", "技术改造 类型:若干措施",
    "时尚产业 金额:>=500万", "金额:100万..1000万", "人才 年份:2020..2023", "状态:现行有效 产业",
    "机关:工业和信息化局", "类型:答复 建议", "护士 执业", "行政许可 申请", "环境保护 罚款",
    "安全生产 责任", "劳动合同 解除", "\"法律责任\"", "监督管理 -处罚", "教育 经费", "食品安全 标准",
    "个人信息 保护", "消防 安全", "道路交通 事故", "税收 减免", "知识产权 侵权",
]
# the long tail: pairs of these words make ~2,000 distinct queries, so a cache of answers helps
# with the popular queries above and much less with these
WORDS = ["时尚", "产业", "平台", "资助", "人才", "补贴", "企业", "技术", "创新", "设计", "品牌", "直播", "电商",
         "数字化", "制造", "服务", "安全", "责任", "许可", "申请", "监督", "处罚", "罚款", "合同", "劳动", "教育",
         "卫生", "医疗", "护士", "环境", "污染", "交通", "道路", "税收", "财政", "预算", "土地", "规划", "住房",
         "消防", "食品", "药品", "信息", "保护", "知识产权", "农业", "金融", "保险"]
WINDOW_SECONDS = 5.0  # latency is also shown per window: the first one includes the warm-up
PROPOSAL = ("建议加快时尚产业数字化转型，支持商协会建设公共服务平台，培育直播电商基地，"
            "加强人才引进和知识产权保护，完善安全生产责任制度。")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def start_server(index: str, threads: int, workers: int) -> tuple[subprocess.Popen, str]:
    # the server's log goes to a file: an unread pipe would fill up and stall it
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "serve", "--index", index,
                             "--host", "127.0.0.1", "--port", "0", "--threads", str(threads),
                             "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if m:
            return proc, m.group(0)
    proc.kill()
    log.seek(0)
    raise SystemExit(f"the server did not start: {log.read()[-2000:]}")


class Client(threading.Thread):
    """One user: a keep-alive connection sending a random mix of requests until told to stop."""

    def __init__(self, host: str, port: int, doc_ids: list[str], stop: threading.Event, budget: list[int],
                 lock: threading.Lock, seed: int) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.doc_ids = host, port, doc_ids
        self.stop, self.budget, self.lock = stop, budget, lock
        self.random = random.Random(seed)
        self.latencies: list[float] = []
        self.started: list[float] = []  # when each request was sent (perf_counter)
        self.kinds: Counter[str] = Counter()
        self.by_kind: dict[str, list[float]] = {}
        self.errors: Counter[str] = Counter()

    def request(self) -> tuple[str, str, str, bytes | None]:
        r = self.random.random()
        if self.random.random() < 0.5:
            q = self.random.choice(QUERIES)
        else:
            q = " ".join(self.random.sample(WORDS, 2))
        if r < 0.45:
            params = {"q": q}
            if self.random.random() < 0.4:
                params["level"] = "clause"
            if self.random.random() < 0.2:
                params["sort"] = "date"
            if self.random.random() < 0.2:
                params["page"] = str(self.random.randint(2, 4))
            return "search", "GET", "/?" + urlencode(params), None
        if r < 0.75 and self.doc_ids:
            return "doc", "GET", "/doc/" + self.random.choice(self.doc_ids), None
        if r < 0.90:
            return "api_search", "GET", "/api/search?" + urlencode({"q": q, "limit": "10"}), None
        if r < 0.95 and self.doc_ids:
            return "api_doc", "GET", "/api/doc/" + self.random.choice(self.doc_ids), None
        return "api_similar", "POST", "/api/similar?limit=5", PROPOSAL.encode("utf-8")

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        while not self.stop.is_set():
            with self.lock:
                if self.budget[0] <= 0:
                    self.stop.set()
                    break
                self.budget[0] -= 1
            kind, method, path, body = self.request()
            headers = {"Content-Type": "text/plain; charset=utf-8"} if body else {}
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    self.errors[f"HTTP {response.status} {kind}"] += 1
            except (OSError, http.client.HTTPException) as exc:
                self.errors[f"{type(exc).__name__} {kind}"] += 1
                conn.close()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                continue
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.started.append(started)
            self.kinds[kind] += 1
            self.by_kind.setdefault(kind, []).append(self.latencies[-1])
        conn.close()


def document_ids(host: str, port: int) -> list[str]:
    """Ids to open, found through the API itself (a few queries' hits)."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    ids: list[str] = []
    for q in QUERIES[:12]:
        conn.request("GET", "/api/search?" + urlencode({"q": q, "limit": "10"}))
        response = conn.getresponse()
        data = json.loads(response.read())
        ids += [h["id"] for h in data.get("hits", [])]
    conn.close()
    return sorted(set(ids))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", help="index folder to serve (starts `policy-search serve` on a free port)")
    parser.add_argument("--url", help="a server already running on 127.0.0.1 (instead of --index)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--threads", type=int, default=2, help="server worker threads (per process; serve's default)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (the machine's 2 cores)")
    parser.add_argument("--target-p95", type=float, default=300.0, help="ms")
    args = parser.parse_args()
    if bool(args.index) == bool(args.url):
        parser.error("give --index DIR or --url URL (one of them)")
    proc = None
    if args.index:
        proc, url = start_server(args.index, args.threads, args.workers)
    else:
        url = args.url
    where = urlsplit(url)
    if where.hostname not in ("127.0.0.1", "localhost"):
        parser.error("only a server on 127.0.0.1 may be loaded")
    host, port = "127.0.0.1", where.port or 80
    try:
        doc_ids = document_ids(host, port)
        stop, lock, budget = threading.Event(), threading.Lock(), [args.max_requests]
        clients = [Client(host, port, doc_ids, stop, budget, lock, seed) for seed in range(args.clients)]
        started, cpu = time.perf_counter(), time.process_time()
        for client in clients:
            client.start()
        stop.wait(args.seconds)
        stop.set()
        for client in clients:
            client.join(timeout=40)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    latencies = [ms for c in clients for ms in c.latencies]
    kinds = sum((c.kinds for c in clients), Counter())
    errors = sum((c.errors for c in clients), Counter())
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    print(f"{args.clients} clients, {elapsed:.1f} s, {len(doc_ids)} documents to open, server {url}")
    print(f"requests: {len(latencies)} ok, {sum(errors.values())} errors, {len(latencies) / elapsed:.1f} req/s")
    print(f"latency ms: p50 {p50:.1f}  p95 {p95:.1f}  max {max(latencies, default=0):.1f}  "
          f"mean {statistics.fmean(latencies) if latencies else 0:.1f}")
    print(f"the load generator itself used {cpu:.1f} s of CPU ({100 * cpu / elapsed:.0f} % of one core)")
    print("mix: " + "  ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for kind in sorted(kinds):
        times = [ms for c in clients for ms in c.by_kind.get(kind, [])]
        print(f"  {kind:<12} p50 {percentile(times, 50):7.1f}  p95 {percentile(times, 95):7.1f} ms")
    windows: dict[int, list[float]] = {}
    for c in clients:
        for sent, ms in zip(c.started, c.latencies):
            windows.setdefault(int((sent - started) // WINDOW_SECONDS), []).append(ms)
    print(f"p95 per {WINDOW_SECONDS:.0f} s (by when sent): " + "  ".join(
        f"{w * WINDOW_SECONDS:.0f}s {percentile(ms, 95):.0f}" for w, ms in sorted(windows.items())))
    for kind, n in errors.most_common():
        print(f"error: {kind} × {n}")
    ok = not errors and p95 <= args.target_p95
    print(f"target (0 errors, p95 ≤ {args.target_p95:.0f} ms): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
