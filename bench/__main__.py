"""Crawl the portal simulator with politeness off, once with the full pipeline and once with
a bare link-following spider, alternating, and print pages per second and their ratio."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import extract
from simulator import Simulator

ROUNDS = 3


def crawl(kind: str, url: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-m", "bench.run_crawl", kind, "--url", url, "--out", out.name],
                       check=True, cwd=Path(__file__).resolve().parent.parent)
        return json.loads(Path(out.name).read_text())


def main() -> None:
    runs: dict[str, list[dict]] = {"bare": [], "full": []}
    with Simulator().running() as live:
        url = ",".join(p.root_url for p in live.portals)
        for _ in range(ROUNDS):
            for kind in runs:
                runs[kind].append(crawl(kind, url))
        extraction = extract.summary(live)
    rate = {kind: statistics.median(r["pages"] / r["seconds"] for r in rs) for kind, rs in runs.items()}
    print(f"crawl throughput, politeness off, median of {ROUNDS} rounds on the portal simulator")
    for kind, label in (("bare", "bare link-following spider"), ("full", "full pipeline (extract, archive, normalize)")):
        last = runs[kind][-1]
        print(f"  {label:<45} {rate[kind]:8.1f} pages/s  ({last['pages']} pages, {last['items']} items)")
    print(f"  ratio full / bare: {rate['full'] / rate['bare']:.2f}")
    print(extraction)


if __name__ == "__main__":
    main()
