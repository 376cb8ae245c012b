"""The portal spider against a small hostile portal of its own (loopback only), for real-portal
patterns the simulator does not serve: gzip + GBK declared as UTF-8, a 1-based TRS pager whose
index_1 is a 404, a Hanweb column whose POST dataproxy is refused (GET nextgroup works), a
report link answering 404, a soft-404 page with HTTP 200, a WAF challenge, a start URL whose
port refuses connections, and links to other hosts that must not be requested.
"""

from __future__ import annotations

import gzip
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawler import exitcodes
from tests.conftest import CRAWLER_ONLY, run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess

REPORTS = {
    # TRS 1-based pager: index.html, index_2.html, index_3.html
    "/zwgk/nb/202401/t20240120_1.html": "清河县2023年政府信息公开工作年度报告",
    "/zwgk/nb/202301/t20230118_2.html": "清河县2022年政府信息公开工作年度报告",
    "/zwgk/nb/202201/t20220119_3.html": "清河县2021年政府信息公开工作年度报告",
    # Hanweb township column: inline records + GET dataproxy pages
    "/art/2024/1/19/art_2001_101.html": "南岭镇2023年政府信息公开工作年度报告",
    "/art/2023/1/19/art_2001_102.html": "南岭镇2022年政府信息公开工作年度报告",
    "/art/2022/1/19/art_2001_103.html": "2021年度南岭镇政府信息公开工作年度报告",
    "/art/2021/1/19/art_2001_104.html": "南岭镇 2020 年政府信息公开工作年度报告",
}
DISTRACTORS = {
    "/zwgk/nb/202312/t20231201_9.html": "关于做好2023年度政府信息公开工作年度报告编制工作的通知",
    "/zwgk/nb/202302/t20230201_8.html": "《清河县2022年政府信息公开工作年度报告》解读",
}
BROKEN = {
    "/zwgk/nb/202001/t20200115_404.html": "清河县2019年政府信息公开工作年度报告",  # HTTP 404
    "/zwgk/nb/201901/t20190115_soft.html": "清河县2018年政府信息公开工作年度报告",  # soft 404
    "/zwgk/nb/201801/t20180115_waf.html": "清河县2017年政府信息公开工作年度报告",  # WAF challenge
}


def _li(path: str, title: str) -> str:
    return f'<li><a href="{path}" title="{title}">{title[:14]}...</a><span>2024-01-20</span></li>'


def _page(title: str, body: str, meta: str = '<meta charset="utf-8">') -> str:
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>{body}</body></html>"
    )


TRS_PAGES = {
    0: list(REPORTS)[:1] + list(DISTRACTORS),
    2: list(REPORTS)[1:2] + list(BROKEN),
    3: list(REPORTS)[2:3],
}
ALL_TITLES = {**REPORTS, **DISTRACTORS, **BROKEN}
HANWEB_RECORDS = list(REPORTS)[3:]


def _record(path: str) -> str:
    return f"<record><![CDATA[{_li(path, ALL_TITLES[path])}]]></record>"


def _trs_listing(k: int) -> str:
    items = "".join(_li("./" + p.split("/zwgk/nb/", 1)[1], ALL_TITLES[p]) for p in TRS_PAGES[k])
    return _page(
        "政府信息公开年报",
        f'<ul class="list">{items}</ul>'
        f'<script>createPageHTML(3, {0 if k == 0 else k - 1}, "index", "html");</script>',
    )


def _hanweb_column() -> str:
    island = (
        '<div id="7001"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="'
        "/module/web/jpage/dataproxy.jsp?page=2&appid=1&webid=9&path=/&columnid=2001&unitid=7001"
        '&webname=%25E5%258D%2597&permissiontype=0"></a>]]></nextgroup><recordset>'
        + _record(HANWEB_RECORDS[0])
        + "</recordset></datastore></script></div>"
    )
    script = (
        "<script>$('#7001').jpage({totalRecord:4, perPage:1, columnid:2001, unitid:'7001', "
        "webid:9, webname:'南岭镇', proxyUrl:'/module/web/jpage/dataproxy.jsp'});</script>"
    )
    return _page(
        "政府信息公开年报_南岭镇",
        island + script,
        '<meta charset="utf-8"><meta name="ColumnName" content="政府信息公开年报">',
    )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests: list[tuple[str, str]] = []

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes, ctype="text/html; charset=utf-8", gz=False):
        if gz:
            body = gzip.compress(body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.requests.append(("POST", self.path))
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(405, b"method not allowed")

    def do_GET(self):
        self.requests.append(("GET", self.path))
        parts = urlsplit(self.path)
        path = parts.path
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow:\n", "text/plain")
        if path == "/":
            # GBK bytes, header says utf-8, gzip on: CharsetFix + SkipSniff in a real crawl
            home = _page(
                "清河县人民政府",
                '<a href="/zwgk/">政务公开</a> <a href="http://127.0.0.2:9/zwgk/">政务公开（镜像）</a>'
                '<a href="https://beian.miit.gov.cn/">ICP备案</a><a href="/xwzx/">新闻中心</a>'
                '<div><h3>乡镇信息公开</h3><a href="/col/col2001/index.html">南岭镇</a></div>',
                '<meta charset="utf-8">',
            )
            return self._send(200, home.encode("gb18030"), gz=True)
        if path == "/zwgk/":
            return self._send(
                200,
                _page(
                    "政务公开",
                    '<a href="/zwgk/nb/">政府信息公开年报</a>'
                    '<a href="/xzjd/">乡镇（街道）信息公开</a>',
                ).encode(),
            )
        if path == "/xzjd/":
            return self._send(
                200,
                _page(
                    "乡镇（街道）信息公开", '<a href="/col/col2001/index.html">南岭镇</a>'
                ).encode(),
            )
        m = re.fullmatch(r"/zwgk/nb/(?:index(?:_(\d+))?\.html)?", path)
        if m:
            k = int(m.group(1) or 0)
            if k in TRS_PAGES:
                return self._send(200, _trs_listing(k).encode())
            return self._send(404, b"<html><title>404</title></html>")
        if path == "/col/col2001/index.html":
            return self._send(200, _hanweb_column().encode())
        if path == "/module/web/jpage/dataproxy.jsp":
            q = dict(parse_qsl(parts.query))
            page = int(q.get("page", "1"))
            recs = HANWEB_RECORDS[page - 1 : page] if q.get("unitid") == "7001" else []
            xml = (
                "<datastore><totalrecord>4</totalrecord><recordset>"
                f"{''.join(map(_record, recs))}</recordset></datastore>"
            )
            return self._send(200, xml.encode(), "text/xml; charset=utf-8")
        if path in BROKEN and path.endswith("_404.html"):
            return self._send(404, b"<html><title>404</title></html>")
        if path in BROKEN and path.endswith("_soft.html"):
            return self._send(
                200, _page("页面不存在", "<h1>对不起，您访问的页面不存在</h1>").encode()
            )
        if path in BROKEN and path.endswith("_waf.html"):
            return self._send(
                200,
                b"<html><head><meta content='x' r='m'></head><body><script>$_ts=window['$_ts'];"
                b"if(!$_ts)$_ts={};$_ts.nsd=8;</script></body></html>",
                "text/html",
            )
        if path in REPORTS or path in DISTRACTORS:
            title = ALL_TITLES[path]
            return self._send(
                200,
                _page(
                    title,
                    f'<meta name="ArticleTitle" content="{title}"><h1>{title}</h1>'
                    f"<p>一、总体情况</p>",
                ).encode("gb18030"),
                "text/html",
            )  # undeclared GBK
        return self._send(404, b"<html><title>404</title></html>")


@pytest.fixture(scope="module")
def portal():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def result(portal, tmp_path_factory):
    # port 1 on loopback refuses connections: the crawl must log it, carry on, and exit saying so
    result = run_crawl(
        tmp_path_factory.mktemp("hostile"),
        f"url={portal}/,http://127.0.0.1:1/",
        settings={**CRAWLER_ONLY, "RETRY_TIMES": "0"},
        timeout=120,
    )
    assert result.returncode == exitcodes.PORTAL_FAILED, result.log[-3000:]
    assert "portal 127.0.0.1:1: unreachable" in result.log.strip().splitlines()[-1]
    return result.items, result.log


def test_finds_every_report_and_nothing_else(portal, result):
    items, _ = result
    assert sorted(i["url"] for i in items) == sorted(portal + p for p in REPORTS)
    titles = {i["url"]: i["list_title"] for i in items}
    assert titles[portal + HANWEB_RECORDS[0]] == REPORTS[HANWEB_RECORDS[0]]


def test_errors_are_logged_with_step_and_reason(portal, result):
    _, log = result
    warnings = [line for line in log.splitlines() if "WARNING" in line and "nianbao" in line]
    text = "\n".join(warnings)
    assert re.search(r"route failed: http://127\.0\.0\.1:1/ \(connection refused\)", text)
    assert f"report failed: {portal}/zwgk/nb/202001/t20200115_404.html (HTTP 404)" in text
    assert "t20190115_soft.html (error page titled '页面不存在')" in text
    # the challenge went to the browser, whose script never reloads into a page: blocked
    assert "t20180115_waf.html (anti-bot challenge not passed by the browser" in text
    assert "listing failed" in text and "HTTP 405" in text  # the refused POST, then GET fallback
    assert "'nianbao/errors/report': 3" in log and "'nianbao/errors/route': 1" in log


def test_stays_on_the_portal_host(portal, result):
    paths = [p for _, p in Handler.requests]
    # 新闻中心 is no route: its link is explored (the lowest priority), once
    assert paths.count("/xwzx/") <= 1
    _, log = result
    assert "127.0.0.2" not in log and "beian.miit.gov.cn" not in log


def test_one_based_pager_and_get_dataproxy(portal, result):
    paths = [p for _, p in Handler.requests]
    assert "/zwgk/nb/index_3.html" in paths and "/zwgk/nb/index_1.html" in paths
    gets = [p for m, p in Handler.requests if m == "GET" and "dataproxy.jsp" in p]
    assert any("page=2" in p for p in gets) and any("page=4" in p for p in gets)
