"""Item pipeline: put what the portal served, the text and the capture record into the store.

Every fetch gets a capture record, ``pages/<host>/<sha1(url)>/<stamp>-<h12>/meta.json``: URL,
final URL, fetch time, status, headers, SHA-256, detected encoding, run id, and ``change``:
``new`` (first capture of the URL), ``changed`` (bytes differ from the last capture) or
``unchanged``.  The raw bytes are stored once per distinct content (raw/sha256/…).  The text
and (from NormalizePipeline) the report are stored once per *version* of the URL: a changed or
new capture holds them beside its record; an unchanged capture holds only its record, whose
``version`` names the capture that holds them, and the item's text_key/report_key point there.

The last capture of a URL comes from the catalog (storage.catalog), or, for a URL the local
catalog has never seen while it does not hold the whole store (a store filled from another
machine), from listing the URL's prefix in the store.  When neither answers (the store is down
and the catalog has no entry), ``change`` is ``unknown`` and the capture is stored as a version
of its own.

Crash safety: the capture is noted in the catalog as pending before the first write (see
storage.recovery), and a report that a resumed crawl (JOBDIR) fetches again after its capture
in this run was complete is not archived again.
"""

from __future__ import annotations

import json
import logging

from scrapy.exceptions import DropItem

from crawler.frontier import exported_captures
from pipelines.store import StorePipeline, in_thread, sha256_of
from pipelines.warc import ITEM_WIRES
from storage import StoreError, keys
from storage.catalog import Capture, capture_from_record

logger = logging.getLogger(__name__)


def header(headers: dict[str, str], name: str) -> str | None:
    """A header's value, whatever the case of its name."""
    lowered = name.lower()
    return next((v for k, v in (headers or {}).items() if k.lower() == lowered), None)


def validators_of(headers: dict[str, str]) -> dict[str, str]:
    """The HTTP validators a response carried: what the next crawl sends back to ask for a 304."""
    return {name: value for name in ("ETag", "Last-Modified") if (value := header(headers, name))}


def attachments_digest(attachments) -> str:
    """One digest of the fetched attachments' SHA-256s: part of a report's version, so a
    replaced PDF is a change even when the page is byte for byte the same.  Files that could
    not be fetched are left out (their absence is recorded in the capture's attachments)."""
    fetched = sorted(f"{a.url} {a.sha256}" for a in attachments if a.sha256)
    return keys.sha256_hex("\n".join(fetched).encode("utf-8")) if fetched else ""


def capture_record(item) -> dict:
    """What is known about one fetch, stored beside the text as meta.json."""
    return {
        "validators": validators_of(item.headers),
        "attachments_sha256": attachments_digest(getattr(item, "attachments", [])),
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
        "text_source": getattr(item, "text_source", None),
        "attachments": [a.record() for a in getattr(item, "attachments", [])],
    }


def dump_json(obj) -> bytes:
    """A capture record or report as stored (meta.json, report.json): compact, on the C encoder
    (``indent`` sends json to its pure-Python one, several times slower on a record of
    headers).  Readers parse it (json.loads); none depends on its layout."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode(
        "utf-8"
    )


def change_of(previous: Capture | None, sha256: str, attachments: str = "") -> str:
    """new / changed / unchanged: the version is the page's bytes and its attachments' bytes
    (a capture recorded before attachments were part of it counts as without attachments)."""
    if previous is None:
        return "new"
    same = previous.sha256 == sha256 and (previous.attachments_sha256 or "") == attachments
    return "unchanged" if same else "changed"


def _resumed_duplicate(url: str, why: str) -> DropItem:
    """A report a resumed crawl has already: one short line, not Scrapy's dump of the item
    (bytes)."""
    logger.info("%s: %s; not archived or exported again", url, why)
    return DropItem(f"{url}: {why}", log_level="DEBUG")


class ArchivePipeline(StorePipeline):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._resumed_seen: set[tuple[str, str]] = set()  # (URL, SHA-256) in a resumed run

    async def process_item(self, item, spider=None):
        from pipelines.reuse import reused, was_skipped

        if was_skipped(item):  # not fetched (RECRAWL_MAX_AGE): the last capture stands
            previous = reused(item)
            item.change, item.raw_key = "unchanged", keys.raw_key(item.sha256)
            item.meta_key, item.text_key, item.report_key = (
                f"{previous.capture}/meta.json",
                previous.text_key,
                None,
            )
            return item
        item.sha256 = await sha256_of(item)
        item.raw_key = keys.raw_key(item.sha256)
        for att in getattr(item, "attachments", []):  # each 附件's bytes under its own raw key
            if att.body:
                att.sha256 = await sha256_of(att)
                att.raw_key = keys.raw_key(att.sha256)
                await in_thread(
                    self.store.put_if_absent, att.raw_key, att.body, "application/octet-stream"
                )
        if self.storage is not None and self.storage.resumed:
            # Requests re-run after the restart can bring the same report twice (a retry or an
            # attachment request queued by a page that is fetched again): once per run is enough.
            if (item.url, item.sha256) in self._resumed_seen:
                raise _resumed_duplicate(
                    item.url, "already archived in this run, by a request re-run after the resume"
                )
            self._resumed_seen.add((item.url, item.sha256))
            done = await in_thread(
                self.storage.catalog.capture_in_run, item.url, item.sha256, self.storage.run_id
            )
            if done is not None:
                return self._archived_before(item, done)
        prefix = keys.capture_prefix(item.url, item.fetched_at, item.sha256)
        if self.storage is not None:
            await in_thread(
                self.storage.catalog.begin_capture, prefix, item.url, self.storage.run_id
            )
        try:
            previous = await in_thread(self.last_capture, item.url, item.fetched_at, prefix)
            item.change = change_of(
                previous, item.sha256, attachments_digest(getattr(item, "attachments", []))
            )
        except StoreError as exc:
            logger.warning(
                "could not read the last capture of %s (%s); recording change as unknown",
                item.url,
                exc,
            )
            previous, item.change = None, "unknown"
        # Unchanged content keeps the text and report of the version it repeats.
        version = previous.version if item.change == "unchanged" else prefix
        item.text_key = f"{version}/text.txt"
        item.meta_key = f"{prefix}/meta.json"
        # NormalizePipeline writes report.json only where report_key points; for an unchanged
        # capture that version exists already, so CatalogPipeline restores the key afterwards.
        item.report_key = f"{prefix}/report.json" if version == prefix else None
        record = capture_record(item)
        wire = (getattr(item, "__dict__", {}).get(ITEM_WIRES) or {}).get(item.url)
        if wire is not None:
            # `headers` is Scrapy's view after decompression (Content-Encoding gone, Content-Length
            # still the transferred size); this is the response as it came off the wire.
            record["received"] = {
                "protocol": wire["protocol"],
                "headers": wire["response_headers"],
                "body_length": len(wire["body"]),
                "ip_address": wire["ip_address"],
            }
        record.update(
            run_id=self.storage.run_id if self.storage else None,
            change=item.change,
            version=version,
            previous=None
            if previous is None
            else {
                "capture": previous.capture,
                "fetched_at": previous.fetched_at,
                "sha256": previous.sha256,
            },
        )
        # Raw bytes first: whatever fails later, what the portal served is kept.  Unchanged
        # bytes are under raw/ already (the version's capture holds the same SHA-256).
        if item.change != "unchanged":
            await in_thread(
                self.store.put_if_absent, item.raw_key, item.body, "application/octet-stream"
            )
        if version == prefix:
            await in_thread(
                self.store.put,
                item.text_key,
                (item.text or "").encode("utf-8"),
                "text/plain; charset=utf-8",
            )
        await in_thread(self.store.put, item.meta_key, dump_json(record), "application/json")
        if self.storage:
            self.storage.check_spool(item.url, "archive (raw bytes, text, capture record)")
        return item

    def _archived_before(self, item, capture: Capture):
        """A report fetched again by a resumed crawl (JOBDIR) after its capture was complete:
        the item takes that capture's keys and nothing is written twice; one the feed already
        holds is dropped (crawler.frontier reads the feed at the start)."""
        item.fetched_at, item.change = capture.fetched_at, capture.change
        item.meta_key = f"{capture.capture}/meta.json"
        item.text_key = capture.text_key
        item.report_key = capture.report_key if capture.version == capture.capture else None
        if item.meta_key in exported_captures(self.storage.crawler):
            raise _resumed_duplicate(
                item.url, f"archived and exported before the crawl was resumed ({capture.capture})"
            )
        logger.info(
            "%s was archived before the crawl was resumed (%s); not archived again",
            item.url,
            capture.capture,
        )
        return item

    def last_capture(self, url: str, fetched_at: str, this_capture: str) -> Capture | None:
        return last_capture(self.store, self.storage, url, fetched_at, this_capture)


def last_capture(store, storage, url: str, fetched_at: str, this_capture: str) -> Capture | None:
    """The capture of `url` before this one: from the catalog, else from the store."""
    if storage is not None:
        found = storage.catalog.last_capture(url, before=fetched_at)
        # The catalog is an index of the store: trust it only while the store agrees (a
        # store deleted or replaced under the same STORE_URI leaves a stale catalog).
        if found is not None and store.exists(f"{found.version}/text.txt"):
            return found
        if found is None and storage.catalog.complete:
            return None  # never captured: no need to list the store
    records = [
        k
        for k in store.list(keys.url_prefix(url) + "/")
        if k.endswith("/meta.json") and k.rpartition("/")[0] < this_capture
    ]
    if not records:
        return None
    key = records[-1]
    return capture_from_record(json.loads(store.get(key)), key.rpartition("/")[0])
