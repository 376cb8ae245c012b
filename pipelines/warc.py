"""WARC output of the crawl: every report page as request + response records, revisits for
unchanged content, files rolled over at WARC_MAX_SIZE and put into the store under
``warc/<run_id>/``.  Settings: WARC_ENABLED, WARC_MAX_SIZE.

Three parts, because no one place in Scrapy sees both what was on the wire and what the page is:

* `WarcWireMiddleware`, a downloader middleware at 950 (next to the downloader, before
  HttpCompressionMiddleware at 590 undoes gzip): it keeps the response exactly as the HTTP
  client handed it over (status, headers, still-compressed body) and the request headers as
  they were sent, on ``request.meta["nb_wire"]``.
* `WarcSpiderMiddleware`: hands that on to the report item the response leads to, whether the
  callback yields the item or a request carrying it (``meta["nb_item"]``: the page's
  attachments are fetched one after the other before the item comes out), so the item ends
  up holding the exchanges of its page and of each attachment.
* `WarcWriterPipeline`, the last item pipeline: writes each attachment's pair and then the
  page's, a revisit wherever the catalog knows an earlier response record of the same URL
  with the same payload digest, records the WARC file and offset of the page in the catalog,
  and marks the capture finished (storage.recovery).  Being a pipeline, not an item_scraped
  handler, it is done before the feed gets the item: a feed line names a finished capture.

What is reconstructed rather than captured byte for byte (storage.warc): the status line,
header name case and order, the dropped Transfer-Encoding.  The record body is the transferred
entity, so the WARC holds what the server sent even where raw/sha256/… holds the decoded bytes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from datetime import UTC, datetime
from importlib.metadata import version

from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler import settings as defaults
from pipelines.store import crawler_storage
from storage.recovery import WARC_OPEN
from storage.warc import Exchange, RollingWarcWriter, WarcLocation, payload_digest

logger = logging.getLogger(__name__)

WIRE = "nb_wire"
ITEM_WIRES = "_nb_wires"  # on a report item: {URL: wire} of its page and its attachments


def _pairs(headers) -> list[tuple[str, str]]:
    """Scrapy Headers -> [(name, value)], one pair per value, bytes decoded as latin-1 (HTTP's)."""
    return [
        (k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values
    ]


class WarcWireMiddleware:
    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        return cls()

    def process_response(self, request, response, spider=None):
        request.meta[WIRE] = {
            "url": response.url,
            "method": request.method,
            "request_headers": _pairs(request.headers),
            "request_body": request.body or b"",
            "status": response.status,
            "protocol": response.protocol or "HTTP/1.1",
            "response_headers": _pairs(response.headers),
            "body": response.body,
            "ip_address": str(response.ip_address) if response.ip_address else None,
            "truncated": "partial" in (response.flags or []),
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }
        return response


class WarcSpiderMiddleware(BaseSpiderMiddleware):
    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        return cls(crawler)

    def get_processed_item(self, item, response):
        _hand_over(item, response)
        return item

    def get_processed_request(self, request, response):
        if "nb_item" in request.meta:
            _hand_over(request.meta["nb_item"], response)
        return request


def _hand_over(item, response) -> None:
    wire = (
        response.meta.get(WIRE) if response is not None and response.request is not None else None
    )
    if wire is not None and isinstance(getattr(item, "__dict__", None), dict):
        # Not a field: never exported, gone with the item once written.
        item.__dict__.setdefault(ITEM_WIRES, {}).setdefault(wire["url"], wire)


def writes_warc(settings) -> bool:
    """Will WarcWriterPipeline run in this crawl (and so finish each capture)?"""
    if not settings.getbool("WARC_ENABLED"):
        return False
    for name, order in settings.getwithbase("ITEM_PIPELINES").items():
        if order is not None and (
            name is WarcWriterPipeline or name == f"{__name__}.WarcWriterPipeline"
        ):
            return True
    return False


def _next_seq(prefix: str, stored_keys, open_dir) -> int:
    """The file number after the run's files (cataloged, or still left open in `open_dir`)."""
    names = [k.rpartition("/")[2] for k in stored_keys] + [
        p.name for p in open_dir.glob(f"{prefix}-*.warc.gz")
    ]
    seqs = [
        int(n[len(prefix) + 1 : -len(".warc.gz")])
        for n in names
        if n.startswith(prefix + "-")
        and n.endswith(".warc.gz")
        and n[len(prefix) + 1 : -8].isdigit()
    ]
    return max(seqs, default=0) + 1


class WarcWriterPipeline:
    def __init__(self, crawler):
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        self.crawler = crawler
        self.max_size = settings.getint("WARC_MAX_SIZE", defaults.WARC_MAX_SIZE)
        # One writer thread: records of a file are appended in order, off the reactor.
        self.executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="warc-writer")
        self.writer: RollingWarcWriter | None = None
        self.records = {"response": 0, "revisit": 0}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def storage(self):
        return crawler_storage(self.crawler)

    def _writer(self) -> RollingWarcWriter:
        if self.writer is None:
            storage = self.storage
            directory, prefix = storage.state_dir / WARC_OPEN, f"nianbao-{storage.run_id}"
            self.writer = RollingWarcWriter(
                directory,
                prefix=prefix,
                max_size=self.max_size,
                on_close=self._upload,
                first_seq=_next_seq(
                    prefix, storage.catalog.warc_keys(f"warc/{storage.run_id}/"), directory
                ),
                info={
                    "software": f"nianbao (Scrapy {version('scrapy')}, warcio {version('warcio')})",
                    "format": "WARC File Format 1.1",
                    "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                    "isPartOf": storage.run_id,
                    "http-header-user-agent": self.crawler.settings.get("USER_AGENT"),
                    "robots": "obey"
                    if self.crawler.settings.getbool("ROBOTSTXT_OBEY")
                    else "ignore",
                    "description": "report pages of Chinese government portals; HTTP messages "
                    "rebuilt from the crawler's view: body as transferred, Transfer-Encoding "
                    "dropped",
                },
            )
        return self.writer

    def _upload(self, path) -> None:
        key = f"warc/{self.storage.run_id}/{path.name}"
        self.storage.store.put_file(key, path, "application/warc")
        path.unlink()  # the store or its spool holds it now
        logger.info("WARC file %s stored as %s", path.name, key)

    async def process_item(self, item, spider=None):
        wires = getattr(item, "__dict__", {}).pop(ITEM_WIRES, None)
        if getattr(item, "meta_key", None) is None:
            return item
        try:
            await asyncio.get_running_loop().run_in_executor(
                self.executor, self._write_sync, item, wires or {}
            )
        except Exception:
            # The report is archived and goes on to the feed; only its WARC records are missing.
            logger.exception(
                "nianbao warc failed: %s (WARC records of capture %s not written); the report "
                "is kept, check the disk of STATE_DIR",
                item.url,
                item.meta_key,
            )
            self.crawler.stats.inc_value("nianbao/errors/warc")
            self.storage.catalog.finish_capture(item.meta_key.rpartition("/")[0])
        return item

    def _write_sync(self, item, wires: dict) -> None:
        capture, catalog = item.meta_key.rpartition("/")[0], self.storage.catalog
        row = catalog.capture(capture)
        if item.url in wires and not (
            row is not None and row.warc_key
        ):  # not written before a restart
            page = wires.pop(item.url)
            sha = {a.url: a.sha256 for a in getattr(item, "attachments", None) or []}
            # The attachments first (in the order they were fetched), the page last: a capture whose
            # page record is cataloged has all its records (storage.recovery relies on it).
            for url, wire in wires.items():
                self._write_one(
                    wire,
                    {
                        "attachment-of": capture,
                        "sha256-decoded": sha.get(url) or "",
                        "run-id": self.storage.run_id,
                    },
                )
            key, location = self._write_one(
                page,
                {
                    "capture": capture,
                    "sha256-decoded": item.sha256,
                    "change": item.change or "unknown",
                    "run-id": self.storage.run_id,
                },
            )
            catalog.set_warc(
                capture,
                key,
                location.offset,
                location.record_id,
                location.record_type,
                location.payload_digest,
                location.date,
            )
        catalog.finish_capture(capture)

    def _write_one(self, wire: dict, metadata: dict) -> tuple[str, WarcLocation]:
        writer, catalog = self._writer(), self.storage.catalog
        exchange = Exchange(**wire, metadata=metadata)
        if exchange.status == 304:  # a conditional re-crawl's answer (crawler/recrawl.py)
            last = catalog.last_response(exchange.url)
            if last is not None:
                exchange.refers_to = (last[0], exchange.url, last[1])
                exchange.not_modified_digest = last[2]
        else:
            original = catalog.original_response(exchange.url, payload_digest(exchange.body))
            if original is not None:
                exchange.refers_to = (original[0], exchange.url, original[1])
        location = writer.write_exchange(exchange)
        key = f"warc/{self.storage.run_id}/{location.filename}"
        catalog.add_warc_record(
            location.record_id,
            exchange.url,
            location.payload_digest,
            location.record_type,
            location.date,
            key,
            location.offset,
        )
        self.records[location.record_type] += 1
        return key, location

    async def close_spider(self, spider=None):
        # Before the store's own close (pipelines.store, on spider_closed): the last file goes in
        # first.
        if self.writer is not None:
            await asyncio.get_running_loop().run_in_executor(self.executor, self.writer.close)
            stats = self.crawler.stats
            stats.set_value("nianbao/warc/files", len(self.writer.files))
            for kind, n in self.records.items():
                stats.set_value(f"nianbao/warc/{kind}_records", n)
        self.executor.shutdown()
