"""crawler.classify: report titles, distractors, routes and years on real-looking titles."""

from __future__ import annotations

import pytest

from crawler import classify

REPORTS = [
    "云溪县2023年政府信息公开工作年度报告",
    "XX县人民政府办公室2021年政府信息公开年度报告",
    "2013年度谢塘镇政府信息公开工作年度报告",
    "平昌关镇 2023 年政府信息公开工作年度报告",
    "XX县2021年度政府信息公开工作年度报告",
    "舒兰市2016年政务信息公开年度报告",
    "县住建局2022年信息公开年报",
    "XX县2009年政府信息公开工作报告",
    "XX镇2019年度政务公开工作年度报告",
    "县教育局２０２０年政府信息公开工作年度报告",
    "北街街道2025年政府信息公开工作年度报告（更正版）",
    "XX县政府信息公开工作年度报告（2019年）",
]

DISTRACTORS = [
    "关于做好2023年政府信息公开工作年度报告编制和发布工作的通知",
    "《云溪县2022年政府信息公开工作年度报告》解读",
    "图解：2022年政府信息公开工作年度报告",
    "2024年云溪县政府工作报告",
    "云溪县2023年法治政府建设年度报告",
    "云溪县2023年部门预算公开",
    "云溪县2022年财政决算报告",
    "云溪县2024年政务公开工作要点",
    "云溪县政府信息公开指南",
    "中华人民共和国政府信息公开工作年度报告格式",
    "关于报送2023年度政府信息公开工作年度报告的函",
    "县统计局2023年统计年报",
    "",
    None,
]


@pytest.mark.parametrize("title", REPORTS)
def test_report_titles(title):
    assert classify.is_report_title(title), classify.distractor_match(title)


@pytest.mark.parametrize("title", DISTRACTORS)
def test_distractors_are_not_reports(title):
    assert not classify.is_report_title(title)


@pytest.mark.parametrize(
    "title,year",
    [
        ("2013年度谢塘镇政府信息公开工作年度报告", 2013),
        ("平昌关镇 2023 年政府信息公开工作年度报告", 2023),
        ("XX县2021年度政府信息公开工作年度报告", 2021),
        ("XX县政府信息公开工作年度报告（2019年）", 2019),
        ("县教育局２０２０年政府信息公开工作年度报告", 2020),
        ("二〇一九年度XX镇政府信息公开工作年度报告", 2019),
        ("XX镇政府信息公开工作年度报告", None),
    ],
)
def test_title_year(title, year):
    assert classify.title_year(title) == year


def test_parse_years_shapes():
    assert classify.parse_years("2019-2023") == frozenset(range(2019, 2024))
    assert classify.parse_years("2021") == frozenset({2021})
    assert classify.parse_years("2019, 2021,2023-2024") == frozenset({2019, 2021, 2023, 2024})
    assert classify.parse_years(None) is None and classify.parse_years("") is None
    with pytest.raises(ValueError):
        classify.parse_years("last year")


def test_year_filter_keeps_titles_without_a_year():
    years = classify.parse_years("2019-2023")
    assert classify.year_wanted("XX县2021年政府信息公开工作年度报告", years)
    assert not classify.year_wanted("XX县2013年政府信息公开工作年度报告", years)
    assert classify.year_wanted("XX镇政府信息公开工作年度报告", years)
    assert classify.year_wanted("XX县2013年政府信息公开工作年度报告", None)


@pytest.mark.parametrize(
    "text,url",
    [
        ("政府信息公开", None),
        ("政务公开", None),
        ("信息公开", None),
        ("政府信息公开年报", None),
        ("年度报告", None),
        ("乡镇（街道）信息公开", None),
        ("部门信息公开", None),
        ("法定主动公开内容", None),
        ("乡镇", None),
        ("", "http://www.xx.gov.cn/zwgk/zfxxgknb/"),
        ("栏目", "http://www.hk.gov.cn/flx/zfxxgknb_171215/index.html"),
        ("", "http://xxgk.xx.gov.cn/xxgknb/"),
        ("", "http://www.xx.gov.cn/zgsr/gknb/"),
        ("", "http://www.sl.gov.cn/pub/slsxxgkw/gzbm/jyj_7432/ndbg/"),
        ("", "http://www.xx.gov.cn/xxgk/"),
        ("", "http://www.xx.gov.cn/zwgk/index.html"),
    ],
)
def test_routes(text, url):
    assert classify.is_route(text, url)


@pytest.mark.parametrize(
    "text,url",
    [
        ("新闻中心", "http://www.xx.gov.cn/xwzx/"),
        ("互动交流", "http://www.xx.gov.cn/hdjl/"),
        ("无障碍", "http://www.xx.gov.cn/wza/"),
        # an article, not a menu entry, even under a route slug
        ("县长主持召开会议", "http://www.xx.gov.cn/zwgk/202401/t20240101_1.html"),
        ("关于进一步做好政府信息公开工作中涉及个人隐私保护有关事项的通知", None),
    ],
)
def test_not_routes(text, url):
    assert not classify.is_route(text, url)


def test_truncated_titles_are_maybe_reports():
    assert classify.maybe_report_title("湖口县2022年政府信息公开工作...")
    assert classify.maybe_report_title("平昌关镇 2023 年政府信息公开…")
    assert not classify.maybe_report_title("县长主持召开常务会议...")
    assert not classify.maybe_report_title("湖口县2022年政府信息公开工作年度报告")  # not truncated
    assert classify.maybe_report_title("湖口县2022年政府信息公开工作年度报")  # CSS ellipsis cut
    assert not classify.maybe_report_title("关于编制2023年政府信息公开工作年度报...")
    assert not classify.maybe_report_title("湖口县政府信息公开")
    assert not classify.maybe_report_title("关于加强2023年政府信息公开工作")


def test_report_column_and_unit_directory():
    assert classify.is_report_column("政府信息公开年报_云溪县人民政府")
    assert classify.is_report_column("年报")
    assert classify.is_report_column(None, url="http://x.gov.cn/flx/zfxxgknb_171215/")
    assert not classify.is_report_column("政府信息公开", url="http://x.gov.cn/zwgk/")
    assert classify.is_unit_directory("乡镇（街道）信息公开")
    assert classify.is_unit_directory("部门信息公开_云溪县人民政府")
    assert classify.is_unit_name("谢塘镇") and classify.is_unit_name("县住房和城乡建设局")
    assert not classify.is_unit_name("首页")


def test_one_table_of_patterns():
    # No pattern lives outside the tables: every table entry is named and compiled.
    for table in (
        classify.REPORT_PATTERNS,
        classify.DISTRACTOR_PATTERNS,
        classify.ROUTE_TEXT_PATTERNS,
        classify.REPORT_COLUMN_PATTERNS,
    ):
        names = [name for name, _ in table]
        assert len(names) == len(set(names))
        assert all(hasattr(rx, "search") for _, rx in table)


@pytest.mark.parametrize(
    "title,ok",
    [
        ("", True),
        ("2023年", True),
        ("南岭镇2023年度", True),
        ("2023年度报告", True),
        ("县长主持召开常务会议", False),
        ("关于编制2023年度年报的通知", False),
    ],
)
def test_column_entries_worth_fetching(title, ok):
    assert classify.could_be_report(title) is ok


def test_report_decided_by_content_when_the_title_is_plain():
    from crawler.classify import is_report_content

    body = (
        "<h1>东坝镇2022年度工作报告</h1><p>一、总体情况</p><p>二、主动公开政府信息情况</p><table></table>"
        "<p>三、收到和处理政府信息公开申请情况</p><p>四、政府信息公开行政复议、行政诉讼情况</p>"
    )
    assert is_report_content("东坝镇2022年度工作报告", body)
    # a 解读 page quotes the parts; its title vetoes it
    assert not is_report_content("《东坝镇2022年政府信息公开工作年度报告》解读", body)
    assert not is_report_content(
        "东坝镇2022年度工作报告", "<p>一、主要工作</p><p>二、主动公开政府信息情况</p>"
    )


@pytest.mark.parametrize(
    "url,article",
    [
        ("http://x.gov.cn/show.php?id=7100015", True),
        ("http://x.gov.cn/public/6781961/7100123.html", True),
        ("http://x.gov.cn/html/channel_37.html", False),
        ("http://x.gov.cn/public/column/6781961?type=4", False),
    ],
)
def test_article_shapes_of_cms_less_and_lonsun_sites(url, article):
    from crawler.classify import looks_like_article

    assert looks_like_article(url) is article


@pytest.mark.parametrize(
    "head,charset,title",
    [
        ("<html><head><title>页面不存在</title>".encode(), "utf-8", "页面不存在"),
        ("<HTML><HEAD><TITLE lang=zh>\n 提示信息 \n</TITLE>".encode("gbk"), "gbk", "提示信息"),
        ("<title>年报&amp;解读 &#x5e74;</title>".encode(), None, "年报&解读 年"),
        (b"<html><head><meta charset=utf-8></head><body>no title", "utf-8", None),
        (b"<title></title>", None, None),
        (b"<title>cut off before its end", None, None),
    ],
)
def test_a_title_is_read_from_the_head_bytes(head, charset, title):
    assert classify.head_title(head, charset) == title


def test_a_soft_404_title_is_read_from_the_head_of_a_big_page():
    """The re-crawl's gone check reads the title from the page's head (crawler/recrawl.py)."""
    from scrapy.http import HtmlResponse

    from crawler.recrawl import ConditionalRequestMiddleware

    url = "http://www.xx.gov.cn/art/2024/1/1/art_1_1.html"
    body = ("<html><head><title>页面不存在</title></head><body>" + "<p>x</p>" * 300_000).encode()
    page = HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    assert len(body) > 2 * 2**20
    assert ConditionalRequestMiddleware._gone(page) == "soft 404: error page titled '页面不存在'"
    report = page.replace(body=body.replace("页面不存在".encode(), "2023年年度报告".encode()))
    assert ConditionalRequestMiddleware._gone(report) is None
    assert ConditionalRequestMiddleware._gone(page.replace(status=404)) == "HTTP 404"
