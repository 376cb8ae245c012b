"""The Spidermon suite run at the end of every crawl (SPIDERMON_SPIDER_CLOSE_MONITORS).

Checks, each a Spidermon monitor:

* **item schema**: every item against docs/schemas/item.schema.json, validated by Spidermon's
  ItemValidationPipeline (pipelines/validation.py: its validator built once); its own
  ItemValidationMonitor fails past SPIDERMON_MAX_ITEM_VALIDATION_ERRORS field errors (0);
* **report count**: each portal's reports against its previous run (the last run summary in
  the store that lists the portal, else the catalog's captures of the last run); a drop of
  more than MONITOR_MAX_REPORT_DROP (a share, 0.2) fails;
* **blocked and error ratios**: answers of anti-bot walls and failed requests over all the
  requests of the run, at most MONITOR_MAX_BLOCKED_RATIO (0.1) and MONITOR_MAX_ERROR_RATIO (0.2);
* **portals with no report**: at most MONITOR_MAX_EMPTY_PORTALS (a share of the run's
  portals, 0: any portal without a report fails).

A narrowed crawl (``-a years=``, ``-a since=``/``until=``) looks at part of each portal: the
report-count and no-report checks pass it (crawler/exitcodes.py ``narrowed``).

Results: `RecordResults`, a Spidermon action run when the monitors finish, puts them in the
stats as ``nianbao/monitors/results`` (a list of {name, ok, reason}) and
``nianbao/monitors/failed`` (how many failed), which the run summary carries and the crawl's
exit code reads, and logs each failure at ERROR: the default alert.  Other alerts are
Spidermon's own actions, named in MONITOR_ALERT_ACTIONS and run when a monitor fails, e.g.
``spidermon.contrib.actions.reports.files.CreateFileReport`` (an HTML file, with
SPIDERMON_REPORT_TEMPLATE and SPIDERMON_REPORT_FILENAME),
``spidermon.contrib.actions.email.smtp.SendSmtpEmail`` (SPIDERMON_SMTP_* settings), or the
webhook actions ``spidermon.contrib.actions.slack.notifiers.SendSlackMessageSpiderFinished``
and ``spidermon.contrib.actions.discord.notifiers.SendDiscordMessageSpiderFinished``.
"""

from __future__ import annotations

import json
import logging

from scrapy.utils.misc import load_object
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ItemValidationMonitor
from spidermon.core.actions import Action

from crawler import settings as defaults
from crawler.exitcodes import narrowed
from crawler.runreport import portal_ledger, take_earlier_sessions
from pipelines.store import crawler_storage
from storage import StoreError

logger = logging.getLogger(__name__)

STAT_FAILED = "nianbao/monitors/failed"
STAT_RESULTS = "nianbao/monitors/results"


def previous_found(crawler, portal: str) -> tuple[str, int] | None:
    """(run id, reports found) of the last earlier run of `portal`."""
    storage = crawler_storage(crawler)
    try:
        runs = sorted(
            {k.split("/")[1] for k in storage.store.list("runs/") if k.endswith("/summary.json")},
            reverse=True,
        )
        for run_id in runs:
            if run_id >= storage.run_id:
                continue
            summary = json.loads(storage.store.get(f"runs/{run_id}/summary.json"))
            row = (summary.get("portals") or {}).get(portal)
            if row is not None:
                return run_id, int(row.get("found", 0))
    except (StoreError, KeyError, ValueError) as exc:
        logger.warning(
            "monitors: the store's run summaries could not be read (%s); the catalog is used", exc
        )
    return storage.catalog.previous_run_count(portal, storage.run_id)


class _RunMonitor(Monitor):
    @property
    def crawler(self):
        return self.data.crawler

    @property
    def portals(self) -> dict:
        ledger = portal_ledger(self.crawler)
        take_earlier_sessions(self.crawler, ledger)  # a resumed run: all its sessions
        return {name: counts for name, counts in ledger.counts.items() if name != "unknown"}

    def limit(self, name: str) -> float:
        """The threshold setting ``name``, its default from crawler/settings.py."""
        return self.crawler.settings.getfloat(name, getattr(defaults, name))


@monitors.name("report count against the previous run")
class ReportCountMonitor(_RunMonitor):
    @monitors.name("no portal's report count dropped by more than MONITOR_MAX_REPORT_DROP")
    def test_report_count(self):
        limit = self.limit("MONITOR_MAX_REPORT_DROP")
        if narrowed(self.crawler):
            return  # a backfill or a window finds part of a portal's reports by design
        drops = []
        for name, counts in sorted(self.portals.items()):
            before = previous_found(self.crawler, name)
            if before is None or before[1] == 0:
                continue
            if counts["found"] < before[1] * (1 - limit):
                drops.append(f"{name}: {counts['found']} reports, {before[1]} in run {before[0]}")
        self.assertFalse(
            drops, f"report count dropped by more than {limit:.0%}: " + "; ".join(drops)
        )


@monitors.name("blocked and error ratios")
class RatioMonitor(_RunMonitor):
    def _ratio(self, key: str) -> tuple[float, str]:
        total = sum(c["pages"] + c["errors"] for c in self.portals.values()) or 1
        worst = sorted(((c[key], n) for n, c in self.portals.items() if c[key]), reverse=True)[:5]
        return sum(c[key] for c in self.portals.values()) / total, ", ".join(
            f"{n}: {v}" for v, n in worst
        )

    def _check(self, key: str, setting: str, what: str) -> None:
        limit = self.limit(setting)
        ratio, worst = self._ratio(key)
        self.assertLessEqual(
            ratio, limit, f"{ratio:.1%} of requests {what} (limit {limit:.0%}; {worst})"
        )

    @monitors.name("blocked answers at most MONITOR_MAX_BLOCKED_RATIO of requests")
    def test_blocked_ratio(self):
        self._check("blocked", "MONITOR_MAX_BLOCKED_RATIO", "blocked")

    @monitors.name("failed requests at most MONITOR_MAX_ERROR_RATIO of requests")
    def test_error_ratio(self):
        self._check("errors", "MONITOR_MAX_ERROR_RATIO", "failed")


@monitors.name("portals with no report")
class EmptyPortalMonitor(_RunMonitor):
    # Each portal it names is already a reason of exit status 4 (crawler/exitcodes.py): the
    # exit reasons say it once, the monitors list keeps the result.
    restates = "portal"

    @monitors.name("portals without a report at most MONITOR_MAX_EMPTY_PORTALS of the run's")
    def test_empty_portals(self):
        limit = self.limit("MONITOR_MAX_EMPTY_PORTALS")
        if narrowed(self.crawler):
            return  # nothing published in a window is no fault of the portal
        portals = self.portals
        empty = sorted(n for n, c in portals.items() if c["found"] == 0)
        share = len(empty) / (len(portals) or 1)
        self.assertLessEqual(
            share,
            limit,
            f"{len(empty)} of {len(portals)} portals without a report: " + ", ".join(empty[:20]),
        )


class RecordResults(Action):
    """Spidermon action: the results into the crawl's stats, failures into the log."""

    def run_action(self):
        results = []
        for result in self.result.monitor_results:
            ok = result.status in ("OK", "SKIPPED")
            reason = (
                "" if ok else str(result.reason or result.error or "").strip().splitlines()[-1:]
            )
            if isinstance(reason, list):
                reason = reason[0] if reason else ""
            name = result.monitor.name
            results.append(
                {
                    "name": name,
                    "ok": ok,
                    "status": result.status,
                    "reason": reason,
                    "restates": getattr(result.monitor, "restates", None),
                }
            )
            if not ok:
                logger.error("monitor failed: %s: %s", name, reason)
        stats = self.data.crawler.stats
        failed = sum(not r["ok"] for r in results)
        stats.set_value(STAT_RESULTS, results)
        stats.set_value(STAT_FAILED, failed + stats.get_value(STAT_FAILED, 0))


class CrawlMonitorSuite(MonitorSuite):
    monitors = [ItemValidationMonitor, ReportCountMonitor, RatioMonitor, EmptyPortalMonitor]
    monitors_finished_actions = [RecordResults]

    def __init__(self, *args, crawler=None, **kwargs):
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is not None:
            self.add_monitors_failed_actions(
                [load_object(path) for path in crawler.settings.getlist("MONITOR_ALERT_ACTIONS")]
            )
