"""Exit statuses of ``scrapy crawl``, and the reasons a crawl ends with one (README: exit codes).

The run summary (crawler/extensions.py) decides the status from what the crawl did and writes
it with its reasons into ``runs/<run_id>/summary.json`` (``exit``); the project's ``crawl``
command (crawler/commands/crawl.py) exits with it.
"""
from __future__ import annotations

OK = 0
#: Scrapy's own: the crawler could not be built (a bad -a argument, an unknown site)
BOOTSTRAP_FAILED = 1
#: Scrapy's own: a wrong command-line option
USAGE = 2
#: a broken configuration (STORE_URI, the store unreachable at start): stopped before any request
CONFIG = 3
#: a portal was unreachable or blocked throughout, or yielded no report
PORTAL_FAILED = 4
#: writes were still spooled at the end: the store has not got everything yet
SPOOLED = 5
#: the crawl stopped before it was done (the store failed mid-crawl, the spool filled, Ctrl-C)
STOPPED = 6
#: a monitor failed (crawler/monitors.py): a report count dropped, too many errors or walls,
#: an item that breaks docs/schemas/item.schema.json
MONITOR_FAILED = 7


def portal_counts(crawler) -> dict[str, dict]:
    """Per portal of the crawl: report pages the spider yielded (``nianbao/reports/<portal>``)
    and pages that answered (``nianbao/responses/<portal>``, counted by ScopeMiddleware).  A
    cluster worker has the sums over all workers (crawler/cluster/scheduler.py)."""
    stats = crawler.stats
    names = getattr(getattr(crawler, "spider", None), "portal_scopes", None) or {}
    cluster = getattr(crawler, "_nianbao_cluster_counts", None)
    if cluster is not None:
        return {p: cluster.get(p, {"reports": 0, "responses": 0}) for p in names}
    return {p: {"reports": stats.get_value(f"nianbao/reports/{p}", 0),
                "responses": stats.get_value(f"nianbao/responses/{p}", 0)} for p in names}


def exit_status(finish_reason: str, portals: dict[str, dict],
                spooled: int, monitors_failed: int = 0) -> tuple[int, list[str]]:
    """The status of a finished crawl and every reason for it (empty when OK).

    ``portals``: per portal ``{"reports": n, "responses": n}``; ``spooled``: writes left in the
    spool; ``monitors_failed``: the stat ``nianbao/monitors/failed`` of the Spidermon suite.
    The most serious reason sets the status: stopped, then spooled, then a portal, then a
    monitor.
    """
    reasons: list[tuple[int, str]] = []
    if finish_reason != "finished":
        reasons.append((STOPPED, f"the crawl stopped before it was done ({finish_reason})"))
    if spooled:
        reasons.append((SPOOLED, f"{spooled} writes are still spooled: the next crawl with this "
                                 "STORE_URI and STATE_DIR flushes them first"))
    for portal, counts in sorted(portals.items()):
        if counts.get("reports"):
            continue
        if not counts.get("responses"):
            reasons.append((PORTAL_FAILED, f"portal {portal}: unreachable or blocked throughout "
                                           "(no page answered)"))
        else:
            reasons.append((PORTAL_FAILED, f"portal {portal}: no report found in "
                                           f"{counts['responses']} pages"))
    if monitors_failed:
        reasons.append((MONITOR_FAILED, f"{monitors_failed} monitors failed (the run summary "
                                        "lists them under monitors)"))
    if not reasons:
        return OK, []
    order = (STOPPED, SPOOLED, PORTAL_FAILED, MONITOR_FAILED)
    status = min((code for code, _ in reasons), key=order.index)
    return status, [text for _, text in reasons]
