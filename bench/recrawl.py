"""Re-crawl cost: an unchanged re-crawl of the simulator against the first crawl, in the same
run (wall time and body bytes over the wire; targets: at most 1/5 of the time, 10% of the
bytes), then a re-crawl after 5 new, 3 edited and 2 removed reports, which must report
exactly those.  `python -m bench.recrawl`, and part of `make bench`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator import Simulator

ROOT = Path(__file__).resolve().parent.parent
UNTHROTTLED = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
               "LOG_LEVEL": "ERROR"}


def crawl(url: str, tmp: Path, name: str) -> tuple[float, dict, list[dict]]:
    feed = tmp / f"{name}.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"url={url}", "-O", str(feed),
           "-s", f"STORE_URI=file://{tmp / 'store'}", "-s", f"STATE_DIR={tmp / 'state'}"]
    for key, value in UNTHROTTLED.items():
        cmd += ["-s", f"{key}={value}"]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    runs = sorted((tmp / "store" / "runs").iterdir())
    summary = json.loads((runs[-1] / "summary.json").read_text(encoding="utf-8"))
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line]
    return seconds, summary, items


def _bytes(summary: dict) -> int:
    return sum(p["bytes"] for p in summary["portals"].values())


def main() -> int:
    sim = Simulator()
    with sim.running() as live, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = ",".join(p.root_url for p in live.portals)
        t1, first, _ = crawl(url, tmp, "first")
        t2, second, _ = crawl(url, tmp, "unchanged")
        changes = sim.change(added=5, edited=3, removed=2, seed=0)
        _, third, items = crawl(url, tmp, "changed")
        expected = {kind: {live.url_of(p, path) for p, path in getattr(changes, kind)}
                    for kind in ("added", "edited", "removed")}
    b1, b2 = _bytes(first), _bytes(second)
    c1, c2 = first["elapsed_seconds"], second["elapsed_seconds"]
    print("re-crawl of the unchanged simulator vs the first crawl, same run "
          "(wall: the whole process; crawl: spider opened to closed)")
    print(f"  first crawl      wall {t1:6.1f} s  crawl {c1:6.1f} s  {b1:>10} bytes  "
          f"{first['pages_fetched']} pages, {first['reports']} reports")
    print(f"  unchanged again  wall {t2:6.1f} s  crawl {c2:6.1f} s  {b2:>10} bytes  "
          f"{second['recrawl']['not_modified']} not modified, {second['recrawl']['reused']} reports reused")
    time_ok, bytes_ok = c2 <= c1 / 5, b2 <= b1 / 10
    print(f"  time ratio {c2 / c1:.2f} crawl, {t2 / t1:.2f} wall (target <= 0.20 for the crawl: "
          f"{'met' if time_ok else 'NOT met'}); bytes ratio {b2 / b1:.3f} (target <= 0.10: "
          f"{'met' if bytes_ok else 'NOT met'})")
    got = {"added": {i["url"] for i in items if i["change"] == "new"},
           "edited": {i["url"] for i in items if i["change"] == "changed"},
           "removed": {g["url"] for g in third["gone"]}}
    exact = got == expected
    print(f"  after 5 added, 3 edited, 2 removed: {len(got['added'])} new, {len(got['edited'])} changed, "
          f"{len(got['removed'])} gone ({'exactly those' if exact else 'NOT those: ' + repr(got)})")
    return 0 if exact and bytes_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
