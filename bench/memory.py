"""Memory of a crawl of 20 portals with hostile pages (issue 11 item 4): the simulator's 19
portals (the counties, every family and GBK variant, the six walls of simulator/hostile.py) and
the hostile portal of simulator/faults.py (out-of-scope redirects and endpoints, absurd counts,
a browser page, a gzip bomb, slowloris, an endless body, bad encodings, a big page).

    python -m bench.memory [--big-mb 50]          (part of `make bench`)

Printed: the crawl process's RSS at start-up (Scrapy's ``memusage/startup``, taken when the
engine starts) and its peak (the kernel's VmHWM, read from /proc while it runs; the child
processes, chromium and the converter workers, are counted apart), against the ceiling the
crawl runs under, ``MEMUSAGE_LIMIT_MB`` (crawler/settings.py): past it Scrapy's MemoryUsage
extension stops the crawl (exit status 6).  Exits 1 when the peak is over the ceiling or the
crawl did not finish.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.command import LOOPBACK, portal_crawl
from crawler import settings as defaults

ROOT = Path(__file__).resolve().parent.parent
FAST = {
    **LOOPBACK,
    "LOG_LEVEL": "INFO",
    "MONITOR_MAX_ERROR_RATIO": "1.0",
    "MONITOR_MAX_BLOCKED_RATIO": "1.0",
}
HOSTILE = ("redirects", "endpoint", "counts", "browser", "big", "bodies")


@dataclass
class Peak:
    startup_mib: float  # memusage/startup
    max_mib: float  # memusage/max (Scrapy's own, sampled once a minute)
    hwm_mib: float  # VmHWM of the crawl process at its last reading
    children_mib: float  # the largest summed RSS of its descendants seen
    seconds: float
    returncode: int
    finish_reason: str
    items: int


def _kib(path: str, field: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children") as fh:
                kids = [int(k) for k in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            kids = []
        out += kids
        todo += kids
    return out


def crawl(urls: list[str], tmp: Path, settings: dict | None = None) -> Peak:
    feed = tmp / "items.jsonl"
    cmd = portal_crawl(
        ",".join(urls),
        "-O",
        str(feed),
        settings={
            **FAST,
            "STORE_URI": f"file://{tmp / 'store'}",
            "STATE_DIR": str(tmp / "state"),
            **(settings or {}),
        },
    )
    log_path = tmp / "log.txt"
    start, hwm, children = time.monotonic(), 0, 0
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=log
        )
        while proc.poll() is None:
            hwm = max(hwm, _kib(f"/proc/{proc.pid}/status", "VmHWM"))
            children = max(
                children, sum(_kib(f"/proc/{k}/status", "VmRSS") for k in _descendants(proc.pid))
            )
            time.sleep(0.2)
    text = log_path.read_text(errors="replace")

    def stat(name: str) -> int:
        match = re.search(rf"'{name}': (\d+)", text)
        return int(match.group(1)) if match else 0

    reason = re.search(r"'finish_reason': '(\w+)'", text)
    items = feed.read_bytes().count(b"\n") if feed.exists() else 0
    return Peak(
        stat("memusage/startup") / 2**20,
        stat("memusage/max") / 2**20,
        hwm / 1024,
        children / 1024,
        time.monotonic() - start,
        proc.returncode,
        reason.group(1) if reason else "?",
        items,
    )


def main(argv: list[str] | None = None) -> int:
    from simulator import Simulator
    from simulator.faults import hostile_portal

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--big-mb", type=int, default=50, help="size of the hostile portal's big page"
    )
    args = parser.parse_args(argv)
    ceiling = defaults.MEMUSAGE_LIMIT_MB
    with (
        Simulator(portals="all").running() as live,
        hostile_portal(faults=HOSTILE, big_page_bytes=args.big_mb * 2**20) as hostile,
        tempfile.TemporaryDirectory() as tmp,
    ):
        urls = [p.root_url for p in live.portals] + [hostile.root_url]
        peak = crawl(urls, Path(tmp))
    print(
        f"memory of a crawl of {len(urls)} portals with hostile pages ({args.big_mb} MB page, "
        f"bomb, slowloris, endless body, absurd counts), {peak.seconds:.0f} s, {peak.items} items, "
        f"finish reason {peak.finish_reason}"
    )
    print(f"  crawl process at start-up (memusage/startup) {peak.startup_mib:8.1f} MiB")
    print(
        f"  crawl process peak RSS (VmHWM)               {peak.hwm_mib:8.1f} MiB  "
        f"(memusage/max {peak.max_mib:.1f} MiB)"
    )
    print(
        f"  ceiling MEMUSAGE_LIMIT_MB                    {ceiling:8d} MiB  "
        f"({'under' if peak.hwm_mib < ceiling else 'OVER'})"
    )
    print(f"  child processes (browser, converters), peak summed RSS {peak.children_mib:.1f} MiB")
    return 0 if peak.hwm_mib < ceiling and peak.finish_reason == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
