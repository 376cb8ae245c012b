"""Pages a discovery crawl fetches on generated portals, next to a full breadth-first crawl of
the same portals at the same recall, measured in the same run.

The breadth-first crawl is the same spider with ``DISCOVERY_BREADTH_FIRST`` on, a naive
crawler with dedup: every in-scope link of every kind followed once, in order of depth, no
score, nothing held back, pagers and traps followed to the end, judged by the same page-kind
decision.  It is stopped once every portal has met discovery's recall (or asked ``BFS_CAP``
pages): what it would ask for after that does not enter the figure.  "At the same recall": for
each portal, the pages the breadth-first crawl had asked for (counted by the simulator, in the
order requests arrived) when it had met as many of the portal's reports as discovery found; if
it never got there, all of its pages.  Target (issue 9): discovery at most a third.

    python -m bench.discovery_bench [--seeds 0-29]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.eval_discovery import crawl, parse_seeds, requests_per_portal, score_seeds


def _pages_to_reach(live, portal: str, since: int, wanted: int) -> tuple[int, int]:
    """(requests the portal answered until ``wanted`` of its reports had been asked for, reports
    met in the whole crawl)."""
    root = next(p.root_url for p in live.portals if p.name == portal).rstrip("/")
    spellings = {u: r.url for r in live.reports if r.portal == portal for u in (r.url, *r.aliases)}
    met: set[str] = set()
    pages = 0
    reached = None
    for rec in live.requests[since:]:
        if rec.portal != portal:
            continue
        pages += 1
        url = root + rec.path
        if url in spellings:
            met.add(spellings[url])
            if reached is None and len(met) >= wanted:
                reached = pages
    return (reached if reached is not None else pages), len(met)


#: pages per portal the breadth-first crawl may ask for (a portal that has not met discovery's
#: recall by then is counted at this many pages, and listed)
BFS_CAP = 1500


class _Watch:
    """Reads the simulator's request log as it grows: per portal, pages asked and reports met;
    done when every portal has met its target or asked ``cap`` pages."""

    def __init__(self, live, since: int, targets: dict[str, int], cap: int):
        self.live, self.at, self.targets, self.cap = live, since, targets, cap
        self.roots = {p.name: p.root_url.rstrip("/") for p in live.portals}
        self.spellings = {u: r.url for r in live.reports for u in (r.url, *r.aliases)}
        self.pages: dict[str, int] = {}
        self.met: dict[str, set[str]] = {}

    def __call__(self) -> bool:
        records = self.live.requests
        for rec in records[self.at : len(records)]:
            self.at += 1
            self.pages[rec.portal] = self.pages.get(rec.portal, 0) + 1
            report = self.spellings.get(self.roots.get(rec.portal, "") + rec.path)
            if report is not None:
                self.met.setdefault(rec.portal, set()).add(report)
        return all(
            len(self.met.get(name, ())) >= want or self.pages.get(name, 0) >= self.cap
            for name, want in self.targets.items()
        )


def run(seeds: list[int]) -> str:
    from simulator import Simulator
    from simulator.procedural import generated_portals

    fast = {"BACKOFF_MAX_DELAY": "2"}
    with (
        Simulator(portals=generated_portals(seeds)).running() as live,
        tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp,
    ):
        roots = [p.root_url for p in live.portals]
        start = len(live.requests)
        items, _ = crawl(roots, Path(tmp) / "discovery", fast)
        scores = score_seeds(live, items, requests_per_portal(live, start))
        middle = len(live.requests)
        # the baseline follows every link to the end; it is stopped once every portal has met
        # discovery's recall (what it asks for after that does not enter the figure)
        watch = _Watch(live, middle, {f"generated:{s.seed}": s.found for s in scores}, BFS_CAP)
        crawl(
            roots,
            Path(tmp) / "bfs",
            {**fast, "DISCOVERY_BREADTH_FIRST": "True", "DISCOVERY_PAGE_BUDGET": str(BFS_CAP)},
            stop_when=watch,
        )
        bfs_total = requests_per_portal(live, middle)
        # what no crawler can go below: every report page once, and the 附件 files it links
        least = sum(1 + len(r.attachments) for r in live.reports)
        rows = []
        own: dict[int, int] = {}
        for s in scores:
            name = f"generated:{s.seed}"
            at_recall, bfs_met = _pages_to_reach(live, name, middle, s.found)
            rows.append((s, at_recall, bfs_total.get(name, 0), bfs_met))
            # discovery's own pages until it had met every report it found (the rest of its
            # crawl is the search for reports that may still be missing)
            own[s.seed] = min(_pages_to_reach(live, name, start, s.found)[0], s.pages)
    found = sum(s.found for s, *_ in rows)
    reports = sum(s.reports for s, *_ in rows)
    disc = sum(s.pages for s, *_ in rows)
    bfs_same = sum(r[1] for r in rows)
    bfs_all = sum(r[2] for r in rows)
    bfs_met = sum(r[3] for r in rows)
    lines = [
        f"discovery vs breadth-first on {len(rows)} generated portals (same run)",
        f"  discovery      {disc:6d} pages, recall {found / reports:.3f} ({found}/{reports})",
        (
            f"  breadth-first  {bfs_same:6d} pages to the same recall "
            f"({bfs_all} in all, recall {bfs_met / reports:.3f})"
        ),
        (
            f"  ratio discovery / breadth-first at the same recall: {disc / bfs_same:.2f}"
            f"  (target <= 0.33)"
        ),
        (
            f"  discovery's pages until its last report: {sum(own.values())} "
            f"(ratio {sum(own.values()) / bfs_same:.2f} to breadth-first at the same recall)"
        ),
        (
            f"  the reports' own pages and files: {least} requests (ratio {least / bfs_same:.2f}:"
            f" no crawler that finds them all goes below it on these portals)"
        ),
    ]
    short = [(s, same, total, met) for s, same, total, met in rows if met < s.found]
    if short:
        lines.append(
            f"  portals where breadth-first did not meet discovery's recall within "
            f"{BFS_CAP} pages ({len(short)}; all their pages counted):"
        )
        lines += [
            f"    seed {s.seed}: discovery {s.found} reports in {s.pages} pages, breadth-first "
            f"{met} in {total}"
            for s, same, total, met in short
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0-29")
    args = ap.parse_args(argv)
    print(run(parse_seeds(args.seeds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
