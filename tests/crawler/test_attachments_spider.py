"""Which links of a report page are its attachments, and how the spider fetches them."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.items import ReportPage
from reports.extract.attachments.links import attachment_links
from tests.crawler.test_spider_portal import TRS_ROOT, html, make_spider, page_request, run

PAGE = "http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/t20240122_8812345.html"


def links(body: str, url: str = PAGE) -> list[tuple[str, str]]:
    return attachment_links(body.encode("utf-8"), url)


def test_links_in_the_body_and_under_an_attachment_label_only() -> None:
    page = """<html><head><base href="/zwgk/zfxxgknb/202401/"></head><body>
<div class="nav"><a href="/xxgk/2022nb.pdf">2022年年报.pdf</a></div>
<table class="xxgk"><tr><td>附件下载</td><td><a href="/attach/download?id=88">年报全文.docx</a></td></tr></table>
<div class="TRS_Editor"><p>一、总体情况</p>
<p>附件：<a href="./P020240122512345678901.pdf">湖口县2023年年报.pdf</a></p>
<p><a href="/module/download/downfile.jsp?classid=0&amp;filename=2401191012345678.xls">统计表</a>
 <a href="./P020240122512345678901.pdf#page=2">同一文件</a> <a href="javascript:print()">打印.pdf</a>
 <a href="./t20240122_1.html">解读</a></p></div>
<div class="related"><h3>相关下载</h3><a href="/xxgk/2021nb.pdf">2021年年报.pdf</a></div>
<div class="footer"><a href="/help.doc">帮助.doc</a></div></body></html>"""  # noqa: E501
    assert links(page) == [
        ("http://www.hukou.gov.cn/attach/download?id=88", "年报全文.docx"),
        (
            "http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/P020240122512345678901.pdf",
            "湖口县2023年年报.pdf",
        ),
        (
            "http://www.hukou.gov.cn/module/download/downfile.jsp?classid=0&filename=2401191012345678.xls",
            "统计表",
        ),
    ]


def test_a_pdf_shown_in_an_embedded_viewer() -> None:
    page = (
        "<html><body><div id='zoom'><iframe src='/pdfjs/web/viewer.html?file=/u/cms/2024/nb.pdf' "
        "title='年报'></iframe><embed src='nb2.ofd'></div></body></html>"
    )
    assert links(page) == [
        ("http://www.hukou.gov.cn/u/cms/2024/nb.pdf", "年报"),
        ("http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/nb2.ofd", ""),
    ]


def test_unreadable_pages_have_no_attachment_links() -> None:
    assert attachment_links(b"%PDF-1.4 binary", PAGE) == [] and attachment_links(b"", PAGE) == []


# --- the spider ------------------------------------------------------------------------------

REPORT = (
    "<html><head><meta name='ArticleTitle' content='湖口县2023年政府信息公开工作年度报告'>"
    "</head><body>"
    "<div class='TRS_Editor'><p>附件：<a href='./P1.pdf'>年报.pdf</a> <a href='./P2.docx'>"
    "年报.docx</a> "
    "<a href='http://files.example.com/P3.pdf'>镜像.pdf</a> "
    "<a href='http://oss.jiangxi.gov.cn/hk/P4.xls'>统计表.xls</a></p></div></body></html>"
)


def report_response(spider, body: str = REPORT) -> Response:
    req = page_request(spider, PAGE, step="report", anchor="湖口县2023年政府信息公开工作年度报告")
    return html(PAGE, body, req)


def test_the_item_comes_out_once_every_attachment_is_fetched_or_failed(caplog) -> None:
    spider = make_spider(url=TRS_ROOT)
    [first] = run(spider.parse(report_response(spider)))
    assert (
        isinstance(first, Request)
        and first.url == "http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/P1.pdf"
    )
    assert first.meta["nb"].step == "attachment" and first.dont_filter and first.meta["depth_reset"]
    assert first.headers["Referer"] == PAGE.encode()
    pdf = b"%PDF-1.4 ..."
    [second] = run(
        spider.parse_attachment(
            Response(
                first.url, body=pdf, request=first, headers={"Content-Type": "application/pdf"}
            )
        )
    )
    assert second.url.endswith("/P2.docx")
    failure = Failure(HttpError(Response(second.url, status=404, request=second)))
    failure.request = second
    with caplog.at_level(logging.WARNING):
        [third] = run(spider.on_attachment_error(failure))
    assert "attachment failed" in caplog.text and second.url in caplog.text and PAGE in caplog.text
    # files.example.com is neither the portal nor a government host: not fetched
    assert third.url == "http://oss.jiangxi.gov.cn/hk/P4.xls"
    [item] = run(
        spider.parse_attachment(Response(third.url, body=b"\xd0\xcf\x11\xe0", request=third))
    )
    assert isinstance(item, ReportPage) and item.url == PAGE
    assert [
        (a.url.rsplit("/", 1)[1], a.status, a.error, len(a.body)) for a in item.attachments
    ] == [
        ("P1.pdf", 200, None, len(pdf)),
        ("P2.docx", 404, "HTTP 404", 0),
        ("P4.xls", 200, None, 4),
    ]
    assert (
        item.attachments[0].link_text == "年报.pdf"
        and item.attachments[0].headers["Content-Type"] == "application/pdf"
    )
    assert spider.crawler.stats.get_value("nianbao/requests/attachment") == 3
    assert spider.crawler.stats.get_value("nianbao/errors/attachment") == 1


def test_a_report_without_attachments_is_yielded_at_once() -> None:
    spider = make_spider(url=TRS_ROOT)
    body = REPORT.split("<p>附件")[0] + "<p>正文</p></div></body></html>"
    [item] = run(spider.parse(report_response(spider, body)))
    assert isinstance(item, ReportPage) and item.attachments == []


def test_feeds_get_attachment_records_without_bytes() -> None:
    import json
    from io import BytesIO

    from scrapy.exporters import JsonLinesItemExporter

    from crawler.items import Attachment

    item = ReportPage(
        url=PAGE,
        portal="p",
        attachments=[Attachment(url=PAGE + ".pdf", body=b"%PDF", text="全文", kind="pdf")],
    )
    out = BytesIO()
    exporter = JsonLinesItemExporter(out, fields_to_export=["url", "attachments"])
    exporter.export_item(item)
    row = json.loads(out.getvalue())
    assert row["attachments"][0]["kind"] == "pdf"
    assert "body" not in row["attachments"][0] and "text" not in row["attachments"][0]
