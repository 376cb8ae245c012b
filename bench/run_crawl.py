"""Run one crawl in this process and write its stats as JSON (one crawl per process: Twisted's
reactor cannot be restarted)."""
from __future__ import annotations

import argparse
import json
import tempfile

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

# Politeness off: the point is the framework and pipeline cost per page on loopback.
UNTHROTTLED = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "LOG_LEVEL": "ERROR",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    # noarchive: the full crawl with extraction and normalization but nothing archived (no raw
    # bytes, capture records, catalog or WARC), the baseline of the archive figures.
    parser.add_argument("kind", choices=["full", "bare", "noarchive"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--store", help="STORE_URI (default: a temp dir); s3:// endpoint and keys from the environment")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    settings = get_project_settings()
    settings.setdict(UNTHROTTLED, priority="cmdline")
    with tempfile.TemporaryDirectory() as store_dir:
        settings.set("STORE_URI", args.store or f"file://{store_dir}", priority="cmdline")
        settings.set("STATE_DIR", f"{store_dir}/.state", priority="cmdline")
        if args.kind == "noarchive":
            archiving = ("pipelines.archive.ArchivePipeline", "pipelines.catalog.CatalogPipeline")
            settings.set("ITEM_PIPELINES", {k: v for k, v in settings.getdict("ITEM_PIPELINES").items()
                                            if k not in archiving}, priority="cmdline")
            settings.set("WARC_ENABLED", False, priority="cmdline")
        if args.kind == "bare":
            from bench.bare_spider import BareLinkSpider

            settings.set("ITEM_PIPELINES", {}, priority="cmdline")
            settings.set("EXTENSIONS", {}, priority="cmdline")
            spider = BareLinkSpider
        else:
            spider = "portal"
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(spider)
        process.crawl(crawler, url=args.url)
        process.start()
    stats = crawler.stats.get_stats()
    with open(args.out, "w") as fh:
        json.dump({
            "pages": stats.get("response_received_count", 0),
            "items": stats.get("item_scraped_count", 0),
            "seconds": stats["elapsed_time_seconds"],
        }, fh)


if __name__ == "__main__":
    main()
