"""Hostile variants, switchable per portal (``Spec.hostile``; docs/portals.md §11, §12 item 7).

A ``Wall`` sits in front of a portal's renderer (server.py asks ``wall.answer`` first and passes
the renderer's answer through ``wall.after``).  Variants:

* ``rs412``: 瑞数-style: any page without a valid ``…T`` cookie gets HTTP 412, a ``$_ts`` stub and
  a script that computes the cookie from the page's seed and reloads; a browser passes, plain
  HTTP never does.
* ``jsl521``: 加速乐-style two steps: 521 + ``__jsluid_s`` cookie + a script setting
  ``__jsl_clearance_s``; a wrong or missing clearance gets the ``go({...})`` 521 again.
* ``block200``: the first request of each article gets HTTP 200 "访问异常页面" (a 360-style
  block page) for ``BLOCK_SECONDS``; later requests pass ("过一两分钟就又放行了").
* ``cookie302``: a 302 to the same URL that sets a cookie; with the cookie, the page.
* ``burst429``: more than ``BURST`` requests within a second ban the client for ``BAN_SECONDS``
  with HTTP 429 and ``Retry-After``.
* ``odd``: the odd pages of the list: a soft 404 with HTTP 200, a report published only as a
  PDF attachment served as ``application/octet-stream``, a ``.pdf`` URL answering an HTML error
  page, an image-only report, the same report listed under http:// and https:// (two URL
  spellings of one page), a redirect chain ending on a report and a redirect loop.

Ground truth: the PDF and the image-only report are reports (the image-only one is flagged
``no_text``); the others are not.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import replace
from datetime import date
from html import escape

from .model import Article, Response, Site

BLOCK_SECONDS = 0.5
BURST, BAN_SECONDS = 12, 1.0
RS_COOKIE, JSL_UID, JSL_CLEAR = "NfBCSins2OywT", "__jsluid_s", "__jsl_clearance_s"


def _cookies(handler) -> dict[str, str]:
    out = {}
    for part in (handler.headers.get("Cookie") or "").split(";"):
        k, _, v = part.strip().partition("=")
        if k:
            out[k] = v
    return out


def _seed(path: str) -> int:
    return int(hashlib.md5(path.encode()).hexdigest()[:6], 16)


def _rs_token(seed: int) -> str:
    return str((seed * 7 + 13) % 1000003)  # what the page's script computes


def _html(status: int, body: str, headers=()) -> Response:
    return Response(status, "text/html; charset=utf-8", body.encode("utf-8"), tuple(headers))


def rs412_page(seed: int) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta id="9DhefwqGPrzGxEp9hPaoag" content="{seed}" r=\'m\'>'
        "<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=84921;$_ts.cd=\"qXxrrpAlExGq\";</script>"
        "<script r='m'>(function(){var s=parseInt(document.getElementById('9DhefwqGPrzGxEp9hPaoag')"
        ".getAttribute('content'));var t=(s*7+13)%1000003;"
        f"document.cookie='{RS_COOKIE}='+t+'; path=/';setTimeout(function(){{location.reload();"
        "},20);})();"
        "</script></head><body></body></html>"
    )


def jsl_page(step: int) -> str:
    if step == 1:
        script = (
            f"document.cookie='{JSL_CLEAR}='+('15'+'00'+(3*7))+'|0|x; path=/';"
            "setTimeout(function(){location.href=location.pathname+location.search;},20);"
        )
    else:
        script = (
            ';go({"bts":["1700000000.123|0|abc","def"],"chars":"ABCdef","ct":"x","ha":"sha1",'
            f'"tn":"{JSL_CLEAR}","vt":"3600","wt":"1500"}})'
        )
    return f"<html><head></head><body><script>{script}</script></body></html>"


BLOCK_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>访问异常页面</title></head><body>'
    "<h2>您的访问出现异常</h2><p>请稍后再试。</p></body></html>"
)
SOFT_404 = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面不存在</title></head><body>'
    "<h1>对不起，您访问的页面不存在或已被删除</h1></body></html>"
)


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF whose content stream says ``text`` (ASCII); byte-exact every run."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


class Wall:
    """``guarded``: which paths block200 guards (default: the generic family's article and
    upload paths; generated portals pass their own article paths)."""

    def __init__(self, site: Site, variants: tuple[str, ...], guarded=None):
        self.site, self.variants = site, set(variants)
        self.guarded = guarded or (lambda path: path == "/show.php" or path.startswith("/upload/"))
        self.lock = threading.Lock()
        self.first_seen: dict[str, float] = {}
        self.hits: list[float] = []
        self.banned_until = 0.0
        self.special: dict[str, Response] = {}
        self.redirects: dict[str, str] = {}
        if "odd" in self.variants:
            self._plant_odd_pages()

    # -------------------------------------------------------------- the odd pages

    def _plant_odd_pages(self) -> None:
        site = self.site
        units = site.units
        county, town = units[0], units[1]
        col = county.column
        reports = [a for a in col.entries if a.report]

        def add(
            path: str, title: str, published: date, *, report=None, kind="distractor", listed=True
        ):
            art = Article(
                path, title, published, county.full, {}, report=report, kind=kind, column=col
            )
            if listed:
                col.entries.append(art)
            return art

        # a report published only as a PDF attachment, served as application/octet-stream
        pdf_src = reports[0]
        pdf = add(
            "/upload/P020240125381234567890.pdf",
            f"{town.name}2023年政府信息公开工作年度报告（PDF）",
            date(2024, 1, 25),
            report=replace(pdf_src.report, org_name=town.full),
            kind="report",
        )
        site.add_article(pdf)
        self.special[pdf.path] = Response(
            200,
            "application/octet-stream",
            tiny_pdf("2023 annual report on government information disclosure"),
            (("Content-Disposition", 'attachment; filename="P020240125381234567890.pdf"'),),
        )
        # an image-only report: the body is one scanned picture
        img = add(
            "/show.php?id=7199001",
            f"{county.full}2020年政府信息公开工作年度报告",
            date(2021, 1, 20),
            report=replace(pdf_src.report, report_year=2020),
            kind="report",
        )
        img.body_html = (
            '<p style="text-align:center"><img src="/upload/W020210120512345.jpg" alt=""></p>'
        )
        img.image_only = True  # type: ignore[attr-defined]
        site.add_article(img)
        # a soft 404 and a .pdf URL answering HTML, both listed with report titles
        for path, title in (
            ("/show.php?id=7199002", f"{county.full}2019年政府信息公开工作年度报告"),
            ("/upload/P020200115000000000001.pdf", f"{county.full}2018年政府信息公开工作年度报告"),
        ):
            add(path, title, date(2020, 1, 15))
            self.special[path] = _html(200, SOFT_404)
        # a redirect chain ending on a real report (listed only through the chain), and a loop
        target = reports[1]
        col.entries.remove(target)
        add("/r/nb2022.html", target.title, target.published)
        self.redirects["/r/nb2022.html"] = "/r/nb2022-moved.html"
        self.redirects["/r/nb2022-moved.html"] = target.path
        add("/r/loop-a.html", f"{county.full}2017年政府信息公开工作年度报告", date(2018, 1, 10))
        self.redirects["/r/loop-a.html"] = "/r/loop-b.html"
        self.redirects["/r/loop-b.html"] = "/r/loop-a.html"
        # the same report under http:// and https:// (the listing spells it both ways)
        dup = reports[2]
        https = Article(
            "https://{host}" + dup.path,
            dup.title,
            dup.published,
            dup.publisher,
            {},
            kind="page",
            column=col,
        )
        col.entries.append(https)
        col.entries.sort(key=lambda a: (a.published, a.path), reverse=True)

    # -------------------------------------------------------------- the server hooks

    def answer(self, handler, method: str, parts, params: dict) -> Response | None:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        now = time.monotonic()
        if parts.path == "/robots.txt":
            return None
        if "burst429" in self.variants:
            with self.lock:
                self.hits = [t for t in self.hits if now - t < 1.0] + [now]
                if now >= self.banned_until and len(self.hits) > BURST:
                    self.banned_until = now + BAN_SECONDS
                banned = now < self.banned_until
            if banned:
                return _html(
                    429,
                    "<html><title>429</title><body>请求过于频繁</body></html>",
                    [("Retry-After", str(int(BAN_SECONDS)))],
                )
        cookies = _cookies(handler)
        if "rs412" in self.variants and cookies.get(RS_COOKIE) != _rs_token(_seed("site")):
            seed = _seed("site")
            return _html(412, rs412_page(seed), [("Set-Cookie", f"NfBCSins2OywS=60{seed}; path=/")])
        if "jsl521" in self.variants:
            if JSL_UID not in cookies:
                return _html(521, jsl_page(1), [("Set-Cookie", f"{JSL_UID}=a1b2c3d4; path=/")])
            if cookies.get(JSL_CLEAR, "").split("|")[0] != "150021":
                return _html(521, jsl_page(2 if JSL_CLEAR in cookies else 1))
        if "cookie302" in self.variants and cookies.get("CT6T") != "ok":
            return Response(
                302, "text/html", b"", (("Location", path), ("Set-Cookie", "CT6T=ok; path=/"))
            )
        if "block200" in self.variants and self.guarded(parts.path):
            with self.lock:
                first = self.first_seen.setdefault(path, now)
            if now - first < BLOCK_SECONDS:
                return _html(200, BLOCK_PAGE)
        if path in self.redirects:
            return Response(302, "text/html", b"", (("Location", self.redirects[path]),))
        if path in self.special:
            return self.special[path]
        art = self.site.articles.get(path)
        if art is not None and getattr(art, "image_only", False):
            from . import lite

            body = (
                f'<div class="article">{lite.header_table(art)}<h1 class="title">'
                f"{escape(art.title)}</h1>"
                f'<div class="article-content" id="zoom">{art.body_html}</div></div>'
            )
            return lite.encode(
                self.site, lite.page(self.site, art.title, body, art.column.name, art)
            )
        return None

    def after(self, handler, parts, resp: Response) -> Response:
        if resp.content_type.startswith("text/html") and b"https://{host}" in resp.body:
            host = handler.headers.get("Host", "")
            resp = replace(
                resp, body=resp.body.replace(b"https://{host}", f"https://{host}".encode())
            )
        return resp
