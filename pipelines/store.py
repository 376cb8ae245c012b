"""One Store per crawl, shared by every pipeline and extension that writes to it."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from storage import Store, StoreError, open_store

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def crawler_store(crawler: Crawler) -> Store:
    store = getattr(crawler, "_nianbao_store", None)
    if store is None:
        uri = crawler.settings.get("STORE_URI")
        if not uri:
            raise NotConfigured("STORE_URI is empty: set it to file:./data or s3://BUCKET/PREFIX")
        try:
            store = open_store(uri, crawler.settings.getdict("STORE_BACKENDS"))
        except StoreError as exc:
            raise NotConfigured(str(exc)) from exc
        crawler._nianbao_store = store
    return store


async def in_thread(func, *args):
    """Store calls block (disk, boto3); keep them off the reactor thread."""
    return await asyncio.to_thread(func, *args)


class StorePipeline:
    """Base of the item pipelines that write to the crawl's store."""

    def __init__(self, store: Store):
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        return cls(crawler_store(crawler))
