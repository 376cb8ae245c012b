"""Normalization cost alone: reports normalized per second from the simulator's report pages
(their main HTML, and their extracted text), against parsing the same HTML with
``lxml.html.fromstring`` in the same run (goal: normalize_html at most 2x); the three
interleaved, CPU time, best of a few rounds per run, the ratio's min / median / max over
``RUNS`` runs."""

from __future__ import annotations

import os
import statistics
import time

import lxml.html

from reports.normalize import normalize_html, normalize_text

from .normalize_corpus import simulator_cases

ROUNDS = 3
RUNS = 3


def _seconds(run) -> float:
    start = time.process_time()  # CPU, not wall: the machine is shared
    run()
    return time.process_time() - start


def summary(live) -> str:
    html, text = simulator_cases(live)
    html = [
        c for c in html if c.kind == "html"
    ]  # a page that only links its PDF has no tables in HTML
    n = len(html)
    runs = {
        "lxml": lambda: [lxml.html.fromstring(c.body) for c in html],
        "html": lambda: [
            normalize_html(c.body, source=c.source, title=c.title, meta=c.meta) for c in html
        ],
        "text": lambda: [
            normalize_text(c.body, source=c.source, title=c.title, meta=c.meta) for c in text
        ],
    }
    ratios: dict[str, list[float]] = {"html": [], "text": []}
    rates, loads = [], []
    for _ in range(RUNS):
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(ROUNDS):
            for kind, run in runs.items():
                best[kind] = min(best[kind], _seconds(run))
        rate = {
            kind: (len(text) if kind == "text" else n) / seconds for kind, seconds in best.items()
        }
        for kind in ratios:
            ratios[kind].append(rate["lxml"] / rate[kind])
        rates.append(rate)
        loads.append(os.getloadavg()[0])
    rate = rates[sorted(range(RUNS), key=ratios["html"].__getitem__)[RUNS // 2]]
    html_kb = sum(len(c.body.encode()) for c in html) / n / 1024
    text_kb = sum(len(c.body.encode()) for c in text) / n / 1024
    lines = [
        f"normalization, {n} report pages with HTML tables (main HTML {html_kb:.0f} KB, text "
        f"{text_kb:.0f} KB on average; {len(text)} texts incl. attached reports), CPU, best of "
        f"{ROUNDS} rounds, {RUNS} runs (load {min(loads):.1f}-{max(loads):.1f})",
        f"  {'lxml.html.fromstring of the same HTML':<45} {rate['lxml']:8.1f} pages/s",
    ]
    for kind, label in (
        ("html", "normalize_html (main HTML)"),
        ("text", "normalize_text (extracted text)"),
    ):
        r = ratios[kind]
        goal = "  (goal: at most 2)" if kind == "html" else ""
        lines.append(
            f"  {label:<45} {rate[kind]:8.1f} reports/s  cost / lxml: min {min(r):.2f} / "
            f"median {statistics.median(r):.2f} / max {max(r):.2f}{goal}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    from simulator import Simulator

    with Simulator().running() as live:
        print(summary(live))
