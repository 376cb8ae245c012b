"""Item pipeline: put what the portal served, the text and the metadata into the store."""
from __future__ import annotations

import json

from pipelines.store import StorePipeline, in_thread
from storage import keys


def capture_record(item) -> dict:
    """What is known about one fetch, stored beside the text as meta.json."""
    return {
        "url": item.url,
        "request_url": item.request_url,
        "portal": item.portal,
        "listing_url": item.listing_url,
        "fetched_at": item.fetched_at,
        "status": item.status,
        "headers": item.headers,
        "sha256": item.sha256,
        "raw_key": item.raw_key,
        "encoding": item.encoding,
        "title": item.title,
        "meta": item.meta,
        "flags": item.flags,
    }


def dump_json(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


class ArchivePipeline(StorePipeline):
    async def process_item(self, item, spider=None):
        item.sha256 = keys.sha256_hex(item.body)
        item.raw_key = keys.raw_key(item.sha256)
        prefix = keys.capture_prefix(item.url, item.fetched_at, item.sha256)
        item.text_key = f"{prefix}/text.txt"
        item.meta_key = f"{prefix}/meta.json"
        item.report_key = f"{prefix}/report.json"
        # Raw bytes first: whatever fails later, what the portal served is kept.
        await in_thread(self.store.put_if_absent, item.raw_key, item.body, "application/octet-stream")
        await in_thread(self.store.put, item.text_key, (item.text or "").encode("utf-8"), "text/plain; charset=utf-8")
        await in_thread(self.store.put, item.meta_key, dump_json(capture_record(item)), "application/json")
        return item
