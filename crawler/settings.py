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
    # from sniffing the charset of still-compressed bodies (docs/stack-facts.md §1).
    "crawler.middlewares.SkipSniffOnCompressedMiddleware": 595,
    # After decompression (590), before MetaRefresh (580) reads the text: validate the decode,
    # never trust a wrong charset (docs/stack-facts.md §7).
    "crawler.middlewares.CharsetFixMiddleware": 585,
    # Next to the downloader: keeps the response as transferred (still compressed) for the WARC.
    "pipelines.warc.WarcWireMiddleware": 950,
    # Above RetryMiddleware (550): a 429/503 or Retry-After closes the host for a while
    # (exponential back-off) instead of an immediate retry.
    "crawler.middlewares.BackoffMiddleware": 560,
    # Logs once per host an HTTPS certificate that would not verify (self-signed, expired).
    "crawler.middlewares.TlsAuditMiddleware": 570,
    # Before RedirectMiddleware (600): 302-to-self cookie walls pass, redirect loops are logged.
    "crawler.middlewares.RedirectGuardMiddleware": 610,
}

SPIDER_MIDDLEWARES = {
    # Hands each response's WARC exchange on to the report item it leads to (page, attachments).
    "pipelines.warc.WarcSpiderMiddleware": 950,
}

# The browser (crawler/browser.py), only for requests with meta["playwright"]: a JS challenge
# or a listing drawn by script.  Others go through Scrapy's own HTTP handler.
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.BrowserDownloadHandler",
    "https": "crawler.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",  # Debian's chromium (Makefile sysdeps)
    "headless": True,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"],
}
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30000
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.abort_request"
# Close and relaunch the browser after this many rendered pages, so its memory stays flat.
BROWSER_RESTART_EVERY = 100

# Hosts that block: wait Retry-After, else BASE × 2^(n-1) seconds up to MAX, at most TRIES times.
BACKOFF_HTTP_CODES = [429, 503]
BACKOFF_BASE_DELAY = 5.0
BACKOFF_MAX_DELAY = 600.0
BACKOFF_MAX_TRIES = 4

# Legacy county servers: certificates are not verified by Scrapy (TlsAuditMiddleware logs the
# bad ones) and old protocol versions and weak ciphers are accepted (OpenSSL security level 0),
# so a TLS 1.0 server with a self-signed certificate is crawled with a warning, not lost.
DOWNLOADER_CLIENT_TLS_CIPHERS = "DEFAULT:@SECLEVEL=0"
# Debian's openssl.cnf sets MinProtocol = TLSv1.2 for every client; some county servers still
# speak only TLS 1.0.
DOWNLOAD_TLS_MIN_VERSION = "TLSv1.0"
DOWNLOAD_VERIFY_CERTIFICATES = False
# Scrapy's factory loses "@SECLEVEL=0" on the way to OpenSSL; this one applies it.  2.19 marks
# the setting deprecated without a replacement for the security level: silence that one warning.
DOWNLOADER_CLIENTCONTEXTFACTORY = "crawler.tls.LegacyTLSContextFactory"
import warnings as _warnings  # noqa: E402

_warnings.filterwarnings("ignore", message="The 'DOWNLOADER_CLIENTCONTEXTFACTORY' setting is deprecated")

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
    # Report pages as WARC/1.1 request/response/revisit records, into the store under warc/.
    "pipelines.warc.WarcWriterExtension": 510,
}
WARC_ENABLED = True
# Roll over to a new WARC file past this size (bytes); Heritrix and Browsertrix use 1 GB too.
WARC_MAX_SIZE = 1024**3

# Feeds (-O out.jsonl) carry the data, not the bytes: raw pages and texts live in the store.
FEED_EXPORT_FIELDS = [
    "url", "portal", "title", "report_year", "org_name", "meta", "report",
    "sha256", "raw_key", "text_key", "meta_key", "report_key", "change",
    "request_url", "listing_url", "status", "fetched_at", "encoding", "flags",
    # the page's 附件 (URL, kind, SHA-256, raw key, flags; not bytes or text) and which of them,
    # if any, the report text was read from
    "attachments", "text_source",
]
FEED_EXPORT_ENCODING = "utf-8"

# Extra registry entries (same shape as crawler/sites.json), e.g. for the demo's simulator.
SITES_FILE = None

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
