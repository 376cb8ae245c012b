"""Cluster scaling on the simulator: one crawl of the simulator's portals by 1, 2 and 4 workers
sharing a redis-server, politeness off; pages per second (access log, first to last request)
and the peak memory of each worker (Scrapy's memusage/max), then the per-host delay model of a
national sweep.

    python -m bench.cluster [--workers 1,2,4]
"""
from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import tempfile
from pathlib import Path

from crawler.cluster.__main__ import worker_command
from crawler.cluster.redis_server import RedisServer
from simulator import Simulator, matrix

ROOT = Path(__file__).resolve().parent.parent
UNTHROTTLED = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=16",
               "CONCURRENT_REQUESTS_PER_DOMAIN=16", "MAX_IDLE_TIME_BEFORE_CLOSE=2",
               "LOG_LEVEL=INFO", "ITEM_PIPELINES={}", "EXTENSIONS={}"]
#: every portal but the walls (those send pages through the browser, a cost of its own)
PORTALS = ["yunxi", "tongqiao", *(n for n in matrix.MATRIX_NAMES if not n.startswith("hostile"))]
#: the national sweep of issue 13: about 500,000 requests in 24 hours
SWEEP_REQUESTS = 500_000
SWEEP_SECONDS = 24 * 3600


def peak_memory(log: str) -> int:
    match = re.search(r"'memusage/max': (\d+)", log)
    return int(match.group(1)) if match else 0


def run(live, redis_url: str, workers: int, job: str) -> dict:
    roots = ",".join(p.root_url for p in live.portals)
    before = len(live.requests)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        procs = [subprocess.Popen(worker_command(i, redis_url, out, "portal", [f"url={roots}"],
                                                 UNTHROTTLED, job), cwd=ROOT,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
                 for i in range(1, workers + 1)]
        codes = [p.wait() for p in procs]
        logs = [(out / f"worker-{i}.log").read_text() for i in range(1, workers + 1)]
    if any(codes):
        raise SystemExit(f"bench.cluster: a worker failed ({codes}); its log:\n{logs[0][-2000:]}")
    # robots.txt is asked once per host by every worker: not a page of the crawl
    records = [r for r in live.requests[before:] if r.path != "/robots.txt"]
    span = max(r.at for r in records) - min(r.at for r in records)
    return {"workers": workers, "pages": len(records), "seconds": span,
            "memory": [peak_memory(log) for log in logs]}


def delay_model(per_worker: float, delays=(1.0, 2.0, 5.0)) -> list[str]:
    """Each host gives at most one request per delay d (the Redis host slot), so the sweep needs
    R/T × d hosts in flight at once, and R/T / (pages/s of one worker) workers."""
    rate = SWEEP_REQUESTS / SWEEP_SECONDS
    lines = [f"  national sweep: {SWEEP_REQUESTS:,} requests in 24 h = {rate:.1f} requests/s"]
    for d in delays:
        lines.append(f"  per-host delay {d:.0f} s: at least {math.ceil(rate * d)} hosts in parallel "
                     f"(of 2,850 counties), {math.ceil(rate / per_worker)} worker(s) at the "
                     f"{per_worker:.0f} pages/s one worker does here")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    results = []
    with Simulator(portals=PORTALS).running() as live, \
            RedisServer() as redis:
        for n in counts:
            results.append(run(live, redis.url, n, f"bench-{n}"))
    base = results[0]["pages"] / results[0]["seconds"]
    print(f"cluster crawl, politeness off, {len(live.portals)} simulator portals (the counties "
          f"and every family of the fixture matrix, no walls), one redis-server")
    for r in results:
        rate = r["pages"] / r["seconds"]
        memory = ", ".join(f"{m / 2**20:.0f}" for m in r["memory"])
        print(f"  {r['workers']} worker(s): {rate:7.1f} pages/s ({r['pages']} pages in "
              f"{r['seconds']:.1f} s), ratio {rate / base:.2f}; peak MiB per worker: {memory}")
    print("\n".join(delay_model(base)))


if __name__ == "__main__":
    main()
