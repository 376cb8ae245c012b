"""One crawl for bench/browser.py, in its own process (Twisted's reactor cannot restart):
``crawl`` runs the portal spider over the given roots (crawler only, politeness delay 0);
``render`` asks the browser for ``--pages`` pages of one portal, cycling over its pages."""

from __future__ import annotations

import argparse
import itertools
import json

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.browser import browser_meta

UNTHROTTLED = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "ERROR",
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {},
    "BACKOFF_BASE_DELAY": 0.5,
}
# the flags of issue 15 that set how many processes chromium runs (crawler/settings.py)
_PROCESS_MODEL = ("--renderer-process-limit", "--single-process")


class RenderSpider(scrapy.Spider):
    """Renders ``pages`` URLs through the browser: the portal's pages, again and again."""

    name = "render"

    def __init__(self, urls: list[str], pages: int, **kwargs):
        super().__init__(**kwargs)
        self.urls, self.pages = urls, pages

    async def start(self):
        for i, url in zip(range(self.pages), itertools.cycle(self.urls)):
            yield scrapy.Request(
                url, dont_filter=True, meta={**browser_meta("bench"), "n": i}, callback=self.parse
            )

    def parse(self, response):
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["crawl", "render"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--out", required=True)
    # the browser as it was before issue 15 (no renderer cap, a context per need): the baseline
    parser.add_argument("--before-issue-15", action="store_true")
    parser.add_argument("--renderers", type=int, help="cap on chromium renderer processes")
    parser.add_argument(
        "--chromium-arg", action="append", default=[], help="one more chromium flag (to try one)"
    )
    args = parser.parse_args()
    settings = get_project_settings()
    settings.setdict(UNTHROTTLED, priority="cmdline")
    # one edit of chromium's flags: the process-model flags dropped for the baseline or a
    # renderer cap, then any flag tried on the command line
    launch = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    flags = list(launch["args"])
    if args.before_issue_15 or args.renderers:
        flags = [a for a in flags if not a.startswith(_PROCESS_MODEL)]
    if args.renderers:
        flags.append(f"--renderer-process-limit={args.renderers}")
    launch["args"] = [*flags, *args.chromium_arg]
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority="cmdline")
    if args.before_issue_15:
        settings.set("PLAYWRIGHT_MAX_CONTEXTS", None, priority="cmdline")
    process = CrawlerProcess(settings)
    if args.kind == "crawl":
        crawler = process.create_crawler("portal")
        process.crawl(crawler, url=args.url)
    else:
        root = args.url.rstrip("/")
        paths = [
            "/",
            "/html/channel_12.html",
            "/html/channel_37.html",
            "/html/channel_40.html",
            "/html/channel_41.html",
        ]
        crawler = process.create_crawler(RenderSpider)
        process.crawl(crawler, urls=[root + p for p in paths], pages=args.pages)
    process.start()
    stats = crawler.stats.get_stats()
    with open(args.out, "w") as fh:
        json.dump(
            {
                "pages": stats.get("response_received_count", 0),
                "items": stats.get("item_scraped_count", 0),
                "seconds": stats["elapsed_time_seconds"],
                "rendered": stats.get("nianbao/rendered", 0),
                "restarts": stats.get("nianbao/browser_restarts", 0),
                "launches": stats.get("playwright/browser_count", 0),
                "restart_every": settings.getint("BROWSER_RESTART_EVERY"),
            },
            fh,
        )


if __name__ == "__main__":
    main()
