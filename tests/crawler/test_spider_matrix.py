"""Done-when of issue 3: a crawl of every fixture-matrix portal, from its root only, finds every
report of the ground truth and nothing else — one test per portal (family, charset, layout and
hostile variant)."""

from __future__ import annotations

from collections import Counter

import pytest

from simulator import Simulator
from simulator.matrix import MATRIX_NAMES
from tests.conftest import CRAWLER_ONLY, run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess


@pytest.fixture(scope="module")
def matrix_live():
    with Simulator(portals=MATRIX_NAMES).running() as live:
        yield live


@pytest.fixture(scope="module")
def matrix_crawl(matrix_live, tmp_path_factory):
    roots = ",".join(p.root_url for p in matrix_live.portals)
    # the block page lifts after half a second: back off by about that much, not 5 s
    result = run_crawl(
        tmp_path_factory.mktemp("matrix"),
        f"url={roots}",
        timeout=600,
        settings={**CRAWLER_ONLY, "BACKOFF_BASE_DELAY": "0.5"},
    )
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.mark.parametrize("portal", MATRIX_NAMES)
def test_every_report_found_and_nothing_else(matrix_live, matrix_crawl, portal):
    root = matrix_live.portal(portal).root_url
    truth = {r.url for r in matrix_live.reports if r.portal == portal}
    found = [i["url"] for i in matrix_crawl.items if i["url"].startswith(root)]
    assert truth, f"{portal} has no reports in the ground truth"
    missing, extra = truth - set(found), set(found) - truth
    assert not missing, (
        f"{portal}: {len(missing)} of {len(truth)} reports missed: {sorted(missing)[:4]}"
    )
    assert not extra, f"{portal}: not reports but archived: {sorted(extra)[:4]}"
    assert not [u for u, n in Counter(found).items() if n > 1], "a report was yielded twice"


def test_calendar_and_endless_pager_traps_are_bounded(matrix_live, matrix_crawl):
    paths = [(r.portal, r.path) for r in matrix_live.requests]
    assert not [p for _, p in paths if p.startswith("/calendar.php")], (
        "a calendar link was followed"
    )
    # the endless 下一页 stops at the first page that adds nothing new: the county column has
    # 3 reports and 8 decoys, 4 a page: ?page=1 (首页), 2, 3, and 4, which repeats 3 and ends it
    pages = Counter((portal, p.split("?")[0]) for portal, p in paths if "?page=" in p)
    assert pages[("generic-county", "/html/channel_37.html")] == 4, pages.most_common(3)


@pytest.mark.parametrize("portal", ["gbk-header", "gbk-meta", "gbk-wrong"])
def test_gbk_pages_decode_to_the_true_titles(matrix_live, matrix_crawl, portal):
    truth = {r.url: r.title for r in matrix_live.reports if r.portal == portal}
    titles = {i["url"]: i["list_title"] for i in matrix_crawl.items if i["url"] in truth}
    assert titles == truth


def _answers(live, portal: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for rec in live.requests:
        if rec.portal == portal:
            out.setdefault(rec.path, []).append(rec.status)
    return out


@pytest.mark.parametrize("portal,challenge", [("hostile-rs412", 412), ("hostile-jsl521", 521)])
def test_js_challenge_is_passed_by_the_browser_running_the_sites_script(
    matrix_live, matrix_crawl, portal, challenge
):
    root = matrix_live.portal(portal).root_url.rstrip("/")
    answers = _answers(matrix_live, portal)
    met = [s for statuses in answers.values() for s in statuses]
    # plain HTTP met the challenge, the browser ran its script, and its cookies opened the
    # portal to plain requests: every report was answered
    assert challenge in met
    for report in (r for r in matrix_live.reports if r.portal == portal):
        statuses = answers[report.url[len(root) :]]
        assert 200 in statuses, (report.url, statuses)
    assert f"through the browser (JS challenge (HTTP {challenge}))" in matrix_crawl.log
    assert (
        "'nianbao/blocked/report'" in matrix_crawl.log and "'nianbao/rendered'" in matrix_crawl.log
    )


def test_block_page_is_recorded_as_blocked_and_waited_out(matrix_live, matrix_crawl):
    root = matrix_live.portal("hostile-block200").root_url.rstrip("/")
    answers = _answers(matrix_live, "hostile-block200")
    for report in (r for r in matrix_live.reports if r.portal == "hostile-block200"):
        # the 200 block page first, then (after the back-off) the report; never archived as one
        assert len(answers[report.url[len(root) :]]) >= 2
    assert "nianbao back-off" in matrix_crawl.log


def test_datacall_shell_is_rendered_in_the_browser_and_nothing_else_is(matrix_live, matrix_crawl):
    rendered = [
        line
        for line in matrix_crawl.log.splitlines()
        if "through the browser (listing drawn" in line
    ]
    root = matrix_live.portal("jpaas-datacall").root_url
    assert rendered and all(root in line for line in rendered), rendered
    # only the challenge portals and the datacall shell ever needed the browser
    browsed = {
        line.split("http://", 1)[1].split("/", 1)[0]
        for line in matrix_crawl.log.splitlines()
        if "through the browser" in line
    }
    allowed = {
        matrix_live.portal(p).root_url.split("//", 1)[1].rstrip("/")
        for p in ("hostile-rs412", "hostile-jsl521", "jpaas-datacall")
    }
    assert browsed <= allowed


def test_odd_pages_are_not_archived_and_logged_with_their_step(matrix_live, matrix_crawl):
    root = matrix_live.portal("hostile-odd").root_url.rstrip("/")
    log = matrix_crawl.log
    assert (
        f"report failed: {root}/show.php?id=7199002 (error page titled '页面不存在')" in log
    )  # soft 404
    assert (
        f"report failed: {root}/upload/P020200115000000000001.pdf (error page titled" in log
    )  # .pdf → HTML
    assert f"report failed: {root}/r/loop-a.html (redirect loop" in log
    found = {i["url"] for i in matrix_crawl.items}
    assert f"{root}/upload/P020240125381234567890.pdf" in found  # PDF as application/octet-stream
    assert not [
        u for u in found if u.startswith("https://")
    ]  # the https spelling was not asked for
