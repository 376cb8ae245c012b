"""A broken configuration stops `scrapy crawl` before its first request, with one line naming
the setting and the fix and a non-zero exit status; a crawl that did not get everything says
so in its exit status and run summary (crawler/exitcodes.py, README: exit codes)."""

from __future__ import annotations

import json
import re

import pytest

from crawler import exitcodes
from simulator.faults import Tripwire
from tests.conftest import run_crawl
from tests.end_to_end.test_end_to_end import _closed_port

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess


@pytest.fixture
def tripwire():
    trip = Tripwire()
    yield trip
    trip.close()


@pytest.mark.parametrize(
    "settings,words",
    [
        (
            {"STORE_URI": "fiel:./data"},
            ["STORE_URI 'fiel:./data'", "unknown scheme 'fiel'", "use file:./data"],
        ),
        ({"STORE_URI": "s3://"}, ["STORE_URI 's3://'", "names no bucket", "s3://BUCKET/PREFIX"]),
        ({"STORE_URI": "s3:///prefix-only"}, ["names no bucket"]),
        (
            {"STORE_URI": "weird://x", "STORE_BACKENDS": '{"weird": "storage.nope.Store"}'},
            ["STORE_BACKENDS['weird']", "cannot be loaded", "module.Class"],
        ),
        ({"STORE_URI": "file:"}, ["STORE_URI 'file:'", "names no directory"]),
        ({"ENDPOINT_MAX_PAGES": "0"}, ["ENDPOINT_MAX_PAGES='0'", "at least 1", "default 200"]),
    ],
    ids=[
        "misspelt scheme",
        "s3 without bucket",
        "s3 prefix without bucket",
        "unknown backend",
        "empty path",
        "a bound below 1",
    ],
)
def test_a_broken_store_uri_stops_before_any_request(tmp_path, tripwire, settings, words):
    r = run_crawl(tmp_path, f"url={tripwire.url}/", settings=settings)
    assert r.returncode == exitcodes.CONFIG, r.log[-2000:]
    assert tripwire.hits == []  # not even robots.txt
    last = r.log.strip().splitlines()[-1]
    assert last.startswith("nianbao: not crawling: ")
    for word in words:
        assert word in last, last
    assert not r.items


def test_an_unreachable_portal_exits_non_zero_and_the_summary_says_why(tmp_path, live_sim):
    good = live_sim.portals[0].root_url
    dead = f"http://127.0.0.1:{_closed_port()}/"
    r = run_crawl(tmp_path, f"url={good},{dead}", settings={"RETRY_TIMES": "0"})
    assert r.returncode == exitcodes.PORTAL_FAILED, r.log[-2000:]
    assert r.items  # the good portal's reports are all there
    summary = json.loads(next((r.store_dir / "runs").glob("*/summary.json")).read_text())
    dead_name = dead.split("/")[2]
    assert summary["exit"] == {
        "status": exitcodes.PORTAL_FAILED,
        "reasons": [f"portal {dead_name}: unreachable or blocked throughout (no page answered)"],
    }
    assert (
        r.log.strip()
        .splitlines()[-1]
        .startswith("nianbao: crawl exit status 4: portal " + dead_name)
    )
    # the "portals with no report" monitor failed for the same portal: listed under monitors,
    # not a second exit reason (crawler/exitcodes.py RESTATES)
    [empty] = [m for m in summary["monitors"] if not m["ok"]]
    assert empty["restates"] == "portal" and dead_name in empty["reason"], summary["monitors"]


def test_a_portal_that_answers_but_yields_no_report_exits_non_zero(tmp_path, tripwire):
    r = run_crawl(tmp_path, f"url={tripwire.url}/")
    assert r.returncode == exitcodes.PORTAL_FAILED
    assert "no report found in" in r.log.strip().splitlines()[-1]


def test_exit_status_order_and_reasons():
    portals = {
        "a": {"reports": 3, "responses": 9},
        "b": {"reports": 0, "responses": 0},
        "c": {"reports": 0, "responses": 4},
    }
    assert exitcodes.exit_status("finished", {"a": portals["a"]}, 0) == (exitcodes.OK, [])
    status, reasons = exitcodes.exit_status("finished", portals, 0)
    assert status == exitcodes.PORTAL_FAILED and len(reasons) == 2
    assert exitcodes.exit_status("finished", portals, 7)[0] == exitcodes.SPOOLED
    status, reasons = exitcodes.exit_status("store_unreachable", portals, 7)
    assert status == exitcodes.STOPPED and len(reasons) == 4 and "store_unreachable" in reasons[0]
    empty = {
        "name": "portals with no report",
        "ok": False,
        "reason": "1 of 3 portals",
        "restates": "portal",
    }
    drop = {
        "name": "report count",
        "ok": False,
        "reason": "a: 3 reports, 9 in run R",
        "restates": None,
    }
    passed = {"name": "item schema", "ok": True, "reason": "", "restates": None}
    # a monitor that restates a portal reason adds none; any other failed monitor is named
    assert exitcodes.exit_status("finished", portals, 0, [empty, passed]) == (
        exitcodes.PORTAL_FAILED,
        reasons[2:],
    )
    assert exitcodes.exit_status("finished", portals, 0, [empty, drop])[1][-1] == (
        "monitor failed: report count: a: 3 reports, 9 in run R"
    )
    # without a portal reason, the empty-portal monitor is a reason of its own (status 7)
    assert exitcodes.exit_status("finished", {"a": portals["a"]}, 0, [empty, drop, passed]) == (
        exitcodes.MONITOR_FAILED,
        [
            "monitor failed: portals with no report: 1 of 3 portals",
            "monitor failed: report count: a: 3 reports, 9 in run R",
        ],
    )


def test_every_exit_code_is_documented_in_the_readme():
    from tests.conftest import ROOT

    codes = {
        name: value
        for name, value in vars(exitcodes).items()
        if name.isupper() and isinstance(value, int)
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("**Exit status.**") : readme.index("When several apply")]
    documented = {int(n) for n in re.findall(r"^\| (\d+) \| \S", table, re.M)}
    assert documented == set(codes.values()), (documented, codes)
    # the order of precedence the README states is the one exit_status applies
    stated = re.search(r"the status is the first of ([\d, ]+)", readme)
    assert stated is not None
    order = stated.group(1)
    assert [int(n) for n in re.findall(r"\d+", order)] == [
        exitcodes.STOPPED,
        exitcodes.SPOOLED,
        exitcodes.PORTAL_FAILED,
        exitcodes.MONITOR_FAILED,
    ]


def test_a_resumed_run_counts_the_reports_of_its_earlier_sessions(tmp_path):
    """After kill -9 and resumes (JOBDIR), a portal whose reports were all captured before the
    last kill yields none in the last session; the run got them, so it is no reason for 4."""
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from storage.catalog import Capture, Catalog

    catalog = Catalog(tmp_path / "catalog.sqlite")
    for n, run in ((1, "R1"), (2, "R1"), (3, "R0")):
        catalog.add(
            Capture(
                capture=f"pages/h/{n}/t",
                url=f"http://a/{n}",
                fetched_at="2026",
                sha256=str(n),
                change="new",
                version=f"pages/h/{n}/t",
                run_id=run,
                portal="a",
            )
        )
    assert (
        catalog.run_count("a", "R1"),
        catalog.run_count("a", "R9"),
        catalog.run_count("b", "R1"),
    ) == (2, 0, 0)

    class Crawler:
        spider = type("Spider", (), {"portal_scopes": {"a": None, "b": None}})()
        stats = MemoryStatsCollector(get_crawler())

    crawler = Crawler()
    crawler.stats.set_value("nianbao/run_reports/a", catalog.run_count("a", "R1"))
    crawler.stats.set_value("nianbao/responses/b", 3)
    crawler.stats.set_value("nianbao/reports/b", 1)
    counts = exitcodes.portal_counts(crawler)
    assert counts == {
        "a": {"reports": 2, "responses": 0, "narrowed": False},
        "b": {"reports": 1, "responses": 3, "narrowed": False},
    }
    assert exitcodes.exit_status("finished", counts, 0) == (exitcodes.OK, [])
