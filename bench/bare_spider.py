"""The baseline: a bare Scrapy spider that only follows links on the portals' hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy
from scrapy.linkextractors import LinkExtractor


class BareLinkSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, url: str = "", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [u for u in url.split(",") if u]
        self.allowed_hosts = {urlsplit(u).netloc for u in self.start_urls}
        self.links = LinkExtractor()

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url)

    def parse(self, response):
        if not hasattr(response, "text"):
            return
        for link in self.links.extract_links(response):
            if urlsplit(link.url).netloc in self.allowed_hosts:
                yield response.follow(link.url)
