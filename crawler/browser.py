"""The browser, for the few requests that need one (docs/portals.md §11): a JavaScript challenge
that a normal browser passes by running the site's own script (瑞数 412, 加速乐 521), and a listing
shell that draws its records by script from no endpoint a family parser knows.

``BrowserDownloadHandler`` is scrapy-playwright's handler with Debian's chromium
(``/usr/bin/chromium``; ``playwright install`` is not needed), changed in three ways:

* the Playwright driver starts on the first request that asks for the browser
  (``meta["playwright"]``), not at engine start, so a crawl that never needs it never pays;
* the browser is closed and relaunched every ``BROWSER_RESTART_EVERY`` rendered pages (when no
  page is open), so memory stays flat on long crawls; pages are closed after each response
  (scrapy-playwright's default without ``playwright_include_page``);
* images, media, fonts and attachments are never fetched by the browser
  (``PLAYWRIGHT_ABORT_REQUEST = crawler.browser.abort_request``): attachments go over plain HTTP.
"""
from __future__ import annotations

import asyncio
import logging
import re

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod
from twisted.internet import defer

logger = logging.getLogger(__name__)

_ATTACHMENT_RE = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|ofd|zip|rar|jpe?g|png|gif)(?:$|\?)", re.I)

#: how long the browser waits for a challenge to reload into a page, or a listing to settle
CHALLENGE_TIMEOUT_MS = 10000
#: wait until the challenge has reloaded into a real page (real pages have a <title>)
PASSED = "() => document.readyState === 'complete' && document.title.length > 0"


def is_attachment(url: str) -> bool:
    return _ATTACHMENT_RE.search(url) is not None


async def abort_request(request) -> bool:
    return request.resource_type in ("image", "media", "font") or is_attachment(request.url)


def browser_meta(reason: str, shell: bool = False) -> dict:
    """Meta for a request that goes through the browser; ``reason`` is logged and counted.
    A challenge is waited out until a real page (with a title) has loaded; a script-drawn
    listing (``shell``) until the network is idle."""
    wait = (PageMethod("wait_for_load_state", "networkidle", timeout=CHALLENGE_TIMEOUT_MS) if shell
            else PageMethod("wait_for_function", PASSED, timeout=CHALLENGE_TIMEOUT_MS))
    return {
        "playwright": True,
        "playwright_page_methods": [wait],
        "handle_httpstatus_all": True,  # the first answer was the challenge's 412/521
        "nb_rendered": reason,
        "dont_obey_robotstxt": True,  # robots.txt was already obeyed for the plain request
    }


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.restart_every = max(1, crawler.settings.getint("BROWSER_RESTART_EVERY", 100))
        self._launched = False
        self._gate = asyncio.Lock()
        self._open = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._rendered = 0
        self._since_launch = 0

    def _engine_started(self):
        return defer.succeed(None)  # lazily, in _download_request

    async def _maybe_launch_in_thread(self) -> None:
        return None  # the other engine_started hook (scrapy's async API): lazily as well

    async def _download_request(self, request, spider=None):
        async with self._gate:
            if not self._launched:
                await self._launch()
                self._launched = True
            elif self._since_launch >= self.restart_every:
                await self._idle.wait()  # the pages in flight have launched and left the browser
                self._since_launch = 0
            if not self._since_launch and hasattr(self, "browser"):
                logger.info("restarting the browser after %d rendered pages", self._rendered)
                browser = self.browser
                # closed on purpose: the handler's "disconnected" callback must not run later and
                # drop the browser launched after this one
                browser.remove_listener("disconnected", self._browser_disconnected_callback)
                del self.browser
                self.context_wrappers.clear()
                await browser.close()
                self.stats.inc_value("nianbao/browser_restarts")
            self._rendered += 1
            self._since_launch += 1
            self._open += 1
            self._idle.clear()
        self.stats.inc_value("nianbao/rendered")
        try:
            return await super()._download_request(request, spider)
        finally:
            self._open -= 1
            if not self._open:
                self._idle.set()
