"""RunSummary: what a crawl found, per portal and year, and how the reports checked out.

Written to the store as runs/<run_id>/summary.json and logged at the end of every crawl, so an
operator sees at once when a portal yields nothing or its reports stop adding up.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict

from scrapy import signals

from crawler import settings as defaults
from pipelines.store import crawler_storage, crawler_store, in_thread
from storage import keys

from . import exitcodes
from .registry.state import RootWatch
from .runreport import always_log, format_portals, portal_report

logger = logging.getLogger(__name__)


class RunSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        self.reports: dict[str, Counter] = defaultdict(Counter)  # portal -> "year/template" -> n
        self.checks = Counter()  # "passed" / "failed"
        self.failed_rules = Counter()
        self.flagged = 0
        self.items = 0
        self.changes = Counter()  # new / changed / unchanged since each URL's last capture
        # what the crawl learned of each registry entry's root (crawler/registry/state.py)
        self.roots = RootWatch(crawler)

    @property
    def run_id(self) -> str:
        # The crawl's one run id, also on every capture record; looked up late so the store's
        # close (connected when first used) runs after this extension's spider_closed.
        return crawler_storage(self.crawler).run_id

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        ext.roots.connect()
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_scraped(self, item, response=None, spider=None):
        self.items += 1
        self.changes[getattr(item, "change", None) or "unknown"] += 1
        report = item.report or {}
        year = item.report_year if item.report_year is not None else "unknown"
        self.reports[item.portal][f"{year}/{report.get('template', 'unread')}"] += 1
        for check in report.get("checks", []):
            if check.get("ok") is True:
                self.checks["passed"] += 1
            elif check.get("ok") is False:
                self.checks["failed"] += 1
                self.failed_rules[check.get("rule", "?")] += 1
        if item.flags or report.get("flags"):
            self.flagged += 1

    def summary(self, reason: str, spooled: int = 0) -> dict:
        stats = self.crawler.stats.get_stats()
        status, reasons = exitcodes.exit_status(
            reason,
            exitcodes.portal_counts(self.crawler),
            spooled,
            stats.get("nianbao/monitors/results") or [],
        )
        return {
            # what `scrapy crawl` exits with, and why (README: exit codes)
            "exit": {"status": status, "reasons": reasons},
            "run_id": self.run_id,
            "finish_reason": reason,
            "store": self.crawler.settings.get("STORE_URI"),
            "reports": self.items,
            "captures": dict(sorted(self.changes.items())),
            "by_portal": {p: dict(sorted(c.items())) for p, c in sorted(self.reports.items())},
            "checks": {"passed": self.checks["passed"], "failed": self.checks["failed"]},
            "failed_by_rule": dict(sorted(self.failed_rules.items())),
            "reports_flagged": self.flagged,
            "errors": {
                k.rpartition("/")[2]: v for k, v in stats.items() if k.startswith("nianbao/errors/")
            },
            # pages an anti-bot wall answered (challenge, block page, ban), by step; never archived
            "blocked": {
                k.rpartition("/")[2]: v
                for k, v in stats.items()
                if k.startswith("nianbao/blocked/")
            },
            # requests refused as outside their portal (crawler/scope.py), by kind: host, internal …
            "refused": {
                k.rpartition("/")[2]: v
                for k, v in stats.items()
                if k.startswith("nianbao/refused/")
            },
            # portals crawled without obeying robots.txt, with the registry's written reason
            "robots_off": dict(getattr(self.crawler.spider, "robots_off", None) or {}),
            "pages_fetched": stats.get("response_received_count", 0),
            # spool entries that failed their hash check and were set aside (storage/spool.py)
            "spool_corrupt": list(crawler_storage(self.crawler).store.corrupt),
            # every portal of the run with its status and counts, gone reports, re-crawl figures
            **portal_report(self.crawler, reason),
            # the Spidermon suite's results (crawler/monitors.py), when it ran
            "monitors": stats.get("nianbao/monitors/results") or [],
            "monitors_failed": stats.get("nianbao/monitors/failed", 0),
            # per portal: pages by kind, budget used, reports, best candidates left unfetched
            "discovery": _discovery(self.crawler.spider),
        }

    async def spider_closed(self, spider, reason):
        storage = crawler_storage(self.crawler)
        # Whether writes stay spooled decides the exit status: wait for the spool first.
        settings = self.crawler.settings
        wait = (
            0
            if storage.stopping
            else settings.getfloat("STORE_SPOOL_CLOSE_WAIT", defaults.STORE_SPOOL_CLOSE_WAIT)
        )
        spooled = await in_thread(storage.store.drain, wait) if storage.store.pending else 0
        storage.drained = True
        if storage.resumed:  # the reports of the run's earlier sessions count too (exitcodes)
            for portal in getattr(spider, "portal_scopes", None) or {}:
                self.crawler.stats.set_value(
                    f"nianbao/run_reports/{portal}",
                    storage.catalog.run_count(portal, storage.run_id),
                )
        summary = self.summary(reason, spooled)
        self.crawler.stats.set_value("nianbao/run_id", self.run_id)
        self.crawler.stats.set_value("nianbao/exit_status", summary["exit"]["status"])
        self.crawler.stats.set_value("nianbao/exit_reasons", summary["exit"]["reasons"])
        if storage.store.corrupt:
            self.crawler.stats.set_value("nianbao/store/spool_corrupt", len(storage.store.corrupt))
        try:
            crawler_store(self.crawler).put(
                keys.run_summary_key(self.run_id),
                json.dumps(summary, ensure_ascii=False, indent=1).encode("utf-8"),
                "application/json",
            )
        except Exception as exc:
            logger.error("could not write the run summary to %s: %s", summary["store"], exc)
        try:
            path, failed = self.roots.write(self.run_id)
            if failed:
                logger.warning(
                    "%d of %d portal roots failed (%s); `scrapy sites --failed` lists them from %s",
                    len(failed),
                    len(self.roots.roots),
                    ", ".join(failed[:10]) + (" …" if len(failed) > 10 else ""),
                    path,
                )
        except (OSError, ValueError) as exc:
            logger.error("could not write the registry state (REGISTRY_STATE_FILE): %s", exc)
        always_log(self.crawler.settings, "run summary\n%s", format_summary(summary))


def _discovery(spider) -> dict:
    records = getattr(spider, "discovery_records", None)
    return records() if callable(records) else {}


def format_summary(summary: dict) -> str:
    lines = [
        f"run {summary['run_id']} ({summary['finish_reason']}): {summary['reports']} reports, "
        f"{summary['pages_fetched']} pages fetched, store {summary['store']}"
    ]
    for portal, counts in summary["by_portal"].items():
        lines.append(f"  {portal}: {sum(counts.values())} reports")
        for year_template, n in counts.items():
            year, _, template = year_template.partition("/")
            lines.append(f"    {year}  template {template:<8} {n:>4}")
    checks = summary["checks"]
    lines.append(
        f"  checks: {checks['passed']} passed, {checks['failed']} failed"
        + (
            f" ({', '.join(f'{r}: {n}' for r, n in summary['failed_by_rule'].items())})"
            if summary["failed_by_rule"]
            else ""
        )
    )
    lines.append(f"  reports with flags: {summary['reports_flagged']}")
    if summary.get("captures"):
        lines.append(
            "  since the last capture: "
            + ", ".join(f"{n} {change}" for change, n in summary["captures"].items())
        )
    if summary["errors"]:
        lines.append(
            "  errors: " + ", ".join(f"{k}: {v}" for k, v in sorted(summary["errors"].items()))
        )
    if summary.get("blocked"):
        lines.append(
            "  blocked by anti-bot walls: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(summary["blocked"].items()))
        )
    if summary.get("refused"):
        lines.append(
            "  refused out of scope: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(summary["refused"].items()))
        )
    for portal, rec in sorted((summary.get("discovery") or {}).items()):
        pages = ", ".join(f"{k} {v}" for k, v in rec["pages"].items())
        lines.append(
            f"  discovery {portal}: {rec['reports']} reports, {rec['budget_used']} of "
            f"{rec['budget']} requests ({pages}); {rec['unfetched_total']} candidates unfetched"
        )
        explored = rec.get("explored")
        if explored and explored["opened"]:
            lines.append(
                f"    explored {explored['opened']} held links ({explored['requests']} requests):"
                f" {explored['reports']} reports, none in the last {explored['since_report']}"
            )
        for cand in rec["unfetched"][:3]:
            lines.append(f"    unfetched {cand['score']:>3}  {cand['title'][:40]}  {cand['url']}")
    for portal, reason in sorted((summary.get("robots_off") or {}).items()):
        lines.append(f"  robots.txt not obeyed on {portal}: {reason}")
    for entry in summary.get("spool_corrupt") or ():
        lines.append(f"  spool entry set aside: {entry}")
    exit_ = summary.get("exit") or {"status": 0, "reasons": []}
    lines.append(
        f"  exit status {exit_['status']}"
        + (": " + "; ".join(exit_["reasons"]) if exit_["reasons"] else "")
    )
    lines += format_portals(summary)
    for result in summary.get("monitors") or []:
        if not result.get("ok"):
            lines.append(f"  monitor failed: {result['name']}: {result.get('reason', '')}")
    return "\n".join(lines)
