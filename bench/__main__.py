"""Crawl the portal simulator with politeness off, once with the full pipeline and once with
a bare link-following spider, alternating, and print pages per second and their ratio."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import extract, normalize
from bench.run_crawl import crawl
from simulator import Simulator

ROUNDS = 3


def main() -> None:
    runs: dict[str, list[dict]] = {"bare": [], "full": []}
    loads: list[float] = []
    with Simulator().running() as live:
        url = ",".join(p.root_url for p in live.portals)
        for _ in range(ROUNDS):
            for kind in runs:
                runs[kind].append(crawl(kind, url))
            loads.append(os.getloadavg()[0])
        extraction = extract.summary(live)
        normalization = normalize.summary(live)
        archive = archive_runs(url)
    print_throughput(runs, loads)
    print(extraction)
    print(normalization)
    # issue 3: the whole simulator (fixture matrix too) crawled, and 500 pages through the browser
    from bench import browser

    browser.main()
    print_archive(archive)
    from bench import catalog, convert, polite

    # issue 15: attachment conversion, a fresh child per file against the warm workers
    print(convert.summary())

    print(catalog.summary())
    # issue 11: 20 kill -9 at random points of a JOBDIR crawl of the whole simulator (303 reports,
    # attachments, GBK and hostile portals), and a plain re-run after kill -9
    subprocess.run(
        [sys.executable, "-m", "bench.faults", "--kills", "20", "--portals", "all"],
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    # issue 11: a 50 MB page must not hold up the rest of the crawl
    from bench import hostile

    hostile.main([])
    # issue 11: the memory of a crawl of 20 portals with hostile pages, against MEMUSAGE_LIMIT_MB
    from bench import memory

    memory.main([])
    # issue 12: what an unchanged re-crawl costs against the first crawl, and change detection
    from bench import recrawl

    recrawl.main([])
    # issue 9: discovery's pages next to a full breadth-first crawl at the same recall
    from bench import discovery_bench

    print(discovery_bench.run(list(range(30))))
    # issue 15: a polite crawl of 16 portals, Scrapy's default queue against the project's
    print(polite.summary())
    # issue 13: 1,000 proxied counties by 1, 2 and 4 cluster workers on one redis-server
    from bench import cluster

    cluster.main([])


def _spread(values: list[float]) -> str:
    return f"min {min(values):.2f} / median {statistics.median(values):.2f} / max {max(values):.2f}"


def print_throughput(runs: dict[str, list[dict]], loads: list[float]) -> None:
    """Pages/s of each kind, the full/bare ratio of each round (the two crawls of a round run
    back to back, under the same load), and CPU per page (reactor process + parse workers)."""
    rate = {kind: [r["pages"] / r["seconds"] for r in rs] for kind, rs in runs.items()}
    cpu = {kind: [r["cpu"]["total"] / r["pages"] * 1000 for r in rs] for kind, rs in runs.items()}
    print(
        f"crawl throughput, politeness off, {ROUNDS} rounds on the portal simulator "
        f"(load average after each round: {', '.join(f'{v:.1f}' for v in loads)})"
    )
    labels = (
        ("bare", "bare link-following spider"),
        ("full", "full pipeline (extract, archive, normalize)"),
    )
    for kind, label in labels:
        last = runs[kind][-1]
        workers = statistics.median(r["cpu"]["parse_workers"] for r in runs[kind])
        pages_s = statistics.median(rate[kind])
        print(
            f"  {label:<45} {pages_s:8.1f} pages/s  ({last['pages']} pages, "
            f"{last['items']} items; CPU {statistics.median(cpu[kind]):.1f} ms/page, "
            f"{workers:.1f} s of it in parse workers)"
        )
    ratios = [full / bare for full, bare in zip(rate["full"], rate["bare"], strict=True)]
    print(f"  ratio full / bare pages/s, per round: {_spread(ratios)}  (goal: at least 0.8)")
    cpu_ratio = [bare / full for full, bare in zip(cpu["full"], cpu["bare"], strict=True)]
    print(f"  ratio bare / full CPU per page, per round: {_spread(cpu_ratio)}")


def archive_runs(url: str) -> dict[str, list[dict]]:
    """The crawl without archiving, archiving to a directory and to SeaweedFS (S3), alternating."""
    import os

    from storage.seaweed import SeaweedServer

    runs: dict[str, list[dict]] = {"noarchive": [], "file": [], "s3": []}
    with tempfile.TemporaryDirectory() as tmp, SeaweedServer(tmp) as s3:
        s3.create_bucket("bench")
        env = {**os.environ, **s3.env}
        for n in range(ROUNDS):
            runs["noarchive"].append(crawl("noarchive", url))
            runs["file"].append(crawl("full", url))
            runs["s3"].append(crawl("full", url, "--store", f"s3://bench/round-{n}", env=env))
    return runs


def print_archive(runs: dict[str, list[dict]]) -> None:
    rate = {
        kind: statistics.median(r["items"] / r["seconds"] for r in rs) for kind, rs in runs.items()
    }
    print(
        f"archive throughput (raw bytes, capture records, text, report, WARC, catalog), "
        f"median of {ROUNDS} rounds"
    )
    labels = {
        "noarchive": "crawl without archiving",
        "file": "archive to the local store (file://)",
        "s3": "archive to SeaweedFS (s3://, boto3)",
    }
    for kind, label in labels.items():
        ratio = "" if kind == "noarchive" else f"  ratio {rate[kind] / rate['noarchive']:.2f}"
        print(f"  {label:<45} {rate[kind]:8.1f} reports/s{ratio}")


if __name__ == "__main__":
    main()
