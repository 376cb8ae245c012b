"""Done-when of issue 3: a crawl of every fixture-matrix portal, from its root only, finds every
report of the ground truth and nothing else — one test per portal (family, charset, layout and
hostile variant)."""
from __future__ import annotations

from collections import Counter

import pytest

from simulator import Simulator
from simulator.matrix import MATRIX_NAMES
from tests.conftest import CRAWLER_ONLY, run_crawl


@pytest.fixture(scope="module")
def matrix_live():
    with Simulator(portals=MATRIX_NAMES).running() as live:
        yield live


@pytest.fixture(scope="module")
def matrix_crawl(matrix_live, tmp_path_factory):
    roots = ",".join(p.root_url for p in matrix_live.portals)
    result = run_crawl(tmp_path_factory.mktemp("matrix"), f"url={roots}", settings=CRAWLER_ONLY, timeout=600)
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.mark.parametrize("portal", MATRIX_NAMES)
def test_every_report_found_and_nothing_else(matrix_live, matrix_crawl, portal):
    root = matrix_live.portal(portal).root_url
    truth = {r.url for r in matrix_live.reports if r.portal == portal}
    found = [i["url"] for i in matrix_crawl.items if i["url"].startswith(root)]
    assert truth, f"{portal} has no reports in the ground truth"
    missing, extra = truth - set(found), set(found) - truth
    assert not missing, f"{portal}: {len(missing)} of {len(truth)} reports missed: {sorted(missing)[:4]}"
    assert not extra, f"{portal}: not reports but archived: {sorted(extra)[:4]}"
    assert not [u for u, n in Counter(found).items() if n > 1], "a report was yielded twice"


def test_calendar_and_endless_pager_traps_are_bounded(matrix_live, matrix_crawl):
    paths = [(r.portal, r.path) for r in matrix_live.requests]
    assert not [p for _, p in paths if p.startswith("/calendar.php")], "a calendar link was followed"
    # the endless 下一页 stops at the first page that adds nothing new: the county column has
    # 3 reports and 8 decoys, 4 a page: ?page=1 (首页), 2, 3, and 4, which repeats 3 and ends it
    pages = Counter((portal, p.split("?")[0]) for portal, p in paths if "?page=" in p)
    assert pages[("generic-county", "/html/channel_37.html")] == 4, pages.most_common(3)


@pytest.mark.parametrize("portal", ["gbk-header", "gbk-meta", "gbk-wrong"])
def test_gbk_pages_decode_to_the_true_titles(matrix_live, matrix_crawl, portal):
    truth = {r.url: r.title for r in matrix_live.reports if r.portal == portal}
    titles = {i["url"]: i["list_title"] for i in matrix_crawl.items if i["url"] in truth}
    assert titles == truth
