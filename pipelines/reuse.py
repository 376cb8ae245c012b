"""Item pipeline, first in line: unchanged means cheap.

When a report page's bytes and its attachments' bytes are those of the URL's last capture (a
re-crawl of an unchanged portal, a 304 rebuilt by crawler/recrawl.py, a page skipped under
RECRAWL_MAX_AGE), nothing is extracted, converted or normalized again: the item takes the
title, metadata header, flags and normalized report of the version it repeats from the store
(two reads), and ExtractPipeline and NormalizePipeline pass it by.  ArchivePipeline still
records the capture as ``unchanged`` (a skipped page, which was not fetched, gets no record).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from pipelines.archive import attachments_digest, change_of, last_capture
from pipelines.store import StorePipeline, in_thread, sha256_of
from storage import StoreError, keys
from storage.catalog import Capture

logger = logging.getLogger(__name__)

_REUSED = "_nb_reused"  # on an item: the Capture whose version it repeats (not a field)
_SKIPPED = "_nb_skipped"  # on an item: not fetched this run (RECRAWL_MAX_AGE)


@dataclass
class RecrawlLedger:
    """What the conditional-request middleware did to which URL in this crawl."""

    not_modified: set[str] = field(default_factory=set)
    skipped: dict[str, str] = field(default_factory=dict)  # URL -> portal
    gone: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # URL -> (portal, reason)


def recrawl_ledger(crawler) -> RecrawlLedger:
    ledger = getattr(crawler, "_nianbao_recrawl", None)
    if ledger is None:
        ledger = crawler._nianbao_recrawl = RecrawlLedger()
    return ledger


def reused(item) -> Capture | None:
    return getattr(item, "__dict__", {}).get(_REUSED)


def was_skipped(item) -> bool:
    return bool(getattr(item, "__dict__", {}).get(_SKIPPED))


class ReusePipeline(StorePipeline):
    async def process_item(self, item, spider=None):
        if self.storage is None:
            return item
        item.sha256 = await sha256_of(item)
        for att in getattr(item, "attachments", []):
            if att.body:
                att.sha256 = await sha256_of(att)
        try:
            previous = await in_thread(self._unchanged_version, item)
        except (StoreError, KeyError, ValueError) as exc:
            logger.debug("reuse: %s is read afresh (%s)", item.url, exc)
            previous = None
        if previous is not None:
            item.__dict__[_REUSED] = previous
            self.storage.crawler.stats.inc_value("nianbao/reused")
            if item.url in recrawl_ledger(self.storage.crawler).skipped:
                item.__dict__[_SKIPPED] = True
        return item

    def _unchanged_version(self, item) -> Capture | None:
        prefix = keys.capture_prefix(item.url, item.fetched_at, item.sha256)
        previous = last_capture(self.store, self.storage, item.url, item.fetched_at, prefix)
        if (
            previous is None
            or change_of(previous, item.sha256, attachments_digest(item.attachments)) != "unchanged"
        ):
            return None
        record = json.loads(self.store.get(f"{previous.capture}/meta.json"))
        report = json.loads(self.store.get(previous.report_key))
        item.encoding, item.title = record.get("encoding"), record.get("title")
        item.meta = dict(record.get("meta") or {})
        item.flags = list(record.get("flags") or [])
        item.text_source = record.get("text_source") or "page"
        item.report, item.report_year, item.org_name = (
            report,
            report.get("report_year"),
            report.get("org_name"),
        )
        stored = {a.get("url"): a for a in record.get("attachments") or []}
        for att in item.attachments:
            if att.url in stored:
                att.kind, att.flags = (
                    stored[att.url].get("kind"),
                    list(stored[att.url].get("flags") or []),
                )
        return previous
