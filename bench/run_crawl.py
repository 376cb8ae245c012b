"""Run one crawl in this process and write its stats as JSON (one crawl per process: Twisted's
reactor cannot be restarted)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from bench.cpu_clock import CpuClock
from crawler.downloader import slot_key

# Politeness off: the point is the framework and pipeline cost per page on loopback.
UNTHROTTLED = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "LOG_LEVEL": "ERROR",
}

# Seconds of a polite crawl left out of its rate.
WARMUP = 5.0


def crawl(kind: str, url: str, *extra: str, env: dict | None = None) -> dict:
    """One crawl in a child process (see main): its stats."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.run_crawl",
                kind,
                "--url",
                url,
                "--out",
                out.name,
                *extra,
            ],
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
        )
        return json.loads(Path(out.name).read_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    # noarchive: the full crawl with extraction and normalization but nothing archived (no raw
    # bytes, capture records, catalog or WARC), the baseline of the archive figures.
    parser.add_argument("kind", choices=["full", "bare", "noarchive"])
    parser.add_argument("--url", required=True)
    parser.add_argument(
        "--store",
        help="STORE_URI (default: a temp dir); s3:// endpoint and keys from the environment",
    )
    parser.add_argument("--out", required=True)
    # polite: keep the project's politeness (delay, AutoThrottle) and stop after SECONDS
    parser.add_argument("--polite", type=float, metavar="SECONDS")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()

    settings = get_project_settings()
    if args.polite:
        settings.setdict(
            {"CLOSESPIDER_TIMEOUT": WARMUP + args.polite, "LOG_LEVEL": "ERROR"}, priority="cmdline"
        )
    else:
        settings.setdict(UNTHROTTLED, priority="cmdline")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    with tempfile.TemporaryDirectory() as store_dir:
        settings.set("STORE_URI", args.store or f"file://{store_dir}", priority="cmdline")
        settings.set("STATE_DIR", f"{store_dir}/.state", priority="cmdline")
        if args.kind == "noarchive":
            archiving = ("pipelines.archive.ArchivePipeline", "pipelines.catalog.CatalogPipeline")
            settings.set(
                "ITEM_PIPELINES",
                {k: v for k, v in settings.getdict("ITEM_PIPELINES").items() if k not in archiving},
                priority="cmdline",
            )
            settings.set("WARC_ENABLED", False, priority="cmdline")
        if args.kind == "bare":
            from bench.bare_spider import BareLinkSpider

            settings.set("ITEM_PIPELINES", {}, priority="cmdline")
            settings.set("EXTENSIONS", {}, priority="cmdline")
            spider = BareLinkSpider
        else:
            spider = "portal"
        # the crawl's CPU seconds, parse workers included (bench/cpu_clock.py)
        extensions = {**settings.getdict("EXTENSIONS"), "bench.cpu_clock.CpuClock": 900}
        settings.set("EXTENSIONS", extensions, priority="cmdline")
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(spider)
        # responses per download slot in the --polite seconds after a warm-up (the steady rate of
        # a polite crawl: not its start, robots.txt and a first page per host, nor its shutdown,
        # which waits for requests held back by the hosts)
        per_slot: Counter[str] = Counter()
        opened = time.monotonic()

        def count(request, **_) -> None:
            if not args.polite or WARMUP <= time.monotonic() - opened <= WARMUP + args.polite:
                per_slot[slot_key(request)] += 1

        crawler.signals.connect(count, signal=signals.response_received, weak=False)
        process.crawl(crawler, url=args.url)
        process.start()
    stats = crawler.stats.get_stats()
    clock = crawler.get_extension(CpuClock)
    with open(args.out, "w") as fh:
        json.dump(
            {
                "cpu": clock.figures if clock is not None else {},
                "pages": stats.get("response_received_count", 0),
                "items": stats.get("item_scraped_count", 0),
                "seconds": stats["elapsed_time_seconds"],
                "per_slot": dict(per_slot),
                "window": args.polite or stats["elapsed_time_seconds"],
            },
            fh,
        )


if __name__ == "__main__":
    main()
