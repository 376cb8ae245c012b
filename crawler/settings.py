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
# Protego, keeping the text: the spider reads its Sitemap: lines (crawler/robots.py).
ROBOTSTXT_PARSER = "crawler.robots.TextKeepingRobotParser"
# Sized for many hosts: each one is slow (a second apart), so the whole crawl needs many in
# flight to keep every host busy; per host stays at two.
CONCURRENT_REQUESTS = 64
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# What one response's callback gives, handled at once.  A page gives one item at most and
# requests that only need queueing, and Scrapy starts this many tasks for every response (its
# default, 100, costs more CPU than reading an unchanged report page: bench/recrawl.py).
CONCURRENT_ITEMS = 8
# Scrapy reads a callback's source with ast on every response to warn of a generator's
# `return value` (its cache misses bound methods); tests/crawler/test_spider_portal.py checks
# the spider's callbacks once instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Hands the downloader the request of the least busy host, so a polite crawl of many hosts
# keeps them all busy (Scrapy's default queue fills the global slots from a few hosts).  It
# refuses CONCURRENT_REQUESTS_PER_IP: leave that 0 (per-host limits apply instead).
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# One download slot (delay, concurrency, AutoThrottle) per host:port, not per host name:
# servers sharing an address on different ports (the simulator's portals) are separate hosts.
DOWNLOADER = "crawler.downloader.HostPortDownloader"
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%, so requests do not arrive on a fixed beat
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# No report page is near this; an endless body or a decompression bomb stops here, not at
# Scrapy's 1 GB (attachments have their own bound, MAX_ATTACHMENT_BYTES).
DOWNLOAD_MAXSIZE = 64 * 1024**2
DOWNLOAD_WARNSIZE = 16 * 1024**2
RETRY_TIMES = 2
# No global depth cap: the portal spider bounds itself (route hops, listing pages per column),
# and a cap here would silently drop the deep pages of long 下一页 chains.
DEPTH_LIMIT = 0
# Any count read from a page (records, pages of a listing) is cut to this, so a page declaring
# count: 100000 does not queue 100,000 requests (crawler/limits.py).
PAGE_COUNT_CAP = 2000
# The crawl process's memory ceiling (RSS, MiB): past it Scrapy's MemoryUsage extension stops
# the crawl (finish reason memusage_exceeded, exit status 6) rather than let the OOM killer end
# it mid-write.  A crawl of 20 portals with hostile pages peaks at about 150 MiB without its
# 50 MB page and about 1.4 GiB with it (`python -m bench.memory`, README: Memory); chromium
# and the converter workers are processes of their own, bounded apart.
MEMUSAGE_LIMIT_MB = 2048
MEMUSAGE_WARNING_MB = 1536
MEMUSAGE_CHECK_INTERVAL_SECONDS = 5.0
# Pages of one data endpoint asked for, and of one listing planned from the count or pager it
# shows, at most (each also under PAGE_COUNT_CAP); bytes of one attachment (a report's 附件)
# fetched, a larger file recorded with its error.  All read in crawler/limits.py.
ENDPOINT_MAX_PAGES = 200
# A deep archive (reports back to 2008) has more than 200 listing pages: only the count cap.
LISTING_MAX_PLANNED_PAGES = PAGE_COUNT_CAP
MAX_ATTACHMENT_BYTES = 64 * 1024**2

# `-s JOBDIR=DIR` makes a crawl resumable, as in Scrapy, but kill -9 safe: the frontier (queue,
# in-flight requests, seen set) lives in DIR/frontier.sqlite (crawler/frontier.py).  Without
# JOBDIR this is Scrapy's own in-memory scheduler.
SCHEDULER = "crawler.frontier.FrontierScheduler"
# Seconds between checkpoints: feeds flushed, then the requests finished since are forgotten.
FRONTIER_CHECKPOINT_INTERVAL = 0.2

DOWNLOADER_MIDDLEWARES = {
    # First of all: a request off its portal's hosts (a redirect hop, an endpoint or attachment
    # URL read from a page, an internal or metadata address) is refused before anything, even a
    # robots.txt, is asked of that host (crawler/scope.py).
    "crawler.scope.ScopeMiddleware": 25,
    # After CharsetFix (585), before MetaRefresh (580) reads the text: a page over
    # MAX_PAGE_BYTES is read only that far by everything after it, the spider included.
    "crawler.limits.BoundedPageMiddleware": 582,
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
    # Just inside the WARC wire middleware: If-None-Match / If-Modified-Since for report pages
    # and attachments the catalog has validators for; a 304 becomes the stored 200.
    "crawler.recrawl.ConditionalRequestMiddleware": 930,
    # Outermost: what each portal finally answered (after retries, redirects), for the run report.
    "crawler.runreport.PortalLedgerMiddleware": 100,
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
    # Every page request is answered through Playwright's route (crawler/browser.py), so chromium
    # needs no network of its own: a proxy that does not exist and a resolver that resolves
    # nothing leave its own traffic (updates, safe browsing, telemetry, prefetch) nowhere to go.
    # Only flags Playwright does not pass itself: it already gives --no-sandbox, --disable-sync,
    # --disable-dev-shm-usage, --disable-background-networking, --disable-component-update,
    # --disable-extensions and its own --disable-features list (HttpsUpgrades, OptimizationHints,
    # MediaRouter …); chromium keeps only the last --disable-features, so one here would drop its.
    "args": [
        "--disable-gpu",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--no-pings",
        "--dns-prefetch-disable",
        "--safebrowsing-disable-auto-update",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        # pages of one crawl share renderer processes instead of one each: most of the
        # browser's memory is renderers (bench/browser.py prints summed RSS and PSS)
        "--renderer-process-limit=2",
        # ... and the renderer, GPU, network and storage services run inside the browser
        # process: each child process maps chromium's 70 MiB of code again, so 500 rendered
        # pages peaked at 1,319 MiB summed RSS in ten processes and 944 MiB in one (same run,
        # same pages). A crashed page takes the browser with it; the download handler launches
        # a new one, as it does after BROWSER_RESTART_EVERY pages.
        "--single-process",
    ],
}
# One browser context, reused by every rendered page (a context per page costs a profile each).
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30000
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.abort_request"
# Close and relaunch the browser after this many rendered pages, so its memory stays flat.
BROWSER_RESTART_EVERY = 100

# Discovery (crawler/discovery/): requests per portal at most, sized for a county portal with
# its townships and departments (a few hundred units, a few pages each); pages rendered in the
# browser per portal at most; what happens to links nothing speaks for (under the score floor):
# "yield" explored once the better links are spent, while exploring still finds reports (the
# stop rule of crawler/discovery/explore.py); "always" every one, fetched last, while budget is
# left; "empty" only on portals where nothing was found yet; "never".
DISCOVERY_PAGE_BUDGET = 3000
DISCOVERY_BROWSER_PAGES = 20
# A page that times out in the browser (busy renderers on a loaded machine) is asked again this
# many times; a wall the browser does not pass is not.
DISCOVERY_BROWSER_RETRIES = 2
DISCOVERY_EXPLORE = "yield"
# The "yield" stop rule: explored requests any portal with a report may make; past them it
# explores on while the explored requests since exploring last met a report are fewer than
# PATIENCE times what a report has cost on that portal (its requests over its reports).
DISCOVERY_EXPLORE_MIN = 10
DISCOVERY_EXPLORE_PATIENCE = 3.0
# make bench's baseline only: every link in order of depth, no score, no stop rule.
DISCOVERY_BREADTH_FIRST = False

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

_warnings.filterwarnings(
    "ignore", message="The 'DOWNLOADER_CLIENTCONTEXTFACTORY' setting is deprecated"
)
# Spidermon's runner still calls Spider.log(); the warning says nothing about the crawl.
_warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated")

# A page is archived whole, but only its first MAX_PAGE_BYTES are parsed (flagged "truncated");
# report pages are extracted and normalized in PARSE_WORKERS worker processes (None: one per
# core; 0: in the reactor thread), a page over PARSE_IN_CHILD_BYTES in a child process of its
# own; each process may use at most PARSE_CHILD_MEMORY, so a 50 MB page does not stall the
# crawl (pipelines/offload.py).
MAX_PAGE_BYTES = 1024**2
PARSE_WORKERS = None
PARSE_IN_CHILD_BYTES = 256 * 1024
PARSE_CHILD_MEMORY = 2 * 1024**3

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

# Re-crawls (crawler/recrawl.py): conditional requests for report pages and attachments whose
# validators the catalog holds; listing pages are always re-fetched.  RECRAWL_MAX_AGE (seconds,
# 0 = off): a report fetched less than that ago is not fetched again (counted as skipped).
RECRAWL_CONDITIONAL = True
RECRAWL_MAX_AGE = 0
# A report page met again byte for byte (a 304, an unchanged 200) is not classified nor searched
# for its 附件 again: the spider's last reading of it stands (crawler/verdicts.py, a SQLite
# file beside the catalog).
RECRAWL_REUSE_VERDICTS = True

ITEM_PIPELINES = {
    # First: a page and attachments unchanged since the last capture reuse its text and report.
    "pipelines.reuse.ReusePipeline": 50,
    "pipelines.extraction.ExtractPipeline": 100,
    "pipelines.archive.ArchivePipeline": 200,
    # Reads the extracted report and stores the normalized one.
    "pipelines.normalizing.NormalizePipeline": 900,
    # Indexes the capture (URL, time, body and year) in the catalog.
    "pipelines.catalog.CatalogPipeline": 950,
    # Last: the page's WARC/1.1 request/response/revisit records, into the store under warc/;
    # then the capture is complete (storage.recovery) and the feed gets the item.
    "pipelines.warc.WarcWriterPipeline": 1000,
    # Checks every finished item against docs/schemas/item.schema.json (monitors below):
    # Spidermon's pipeline, its schema compiled once per crawl (pipelines/validation.py).
    "pipelines.validation.ItemValidationPipeline": 990,
}

EXTENSIONS = {
    # First: one crawl at a time per store (STATE_DIR/<store id>/crawl.lock), or stop at once.
    "crawler.runlock.CrawlLock": 0,
    # MEMUSAGE_LIMIT_MB on this process's own peak RSS; Scrapy's reads one that a process
    # inherits from whatever started it (crawler/memory.py).
    "scrapy.extensions.memusage.MemoryUsage": None,
    "crawler.memory.MemoryCeiling": 0,
    # Scrapy's consoles that run Python sent to a local port: an unattended crawl of hostile
    # pages has no use for them, and the HTTP one imports aiohttp into every crawl's start-up.
    "scrapy.extensions.remote_control.RemoteControl": None,
    "scrapy.extensions.telnet.TelnetConsole": None,
    # Before the run summary: the monitors' results go into it (crawler/monitors.py).
    "spidermon.contrib.scrapy.extensions.Spidermon": 490,
    "crawler.extensions.RunSummary": 500,
    # A live progress line on a terminal (PROGRESS_ENABLED: None = when stdout is a terminal).
    "crawler.progress.ProgressLine": 520,
}
PROGRESS_ENABLED = None
WARC_ENABLED = True
# Roll over to a new WARC file past this size (bytes); Heritrix and Browsertrix use 1 GB too.
WARC_MAX_SIZE = 1024**3

# Monitors (Spidermon; crawler/monitors.py) at the end of every crawl.  A failing monitor sets
# the stat nianbao/monitors/failed, is logged at ERROR and listed in the run summary.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["crawler.monitors.CrawlMonitorSuite"]
from crawler.schemas import bundled as _bundled_schema  # noqa: E402

# docs/schemas/item.schema.json, the report schema it refers to embedded (Spidermon's validator
# has no registry); outside a checkout (a Scrapyd egg holds the packages only) nothing to check.
_ITEM_SCHEMA = _bundled_schema("item", in_crawl=True)
SPIDERMON_VALIDATION_SCHEMAS = [_ITEM_SCHEMA] if _ITEM_SCHEMA else []
SPIDERMON_MAX_ITEM_VALIDATION_ERRORS = 0
MONITOR_MAX_REPORT_DROP = 0.2  # a portal's reports may fall by this share since its last run
MONITOR_MAX_BLOCKED_RATIO = 0.1  # of the run's requests, answered by an anti-bot wall
MONITOR_MAX_ERROR_RATIO = 0.2  # of the run's requests, failed
MONITOR_MAX_EMPTY_PORTALS = 0.0  # share of the run's portals allowed to yield no report
# Spidermon actions run when a monitor fails, beside the log: e.g.
# "spidermon.contrib.actions.email.smtp.SendSmtpEmail" (SPIDERMON_SMTP_* settings),
# "spidermon.contrib.actions.reports.files.CreateFileReport" (SPIDERMON_REPORT_TEMPLATE, _FILENAME).
MONITOR_ALERT_ACTIONS: list[str] = []

# Feeds (-O out.jsonl) carry the data, not the bytes: raw pages and texts live in the store.
FEED_EXPORT_FIELDS = [
    "url",
    "portal",
    "title",
    "report_year",
    "org_name",
    "meta",
    "report",
    "sha256",
    "raw_key",
    "text_key",
    "meta_key",
    "report_key",
    "change",
    "request_url",
    "listing_url",
    "status",
    "fetched_at",
    "encoding",
    "flags",
    # the page's 附件 (URL, kind, SHA-256, raw key, flags; not bytes or text) and which of them,
    # if any, the report text was read from
    "attachments",
    "text_source",
    # why discovery took the page for a report, and the other URLs it was met under
    "evidence",
    "aliases",
]
FEED_EXPORT_ENCODING = "utf-8"
# CSV feeds write nested fields (meta, report, attachments) as JSON, not Python reprs.
FEED_EXPORTERS = {"csv": "crawler.exporters.JsonCellCsvItemExporter"}

# Extra registry entries beside the county-level ones of crawler/registry/counties.csv: a JSON
# list of sites (name, start_url, family, …; crawler/registry/__init__.py), e.g. the simulator's
# portals (simulator/sites.json, or the file `scrapy demo` writes).
SITES_FILE = None
# What crawls learned of each registry entry (family, robots.txt, the root's last status),
# rewritten at the end of every crawl; None: STATE_DIR/registry-state.json.
REGISTRY_STATE_FILE = None

# Cluster mode (crawler/cluster/): set CLUSTER_REDIS_URL and every worker started with it shares
# one queue, dupefilter and per-host slots in that Redis; the add-on sets the scrapy-redis
# settings (SCHEDULER, DUPEFILTER_CLASS, SCHEDULER_PERSIST …).  Unset: one process, as before.
ADDONS = {"crawler.cluster.ClusterAddon": 0}
CLUSTER_REDIS_URL = None
# Keys live under nianbao:<job>:; None: the spider's name.  A new job name is a fresh crawl.
CLUSTER_JOB = None
# This worker's name in Redis; None: host:pid.
CLUSTER_WORKER = None
# A worker renews its lease every HEARTBEAT seconds; one silent for LEASE seconds (killed,
# frozen) has its in-flight requests put back in the queue by the others.
CLUSTER_HEARTBEAT = 2.0
CLUSTER_LEASE = 30.0
# Minimum gap between two requests to one host from all workers together; None: DOWNLOAD_DELAY.
CLUSTER_HOST_DELAY = None
# How often an idle worker asks the shared queue for work (Scrapy's engine heartbeat, 5 s).
CLUSTER_POLL_INTERVAL = 0.5
# A worker closes after the shared queue has been empty, with no request in flight anywhere,
# for this long (scrapy-redis's setting; its default 0 means never).
MAX_IDLE_TIME_BEFORE_CLOSE = 10

LOG_LEVEL = "INFO"
# The run report reaches the log (LOG_FILE, else stderr) whatever LOG_LEVEL says.
RUN_REPORT_LOG_ALWAYS = True
# Scrapy's start-up lines at DEBUG, an unreachable host's robots.txt in one line (crawler/logs.py).
from crawler.logs import quiet_startup as _quiet_startup  # noqa: E402

_quiet_startup()
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
