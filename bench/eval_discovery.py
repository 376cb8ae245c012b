"""Discovery scored on generated portals (simulator/procedural/): recall, precision, years,
pages fetched per report, and every failing seed, so a case can be replayed.

    python -m bench.eval_discovery                    # 300 fresh random seeds
    python -m bench.eval_discovery --seeds 0-29       # fixed seeds
    python -m bench.eval_discovery --seeds 17 -v      # one seed, with what was missed

The crawl is ``scrapy crawl portal`` as a user runs it (a subprocess, crawler only: no
pipelines), over the portals' roots, a batch of seeds per crawl.  A report counts as found
when an item's URL is the report's or one of its aliases (a copy, a redirect); an item that
is none of them is a false positive.  A year is right when the item's ``evidence.year`` is
the report's year, or is unread (``None``) and the extraction pipeline reads it later.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.command import LOOPBACK, portal_crawl

ROOT = Path(__file__).resolve().parent.parent
#: The floors on the 30 generated portals of seeds 0-29 (`make floors`, and
#: tests/crawler/test_spider_generated.py): recall over all seeds, and at most this many items
#: that are not reports.
MIN_RECALL = 0.95
MAX_FALSE = 2
CRAWLER_ONLY = {
    "ITEM_PIPELINES": "{}",
    "EXTENSIONS": "{}",
    "FEED_EXPORT_FIELDS": "url,portal,list_title,evidence,aliases",
}


@dataclass
class SeedScore:
    seed: int
    reports: int = 0
    found: int = 0
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong_year: list[str] = field(default_factory=list)
    duplicates: int = 0
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not (self.false or self.missed or self.wrong_year or self.duplicates)


def parse_seeds(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        if "-" in part.strip("-"):
            lo, hi = part.split("-", 1)
            out += range(int(lo), int(hi) + 1)
        elif part.strip():
            out.append(int(part))
    return out


def crawl(
    roots: list[str],
    out_dir: Path,
    settings: dict | None = None,
    timeout: int = 3600,
    stop_when: Callable[[], bool] | None = None,
) -> tuple[list[dict], str]:
    """``scrapy crawl portal`` over ``roots``; the items and the log.  ``stop_when``, asked every
    second, ends the crawl the way Ctrl-C does (the bench's baseline, once it has seen enough)."""
    feed = out_dir / "items.jsonl"
    merged = {
        "STORE_URI": f"file://{out_dir / 'store'}",
        "STATE_DIR": str(out_dir / "state"),
        **LOOPBACK,
        "CONCURRENT_REQUESTS": "32",
        "BACKOFF_BASE_DELAY": "0.5",
        "BACKOFF_MAX_DELAY": "2",
        "LOG_LEVEL": "INFO",
        "ROBOTSTXT_OBEY": "True",
        **CRAWLER_ONLY,
        **(settings or {}),
    }
    cmd = portal_crawl(",".join(roots), "-O", str(feed), settings=merged)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / "crawl.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + timeout
        stopping = False
        while proc.poll() is None:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"crawl timed out after {timeout} s; its log: {log_path}")
            if not stopping and stop_when is not None and stop_when():
                proc.send_signal(signal.SIGINT)  # a graceful close: the feed is written
                stopping = True
                deadline = min(deadline, time.monotonic() + 120)
            time.sleep(1)
    stderr = log_path.read_text(encoding="utf-8", errors="replace")
    # 4 (a portal blocked or empty throughout) and 7 (a monitor failed) are findings the scores
    # show, not a broken crawl (crawler/exitcodes.py); a crawl stopped here says 6 (shutdown)
    if proc.returncode not in (0, 4, 7) and not (stopping and proc.returncode in (1, 6, -2)):
        raise RuntimeError(f"crawl failed ({proc.returncode}): {stderr[-2000:]}")
    items = (
        [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line]
        if feed.exists()
        else []
    )
    return items, stderr


def score_seeds(live, items: list[dict], requests_by_portal: dict[str, int]) -> list[SeedScore]:
    by_root = {p.root_url.rstrip("/"): p for p in live.portals}
    scores: dict[str, SeedScore] = {
        p.name: SeedScore(int(p.name.split(":")[1])) for p in live.portals
    }
    truth_of: dict[str, object] = {}
    for r in live.reports:
        scores[r.portal].reports += 1
        for url in (r.url, *getattr(r, "aliases", ())):
            truth_of[url] = r
    found: dict[str, set[str]] = {}
    for item in items:
        root = next(
            (k for k in by_root if item["url"].startswith(k + "/") or item["url"] == k), None
        )
        portal = by_root[root].name if root else None
        truth = truth_of.get(item["url"]) or next(
            (truth_of[a] for a in item.get("aliases") or [] if a in truth_of), None
        )
        if truth is None:
            if portal:
                scores[portal].false.append(item["url"])
            continue
        s = scores[truth.portal]
        if truth.url in found.setdefault(truth.portal, set()):
            s.duplicates += 1
            continue
        found[truth.portal].add(truth.url)
        s.found += 1
        year = (item.get("evidence") or {}).get("year")
        if year is not None and year != truth.report_year:
            s.wrong_year.append(f"{item['url']} read {year}, is {truth.report_year}")
    for r in live.reports:
        if r.url not in found.get(r.portal, set()):
            scores[r.portal].missed.append(r.url)
    for name, s in scores.items():
        s.pages = requests_by_portal.get(name, 0)
    return sorted(scores.values(), key=lambda s: s.seed)


def requests_per_portal(live, since: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rec in live.requests[since:]:
        counts[rec.portal] = counts.get(rec.portal, 0) + 1
    return counts


def _evaluate_batch(chunk: list[int], settings: dict | None) -> list[SeedScore]:
    from simulator import Simulator
    from simulator.procedural import generated_portals

    with (
        Simulator(portals=generated_portals(chunk)).running() as live,
        tempfile.TemporaryDirectory(prefix="nianbao-eval-") as tmp,
    ):
        before = len(live.requests)
        items, _ = crawl([p.root_url for p in live.portals], Path(tmp), settings)
        return score_seeds(live, items, requests_per_portal(live, before))


def evaluate(
    seeds: list[int], batch: int = 30, settings: dict | None = None, jobs: int = 1
) -> list[SeedScore]:
    """Crawl ``seeds`` in batches of ``batch`` portals, ``jobs`` crawls at a time (each with its
    own simulator); progress goes to stderr, one line per batch."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    chunks = [seeds[i : i + batch] for i in range(0, len(seeds), batch)]
    out: list[SeedScore] = []
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(_evaluate_batch, chunk, settings) for chunk in chunks]
        for done, future in enumerate(as_completed(futures), 1):
            scores = future.result()
            out += scores
            failing = [s.seed for s in scores if not s.ok]
            sys.stderr.write(
                f"batch {done}/{len(chunks)} done at {time.monotonic() - started:.0f} s: "
                f"{sum(s.found for s in scores)}/{sum(s.reports for s in scores)} "
                f"found, failing {failing or 'none'}\n"
            )
    return sorted(out, key=lambda s: s.seed)


def report(scores: list[SeedScore], verbose: bool = False) -> str:
    reports = sum(s.reports for s in scores)
    found = sum(s.found for s in scores)
    false = sum(len(s.false) for s in scores)
    pages = sum(s.pages for s in scores)
    years = sum(len(s.wrong_year) for s in scores)
    lines = [
        f"generated portals: {len(scores)}, reports {reports}",
        f"  recall     {found / reports if reports else 1:.4f}  ({found} of {reports})",
        f"  precision  {found / (found + false) if found + false else 1:.4f}  ({false} false "
        "positives)",
        f"  years      {years} wrong",
        (
            f"  pages fetched per report found: {pages / found if found else float('nan'):.1f}"
            f"  ({pages} pages)"
        ),
    ]
    failing = [s for s in scores if not s.ok]
    lines.append(
        f"  failing seeds ({len(failing)}): " + (" ".join(str(s.seed) for s in failing) or "none")
    )
    for s in failing:
        lines.append(
            f"    seed {s.seed}: {s.found}/{s.reports} found, {len(s.false)} false, "
            f"{len(s.wrong_year)} wrong years, {s.duplicates} twice"
            f"  (replay: python -m bench.eval_discovery --seeds {s.seed} -v)"
        )
        if verbose:
            lines += [f"      missed {u}" for u in s.missed[:20]]
            lines += [f"      false  {u}" for u in s.false[:20]]
            lines += [f"      year   {u}" for u in s.wrong_year[:20]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", help="e.g. 0-29 or 3,17,40-45 (default: --count fresh random seeds)")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--batch", type=int, default=30, help="portals per crawl")
    ap.add_argument("--jobs", type=int, default=2, help="crawls at a time")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a crawl setting (e.g. DISCOVERY_EXPLORE=empty)",
    )
    ap.add_argument(
        "--min-recall",
        type=float,
        metavar="R",
        help="a floor: exit 1 only if recall over all seeds is below R (or --max-false "
        "is passed), not on every failing seed",
    )
    ap.add_argument(
        "--max-false",
        type=int,
        metavar="N",
        help="a ceiling: exit 1 if more than N items are not reports",
    )
    ap.add_argument(
        "--floors",
        action="store_true",
        help=f"the pinned floors: --min-recall {MIN_RECALL} --max-false {MAX_FALSE}",
    )
    args = ap.parse_args(argv)
    if args.floors:
        args.min_recall, args.max_false = MIN_RECALL, MAX_FALSE
    seeds = (
        parse_seeds(args.seeds)
        if args.seeds
        else random.SystemRandom().sample(range(10**6), args.count)
    )
    started = time.monotonic()
    scores = evaluate(seeds, args.batch, dict(kv.split("=", 1) for kv in args.set), args.jobs)
    print(report(scores, args.verbose))
    print(
        f"  wall time  {time.monotonic() - started:.0f} s for {len(seeds)} portals "
        f"({args.batch} per crawl, {args.jobs} at a time)"
    )
    if args.min_recall is None and args.max_false is None:
        return 0 if all(s.ok for s in scores) else 1
    return gate(scores, args.min_recall, args.max_false)


def gate(scores: list[SeedScore], min_recall: float | None, max_false: int | None) -> int:
    """1 when recall fell below its floor or the false positives rose above their ceiling."""
    reports = sum(s.reports for s in scores)
    recall = sum(s.found for s in scores) / reports if reports else 1.0
    false = sum(len(s.false) for s in scores)
    failed = []
    if min_recall is not None and recall < min_recall:
        failed.append(f"recall {recall:.4f} is below its floor {min_recall}")
    if max_false is not None and false > max_false:
        failed.append(f"{false} false positives, more than the ceiling {max_false}")
    for line in failed:
        print(f"FLOOR: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
