"""The item pipelines on their own: what reaches the store, and what happens on bad input."""

from __future__ import annotations

import asyncio
import json

from crawler.items import ReportPage
from pipelines.archive import ArchivePipeline
from pipelines.extraction import ExtractPipeline
from pipelines.normalizing import NormalizePipeline
from storage import open_store
from storage.keys import sha256_hex
from tests.conftest import SEED_DIR

SEED_002 = SEED_DIR / "002_e3992751381c814a.txt"


def run_pipelines(item: ReportPage, store) -> ReportPage:
    # extract(): process_item's work in this thread (process_item hands documents to a thread)
    item = ExtractPipeline().extract(item)
    item = asyncio.run(ArchivePipeline(store).process_item(item))
    return asyncio.run(NormalizePipeline(store).process_item(item))


def page(body: bytes, content_type: str = "text/html; charset=utf-8") -> ReportPage:
    return ReportPage(
        url="http://127.0.0.1:8000/art/2024/1/20/art_1014_1.html",
        portal="test",
        body=body,
        status=200,
        headers={"Content-Type": content_type},
        fetched_at="2024-01-20T08:00:00+00:00",
    )


def test_a_report_page_is_archived_and_normalized(tmp_path):
    store = open_store(f"file://{tmp_path}")
    rows = "".join(
        f"<p>{line}</p>"
        for line in SEED_002.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    html = (
        "<html><head><title>平昌关镇 2023 年政府信息公开工作年度报告</title></head><body>"
        "<table class='xxgk_table'><tr><td>索 引 号</td><td>1141152100/2024-00003</td>"
        "<td>发布机构</td><td>平昌关镇人民政府</td></tr></table>"
        f"<div id='zoom'>{rows}</div></body></html>"
    ).encode()
    item = run_pipelines(page(html), store)

    assert store.get(item.raw_key) == html and item.sha256 == sha256_hex(html)
    assert item.meta == {"index_no": "1141152100/2024-00003", "publisher": "平昌关镇人民政府"}
    assert "1141152100/2024-00003" not in store.get(item.text_key).decode("utf-8")
    capture = json.loads(store.get(item.meta_key))
    assert capture["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert capture["fetched_at"] == "2024-01-20T08:00:00+00:00"
    report = json.loads(store.get(item.report_key))
    assert (report["template"], report["report_year"]) == ("2021", 2023)
    assert item.report_year == 2023 and item.org_name == "平昌关镇"


def test_a_binary_body_served_as_html_is_archived_and_flagged_not_crashed(tmp_path):
    store = open_store(f"file://{tmp_path}")
    body = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)) * 4
    item = run_pipelines(page(body), store)
    assert store.get(item.raw_key) == body
    assert any(flag.startswith("not_html") for flag in item.flags)
    assert item.report["template"] == "freeform" and item.report["applications"] == {}


def test_the_same_bytes_fetched_twice_are_stored_once(tmp_path):
    store = open_store(f"file://{tmp_path}")
    body = "<html><body><div id='zoom'><p>一、总体情况</p></div></body></html>".encode()
    first = run_pipelines(page(body), store)
    again = page(body)
    again.fetched_at = "2024-02-01T08:00:00+00:00"
    second = run_pipelines(again, store)
    assert first.raw_key == second.raw_key
    assert first.meta_key != second.meta_key  # two captures, one raw object
    assert list(store.list("raw/")) == [first.raw_key]
