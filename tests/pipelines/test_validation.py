"""The item validation pipeline counts what Spidermon's own counts, on good and bad items."""

from __future__ import annotations

from scrapy.utils.test import get_crawler
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline as SpidermonValidation

from crawler import settings as project
from crawler.items import Attachment, ReportPage
from pipelines.validation import ItemValidationPipeline


def _item(**kw) -> ReportPage:
    item = ReportPage(
        url="http://www.example.gov.cn/a.html",
        portal="p",
        body=b"<html></html>",
        status=200,
        headers={"Content-Type": "text/html"},
        fetched_at="2024-01-20T08:00:00+00:00",
        title="某县2023年年报",
        text="",
        sha256="a" * 64,
        raw_key="raw/sha256/aa/" + "a" * 64,
        text_key="text/x",
        meta_key="m",
        report_key="r",
        change="new",
        text_source="page",
        encoding="utf-8",
    )
    item.attachments = [Attachment(url="http://www.example.gov.cn/a.pdf", status=200, body=b"%PDF")]
    for key, value in kw.items():
        setattr(item, key, value)
    return item


def _validation_stats(pipeline_cls, items) -> dict:
    crawler = get_crawler(
        settings_dict={
            "SPIDERMON_ENABLED": True,
            "SPIDERMON_VALIDATION_SCHEMAS": project.SPIDERMON_VALIDATION_SCHEMAS,
        }
    )
    pipeline = pipeline_cls.from_crawler(crawler)
    for item in items:
        pipeline.process_item(item)
    return {
        k: v for k, v in crawler.stats.get_stats().items() if k.startswith("spidermon/validation")
    }


def test_the_compiled_validator_counts_the_errors_spidermon_counts() -> None:
    items = [
        _item(),
        _item(status="200", sha256=None),
        _item(url=None, portal=None, flags=[3]),
        _item(report={"schema_version": 1}),
    ]
    ours = _validation_stats(ItemValidationPipeline, [_item(), *items[1:]])
    theirs = _validation_stats(SpidermonValidation, items)
    assert ours == theirs
    assert ours["spidermon/validation/items"] == 4
    assert ours["spidermon/validation/items/errors"] == 3
    assert any(k.endswith("/url") for k in ours)  # a missing field, named as Spidermon names it


def test_a_reused_items_stored_report_is_not_checked_again() -> None:
    from pipelines.reuse import _REUSED

    fresh, repeat = _item(report={"schema_version": 1}), _item(report={"schema_version": 1})
    repeat.__dict__[_REUSED] = object()  # repeats its last capture (pipelines/reuse.py)
    assert (
        _validation_stats(ItemValidationPipeline, [fresh])["spidermon/validation/items/errors"] == 1
    )
    stats = _validation_stats(ItemValidationPipeline, [repeat])
    assert (
        stats["spidermon/validation/items"] == 1
        and "spidermon/validation/items/errors" not in stats
    )
