"""Item pipeline, after NormalizePipeline: record the capture in the catalog (storage.catalog).

Runs last, when the report's body (org_name) and year are known, so the catalog can answer
"every report of a body and year".  For an unchanged capture it points report_key back at the
version holding the report (ArchivePipeline kept NormalizePipeline from writing it again).
"""
from __future__ import annotations

from pipelines.store import StorePipeline, in_thread
from pipelines.warc import writes_warc
from storage.catalog import Capture


class CatalogPipeline(StorePipeline):
    async def process_item(self, item, spider=None):
        if item.meta_key is None:  # not archived (no ArchivePipeline in ITEM_PIPELINES)
            return item
        capture = item.meta_key.rpartition("/")[0]
        version = item.text_key.rpartition("/")[0]
        if item.report_key is None and item.change == "unchanged":
            item.report_key = f"{version}/report.json"
        if self.storage is None:
            return item
        await in_thread(self.storage.catalog.add, Capture(
            capture=capture, url=item.url, fetched_at=item.fetched_at, sha256=item.sha256,
            change=item.change or "unknown", version=version, run_id=self.storage.run_id,
            status=item.status, portal=item.portal, title=item.title, org_name=item.org_name,
            report_year=item.report_year, template=(item.report or {}).get("template")))
        if not writes_warc(self.storage.crawler.settings):
            # no WARC records to wait for: the capture is complete (see storage.recovery)
            await in_thread(self.storage.catalog.finish_capture, capture)
        self.storage.check_spool(item.url, "normalize (report.json)")
        return item
