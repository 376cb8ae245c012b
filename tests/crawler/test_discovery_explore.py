"""The stop rule for held-back links (crawler/discovery/explore.py): a portal explores what
nothing speaks for while exploring still finds reports, and stops once it has not for longer
than a report costs there, times the patience."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scrapy import Request
from scrapy.exceptions import DontCloseSpider

from crawler.discovery.explore import ROUND, Exploration
from tests.crawler.test_spider_portal import by_step, html, make_spider, page_request, run

ROOT = "http://www.qinghe.gov.cn/"


def test_a_portal_with_no_report_explores_to_its_budget():
    assert Exploration(minimum=10, patience=3).allowance(reports=0, requests=40) is None


def test_patience_is_the_minimum_or_what_a_report_costs_times_the_patience():
    rule = Exploration(minimum=10, patience=3)
    # 20 reports in 40 requests: 2 a report, 6 < the minimum of 10
    assert rule.patience_for(reports=20, requests=40) == 10
    # 2 reports in 40 requests: 20 a report, 60 explored requests without one
    assert rule.patience_for(reports=2, requests=40) == 60
    assert rule.allowance(reports=2, requests=40) == ROUND  # opened a round at a time
    # the barren run does not count as cost: 30 explored requests without a report leave the
    # cost at 20 a report, not 35
    for _ in range(30):
        rule.asked()
    assert rule.patience_for(reports=2, requests=70) == 60
    assert rule.allowance(reports=2, requests=70) == ROUND
    for _ in range(30):
        rule.asked()
    assert rule.allowance(reports=2, requests=100) == 0


def test_exploring_stops_once_it_has_gone_its_patience_without_a_report():
    rule = Exploration(minimum=10, patience=3)
    for _ in range(7):
        rule.asked()
    assert rule.allowance(reports=20, requests=40) == 3
    for _ in range(3):
        rule.asked()
    assert rule.allowance(reports=20, requests=40) == 0
    # a report met on an explored branch starts the count again
    rule.found("http://www.qinghe.gov.cn/bmdt/")
    assert rule.allowance(reports=21, requests=41) == ROUND
    assert rule.as_dict()["first_report"] == 10 and rule.as_dict()["reports"] == 1


def test_sections_that_yield_go_first_untried_ones_before_barren_ones():
    rule = Exploration(minimum=10, patience=3)
    rich, barren, untried = "http://x/rich/", "http://x/barren/", "http://x/new/"
    for section in (rich, barren, barren):
        rule.open(section)
    rule.found(rich)
    order = sorted([barren, untried, rich], key=lambda s: rule.rank(s, 20), reverse=True)
    assert order == [rich, untried, barren]
    # within a section, the better score first
    assert rule.rank(untried, 28) > rule.rank(untried, 20)


class _Engine:
    """What the spider hands the engine when it is idle (the requests of an exploring round)."""

    def __init__(self) -> None:
        self.crawled: list = []

    def crawl(self, request) -> None:
        self.crawled.append(request)


def _home(menu: int) -> str:
    """A home page: one report column the scorer knows, and a menu in words it does not."""
    items = "".join(f'<li><a href="/sec{i}/">栏目{i}</a></li>' for i in range(menu))
    return (
        "<html><head><title>清河县人民政府</title></head><body>"
        '<a href="/zwgk/ndbg/">政府信息公开年度报告</a>'
        f"<ul>{items}</ul></body></html>"
    )


REPORT = (
    "<html><head><title>清河县2023年政府信息公开工作年度报告</title></head><body>"
    "<h1>清河县2023年政府信息公开工作年度报告</h1>"
    "<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
    "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p>"
    + "<p>本年度清河县认真贯彻落实《中华人民共和国政府信息公开条例》。</p>" * 20
    + "</body></html>"
)


def _idle_round(spider) -> list:
    engine = _Engine()
    spider.crawler.engine = engine
    try:
        spider._idle()
    except DontCloseSpider:
        assert engine.crawled, "DontCloseSpider with nothing handed out"
    return engine.crawled


def _settings(**extra) -> dict:
    return {"DISCOVERY_EXPLORE": "yield", "DISCOVERY_EXPLORE_MIN": 4, **extra}


def test_a_portal_stops_exploring_a_menu_that_gives_nothing():
    spider = make_spider(_settings(), url=ROOT)
    home = run(spider.parse(html(ROOT, _home(30), page_request(spider, ROOT, depth=0))))
    assert [r.url for r in home if r.url.endswith("/zwgk/ndbg/")]  # the known route, at once
    assert not [r for r in home if "/sec" in r.url]  # the menu waits
    portal = spider.portals["www.qinghe.gov.cn"]
    report_url = ROOT + "zwgk/ndbg/2023.html"
    req = page_request(spider, report_url, step="report", score=90)
    out = run(spider.parse(html(report_url, REPORT, req)))
    assert portal.record.reports == 1 and out
    rule = portal.record.exploration
    assert rule is not None
    # patience: max(4, 3 x requests per report), explored requests without a report
    patience = rule.patience_for(portal.record.reports, portal.record.budget_used)
    first = _idle_round(spider)
    assert len(first) == min(patience, ROUND) and all("/sec" in r.url for r in first)
    assert all(r.meta["nb"].explored == ROOT for r in first)  # a branch of the home's menu
    for r in first:  # every menu page is news: no report, nothing worth following
        body = "<html><head><title>动态</title></head><body>" + "<p>本县召开会议。</p>" * 40
        run(spider.parse(html(r.url, body + "</body></html>", r)))
    assert rule.since_report >= rule.patience_for(portal.record.reports, portal.record.budget_used)
    assert _idle_round(spider) == []  # stopped: the rest of the menu stays unfetched
    assert portal.record.as_dict()["explored"]["reports"] == 0
    assert portal.record.held == 30 - len(first)


def test_a_section_that_shows_reports_is_explored_on():
    spider = make_spider(_settings(), url=ROOT)
    run(spider.parse(html(ROOT, _home(30), page_request(spider, ROOT, depth=0))))
    portal = spider.portals["www.qinghe.gov.cn"]
    report_url = ROOT + "zwgk/ndbg/2023.html"
    run(
        spider.parse(html(report_url, REPORT, page_request(spider, report_url, "report", score=90)))
    )
    first = _idle_round(spider)
    # the first menu page is a township's list of its reports
    listing = first[0]
    rows = "".join(
        f'<li><a href="/sec0/{y}.html">谢塘镇{y}年政府信息公开工作年度报告</a> {y + 1}-01-20</li>'
        for y in range(2019, 2024)
    )
    body = f"<html><head><title>谢塘镇</title></head><body><ul>{rows}</ul></body></html>"
    reports = by_step(run(spider.parse(html(listing.url, body, listing))))["report"]
    assert len(reports) == 5 and all(r.meta["nb"].explored == ROOT for r in reports)
    for r in first[1:]:
        run(spider.parse(html(r.url, "<html><body><p>会议</p></body></html>", r)))
    for r in reports:  # the township's reports, met on the explored branch
        run(spider.parse(html(r.url, REPORT.replace("清河县", f"谢塘镇{r.url[-9:-5]}"), r)))
    rule = portal.record.exploration
    assert rule is not None and rule.reports == 5 and rule.since_report == 0
    assert _idle_round(spider)  # exploring paid: the next round goes on


@pytest.mark.parametrize(
    "settings",
    [
        {"DISCOVERY_EXPLORE": "sometimes"},
        {"DISCOVERY_EXPLORE_MIN": -1},
        {"DISCOVERY_EXPLORE_PATIENCE": -2},
    ],
)
def test_a_broken_explore_setting_stops_the_crawl_naming_it(settings):
    with pytest.raises(ValueError, match=next(iter(settings))):
        make_spider(settings, url=ROOT)


def _answer(spider, response) -> list:
    """A callback run as the engine runs it: each request it yields is scheduled as it comes."""
    out = []
    for thing in spider.parse(response):
        if isinstance(thing, Request):
            spider._scheduled(thing)
        out.append(thing)
    return out


def test_a_portal_explores_once_its_own_requests_are_answered_not_the_whole_crawl():
    """The engine reports every request it schedules; the answer to a portal's last one hands
    out its exploring round, while another portal's slow host still holds the crawl busy."""
    spider = make_spider(_settings(), url=f"{ROOT},http://www.xiaohe.gov.cn/")
    home_req = page_request(spider, ROOT, depth=0)
    spider._scheduled(home_req)
    slow = page_request(spider, "http://www.xiaohe.gov.cn/", depth=0)
    slow = slow.replace(
        meta={**slow.meta, "nb": replace(slow.meta["nb"], portal="www.xiaohe.gov.cn")}
    )
    spider._scheduled(slow)  # never answered in this test
    home = _answer(spider, html(ROOT, _home(30), home_req))
    (route,) = [r for r in home if r.url.endswith("/zwgk/ndbg/")]
    assert not [r for r in home if "/sec" in r.url]  # the route is still out
    column = "<html><head><title>年度报告</title></head><body><ul>" + "".join(
        f'<li><a href="/zwgk/ndbg/{y}.html">清河县{y}年政府信息公开工作年度报告</a></li>'
        for y in (2022, 2023)
    )
    reports = _answer(spider, html(route.url, column + "</ul></body></html>", route))
    assert len(reports) == 2  # and nothing explored: two reports on their way
    first = _answer(spider, html(reports[0].url, REPORT, reports[0]))
    assert not [r for r in first if isinstance(r, Request)]
    last = _answer(spider, html(reports[1].url, REPORT.replace("2023", "2022"), reports[1]))
    explored = [r for r in last if isinstance(r, Request)]
    assert explored and all("/sec" in r.url and r.meta["nb"].explored == ROOT for r in explored)
    assert len(spider.portals["www.xiaohe.gov.cn"].pending) == 1  # the slow host is still out


def test_a_redirect_or_a_retry_carries_its_request_s_ticket():
    spider = make_spider(_settings(), url=ROOT)
    portal = spider.portals["www.qinghe.gov.cn"]
    request = page_request(spider, ROOT + "zwgk/ndbg/", depth=1)
    spider._scheduled(request)
    redirected = request.replace(url=ROOT + "zwgk/ndbg/index.html")  # meta goes along
    spider._scheduled(redirected)
    assert len(portal.pending) == 1
    _answer(spider, html(redirected.url, "<html><body><p>空</p></body></html>", redirected))
    assert not portal.pending


def test_a_request_another_process_ticketed_never_settles_one_of_ours():
    """A cluster worker answers requests other workers scheduled, and a resumed JOBDIR crawl
    answers requests its killed session scheduled: their tickets must not equal ours."""
    ours, theirs = make_spider(_settings(), url=ROOT), make_spider(_settings(), url=ROOT)
    portal = ours.portals["www.qinghe.gov.cn"]
    mine = page_request(ours, ROOT + "zwgk/ndbg/", depth=1)
    ours._scheduled(mine)
    foreign = page_request(theirs, ROOT + "zwgk/", depth=1)
    theirs._scheduled(foreign)  # ticketed there, popped and answered here
    _answer(ours, html(foreign.url, "<html><body><p>空</p></body></html>", foreign))
    assert len(portal.pending) == 1  # our own request is still out
    _answer(ours, html(mine.url, "<html><body><p>空</p></body></html>", mine))
    assert not portal.pending


def test_the_run_summary_says_what_exploring_did():
    from crawler.discovery.record import PortalRecord
    from crawler.extensions import format_summary
    from tests.crawler.test_spider_politeness import summary_of

    record = PortalRecord("www.qinghe.gov.cn", 3000, budget_used=40, reports=12)
    record.exploration = Exploration(minimum=10, patience=3)
    for section in ("http://www.qinghe.gov.cn/", "http://www.qinghe.gov.cn/bm/"):
        record.exploration.open(section)
    for _ in range(7):
        record.exploration.asked()
    record.exploration.found("http://www.qinghe.gov.cn/bm/")
    for _ in range(3):
        record.exploration.asked()
    summary = summary_of(discovery={"www.qinghe.gov.cn": record.as_dict()})
    text = format_summary(summary)
    assert "explored 2 held links (10 requests): 1 reports, none in the last 3" in text


def test_a_second_site_of_the_portal_is_explored_by_its_own_yield():
    """The www site found its reports and stopped exploring; the portal's 信息公开 platform (a
    second host in scope) has found none yet, so its held links are all worth a look."""
    spider = make_spider(_settings(), url=ROOT)
    portal = spider.portals["www.qinghe.gov.cn"]
    platform = "http://xxgk.qinghe.gov.cn/"
    home = _home(30).replace("</ul>", f'</ul><a href="{platform}">政府信息公开</a>')
    out = run(spider.parse(html(ROOT, home, page_request(spider, ROOT, depth=0))))
    (door,) = [r for r in out if r.url == platform]  # a route: asked at once
    report_url = ROOT + "zwgk/ndbg/2023.html"
    req = page_request(spider, report_url, step="report", score=90)
    run(spider.parse(html(report_url, REPORT, req)))
    menu = "".join(f'<li><a href="{platform}lm{i}/">栏目{i}</a></li>' for i in range(8))
    body = f"<html><head><title>信息公开</title></head><body><ul>{menu}</ul></body></html>"
    run(spider.parse(html(platform, body, door)))
    www_rule = spider._site_exploration(portal, "www.qinghe.gov.cn")
    for _ in range(www_rule.patience_for(1, portal.site_requests["www.qinghe.gov.cn"])):
        www_rule.asked()  # the www menu explored without a report: that site has stopped
    released = _idle_round(spider)
    assert {r.url for r in released} == {f"{platform}lm{i}/" for i in range(8)}
