"""The fixture-matrix portals serve what portals.md says real ones do, and their ground truth
holds the odd titles and the decoys."""
from __future__ import annotations

import urllib.request

import pytest

from simulator import Simulator
from simulator.lite import decoy_titles
from simulator.matrix import MATRIX_NAMES


@pytest.fixture(scope="module")
def live():
    with Simulator(portals="all").running() as live:
        yield live


def fetch(url: str):
    with urllib.request.urlopen(url) as resp:
        return resp.status, resp.headers, resp.read()


def test_default_simulator_keeps_the_two_skeleton_counties():
    assert [s.name for s in Simulator().sites] == ["yunxi", "tongqiao"]
    assert {s.name for s in Simulator(portals="all").sites} >= {"yunxi", "tongqiao", *MATRIX_NAMES}


def test_odd_titles_and_decoys_are_in_the_ground_truth(live):
    titles = {r.title for r in live.reports if r.portal == "generic-county"}
    assert "南湖县人民政府政府信息公开工作年度报告" in titles           # no year
    assert "南湖县人民政府2022年度信息公开工作报告" in titles          # 年度…工作报告
    assert "2023年度南湖县政务信息公开年度报告" in titles             # 政务信息公开年度报告
    year_off = [r for r in live.reports if r.portal == "generic-county" and str(r.report_year + 1) in r.title]
    assert year_off, "a report whose title names the publishing year, not the data year"
    root = live.portal("generic-county").root_url
    decoys = {fetch(u)[2].decode("utf-8").split("<title>")[1].split("</title>")[0]
              for u in live.non_reports if u.startswith(root)}
    assert {t for t, _ in decoy_titles("南湖县")} <= decoys


@pytest.mark.parametrize("portal,content_type,meta", [
    ("gbk-header", "text/html; charset=GBK", b"charset=gb2312"),
    ("gbk-meta", "text/html", b"charset=gb2312"),
    ("gbk-wrong", "text/html; charset=utf-8", b"charset=utf-8"),
])
def test_gbk_variants_declare_as_real_servers_do(live, portal, content_type, meta):
    report = next(r for r in live.reports if r.portal == portal)
    status, headers, body = fetch(report.url)
    assert status == 200 and headers["Content-Type"] == content_type and meta in body[:600]
    assert report.title in body.decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_gbk_only_characters_are_served(live):
    report = next(r for r in live.reports if r.portal == "gbk-meta" and "镕" in r.title)
    with pytest.raises(UnicodeEncodeError):
        report.title.encode("gb2312")  # 镕 is GBK, not GB2312: "gb2312" pages still carry it
    assert report.title.encode("gb18030") in fetch(report.url)[2]


def test_generic_pager_never_ends_and_repeats_the_last_page(live):
    root = live.portal("generic-county").root_url
    last = fetch(root + "html/channel_37.html?page=6")[2]
    beyond = fetch(root + "html/channel_37.html?page=60")[2]
    strip = lambda b: b.split(b'<div class="pages">')[0]  # noqa: E731
    assert strip(last) == strip(beyond) and "page=61".encode() in beyond
