"""Run N cluster workers of one crawl on this machine, sharing one Redis:

    python -m crawler.cluster --workers 2 -a region=3701 [--redis redis://HOST:PORT/0]
                              [--out data/cluster] [-s NAME=VALUE …]

Without ``--redis`` a redis-server is started on 127.0.0.1 (a free port, a temporary
directory) and stopped at the end.  Each worker is ``scrapy crawl portal`` with
``-s CLUSTER_REDIS_URL`` and its own ``STATE_DIR`` (the catalog and the spool are per process)
and feed (``OUT/worker-N.jsonl``); they share ``STORE_URI``.  The exit status is the first
non-zero worker's.  On other machines run the same ``scrapy crawl`` with the same Redis URL,
job and ``STORE_URI`` (README, "Crawling on several machines").
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from .redis_server import RedisServer


def worker_command(
    index: int,
    redis_url: str,
    out: Path,
    spider: str,
    spider_args: list[str],
    settings: list[str],
    job: str,
) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        spider,
        "-O",
        str(out / f"worker-{index}.jsonl"),
        "-s",
        f"CLUSTER_REDIS_URL={redis_url}",
        "-s",
        f"CLUSTER_JOB={job}",
        "-s",
        f"STATE_DIR={out / f'state-{index}'}",
        "-s",
        f"LOG_FILE={out / f'worker-{index}.log'}",
    ]
    for arg in spider_args:
        cmd += ["-a", arg]
    for setting in settings:
        cmd += ["-s", setting]
    return cmd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.cluster",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", help="redis://HOST:PORT/DB of a running Redis")
    parser.add_argument("--out", default="data/cluster", help="feeds, logs and worker state")
    parser.add_argument("--spider", default="portal")
    parser.add_argument("--job", default=None, help="CLUSTER_JOB (default: a new one per run)")
    parser.add_argument("-a", dest="spider_args", action="append", default=[])
    parser.add_argument("-s", dest="settings", action="append", default=[])
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    job = args.job or time.strftime("%Y%m%dT%H%M%S")
    server = None if args.redis else RedisServer().start()
    url = args.redis or server.url  # type: ignore[union-attr]
    print(
        f"cluster: {args.workers} workers on {url}, job {job}, feeds and logs in {out}/", flush=True
    )
    try:
        procs = [
            subprocess.Popen(
                worker_command(i, url, out, args.spider, args.spider_args, args.settings, job)
            )
            for i in range(1, args.workers + 1)
        ]
        codes = [p.wait() for p in procs]
    finally:
        if server is not None:
            server.stop()
    feeds = [out / f"worker-{i}.jsonl" for i in range(1, args.workers + 1)]
    items = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in feeds if f.exists())
    print(f"cluster: workers exited {codes}; {items} items in {out}/worker-*.jsonl", flush=True)
    return next((c for c in codes if c), 0)


if __name__ == "__main__":
    sys.exit(main())
