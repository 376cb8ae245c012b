"""A polite crawl (the project's 1 s per host, its ±50% jitter, AutoThrottle) of 16 generated
simulator portals, each on its own port of 127.0.0.1: requests per second with Scrapy's default
priority queue and with the project's (DownloaderAwarePriorityQueue), alternating, against the
ceiling of 16 hosts / delay.  Each crawl is stopped after a fixed time (the portals outlast it).

The jitter is on, as in a real crawl: the project's download slots draw it once per gap between
two requests (crawler/downloader.py), so it spreads the gaps without lengthening them."""

from __future__ import annotations

import os
import statistics
from collections import Counter

from bench.run_crawl import crawl
from simulator import Simulator, generated_portals

HOSTS = 16
SECONDS = 20.0
ROUNDS = 3
QUEUES = {
    "default": "scrapy.pqueues.ScrapyPriorityQueue",
    "project": "scrapy.pqueues.DownloaderAwarePriorityQueue",
}


def _figures(run: dict, delay: float) -> tuple[float, int]:
    """Requests per second in the window, and the hosts that were busy (at least half the
    per-host ceiling of 1 / delay)."""
    busy = sum(1 for n in run["per_slot"].values() if n / run["window"] >= 0.5 / delay)
    return sum(run["per_slot"].values()) / run["window"], busy


def open_portals(n: int, pages: int = 60) -> list[str]:
    """The first n generated portals without a wall (a ban or a challenge would measure the
    wall, not the queue), with enough pages to outlast the crawl, and whose root the bare
    spider can walk: it follows <a href> only, so a frameset root is a dead end for it (two of
    the first 16 were: they stayed idle whatever the queue, and held the rate at 0.78)."""
    with Simulator(portals=generated_portals(range(6 * n))).running() as live:
        size = Counter(r.portal for r in live.reports) + Counter(
            p.name for p in live.portals for u in live.non_reports if u.startswith(p.root_url)
        )
        return [
            name
            for name, drawn in live.constructions.items()
            if drawn.get("wall") == "none"
            and drawn.get("root") != "frameset"
            and size[name] >= pages
        ][:n]


def summary(rounds: int = ROUNDS, seconds: float = SECONDS) -> str:
    from scrapy.utils.project import get_project_settings

    delay = get_project_settings().getfloat("DOWNLOAD_DELAY")
    runs: dict[str, list[tuple[float, int]]] = {q: [] for q in QUEUES}
    seeds = [int(name.rpartition(":")[2]) for name in open_portals(HOSTS)]
    with Simulator(portals=generated_portals(seeds)).running() as live:
        url = ",".join(p.root_url for p in live.portals)
        for _ in range(rounds):
            for name, cls in QUEUES.items():
                run = crawl(
                    "bare",
                    url,
                    "--polite",
                    str(seconds),
                    "-s",
                    f"SCHEDULER_PRIORITY_QUEUE={cls}",
                    "-s",
                    "BACKOFF_MAX_DELAY=5",
                )
                runs[name].append(_figures(run, delay))
    ceiling = HOSTS / delay
    lines = [
        f"polite crawl of {HOSTS} simulator portals ({delay:g} s per host, {seconds:g} s each, "
        f"{rounds} rounds): requests/s min / median / max, hosts busy; ceiling {ceiling:.1f}/s; "
        f"load {os.getloadavg()[0]:.1f}"
    ]
    for name, label in (
        ("default", "Scrapy's default queue"),
        ("project", "DownloaderAwarePriorityQueue"),
    ):
        rates = sorted(r for r, _ in runs[name])
        busy = statistics.median(b for _, b in runs[name])
        lines.append(
            f"  {label:<32} {rates[0]:5.1f} / {statistics.median(rates):5.1f} / {rates[-1]:5.1f}"
            f"  {busy:g}/{HOSTS} busy  ({statistics.median(rates) / ceiling:.2f} of ceiling)"
        )
    ratio = statistics.median(r for r, _ in runs["project"]) / statistics.median(
        r for r, _ in runs["default"]
    )
    lines.append(
        f"  ratio project / default: {ratio:.2f}  (goal: project >= 0.8 of ceiling); "
        f"load {os.getloadavg()[0]:.1f}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
