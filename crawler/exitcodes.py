"""Exit statuses of ``scrapy crawl``, and the reasons a crawl ends with one (README: exit codes).

The run summary (crawler/extensions.py) decides the status from what the crawl did and writes
it with its reasons into ``runs/<run_id>/summary.json`` (``exit``); the project's ``crawl``
command (crawler/commands/crawl.py) exits with it.
"""

from __future__ import annotations

from collections.abc import Sequence

OK = 0
#: Scrapy's own: the crawler could not be built (a bad -a argument, an unknown site)
BOOTSTRAP_FAILED = 1
#: Scrapy's own: a wrong command-line option
USAGE = 2
#: a broken configuration (STORE_URI, the store unreachable at start): stopped before any request
CONFIG = 3
#: a portal was unreachable or blocked throughout, or yielded no report (in a narrowed crawl,
#: -a years= or since=: only unreachable or blocked)
PORTAL_FAILED = 4
#: writes were still spooled at the end: the store has not got everything yet
SPOOLED = 5
#: the crawl stopped before it was done (the store failed mid-crawl, the spool filled, Ctrl-C)
STOPPED = 6
#: a monitor failed (crawler/monitors.py): a report count dropped, too many errors or walls,
#: an item that breaks docs/schemas/item.schema.json
MONITOR_FAILED = 7

#: what a monitor's ``restates`` names (crawler/monitors.py) -> the status that already says it
RESTATES = {"portal": PORTAL_FAILED}


def narrowed(crawler) -> bool:
    """Did the crawl look at part of each portal only (``-a years=``, ``-a since=``/``until=``)?
    Then a portal without a report in it, fewer reports than last run, or a report not met
    again say nothing about the portal."""
    return bool(getattr(getattr(crawler, "spider", None), "narrowed", False))


def portal_counts(crawler) -> dict[str, dict]:
    """Per portal of the crawl: report pages the spider yielded (``nianbao/reports/<portal>``),
    or of a resumed run all its sessions captured (``nianbao/run_reports/<portal>``, set by the
    run summary from the catalog: a portal finished before the last kill yields nothing in the
    last session), pages that answered (``nianbao/responses/<portal>``, ScopeMiddleware), and
    whether the crawl was narrowed.  A cluster worker has the sums over all workers
    (crawler/cluster/scheduler.py)."""
    stats = crawler.stats
    names = getattr(getattr(crawler, "spider", None), "portal_scopes", None) or {}
    part = narrowed(crawler)
    cluster = getattr(crawler, "_nianbao_cluster_counts", None)
    if cluster is not None:
        return {
            p: {**cluster.get(p, {"reports": 0, "responses": 0}), "narrowed": part} for p in names
        }
    return {
        p: {
            "reports": max(
                stats.get_value(f"nianbao/reports/{p}", 0),
                stats.get_value(f"nianbao/run_reports/{p}", 0),
            ),
            "responses": stats.get_value(f"nianbao/responses/{p}", 0),
            "narrowed": part,
        }
        for p in names
    }


def exit_status(
    finish_reason: str, portals: dict[str, dict], spooled: int, monitors: Sequence[dict] = ()
) -> tuple[int, list[str]]:
    """The status of a finished crawl and every reason for it (empty when OK).

    ``portals``: per portal ``{"reports": n, "responses": n}``; ``spooled``: writes left in the
    spool; ``monitors``: the Spidermon suite's results (stat ``nianbao/monitors/results``: name,
    ok, reason, and ``restates`` for a check that only repeats one of the reasons here).
    The most serious reason sets the status: stopped, then spooled, then a portal, then a
    monitor.  Each reason is said once: the "portals with no report" monitor fails exactly for
    the portals already named as a reason of status 4, so it adds no reason of its own then.
    """
    reasons: list[tuple[int, str]] = []
    if finish_reason != "finished":
        reasons.append((STOPPED, f"the crawl stopped before it was done ({finish_reason})"))
    if spooled:
        reasons.append(
            (
                SPOOLED,
                f"{spooled} writes are still spooled: the next crawl with this "
                "STORE_URI and STATE_DIR flushes them first",
            )
        )
    for portal, counts in sorted(portals.items()):
        if counts.get("reports") or (counts.get("narrowed") and counts.get("responses")):
            continue  # (a narrowed crawl may find nothing in its window: the portal answered)
        if not counts.get("responses"):
            reasons.append(
                (
                    PORTAL_FAILED,
                    f"portal {portal}: unreachable or blocked throughout (no page answered)",
                )
            )
        else:
            reasons.append(
                (PORTAL_FAILED, f"portal {portal}: no report found in {counts['responses']} pages")
            )
    said = {code for code, _ in reasons}
    for result in monitors:
        if result.get("ok", True) or RESTATES.get(result.get("restates") or "") in said:
            continue
        reasons.append(
            (
                MONITOR_FAILED,
                f"monitor failed: {result.get('name')}: "
                f"{result.get('reason') or 'no reason given'}",
            )
        )
    if not reasons:
        return OK, []
    order = (STOPPED, SPOOLED, PORTAL_FAILED, MONITOR_FAILED)
    status = min((code for code, _ in reasons), key=order.index)
    return status, [text for _, text in reasons]
