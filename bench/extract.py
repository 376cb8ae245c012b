"""Extraction cost alone: ``extract_page`` (and its metadata-header search) over every report
page the simulator serves, in this process, best of a few rounds."""
from __future__ import annotations

import time
import urllib.request

from reports.extract import extract_page
from reports.extract.dom import parse_document
from reports.extract.meta import find_headers

ROUNDS = 5


def report_pages(live) -> list[tuple[str, bytes, str]]:
    pages = []
    for report in live.reports:
        with urllib.request.urlopen(report.url) as resp:
            pages.append((report.url, resp.read(), resp.headers.get("Content-Type", "")))
    return pages


def _best_ms_per_page(run, n: int) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        best = min(best, (time.perf_counter() - start) / n * 1000)
    return best


def summary(live) -> str:
    pages = report_pages(live)
    n = len(pages)
    whole = _best_ms_per_page(lambda: [extract_page(b, u, ct) for u, b, ct in pages], n)
    docs = [parse_document(b.decode("utf-8", "replace")) for _, b, _ in pages]
    headers = _best_ms_per_page(lambda: [find_headers(d) for d in docs], n)
    size = sum(len(b) for _, b, _ in pages) / n / 1024
    return (f"extraction, {n} report pages of {size:.0f} KB on average, best of {ROUNDS} rounds\n"
            f"  extract_page {whole:6.2f} ms/page   of which the metadata-header search {headers:5.2f} ms/page")
