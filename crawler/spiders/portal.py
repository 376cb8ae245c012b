"""The ``portal`` spider: from a county portal's root to its annual disclosure reports.

    scrapy crawl portal -a url=https://www.xx.gov.cn/[,https://…] [-a years=2019-2023]
    scrapy crawl portal -a site=NAME[,NAME]                        (crawler/sites.json, SITES_FILE)

How it walks (docs/portals.md §10.3):
* **route** pages: the root and any page reached through a route link (classify.is_route:
  政府信息公开, 政务公开, 年报, 乡镇/部门信息公开, zfxxgknb/xxgk slugs …; on a 乡镇/部门 directory
  also the unit names).  At most ``MAX_ROUTE_HOPS`` route links from the root.
* **listing** pages: the pagination of a page, per CMS family (detected from content unless the
  registry names it): Hanweb datastore + dataproxy.jsp, TRS index_N.html, generic 下一页/?page=N.
* **report** pages: links whose listing title is an annual report (classify.is_report_title),
  or that might be one (a truncated title, an untitled article link in a 年报 column); those are
  kept only when the page's own title (ArticleTitle, <title>, <h1>) is a report title.

Only hosts of the portal are followed: the start host and the subdomains of its registered
domain (xxgk.xx.gov.cn for www.xx.gov.cn); a bare IP or localhost start allows that host:port
only.  Every request has an errback that logs the URL, the step and the reason at WARNING and
counts ``nianbao/errors/<step>``; the crawl carries on.
"""
from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError,
                               DownloadTimeoutError, IgnoreRequest)
from twisted.internet.error import (ConnectionLost, ConnectionRefusedError, DNSLookupError,
                                    TCPTimedOutError, TimeoutError)

from .. import classify
from ..browser import browser_meta, is_attachment
from ..families import Link, api_families, detect_family, generic, hanweb, trs
from ..families.api import Call
from ..items import Attachment, ReportPage
from ..registry import get_site
from pipelines.extract.attachments.links import attachment_links

logger = logging.getLogger(__name__)

ROUTE, LISTING, REPORT = "route", "listing", "report"
ATTACHMENT = "attachment"  # a file a report page links as 附件


class PortalSpider(scrapy.Spider):
    name = "portal"

    #: route links followed from the root at most (DEPTH_LIMIT, the lead's, bounds everything).
    MAX_ROUTE_HOPS = 6
    #: listing pages per listing (TRS index_N, generic next pages, dataproxy groups).
    MAX_LISTING_PAGES = 200
    #: records asked for in one POST dataproxy request (the jpage group: 3 pages).
    PROXY_GROUP_PAGES = 3

    def __init__(self, url: str | None = None, site: str | None = None, years: str | None = None,
                 family: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not url and not site:
            raise ValueError("give -a url=URL[,URL…] or -a site=NAME[,NAME…]")
        self._url_arg = url
        self._site_arg = site
        self._family_arg = family
        self.years = classify.parse_years(years)
        # (start_url, portal name, family or None); resolved in from_crawler (needs SITES_FILE)
        self.targets: list[tuple[str, str, str | None]] = []
        self._extra_hosts: dict[str, tuple[str, ...]] = {}  # portal -> registry "hosts"
        self._no_robots: set[str] = set()  # portals whose registry entry says robots: false
        self.robots_off: dict[str, str] = {}  # portal -> the registry's written reason
        self._reports_requested: set[str] = set()
        self._listing_seen: dict[str, set[str]] = {}
        self._proxy_fallbacks: set[str] = set()
        self._api_families = api_families()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._resolve_targets(crawler.settings.get("SITES_FILE"))
        return spider

    def _resolve_targets(self, sites_file: str | None) -> None:
        if self._url_arg:
            for url in _split(self._url_arg):
                if "://" not in url:
                    url = "http://" + url
                self.targets.append((url, urlsplit(url).netloc, self._family_arg))
        if self._site_arg:
            extra = [sites_file] if sites_file else []
            for name in _split(self._site_arg):
                site = get_site(name, extra)
                self.targets.append((site.start_url, site.name, self._family_arg or site.family))
                if site.robots is False:
                    self._no_robots.add(site.name)
                    self.robots_off[site.name] = site.robots_reason
                if site.hosts:
                    self._extra_hosts[site.name] = site.hosts

    # ---------------------------------------------------------------- start

    async def start(self):
        for url, portal, family in self.targets:
            # registry "hosts": that host and its subdomains, not its whole registered domain
            scope = (_scope(url),) + tuple(_host_scope(h) for h in self._extra_hosts.get(portal, ()))
            yield self._request(url, ROUTE, self.parse_page, portal=portal, family=family,
                                scope=scope, hops=0)

    # ---------------------------------------------------------------- route / listing pages

    def parse_page(self, response: Response) -> Iterator[Request]:
        """A route or listing page: queue reports, routes and this listing's next pages."""
        if not isinstance(response, TextResponse):
            return
        meta = response.meta
        text = response.text
        tree = generic.parse(text)
        if classify.js_challenge(response.body):
            yield from self._through_browser(response.request, response, "JS challenge")
            return
        if tree is None or self._soft_error(response, generic.page_title(tree)):
            return
        family = meta.get("nb_family") or detect_family(text)
        hints = generic.column_hints(tree)
        ctx = _Context(
            report_column=classify.is_report_column(*hints, url=response.url),
            unit_directory=classify.is_unit_directory(*hints),
            listing_url=response.url,
        )
        links: list[Link] = []
        records: list[Link] = []
        if family == "hanweb":
            records = hanweb.parse_records(text, response.url)
            links += records
        elif family == "trs":
            links += trs.js_rows(text, response.url)
        links += generic.links(tree, response.url)
        # families whose records come from a data endpoint: ask it as the page's script would
        api_matched = False
        for fam in self._api_families.values():
            if fam.matches(text):
                api_matched = True
                for call in fam.calls(text, response.url):
                    yield self._api_request(call, response.meta, ctx)
        # a 年报 column with no entries whose script draws them from no endpoint we know: the browser
        if (ctx.report_column and not api_matched and not meta.get("nb_rendered")
                and not _has_entries(links) and _INLINE_SCRIPT_RE.search(text)):
            yield from self._through_browser(response.request, response, "listing drawn by script",
                                             shell=True)
            return

        found = yield from self._follow_links(response, links, ctx)
        paginate = ctx.report_column or found or any(classify.is_route(h) for h in hints)
        if not paginate:
            return
        # pager links (?page=N+1 …) are new on every page of an endless pager: not content
        new = self._note_listing_links(meta.get("nb_listing_root") or response.url,
                                       [k for k in links if not generic.is_pager_link(k.url, response.url)])
        if family == "hanweb":
            yield from self._paginate_hanweb(response, text, ctx, len(records))
        elif family == "trs":
            yield from self._paginate_trs(response, text, ctx)
        if family == "generic" or (family == "trs" and trs.parse_pager(text) is None) or (
                family == "hanweb" and not hanweb.has_datastore(text)):
            yield from self._paginate_generic(response, tree, ctx, new)

    def _follow_links(self, response: Response, links: Iterable[Link], ctx: "_Context"):
        """Queue report and route requests for ``links``; return how many reports were queued."""
        meta = response.meta
        hops = meta.get("nb_hops", 0)
        scope = meta["nb_scope"]
        found = 0
        for link in links:
            if not _in_scope(link.url, scope):
                continue
            link = _same_scheme(link, response.url)
            title = link.title
            if classify.looks_like_listing(link.url):
                # A column or section, even when its anchor reads like a report
                # ("政府信息公开年报", a "2023年度" year folder): walk it as a page.
                if hops < self.MAX_ROUTE_HOPS and (
                        classify.is_route(title, link.url) or classify.is_report_title(title)
                        or (link.context and classify.is_route(link.context))
                        or (ctx.unit_directory and classify.is_unit_name(title))
                        or (ctx.report_column and classify.title_year(title) is not None)):
                    yield self._request(link.url, ROUTE, self.parse_page, meta=meta, hops=hops + 1,
                                        listing_root=None)
                continue
            if classify.is_report_title(title):
                found += 1
                if classify.year_wanted(title, self.years):
                    yield from self._report_request(response, link, ctx, verify=False)
            elif classify.maybe_report_title(title) or (
                    ctx.report_column and classify.looks_like_article(link.url)
                    and classify.could_be_report(title)):
                found += 1
                yield from self._report_request(response, link, ctx, verify=True)
            elif hops < self.MAX_ROUTE_HOPS and not classify.looks_like_article(link.url) and (
                    classify.is_route(title, link.url)
                    or (link.context and classify.is_route(link.context))
                    or (ctx.unit_directory and classify.is_unit_name(title))):
                yield self._request(link.url, ROUTE, self.parse_page, meta=meta, hops=hops + 1,
                                    listing_root=None)
        return found

    def _report_request(self, response: Response, link: Link, ctx: "_Context", verify: bool):
        key = _dedupe_key(link.url)
        if key in self._reports_requested:
            return
        self._reports_requested.add(key)
        yield self._request(link.url, REPORT, self.parse_report, meta=response.meta,
                            list_title=link.title or None, listing=ctx.listing_url, verify=verify)

    def _note_listing_links(self, root: str, links: Iterable[Link]) -> int:
        """Remember a listing's links; return how many had not been seen on its other pages."""
        seen = self._listing_seen.setdefault(root, set())
        before = len(seen)
        seen.update(link.url for link in links)
        return len(seen) - before

    # ---------------------------------------------------------------- pagination per family

    def _paginate_hanweb(self, response: Response, text: str, ctx: "_Context", inline: int):
        if not hanweb.has_datastore(text):
            return
        config = hanweb.parse_jpage_config(text)
        nextgroup = hanweb.nextgroup_url(text, response.url)
        common = dict(meta=response.meta, listing=ctx.listing_url, report_column=ctx.report_column,
                      listing_root=response.url)
        if config is not None:
            if not hanweb.remaining_after(config, inline):
                return
            count = config.per_page * self.PROXY_GROUP_PAGES
            if config.total_record is None:
                # unknown total: one group at a time, stop on an empty recordset
                page = hanweb.post_page(config, response.url, inline + 1, count)
                yield self._proxy_request(page, config, nextgroup, chain=True, **common)
                return
            start, n = inline + 1, 0
            while start <= config.total_record and n < self.MAX_LISTING_PAGES:
                page = hanweb.post_page(config, response.url, start, count)
                yield self._proxy_request(page, config, nextgroup, chain=False, **common)
                start, n = page.end + 1, n + 1
        elif nextgroup:
            yield self._request(nextgroup, LISTING, self.parse_dataproxy, **common,
                                proxy_page=hanweb.page_of(nextgroup), nextgroup=nextgroup)

    def _proxy_request(self, page: hanweb.ProxyPage, config: hanweb.JpageConfig,
                       nextgroup: str | None, chain: bool, meta: dict, listing: str,
                       report_column: bool, listing_root: str) -> Request:
        req = scrapy.FormRequest(
            page.url, formdata=page.form, callback=self.parse_dataproxy, errback=self.on_error,
            headers={"X-Requested-With": "XMLHttpRequest", "Referer": listing},
        )
        req.meta.update(_carry(meta))
        req.meta.update(nb_step=LISTING, nb_listing=listing, nb_report_column=report_column,
                        nb_listing_root=listing_root, nb_proxy=page, nb_config=config,
                        nb_chain=chain, nb_nextgroup=nextgroup)
        self._count_request(LISTING)
        return req

    def parse_dataproxy(self, response: Response):
        """A dataproxy.jsp XML answer: its records, then (chained mode) the next group."""
        meta = response.meta
        # some servers send the XML as application/octet-stream
        text = (response.text if isinstance(response, TextResponse)
                else response.body.decode("utf-8", "replace"))
        links = hanweb.parse_records(text, meta.get("nb_listing") or response.url)
        ctx = _Context(report_column=meta.get("nb_report_column", False), unit_directory=False,
                       listing_url=meta.get("nb_listing") or response.url)
        yield from self._follow_links(response, links, ctx)
        if not links:  # an empty recordset is the end
            return
        new = self._note_listing_links(meta.get("nb_listing_root") or response.url, links)
        page: hanweb.ProxyPage | None = meta.get("nb_proxy")
        config: hanweb.JpageConfig | None = meta.get("nb_config")
        common = dict(meta=meta, listing=ctx.listing_url, report_column=ctx.report_column,
                      listing_root=meta.get("nb_listing_root"))
        if page is not None and config is not None:
            total = hanweb.total_record(text)
            planned = config.total_record
            # chained (total unknown), or the server counts more records than the page said
            more = meta.get("nb_chain") or (planned is not None and page.end >= planned
                                            and total is not None and total > planned)
            groups = meta.get("nb_page", 0) + 1
            if more and (total is None or page.end < total) and groups < self.MAX_LISTING_PAGES:
                nxt = hanweb.post_page(replace(config, total_record=total), response.url,
                                       page.end + 1, max(page.end - page.start + 1,
                                                         config.per_page * self.PROXY_GROUP_PAGES))
                req = self._proxy_request(nxt, config, meta.get("nb_nextgroup"), chain=True, **common)
                req.meta["nb_page"] = groups
                yield req
        elif meta.get("nb_proxy_page") and new:
            n = meta["nb_proxy_page"] + 1
            if n <= self.MAX_LISTING_PAGES:
                yield self._request(hanweb.get_page(meta["nb_nextgroup"], n), LISTING,
                                    self.parse_dataproxy, **common, proxy_page=n,
                                    nextgroup=meta["nb_nextgroup"])

    def _api_request(self, call: Call, meta: dict, ctx: "_Context") -> Request:
        if call.form is not None:
            req = scrapy.FormRequest(call.url, formdata=dict(call.form), callback=self.parse_api,
                                     errback=self.on_error)
        else:
            req = Request(call.url, callback=self.parse_api, errback=self.on_error)
        req.meta.update(_carry(meta))
        # a call into a catalogue node the family picked as the 年报 column lists reports
        report_column = ctx.report_column or call.get("report_column") == "1"
        req.meta.update(nb_step=LISTING, nb_listing=ctx.listing_url, nb_report_column=report_column,
                        nb_call=call, nb_listing_root=None, nb_verify=False, nb_probe=False)
        if req.meta.get("nb_portal") in self._no_robots:
            req.meta["dont_obey_robotstxt"] = True
        self._count_request(LISTING)
        return req

    def parse_api(self, response: Response):
        """A family data endpoint's answer (JSON, XML or an HTML fragment): records, next calls."""
        meta = response.meta
        call: Call = meta["nb_call"]
        text = (response.text if isinstance(response, TextResponse)
                else response.body.decode("utf-8", "replace"))
        page = self._api_families[call.family].parse(text, call)
        ctx = _Context(report_column=meta.get("nb_report_column", False), unit_directory=False,
                       listing_url=meta.get("nb_listing") or response.url)
        yield from self._follow_links(response, page.links, ctx)
        for nxt in page.calls[: self.MAX_LISTING_PAGES]:
            yield self._api_request(nxt, meta, ctx)

    def _paginate_trs(self, response: Response, text: str, ctx: "_Context"):
        pager = trs.parse_pager(text)
        if pager is None or pager.count <= 1 or trs.page_number(response.url) != 0:
            return  # later pages were all queued by page 0
        root = trs.listing_base(response.url, pager)
        common = dict(meta=response.meta, listing=ctx.listing_url, listing_root=root,
                      report_column=ctx.report_column)
        # All pages at once (one depth level): index_1 … index_N.  A 0-based site has
        # index_1 … index_{N-1}, a 1-based one index_2 … index_N, so both ends are probes whose
        # 404 is expected; broken deep pages (300-byte stubs) simply add no links.
        last = min(pager.count, self.MAX_LISTING_PAGES)
        for j in pager.candidates()[:last]:
            yield self._request(pager.page_url(root, j), LISTING, self.parse_page,
                                **common, probe=(j in (1, last)), trs_page=j)

    def _paginate_generic(self, response: Response, tree, ctx: "_Context", new: int):
        n = response.meta.get("nb_page", 0)
        if (n and not new) or n >= self.MAX_LISTING_PAGES:
            return  # "no new links": a broken deep page or the end
        root = response.meta.get("nb_listing_root") or response.url
        for url in generic.next_pages(tree, response.url):
            if _in_scope(url, response.meta["nb_scope"]):
                yield self._request(url, LISTING, self.parse_page, meta=response.meta,
                                    listing=ctx.listing_url, listing_root=root, page=n + 1)

    # ---------------------------------------------------------------- reports

    def parse_report(self, response: Response):
        meta = response.meta
        list_title = meta.get("nb_title")
        decisive = list_title
        if classify.js_challenge(response.body):
            yield from self._through_browser(response.request, response, "JS challenge")
            return
        titles = generic.page_titles(response.text) if isinstance(response, TextResponse) else []
        if isinstance(response, TextResponse) and self._soft_error(response, titles[0] if titles else ""):
            return
        if meta.get("nb_verify") or not list_title:
            decisive = next((t for t in titles if classify.is_report_title(t)), None)
            if decisive is None and isinstance(response, TextResponse) and titles and \
                    classify.is_report_content(titles[0], response.text):
                decisive = titles[0]  # a plain title ("XX镇2022年度工作报告"), the report's own tables
            if decisive is None:
                logger.debug("not a report: %s (listed as %r, page titles %r)",
                             response.url, list_title, titles)
                self.crawler.stats.inc_value("nianbao/not_report")
                return
        if not classify.year_wanted(decisive, self.years):
            self.crawler.stats.inc_value("nianbao/skipped_year")
            return
        self.crawler.stats.inc_value("nianbao/reports")
        self.crawler.stats.inc_value(f"nianbao/reports/{meta['nb_portal']}")
        item = ReportPage(
            url=response.url,
            request_url=(meta.get("redirect_urls") or [response.request.url])[0],
            portal=meta["nb_portal"],
            listing_url=meta.get("nb_listing"),
            list_title=list_title,
            status=response.status,
            headers=_headers(response),
            body=response.body,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        yield from self._with_attachments(response, item)

    # ---------------------------------------------------------------- attachments

    #: the largest attachment fetched (bytes); a larger one is recorded with its error.
    MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024

    def _with_attachments(self, response: Response, item: ReportPage):
        """The report item, once the files its page links as 附件 are fetched, one after the
        other (the page may be no more than a link to them).  A file that fails is logged and
        recorded with its error; the item always comes out."""
        declared = response.headers.get("Content-Type", b"").decode("latin-1").partition("charset=")[2]
        links = [(url, text) for url, text in attachment_links(response.body, response.url, declared or None)
                 if _in_scope(url, response.meta["nb_scope"]) or _is_gov(url)]
        if links:
            yield self._attachment_request(item, links, response.meta)
        else:
            yield item

    def _attachment_request(self, item: ReportPage, pending: list[tuple[str, str]], meta: dict) -> Request:
        (url, text), rest = pending[0], pending[1:]
        m = _carry(meta)
        # depth_reset: a DEPTH_LIMIT must not drop the file and, with it, the report item
        m.update(nb_step=ATTACHMENT, nb_item=item, nb_pending=rest, nb_link_text=text,
                 depth_reset=True, download_maxsize=self.MAX_ATTACHMENT_BYTES)
        if m.get("nb_portal") in self._no_robots:
            m["dont_obey_robotstxt"] = True
        self._count_request(ATTACHMENT)
        # dont_filter: two report pages may link one file, and each must get its copy
        return Request(url, callback=self.parse_attachment, errback=self.on_attachment_error, meta=m,
                       dont_filter=True, headers={"Referer": item.url})

    def parse_attachment(self, response: Response):
        meta = response.meta
        meta["nb_item"].attachments.append(Attachment(
            url=response.url, link_text=meta.get("nb_link_text", ""),
            request_url=(meta.get("redirect_urls") or [response.request.url])[0],
            status=response.status, headers=_headers(response), body=response.body,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
        yield from self._next_attachment(meta)

    def on_attachment_error(self, failure):
        request = failure.request if getattr(failure, "request", None) is not None else failure.value.response.request
        meta, reason = request.meta, _reason(failure)
        item = meta["nb_item"]
        logger.warning("nianbao %s failed: %s (%s), linked from %s; the report is kept without it",
                       ATTACHMENT, request.url, reason, item.url)
        self.crawler.stats.inc_value(f"nianbao/errors/{ATTACHMENT}")
        item.attachments.append(Attachment(
            url=request.url, link_text=meta.get("nb_link_text", ""), request_url=request.url,
            status=failure.value.response.status if failure.check(HttpError) else None, error=reason,
            fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds")))
        yield from self._next_attachment(meta)

    def _next_attachment(self, meta: dict):
        if meta["nb_pending"]:
            yield self._attachment_request(meta["nb_item"], meta["nb_pending"], meta)
        else:
            yield meta["nb_item"]

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        for _, portal, _ in self.targets:
            n = stats.get_value(f"nianbao/reports/{portal}", 0)
            if n:
                logger.info("portal %s: %d report pages", portal, n)
            else:
                logger.warning("portal %s: no report found (blocked, or routes not recognised?)", portal)

    # ---------------------------------------------------------------- requests and errors

    def _request(self, url: str, step: str, callback, meta: dict | None = None, *,
                 portal: str | None = None, family: str | None = None, scope=None,
                 hops: int | None = None, listing: str | None = None,
                 listing_root: str | None = None, list_title: str | None = None,
                 verify: bool = False, report_column: bool | None = None, probe: bool = False,
                 trs_page: int | None = None, page: int | None = None,
                 proxy_page: int | None = None, nextgroup: str | None = None) -> Request:
        m = _carry(meta or {})
        m["nb_step"] = step
        for key, value in (("nb_portal", portal), ("nb_family", family), ("nb_scope", scope),
                           ("nb_hops", hops), ("nb_listing", listing),
                           ("nb_title", list_title), ("nb_report_column", report_column),
                           ("nb_trs_page", trs_page), ("nb_page", page),
                           ("nb_proxy_page", proxy_page), ("nb_nextgroup", nextgroup)):
            if value is not None:
                m[key] = value
        m["nb_listing_root"] = listing_root
        m["nb_verify"] = verify
        m["nb_probe"] = probe
        if m.get("nb_portal") in self._no_robots:
            m["dont_obey_robotstxt"] = True
        self._count_request(step)
        return Request(url, callback=callback, errback=self.on_error, meta=m)

    def _soft_error(self, response: Response, title: str) -> bool:
        """Log and count a 200 page that is an error page or a WAF challenge
        (docs/portals.md §11)."""
        reason = classify.soft_error(title, response.body)
        if reason is None:
            return False
        step = response.meta.get("nb_step", "unknown")
        if classify.block_page(title) or classify.js_challenge(response.body):
            self.crawler.stats.inc_value(f"nianbao/blocked/{step}")
        logger.warning("nianbao %s failed: %s (%s)", step, response.url, reason)
        self.crawler.stats.inc_value(f"nianbao/errors/{step}")
        return True

    def _through_browser(self, request: Request, response: Response, reason: str, shell: bool = False):
        """Retry a request through the browser: an anti-bot JS challenge a normal browser passes by
        running the site's own script, or a listing drawn by script.  Nothing else is worked
        around: a challenge the browser does not pass, and any attachment, stays blocked."""
        meta = request.meta
        step = meta.get("nb_step", "unknown")
        if not shell:
            self.crawler.stats.inc_value(f"nianbao/blocked/{step}")
        if meta.get("nb_rendered") or is_attachment(request.url):
            logger.warning("nianbao %s blocked: %s (%s%s); open it in a browser to check, or crawl the "
                           "portal from another network", step, request.url, reason,
                           ", even through the browser" if meta.get("nb_rendered") else "")
            self.crawler.stats.inc_value(f"nianbao/errors/{step}")
            return
        logger.info("nianbao %s: %s through the browser (%s)", step, request.url, reason)
        # Scrapy's per-download keys (download_latency …) must not travel to the new request
        carried = {k: v for k, v in meta.items() if not k.startswith(("download_", "redirect_", "retry_"))}
        yield request.replace(dont_filter=True, meta={**carried, **browser_meta(reason, shell=shell)})

    def _count_request(self, step: str) -> None:
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value(f"nianbao/requests/{step}")

    def on_error(self, failure):
        request = getattr(failure, "request", None)
        if request is None and failure.check(HttpError):
            request = failure.value.response.request
        meta = request.meta if request is not None else {}
        step = meta.get("nb_step", "unknown")
        url = request.url if request is not None else "?"
        reason = _reason(failure)
        if meta.get("nb_rendered") and meta.get("playwright") and not failure.check(IgnoreRequest):
            # the browser did not get past the wall either: blocked, and recorded as such
            logger.warning("nianbao %s blocked: %s (anti-bot challenge not passed by the browser: %s); "
                           "open it in a browser to check, or crawl the portal from another network",
                           step, url, reason)
            self.crawler.stats.inc_value(f"nianbao/blocked/{step}")
            self.crawler.stats.inc_value(f"nianbao/errors/{step}")
            return
        if failure.check(HttpError) and request is not None and (
                failure.value.response.status in (412, 521) or classify.js_challenge(failure.value.response.body)):
            yield from self._through_browser(request, failure.value.response,
                                             f"JS challenge (HTTP {failure.value.response.status})")
            return
        if meta.get("nb_probe") and failure.check(HttpError):
            # TRS index_1 on a 1-based site or index_N on a 0-based one: expected, not an error
            logger.debug("pager probe missed: %s (%s)", url, reason)
            self.crawler.stats.inc_value("nianbao/probe_misses")
            return
        logger.warning("nianbao %s failed: %s (%s)", step, url, reason)
        self.crawler.stats.inc_value(f"nianbao/errors/{step}")
        # A POST dataproxy refused (404/405 on some servers): fall back to the GET nextgroup,
        # once per listing.
        if step == LISTING and meta.get("nb_proxy") is not None and meta.get("nb_nextgroup") \
                and failure.check(HttpError):
            root = meta.get("nb_listing_root") or ""
            if root not in self._proxy_fallbacks:
                self._proxy_fallbacks.add(root)
                ng = meta["nb_nextgroup"]
                yield self._request(ng, LISTING, self.parse_dataproxy, meta=meta,
                                    listing=meta.get("nb_listing"), listing_root=root,
                                    report_column=meta.get("nb_report_column"),
                                    proxy_page=hanweb.page_of(ng), nextgroup=ng)


# ------------------------------------------------------------------------------ helpers


@dataclass(slots=True)
class _Context:
    """What a page says about itself, deciding how its links are read."""

    report_column: bool   # the page is a 年报 list: its article links may be reports
    unit_directory: bool  # a 乡镇/部门 信息公开 directory: unit names are routes
    listing_url: str


#: meta keys handed down from a page to the requests it makes.
_CARRIED = ("nb_portal", "nb_family", "nb_scope", "nb_hops", "nb_listing", "nb_report_column")


def _carry(meta: dict) -> dict:
    return {k: meta[k] for k in _CARRIED if k in meta}


def _split(value: str) -> list[str]:
    return [v.strip() for v in str(value).split(",") if v.strip()]


_MULTI_LABEL_SUFFIXES = {"gov.cn", "com.cn", "net.cn", "org.cn", "edu.cn", "ac.cn"}


def _scope(url: str) -> tuple[str, str]:
    """("netloc", host:port) for IPs and single-label hosts, else ("domain", registered domain)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        return ("netloc", parts.netloc.lower())
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2:
        return ("netloc", parts.netloc.lower())
    keep = 3 if ".".join(labels[-2:]) in _MULTI_LABEL_SUFFIXES and len(labels) >= 3 else 2
    return ("domain", ".".join(labels[-keep:]))


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


_INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)


def _has_entries(links: Iterable[Link]) -> bool:
    """Does a listing show any entry (a report, a cut title, or a decoy), not only menus?"""
    return any(classify.is_report_title(k.title) or classify.maybe_report_title(k.title)
               or classify.distractor_match(k.title) for k in links)


def _same_scheme(link: Link, page_url: str) -> Link:
    """The same host spelled with the other scheme (http/https duplicates, docs/portals.md §11) is
    asked for with the scheme the portal answered on."""
    parts, here = urlsplit(link.url), urlsplit(page_url)
    if parts.scheme != here.scheme and (parts.hostname, parts.port) == (here.hostname, here.port):
        return replace(link, url=here.scheme + link.url[len(parts.scheme):])
    return link


def _is_gov(url: str) -> bool:
    """A government host (files are often served from another department's file server)."""
    return (urlsplit(url).hostname or "").endswith(".gov.cn")


def _dedupe_key(url: str) -> str:
    """Same article on http and https, with or without a fragment, is requested once."""
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path}?{parts.query}"


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
