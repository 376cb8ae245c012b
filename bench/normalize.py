"""Normalization cost alone: reports normalized per second from the simulator's report pages
(their main HTML, and their extracted text), against parsing the same HTML with
``lxml.html.fromstring`` in the same run; best of a few rounds, the three interleaved."""
from __future__ import annotations

import time

import lxml.html

from reports.normalize import normalize_html, normalize_text

from .normalize_corpus import simulator_cases

ROUNDS = 5


def _seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def summary(live) -> str:
    html, text = simulator_cases(live)
    html = [c for c in html if c.kind == "html"]  # a page that only links its PDF has no tables in HTML
    n = len(html)
    runs = {
        "lxml": lambda: [lxml.html.fromstring(c.body) for c in html],
        "html": lambda: [normalize_html(c.body, source=c.source, title=c.title, meta=c.meta) for c in html],
        "text": lambda: [normalize_text(c.body, source=c.source, title=c.title, meta=c.meta) for c in text],
    }
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(ROUNDS):
        for kind, run in runs.items():
            best[kind] = min(best[kind], _seconds(run))
    rate = {kind: (len(text) if kind == "text" else n) / seconds for kind, seconds in best.items()}
    html_kb = sum(len(c.body.encode()) for c in html) / n / 1024
    text_kb = sum(len(c.body.encode()) for c in text) / n / 1024
    lines = [f"normalization, {n} report pages with HTML tables (main HTML {html_kb:.0f} KB, text {text_kb:.0f} KB "
             f"on average; {len(text)} texts incl. attached reports), "
             f"best of {ROUNDS} rounds",
             f"  {'lxml.html.fromstring of the same HTML':<45} {rate['lxml']:8.1f} pages/s"]
    for kind, label in (("html", "normalize_html (main HTML)"), ("text", "normalize_text (extracted text)")):
        lines.append(f"  {label:<45} {rate[kind]:8.1f} reports/s  ratio to lxml {rate[kind] / rate['lxml']:.3f}"
                     f" (lxml parses {rate['lxml'] / rate[kind]:.1f}x as many pages)")
    return "\n".join(lines)


if __name__ == "__main__":
    from simulator import Simulator

    with Simulator().running() as live:
        print(summary(live))
