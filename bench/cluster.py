"""Cluster scaling on the proxy simulator: a thousand county hosts under their real names.

    python -m bench.cluster [--workers 1,2,4] [--counties 1000] [--budget 4] [--small 100]

Every county's www root is crawled, through the proxy simulator (simulator/proxy.py), by 1, 2
and 4 workers sharing one redis-server, politeness off.  A full crawl of a thousand portals
(about 70 pages each) takes an hour on this shared machine, so each portal is cut to a fixed
sample: ``DISCOVERY_PAGE_BUDGET`` pages (root, sitemap, the best links; plus its robots.txt),
the same pages in every run.  Printed: pages per second (the proxy's log, first to last
request), the peak memory of each worker (Scrapy's memusage/max), the same crawl of ``--small``
counties beside it (memory must not grow with the hosts), the load average of the machine, and
the per-host delay model of a national sweep, from a polite run's measured download time.

The hosts share ``--portals`` generated portals (each host is still its own site with its own
names and links; simulator/scale.py), so that building them costs seconds, not minutes.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from crawler.cluster.__main__ import worker_command
from crawler.cluster.redis_server import RedisServer
from simulator.proxy import ProxyLive, ProxySimulator

ROOT = Path(__file__).resolve().parent.parent
UNTHROTTLED = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS=32",
    "CONCURRENT_REQUESTS_PER_DOMAIN=4",
    "MAX_IDLE_TIME_BEFORE_CLOSE=2",
    "LOG_LEVEL=INFO",
    "ITEM_PIPELINES={}",
    "EXTENSIONS={}",
    "MONITOR_MAX_ERROR_RATIO=1.0",
    # no browser: its cost is bench/browser.py's, and it does not go through the
    # proxy simulator (Playwright tunnels with CONNECT, which the proxy refuses)
    "DISCOVERY_BROWSER_PAGES=0",
]
#: the national sweep of issue 13: about 500,000 requests in 24 hours
SWEEP_REQUESTS = 500_000
SWEEP_SECONDS = 24 * 3600
COUNTIES = 2850


def peak_memory(log: str) -> int:
    match = re.search(r"'memusage/max': (\d+)", log)
    return int(match.group(1)) if match else 0


def run(
    live: ProxyLive, redis_url: str, workers: int, job: str, roots: list[str], settings: list[str]
) -> dict:
    before = len(live.requests)
    load = os.getloadavg()[0]
    cpu = os.times()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        env = {**os.environ, **live.env(), "PYTHONPATH": str(ROOT)}
        # stderr: the exit status line of each worker (4 when a sampled portal had no report)
        errs = [(out / f"worker-{i}.err").open("w") for i in range(1, workers + 1)]
        procs = [
            subprocess.Popen(
                worker_command(
                    i, redis_url, out, "portal", [f"url={','.join(roots)}"], settings, job
                ),
                cwd=ROOT,
                env=env,
                stderr=errs[i - 1],
            )
            for i in range(1, workers + 1)
        ]
        codes = [p.wait() for p in procs]
        for err in errs:
            err.close()
        logs = [(out / f"worker-{i}.log").read_text() for i in range(1, workers + 1)]
    if any(c not in (0, 4) for c in codes):  # 4: a sampled portal gave no report in its budget
        raise SystemExit(f"bench.cluster: a worker failed ({codes}); its log:\n{logs[0][-2000:]}")
    # robots.txt is asked once per host by every worker (Scrapy's middleware, per process): not
    # a page of the crawl
    records = [r for r in live.requests[before:] if r.path != "/robots.txt"]
    timed = [r.at for r in records if r.at]
    span = max(timed) - min(timed)
    after = os.times()
    # CPU seconds of the workers (start-up included): pages per CPU second says whether N
    # workers do the same work per page, whatever share of the cores the machine left them
    used = (after.children_user - cpu.children_user) + (after.children_system - cpu.children_system)
    return {
        "workers": workers,
        "pages": len(records),
        "seconds": span,
        "cpu": used,
        "hosts": len({r.host for r in records}),
        "memory": [peak_memory(g) for g in logs],
        "load": (load + os.getloadavg()[0]) / 2,
    }


def describe(r: dict, base: float | None = None) -> str:
    rate = r["pages"] / r["seconds"]
    memory = ", ".join(f"{m / 2**20:.0f}" for m in r["memory"])
    ratio = f", ratio {rate / base:.2f}" if base else ""
    return (
        f"  {r['workers']} worker(s): {rate:6.1f} pages/s ({r['pages']} pages of "
        f"{r['hosts']} hosts in {r['seconds']:.0f} s){ratio}; "
        f"{r['pages'] / max(r['cpu'], 1e-9):.1f} pages per worker CPU second; peak MiB per "
        f"worker: {memory}; load average {r['load']:.1f}"
    )


def delay_model(
    per_worker: float, download: float, concurrent: int, delays=(1.0, 2.0, 5.0)
) -> list[str]:
    """The Redis host slot lets a host have one request at a time, the next one ``d`` after the
    previous answer: a host gives 1 / (d + t) requests a second (t: download time).  A sweep of
    R requests in T seconds then needs R/T × (d + t) hosts in flight at once; a worker keeps at
    most CONCURRENT_REQUESTS hosts in flight and does at most the pages/s measured here."""
    rate = SWEEP_REQUESTS / SWEEP_SECONDS
    lines = [
        f"  national sweep: {SWEEP_REQUESTS:,} requests in 24 h = {rate:.1f} requests/s; "
        f"download time t = {download:.2f} s measured here (the web is slower: the lines "
        f"with t = 1 s are the planning figure)"
    ]
    for t in (download, 1.0):
        for d in delays:
            hosts = math.ceil(rate * (d + t))
            worker = min(per_worker, concurrent / (d + t))
            lines.append(
                f"  delay {d:.0f} s, t {t:.2f} s: {1 / (d + t):.2f} requests/s per host, "
                f"{hosts} hosts in parallel (of {COUNTIES:,} counties), "
                f"{math.ceil(rate / worker)} worker(s) at {worker:.0f} requests/s each"
            )
    return lines


def polite_download_time(
    live: ProxyLive, redis_url: str, roots: list[str], budget: int
) -> tuple[float, dict]:
    """A short polite run (host delay 0.5 s, 2 workers): the time a host's request takes, from
    the proxy's log: per host, gaps between requests minus the delay."""
    delay = 0.5
    settings = [s for s in UNTHROTTLED if not s.startswith("CONCURRENT_REQUESTS_PER")]
    settings += [
        f"CLUSTER_HOST_DELAY={delay}",
        f"DISCOVERY_PAGE_BUDGET={budget}",
        "CONCURRENT_REQUESTS_PER_DOMAIN=2",
    ]
    before = len(live.requests)
    r = run(live, redis_url, 2, f"bench-polite-{time.time():.0f}", roots, settings)
    by_host: dict[str, list[float]] = {}
    for rec in live.requests[before:]:
        if rec.at:
            by_host.setdefault(rec.host, []).append(rec.at)
    gaps = sorted(
        b - a for ts in by_host.values() for a, b in zip(sorted(ts), sorted(ts)[1:], strict=False)
    )
    if not gaps:
        return 0.0, r
    return max(gaps[len(gaps) // 2] - delay, 0.0), {**r, "min_gap": gaps[0], "delay": delay}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--counties", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--portals", type=int, default=60)
    parser.add_argument("--budget", type=int, default=4)
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    sim = ProxySimulator(counties=args.counties, portals=args.portals)
    settings = [*UNTHROTTLED, f"DISCOVERY_PAGE_BUDGET={args.budget}"]
    with sim.running() as live, RedisServer() as redis:
        t0 = time.monotonic()
        for host, (_, role) in live.hosts.hosts.items():
            if role != "bare":
                live.hosts.site(host)
        print(
            f"cluster crawl through the proxy simulator: {args.counties} counties, "
            f"{len(live.hosts)} host names over {live.hosts.builds} generated portals (built "
            f"in {time.monotonic() - t0:.0f} s), politeness off, {args.budget} pages budgeted "
            f"per portal, one redis-server",
            flush=True,
        )
        roots = live.hosts.roots()
        results = [
            run(live, redis.url, n, f"bench-{n}-{time.time():.0f}", roots, settings) for n in counts
        ]
        base = results[0]["pages"] / results[0]["seconds"]
        for r in results:
            print(describe(r, base), flush=True)
        two = next((r for r in results if r["workers"] == 2), results[-1])
        small = run(
            live,
            redis.url,
            two["workers"],
            f"bench-small-{time.time():.0f}",
            roots[: args.small],
            settings,
        )
        big, little = max(two["memory"]), max(small["memory"])
        print(
            f"memory, {two['workers']} workers: peak {little / 2**20:.0f} MiB per worker for "
            f"{args.small} counties ({small['hosts']} hosts), {big / 2**20:.0f} MiB for "
            f"{args.counties} ({two['hosts']} hosts): {100 * (big - little) / little:+.0f}% "
            f"(target within 20%)"
        )
        download, polite = polite_download_time(live, redis.url, roots[: args.small], args.budget)
        print(
            f"politeness on (host delay {polite.get('delay', 0)} s, 2 workers, "
            f"{args.small} counties): {polite['pages'] / polite['seconds']:.1f} pages/s, the "
            f"closest two requests to one host {polite.get('min_gap', 0):.2f} s apart"
        )
        print("\n".join(delay_model(base, download, 64)))


if __name__ == "__main__":
    main()
