"""Re-crawls: conditional requests, 304s read as unchanged, changes between runs, gone reports.

Every test crawls a simulator portal twice into one store, as an operator's nightly run does.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from simulator import Simulator
from storage.catalog import Catalog, state_dir
from tests.conftest import run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess


def _summary(result, run: int = -1) -> dict:
    """The summary of a run in the crawl's store: the last one, or by its place in time order."""
    runs = sorted((result.store_dir / "runs").iterdir())
    return json.loads((runs[run] / "summary.json").read_text(encoding="utf-8"))


def _crawl(tmp_path, live, portal: str, **settings):
    return run_crawl(
        tmp_path / "crawl", f"url={live.portal(portal).root_url}", settings=settings or None
    )


def _report_paths(live, portal: str) -> set[str]:
    return {t.url for t in live.reports if t.portal == portal}


@pytest.fixture()
def yunxi():
    sim = Simulator(portals=["yunxi"])
    with sim.running() as live:
        yield sim, live


def test_an_unchanged_portal_answers_304_and_every_report_is_unchanged(tmp_path, yunxi):
    _sim, live = yunxi
    first = _crawl(tmp_path, live, "yunxi")
    assert first.returncode == 0, first.log[-3000:]
    reports = _report_paths(live, "yunxi")
    assert {i["url"] for i in first.items} == reports
    first_requests = live.requests
    live._log.clear()

    second = _crawl(tmp_path, live, "yunxi")
    assert second.returncode == 0, second.log[-3000:]
    assert {i["url"] for i in second.items} == reports
    assert Counter(i["change"] for i in second.items) == {"unchanged": len(reports)}
    by_path = {r.path: r.status for r in live.requests}
    # every report page and attachment was asked conditionally and answered 304
    report_paths = {u.split("/", 3)[3] for u in reports}
    assert {by_path["/" + p] for p in report_paths} == {304}
    attachments = {a for t in live.reports for a in t.attachments}
    assert attachments and {by_path["/" + a.split("/", 3)[3]] for a in attachments} == {304}
    # listing pages are fetched in full every time
    assert any(r.status == 200 and r.path.startswith("/col/") for r in live.requests)
    # the reports are the same ones, read from the stored versions
    assert sorted(
        (i["url"], i["report_year"], i["org_name"], i["text_key"]) for i in second.items
    ) == sorted((i["url"], i["report_year"], i["org_name"], i["text_key"]) for i in first.items)
    summary = _summary(second)
    row = summary["portals"][second.items[0]["portal"]]  # crawled by URL: the portal is its host
    assert row["status"] == "ok" and row["found"] == len(reports) == row["unchanged"]
    assert row["new"] == row["changed"] == row["gone"] == 0
    assert summary["recrawl"]["not_modified"] == len(reports) + len(attachments)
    assert summary["recrawl"]["reused"] == len(reports)
    # no report page was classified or searched for its files again (crawler/verdicts.py), and
    # what the spider said of each is what it said when it read them
    assert summary["recrawl"]["verdicts_reused"] == len(reports)

    def reading(items: list[dict]) -> list[tuple]:
        """What was read from each page; not how it was reached (which listing, link and score
        led to it first is the crawl's order, which varies)."""
        path = ("found_via", "anchor", "score")
        return sorted(
            (
                i["url"],
                json.dumps(
                    {k: v for k, v in i["evidence"].items() if k not in path},
                    sort_keys=True,
                    ensure_ascii=False,
                ),
                [(a["url"], a["link_text"]) for a in i["attachments"]],
            )
            for i in items
        )

    assert reading(second.items) == reading(first.items)
    assert row["bytes"] < _summary(first, 0)["portals"][second.items[0]["portal"]]["bytes"] / 5
    assert len(live.requests) <= len(first_requests)


def test_a_portal_without_validators_is_refetched_and_still_reads_as_unchanged(tmp_path):
    sim = Simulator(portals=["yunxi"], validators="none")
    with sim.running() as live:
        assert _crawl(tmp_path, live, "yunxi").returncode == 0
        live._log.clear()
        second = _crawl(tmp_path, live, "yunxi")
    assert Counter(i["change"] for i in second.items) == {
        "unchanged": len(_report_paths(live, "yunxi"))
    }
    assert 304 not in {r.status for r in live.requests}
    summary = _summary(second)
    assert summary["recrawl"]["conditional"] == 0 and summary["recrawl"]["reused"] == len(
        second.items
    )


def test_new_changed_and_gone_reports_are_reported_exactly(tmp_path, yunxi):
    sim, live = yunxi
    first = _crawl(tmp_path, live, "yunxi")
    assert first.returncode == 0
    changes = sim.change(added=5, edited=3, removed=2, seed=7)
    second = _crawl(tmp_path, live, "yunxi")
    assert second.returncode == 0, second.log[-3000:]
    urls = {
        kind: {live.url_of(p, path) for p, path in getattr(changes, kind)}
        for kind in ("added", "edited", "removed")
    }
    by_change: dict[str, set[str]] = {}
    for item in second.items:
        by_change.setdefault(item["change"], set()).add(item["url"])
    assert by_change["new"] == urls["added"]
    assert by_change["changed"] == urls["edited"]
    assert not urls["removed"] & {i["url"] for i in second.items}
    summary = _summary(second)
    row = summary["portals"][second.items[0]["portal"]]
    assert (row["new"], row["changed"], row["gone"]) == (5, 3, 2)
    assert row["unchanged"] == len(first.items) - 3 - 2
    assert {g["url"] for g in summary["gone"]} == urls["removed"]
    first_seen = {i["url"]: i["fetched_at"] for i in first.items}
    assert {g["url"]: g["last_seen"] for g in summary["gone"]} == {
        u: first_seen[u] for u in urls["removed"]
    }
    # the old version of an edited report is kept beside the new one
    catalog = Catalog(
        state_dir(str(tmp_path / "crawl" / "state"), f"file://{second.store_dir}")
        / "catalog.sqlite"
    )
    edited = sorted(urls["edited"])[0]
    assert [c.change for c in catalog.captures_of(edited)] == ["new", "changed"]
    assert {g["url"] for g in catalog.gone()} == urls["removed"]
    assert "gone: " in second.log


def test_recrawl_max_age_skips_recent_reports_without_fetching_them(tmp_path, yunxi):
    _sim, live = yunxi
    assert _crawl(tmp_path, live, "yunxi").returncode == 0
    live._log.clear()
    second = _crawl(tmp_path, live, "yunxi", RECRAWL_MAX_AGE=3600)
    reports = _report_paths(live, "yunxi")
    fetched = {r.path for r in live.requests}
    assert not {"/" + u.split("/", 3)[3] for u in reports} & fetched
    summary = _summary(second)
    row = summary["portals"][second.items[0]["portal"]]
    assert summary["recrawl"]["skipped"] == len(reports) == row["skipped"]
    assert row["found"] == len(reports) == row["unchanged"]
    assert row["status"] == "ok" and row["gone"] == 0
    assert {i["change"] for i in second.items} == {"unchanged"}


def test_a_report_behind_a_soft_404_is_gone(tmp_path):
    sim = Simulator(portals=["tongqiao"])
    with sim.running() as live:
        first = _crawl(tmp_path, live, "tongqiao")
        assert first.returncode == 0
        changes = sim.change(removed=2, seed=5, gone_as="soft-404")
        second = _crawl(tmp_path, live, "tongqiao")
        removed = {live.url_of(p, path) for p, path in changes.removed}
        # still linked from the listings: the crawler asks for them and gets a 200 error page
        asked = {live.url_of("tongqiao", r.path) for r in live.requests if r.status == 200}
    assert removed <= asked
    summary = _summary(second)
    assert {g["url"] for g in summary["gone"]} == removed
    assert {g["reason"].split(":")[0] for g in summary["gone"]} == {"soft 404"}
    assert summary["portals"][second.items[0]["portal"]]["gone"] == 2
    assert not removed & {i["url"] for i in second.items}
