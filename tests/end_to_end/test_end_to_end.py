"""The walking skeleton end to end: crawl every simulator portal from its root, then check
what was found, archived and normalized against the simulator's ground truth."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest

from storage import open_store
from tests.conftest import run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess

TABLES = ("active", "applications", "review_litigation")


@pytest.fixture(scope="module")
def crawl(live_sim, tmp_path_factory):
    result = run_crawl(
        tmp_path_factory.mktemp("e2e"), "url=" + ",".join(p.root_url for p in live_sim.portals)
    )
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.fixture(scope="module")
def items_by_url(crawl):
    return {item["url"]: item for item in crawl.items}


def test_every_report_of_the_ground_truth_is_found(live_sim, items_by_url):
    missing = sorted(r.url for r in live_sim.reports if r.url not in items_by_url)
    assert not missing, (
        f"{len(missing)} of {len(live_sim.reports)} reports not found: {missing[:5]}"
    )


def test_no_non_report_page_is_archived_as_a_report(live_sim, crawl, items_by_url):
    truth = {r.url for r in live_sim.reports}
    extra = sorted(set(items_by_url) - truth)
    assert not extra, f"archived as reports but not reports: {extra[:5]}"
    assert not set(live_sim.non_reports) & set(items_by_url)
    assert len(crawl.items) == len(items_by_url), "a report was yielded twice"


def test_raw_bytes_in_the_store_are_what_the_server_sent(live_sim, crawl, items_by_url):
    store = open_store(f"file://{crawl.store_dir}")
    for report in live_sim.reports:
        item = items_by_url[report.url]
        with urllib.request.urlopen(report.url) as resp:
            served = resp.read()
        assert store.get(item["raw_key"]) == served, report.url


def test_text_and_metadata_are_archived_beside_the_raw_bytes(live_sim, crawl, items_by_url):
    store = open_store(f"file://{crawl.store_dir}")
    for report in live_sim.reports:
        item = items_by_url[report.url]
        text = store.get(item["text_key"]).decode("utf-8")
        assert "一、总体情况" in text or "总体情况" in text, report.url
        # The metadata header is stripped off the text: its index number no longer appears.
        if report.meta.get("index_no"):
            assert report.meta["index_no"] not in text, report.url
        capture = json.loads(store.get(item["meta_key"]))
        assert capture["url"] == report.url and capture["sha256"] == item["sha256"]
        assert json.loads(store.get(item["report_key"]))["template"] == report.template


def test_meta_equals_the_ground_truth(live_sim, items_by_url):
    for report in live_sim.reports:
        assert items_by_url[report.url]["meta"] == report.meta, report.url


def test_normalized_reports_equal_the_ground_truth(live_sim, items_by_url):
    for report in live_sim.reports:
        item = items_by_url[report.url]
        normalized = item["report"]
        assert normalized["template"] == report.template, report.url
        assert item["report_year"] == report.report_year, report.url
        assert item["org_name"] == report.org_name, report.url
        for table in TABLES:
            assert normalized[table] == getattr(report, table), f"{report.url} {table}"


def test_failed_checks_are_exactly_the_planted_arithmetic_errors(live_sim, items_by_url):
    planted = 0
    for report in live_sim.reports:
        failed = {
            (c["rule"], c["where"])
            for c in items_by_url[report.url]["report"]["checks"]
            if c["ok"] is False
        }
        expected = {(f["rule"], f["where"]) for f in report.failing_checks}
        planted += len(expected)
        assert failed == expected, report.url
    assert planted >= 3, "the simulator plants arithmetic errors; none were checked"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_portal_is_logged_and_the_crawl_carries_on(live_sim, tmp_path):
    dead = f"http://127.0.0.1:{_closed_port()}/index.html"
    portal = live_sim.portals[0]
    result = run_crawl(tmp_path, f"url={dead},{portal.root_url}", settings={"RETRY_TIMES": "0"})
    assert result.returncode == 4  # crawler/exitcodes.py PORTAL_FAILED: the others are all there
    assert dead in result.log and "refused" in result.log.lower()
    found = {item["url"] for item in result.items}
    expected = {r.url for r in live_sim.reports if r.portal == portal.name}
    assert expected and expected <= found
