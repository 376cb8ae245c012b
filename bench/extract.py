"""Extraction cost alone: ``extract_page`` (and its metadata-header search) over every report
page the simulator serves, in this process, against ``lxml.html.fromstring`` of the same pages
(the same bytes) in the same run (goal: at most 3x); the runs interleaved, best of a few rounds
per run, and the ratio's min / median / max over ``RUNS`` runs.

Also ``read_report_page``, exactly what a crawl's parse worker runs per report page
(reports/reading.py: the one parse, extraction, and normalization of that same tree), against
the same baseline: the per-page figure of the two goals together."""

from __future__ import annotations

import os
import statistics
import time
import urllib.request

import lxml.html

from reports.extract import extract_page
from reports.extract.dom import parse_document
from reports.extract.meta import find_headers
from reports.reading import read_report_page

ROUNDS = 3
RUNS = 3


def report_pages(live) -> list[tuple[str, bytes, str]]:
    pages = []
    for report in live.reports:
        with urllib.request.urlopen(report.url) as resp:
            pages.append((report.url, resp.read(), resp.headers.get("Content-Type", "")))
    return pages


def _seconds(run) -> float:
    start = time.process_time()  # CPU, not wall: the machine is shared
    run()
    return time.process_time() - start


def summary(live) -> str:
    pages = report_pages(live)
    n = len(pages)
    declared = [ct.partition("charset=")[2] or None for _, _, ct in pages]
    docs = [parse_document(b.decode("utf-8", "replace")) for _, b, _ in pages]
    runs = {
        "lxml": lambda: [lxml.html.fromstring(b) for _, b, _ in pages],
        "extract": lambda: [
            extract_page(b, u, d) for (u, b, _), d in zip(pages, declared, strict=True)
        ],
        "headers": lambda: [find_headers(d) for d in docs],
        "reading": lambda: [
            read_report_page(b, u, d) for (u, b, _), d in zip(pages, declared, strict=True)
        ],
    }
    ratios, reading, per_page, loads = [], [], [], []
    for _ in range(RUNS):
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(ROUNDS):
            for kind, run in runs.items():
                best[kind] = min(best[kind], _seconds(run))
        ratios.append(best["extract"] / best["lxml"])
        reading.append(best["reading"] / best["lxml"])
        per_page.append({k: v / n * 1000 for k, v in best.items()})
        loads.append(os.getloadavg()[0])
    mid = per_page[sorted(range(RUNS), key=ratios.__getitem__)[RUNS // 2]]
    size = sum(len(b) for _, b, _ in pages) / n / 1024
    return (
        f"extraction, {n} report pages of {size:.0f} KB on average, CPU, "
        f"best of {ROUNDS} rounds, {RUNS} runs\n"
        f"  extract_page {mid['extract']:6.2f} ms/page   of which the metadata-header search "
        f"{mid['headers']:5.2f} ms/page;  lxml.html.fromstring {mid['lxml']:5.2f} ms/page\n"
        f"  ratio extract_page / lxml: min {min(ratios):.2f} / "
        f"median {statistics.median(ratios):.2f} / max {max(ratios):.2f}  "
        f"(goal: at most 3; load {min(loads):.1f}-{max(loads):.1f})\n"
        f"  read_report_page (a parse worker's whole job per page: extract + normalize, one "
        f"parse) {mid['reading']:6.2f} ms/page\n"
        f"  ratio read_report_page / lxml: min {min(reading):.2f} / "
        f"median {statistics.median(reading):.2f} / max {max(reading):.2f}"
    )


if __name__ == "__main__":
    from simulator import Simulator

    with Simulator().running() as live:
        print(summary(live))
