"""Scrapy settings for nianbao. Override any of these in one place: `-s NAME=VALUE`,
the environment (SCRAPY_SETTINGS_MODULE), or a spider's registry entry.

Defaults are polite: real county portals are small servers run by small offices.
"""
BOT_NAME = "nianbao"

SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# Who we are and how to reach us: portals' operators read this in their logs.
USER_AGENT = "nianbao/0.1 (+https://github.com/nianbao/nianbao; transparency research archive)"

# Politeness: obey robots.txt, at most two requests in flight per host, a second apart.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%, so requests do not arrive on a fixed beat
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
RETRY_TIMES = 2
# No global depth cap: the portal spider bounds itself (route hops, listing pages per column),
# and a cap here would silently drop the deep pages of long 下一页 chains.
DEPTH_LIMIT = 0

DOWNLOADER_MIDDLEWARES = {
    # Runs just before HttpCompressionMiddleware (590) on the response path: stops Scrapy 2.19
    # from sniffing the charset of still-compressed bodies (stack-facts §1).
    "crawler.middlewares.SkipSniffOnCompressedMiddleware": 595,
    # After decompression (590), before MetaRefresh (580) reads the text: validate the decode,
    # never trust a wrong charset (stack-facts §7).
    "crawler.middlewares.CharsetFixMiddleware": 585,
}

# Where archived pages, texts and normalized reports go. file: is the embedded default;
# s3://BUCKET/PREFIX goes through boto3 (endpoint and credentials from the environment).
STORE_URI = "file:./data"
# scheme -> backend class, merged over storage.BACKENDS
STORE_BACKENDS: dict[str, str] = {}
# Local state per store: the catalog (SQLite) and the spool, under STATE_DIR/<store id>/.
STATE_DIR = ".nianbao"
# While the store does not answer, writes wait in the local spool and are flushed in order when
# it returns; past this size the crawl stops (nothing is lost: the next crawl flushes it).
STORE_SPOOL_MAX_BYTES = 2 * 1024**3
# At the end of a crawl, how long to wait for a spool to drain before leaving it for the next.
STORE_SPOOL_CLOSE_WAIT = 60
# Store calls in flight at once (boto3 threads); the reactor never waits on one.
STORE_MAX_CONCURRENCY = 8

ITEM_PIPELINES = {
    "pipelines.extraction.ExtractPipeline": 100,
    "pipelines.archive.ArchivePipeline": 200,
    # Reads the extracted report and stores the normalized one.
    "pipelines.normalizing.NormalizePipeline": 900,
    # Last: indexes the capture (URL, time, body and year) in the catalog.
    "pipelines.catalog.CatalogPipeline": 950,
}

EXTENSIONS = {
    "crawler.extensions.RunSummary": 500,
}

# Feeds (-O out.jsonl) carry the data, not the bytes: raw pages and texts live in the store.
FEED_EXPORT_FIELDS = [
    "url", "portal", "title", "report_year", "org_name", "meta", "report",
    "sha256", "raw_key", "text_key", "meta_key", "report_key", "change",
    "request_url", "listing_url", "status", "fetched_at", "encoding", "flags",
]
FEED_EXPORT_ENCODING = "utf-8"

# Extra registry entries (same shape as crawler/sites.json), e.g. for the demo's simulator.
SITES_FILE = None

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
