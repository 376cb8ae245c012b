"""Item pipeline (900, after ArchivePipeline, before CatalogPipeline): read the report's tables
and check their arithmetic, and store the normalized report beside the capture."""
from __future__ import annotations

import logging

from pipelines.archive import dump_json
from pipelines.normalize import normalize_html, normalize_text
from pipelines.store import StorePipeline, in_thread

logger = logging.getLogger(__name__)


class NormalizePipeline(StorePipeline):
    async def process_item(self, item, spider=None):
        try:
            if item.main_html:
                report = normalize_html(item.main_html, source=item.url, title=item.title, meta=item.meta)
            else:
                report = normalize_text(item.text or "", source=item.url, title=item.title, meta=item.meta)
        except Exception as exc:  # a report we cannot read is data too: flag it, keep crawling
            logger.error("normalize failed for %s: %s; the page is archived, the report is empty", item.url, exc)
            item.flags.append(f"normalize_error: {exc}")
            return item
        item.report = report
        item.report_year = report.get("report_year")
        item.org_name = report.get("org_name")
        if item.report_key:
            await in_thread(self.store.put, item.report_key, dump_json(report), "application/json")
        return item
