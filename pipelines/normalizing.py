"""Item pipeline (900, after ArchivePipeline at 200, before CatalogPipeline at 950 and
WarcWriterPipeline at 1000, the last): read the report's tables and check their arithmetic
(reports.normalize, the pure reader), and store the normalized report beside the capture.
An unchanged capture (ArchivePipeline left ``report_key`` None) or a reused item is passed by."""

from __future__ import annotations

import logging

from pipelines.archive import dump_json
from pipelines.extraction import take_page_report
from pipelines.offload import ParsePool, crawler_parse_pool
from pipelines.reuse import reused
from pipelines.store import StorePipeline, in_thread
from reports.normalize import normalize_html, normalize_text

logger = logging.getLogger(__name__)


def normalize_item(main_html: str, text: str, **kw) -> dict:
    """The report of a page: from its main HTML, else from its text."""
    if main_html:
        return normalize_html(main_html, **kw)
    return normalize_text(text or "", **kw)


class NormalizePipeline(StorePipeline):
    parse_pool: ParsePool | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = super().from_crawler(crawler)
        pipeline.parse_pool = crawler_parse_pool(crawler)
        return pipeline

    async def process_item(self, item, spider=None):
        if reused(item) is not None:  # the stored report of the version it repeats
            return item
        kw = {"source": item.url, "title": item.title, "meta": item.meta}
        reading = take_page_report(item)
        try:
            if reading is not None:  # read with the page, from the extractor's own tree
                if reading.report is None:
                    raise ValueError(reading.report_error)
                report = reading.report
            elif self.parse_pool is not None:
                # a worker process (a big report: the child of its own), so the reactor goes on
                report = await self.parse_pool.run(
                    normalize_item,
                    item.main_html,
                    item.text,
                    size=len(item.main_html or item.text or ""),
                    **kw,
                )
            else:
                report = normalize_item(item.main_html, item.text, **kw)
        except Exception as exc:  # a report we cannot read is data too: flag it, keep crawling
            logger.error(
                "normalize failed for %s: %s; the page is archived, the report is empty",
                item.url,
                exc,
            )
            item.flags.append(f"normalize_error: {exc}")
            return item
        item.report = report
        item.report_year = report.get("report_year")
        item.org_name = report.get("org_name")
        if item.report_key:
            await in_thread(self.store.put, item.report_key, dump_json(report), "application/json")
        return item
