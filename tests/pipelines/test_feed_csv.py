"""The CSV feed writes nested fields as JSON that a CSV reader turns back into the data."""

from __future__ import annotations

import csv
import io
import json

from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.items import Attachment, ReportPage


def _export(item) -> dict:
    settings = get_project_settings()
    exporter_cls = load_object(settings.getdict("FEED_EXPORTERS")["csv"])
    out = io.BytesIO()
    exporter = exporter_cls(out, fields_to_export=settings.getlist("FEED_EXPORT_FIELDS"))
    exporter.start_exporting()
    exporter.export_item(item)
    exporter.finish_exporting()
    [row] = csv.DictReader(io.StringIO(out.getvalue().decode("utf-8")))
    return row


def test_nested_fields_are_json_and_scalars_stay_plain():
    meta = {
        "index_no": "11330799002591100X/2021-00012",
        "publisher": "顾县镇人民政府",
        "published_date": "2021-01-20",
    }
    report = {
        "template": "2019",
        "active": {"procurement": {"projects": 2, "amount": 20.5, "amount_unit": "万元"}},
        "applications": {},
        "checks": [{"rule": "C1", "ok": True, "where": "applications.granted"}],
        "flags": ["blank cell read as 0: applications.granted.research"],
    }
    item = ReportPage(
        url="http://127.0.0.1/a.html",
        portal="yunxi",
        meta=meta,
        report=report,
        report_year=2020,
        org_name="顾县镇人民政府",
        status=200,
        attachments=[Attachment(url="http://127.0.0.1/a.pdf", body=b"%PDF", text="t", kind="pdf")],
    )
    row = _export(item)
    assert json.loads(row["meta"]) == meta
    assert json.loads(row["report"]) == report
    [attachment] = json.loads(row["attachments"])
    assert (
        attachment["url"] == "http://127.0.0.1/a.pdf"
        and "body" not in attachment
        and "text" not in attachment
    )
    assert (
        row["report_year"] == "2020"
        and row["org_name"] == "顾县镇人民政府"
        and row["url"] == item.url
    )
    assert json.loads(row["flags"]) == []
