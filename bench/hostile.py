"""The 50 MB page against the rest of the crawl (issue 11): the simulator's counties and a
hostile portal crawled with and without a 50 MB report page, alternating; the time by which
every other report is scraped must stay within 10% of the crawl without the page.

    python -m bench.hostile [--rounds N] [--mb 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

from bench.command import LOOPBACK, portal_crawl
from simulator import Simulator
from simulator.faults import hostile_portal

ROOT = Path(__file__).resolve().parent.parent


def _extensions() -> dict:
    """The project's extensions and the item clock (the WARC writer is a pipeline now)."""
    from crawler import settings

    return {**settings.EXTENSIONS, "bench.item_clock.ItemClock": 900}


def crawl(urls: list[str], tmp: Path) -> dict:
    clock = tmp / "clock.json"
    settings = {
        "STORE_URI": f"file://{tmp / 'store'}",
        "STATE_DIR": tmp / "state",
        **LOOPBACK,
        "LOG_LEVEL": "WARNING",
        "EXTENSIONS": json.dumps(_extensions()),
        "ITEM_CLOCK_FILE": clock,
    }
    cmd = portal_crawl(",".join(urls), settings=settings)
    subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=3600)
    return json.loads(clock.read_text())


def rest_done(run: dict, big_url: str) -> float:
    """Seconds until the last item other than the big page was scraped."""
    return max(t for url, t in run["items"] if url != big_url)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--mb", type=int, default=50)
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {"without": [], "with": []}
    big_seconds = []
    with (
        Simulator().running() as live,
        hostile_portal(faults=("big",), big_page_bytes=args.mb * 1024 * 1024) as portal,
        hostile_portal(faults=()) as plain,
    ):
        counties = [p.root_url for p in live.portals]
        big_url = portal.root_url + "nb/big.html"
        for _ in range(args.rounds):
            for kind, extra in (("without", plain.root_url), ("with", portal.root_url)):
                with tempfile.TemporaryDirectory() as tmp:
                    run = crawl([*counties, extra], Path(tmp))
                times[kind].append(rest_done(run, big_url))
                if kind == "with":
                    big_seconds.append(
                        next((t for u, t in run["items"] if u == big_url), float("nan"))
                    )
    without, with_big = statistics.median(times["without"]), statistics.median(times["with"])
    print(
        f"a {args.mb} MB report page in the crawl (simulator counties + a hostile portal), "
        f"median of {args.rounds} rounds"
    )
    print(
        f"  every other report scraped after   {without:7.1f} s without the page, {with_big:7.1f} "
        "s with it"
    )
    print(f"  ratio with / without: {with_big / without:.2f}  (goal: at most 1.10)")
    print(
        f"  the big page's own item after      {statistics.median(big_seconds):7.1f} s "
        "(archived whole, parsed up to MAX_PAGE_BYTES in the child process)"
    )


if __name__ == "__main__":
    main()
