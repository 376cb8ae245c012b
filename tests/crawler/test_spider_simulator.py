"""The portal spider against the portal simulator, run as a user runs it (a subprocess).

Ground truth comes from the simulator: every report URL must be found, no distractor or other
non-report page may be yielded, and nothing outside the portals' hosts may be requested.
Pipelines and extensions are switched off so this tests the crawler alone.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import CRAWLER_ONLY, run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess


def crawl(out_dir, *args: str, settings: dict | None = None) -> tuple[list[dict], str]:
    result = run_crawl(out_dir, *args, settings={**CRAWLER_ONLY, **(settings or {})})
    assert result.returncode == 0, result.log[-3000:]
    return result.items, result.log


def stat(log: str, name: str) -> int:
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else 0


@pytest.fixture(scope="module")
def sim(live_sim):
    return live_sim


@pytest.fixture(scope="module")
def full_crawl(sim, tmp_path_factory):
    sim_requests_before = len(sim.requests)
    items, log = crawl(
        tmp_path_factory.mktemp("crawl"), "url=" + ",".join(p.root_url for p in sim.portals)
    )
    answered = len(sim.requests) - sim_requests_before
    return items, log, answered


def test_every_ground_truth_report_is_found(sim, full_crawl):
    items, _, _ = full_crawl
    got = {i["url"] for i in items}
    missing = sorted(r.url for r in sim.reports if r.url not in got)
    assert not missing, f"{len(missing)} of {len(sim.reports)} missed: {missing[:5]}"


def test_no_non_report_is_yielded(sim, full_crawl):
    items, _, _ = full_crawl
    got = [i["url"] for i in items]
    assert len(got) == len(set(got)), "a report was yielded twice"
    assert not set(got) & set(sim.non_reports)
    assert not set(got) - {r.url for r in sim.reports}


def test_items_carry_portal_and_listing(sim, full_crawl):
    items, _, _ = full_crawl
    hosts = {p.root_url.split("/")[2] for p in sim.portals}
    for item in items:
        assert item["portal"] in hosts and item["status"] == 200
        assert item["listing_url"] and item["listing_url"].split("/")[2] == item["portal"]


def test_only_portal_hosts_are_requested_and_no_errors(sim, full_crawl):
    _, log, answered = full_crawl
    # every request the downloader sent was answered by a simulator portal (robots.txt included)
    assert stat(log, "downloader/request_count") == answered
    assert "nianbao/errors/" not in log
    # the only 404s are pager probes (TRS index_N past the end of a 0-based listing)
    assert stat(log, "downloader/response_status_count/404") == stat(log, "nianbao/probe_misses")
    assert "Ignoring response" not in log


def test_hanweb_listing_pages_through_dataproxy(sim, full_crawl):
    hanweb = {p.name for p in sim.portals if p.family == "hanweb"}
    posts = [
        r
        for r in sim.requests
        if r.portal in hanweb and r.method == "POST" and "dataproxy.jsp" in r.path
    ]
    if not hanweb:
        pytest.skip("no hanweb portal in the simulator")
    assert posts and all(r.status == 200 for r in posts)


def test_years_filter_and_site_registry(sim, tmp_path):
    sites = tmp_path / "sites.json"
    sites.write_text(
        json.dumps(
            [
                {
                    "name": f"sim-{p.name}",
                    "start_url": p.root_url,
                    "family": p.family,
                    "level": "county",
                    "note": "simulator portal",
                }
                for p in sim.portals
            ]
        ),
        encoding="utf-8",
    )
    names = ",".join(f"sim-{p.name}" for p in sim.portals)
    items, _ = crawl(
        tmp_path, f"site={names}", "years=2021-2022", settings={"SITES_FILE": str(sites)}
    )
    got = {i["url"] for i in items}
    want = {r.url for r in sim.reports if r.report_year in (2021, 2022)}
    assert got == want
    assert {i["portal"] for i in items} == {f"sim-{p.name}" for p in sim.portals}
