"""docs/schemas/item.schema.json: the items the pipelines make pass it, broken ones do not."""

from __future__ import annotations

import asyncio

import jsonschema
import pytest
from itemadapter import ItemAdapter
from scrapy.utils.test import get_crawler

from crawler.items import Attachment, ReportPage
from crawler.schemas import bundled
from pipelines.archive import ArchivePipeline
from pipelines.catalog import CatalogPipeline
from pipelines.extraction import ExtractPipeline
from pipelines.normalizing import NormalizePipeline
from pipelines.store import crawler_storage
from simulator import Simulator

# the item as the pipelines hold it (bytes and text still in it), as the Spidermon monitor sees it
SCHEMA = bundled("item", in_crawl=True)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    """Simulator report pages (with an attachment where the page links one) through the
    pipelines."""
    import urllib.request

    tmp = tmp_path_factory.mktemp("schema")
    storage = crawler_storage(
        get_crawler(
            settings_dict={"STORE_URI": f"file://{tmp / 'store'}", "STATE_DIR": str(tmp / "state")}
        )
    )
    out = []
    with Simulator(portals=["tongqiao"]).running() as live:
        truths = sorted(live.reports, key=lambda t: (not t.attachments, t.url))[:4]
        for truth in truths:
            with urllib.request.urlopen(truth.url) as resp:
                item = ReportPage(
                    url=truth.url,
                    portal="tongqiao",
                    body=resp.read(),
                    status=resp.status,
                    headers=dict(resp.headers),
                    fetched_at="2026-01-20T08:00:00+00:00",
                )
            for url in truth.attachments:
                with urllib.request.urlopen(url) as resp:
                    item.attachments.append(
                        Attachment(
                            url=url,
                            status=200,
                            headers=dict(resp.headers),
                            body=resp.read(),
                            fetched_at=item.fetched_at,
                        )
                    )
            item = ExtractPipeline().extract(item)
            for pipeline in (ArchivePipeline, NormalizePipeline, CatalogPipeline):
                item = asyncio.run(pipeline(storage.store, storage).process_item(item))
            out.append(item)
    assert any(i.attachments for i in out)
    return out


def test_pipeline_items_are_valid(items):
    for item in items:
        errors = [e.message for e in VALIDATOR.iter_errors(ItemAdapter(item).asdict())]
        assert not errors, (item.url, errors)


@pytest.mark.parametrize(
    "field,value",
    [
        ("change", "maybe"),
        ("sha256", "abc"),
        ("status", 404),
        ("url", "ftp://x/"),
        ("report_year", 1999),
        ("flags", "one"),
    ],
)
def test_broken_items_are_not(items, field, value):
    data = ItemAdapter(items[0]).asdict()
    data[field] = value
    assert list(VALIDATOR.iter_errors(data)), (field, value)


def test_a_report_without_its_template_is_not(items):
    data = ItemAdapter(items[0]).asdict()
    del data["report"]["template"]
    assert list(VALIDATOR.iter_errors(data))


def _break(data: dict, field: str | None, value) -> None:
    """Set ``field`` (a dotted path) to ``value``, or delete it for None."""
    if field is None:
        return
    *path, last = field.split(".")
    for key in path:
        data = data[key]
    if value is None:
        del data[last]
    else:
        data[last] = value


@pytest.mark.parametrize(
    "field,value",
    [
        (None, None),
        ("change", "maybe"),
        ("report_year", 1999),
        ("url", None),
        ("fetched_at", 20260120),
        ("report.template", None),
        ("report.report_year", "2020"),
        ("attachments", [{"url": 3}]),
    ],
)
def test_the_crawl_pipeline_reports_what_spidermon_reports(items, field, value):
    """pipelines/validation.py: a plain dict in one pass, jsonschema-rs to say valid, and
    Spidermon's errors for an invalid item, inside the embedded report schema too."""
    from spidermon.contrib.validation import JSONSchemaValidator

    from pipelines.validation import ItemValidationPipeline, plain

    ours = ItemValidationPipeline._load_jsonschema_validator(SCHEMA)
    for item in items:
        assert plain(item) == ItemAdapter(item).asdict()
        data = plain(item)
        _break(data, field, value)
        verdict = ours.validate(data)
        assert verdict == JSONSchemaValidator(SCHEMA).validate(data)
        assert verdict[0] is (field is None), (field, verdict)
