"""The simulator's reports with attachments, crawled end to end: the files are fetched,
archived byte for byte and listed with their page; the report published only as a PDF is read
from the PDF; and every report's stored text has its six headings and every table row, and no
site chrome."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlsplit

import pytest

from simulator import Simulator
from simulator.documents import grid
from simulator.tables import active_table, applications_table, review_table
from storage import open_store
from tests.conftest import run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess

CHROME = (
    "当前位置",
    "字体",
    "打印本页",
    "关闭窗口",
    "浏览次数",
    "信息来源",
    "发布时间",
    "网站标识码",
    "ICP备",
    "首页",
    "新闻中心",
    "大汉网络",
)


@pytest.fixture(scope="module")
def crawl(live_sim, tmp_path_factory):
    result = run_crawl(
        tmp_path_factory.mktemp("attachments"),
        "url=" + ",".join(p.root_url for p in live_sim.portals),
    )
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.fixture(scope="module")
def items(crawl):
    return {item["url"]: item for item in crawl.items}


@pytest.fixture(scope="module")
def contents():
    """Each report's content by URL path (the simulator is deterministic: same build, same
    reports)."""
    return {
        art.path: art.report
        for site in Simulator().sites
        for art in site.articles.values()
        if art.report
    }


def test_attachments_are_fetched_archived_and_listed(live_sim, crawl, items):
    store = open_store(f"file://{crawl.store_dir}")
    with_files = [r for r in live_sim.reports if r.attachments]
    assert len(with_files) == 4
    for report in with_files:
        item = items[report.url]
        assert [a["url"] for a in item["attachments"]] == list(report.attachments), report.url
        capture = json.loads(store.get(item["meta_key"]))
        assert capture["attachments"] == item["attachments"]
        for record in item["attachments"]:
            with urllib.request.urlopen(record["url"]) as resp:
                served = resp.read()
            assert store.get(record["raw_key"]) == served, record["url"]
            assert record["kind"] == record["url"].rsplit(".", 1)[1] and record["flags"] == [], (
                record
            )
    assert {a["kind"] for r in with_files for a in items[r.url]["attachments"]} == {
        "pdf",
        "doc",
        "docx",
    }
    assert all(not items[r.url]["attachments"] for r in live_sim.reports if not r.attachments)


def test_the_report_published_only_as_a_pdf_is_read_from_the_pdf(live_sim, items):
    [report] = [
        r
        for r in live_sim.reports
        if r.attachments
        and r.portal == "tongqiao"
        and r.report_year == 2021
        and "桐桥县人民政府" in r.title
    ]
    item = items[report.url]
    assert item["text_source"] == report.attachments[0]
    assert (item["report"]["template"], item["report_year"]) == ("2021", 2021)
    for table in ("active", "applications", "review_litigation"):
        assert item["report"][table] == getattr(report, table), table
    assert report.applications["new_received"]["total"] > 0  # real numbers, not a table of zeros
    others = [items[r.url]["text_source"] for r in live_sim.reports if r.url != report.url]
    assert set(others) == {"page"}


def _rows(content) -> list[str]:
    lines = []
    for table in (
        active_table(content.template, content.active, amount_label=content.amount_label),
        applications_table(content.template, content.applications),
        review_table(content.review_litigation),
    ):
        rows, _, cells = grid(table)
        for r in range(rows):
            lines.append("\t".join(c.text for c in cells if c.row == r).rstrip("\t"))
    return lines


def test_every_report_text_has_its_headings_and_table_rows_and_no_chrome(
    live_sim, crawl, items, contents
):
    store = open_store(f"file://{crawl.store_dir}")
    for report in live_sim.reports:
        text = store.get(items[report.url]["text_key"]).decode("utf-8")
        lines = {line.rstrip("\t") for line in text.split("\n")}
        content = contents[urlsplit(report.url).path]
        missing = [h for h in content.headings if h not in lines]
        missing += [row for row in _rows(content) if row not in lines]
        assert not missing, (report.url, missing[:3])
        chrome = [c for c in CHROME if c in text]
        assert not chrome, (report.url, chrome)
