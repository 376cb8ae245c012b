"""Coverage benchmarks of issue 3: (1) pages per second of a crawl of every simulator portal
(the two skeleton counties and the whole fixture matrix, hostile variants included) with the
politeness delay at zero, crawler only; (2) the peak memory of a crawl that renders 500 pages
in the browser (python + the Playwright driver + chromium, summed RSS of the process tree,
sampled every 0.1 s, also as PSS), with the browser restarted every BROWSER_RESTART_EVERY pages.

    python -m bench.browser            (make bench runs it after the other figures)
"""

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
RENDERED = 500


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo += children.get(p, [])
    return tree


def _tree_rss(pid: int) -> tuple[int, int]:
    """Summed RSS and summed PSS in bytes of ``pid`` and all its descendants.
    RSS counts pages shared by chromium's processes once per process; PSS splits them."""
    rss = pss = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
        except OSError:
            pass
    return rss, pss


def _run(args: list[str]) -> tuple[dict, tuple[int, int]]:
    """Run ``python -m bench.browser_crawl ARGS``; return its stats and the peak tree RSS and
    PSS."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.browser_crawl", *args, "--out", out.name], cwd=ROOT
        )
        peak_rss = peak_pss = 0
        while proc.poll() is None:
            rss, pss = _tree_rss(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            time.sleep(0.1)
        if proc.returncode:
            raise SystemExit(
                f"bench.browser_crawl {' '.join(args)} failed with exit code {proc.returncode}"
            )
        return json.loads(Path(out.name).read_text()), (peak_rss, peak_pss)


def main() -> None:
    with Simulator(portals="all").running() as live:
        roots = ",".join(p.root_url for p in live.portals)
        stats, _ = _run(["crawl", "--url", roots])
        print(
            f"coverage crawl of every simulator portal ({len(live.portals)}), politeness delay 0, "
            "crawler only"
        )
        print(
            f"  {stats['pages'] / stats['seconds']:8.1f} pages/s  ({stats['pages']} pages, "
            f"{stats['items']} reports of {len(live.reports)} in the ground truth, "
            f"{stats['rendered']} rendered in the browser)"
        )
        target = live.portal("hostile-rs412").root_url
        stats, peak = _run(["render", "--url", target, "--pages", str(RENDERED)])
        before, before_peak = _run(
            ["render", "--url", target, "--pages", str(RENDERED), "--before-issue-15"]
        )
    print(
        f"browser: {stats['rendered']} pages rendered through chromium (JS challenge portal), "
        f"restart every {stats['restart_every']} pages"
    )
    print(
        f"  {stats['rendered'] / stats['seconds']:8.1f} pages/s rendered, peak memory "
        f"{peak[0] / 2**20:.0f} MiB summed RSS, {peak[1] / 2**20:.0f} MiB PSS "
        f"(python + driver + chromium; goal < 1024 MiB RSS), {stats['restarts']} browser restarts"
    )
    print(
        "  same run, the browser settings before issue 15 (a process per renderer and service, "
        "contexts unbounded): "
        f"{before['rendered'] / before['seconds']:.1f} pages/s, {before_peak[0] / 2**20:.0f} MiB "
        f"summed RSS, {before_peak[1] / 2**20:.0f} MiB PSS"
    )


if __name__ == "__main__":
    main()
