"""Item pipeline (950, after NormalizePipeline at 900, before WarcWriterPipeline at 1000):
record the capture in the catalog (storage.catalog).

Runs once the report's body (org_name) and year are known, so the catalog can answer
"every report of a body and year".  For an unchanged capture it points report_key back at the
version holding the report (ArchivePipeline kept NormalizePipeline from writing it again).
It also keeps the validators (ETag, Last-Modified) the page and each attachment answered
with, for the next crawl's conditional requests (crawler/recrawl.py).
"""

from __future__ import annotations

from pipelines.archive import attachments_digest, header
from pipelines.reuse import was_skipped
from pipelines.store import StorePipeline, in_thread
from pipelines.warc import writes_warc
from storage.catalog import Capture, Validators


def validators_rows(item) -> list[Validators]:
    """One row per URL the item's bytes came from: the page (final and requested URL) and each
    fetched attachment."""
    rows = []
    for url, headers, status, sha, fetched_at, page in [
        (item.url, item.headers, item.status, item.sha256, item.fetched_at, None)
    ] + [
        (a.url, a.headers, a.status, a.sha256, a.fetched_at or item.fetched_at, item.url)
        for a in getattr(item, "attachments", [])
        if a.sha256 and not a.error
    ]:
        if not sha or not fetched_at:
            continue
        row = Validators(
            url,
            header(headers, "ETag"),
            header(headers, "Last-Modified"),
            sha,
            dict(headers or {}),
            status,
            fetched_at,
            page,
        )
        rows.append(row)
    if item.request_url and item.request_url != item.url and rows:
        rows.append(
            Validators(
                item.request_url,
                *[
                    getattr(rows[0], f)
                    for f in (
                        "etag",
                        "last_modified",
                        "sha256",
                        "headers",
                        "status",
                        "fetched_at",
                        "page_url",
                    )
                ],
            )
        )
    return rows


class CatalogPipeline(StorePipeline):
    async def process_item(self, item, spider=None):
        if item.meta_key is None:  # not archived (no ArchivePipeline in ITEM_PIPELINES)
            return item
        capture = item.meta_key.rpartition("/")[0]
        version = item.text_key.rpartition("/")[0]
        if item.report_key is None and item.change == "unchanged":
            item.report_key = f"{version}/report.json"
        if self.storage is None or was_skipped(item):  # not fetched: no capture to record
            return item
        await in_thread(
            self.storage.catalog.add,
            Capture(
                capture=capture,
                url=item.url,
                fetched_at=item.fetched_at,
                sha256=item.sha256,
                change=item.change or "unknown",
                version=version,
                run_id=self.storage.run_id,
                status=item.status,
                portal=item.portal,
                title=item.title,
                org_name=item.org_name,
                report_year=item.report_year,
                template=(item.report or {}).get("template"),
                attachments_sha256=attachments_digest(getattr(item, "attachments", [])),
            ),
        )
        if not writes_warc(self.storage.crawler.settings):
            # no WARC records to wait for: the capture is complete (see storage.recovery)
            await in_thread(self.storage.catalog.finish_capture, capture)
        for row in validators_rows(item):
            await in_thread(self.storage.catalog.set_validators, row)
        await in_thread(self.storage.catalog.back, item.url)
        self.storage.check_spool(item.url, "normalize (report.json)")
        return item
