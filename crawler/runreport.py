"""The run report: every portal of the run, dead ones too, with a status and its counts.

`PortalLedgerMiddleware` (a downloader middleware at 100, the outermost: it sees what the
crawl finally got, after retries and redirects) and the ``item_scraped`` signal fill one
`PortalLedger` per crawl; `portal_report(crawler, reason)` turns it into the ``portals``,
``gone`` and ``recrawl`` parts of the run summary (crawler/extensions.py), which goes to the
store as runs/<run_id>/summary.json and, through `always_log`, to the log at any LOG_LEVEL.

Per portal: ``found`` (report items), ``new``, ``changed``, ``unchanged``, ``skipped`` (of the
unchanged, those not fetched under RECRAWL_MAX_AGE), ``gone``, ``blocked`` (answers of an
anti-bot wall: 403, 412, 429, 521 or a 503 with Retry-After), ``errors`` (requests that finally
failed: HTTP ≥ 400 or no answer), and the budget used (``pages`` answered and body ``bytes``
received over the wire: a 304 counts as a page of no bytes).
Its status, the first that holds:

    unreachable  no request of the portal was answered at all
    blocked      nothing found, and a wall answered
    empty        answered, but no report found
    degraded     reports found, but with errors or blocked answers
    ok

A portal is known to the report from the spider's ``targets`` (tuples whose second element
is the portal name, as crawler/spiders/portal.py keeps them) and from ``meta["nb_portal"]`` of
every request, so one that never answered is listed too.

Gone: a report URL that answered 404/410 (crawler/recrawl.py), or, for a portal whose status is
``ok`` in a run that finished and was not narrowed (``years``, ``since``), a report of that
portal in the catalog that this run did not meet again (dropped from every listing).  Each is
recorded in the catalog's ``gone`` table with the date of its last capture.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime

from crawler import exitcodes
from crawler import settings as defaults
from crawler.recrawl import NOT_MODIFIED, SKIPPED
from pipelines.reuse import recrawl_ledger
from pipelines.store import crawler_storage

logger = logging.getLogger(__name__)

BLOCK_STATUSES = (403, 412, 429, 521)
COUNTS = (
    "found",
    "new",
    "changed",
    "unchanged",
    "skipped",
    "gone",
    "blocked",
    "errors",
    "pages",
    "bytes",
)
_ALWAYS = "nianbao.report"


class PortalLedger:
    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.answered: Counter = Counter()
        self.seen_urls: set[str] = set()
        self.earlier_sessions_taken = False

    def portal(self, name: str | None) -> Counter:
        return self.counts[name or "unknown"]


def portal_ledger(crawler) -> PortalLedger:
    ledger = getattr(crawler, "_nianbao_portals", None)
    if ledger is None:
        ledger = crawler._nianbao_portals = PortalLedger()
        from scrapy import signals

        crawler.signals.connect(_item_scraped(ledger), signal=signals.item_scraped, weak=False)
    return ledger


def take_earlier_sessions(crawler, ledger: PortalLedger) -> None:
    """A run resumed from a JOBDIR: the reports its killed sessions captured were found and met
    in this run too (they are in the catalog under its run id), so they count as ``found``, and
    a page of theirs counts as answered; without this, a portal finished before the last kill
    reads "unreachable" with nothing found, and its reports would be recorded gone.  Once per
    crawl; nothing for a run that was not resumed."""
    if ledger.earlier_sessions_taken:
        return
    ledger.earlier_sessions_taken = True
    storage = crawler_storage(crawler)
    if not storage.resumed:
        return
    for name in _portals_of_run(crawler, ledger):
        earlier = storage.catalog.run_urls(name, storage.run_id) - ledger.seen_urls
        if earlier:
            ledger.portal(name)["found"] += len(earlier)
            ledger.answered[name] += len(earlier)
            ledger.seen_urls |= earlier


def _item_scraped(ledger: PortalLedger):
    def handler(item, response=None, spider=None):
        counts = ledger.portal(getattr(item, "portal", None))
        counts["found"] += 1
        change = getattr(item, "change", None) or "unknown"
        counts[change] += 1
        ledger.seen_urls.add(item.url)
        if getattr(item, "request_url", None):
            ledger.seen_urls.add(item.request_url)

    return handler


class PortalLedgerMiddleware:
    def __init__(self, crawler):
        self.ledger = portal_ledger(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        portal = request.meta.get("nb_portal")
        if portal:
            self.ledger.portal(portal)  # known from its first request, answered or not
        return None

    def process_response(self, request, response, spider=None):
        portal = request.meta.get("nb_portal")
        if not portal:
            return response
        counts = self.ledger.portal(portal)
        self.ledger.answered[portal] += 1
        counts["pages"] += 1
        # a 304 rebuilt from the store, or a skipped page, brought no body over the wire
        if not {NOT_MODIFIED, SKIPPED} & set(response.flags):
            counts["bytes"] += len(response.body)
        if response.status in BLOCK_STATUSES or (
            response.status == 503 and b"Retry-After" in response.headers
        ):
            counts["blocked"] += 1
        if response.status >= 400 and not request.meta.get("nb_probe"):
            counts["errors"] += 1
        return response

    def process_exception(self, request, exception, spider=None):
        portal = request.meta.get("nb_portal")
        if portal:
            self.ledger.portal(portal)["errors"] += 1
        return None


def status_of(counts: Counter, answered: int) -> str:
    if answered == 0:
        return "unreachable"
    if counts["found"] == 0:
        return "blocked" if counts["blocked"] else "empty"
    if counts["errors"] or counts["blocked"]:
        return "degraded"
    return "ok"


def _portals_of_run(crawler, ledger: PortalLedger) -> list[str]:
    names = set(ledger.counts)
    for target in getattr(crawler.spider, "targets", None) or ():
        if isinstance(target, (tuple, list)) and len(target) > 1 and isinstance(target[1], str):
            names.add(target[1])
    names.discard("unknown")
    return sorted(names)


def portal_report(crawler, reason: str) -> dict:
    """The ``portals``, ``gone`` and ``recrawl`` parts of the run summary; records gone reports
    in the catalog on the way."""
    ledger, recrawl = portal_ledger(crawler), recrawl_ledger(crawler)
    storage = crawler_storage(crawler)
    take_earlier_sessions(crawler, ledger)
    for url, portal in recrawl.skipped.items():  # their items came out too, from the store
        ledger.portal(portal)["skipped"] += 1
        ledger.seen_urls.add(url)
    portals = {}
    for name in _portals_of_run(crawler, ledger):
        counts = ledger.portal(name)
        portals[name] = {
            "status": status_of(counts, ledger.answered[name]),
            **{k: counts[k] for k in COUNTS},
        }
    now = datetime.now(UTC).isoformat(timespec="seconds")
    gone: list[dict] = []
    candidates = dict(recrawl.gone)
    if reason == "finished" and not exitcodes.narrowed(crawler):
        for name, row in portals.items():
            if row["status"] != "ok":
                continue
            for capture in storage.catalog.latest_reports(name):
                if capture.url not in ledger.seen_urls:
                    candidates.setdefault(capture.url, (name, "dropped from every listing"))
    for url, (portal, why) in sorted(candidates.items()):
        last = storage.catalog.last_capture(url)
        if last is None or (url in ledger.seen_urls and why.startswith("dropped")):
            continue
        storage.catalog.mark_gone(
            url, portal or last.portal, last.fetched_at, now, storage.run_id, why
        )
        gone.append(
            {
                "url": url,
                "portal": portal or last.portal,
                "last_seen": last.fetched_at,
                "reason": why,
                "title": last.title,
            }
        )
        if (portal or last.portal) in portals:
            portals[portal or last.portal]["gone"] += 1
    stats = crawler.stats
    start = stats.get_value("start_time")
    return {
        # spider opened to closed: the crawl without the process's start-up
        "elapsed_seconds": round((datetime.now(UTC) - start).total_seconds(), 2) if start else None,
        "portals": portals,
        "portal_status": dict(sorted(Counter(p["status"] for p in portals.values()).items())),
        "gone": gone,
        "recrawl": {
            "conditional": stats.get_value("nianbao/recrawl/conditional", 0),
            "not_modified": stats.get_value("nianbao/recrawl/not_modified", 0),
            "skipped": len(recrawl.skipped),
            "reused": stats.get_value("nianbao/reused", 0),
            # report pages not classified again: their last reading stood (crawler/verdicts.py)
            "verdicts_reused": stats.get_value("nianbao/recrawl/verdicts_reused", 0),
        },
    }


def format_portals(summary: dict) -> list[str]:
    portals = summary.get("portals") or {}
    if not portals:
        return []
    lines = [
        "  portals: " + ", ".join(f"{n} {s}" for s, n in summary.get("portal_status", {}).items())
    ]
    width = max(len(p) for p in portals)
    lines.append(
        f"    {'portal':<{width}}  {'status':<11} "
        "found new chg unch skip gone blk err  pages    bytes"
    )
    for name, row in portals.items():
        lines.append(
            f"    {name:<{width}}  {row['status']:<11} {row['found']:>5} {row['new']:>3} "
            f"{row['changed']:>3} {row['unchanged']:>4} {row['skipped']:>4} {row['gone']:>4} "
            f"{row['blocked']:>3} {row['errors']:>3} {row['pages']:>6} {row['bytes']:>8}"
        )
    for g in summary.get("gone") or []:
        lines.append(
            f"  gone: {g['url']} ({g['portal']}; last seen {g['last_seen']}; {g['reason']})"
        )
    rc = summary.get("recrawl") or {}
    if rc.get("conditional") or rc.get("skipped"):
        lines.append(
            f"  re-crawl: {rc['conditional']} conditional requests, {rc['not_modified']} not "
            f"modified, {rc['skipped']} skipped (RECRAWL_MAX_AGE), {rc['reused']} reports reused "
            f"unchanged, {rc.get('verdicts_reused', 0)} report pages not read again"
        )
    return lines


def always_log(settings, message: str, *args) -> None:
    """Log at INFO whatever LOG_LEVEL says: the run report must reach the operator's log.

    A logger of its own with its own handler (LOG_FILE if set, else stderr), not propagating,
    so Scrapy's root handler and its level do not filter it.  RUN_REPORT_LOG_ALWAYS = False
    (`scrapy demo`, which prints the report itself) leaves it to LOG_LEVEL."""
    if not settings.getbool("RUN_REPORT_LOG_ALWAYS", defaults.RUN_REPORT_LOG_ALWAYS):
        logger.info(message, *args)
        return
    log = logging.getLogger(_ALWAYS)
    if not log.handlers:
        path = settings.get("LOG_FILE")
        handler: logging.Handler = (
            logging.FileHandler(path, encoding=settings.get("LOG_ENCODING") or "utf-8")
            if path
            else logging.StreamHandler(sys.stderr)
        )
        handler.setFormatter(
            logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT"))
        )
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    log.info(message, *args)
