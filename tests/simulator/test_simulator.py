"""The portal simulator serves what its ground truth says, in the shape the crawler expects."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator import Simulator
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def live():
    with Simulator().running() as running:
        yield running


def fetch(
    url: str, data: bytes | None = None, headers: dict | None = None
) -> tuple[int, dict, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8", "replace")


def links(html: str, base: str) -> dict[str, str]:
    """Anchor text -> absolute URL."""
    out = {}
    for href, text in re.findall(r'<a href="([^"#]+)"[^>]*>(.*?)</a>', html):
        out.setdefault(
            unescape(re.sub(r"<[^>]+>", "", text)), urllib.parse.urljoin(base, unescape(href))
        )
    return out


def column_name(html: str) -> str:
    return re.search(r'<meta name="ColumnName" content="([^"]*)">', html).group(1)


def portal(live, family: str):
    return next(p for p in live.portals if p.family == family)


# --- navigation -------------------------------------------------------------------------------


def test_portals_of_two_families(live):
    assert {p.family for p in live.portals} == {"hanweb", "trs"}
    for p in live.portals:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", p.root_url)
        assert any(r.portal == p.name for r in live.reports)


@pytest.mark.parametrize("family", ["hanweb", "trs"])
def test_home_links_lead_to_report_columns(live, family):
    root = portal(live, family).root_url
    status, _, home = fetch(root + "index.html")
    assert status == 200
    for chrome in ("网站标识码", "ICP备", 'name="SiteIDCode"'):
        assert chrome in home
    xxgk_url = links(home, root)["政府信息公开"]
    _, _, xxgk = fetch(xxgk_url)
    nav = links(xxgk, xxgk_url)
    for name in (
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
        "乡镇信息公开",
        "部门信息公开",
    ):
        assert name in nav, name
    status, _, column = fetch(nav["政府信息公开年报"])
    assert status == 200 and column_name(column) == "政府信息公开年报"
    assert "当前位置" in column
    for unit_list in ("乡镇信息公开", "部门信息公开"):
        _, _, units = fetch(nav[unit_list])
        unit_links = {
            t: u
            for t, u in links(units, nav[unit_list]).items()
            if t.endswith(("镇", "乡", "局", "室"))
        }
        assert len(unit_links) >= 3
        for url in unit_links.values():
            status, _, page = fetch(url)
            assert status == 200 and column_name(page) == "政府信息公开年报"


def test_report_pages_carry_the_chrome(live):
    for family in ("hanweb", "trs"):
        report = next(r for r in live.reports if r.portal == portal(live, family).name)
        _, _, html = fetch(report.url)
        for text in (
            "当前位置",
            "字体:[",
            "浏览次数",
            "打印本页",
            "关闭窗口",
            "网站标识码",
            '<meta name="ArticleTitle"',
            '<meta name="PubDate"',
        ):
            assert text in html, (family, text)
    hanweb = next(r for r in live.reports if r.portal == portal(live, "hanweb").name)
    html = fetch(hanweb.url)[2]
    assert 'class="xxgk_table"' in html and '<div id="zoom">' in html
    assert "<!--ZJEG_RSS.content.begin-->" in html and "<!--ZJEG_RSS.content.end-->" in html
    trs = next(r for r in live.reports if r.portal == portal(live, "trs").name)
    _status, _headers, html = fetch(trs.url)
    assert 'class="view TRS_UEDITOR trs_paper_default trs_web"' in html
    assert "<b>索　引　号：</b>" in html
    assert re.search(r"/\d{6}/t\d{8}_\d+\.html$", trs.url)


# --- Hanweb listing APIs -------------------------------------------------------------------------

RECORD = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def record_urls(xml: str, base: str) -> list[str]:
    return [
        urllib.parse.urljoin(base, unescape(re.search(r'href="([^"]+)"', r).group(1)))
        for r in RECORD.findall(xml)
    ]


def hanweb_column(live):
    root = portal(live, "hanweb").root_url
    xxgk_url = links(fetch(root)[2], root)["政府信息公开"]
    url = links(fetch(xxgk_url)[2], xxgk_url)["政府信息公开年报"]
    return root, url, fetch(url)[2]


def test_hanweb_first_page_embeds_a_datastore(live):
    _root, url, html = hanweb_column(live)
    island = re.search(r'<script type="text/xml"><datastore>(.*?)</datastore></script>', html, re.S)
    assert island and "<nextgroup>" in island.group(1)
    total = int(re.search(r"totalRecord:(\d+)", html).group(1))
    per_page = int(re.search(r"perPage:(\d+)", html).group(1))
    group = int(re.search(r"groupSize:(\d+)", html).group(1))
    records = record_urls(island.group(1), url)
    assert len(records) == min(total, per_page * group) and total > len(records)
    assert all(re.search(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$", u) for u in records)
    first = RECORD.search(island.group(1)).group(1)
    assert re.search(
        r'<li><a href="[^"]+" target="_blank" title="[^"]+">.+</a><span>\d{4}-\d{2}-\d{2}</span>'
        r"</li>",
        first,
    )


def test_hanweb_dataproxy_post_and_get_return_the_rest(live):
    root, url, html = hanweb_column(live)
    total = int(re.search(r"totalRecord:(\d+)", html).group(1))
    per_page = int(re.search(r"perPage:(\d+)", html).group(1))
    columnid = re.search(r"columnid:(\d+)", html).group(1)
    unitid = re.search(r"unitid:'(\d+)'", html).group(1)
    embedded = record_urls(html, url)
    form = urllib.parse.urlencode(
        {
            "col": 1,
            "appid": 1,
            "webid": 3185,
            "path": "/",
            "columnid": columnid,
            "sourceContentType": 1,
            "unitid": unitid,
            "webname": "云溪县人民政府",
            "permissiontype": 0,
        }
    ).encode()
    headers = {
        "X-Requested-With": "XMLHttpRequest",
        "Referer": url,
        "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    }
    proxy = root + "module/web/jpage/dataproxy.jsp"
    posted = []
    for start in range(len(embedded) + 1, total + 1, per_page):
        status, hdrs, xml = fetch(
            f"{proxy}?startrecord={start}&endrecord={start + per_page - 1}&perpage={per_page}",
            form,
            headers,
        )
        assert status == 200 and hdrs["Content-Type"].startswith("text/xml")
        assert f"<totalrecord>{total}</totalrecord>" in xml
        posted += record_urls(xml, url)
    assert len(set(embedded + posted)) == total

    nextgroup = unescape(re.search(r"<nextgroup><!\[CDATA\[<a href=\"([^\"]+)\"", html).group(1))
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(nextgroup).query))
    assert query["columnid"] == columnid and query["unitid"] == unitid and query["page"] == "2"
    got, page = [], 1
    while True:
        query["page"] = str(page)
        xml = fetch(f"{proxy}?{urllib.parse.urlencode(query)}")[2]
        pages = int(re.search(r"<totalpage>(\d+)</totalpage>", xml).group(1))
        got += record_urls(xml, url)
        if page >= pages:
            break
        page += 1
    assert got[: len(embedded)] == embedded and set(got) == set(embedded + posted)
    # a columnid with another column's unitid returns nothing
    wrong = fetch(f"{proxy}?page=1&columnid={columnid}&unitid=1")[2]
    assert "<totalrecord>0</totalrecord>" in wrong and not RECORD.search(wrong)


# --- TRS listing ------------------------------------------------------------------------------


def test_trs_static_pages_and_create_page_html(live):
    root = portal(live, "trs").root_url
    xxgk_url = links(fetch(root)[2], root)["政府信息公开"]
    url = links(fetch(xxgk_url)[2], xxgk_url)["政府信息公开年报"]
    assert url.endswith("/zwgk/zfxxgk/zfxxgknb/index.html")
    html = fetch(url)[2]
    pages = int(re.search(r'createPageHTML\((\d+), 0, "index", "html"\);', html).group(1))
    assert pages >= 2
    seen = {u for t, u in links(html, url).items() if "/t20" in u}
    for k in range(1, pages):
        status, _, page = fetch(url.replace("index.html", f"index_{k}.html"))
        assert status == 200 and f'createPageHTML({pages}, {k}, "index", "html");' in page
        seen |= {u for u in links(page, url).values() if "/t20" in u}
    assert fetch(url.replace("index.html", f"index_{pages}.html"))[0] == 404
    assert all(fetch(u)[0] == 200 for u in seen)
    assert re.search(r"/(\d{6})/t(\d{8})_\d+\.html", next(iter(seen)))
    js = fetch(root + "js/page.js")[2]
    assert "function createPageHTML" in js


# --- ground truth -------------------------------------------------------------------------------


def shown(value: str) -> list[str]:
    """How a meta value can appear on the page (ISO dates also as YYYY年MM月DD日)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    return [value, f"{m[1]}年{m[2]}月{m[3]}日"] if m else [value]


def test_every_report_url_serves_its_title_and_header(live):
    assert len(live.reports) >= 60
    for report in live.reports:
        status, _, html = fetch(report.url)
        assert status == 200, report.url
        assert report.title in html
        assert report.meta["title"] == report.title
        for key, value in report.meta.items():
            assert re.fullmatch(
                r"index_no|category|publisher|written_date|published_date|doc_number|validity|title",
                key,
            )
            assert any(v in html for v in shown(value)), (report.url, key, value)


def test_non_reports_are_served_and_distinct(live):
    titles = []
    for url in live.non_reports:
        status, _, html = fetch(url)
        assert status == 200
        titles.append(re.search(r"<title>(.*?)</title>", html).group(1))
    assert not set(live.non_reports) & {r.url for r in live.reports}
    for distractor in (
        "政府工作报告",
        "关于做好2023年度政府信息公开工作年度报告编制工作的通知",
        "解读",
        "法治政府建设年度报告",
        "部门预算",
    ):
        assert any(distractor in t for t in titles), distractor


def failing(report) -> list[dict]:
    """C1–C3, C5–C7 computed here from the truth values, independently of the simulator."""
    apps, out = report.applications, []
    cols = ["natural_person", "commercial", "research", "social_org", "legal_service", "other"]
    for key, row in apps.items():
        if row["total"] != sum(row[c] for c in cols):
            out.append({"rule": "C1", "where": f"applications.{key}"})
    fixed = {"new_received", "carried_over", "total_handled", "carried_forward"}
    for col in cols + ["total"]:
        if (
            apps["new_received"][col] + apps["carried_over"][col]
            != apps["total_handled"][col] + apps["carried_forward"][col]
        ):
            out.append({"rule": "C2", "where": f"applications.*.{col}"})
        if apps["total_handled"][col] != sum(
            row[col] for key, row in apps.items() if key not in fixed
        ):
            out.append({"rule": "C3", "where": f"applications.*.{col}"})
    for rule, group in (("C5", "review"), ("C6", "suit_direct"), ("C7", "suit_after_review")):
        g = report.review_litigation[group]
        if g["total"] != g["upheld"] + g["corrected"] + g["other"] + g["pending"]:
            out.append({"rule": rule, "where": f"review_litigation.{group}"})
    return out


def key(check: dict) -> tuple:
    return check["rule"], check["where"]


def test_reports_satisfy_the_checks_except_the_recorded_failures(live):
    for report in live.reports:
        assert sorted(map(key, failing(report))) == sorted(map(key, report.failing_checks)), (
            report.url
        )
    assert sum(1 for r in live.reports if r.failing_checks) >= 3
    nonzero = [r for r in live.reports if r.applications["new_received"]["total"]]
    assert len(nonzero) >= 20


def test_truth_shapes_and_templates(live):
    years = {r.report_year for r in live.reports}
    assert years == set(range(2019, 2025))
    for r in live.reports:
        assert r.template == ("2019" if r.report_year <= 2020 else "2021")
        rows = set(r.applications)
        if r.template == "2019":
            assert "other_handling" in rows and "procurement" in r.active
            assert "amount_unit" in r.active["procurement"]
            assert set(r.active["licensing"]) == {"prev_items", "change", "decisions"}
        else:
            assert {"other_no_correction", "other_unpaid_fee", "other_misc"} <= rows
            assert "procurement" not in r.active and "other_services" not in r.active
            assert set(r.active["fees"]) == {"amount_wan_yuan"}
        assert len(rows) == (23 if r.template == "2019" else 25)
        assert set(r.review_litigation) == {"review", "suit_direct", "suit_after_review"}
        assert str(r.report_year) in r.title and r.org_name in r.title


def test_seed_reports(live):
    seeds = {
        ("顾县镇人民政府", 2020),
        ("张家坡镇", 2020),
        ("平昌关镇", 2023),
        ("鹿乡镇", 2020),
        ("花戛乡人民政府", 2020),
    }
    by_org = {r.org_name: r for r in live.reports if (r.org_name, r.report_year) in seeds}
    assert len(by_org) == 5
    assert by_org["平昌关镇"].template == "2021" and by_org["平昌关镇"].report_year == 2023
    assert by_org["鹿乡镇"].active["licensing"]["prev_items"] == 2
    assert by_org["鹿乡镇"].active["other_services"]["prev_items"] == 1
    assert by_org["鹿乡镇"].active["penalty"]["prev_items"] == 109
    assert by_org["花戛乡人民政府"].active["procurement"] == {
        "projects": 4,
        "amount": 790000,
        "amount_unit": None,
    }
    assert by_org["花戛乡人民政府"].meta["index_no"] == "000014349/2021-337607"
    assert "publisher" not in by_org["花戛乡人民政府"].meta  # empty cell, no key
    for r in by_org.values():
        assert not any(v for row in r.applications.values() for v in row.values())
        html = fetch(r.url)[2]
        assert "五、存在的主要问题及改进情况" in html


# --- table structure --------------------------------------------------------------------------


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag == "td" and self.tables:
            self._cell = [int(a.get("rowspan", 1)), int(a.get("colspan", 1)), ""]
            self.tables[-1][-1].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data


def grid_widths(rows) -> list[int]:
    """Number of grid columns each row covers, counting cells that span down from above."""
    pending: dict[int, int] = {}  # grid column -> rows it is still covered for, this one included
    widths = []
    for row in rows:
        occupied = set(pending)
        placed: set[int] = set()
        col = 0
        for rowspan, colspan, _ in row:
            while col in occupied:
                col += 1
            for c in range(col, col + colspan):
                placed.add(c)
                if rowspan > 1:
                    pending[c] = rowspan
            col += colspan
        widths.append(len(occupied | placed))
        pending = {c: n - 1 for c, n in pending.items() if n > 1}
    return widths


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_report_tables_have_the_template_structure(live, template):
    report = next(
        r for r in live.reports if r.template == template and r.applications["granted"]["total"]
    )
    parser = _Tables()
    parser.feed(fetch(report.url)[2])
    word = [t for t in parser.tables if t and any(len(r) > 2 for r in t)]
    active, applications, review = word[-3:]
    assert set(grid_widths(active)) == {4}
    assert set(grid_widths(applications)) == {10}
    assert len(applications) == 3 + (23 if template == "2019" else 25)
    note = applications[0][0]
    assert note[:2] == [3, 3] and "勾稽关系" in note[2]
    assert applications[0][1][1:] == [7, "申请人情况"]
    assert applications[1][1][1:] == [5, "法人或其他组织"]
    assert set(grid_widths(review)) == {15} and len(review) == 4
    assert [c[1:] for c in review[0]] == [[5, "行政复议"], [10, "行政诉讼"]]
    assert [c[1:] for c in review[1][5:]] == [[5, "未经复议直接起诉"], [5, "复议后起诉"]]
    values = [c[2] for c in applications[5]]  # （一）予以公开
    assert values[-7:] == [
        str(report.applications["granted"][k])
        for k in (
            "natural_person",
            "commercial",
            "research",
            "social_org",
            "legal_service",
            "other",
            "total",
        )
    ]
    if template == "2021":
        licensing = next(r for r in active if r[0][2] == "行政许可")
        assert licensing[1][1] == 3


# --- server behaviour ---------------------------------------------------------------------------


def test_robots_404_and_request_log(live):
    root = live.portals[0].root_url
    status, _headers, body = fetch(root + "robots.txt")
    assert status == 200 and "Disallow:\n" in body and "Disallow: /" not in body
    assert fetch(root + "no/such/page.html")[0] == 404
    assert fetch(root + "index.html")[1]["Content-Type"] == "text/html; charset=utf-8"
    assert ("GET", "/no/such/page.html", 404) in {
        (r.method, r.path, r.status) for r in live.requests
    }


def test_twenty_concurrent_requests_do_not_stall(live):
    urls = [r.url for r in live.reports[:20]]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(lambda u: fetch(u)[0], urls))
    assert statuses == [200] * 20
    assert time.monotonic() - start < 5


def test_deterministic():
    a, b = Simulator(), Simulator()
    for x, y in zip(a.sites, b.sites, strict=True):
        assert list(x.articles) == list(y.articles)
        for path, art in x.articles.items():
            other = y.articles[path]
            assert art.title == other.title and art.header == other.header
            if art.report:
                assert art.report.applications == other.report.applications


@pytest.mark.slow
def test_main_prints_portals_and_writes_ready_file(tmp_path: Path):
    ready = tmp_path / "ready.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--base-port", "0", "--ready-file", str(ready)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 20
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        lines = ready.read_text(encoding="utf-8").splitlines()
        assert [line.split()[1] for line in lines] == ["hanweb", "trs"]
        assert fetch(lines[0].split()[2] + "index.html")[0] == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0 and out.splitlines() == lines
