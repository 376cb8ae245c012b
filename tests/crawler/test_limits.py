"""The bounds of what a page makes the crawl do: settings, read in one place (crawler/limits.py)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.settings import Settings

from crawler import limits
from crawler import settings as defaults
from crawler.discovery import endpoints
from crawler.families.api import Call


@pytest.fixture
def configured():
    def apply(**values):
        limits.configure(Settings(values))

    yield apply
    limits.configure(Settings())  # the defaults of crawler/settings.py again


def test_every_bound_defaults_to_its_setting():
    assert set(limits.SETTINGS) == {
        "PAGE_COUNT_CAP",
        "ENDPOINT_MAX_PAGES",
        "LISTING_MAX_PLANNED_PAGES",
        "MAX_ATTACHMENT_BYTES",
        "MAX_PAGE_BYTES",
    }
    for name, default in limits.SETTINGS.items():
        assert default == getattr(defaults, name)


def test_an_endpoint_is_asked_no_further_than_its_setting(configured):
    configured(ENDPOINT_MAX_PAGES=3)
    call: Call | None = Call("http://www.xx.gov.cn/api/list?pageNo=1&size=10", endpoints.FAMILY)
    pages = []
    while call is not None:
        pages.append(call.page)
        call = endpoints.next_call(call)
    assert pages == [1, 2, 3]


def test_the_count_cap_also_bounds_the_other_page_limits(configured):
    configured(PAGE_COUNT_CAP=5, ENDPOINT_MAX_PAGES=50, LISTING_MAX_PLANNED_PAGES=50)
    assert limits.endpoint_pages() == 5 and limits.planned_pages() == 5
    configured(MAX_ATTACHMENT_BYTES=1024)
    assert limits.attachment_bytes() == 1024


@pytest.mark.parametrize(
    "name,value",
    [
        ("ENDPOINT_MAX_PAGES", "0"),
        ("LISTING_MAX_PLANNED_PAGES", "many"),
        ("MAX_ATTACHMENT_BYTES", "-1"),
        ("PAGE_COUNT_CAP", ""),
        ("MAX_PAGE_BYTES", "0"),
    ],
)
def test_a_broken_bound_is_named_with_its_fix(name, value):
    problem = limits.problem(Settings({name: value}))
    assert problem is not None and problem.startswith(f"{name}={value!r}")
    assert "at least 1" in problem
    assert limits.problem(Settings()) is None


# ------------------------------------------------------------------------------ the page head


#: a table cell per charset: characters of 2 (GBK, Big5), 3 (UTF-8) and 4 bytes (GB18030 and
#: UTF-8 outside the BMP), so a cut at any byte may fall inside one
_CELLS = {
    "utf-8": "收到申请数（件）𠮷镕",
    "gb18030": "收到申请数（件）𠮷镕",
    "gbk": "收到申请数（件）镕",
    "big5": "收到申請數（件）",
}


def _big_page(charset: str, rows: int) -> bytes:
    row = f"<tr><td>{_CELLS[charset]}</td><td>12</td></tr>"
    head = f'<html><head><meta charset="{charset}"><title>{_CELLS[charset]}</title></head>'
    return (head + "<body><table>" + row * rows + "</table></body></html>").encode(charset)


@pytest.mark.parametrize("charset", ["utf-8", "gb18030", "gbk", "big5"])
@pytest.mark.parametrize("offset", range(8))
def test_a_page_head_never_cuts_a_character_in_two(charset, offset):
    """A page over MAX_PAGE_BYTES is read up to a cut before a tag: the head decodes in the
    page's own charset, where a cut at the byte bound made a GBK page read as mac-greek."""
    from reports.extract.encoding import decode_bytes

    body = _big_page(charset, 2000)
    bound = len(body) // 2 + offset
    head = limits.page_head(body, bound)
    assert len(head) <= bound and body.startswith(head) and body[len(head)] == ord("<")
    decoded = decode_bytes(head, f"text/html; charset={charset}")
    expected = {"gbk": "gb18030"}.get(charset, charset)
    assert (decoded.encoding, decoded.flags) == (expected, [])
    assert decoded.text == body[: len(head)].decode(charset)


def test_a_page_within_the_bound_is_read_whole(configured):
    body = _big_page("utf-8", 10)
    configured(MAX_PAGE_BYTES=len(body))
    assert limits.page_head(body) is body
    configured(MAX_PAGE_BYTES=len(body) - 1)
    assert len(limits.page_head(body)) < len(body)


def test_no_downloader_middleware_reads_more_of_a_big_page_than_its_head(tmp_path):
    """The crawl's downloader middlewares, in the crawl's order, on a 20 MB report page: none
    decodes or parses all of it, and the spider gets it bounded.  The re-crawl's soft-404 check
    once read the title through a selector over the whole page: a 50 MB page parsed whole in
    the reactor, about 7 s with nothing else moving and 1.3 GiB of the crawl's memory."""
    import tracemalloc

    from scrapy import Request
    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
    from scrapy.http import HtmlResponse
    from scrapy.utils.project import get_project_settings
    from scrapy.utils.test import get_crawler

    from crawler.spiders.portal import PortalSpider
    from simulator.faults import hostile_portal

    settings = get_project_settings()
    names = ("DOWNLOADER_MIDDLEWARES", "MAX_PAGE_BYTES", "WARC_ENABLED", "RECRAWL_CONDITIONAL")
    crawler = get_crawler(
        PortalSpider,
        settings_dict={
            **{n: settings[n] for n in names},
            "ROBOTSTXT_OBEY": False,
            "STORE_URI": f"file://{tmp_path / 'store'}",
            "STATE_DIR": str(tmp_path / "state"),
        },
    )
    manager = DownloaderMiddlewareManager.from_crawler(crawler)
    with hostile_portal(faults=("big",), big_page_bytes=20 * 2**20) as portal:
        body = portal.big_page()
    url = "http://127.0.0.1:1/nb/big.html"
    request = Request(url, meta={"nb_step": "report", "nb_portal": "127.0.0.1:1"})
    response = HtmlResponse(
        url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}, request=request
    )
    tracemalloc.start()
    try:
        # the chain Scrapy runs on each download, innermost (WARC wire) to outermost
        result = asyncio.run(manager._process_response(response, request))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(result, limits.BoundedHtmlResponse) and result.body is body
    assert len(result.parsed_body) <= defaults.MAX_PAGE_BYTES
    # the text of the whole page alone would be over 20 MB; the head's is about 2 MB
    assert peak < len(body) / 4, f"{peak / 2**20:.1f} MiB allocated for a 20 MiB page"
