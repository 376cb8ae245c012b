"""The ``portal`` spider: a thin Scrapy layer over ``crawler.discovery``.

    scrapy crawl portal -a url=https://www.xx.gov.cn/[,https://…] [-a years=2019-2023]
    scrapy crawl portal -a site=NAME[,NAME]        (a county's code or name, or a SITES_FILE entry)
    scrapy crawl portal -a region=37 [-a level=县]  (registry entries by GB/T 2260 prefix, kind)
    scrapy crawl portal … -a since=2024-01-01 [-a until=DATE]   (a date window: discovery.window)

Every response is decoded and parsed once (``discovery.Page``) and judged by what it holds
(``discovery.kinds.decide``): a ``report`` becomes an item (after its 附件 are fetched); a
``listing``, ``hub`` or ``article`` gives its links (every kind, ``discovery.links``), its pager
(``discovery.paging``), the data endpoints its script calls (``discovery.endpoints`` and the
family modules) and, on the home page, the portal's search (``discovery.doors``).  Each link
gets a score (``discovery.score``) that becomes its Scrapy priority; links under the floor, and
everything past the portal's page budget (``DISCOVERY_PAGE_BUDGET``), are held back and listed
in the portal's discovery record (``discovery.record``), which the run summary carries.

Crawl state travels as one ``CrawlState`` in ``request.meta["nb"]``.  Every request has an
errback that logs the URL, the step and the reason at WARNING and counts
``nianbao/errors/<step>``; the crawl carries on.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

from reports.extract.attachments.links import links_in
from reports.extract.encoding import decode_bytes
from storage.keys import note_body_sha256, sha256_hex

from .. import classify
from .. import settings as defaults
from ..browser import BROWSER_COOKIES, HAND_OVER_COOKIES, browser_meta, is_attachment
from ..discovery import doors, endpoints, kinds, paging, window
from ..discovery.explore import Exploration
from ..discovery.links import page_links
from ..discovery.page import Page
from ..discovery.record import Candidate, PortalRecord
from ..discovery.score import EXPLORE_FLOOR, FETCH_FLOOR, NEVER, score
from ..discovery.state import (
    ATTACHMENT,
    LISTING,
    META_KEY,
    REPORT,
    ROUTE,
    SEARCH,
    SITEMAP,
    CrawlState,
)
from ..discovery.urls import canonical, is_document, pager_key
from ..families import Link, all_families
from ..families.api import Call, family_links
from ..items import Attachment, ReportPage
from ..limits import attachment_bytes, parsed_body
from ..registry import select
from ..scope import PORTAL_META, PortalScope, is_government_host, registered_domain
from ..verdicts import KnownReport, page_key, verdict_memo

logger = logging.getLogger(__name__)

#: request meta key of the ticket that follows a request through redirects and retries
TICKET = "nb_ticket"

#: what a page of a kind may lead to (reports are never walked on: their links are held back)
_WALKED = (kinds.LISTING, kinds.HUB, kinds.ARTICLE)


def _settles(callback):
    """A callback or errback that answers one of its portal's requests: once the portal has none
    left (its promising links are spent), its next exploring round goes out from here, without
    waiting for the whole crawl to fall idle (a slow host of another portal would hold it)."""

    @functools.wraps(callback)
    def settled(self, answer, *args, **kwargs):
        portal = self._settle(answer)
        yield from callback(self, answer, *args, **kwargs) or ()
        if portal is not None and portal.tracked and not portal.pending:
            yield from self._explore_round(portal)

    return settled


class _Portal:
    """What the spider knows of one portal: its scope, hints, record and what it has asked."""

    def __init__(
        self, name: str, root: str, scope: tuple, family: str | None, robots: bool, budget: int
    ):
        self.name, self.root, self.scope, self.family, self.robots = (
            name,
            root,
            scope,
            family,
            robots,
        )
        self.record = PortalRecord(name, budget)
        self.seen: set[str] = set()  # canonical keys asked for or held
        self.emitted: set[str] = set()  # canonical keys of emitted reports (+ aliases)
        self.contents: dict[str, str] = {}  # report content key -> emitted URL
        self.chains: dict[str, set[str]] = {}  # pager key -> entry URLs its pages showed
        self.hot: set[str] = set()  # pager keys of listings that list reports
        self.fallbacks: set[str] = set()  # listings whose POST dataproxy fell back to GET
        self.held: dict[str, Candidate] = {}  # key -> a candidate held back, not yet asked
        self.anchors: dict[str, str] = {}  # key -> the longest anchor text any link had
        self.unnamed: set[str] = set()  # keys of files fetched under a bare link
        self.walled_doors: list[Request] = []  # robots.txt / sitemap.xml a JS wall answered
        # tickets of the requests scheduled and not yet answered by a callback or an errback
        # (a redirect or a retry carries its request's ticket): when none is left, the portal's
        # promising links are spent and its next exploring round goes out
        self.pending: set[int] = set()
        # per site (host) of the portal: requests, reports, and its exploring (discovery/explore.py)
        self.site_requests: Counter[str] = Counter()
        self.site_reports: Counter[str] = Counter()
        self.sites: dict[str, Exploration] = {}
        self.tracked = False  # the engine reports its requests (not in unit tests)
        self.wall_cookies: Any = None  # the cookies the browser got past the wall with


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        url: str | None = None,
        site: str | None = None,
        years: str | None = None,
        family: str | None = None,
        region: str | None = None,
        level: str | None = None,
        since: str | None = None,
        until: str | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if not url and not site and not region and not level:
            raise ValueError(
                "give -a url=URL[,URL…], -a site=NAME[,NAME…], -a region=CODE "
                "(37, 3701 …) or -a level=county"
            )
        self._url_arg = url
        self._site_arg = site
        self._region_arg = region
        self._level_arg = level
        self._family_arg = family
        self.years = classify.parse_years(years)
        # listings are paged by their dates within the window (crawler/discovery/window.py)
        self.window = window.parse(since, until)
        # (start_url, portal name, family or None); resolved in from_crawler (needs SITES_FILE)
        self.targets: list[tuple[str, str, str | None]] = []
        self._extra_hosts: dict[str, tuple[str, ...]] = {}  # portal -> registry "hosts"
        self._no_robots: set[str] = set()  # portals whose registry entry says robots: false
        self.robots_off: dict[str, str] = {}  # portal -> the registry's written reason
        self.portals: dict[str, _Portal] = {}
        # Tickets start at a random multiple of 2^32: a request popped by another cluster worker,
        # or requeued from a killed session's JOBDIR, carries a ticket no number of this
        # process can equal, so settling it never discards a request of ours.
        self._tickets = itertools.count(secrets.randbits(31) << 32)
        self.families = all_families()
        self.budget = 3000
        self.browser_budget = 20
        self.browser_retries = 2
        self.explore = defaults.DISCOVERY_EXPLORE
        self.explore_min = defaults.DISCOVERY_EXPLORE_MIN
        self.explore_patience = defaults.DISCOVERY_EXPLORE_PATIENCE
        self.breadth_first = False  # bench baseline: every link, in order of depth, no stop rule
        # portal -> its hosts; crawler/scope.py's ScopeMiddleware refuses every request outside them
        self.portal_scopes: dict[str, PortalScope] = {}
        self.robots_middleware = False  # ROBOTSTXT_OBEY: the middleware's robots.txt is read

    @property
    def narrowed(self) -> bool:
        """Only part of each portal is asked for (crawler/exitcodes.py ``narrowed``)."""
        return bool(self.years) or self.window is not None

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.budget = s.getint("DISCOVERY_PAGE_BUDGET", 3000)
        spider.browser_budget = s.getint("DISCOVERY_BROWSER_PAGES", 20)
        spider.browser_retries = s.getint("DISCOVERY_BROWSER_RETRIES", 2)
        spider.explore = s.get("DISCOVERY_EXPLORE", defaults.DISCOVERY_EXPLORE)
        spider.explore_min = s.getint("DISCOVERY_EXPLORE_MIN", defaults.DISCOVERY_EXPLORE_MIN)
        spider.explore_patience = s.getfloat(
            "DISCOVERY_EXPLORE_PATIENCE", defaults.DISCOVERY_EXPLORE_PATIENCE
        )
        spider.breadth_first = s.getbool("DISCOVERY_BREADTH_FIRST", False)
        if spider.explore not in ("yield", "empty", "always", "never"):
            raise ValueError(
                f"DISCOVERY_EXPLORE={spider.explore!r}: use yield, empty, always or never"
            )
        if spider.explore_min < 0 or spider.explore_patience < 0:
            raise ValueError(
                f"DISCOVERY_EXPLORE_MIN={spider.explore_min} and DISCOVERY_EXPLORE_PATIENCE="
                f"{spider.explore_patience}: give numbers of at least 0"
            )
        spider._resolve_targets(s.get("SITES_FILE"))
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        spider.robots_middleware = s.getbool("ROBOTSTXT_OBEY")
        if spider.robots_middleware:
            crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        return spider

    def _resolve_targets(self, sites_file: str | None) -> None:
        if self._url_arg:
            for url in _split(self._url_arg):
                if "://" not in url:
                    url = "http://" + url
                self.targets.append((url, urlsplit(url).netloc, self._family_arg))
                self.portal_scopes[urlsplit(url).netloc] = PortalScope.of(urlsplit(url).netloc, url)
        if self._site_arg or self._region_arg or self._level_arg:
            extra = [sites_file] if sites_file else []
            sites = select(
                region=self._region_arg, level=self._level_arg, site=self._site_arg, extra=extra
            )
            if not sites:
                raise ValueError(
                    f"no registry entry has region={self._region_arg} "
                    f"level={self._level_arg} site={self._site_arg}; "
                    f"`scrapy sites --region CODE` lists what there is"
                )
            if not any(site.start_url for site in sites):
                raise ValueError(
                    f"none of the {len(sites)} selected registry entries has a portal "
                    f"URL (crawler/registry/counties.csv); add one, or give -a url="
                )
            for site in sites:
                if not site.start_url:
                    logger.warning(
                        "site %s (%s): no portal URL in the registry (%s); skipped",
                        site.name,
                        site.region,
                        site.note or "none known",
                    )
                    continue
                self.targets.append((site.start_url, site.name, self._family_arg or site.family))
                self.portal_scopes[site.name] = PortalScope.of(
                    site.name, site.start_url, site.hosts
                )
                if site.robots is False:
                    self._no_robots.add(site.name)
                    self.robots_off[site.name] = site.robots_reason
                if site.hosts:
                    self._extra_hosts[site.name] = site.hosts
        for url, name, family in self.targets:
            # registry "hosts": that host and its subdomains, not its whole registered domain
            scope = (_scope(url),) + tuple(_host_scope(h) for h in self._extra_hosts.get(name, ()))
            self.portals[name] = _Portal(
                name, url, scope, family, name not in self._no_robots, self.budget
            )
            if self.explore == "yield":
                self.portals[name].record.exploration = Exploration(
                    self.explore_min, self.explore_patience
                )

    # ---------------------------------------------------------------- start

    async def start(self):
        for url, name, _ in self.targets:
            portal = self.portals[name]
            portal.seen.add(canonical(url))
            yield self._request(url, CrawlState(name, ROUTE, 100))
            root = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
            # robots.txt is read where RobotsTxtMiddleware fetched it (_robots_parsed): asking
            # again would fetch it twice per process, and once more per cluster worker
            own_robots = not (self.robots_middleware and portal.robots)
            for door in ("/robots.txt", "/sitemap.xml") if own_robots else ("/sitemap.xml",):
                if canonical(root + door) not in portal.seen:
                    portal.seen.add(canonical(root + door))
                    yield self._request(
                        root + door,
                        CrawlState(name, SITEMAP, 40, probe=True),
                        callback=self.parse_door,
                    )

    # ---------------------------------------------------------------- pages

    @_settles
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Any page: decide what it is, then emit it (a report) or walk it."""
        yield from self._parse(response)

    def _parse(self, response: Response) -> Iterator[Any]:
        state: CrawlState = response.meta[META_KEY]
        portal = self.portals[state.portal]
        cookies = response.meta.get(BROWSER_COOKIES)
        if state.rendered and cookies and not classify.js_challenge(response.body):
            # the browser passed the wall: its cookies open the portal to plain requests, and
            # this page is asked for again over plain HTTP, for the bytes the server sends
            self.crawler.stats.inc_value("nianbao/walls_passed")
            yield response.request.replace(
                cookies=cookies,
                dont_filter=True,
                meta=self._meta(replace(state, rendered=None, passed=True)),
            )
            # the doors the wall answered (robots.txt, sitemap.xml) are asked again with them
            for door in portal.walled_doors:
                door_state: CrawlState = door.meta[META_KEY]
                yield door.replace(
                    cookies=cookies,
                    dont_filter=True,
                    meta=self._meta(replace(door_state, passed=True)),
                )
            portal.walled_doors.clear()
            portal.wall_cookies = cookies
            return
        if not state.anchor:  # asked for under a bare link (a sitemap's): another link may name it
            state = replace(state, anchor=portal.anchors.get(canonical(response.request.url), ""))
        # a report page read before, byte for byte (a 304 on a re-crawl): its reading stands
        memo = verdict_memo(self.crawler)
        key, body_sha256 = _page_key(response, state.anchor) if memo is not None else ("", None)
        known = memo.get(key) if memo is not None else None
        if known is not None:
            portal.record.pages[kinds.REPORT] += 1
            self.crawler.stats.inc_value(f"nianbao/pages/{kinds.REPORT}")
            self.crawler.stats.inc_value("nianbao/recrawl/verdicts_reused")
            logger.debug("discovery: %s is a report, as when last read", response.url)
            yield from self._report(response, known, state, body_sha256)
            return
        page = _page(response)
        verdict = kinds.decide(page, state.anchor)
        portal.record.pages[
            "document" if page.document_kind and verdict.kind != kinds.REPORT else verdict.kind
        ] += 1
        self.crawler.stats.inc_value(f"nianbao/pages/{verdict.kind}")
        logger.debug(
            "discovery: %s is %s (%s, score %d, from %r)",
            response.url,
            verdict.kind,
            state.step,
            state.score,
            state.anchor,
        )
        if verdict.kind == kinds.BLOCKED:
            if verdict.reason == "JS challenge":
                yield from self._through_browser(
                    response.request, response, "JS challenge", hand_over=not state.passed
                )
            else:
                self._failed(response.request, verdict.reason, blocked=True)
            return
        if verdict.kind == kinds.ERROR:
            if state.probe:  # a planned page or a sitemap that is not there, said with a 200
                self.crawler.stats.inc_value("nianbao/probe_misses")
            elif state.score < FETCH_FLOOR:  # explored: a broken link of the portal
                logger.info("nianbao broken link: %s (%s)", response.url, verdict.reason)
                self.crawler.stats.inc_value("nianbao/broken_links")
            else:
                self._failed(response.request, verdict.reason)
            return
        if verdict.kind == kinds.REPORT:
            known = _known_report(page, verdict)
            if memo is not None:
                memo.put(key, known)
            yield from self._report(response, known, state, body_sha256)
            return
        if page.document_kind is not None:
            if not state.anchor:  # a sitemap's bare link: a link met later may name the file
                portal.unnamed.add(canonical(response.request.url))
            return
        yield from self._walk(response, page, verdict, state)

    def _walk(
        self, response: Response, page: Page, verdict: kinds.Verdict, state: CrawlState
    ) -> Iterator[Any]:
        portal = self.portals[state.portal]
        text = page.text
        hints = page.self_hints
        report_column = classify.is_report_column(*hints, url=page.url) or (
            state.report_column and state.step == LISTING
        )
        unit_directory = classify.is_unit_directory(*hints)
        links = page_links(page)
        calls: list[Call] = []
        for fam in self.families.values():
            hinted = portal.family == fam.NAME
            if fam.matches(text) or hinted:
                links += family_links(fam, text, page.url)
                calls += fam.calls(text, page.url)
        links = _merged(links)
        steps = paging.steps(page, links) if verdict.kind in (kinds.LISTING, kinds.HUB) else []
        step_urls = {canonical(s.url) for s in steps if s.form is None}
        entries = [k for k in links if canonical(k.url) not in step_urls]
        chain = state.chain or pager_key(page.url)
        dated_walk = False
        if self.window is not None and (steps or state.search is not None):
            # a date window: the pager is walked by its entries' dates (discovery/window.py)
            place = self.window.place([d for d in map(window.entry_date, entries) if d is not None])
            moves = window.moves(self.window, place, steps, page.url, state.search)
            dated_walk = place != window.UNDATED
            entries = [k for k in entries if self.window.admits(k)] if moves.entries else []
            steps = list(moves.steps)
            yield from self._window_requests(portal, state, moves, chain, verdict.kind)
        seen = portal.chains.setdefault(chain, set())
        fresh = {canonical(k.url) for k in entries} - seen
        seen |= fresh
        hot = (
            report_column
            or chain in portal.hot
            or any(
                classify.is_report_title(k.title) or classify.maybe_report_title(k.title)
                for k in entries
            )
        )
        if hot:
            portal.hot.add(chain)
        ctx = {
            "parent_kind": verdict.kind,
            "report_column": report_column,
            "unit_directory": unit_directory,
            "yielded": hot,
        }
        yield from self._follow(page, state, entries, ctx)
        # a pager: on while its pages bring entries not seen on its other pages (in a window:
        # while its dates are not past it)
        if steps and (fresh or state.chain is None or self.breadth_first or dated_walk):
            for step in steps:
                s = score(Link(step.url, ""), pager=True, depth=state.depth, **ctx)
                nxt = CrawlState(
                    state.portal,
                    LISTING,
                    s,
                    state.depth,
                    "",
                    "pager",
                    verdict.kind,
                    page.url,
                    chain,
                    report_column,
                    post=step if step.form else None,
                    probe=step.probe,
                    explored=state.explored,
                )
                yield from self._offer(portal, step.url, nxt, form=step.form)
        if state.post is not None and fresh:
            step = paging.next_post_step(state.post)
            if step is not None:
                yield from self._offer(portal, step.url, replace(state, post=step), form=step.form)
        # lists drawn by script: the endpoints the page's script calls, else the browser
        calls += endpoints.find(page)
        for call in calls:
            yield from self._call(portal, call, state, verdict.kind, report_column or hot)
        if state.depth <= 1:
            for query in doors.search_queries(page):
                nxt = CrawlState(
                    state.portal,
                    SEARCH,
                    60,
                    state.depth + 1,
                    query.term,
                    "search",
                    verdict.kind,
                    page.url,
                    explored=state.explored,
                )
                yield from self._offer(portal, query.url, nxt, form=query.form)
        if (
            not calls
            and state.rendered is None
            and page.drawn_by_script
            and (report_column or state.score >= 60)
            and portal.record.browser < self.browser_budget
            and not any(
                classify.is_report_title(k.title)
                or classify.maybe_report_title(k.title)
                or classify.distractor_match(k.title)
                for k in entries
            )
        ):
            portal.record.browser += 1
            yield from self._through_browser(
                response.request, response, "listing drawn by script", shell=True
            )

    def _window_requests(
        self, portal: _Portal, state: CrawlState, moves: window.Moves, chain: str, kind: str
    ) -> Iterator[Request]:
        """A binary search's next page, or the first page of the window it found: asked even if
        fetched before (a probe reads only the dates), so under keys of their own."""
        for url, search in (
            (moves.probe and moves.probe.urls[moves.probe.at], moves.probe),
            (moves.restart, None),
        ):
            if url:
                nxt = CrawlState(
                    state.portal,
                    LISTING,
                    state.score,
                    state.depth,
                    "",
                    "pager",
                    kind,
                    state.listing,
                    chain,
                    state.report_column,
                    search=search,
                    explored=state.explored,
                )
                key = ("window-search:" if search else "window:") + url
                for request in self._offer(portal, url, nxt, key=key):
                    yield request.replace(dont_filter=True)

    def _follow(
        self, page: Page, state: CrawlState, links: Iterable[Link], ctx: dict
    ) -> Iterator[Request]:
        portal = self.portals[state.portal]
        here = canonical(page.url)
        for link in links:
            if not _in_scope(link.url, portal.scope) or canonical(link.url) == here:
                continue
            url = _same_scheme(link.url, page.url)
            s = score(link, depth=state.depth + 1, **ctx)
            if s == NEVER and not self.breadth_first:
                continue
            if classify.is_report_title(link.title) and not classify.year_wanted(
                link.title, self.years
            ):
                # by its title alone (the year of publication, or of the data), before reading
                self.crawler.stats.inc_value("nianbao/skipped_year")
                continue
            # the step names what the link promises (logs, stats); the page decides what it is
            step = (
                REPORT
                if (
                    classify.is_report_title(link.title)
                    or classify.maybe_report_title(link.title)
                    or is_document(url)
                )
                else ROUTE
            )
            nxt = CrawlState(
                state.portal,
                step,
                s,
                state.depth + 1,
                link.title,
                link.via,
                ctx["parent_kind"],
                page.url,
                None,
                ctx["report_column"],
                explored=state.explored,
            )
            yield from self._offer(portal, url, nxt)

    def _offer(
        self, portal: _Portal, url: str, state: CrawlState, form=None, key: str | None = None
    ) -> Iterator[Request]:
        """Ask for ``url`` now, or hold it back (under the floor, or past the budget)."""
        # a data call and a page at one URL are two requests (their answers are read apart)
        key = key or ("call:" if state.call is not None else "") + canonical(url) + (
            "|" + repr(form) if form else ""
        )
        if state.anchor and len(state.anchor) > len(portal.anchors.get(key, "")):
            portal.anchors[key] = state.anchor  # what the best link to it said (a file's name)
        held = portal.held.get(key)
        again = key in portal.unnamed and classify.is_report_title(state.anchor)
        if again:
            # a file fetched under a bare link, now named a report by a link: asked again,
            # under that name (the file decides only through the link that names it)
            portal.unnamed.discard(key)
            portal.seen.discard(key)
        if key in portal.seen and (held is None or held.score >= state.score):
            return
        portal.seen.add(key)
        request = self._request(url, state, form=form, count=False)
        if again:
            request = request.replace(dont_filter=True)
        floor = EXPLORE_FLOOR if self.explore == "always" else FETCH_FLOOR
        if self.breadth_first:  # the baseline of make bench: by depth, nothing held back
            floor, request.priority = 0, -state.depth
        if state.score >= floor and portal.record.budget_left > 0:
            if held is not None:  # met before under a worse link (a bare script URL): now asked
                held.request = None
                del portal.held[key]
            self._spend(portal, state, url)
            yield request
        elif held is None:
            portal.held[key] = Candidate(
                state.score, url, state.anchor, request, key, state.listing or ""
            )
            portal.record.hold(portal.held[key])
            # past what the budget can still fetch: let go, so a portal's memory is bounded by
            # its budget, not by every link it shows (a link met again is offered anew)
            for gone in portal.record.trim():
                portal.held.pop(gone.key, None)
                portal.seen.discard(gone.key)
                portal.anchors.pop(gone.key, None)

    def _call(
        self, portal: _Portal, call: Call, state: CrawlState, parent_kind: str, hot: bool
    ) -> Iterator[Request]:
        if not _in_scope(call.url, portal.scope):
            return
        s = 80 if hot or call.get("report_column") == "1" else 60
        # a data call serves a listing: its step is "listing" (log lines, stats)
        nxt = CrawlState(
            state.portal,
            LISTING,
            s,
            state.depth,
            state.anchor,
            "endpoint",
            parent_kind,
            call.get("listing") or state.listing,
            None,
            hot or call.get("report_column") == "1",
            call=call,
            explored=state.explored,
        )
        yield from self._offer(portal, call.url, nxt, form=call.form)

    @_settles
    def parse_endpoint(self, response: Response) -> Iterator[Any]:
        """A data endpoint's answer (JSON, XML or an HTML fragment): records, then next calls."""
        state: CrawlState = response.meta[META_KEY]
        portal = self.portals[state.portal]
        call = state.call
        assert call is not None
        portal.record.pages["endpoint"] += 1
        text = _text(response)
        if call.family == endpoints.FAMILY:
            links = endpoints.answer_links(text, call)
            follow = [c for c in [endpoints.next_call(call)] if c is not None]
            filled = endpoints.filled_calls(call, text)  # a unit tree's ids into the unit lists
        else:
            answer = self.families[call.family].parse(text, call)
            links, follow, filled = answer.links, answer.calls, []
        listing = call.get("listing") or state.listing or response.url
        chain = "endpoint:" + pager_key(call.url)
        seen = portal.chains.setdefault(chain, set())
        fresh = {canonical(k.url) for k in links} - seen
        seen |= fresh
        hot = state.report_column or any(classify.is_report_title(k.title) for k in links)
        ctx = {
            "parent_kind": kinds.LISTING,
            "report_column": state.report_column,
            "unit_directory": False,
            "yielded": hot,
        }
        page = Page(listing, b"")
        yield from self._follow(page, replace(state, listing=listing), links, ctx)
        for nxt in (follow if fresh else []) + filled:  # a page on only while it brings news
            yield from self._call(portal, nxt, state, kinds.LISTING, hot)

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        """RobotsTxtMiddleware read a host's robots.txt: its ``Sitemap:`` lines, as doors."""
        state: CrawlState | None = request.meta.get(META_KEY)
        portal = self.portals.get(state.portal) if state is not None else None
        text = getattr(robotparser, "text", "")
        if portal is None or not text:
            return
        parts = urlsplit(request.url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        portal.record.pages["sitemap"] += 1
        door = CrawlState(portal.name, SITEMAP, 40)
        for url in doors.robots_sitemaps(text, robots_url):
            if _in_scope(url, portal.scope):
                for sitemap in self._offer(portal, url, door):
                    self.crawler.engine.crawl(sitemap)

    @_settles
    def parse_door(self, response: Response) -> Iterator[Any]:
        """robots.txt (its Sitemap: lines) or a sitemap (its <loc>s, or more sitemaps)."""
        state: CrawlState = response.meta[META_KEY]
        portal = self.portals[state.portal]
        portal.record.pages["sitemap"] += 1
        if response.url.endswith("/robots.txt"):
            for url in doors.robots_sitemaps(_text(response), response.url):
                if _in_scope(url, portal.scope):
                    yield from self._offer(portal, url, replace(state, probe=False))
            return
        locs, index = doors.sitemap_locs(response.body, _content_type(response))
        if not locs and b"<html" in response.body[:2000].lower():
            yield from self._parse(response)  # an HTML 网站地图 page
            return
        for url in locs:
            if not _in_scope(url, portal.scope):
                continue
            if index:
                yield from self._offer(portal, url, replace(state, probe=False))
            else:
                s = score(Link(url, "", via="sitemap"), parent_kind=kinds.HUB, depth=1)
                yield from self._offer(
                    portal,
                    url,
                    CrawlState(state.portal, ROUTE, s, 1, "", "sitemap", kinds.HUB, response.url),
                )

    # ---------------------------------------------------------------- reports

    def _report(
        self,
        response: Response,
        known: KnownReport,
        state: CrawlState,
        body_sha256: str | None = None,
    ) -> Iterator[Any]:
        portal = self.portals[state.portal]
        verdict = known.verdict
        urls = [response.url, *(response.meta.get("redirect_urls") or []), response.request.url]
        keys = {canonical(u) for u in urls}
        if keys & portal.emitted:
            first = next(u for u in urls if canonical(u) in portal.emitted)
            portal.record.alias(first, response.url)
            return
        content = known.content_key
        if content in portal.contents:
            portal.record.alias(portal.contents[content], response.url)
            self.crawler.stats.inc_value("nianbao/report_copies")
            return
        title = verdict.title or state.anchor
        if not classify.year_wanted(title, self.years, verdict.year):  # the data year, read
            self.crawler.stats.inc_value("nianbao/skipped_year")
            return
        portal.emitted |= keys
        portal.contents[content] = response.url
        portal.record.reports += 1
        site = _site(response.url)
        portal.site_reports[site] += 1
        if state.explored is not None and portal.record.exploration is not None:
            portal.record.exploration.found(state.explored)
            self._site_exploration(portal, site).found(state.explored)
        self.crawler.stats.inc_value("nianbao/reports")
        self.crawler.stats.inc_value(f"nianbao/reports/{state.portal}")
        aliases = sorted({u for u in urls if u != response.url})
        evidence = {
            **verdict.evidence,
            "kind": verdict.kind,
            "year": verdict.year,
            "found_via": state.via,
            "anchor": state.anchor,
            "score": state.score,
        }
        item = ReportPage(
            url=response.url,
            request_url=(response.meta.get("redirect_urls") or [response.request.url])[0],
            portal=state.portal,
            listing_url=state.listing,
            list_title=state.anchor or verdict.title or None,
            status=response.status,
            headers=_headers(response),
            body=response.body,
            fetched_at=_now(),
            evidence=evidence,
            aliases=aliases,
        )
        if body_sha256 is not None:  # hashed for the verdict memo: not hashed again
            note_body_sha256(item, response.body, body_sha256)
        portal.record.aliases.setdefault(response.url, list(aliases))
        yield from self._with_attachments(response, item, known)

    # ---------------------------------------------------------------- attachments

    def _with_attachments(self, response: Response, item: ReportPage, known: KnownReport):
        """The report item, once the files its page links as 附件 are fetched, one after the
        other (the page may be no more than a link to them).  A file that fails is logged and
        recorded with its error; the item always comes out."""
        scope = self.portals[item.portal].scope
        links = [
            (url, text)
            for url, text in known.attachment_links
            if _in_scope(url, scope) or is_government_host(url)
        ]
        if links:
            yield self._attachment_request(item, links, response.meta)
        else:
            yield item

    def _attachment_request(
        self, item: ReportPage, pending: list[tuple[str, str]], meta: dict
    ) -> Request:
        (url, text), rest = pending[0], pending[1:]
        state: CrawlState = meta[META_KEY]
        # depth_reset: a DEPTH_LIMIT must not drop the file and, with it, the report item
        m = self._meta(
            replace(state, step=ATTACHMENT, anchor=text),
            nb_item=item,
            nb_pending=rest,
            depth_reset=True,
            download_maxsize=attachment_bytes(),
        )
        self._count_request(ATTACHMENT)
        # dont_filter: two report pages may link one file, and each must get its copy
        return Request(
            url,
            callback=self.parse_attachment,
            errback=self.on_attachment_error,
            meta=m,
            dont_filter=True,
            headers={"Referer": item.url},
            priority=100,
        )

    @_settles
    def parse_attachment(self, response: Response):
        meta = response.meta
        meta["nb_item"].attachments.append(
            Attachment(
                url=response.url,
                link_text=meta[META_KEY].anchor,
                request_url=(meta.get("redirect_urls") or [response.request.url])[0],
                status=response.status,
                headers=_headers(response),
                body=response.body,
                fetched_at=_now(),
            )
        )
        yield from self._next_attachment(meta)

    @_settles
    def on_attachment_error(self, failure):
        request = (
            failure.request
            if getattr(failure, "request", None) is not None
            else failure.value.response.request
        )
        meta, reason = request.meta, _reason(failure)
        item = meta["nb_item"]
        logger.warning(
            "nianbao %s failed: %s (%s), linked from %s; the report is kept without it",
            ATTACHMENT,
            request.url,
            reason,
            item.url,
        )
        self.crawler.stats.inc_value(f"nianbao/errors/{ATTACHMENT}")
        item.attachments.append(
            Attachment(
                url=request.url,
                link_text=meta[META_KEY].anchor,
                request_url=request.url,
                status=failure.value.response.status if failure.check(HttpError) else None,
                error=reason,
                fetched_at=_now(),
            )
        )
        yield from self._next_attachment(meta)

    def _next_attachment(self, meta: dict):
        if meta["nb_pending"]:
            yield self._attachment_request(meta["nb_item"], meta["nb_pending"], meta)
        else:
            yield meta["nb_item"]

    # ---------------------------------------------------------------- frontier

    def _idle(self, spider=None) -> None:
        """The queue is empty: hand out held-back candidates of portals that may still be
        missing reports (the round a portal's last answer did not already hand out)."""
        released = 0
        for portal in self.portals.values():
            for request in self._explore_round(portal):
                self.crawler.engine.crawl(request)
                released += 1
        if released:
            raise DontCloseSpider

    def _explore_round(self, portal: _Portal) -> list[Request]:
        """The held-back candidates the portal asks for now (``DISCOVERY_EXPLORE``: yield =
        while exploring finds reports, discovery/explore.py; empty = portals with no report
        yet; always = all, while budget is left)."""
        rec = portal.record
        if self.explore == "never" or rec.budget_left <= 0 or not rec.held:
            return []
        if self.explore == "empty" and rec.reports:
            return []
        out = []
        for cand in self._explored_next(portal):
            if cand.score < EXPLORE_FLOOR or cand.request is None:
                continue  # a decoy's title, a calendar: never worth a request
            request, cand.request = cand.request, None
            portal.held.pop(cand.key, None)
            state: CrawlState = request.meta[META_KEY]
            if rec.exploration is not None:  # a branch of its own, credited to its section
                rec.exploration.open(cand.section)
                self._site_exploration(portal, _site(cand.url)).open(cand.section)
                state = replace(state, explored=cand.section)
                request = request.replace(meta={**request.meta, META_KEY: state})
            self._spend(portal, state, request.url)
            out.append(request)
        return out

    def _scheduled(self, request: Request, spider=None) -> None:
        portal = self._portal_of(request)
        if portal is not None:
            portal.tracked = True
            portal.pending.add(request.meta.setdefault(TICKET, next(self._tickets)))

    def _dropped(self, request: Request, spider=None) -> None:
        portal = self._portal_of(request)
        if portal is not None:
            portal.pending.discard(request.meta.get(TICKET, -1))

    def _portal_of(self, request: Request | None) -> _Portal | None:
        state = request.meta.get(META_KEY) if request is not None else None
        return self.portals.get(state.portal) if state is not None else None

    def _settle(self, answer: Any) -> _Portal | None:
        """The portal of the request a callback (a response) or an errback (a failure) answers,
        one of its pending requests settled."""
        request = getattr(answer, "request", None)
        if request is None and hasattr(answer, "value"):
            response = getattr(answer.value, "response", None)
            request = getattr(response, "request", None)
        portal = self._portal_of(request)
        if portal is not None and request is not None:
            portal.pending.discard(request.meta.get(TICKET, -1))
        return portal

    def _explored_next(self, portal: _Portal) -> list[Candidate]:
        """The held candidates a portal opens in this round: each site of the portal (a host:
        the www site, its 信息公开 platform, a department's subdomain) by its own stop rule, so
        a second site's sections are not judged by what the first one yielded."""
        rec = portal.record
        if rec.exploration is None:
            return rec.release(min(50, rec.budget_left))
        out: list[Candidate] = []
        for site in sorted({_site(c.url) for c in rec.waiting()}):
            explore = self._site_exploration(portal, site)
            n = explore.allowance(portal.site_reports[site], portal.site_requests[site])
            if n is None:  # nothing found on this site yet: every held link is worth a look
                n = 50
            n = min(n, rec.budget_left - len(out))
            if n > 0:
                out += rec.release_ranked(
                    n,
                    lambda c, e=explore: (c.score >= EXPLORE_FLOOR, *e.rank(c.section, c.score)),
                    where=lambda c, site=site: _site(c.url) == site,
                )
        return out

    def _site_exploration(self, portal: _Portal, site: str) -> Exploration:
        if site not in portal.sites:
            portal.sites[site] = Exploration(self.explore_min, self.explore_patience)
        return portal.sites[site]

    def _spend(self, portal: _Portal, state: CrawlState, url: str) -> None:
        """One request of the portal's budget (and of its exploration, on an explored branch)."""
        portal.record.budget_used += 1
        site = _site(url)
        portal.site_requests[site] += 1
        if state.explored is not None and portal.record.exploration is not None:
            portal.record.exploration.asked()
            self._site_exploration(portal, site).asked()
        self._count_request(state.step)

    def discovery_records(self) -> dict[str, dict]:
        return {name: p.record.as_dict() for name, p in sorted(self.portals.items())}

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        for _, portal, _ in self.targets:
            n = stats.get_value(f"nianbao/reports/{portal}", 0)
            if n:
                logger.info("portal %s: %d report pages", portal, n)
            else:
                logger.warning(
                    "portal %s: no report found (blocked, or routes not recognised?)", portal
                )
            rec = self.portals[portal].record
            logger.info(
                "discovery %s: pages %s, budget %d of %d, %d held back, explored %s",
                portal,
                dict(rec.pages),
                rec.budget_used,
                rec.budget,
                rec.held,
                rec.exploration.as_dict() if rec.exploration is not None else self.explore,
            )

    # ---------------------------------------------------------------- requests and errors

    def _meta(self, state: CrawlState, **extra: Any) -> dict[str, Any]:
        """A request's meta: its crawl state, and the portal and step under the plain keys the
        downloader middlewares read (crawler/scope.py, crawler/recrawl.py, crawler/runreport.py)."""
        meta: dict[str, Any] = {
            META_KEY: state,
            PORTAL_META: state.portal,
            "nb_step": state.step,
            **extra,
        }
        if state.probe:  # a planned page whose 404 is expected: no error (crawler/runreport.py)
            meta["nb_probe"] = True
        if state.portal in self._no_robots:
            meta["dont_obey_robotstxt"] = True
        return meta

    def _request(
        self, url: str, state: CrawlState, callback=None, form=None, count: bool = True
    ) -> Request:
        meta = self._meta(state)
        if count:
            self._spend(self.portals[state.portal], state, url)
        callback = callback or (
            self.parse_endpoint
            if state.call is not None
            else self.parse_door
            if state.step == SITEMAP
            else self.parse
        )
        if form is not None:
            return scrapy.FormRequest(
                url,
                formdata=list(form),
                callback=callback,
                errback=self.on_error,
                meta=meta,
                priority=state.score,
                headers={"X-Requested-With": "XMLHttpRequest", "Referer": state.listing or url},
            )
        headers = {"X-Requested-With": "XMLHttpRequest"} if state.call is not None else None
        # a data call at a URL also fetched as a page is a second request (the spider's own
        # seen set, per portal, keeps both to one each)
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta=meta,
            priority=state.score,
            headers=headers,
            dont_filter=state.call is not None,
        )

    def _failed(self, request: Request, reason: str, blocked: bool = False) -> None:
        step = request.meta[META_KEY].step
        if blocked:
            self.crawler.stats.inc_value(f"nianbao/blocked/{step}")
        # a door (robots.txt, sitemap.xml) that fails is no news: the root's failure says it
        (logger.debug if step == SITEMAP else logger.warning)(
            "nianbao %s failed: %s (%s)", step, request.url, reason
        )
        self.crawler.stats.inc_value(f"nianbao/errors/{step}")

    def _through_browser(
        self,
        request: Request,
        response: Response,
        reason: str,
        shell: bool = False,
        hand_over: bool = True,
    ):
        """Retry a request through the browser: an anti-bot JS challenge a normal browser passes by
        running the site's own script, or a listing drawn by script.  Nothing else is worked
        around: a challenge the browser does not pass, and any attachment, stays blocked."""
        state: CrawlState = request.meta[META_KEY]
        step = state.step
        if not shell:
            self.crawler.stats.inc_value(f"nianbao/blocked/{step}")
        if state.rendered or is_attachment(request.url):
            logger.warning(
                "nianbao %s blocked: %s (%s%s); open it in a browser to check, or crawl the "
                "portal from another network",
                step,
                request.url,
                reason,
                ", even through the browser" if state.rendered else "",
            )
            self.crawler.stats.inc_value(f"nianbao/errors/{step}")
            return
        logger.info("nianbao %s: %s through the browser (%s)", step, request.url, reason)
        extra = browser_meta(reason, shell=shell)
        extra.pop("nb_rendered", None)
        extra[HAND_OVER_COOKIES] = extra.get(HAND_OVER_COOKIES) and hand_over
        yield request.replace(
            dont_filter=True, meta=self._meta(replace(state, rendered=reason), **extra)
        )

    def _count_request(self, step: str) -> None:
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value(f"nianbao/requests/{step}")

    @_settles
    def on_error(self, failure):
        request = getattr(failure, "request", None)
        if request is None and failure.check(HttpError):
            request = failure.value.response.request
        state: CrawlState | None = request.meta.get(META_KEY) if request is not None else None
        step = state.step if state is not None else "unknown"
        url = request.url if request is not None else "?"
        reason = _reason(failure)
        if (
            state is not None
            and state.rendered
            and request.meta.get("playwright")
            and "Timeout" in type(failure.value).__name__
            and state.browser_tries < self.browser_retries
        ):
            # the browser was busy (every renderer taken, a loaded machine), not refused: the
            # page waits its turn again
            logger.info(
                "nianbao %s: %s timed out in the browser (%s); asked again", step, url, reason
            )
            self.crawler.stats.inc_value("nianbao/browser_retries")
            yield request.replace(
                dont_filter=True,
                meta={
                    **request.meta,
                    META_KEY: replace(state, browser_tries=state.browser_tries + 1),
                },
            )
            return
        if (
            state is not None
            and state.rendered
            and request.meta.get("playwright")
            and not failure.check(IgnoreRequest)
        ):
            # the browser did not get past the wall either: blocked, and recorded as such
            logger.warning(
                "nianbao %s blocked: %s (anti-bot challenge not passed by the browser: %s); "
                "open it in a browser to check, or crawl the portal from another network",
                step,
                url,
                reason,
            )
            self.crawler.stats.inc_value(f"nianbao/blocked/{step}")
            self.crawler.stats.inc_value(f"nianbao/errors/{step}")
            return
        walled = (
            failure.check(HttpError)
            and request is not None
            and (
                failure.value.response.status in (412, 521)
                or classify.js_challenge(failure.value.response.body)
            )
        )
        if walled and step == SITEMAP and not state.passed and state.portal in self.portals:
            # a door is not worth a browser: it is asked again once a page has passed the wall
            portal = self.portals[state.portal]
            if portal.wall_cookies is None:
                portal.walled_doors.append(request)
            else:
                yield request.replace(
                    cookies=portal.wall_cookies,
                    dont_filter=True,
                    meta=self._meta(replace(state, passed=True)),
                )
            return
        if walled:
            # a wall (again, if the browser's cookies did not open it: then the page is read
            # from the browser itself)
            yield from self._through_browser(
                request,
                failure.value.response,
                f"JS challenge (HTTP {failure.value.response.status})",
                hand_over=not (state and state.passed),
            )
            return
        if state is not None and state.search is not None and self.window is not None:
            # a binary search's page past the pager's end (0- or 1-based): searched lower
            moves = window.moves(self.window, window.OLDER, [], url, state.search)
            yield from self._window_requests(
                self.portals[state.portal],
                state,
                moves,
                state.chain or pager_key(url),
                kinds.LISTING,
            )
            return
        if state is not None and state.probe and failure.check(HttpError):
            # a planned page past the end (index_N on a 0-based site), a missing sitemap: expected
            logger.debug("pager probe missed: %s (%s)", url, reason)
            self.crawler.stats.inc_value("nianbao/probe_misses")
            return
        if state is not None and state.portal in self.portals:
            self.portals[state.portal].record.pages["failed"] += 1
            if state.score < FETCH_FLOOR and failure.check(HttpError):
                # a link nothing spoke for, explored: a broken link of the portal, not a lost page
                logger.info(
                    "nianbao broken link: %s (%s), linked from %s", url, reason, state.listing
                )
                self.crawler.stats.inc_value("nianbao/broken_links")
                return
        if request is not None and state is not None:
            self._failed(request, reason)  # one home for the line and the count (a door: DEBUG)
        else:
            logger.warning("nianbao %s failed: %s (%s)", step, url, reason)
            self.crawler.stats.inc_value(f"nianbao/errors/{step}")
        # a POST data call refused (404/405 on some servers): the family's GET fallback, once
        # per listing
        call = state.call if state is not None else None
        if call is not None and failure.check(HttpError) and call.family in self.families:
            fallback = getattr(self.families[call.family], "fallback", None)
            alt = fallback(call) if fallback is not None else None
            portal = self.portals[state.portal]
            listing = call.get("listing") or ""
            if alt is not None and listing not in portal.fallbacks:
                portal.fallbacks.add(listing)
                yield from self._offer(portal, alt.url, replace(state, call=alt))


# ------------------------------------------------------------------------------ helpers


def _site(url: str) -> str:
    """The site of a portal a URL is on: its host (and port)."""
    return urlsplit(url).netloc.lower()


def _content_type(response: Response) -> str:
    return response.headers.get("Content-Type", b"").decode("latin-1")


def _page(response: Response) -> Page:
    """The response decoded and parsed once (the page object every discovery step reads): its
    first MAX_PAGE_BYTES only (crawler/limits.py), so a 50 MB page does not hold the reactor (an
    lxml tree of a whole 50 MB page takes 1.2 GB); the item's body stays whole for the archive."""
    declared = _content_type(response)
    return Page.build(response.url, parsed_body(response), declared, declared)


def _text(response: Response) -> str:
    """A data answer or robots.txt as text, through the one page decoder."""
    return decode_bytes(response.body, _content_type(response)).text


def _merged(links: list[Link]) -> list[Link]:
    """One link per URL, with the best title any of its spellings had (a script's bare URL and
    the family record of the same page are one link)."""
    best: dict[str, Link] = {}
    for link in links:
        key = canonical(link.url)
        have = best.get(key)
        if have is None or len(link.title) > len(have.title):
            best[key] = (
                link if have is None or not have.context else replace(link, context=have.context)
            )
    return list(best.values())


def _page_key(response: Response, anchor: str) -> tuple[str, str | None]:
    """What the page's reading is found by in the verdict memo (crawler/verdicts.py), and the
    SHA-256 of the response body when the key is over all of it (the item carries it to the
    archive).  Of a page over MAX_PAGE_BYTES the key is over the parsed head, another digest:
    the whole body is hashed by the pipelines, off the reactor (pipelines.store.sha256_of)."""
    parsed = parsed_body(response)
    digest = sha256_hex(parsed)
    key = page_key(response.url, _content_type(response), anchor, digest)
    return key, digest if parsed is response.body else None


def _known_report(page: Page, verdict: kinds.Verdict) -> KnownReport:
    """What the spider reads from a report page: the content key, then the 附件 links (last:
    finding them strips the page's tree of scripts and chrome)."""
    content = _content_key(page, verdict)
    links: tuple[tuple[str, str], ...] = ()
    if page.document_kind is None:
        links = tuple(links_in(page.take_tree(), page.url))
    return KnownReport(verdict, content, links)


def _content_key(page: Page, verdict: kinds.Verdict) -> str:
    """Two URLs with this key serve one report (a copy under a second id)."""
    if page.document_kind is not None:
        return hashlib.sha1(page.body).hexdigest()
    text = page.compact_text
    first = min(
        (text.find(s) for s in verdict.evidence.get("sections", []) if s in text), default=-1
    )
    body = text[first:] if first >= 0 else text
    return hashlib.sha1((verdict.title + "|" + body[:20000]).encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value).split(",") if v.strip()]


def _scope(url: str) -> tuple[str, str]:
    """("netloc", host:port) for IPs and single-label hosts, else ("domain", registered domain).
    (Until the scope downloader middleware takes this over, the spider checks it itself.)"""
    parts = urlsplit(url)
    domain = registered_domain(parts.hostname or "")
    return ("domain", domain) if domain else ("netloc", parts.netloc.lower())


def _host_scope(host: str) -> tuple[str, str]:
    """A registry ``hosts`` entry: an IP/host:port exactly, a name with its subdomains."""
    kind, value = _scope(f"http://{host}/")
    return (kind, value) if kind == "netloc" else ("domain", host.lower().split(":")[0])


def _in_scope(url: str, scopes: Iterable[tuple[str, str]]) -> bool:
    """Is ``url`` on one of the portal's hosts (``scopes``: pairs made by ``_scope``)?"""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    host = (parts.hostname or "").lower()
    for kind, value in scopes:
        if kind == "netloc" and parts.netloc.lower() == value:
            return True
        if kind == "domain" and (host == value or host.endswith("." + value)):
            return True
    return False


def _same_scheme(url: str, page_url: str) -> str:
    """The same host spelled with the other scheme (http/https duplicates, docs/portals.md §11) is
    asked for with the scheme the portal answered on."""
    parts, here = urlsplit(url), urlsplit(page_url)
    if parts.scheme != here.scheme and (parts.hostname, parts.port) == (here.hostname, here.port):
        return here.scheme + url[len(parts.scheme) :]
    return url


def _headers(response: Response) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, values in response.headers.items():
        decoded = []
        for v in values:
            try:
                decoded.append(v.decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(v.decode("latin-1"))
        out[key.decode("latin-1")] = ", ".join(decoded)
    return out


def _reason(failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "DNS lookup failed"
    if failure.check(ConnectionRefusedError, DownloadConnectionRefusedError):
        return "connection refused"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "timeout"
    if failure.check(ConnectionLost):
        return "connection lost"
    if failure.check(IgnoreRequest):
        return f"ignored: {failure.value}"
    return f"{type(failure.value).__name__}: {failure.value}"
