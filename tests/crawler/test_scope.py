"""Scope on every request (crawler/scope.py): redirect hops, endpoint URLs, attachments and the
browser's sub-requests never reach a host outside the portal; tripwire servers on another port
of 127.0.0.1 and on 127.0.0.2 record any request that gets through."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from crawler import limits
from crawler.scope import PortalScope, ScopeMiddleware, is_internal, registered_domain
from simulator.faults import hostile_portal
from tests.conftest import run_crawl


class _Spider:
    def __init__(self, *scopes: PortalScope):
        self.portal_scopes = {s.name: s for s in scopes}


# What the names of these tests resolve to (no DNS on the test machine): a public address, and
# a name of the portal's domain that points inside (DNS rebinding).
ADDRESSES = {
    "www.qinghe.gov.cn": "202.106.0.20",
    "xxgk.qinghe.gov.cn": "202.106.0.21",
    "intranet.qinghe.gov.cn": "10.0.0.7",
}


async def _table_lookup(host: str):
    import ipaddress

    return ipaddress.ip_address(ADDRESSES[host]) if host in ADDRESSES else None


def _refusal(url: str, portal: str | None, *scopes: PortalScope) -> str | None:
    return asyncio.run(ScopeMiddleware(lookup=_table_lookup).refusal(url, portal, _Spider(*scopes)))


GOV = PortalScope.of("qinghe", "http://www.qinghe.gov.cn/", hosts=["xxgk.hebei.gov.cn"])
SIM = PortalScope.of("sim", "http://127.0.0.1:8123/")


@pytest.mark.parametrize(
    "url",
    [
        "http://www.qinghe.gov.cn/zwgk/",
        "https://www.qinghe.gov.cn/zwgk/",
        "http://qinghe.gov.cn/",
        "http://xxgk.qinghe.gov.cn:8080/nb.html",
        "http://XXGK.Qinghe.Gov.CN./a",
        "http://xxgk.hebei.gov.cn/col/1.html",
        "http://a.xxgk.hebei.gov.cn/",
    ],
)
def test_a_portal_holds_its_names_and_registry_hosts(url):
    assert GOV.holds(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://www.hebei.gov.cn/",
        "http://evil.invalid/",
        "http://qinghe.gov.cn.evil.invalid/",
        "http://www.qinghe-gov.cn/",
        "ftp://www.qinghe.gov.cn/",
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "javascript:alert(1)",
    ],
)
def test_anything_else_is_outside(url):
    assert not GOV.holds(url)


def test_a_bare_address_portal_is_that_address_and_port_only():
    assert SIM.holds("http://127.0.0.1:8123/x") and SIM.holds("https://127.0.0.1:8123/x")
    for url in (
        "http://127.0.0.1:8124/",
        "http://127.0.0.2:8123/",
        "http://127.0.0.1/",
        "http://[::ffff:127.0.0.1]:8124/",
        "http://localhost:8123/",
        "http://2130706433:8123/",
    ):
        assert not SIM.holds(url), url
    assert _refusal("http://127.0.0.1:8123/a", "sim", SIM) is None  # its own internal address
    assert _refusal("http://127.0.0.2:8123/a", "sim", SIM).startswith("host:")


def test_internal_addresses_are_refused_for_a_public_portal():
    public = PortalScope.of(
        "pub", "http://8.8.8.8/", hosts=["10.0.0.5", "169.254.169.254", "100.100.100.200"]
    )
    for url in (
        "http://10.0.0.5/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/",
    ):
        assert public.holds(url)  # listed in the registry, and still refused: it is internal
        assert _refusal(url, "pub", public).startswith("internal:"), url
    assert _refusal("http://8.8.8.8/x", "pub", public) is None
    import ipaddress

    assert all(
        is_internal(ipaddress.ip_address(a))
        for a in (
            "127.0.0.2",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "0.0.0.0",
            "224.0.0.1",
        )
    )


def test_a_portal_name_that_resolves_inside_is_refused():
    assert _refusal("http://xxgk.qinghe.gov.cn/a", "qinghe", GOV) is None
    assert _refusal("http://intranet.qinghe.gov.cn/a", "qinghe", GOV).startswith("internal:")
    # ... unless the portal itself is inside (an intranet portal)
    inside = PortalScope.of("inside", "http://intranet.qinghe.gov.cn/")
    assert _refusal("http://intranet.qinghe.gov.cn/a", "inside", inside) is None


def test_a_request_through_a_proxy_resolves_no_name_but_addresses_are_still_checked(monkeypatch):
    """Behind a proxy the proxy resolves names: the crawler sends no DNS query of its own."""
    from scrapy import Request

    async def no_dns(host: str):
        raise AssertionError(f"a DNS lookup of {host} for a proxied request")

    monkeypatch.setenv("http_proxy", "http://127.0.0.1:3128")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    mw = ScopeMiddleware(lookup=no_dns)
    spider = _Spider(GOV)

    def refusal(url: str) -> str | None:
        request = Request(url, meta={"nb_portal": "qinghe"})
        return asyncio.run(mw.refusal(url, "qinghe", spider, proxied=mw.proxied(request)))

    assert mw.proxied(Request("http://intranet.qinghe.gov.cn/"))
    assert not mw.proxied(Request("http://127.0.0.1:8123/"))  # no_proxy: loopback goes direct
    assert refusal("http://intranet.qinghe.gov.cn/a") is None  # the proxy's to resolve
    assert refusal("http://www.qinghe.gov.cn/a") is None
    assert refusal("http://www.other.gov.cn/a").startswith("host:")
    # a request's own meta proxy counts too, and an empty one means direct
    assert mw.proxied(Request("https://www.qinghe.gov.cn/", meta={"proxy": "http://p:1"}))
    assert not mw.proxied(Request("http://www.qinghe.gov.cn/", meta={"proxy": None}))


def test_requests_of_no_portal_must_be_some_portals_and_unknown_portals_are_refused():
    assert _refusal("http://www.qinghe.gov.cn/robots.txt", None, GOV, SIM) is None
    assert _refusal("http://127.0.0.1:8123/robots.txt", None, GOV, SIM) is None
    assert _refusal("http://evil.invalid/robots.txt", None, GOV, SIM).startswith("host:")
    # a request of one portal may not use another portal's hosts
    assert _refusal("http://127.0.0.1:8123/", "qinghe", GOV, SIM).startswith("host:")
    assert _refusal("http://www.qinghe.gov.cn/", "nobody", GOV, SIM).startswith("portal:")


def test_registered_domain():
    assert registered_domain("www.qinghe.gov.cn") == "qinghe.gov.cn"
    assert registered_domain("www.example.com") == "example.com"
    assert registered_domain("127.0.0.1") is None and registered_domain("localhost") is None


@pytest.mark.parametrize(
    "value,expected",
    [
        ("15", 15),
        (" 7 ", 7),
        ("-3", 0),
        ("0", 0),
        (None, None),
        ("", None),
        ("abc", None),
        ("١٢", None),
        ("100000", limits.DEFAULT_COUNT_CAP),
        ("1" + "0" * 30, limits.DEFAULT_COUNT_CAP),
        ("9" * 5000, limits.DEFAULT_COUNT_CAP),
        (10**30, limits.DEFAULT_COUNT_CAP),
        (True, None),
    ],
)
def test_counts_read_from_pages_are_capped_and_never_raise(value, expected):
    assert limits.cap_count(value) == expected


def test_a_listing_declaring_100000_records_queues_at_most_the_cap():
    from crawler.families import jpaas, trs

    page = (
        '<div id="pagination" unitUrl="/api/list" count="100000" rows="1" '
        "queryData=\"{'webId':'1'}\"></div>"
    )
    assert len(jpaas.calls(page, "http://x.gov.cn/col/")) == limits.count_cap()
    assert (
        trs.parse_pager("createPageHTML(" + "1" * 5000 + ', 0, "index", "html")').count
        == limits.count_cap()
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with hostile_portal(faults=("redirects", "endpoint", "counts", "browser")) as portal:
        out = tmp_path_factory.mktemp("scope")
        result = run_crawl(
            out, f"url={portal.root_url}", settings={"PAGE_COUNT_CAP": "40"}, timeout=600
        )
        yield portal, result, out


@pytest.mark.slow
def test_no_request_reaches_a_host_outside_the_portal(crawled):
    portal, result, _ = crawled
    assert portal.trip.hits == [] and portal.trip2.hits == [], (portal.trip.hits, portal.trip2.hits)
    # ... and the hostile pages were really fetched, so the tripwires could have been hit
    for path in (
        "/nb/2022.html",
        "/nb/2021-moved.html",
        "/nb/2020.html",
        "/files/nb2023.pdf",
        "/jp/",
        "/js/",
        "/js/hop",
        "/js/data",
    ):
        assert path in portal.requests, (path, result.log[-3000:])


@pytest.mark.slow
def test_refused_requests_are_counted_in_the_stats_and_the_run_summary(crawled):
    _, result, out = crawled
    # 7: a hostile portal fails the error-ratio monitor (crawler/monitors.py), as it should
    assert result.returncode in (0, 1, 7), result.log[-3000:]
    refused = {k: int(v) for k, v in re.findall(r"'nianbao/refused/(\w+)': (\d+)", result.log)}
    # report redirect, chain hop, meta refresh, attachment, JPaaS endpoint: the downloader
    # (the browser's image, script and fetch are refused too when discovery renders the page;
    # it reads the /js/ endpoint from the script instead, so they may not be asked at all)
    assert refused.get("host", 0) >= 5, refused
    summary = json.loads(next((out / "store" / "runs").glob("*/summary.json")).read_text())
    assert summary["refused"] == refused
    assert "refused out of scope" in result.log


@pytest.mark.slow
def test_the_attachment_redirected_to_the_metadata_service_is_recorded_not_fetched(crawled):
    _, result, _ = crawled
    item = next(i for i in result.items if i["url"].endswith("/nb/2023.html"))
    (att,) = item["attachments"]
    # recorded under the URL it was refused at, with why; never fetched (the tripwires saw nothing)
    assert att["url"].endswith("/latest/meta-data/") and "out of scope" in att["error"]


@pytest.mark.slow
def test_an_absurd_count_queues_no_more_than_the_cap(crawled):
    portal, _, _ = crawled
    assert 0 < sum(p.startswith("/api/list") for p in portal.requests) <= 40
    assert sum(p.startswith("/trs/index_") for p in portal.requests) <= 40


@pytest.mark.slow
def test_the_browser_page_still_works_through_the_scoped_route(crawled):
    portal, result, _ = crawled
    # discovery reads the script's endpoint where it can, and renders only where it cannot:
    # either way the report the script lists comes out
    assert "listing drawn by script" in result.log or "/js/data" in portal.requests
    assert any(i["url"].endswith("/nb/2023.html") for i in result.items)


@pytest.mark.slow
def test_the_browser_makes_no_traffic_of_its_own():
    """Chromium with the crawl's launch options, its dead proxy replaced by a recording one: in
    the seconds after start-up and a page load (answered through the route, as in a crawl),
    nothing of the browser's own (updates, safe browsing, telemetry, prefetch) reaches it."""
    from playwright.async_api import async_playwright

    from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS
    from simulator.faults import Tripwire

    proxy = Tripwire()
    args = [a.replace("http://127.0.0.1:9", proxy.url) for a in PLAYWRIGHT_LAUNCH_OPTIONS["args"]]
    assert args != PLAYWRIGHT_LAUNCH_OPTIONS["args"]  # the dead proxy is there to be replaced

    async def browse(url: str) -> str:
        async with async_playwright() as p:
            browser = await p.chromium.launch(**{**PLAYWRIGHT_LAUNCH_OPTIONS, "args": args})
            page = await (await browser.new_context(service_workers="block")).new_page()

            async def answer(route, request):
                await route.fulfill(response=await route.fetch(max_redirects=0))

            await page.route("**", answer)
            await page.goto(url)
            await page.wait_for_timeout(4000)
            title = await page.title()
            await browser.close()
            return title

    with hostile_portal(faults=()) as portal:
        try:
            title = asyncio.run(browse(portal.root_url))
        finally:
            proxy.close()
    assert title.endswith("人民政府")  # the page itself was answered
    assert proxy.hits == [], proxy.hits
