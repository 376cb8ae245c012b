"""Downloader middlewares: the gzip sniff workaround (pinned to Scrapy 2.19 behaviour) and the
charset fix for pages whose declared charset does not decode them (docs/stack-facts.md §1, §7)."""

from __future__ import annotations

import gzip

import pytest
import scrapy
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import (
    CharsetFixMiddleware,
    SkipSniffOnCompressedMiddleware,
    choose_encoding,
)

TEXT = "某某市人民政府2023年政府信息公开工作年度报告：朱镕基 陶喆 王堃 𠮷 赟。" * 5
URL = "http://www.xx.gov.cn/art/2024/1/22/art_1_2.html"


def page(charset_meta: str | None = None) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>年报</title></head><body><p>{TEXT}</p></body></html>"


def response(body: bytes, content_type: str = "text/html", **headers) -> HtmlResponse:
    return HtmlResponse(
        url=URL, body=body, headers={"Content-Type": content_type, **headers}, request=Request(URL)
    )


def fixed(resp: Response) -> Response:
    return CharsetFixMiddleware().process_response(resp.request, resp)


# ------------------------------------------------------------------------------ charset


@pytest.mark.parametrize(
    "body_enc,content_type,meta",
    [
        ("gb18030", "text/html; charset=utf-8", None),  # GBK page declared utf-8 (header)
        (
            "gb18030",
            "text/html; charset=ISO-8859-1",
            "gbk",
        ),  # header latin-1 wins over meta in Scrapy
        ("gb18030", "text/html", "utf-8"),  # meta utf-8 on GBK bytes
        ("utf-8", "text/html", "gb2312"),  # UTF-8 bytes, meta gb2312
        ("gb18030", "text/html", None),  # undeclared GBK
        ("gb18030", "text/html", "gb2312"),  # gb2312 declared, GBK-only characters
        ("utf-8", "text/html", None),
    ],
)
def test_charset_fix_decodes_every_case(body_enc, content_type, meta):
    body = page(meta).encode(body_enc)
    resp = fixed(response(body, content_type))
    assert TEXT in resp.text
    assert resp.css("p::text").get() == TEXT
    assert resp.body == body  # bytes untouched


def test_scrapy_still_trusts_a_wrong_declaration():
    # Pin: if Scrapy starts validating declared charsets, CharsetFixMiddleware can go.
    resp = response(page().encode("gb18030"), "text/html; charset=utf-8")
    assert TEXT not in resp.text


def test_choose_encoding_leaves_ascii_and_bom_alone():
    assert choose_encoding(b"<html>plain</html>", "text/html; charset=gbk") is None
    assert choose_encoding(b"\xef\xbb\xbf" + "年报".encode(), "text/html") is None
    assert choose_encoding("年报正文".encode(), "text/html; charset=gbk") == "utf-8"
    assert (
        choose_encoding(("政府信息公开工作年度报告" * 3).encode("gbk"), "text/html; charset=utf-8")
        == "gb18030"
    )


def test_charset_fix_counts_and_ignores_binary():
    crawler = get_crawler(scrapy.Spider)
    mw = CharsetFixMiddleware.from_crawler(crawler)
    resp = response(page().encode("gb18030"), "text/html; charset=utf-8")
    mw.process_response(resp.request, resp)
    assert crawler.stats.get_value("nianbao/charset_fixed") == 1
    # an undeclared page gets its encoding without charset detection and is not a "fix"
    undeclared = mw.process_response(resp.request, response(page().encode("gb18030")))
    assert undeclared.encoding == "gb18030" and TEXT in undeclared.text
    assert crawler.stats.get_value("nianbao/charset_fixed") == 1
    pdf = Response(url=URL + ".pdf", body=b"%PDF-1.7 \xff\xfe", request=Request(URL))
    assert mw.process_response(pdf.request, pdf) is pdf


# ------------------------------------------------------------------------------ gzip sniff


def _compression() -> HttpCompressionMiddleware:
    return HttpCompressionMiddleware.from_crawler(get_crawler(scrapy.Spider))


def _gzipped_undeclared() -> HtmlResponse:
    body = gzip.compress(page().encode("gb18030"))
    return response(body, "text/html", **{"Content-Encoding": "gzip"})


def _count_sniffs(monkeypatch) -> list[bytes]:
    calls: list[bytes] = []
    original = TextResponse._auto_detect_fun

    def spy(self, text):
        calls.append(bytes(text[:2]))
        return original(self, text)

    monkeypatch.setattr(TextResponse, "_auto_detect_fun", spy)
    return calls


def test_pin_httpcompression_sniffs_compressed_body_without_workaround(monkeypatch):
    # Pin of the Scrapy 2.19 bug the workaround exists for: Response.replace() evaluates the
    # old response's encoding, which runs charset detection on the gzip bytes.  When this
    # test fails, Scrapy fixed it and SkipSniffOnCompressedMiddleware can be removed.
    assert scrapy.__version__ == "2.19.0"
    calls = _count_sniffs(monkeypatch)
    resp = _gzipped_undeclared()
    _compression().process_response(resp.request, resp)
    assert calls and calls[0] == b"\x1f\x8b", (
        "HttpCompressionMiddleware no longer sniffs gzip bytes"
    )


def test_skip_sniff_avoids_detection_on_compressed_body(monkeypatch):
    calls = _count_sniffs(monkeypatch)
    resp = _gzipped_undeclared()
    resp = SkipSniffOnCompressedMiddleware().process_response(resp.request, resp)
    out = _compression().process_response(resp.request, resp)
    assert not any(c == b"\x1f\x8b" for c in calls)
    # the decompressed response still detects its real encoding
    assert TEXT in out.text and out.encoding == "gb18030"
    # and the chain with the charset fix (order 595 → 590 → 585) agrees
    assert TEXT in fixed(out).text


def test_skip_sniff_leaves_uncompressed_responses_alone():
    resp = response(page("utf-8").encode("utf-8"))
    assert SkipSniffOnCompressedMiddleware().process_response(resp.request, resp) is resp
    assert resp.encoding == "utf-8"


@pytest.mark.parametrize(
    "body,content_type",
    [
        # UTF-8 with one sequence cut mid-character (a CMS truncating a string), declared gbk
        (
            page().encode("utf-8").replace("镕".encode(), "镕".encode()[:2], 1),
            "text/html; charset=gbk",
        ),
        (page("gb2312").encode("gb18030"), "text/html; charset=utf-8"),
        (
            "政府信息公开工作年度报告".encode("big5", "replace") + page().encode("gb18030"),
            "text/html",
        ),
    ],
)
def test_the_crawl_reads_the_text_the_extractor_reads(body, content_type):
    """One decoder: response.text after CharsetFixMiddleware is what reports.extract decodes."""
    from reports.extract.encoding import decode_bytes

    assert fixed(response(body, content_type)).text == decode_bytes(body, content_type).text
