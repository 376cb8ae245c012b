"""The fixture-matrix portals serve what docs/portals.md says real ones do, and their ground truth
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
    assert "南湖县人民政府政府信息公开工作年度报告" in titles  # no year
    assert "南湖县人民政府2022年度信息公开工作报告" in titles  # 年度…工作报告
    assert "2023年度南湖县政务信息公开年度报告" in titles  # 政务信息公开年度报告
    year_off = [
        r
        for r in live.reports
        if r.portal == "generic-county" and str(r.report_year + 1) in r.title
    ]
    assert year_off, "a report whose title names the publishing year, not the data year"
    root = live.portal("generic-county").root_url
    decoys = {
        fetch(u)[2].decode("utf-8").split("<title>")[1].split("</title>")[0]
        for u in live.non_reports
        if u.startswith(root)
    }
    assert {t for t, _ in decoy_titles("南湖县")} <= decoys


@pytest.mark.parametrize(
    "portal,content_type,meta",
    [
        ("gbk-header", "text/html; charset=GBK", b"charset=gb2312"),
        ("gbk-meta", "text/html", b"charset=gb2312"),
        ("gbk-wrong", "text/html; charset=utf-8", b"charset=utf-8"),
    ],
)
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
    assert strip(last) == strip(beyond) and b"page=61" in beyond


def _status(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_rs412_challenge_never_passes_plain_http(live):
    root = live.portal("hostile-rs412").root_url
    status, headers, body = _status(root)
    assert status == 412 and b"$_ts" in body and "NfBCSins2OywS" in headers["Set-Cookie"]
    # sending back the server's own S cookie is not enough: the T cookie comes from the script
    assert _status(root, headers["Set-Cookie"].split(";")[0])[0] == 412


def test_jsl521_wants_the_clearance_its_script_sets(live):
    root = live.portal("hostile-jsl521").root_url
    status, headers, body = _status(root)
    assert status == 521 and "__jsluid_s" in headers["Set-Cookie"] and b"__jsl_clearance_s" in body
    assert _status(root, "__jsluid_s=a1b2c3d4; __jsl_clearance_s=1|0|x")[2].count(b"go({") == 1
    assert _status(root, "__jsluid_s=a1b2c3d4; __jsl_clearance_s=150021|0|x")[0] == 200


def test_cookie302_and_burst429_and_block200(live):
    root = live.portal("hostile-cookie302").root_url
    status, headers, _ = _status(root)  # urllib follows the 302 but keeps no cookie: a loop
    assert status == 302 and headers["Set-Cookie"].startswith("CT6T=ok")
    assert _status(root, "CT6T=ok")[0] == 200
    root = live.portal("hostile-burst429").root_url
    statuses = [_status(root)[0] for _ in range(14)]
    assert statuses[:12] == [200] * 12 and statuses[-1] == 429
    assert _status(root)[1]["Retry-After"] == "1"
    report = next(r for r in live.reports if r.portal == "hostile-block200")
    first = _status(report.url)
    assert first[0] == 200 and "访问异常页面".encode() in first[2]


def test_odd_pages_and_their_ground_truth(live):
    root = live.portal("hostile-odd").root_url.rstrip("/")
    truth = {r.url: r for r in live.reports if r.portal == "hostile-odd"}
    pdf = truth[root + "/upload/P020240125381234567890.pdf"]
    _, headers, body = _status(pdf.url)
    assert headers["Content-Type"] == "application/octet-stream" and body.startswith(b"%PDF-")
    image = truth[root + "/show.php?id=7199001"]
    assert image.flags == ("no_text",) and b"<img" in _status(image.url)[2]
    assert _status(root + "/upload/P020200115000000000001.pdf")[2].startswith(b"<!DOCTYPE html>")
    assert (root + "/show.php?id=7199002") not in truth and (root + "/r/loop-a.html") not in truth
    listing = "".join(
        _status(f"{root}/html/channel_37.html?page={k}")[2].decode().split('<div class="pages">')[0]
        for k in range(1, 6)
    )
    assert listing.count('href="https://127.0.0.1:') == 1  # the https spelling of an http page
