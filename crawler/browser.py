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
  (``PLAYWRIGHT_ABORT_REQUEST = crawler.browser.abort_request``): attachments go over plain HTTP;
* every page sub-request passes the crawl's scope check (crawler/scope.py) for the portal of the
  page's Scrapy request, and is fetched by Playwright without following redirects
  (``route.fetch(max_redirects=0)``, then ``route.fulfill``): a redirect comes back to the page,
  whose next request is checked again.  Playwright's route sees only the first URL of a
  redirect the browser follows itself, so the browser never follows one.

The browser makes no traffic of its own: every request a page makes is answered through the
route above, so chromium itself needs no network at all, and it is launched with a proxy that
does not exist and a resolver that resolves nothing (``PLAYWRIGHT_LAUNCH_OPTIONS``); component
updates, safe browsing, telemetry and DNS prefetch go nowhere, and service workers (whose
requests the route would not see) are blocked (``browser_meta``'s context options).
When the crawl goes through an HTTP proxy (``http_proxy`` in the environment, as Scrapy's
HttpProxyMiddleware reads it), the route's fetches go through it too (Playwright's launch
``proxy``, which ``route.fetch`` uses; chromium's own ``--proxy-server`` above still wins for
chromium itself): a page of www.xx.gov.cn behind the proxy simulator is not resolved by DNS.
"""

from __future__ import annotations

import asyncio
import logging
import re

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.page import PageMethod
from twisted.internet import defer

from crawler import settings as defaults
from reports.vocabulary import ARCHIVE_SUFFIXES, DOCUMENT_SUFFIXES, IMAGE_SUFFIXES, suffix_regex

from .scope import PORTAL_META, ScopeMiddleware

logger = logging.getLogger(__name__)

_ATTACHMENT_RE = re.compile(
    rf"\.{suffix_regex(DOCUMENT_SUFFIXES + ARCHIVE_SUFFIXES + IMAGE_SUFFIXES)}(?:$|\?)", re.I
)

#: how long the browser waits for a challenge to reload into a page, or a listing to settle
CHALLENGE_TIMEOUT_MS = 10000
#: wait until the challenge has reloaded into a real page (real pages have a <title>)
PASSED = "() => document.readyState === 'complete' && document.title.length > 0"


def is_attachment(url: str) -> bool:
    return _ATTACHMENT_RE.search(url) is not None


#: what a rendered page never needs to be read: its text and links come without these
HEAVY_RESOURCE_TYPES = frozenset({"image", "media", "font"})


def is_heavy_resource(request) -> bool:
    """Images, media, fonts and attachments: the browser never fetches them (attachments go
    over plain HTTP), which keeps renderer memory and page time down."""
    return request.resource_type in HEAVY_RESOURCE_TYPES or is_attachment(request.url)


async def abort_request(request) -> bool:
    return is_heavy_resource(request)


def browser_meta(reason: str, shell: bool = False) -> dict:
    """Meta for a request that goes through the browser; ``reason`` is logged and counted.
    A challenge is waited out until a real page (with a title) has loaded; a script-drawn
    listing (``shell``) until the network is idle."""
    wait = (
        PageMethod("wait_for_load_state", "networkidle", timeout=CHALLENGE_TIMEOUT_MS)
        if shell
        else PageMethod("wait_for_function", PASSED, timeout=CHALLENGE_TIMEOUT_MS)
    )
    return {
        "playwright": True,
        HAND_OVER_COOKIES: not shell,
        "playwright_page_methods": [wait],
        "handle_httpstatus_all": True,  # the first answer was the challenge's 412/521
        "nb_rendered": reason,
        # a service worker's requests would pass by the route that checks each one's scope
        "playwright_context_kwargs": {"service_workers": "block"},
        "dont_obey_robotstxt": True,  # robots.txt was already obeyed for the plain request
    }


#: meta key: after the page, put the browser's cookies for its URL in ``meta[BROWSER_COOKIES]``
HAND_OVER_COOKIES = "nb_hand_over_cookies"
BROWSER_COOKIES = "nb_browser_cookies"


#: redirect hops a page sub-request may take, each one scope-checked
MAX_REDIRECTS = 5


class _ScopedRoute:
    """A Playwright route whose ``continue_`` follows redirects itself, one checked hop at a
    time (``check(url)`` returns why a URL is refused, or None), and fulfils the page with the
    last answer.  Playwright's own ``continue_`` lets the browser follow redirects unseen."""

    def __init__(self, route, check) -> None:
        self._route, self._check = route, check

    def __getattr__(self, name: str):
        return getattr(self._route, name)

    async def continue_(self, **overrides) -> None:
        from urllib.parse import urljoin

        url = self._route.request.url
        if overrides.get("headers") is not None:
            overrides["headers"] = await self._with_browser_cookies(overrides["headers"])
        response = await self._route.fetch(max_redirects=0, **overrides)
        for _ in range(MAX_REDIRECTS):
            location = response.headers.get("location")
            if response.status not in (301, 302, 303, 307, 308) or not location:
                break
            url = urljoin(url, location)
            if await self._check(url) is not None:
                await self._route.abort("blockedbyclient")
                return
            if response.status == 303 or (
                response.status in (301, 302) and overrides.get("method") == "POST"
            ):
                overrides = {**overrides, "method": "GET", "post_data": None}
            response = await self._route.fetch(url=url, max_redirects=0, **overrides)
        await self._route.fulfill(response=response)

    async def _with_browser_cookies(self, headers: dict) -> dict:
        """Scrapy's headers (scrapy-playwright puts them on navigations) with the cookies the
        page's script set merged in: an explicit Cookie header replaces the browser's jar in
        ``route.fetch``, and a challenge's reload must carry the cookie it just computed."""
        browser = (await self._route.request.all_headers()).get("cookie")
        if not browser:
            return headers
        names = [k for k in headers if k.lower() == "cookie"]
        jar = dict(_cookie_pairs(headers[names[0]])) if names else {}
        jar.update(_cookie_pairs(browser))
        merged = {k: v for k, v in headers.items() if k.lower() != "cookie"}
        merged["cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        return merged


def _cookie_pairs(header: str) -> list[tuple[str, str]]:
    pairs = []
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if name and sep:
            pairs.append((name, value))
    return pairs


def environment_proxy() -> dict[str, str] | None:
    """Playwright's ``proxy`` launch option for the environment's http proxy, or None."""
    from urllib.request import getproxies

    proxies = getproxies()
    server = proxies.get("http")
    if not server:
        return None
    bypass = proxies.get("no", "")
    return {"server": server, **({"bypass": bypass} if bypass else {})}


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        proxy = environment_proxy()
        if proxy is not None and "proxy" not in self.config.launch_options:
            self.config.launch_options = {**self.config.launch_options, "proxy": proxy}
        self._nb_crawler = crawler
        every = crawler.settings.getint("BROWSER_RESTART_EVERY", defaults.BROWSER_RESTART_EVERY)
        self.restart_every = max(1, every)
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

    async def _create_page(self, request, spider):
        page = await super()._create_page(request=request, spider=spider)
        page.nb_portal = request.meta.get(
            PORTAL_META
        )  # whose scope its sub-requests are checked in
        # WebSockets bypass page.route: a page of ours has no use for one
        await page.route_web_socket("**", lambda ws: ws.close())
        return page

    def _make_request_handler(self, **kwargs):
        handler = super()._make_request_handler(**kwargs)
        spider = kwargs.get("spider")

        async def scoped(route, playwright_request) -> None:
            async def check(url: str) -> str | None:
                return await self._refusal(url, playwright_request, spider)

            if await check(playwright_request.url) is not None:
                self.stats.inc_value("playwright/request_count/aborted")
                await route.abort("blockedbyclient")
                return
            await handler(_ScopedRoute(route, check), playwright_request)

        return scoped

    async def _refusal(self, url: str, playwright_request, spider) -> str | None:
        """Why the crawl's scope refuses ``url``, asked by a page (None: it may go)."""
        try:
            portal = getattr(playwright_request.frame.page, "nb_portal", None)
        except Exception:  # a request of no page (a worker's): nothing of ours
            portal = None
        scope = ScopeMiddleware.of(self._nb_crawler)
        if scope is None:
            return None
        why = await scope.refusal(url, portal, spider or self._nb_crawler.spider)
        if why is not None:
            scope.note_refused(url, why, portal, via="the browser")
        return why

    async def _hand_over_cookies(self, request) -> None:
        """The cookies a challenge's script set (加速乐 __jsl_clearance …), for plain requests:
        once a wall is passed, the portal's pages come over plain HTTP as the server sent them
        (their bytes and charset intact), not re-serialised from the browser's DOM."""
        wrapper = self.context_wrappers.get(request.meta.get("playwright_context", "default"))
        if wrapper is None:
            return
        try:
            cookies = await wrapper.context.cookies([request.url])
        except Exception as exc:  # a closed context: the plain request meets the wall again
            logger.debug("no browser cookies for %s: %s", request.url, exc)
            return
        request.meta[BROWSER_COOKIES] = {c["name"]: c["value"] for c in cookies}

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
            response = await super()._download_request(request, spider)
            if request.meta.get(HAND_OVER_COOKIES):
                await self._hand_over_cookies(request)
            return response
        finally:
            self._open -= 1
            if not self._open:
                self._idle.set()
