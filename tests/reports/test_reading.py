"""One parse for extraction and normalization: reading a page whole gives the report that
normalizing the extractor's serialized main HTML gives, on every page of the fixtures."""

from __future__ import annotations

from typing import Any

import pytest

from reports.extract import extract_page
from reports.normalize import normalize_html, normalize_text
from reports.reading import read_report_page
from tests.conftest import FIXTURE_ROOT

PAGES = sorted(p for p in FIXTURE_ROOT.rglob("*.htm*"))


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_the_report_read_from_the_extractors_tree_is_the_report_of_its_html(path) -> None:
    body, url = path.read_bytes(), f"http://www.example.gov.cn/{path.name}"
    page = extract_page(body, url)
    kw: dict[str, Any] = {"source": url, "title": page.title, "meta": dict(page.meta)}
    two_parses = (
        normalize_html(page.main_html, **kw) if page.main_html else normalize_text(page.text, **kw)
    )
    reading = read_report_page(body, url)
    assert reading.page == page
    assert reading.report == two_parses


def test_a_text_page_and_a_document_are_read_too() -> None:
    text = read_report_page("索引号：123\n一、总体情况\n本年度……".encode(), "http://x.gov.cn/a.txt")
    assert "plain_text" in text.page.flags and text.report is not None
    pdf = read_report_page(
        b"%PDF-1.4 binary", "http://x.gov.cn/a.html", fallback_title="某县2023年年报"
    )
    assert pdf.report is not None
    assert pdf.page.flags == ["not_html:pdf"] and pdf.report["title"] == "某县2023年年报"
