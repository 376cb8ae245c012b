"""Downloader middlewares that work around Scrapy 2.19 behaviour (stack-facts §1, §7).

Both are tied to the pinned Scrapy (pyproject: scrapy==2.19.0); tests/test_spider_middlewares.py
fails when the behaviour they work around changes.

Priorities (DOWNLOADER_MIDDLEWARES):
* ``SkipSniffOnCompressedMiddleware``: 595, just before HttpCompressionMiddleware (590) on the
  response path.
* ``CharsetFixMiddleware``: below 590 (after decompression), e.g. 585, so MetaRefresh (580)
  and the spider already read the corrected text.
"""
from __future__ import annotations

import codecs
import logging

from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

logger = logging.getLogger(__name__)


class SkipSniffOnCompressedMiddleware:
    """Stop 2.19 from running charset-normalizer on still-compressed bodies.

    ``HttpCompressionMiddleware`` calls ``response.replace(body=decoded, encoding=None)`` and
    ``Response.replace`` evaluates ``getattr(old, "encoding")`` eagerly, which sniffs the gzip
    bytes (~2 ms per page, 40% of throughput).  Setting the private ``_encoding`` first makes
    that getattr free; the decompressed response is rebuilt with ``encoding=None`` anyway.
    """

    def process_response(self, request, response, spider=None):
        if isinstance(response, TextResponse) and response.headers.get(b"Content-Encoding"):
            response._encoding = "latin-1"
        return response


# Encodings a server or page may declare that are almost never what Chinese pages are.
_SUSPECT = frozenset({"cp1252", "latin-1", "iso8859-1", "ascii"})
# w3lib maps gb2312/gbk to gb18030 (a superset); do the same before a strict decode.
_GB_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "euc_cn": "gb18030", "hz": "gb18030"}


def _canon(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canon = codecs.lookup(name).name
    except LookupError:
        return None
    return _GB_SUPERSET.get(canon, canon)


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def choose_encoding(body: bytes, content_type: str | None) -> str | None:
    """Pick the encoding that really decodes ``body`` (stack-facts §7 order), or None to keep.

    1. UTF-8 strict (GBK bytes almost never validate as UTF-8);
    2. the declared encoding (header, then meta), strict, unless it is a cp1252/latin-1 guess;
    3. gb18030 strict;
    4. charset_normalizer's best guess.
    None for a BOM (Scrapy honours it) or an ASCII body (any declaration decodes it).
    """
    if not body or read_bom(body)[0]:
        return None
    if body.isascii():
        return None
    if _decodes(body, "utf-8"):
        return "utf-8"
    for declared in (http_content_type_encoding(content_type or ""), html_body_declared_encoding(body)):
        enc = _canon(declared)
        if enc and enc not in _SUSPECT and enc != "utf-8" and _decodes(body, enc):
            return enc
    if _decodes(body, "gb18030"):
        return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return _canon(best.encoding) if best else None


class CharsetFixMiddleware:
    """Rebuild a text response whose declared charset does not decode its body.

    Scrapy trusts a wrong ``charset=utf-8`` header or ``<meta charset=gb2312>`` on UTF-8 bytes
    and silently decodes with replacement characters.  The body bytes are untouched; only the
    encoding used for ``response.text`` changes.
    """

    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse):
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        chosen = choose_encoding(response.body, content_type)
        if chosen is None:
            return response
        # Compare with what the response declares (header, then meta: Scrapy's order) rather
        # than response.encoding, which would run charset detection on undeclared pages.
        declared = (_canon(http_content_type_encoding(content_type))
                    or _canon(html_body_declared_encoding(response.body)))
        if declared == chosen:
            return response
        if declared is not None:
            logger.debug("charset of %s: declared %s, decodes as %s", response.url, declared, chosen)
            if self.stats is not None:
                self.stats.inc_value("nianbao/charset_fixed")
        return response.replace(encoding=chosen)
