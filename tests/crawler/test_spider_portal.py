"""The portal spider's callbacks on hand-written listing pages (no network)."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy import FormRequest, Request
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.discovery.state import CrawlState
from crawler.items import ReportPage
from crawler.registry import UnknownSiteError
from crawler.spiders.portal import PortalSpider, _in_scope, _scope
from simulator import ILLUSTRATIVE_SITES
from tests.conftest import FIXTURE_ROOT

FIX = FIXTURE_ROOT / "portals"
HANWEB_ROOT = "http://www.yunxi.gov.cn/"
HANWEB_COL = "http://www.yunxi.gov.cn/col/col1229000088/index.html"
TRS_ROOT = "http://www.hukou.gov.cn/"
TRS_INDEX = "http://www.hukou.gov.cn/zwgk/zfxxgknb/index.html"


def make_spider(settings: dict | None = None, **kwargs) -> PortalSpider:
    crawler = get_crawler(PortalSpider, settings)
    return crawler._create_spider(**kwargs)


def page_request(spider: PortalSpider, url: str, step="route", anchor: str = "", **kw) -> Request:
    """A request as the spider makes it, carrying its one CrawlState."""
    state = CrawlState(spider.targets[0][1], step, kw.pop("score", 60), anchor=anchor, **kw)
    return spider._request(url, state, count=False)


def html(
    url: str, body: bytes | str, request: Request, status=200, cls=HtmlResponse, **kw
) -> Response:
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = kw.pop("headers", {"Content-Type": "text/html; charset=utf-8"})
    return cls(url=url, body=body, request=request, status=status, headers=headers, **kw)


def run(callback_output) -> list:
    return list(callback_output or [])


def by_step(out: list) -> dict[str, list]:
    steps: dict[str, list] = {}
    for r in out:
        if isinstance(r, Request):
            steps.setdefault(r.meta["nb"].step, []).append(r)
    return steps


def start(spider: PortalSpider) -> list[Request]:
    async def collect():
        return [r async for r in spider.start()]

    return asyncio.run(collect())


# ------------------------------------------------------------------------------ contract


def test_spider_defines_async_start_and_no_start_requests():
    assert inspect.isasyncgenfunction(PortalSpider.start)
    assert "start_requests" not in vars(PortalSpider)
    assert PortalSpider.name == "portal"


def test_no_callback_is_a_generator_that_returns_a_value():
    # WARN_ON_GENERATOR_RETURN_VALUE is off (crawler/settings.py): Scrapy's check, once, here
    callbacks = [
        getattr(PortalSpider, name)
        for name, value in vars(PortalSpider).items()
        if inspect.isgeneratorfunction(value)
    ]
    assert {c.__name__ for c in callbacks} >= {"parse", "parse_endpoint", "parse_attachment"}
    assert [c.__name__ for c in callbacks if is_generator_with_return_value(c)] == []


def test_start_yields_one_request_per_url():
    spider = make_spider(url=f"{HANWEB_ROOT},{TRS_ROOT}", years="2019-2023")

    async def collect():
        return [r async for r in spider.start()]

    reqs = asyncio.run(collect())
    assert [r.url for r in reqs if r.meta["nb"].step == "route"] == [HANWEB_ROOT, TRS_ROOT]
    assert reqs[0].meta["nb"].portal == "www.yunxi.gov.cn" and reqs[0].errback is not None
    # the other doors: robots.txt (its Sitemap: lines) and sitemap.xml, whose 404 is expected
    doors = [r.url for r in reqs if r.meta["nb"].step == "sitemap"]
    assert doors == [
        HANWEB_ROOT + "robots.txt",
        HANWEB_ROOT + "sitemap.xml",
        TRS_ROOT + "robots.txt",
        TRS_ROOT + "sitemap.xml",
    ]
    assert all(r.meta["nb"].probe for r in reqs if r.meta["nb"].step == "sitemap")
    assert spider.years == frozenset(range(2019, 2024))


def test_site_argument_uses_registry_and_sites_file(tmp_path):
    spider = make_spider({"SITES_FILE": str(ILLUSTRATIVE_SITES)}, site="jx-hk-county")
    assert spider.targets == [("https://www.hk.gov.cn/zwgk/", "jx-hk-county", "trs")]
    extra = tmp_path / "sites.json"
    extra.write_text(
        json.dumps(
            [
                {
                    "name": "sim-a",
                    "start_url": "http://127.0.0.1:8123/",
                    "family": "hanweb",
                    "level": "county",
                }
            ]
        ),
        encoding="utf-8",
    )
    spider = make_spider({"SITES_FILE": str(extra)}, site="sim-a")
    assert spider.targets == [("http://127.0.0.1:8123/", "sim-a", "hanweb")]
    with pytest.raises(UnknownSiteError, match=r"known sites: .*jx-hk-county"):
        make_spider({"SITES_FILE": str(ILLUSTRATIVE_SITES)}, site="nowhere")


def test_scope_covers_subdomains_of_the_registered_domain_only():
    assert _scope("https://www.xx.gov.cn/") == ("domain", "xx.gov.cn")
    s = (_scope("https://www.xx.gov.cn/"),)
    assert _in_scope("http://xxgk.xx.gov.cn/col/col1/index.html", s)
    assert not _in_scope("http://www.yy.gov.cn/", s) and not _in_scope(
        "http://xx.gov.cn.evil.com/", s
    )
    assert not _in_scope("ftp://www.xx.gov.cn/", s)
    ip = (_scope("http://127.0.0.1:8123/"),)
    assert _in_scope("http://127.0.0.1:8123/a", ip) and not _in_scope("http://127.0.0.1:8124/a", ip)


def test_registry_hosts_widen_the_scope(tmp_path):
    extra = tmp_path / "sites.json"
    extra.write_text(
        json.dumps(
            [{"name": "x", "start_url": "http://www.xx.gov.cn/", "hosts": ["xxgk.zj.gov.cn"]}]
        ),
        encoding="utf-8",
    )
    spider = make_spider({"SITES_FILE": str(extra)}, site="x")
    scope = spider.portals["x"].scope
    assert _in_scope("https://xxgk.zj.gov.cn/art/1.html", scope)
    assert _in_scope("https://sub.xxgk.zj.gov.cn/art/1.html", scope)
    assert not _in_scope("https://www.zj.gov.cn/art/1.html", scope)


# ------------------------------------------------------------------------------ Hanweb


def test_hanweb_column_page_queues_reports_routes_and_dataproxy_posts():
    spider = make_spider({"DISCOVERY_EXPLORE": "empty"}, url=HANWEB_ROOT)
    req = page_request(spider, HANWEB_COL)
    out = run(spider.parse(html(HANWEB_COL, (FIX / "hanweb_column.html").read_bytes(), req)))
    steps = by_step(out)
    reports = {r.url: r.meta["nb"].anchor for r in steps["report"]}
    assert reports == {
        "http://www.yunxi.gov.cn/art/2024/1/22/art_1229000088_59000123.html": (
            "云溪县2023年政府信息公开工作年度报告"
        ),
        "http://xxgk.yunxi.gov.cn/art/2024/1/19/art_1229000090_59000101.html": (
            "谢塘镇2023年政府信息公开工作年度报告"
        ),
        "http://www.yunxi.gov.cn/art/2023/1/20/art_1229000088_58000700.html": (
            "云溪县2022年度政府信息公开工作年度报告"
        ),
    }
    # best first: the reports' links outrank the routes, the routes the rest
    assert min(r.priority for r in steps["report"]) > max(r.priority for r in steps["route"])
    routes = {r.url for r in steps["route"]}
    assert "http://www.yunxi.gov.cn/col/col1229000001/index.html" in routes  # 政府信息公开
    assert "http://www.yunxi.gov.cn/col/col1229000099/index.html" in routes  # 乡镇（街道）信息公开
    assert "http://www.yunxi.gov.cn/col/col1229000002/index.html" not in routes  # 政务服务
    assert not any("other.gov.cn" in u for u in routes)
    # 5 inline records of 37 at perPage 5 → POSTs for 6-20, 21-35, 36-37
    posts = steps["listing"]
    assert all(isinstance(r, FormRequest) and r.method == "POST" for r in posts)
    ranges = [
        (
            parse_qs(urlsplit(r.url).query)["startrecord"][0],
            parse_qs(urlsplit(r.url).query)["endrecord"][0],
        )
        for r in posts
    ]
    assert ranges == [("6", "20"), ("21", "35"), ("36", "37")]
    body = parse_qs(posts[0].body.decode())
    assert body["columnid"] == ["1229000088"] and body["unitid"] == ["4411234"]
    assert body["webid"] == ["3185"] and body["webname"] == ["云溪县人民政府"]
    assert posts[0].headers[b"X-Requested-With"] == b"XMLHttpRequest"


def test_hanweb_dataproxy_response_queues_reports_once_and_applies_years():
    spider = make_spider(url=HANWEB_ROOT, years="2019-2023")
    col_req = page_request(spider, HANWEB_COL)
    posts = by_step(
        run(spider.parse(html(HANWEB_COL, (FIX / "hanweb_column.html").read_bytes(), col_req)))
    )["listing"]
    post = posts[0]
    resp = html(
        post.url,
        (FIX / "hanweb_dataproxy.xml").read_bytes(),
        post,
        cls=XmlResponse,
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    out = run(spider.parse_endpoint(resp))
    reports = {r.url: (r.meta["nb"].anchor, r.meta["nb"].listing) for r in by_step(out)["report"]}
    assert reports == {
        "http://www.yunxi.gov.cn/art/2022/1/25/art_1229000088_57000500.html": (
            "云溪县2021年政府信息公开工作年度报告",
            HANWEB_COL,
        ),
        "http://www.yunxi.gov.cn/art/2021/1/28/art_1229000088_56000400.html": (
            "云溪县2020年政府信息公开工作年度报告",
            HANWEB_COL,
        ),
        # 2013 is outside years=2019-2023; 工作要点 is a distractor
    }
    # the same response again queues nothing new (each report requested once)
    assert "report" not in by_step(run(spider.parse_endpoint(resp)))


def test_hanweb_chained_dataproxy_stops_on_empty_recordset():
    spider = make_spider(url=HANWEB_ROOT)
    text = (FIX / "hanweb_column.html").read_text(encoding="utf-8").replace("totalRecord: 37, ", "")
    out = run(spider.parse(html(HANWEB_COL, text, page_request(spider, HANWEB_COL))))
    posts = by_step(out)["listing"]
    assert len(posts) == 1 and posts[0].meta["nb"].call.get("chain") == "1"
    xml = (
        (FIX / "hanweb_dataproxy.xml")
        .read_text(encoding="utf-8")
        .replace("<totalrecord>37</totalrecord>", "")
    )
    nxt = by_step(run(spider.parse_endpoint(html(posts[0].url, xml, posts[0], cls=XmlResponse))))[
        "listing"
    ]
    assert parse_qs(urlsplit(nxt[0].url).query)["startrecord"] == ["21"]
    empty = html(
        nxt[0].url, "<datastore><recordset></recordset></datastore>", nxt[0], cls=XmlResponse
    )
    assert run(spider.parse_endpoint(empty)) == []


# ------------------------------------------------------------------------------ TRS


def test_trs_index_queues_pages_and_reports_truncated_titles_included():
    spider = make_spider(url=TRS_ROOT)
    req = page_request(spider, TRS_INDEX)
    out = run(spider.parse(html(TRS_INDEX, (FIX / "trs_index.html").read_bytes(), req)))
    steps = by_step(out)
    assert {r.url for r in steps["report"]} == {
        "http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/t20240122_8812345.html",
        "http://www.hukou.gov.cn/xzjd/flx/zfxxgknb_20931/202401/t20240119_8811111.html",
        # no title attribute, link text truncated: fetched, and decided by the page itself
        "http://www.hukou.gov.cn/zwgk/zfxxgknb/202301/t20230118_8700000.html",
    }
    # createPageHTML(3, …): index_1, index_2 on a 0-based site, index_2, index_3 on a 1-based
    # one; every planned page is a probe whose 404 is no error
    pages = [(r.url, r.meta["nb"].probe) for r in steps["listing"]]
    assert pages == [
        ("http://www.hukou.gov.cn/zwgk/zfxxgknb/index_1.html", True),
        ("http://www.hukou.gov.cn/zwgk/zfxxgknb/index_2.html", True),
        ("http://www.hukou.gov.cn/zwgk/zfxxgknb/index_3.html", True),
    ]


def test_trs_later_pages_queue_their_reports_and_no_page_twice():
    spider = make_spider(url=TRS_ROOT)
    first = by_step(
        run(
            spider.parse(
                html(
                    TRS_INDEX,
                    (FIX / "trs_index.html").read_bytes(),
                    page_request(spider, TRS_INDEX),
                )
            )
        )
    )
    (page2,) = [r for r in first["listing"] if r.url.endswith("index_2.html")]
    out = by_step(
        run(spider.parse(html(page2.url, (FIX / "trs_index_2.html").read_bytes(), page2)))
    )
    assert len(out["report"]) == 2 and "listing" not in out


# ------------------------------------------------------------------------------ generic


def test_generic_home_asks_for_routes_first_and_holds_back_the_rest():
    spider = make_spider({"DISCOVERY_EXPLORE": "empty"}, url="http://www.qinghe.gov.cn/")
    req = page_request(spider, "http://www.qinghe.gov.cn/", depth=0)
    out = by_step(run(spider.parse(html(req.url, (FIX / "generic_home.html").read_bytes(), req))))
    assert {r.url for r in out["route"]} == {
        "http://www.qinghe.gov.cn/zwgk/",
        "https://xxgk.qinghe.gov.cn/zfxxgk/",
        "http://www.qinghe.gov.cn/zwgk/ndbg/",
    }
    assert all(r.meta["nb"].depth == 1 for r in out["route"])
    # 新闻中心, 互动交流 and a news article: held back (fetched only if the routes find nothing);
    # 无障碍 and the other host: never
    record = spider.portals["www.qinghe.gov.cn"].record.as_dict()
    held = {c["url"] for c in record["unfetched"]}
    assert {
        "http://www.qinghe.gov.cn/xwzx/",
        "http://www.qinghe.gov.cn/hdjl/",
        "http://www.qinghe.gov.cn/xwzx/show.asp?id=1",
    } <= held
    assert not [u for u in held if "qinghe.com" in u]


def test_generic_gbk_listing_pages():
    spider = make_spider(url="http://www.qinghe.gov.cn/")
    url = "http://www.qinghe.gov.cn/zwgk/ndbg/"
    body = (FIX / "generic_list.html").read_text(encoding="utf-8").encode("gb18030")
    req = page_request(spider, url, depth=3)
    out = by_step(run(spider.parse(html(url, body, req, headers={"Content-Type": "text/html"}))))
    assert {r.meta["nb"].anchor for r in out["report"]} == {
        "清河县2020年政府信息公开工作年度报告",
        "清河县2019年政府信息公开工作年度报告",
    }
    assert {r.url for r in out["listing"]} == {url + "?page=1", url + "?page=2"}


def test_a_column_titled_like_a_report_is_walked_not_emitted():
    spider = make_spider(url="http://www.qinghe.gov.cn/")
    url = "http://www.qinghe.gov.cn/list.jsp?cid=2&page=1"
    rows = "".join(
        f'<li><a href="/show.jsp?id={k}">清河县{y}年政府信息公开工作年度报告</a>'
        f"<span>{y + 1}-01-20</span></li>"
        for k, y in enumerate(range(2016, 2024))
    )
    body = (
        f"<html><head><title>乡镇信息公开年报</title></head><body><h1>乡镇信息公开年报</h1>"
        f"<ul>{rows}</ul><a href='list.jsp?cid=2&page=2'>下一页</a></body></html>"
    )
    req = page_request(spider, url, step="report", anchor="乡镇信息公开年报")
    out = run(spider.parse(html(url, body, req)))
    assert not [x for x in out if isinstance(x, ReportPage)]
    steps = by_step(out)
    assert len(steps["report"]) == 8
    assert [r.url for r in steps["listing"]] == ["http://www.qinghe.gov.cn/list.jsp?cid=2&page=2"]


# ------------------------------------------------------------------------------ reports


def _report_page(title: str) -> bytes:
    return (
        f'<html><head><meta name="ArticleTitle" content="{title}"><title>{title}_XX县人民政府'
        "</title>"
        f'</head><body><div id="zoom"><p>正文</p></div></body></html>'
    ).encode()


def test_report_item_fields():
    spider = make_spider(url=TRS_ROOT)
    url = "http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/t20240122_8812345.html"
    req = page_request(
        spider, url, step="report", anchor="湖口县2023年政府信息公开工作年度报告", listing=TRS_INDEX
    )
    body = _report_page("湖口县2023年政府信息公开工作年度报告")
    resp = html(
        url, body, req, headers={"Content-Type": "text/html; charset=utf-8", "Server": "nginx"}
    )
    items = run(spider.parse(resp))
    assert len(items) == 1 and isinstance(items[0], ReportPage)
    it = items[0]
    assert (it.url, it.request_url, it.portal, it.listing_url, it.status) == (
        url,
        url,
        "www.hukou.gov.cn",
        TRS_INDEX,
        200,
    )
    assert it.list_title == "湖口县2023年政府信息公开工作年度报告"
    assert it.body == body and it.headers["Content-Type"] == "text/html; charset=utf-8"
    assert it.fetched_at.endswith("+00:00")
    assert (
        it.evidence["title"] == "湖口县2023年政府信息公开工作年度报告"
        and it.evidence["year"] == 2023
    )


def test_the_page_decides_not_the_link():
    spider = make_spider(url=TRS_ROOT)
    url = "http://www.hukou.gov.cn/zwgk/zfxxgknb/202301/t20230118_8700000.html"
    req = page_request(spider, url, step="report", anchor="湖口县2022年政府信息公开工作...")
    assert (
        len(run(spider.parse(html(url, _report_page("湖口县2022年政府信息公开工作年度报告"), req))))
        == 1
    )
    url2 = url.replace("8700000", "8700001")
    req = page_request(spider, url2, step="report", anchor="湖口县2022年政府信息公开工作年度报告")
    assert [
        x
        for x in run(
            spider.parse(html(url2, _report_page("湖口县2022年政府信息公开工作要点"), req))
        )
        if isinstance(x, ReportPage)
    ] == []


def test_one_report_under_two_urls_comes_out_once_with_its_alias():
    spider = make_spider(url=TRS_ROOT)
    body = _report_page("湖口县2022年政府信息公开工作年度报告")
    a = "http://www.hukou.gov.cn/zwgk/zfxxgknb/202301/t20230118_1.html"
    b = "http://www.hukou.gov.cn/xxgk/nb/202301/t20230118_2.html"
    assert len(run(spider.parse(html(a, body, page_request(spider, a, step="report"))))) == 1
    assert run(spider.parse(html(b, body, page_request(spider, b, step="report")))) == []
    assert spider.discovery_records()["www.hukou.gov.cn"]["aliases"] == {a: [b]}


def test_a_file_met_under_a_bare_link_is_asked_again_when_a_link_names_it():
    spider = make_spider(url=TRS_ROOT)
    portal = spider.portals["www.hukou.gov.cn"]
    url = "http://www.hukou.gov.cn/upload/202401/P020240122.pdf"
    pdf = b"%PDF-1.4 1 0 obj << >> endobj"
    # a sitemap's <loc>: no text says what the file is
    [bare] = run(
        spider._offer(
            portal,
            url,
            CrawlState(
                "www.hukou.gov.cn", "route", 40, 1, "", "sitemap", "hub", TRS_ROOT + "sitemap.xml"
            ),
        )
    )
    assert run(spider.parse(Response(url, body=pdf, request=bare))) == []
    # a unit's list names it later: the file is asked for again, under that name, and emitted
    named = CrawlState(
        "www.hukou.gov.cn",
        "report",
        86,
        3,
        "湖口县2023年政府信息公开工作年度报告",
        "a",
        "listing",
        "http://www.hukou.gov.cn/zwgk/bm/",
    )
    assert run(spider._offer(portal, url, replace(named, anchor="附件下载"))) == []  # names nothing
    [again] = run(spider._offer(portal, url, named))
    assert again.dont_filter and again.meta["nb"].anchor.startswith("湖口县2023年")
    [item] = run(spider.parse(Response(url, body=pdf, request=again)))
    assert isinstance(item, ReportPage) and item.evidence["named"] == named.anchor


# ------------------------------------------------------------------------------ errors


def test_errback_logs_step_and_reason_and_counts(caplog):
    spider = make_spider(url=TRS_ROOT)
    req = page_request(spider, "http://www.hukou.gov.cn/zwgk/x.html", step="report")
    resp = html(req.url, b"gone", req, status=404)
    fail = Failure(HttpError(resp))
    fail.request = req
    with caplog.at_level(logging.WARNING):
        run(spider.on_error(fail))
    assert "report" in caplog.text and "HTTP 404" in caplog.text and req.url in caplog.text
    dns = Failure(DNSLookupError("no such host"))
    dns.request = page_request(spider, "http://nowhere.hukou.gov.cn/", step="route")
    with caplog.at_level(logging.WARNING):
        run(spider.on_error(dns))
    assert "DNS lookup failed" in caplog.text
    stats = spider.crawler.stats
    assert (
        stats.get_value("nianbao/errors/report") == 1
        and stats.get_value("nianbao/errors/route") == 1
    )


def test_probe_miss_is_not_an_error():
    spider = make_spider(url=TRS_ROOT)
    req = page_request(
        spider, TRS_INDEX.replace("index.html", "index_1.html"), step="listing", probe=True
    )
    fail = Failure(HttpError(html(req.url, b"", req, status=404)))
    fail.request = req
    assert run(spider.on_error(fail)) == []
    assert spider.crawler.stats.get_value("nianbao/errors/listing") is None


def test_soft_error_pages_are_logged_not_yielded(caplog):
    spider = make_spider(url=TRS_ROOT)
    url = "http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/t20240122_8812345.html"
    req = page_request(spider, url, step="report", anchor="湖口县2023年政府信息公开工作年度报告")
    challenge = (
        b"<html><head><meta id='x' content='seed' r='m'></head><body><script>"
        b"$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script></body></html>"
    )
    with caplog.at_level(logging.WARNING):
        # a JS challenge goes once through the browser, which runs the page's own script …
        (retry,) = run(spider.parse(html(url, challenge, req)))
        assert retry.meta["playwright"] and retry.dont_filter and retry.url == url
        # … and if the browser still sees the challenge, the page is blocked, not a report
        assert run(spider.parse(html(url, challenge, retry))) == []
        assert (
            run(
                spider.parse(
                    html(url, "<html><head><title>404 页面不存在</title></head></html>", req)
                )
            )
            == []
        )
        # a deleted report answering 200 with a 提示信息 page
        gone = (
            "<html><head><title>提示信息</title></head><body><div class='msg'>"
            "对不起，您访问的页面不存在或已被删除！<a href='/'>返回首页</a></div></body></html>"
        )
        assert run(spider.parse(html(url, gone, req))) == []
    assert "blocked" in caplog.text and "error page" in caplog.text and "gone" in caplog.text
    assert spider.crawler.stats.get_value("nianbao/errors/report") == 3
    assert spider.crawler.stats.get_value("nianbao/blocked/report") == 2  # met twice, passed never


def test_refused_post_dataproxy_falls_back_to_get_nextgroup_once():
    spider = make_spider(url=HANWEB_ROOT)
    col_req = page_request(spider, HANWEB_COL)
    posts = by_step(
        run(spider.parse(html(HANWEB_COL, (FIX / "hanweb_column.html").read_bytes(), col_req)))
    )["listing"]
    fallbacks = []
    for post in posts:
        fail = Failure(HttpError(html(post.url, b"", post, status=405)))
        fail.request = post
        fallbacks += run(spider.on_error(fail))
    assert len(fallbacks) == 1 and fallbacks[0].method == "GET"
    get = fallbacks[0]
    assert parse_qs(urlsplit(get.url).query)["page"] == ["1"]
    resp = html(
        get.url,
        (FIX / "hanweb_dataproxy.xml").read_bytes(),
        get,
        cls=XmlResponse,
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    out = by_step(run(spider.parse_endpoint(resp)))
    assert len(out["report"]) == 3  # 2021, 2020 and the untitled-but-texted 2013 report
    assert parse_qs(urlsplit(out["listing"][0].url).query)["page"] == ["2"]


def test_hanweb_server_counting_more_records_than_the_page_continues():
    spider = make_spider(url=HANWEB_ROOT)
    col_req = page_request(spider, HANWEB_COL)
    posts = by_step(
        run(spider.parse(html(HANWEB_COL, (FIX / "hanweb_column.html").read_bytes(), col_req)))
    )["listing"]
    last = posts[-1]  # records 36-37 of the 37 the page announced
    xml = (
        (FIX / "hanweb_dataproxy.xml")
        .read_text(encoding="utf-8")
        .replace("<totalrecord>37</totalrecord>", "<totalrecord>52</totalrecord>")
    )
    nxt = by_step(run(spider.parse_endpoint(html(last.url, xml, last, cls=XmlResponse))))["listing"]
    q = parse_qs(urlsplit(nxt[0].url).query)
    assert (q["startrecord"], q["endrecord"]) == (["38"], ["52"]) and nxt[0].meta["nb"].call.get(
        "chain"
    )
    # a middle group never chains
    assert "listing" not in by_step(
        run(spider.parse_endpoint(html(posts[0].url, xml, posts[0], cls=XmlResponse)))
    )


def test_registry_robots_false_skips_robots_txt_for_that_portal(tmp_path):
    extra = tmp_path / "sites.json"
    extra.write_text(
        json.dumps(
            [
                {
                    "name": "no-robots",
                    "start_url": "http://127.0.0.1:8123/",
                    "robots": False,
                    "robots_reason": (
                        "robots.txt answers 403 to every client; the operator agreed by mail"
                    ),
                },
                {"name": "polite", "start_url": "http://127.0.0.1:8124/"},
            ]
        ),
        encoding="utf-8",
    )
    spider = make_spider({"SITES_FILE": str(extra)}, site="no-robots,polite")
    a, b = [r for r in start(spider) if r.meta["nb"].step == "route"]
    assert a.meta.get("dont_obey_robotstxt") is True and "dont_obey_robotstxt" not in b.meta
    assert spider.robots_off == {
        "no-robots": "robots.txt answers 403 to every client; the operator agreed by mail"
    }


def test_registry_refuses_robots_false_without_a_written_reason(tmp_path):
    from crawler.registry import load_sites

    extra = tmp_path / "sites.json"
    extra.write_text(
        json.dumps([{"name": "rude", "start_url": "http://127.0.0.1:8123/", "robots": False}]),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"rude.*robots_reason"):
        load_sites([extra])


def test_closed_warns_about_portals_without_reports(caplog):
    spider = make_spider(url=f"{HANWEB_ROOT},{TRS_ROOT}")
    spider.crawler.stats.inc_value("nianbao/reports/www.yunxi.gov.cn")
    with caplog.at_level(logging.INFO):
        spider.closed("finished")
    assert "portal www.hukou.gov.cn: no report found" in caplog.text
    assert "portal www.yunxi.gov.cn: 1 report pages" in caplog.text


def test_every_project_spider_uses_async_start():
    # Scrapy 2.19 never calls start_requests (docs/stack-facts.md §0): a spider relying on it crawls
    # nothing.
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["crawler.spiders"]}))
    assert "portal" in loader.list()
    for name in loader.list():
        cls = loader.load(name)
        assert inspect.isasyncgenfunction(cls.start), name
        assert not any(
            "start_requests" in vars(k) for k in cls.__mro__ if k.__module__.startswith("crawler")
        ), name


def test_a_portal_past_its_budget_keeps_only_the_best_links_it_can_still_fetch():
    """A portal shows more links than its budget can fetch: its held links stay bounded by the
    budget (plus the record's top list), not by every link shown; all are counted."""
    from crawler.discovery.record import TOP_UNFETCHED

    # "always": the news links are asked for at once, until the budget is spent
    spider = make_spider(
        {"DISCOVERY_PAGE_BUDGET": 5, "DISCOVERY_EXPLORE": "always"}, url="http://www.qinghe.gov.cn/"
    )
    portal = spider.portals["www.qinghe.gov.cn"]
    shown = 0
    for n in range(6):  # six listing pages of news, 80 articles each
        url = f"http://www.qinghe.gov.cn/xwzx/index_{n}.html"
        rows = "".join(
            f'<li><a href="/xwzx/{n}/{i}.html">县{n}新闻第{i}期动态</a></li>' for i in range(80)
        )
        body = f"<html><head><title>新闻中心</title></head><body><ul>{rows}</ul></body></html>"
        run(spider.parse(html(url, body, page_request(spider, url, depth=2))))
        shown += 80
    record = portal.record.as_dict()
    assert portal.record.budget_left <= 0
    assert len(portal.held) <= 2 * TOP_UNFETCHED and len(portal.seen) <= 2 * TOP_UNFETCHED + 5
    # none is lost from the record's count, and the best are still listed
    assert record["unfetched_total"] + portal.record.budget_used >= shown
    assert len(record["unfetched"]) == TOP_UNFETCHED
