"""Bounds on what a page can make the crawler do: the counts it declares, the bytes it parses.

A listing's record or page count (Hanweb ``totalRecord``, JPaaS ``count``, TRS
``createPageHTML(N, …)``, gkmlpt/UCAP ``total``, Lonsun ``data-total``) decides how many
requests are queued; a hostile or broken page declaring ``count: 100000`` (or a number of
4,301 digits, which ``int()`` refuses) must not queue that many.  Every family parser reads such
counts through ``cap_count``, which never raises and never returns more than
``PAGE_COUNT_CAP`` (a setting, applied when the crawl opens; see crawler/settings.py).
"""
from __future__ import annotations

import logging
from typing import overload

from scrapy.http import HtmlResponse, TextResponse
from w3lib.encoding import html_to_unicode

logger = logging.getLogger(__name__)

#: the default of the PAGE_COUNT_CAP setting
DEFAULT_COUNT_CAP = 2000
_cap = DEFAULT_COUNT_CAP
# a count longer than this is absurd; int() of it would be slow or refused (4,300 digits)
_MAX_DIGITS = 12


def configure(settings) -> None:
    """Apply the crawl's PAGE_COUNT_CAP (called by ScopeMiddleware.from_crawler)."""
    global _cap
    _cap = max(1, settings.getint("PAGE_COUNT_CAP", DEFAULT_COUNT_CAP))


def count_cap() -> int:
    return _cap


@overload
def cap_count(value: object) -> int | None: ...
@overload
def cap_count(value: object, default: int) -> int: ...


def cap_count(value: object, default: int | None = None) -> int | None:
    """A count read from a page as an int in 0…PAGE_COUNT_CAP; ``default`` when it is missing
    or not a number.  Negative counts read as 0; larger ones are cut to the cap (logged)."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        n = value
    else:
        text = str(value).strip() if value is not None else ""
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if not digits.isascii() or not digits.isdigit():
            return default
        if len(digits.lstrip("0")) > _MAX_DIGITS:
            n = sign * (_cap + 1)
        else:
            n = sign * int(digits)
    if n < 0:
        return 0
    if n > _cap:
        logger.warning("a page declares a count of %s; capped at PAGE_COUNT_CAP=%d (raise the "
                       "setting if a portal really lists that many)", str(value)[:20], _cap)
        return _cap
    return n


# ------------------------------------------------------------------------------ big pages


class BoundedHtmlResponse(HtmlResponse):
    """A page over MAX_PAGE_BYTES: ``body`` is all of it (archived whole), ``text`` (and so
    every selector and parser of the spider) its first ``parse_bytes`` bytes only."""

    parse_bytes: int = 2 * 1024**2

    @property
    def parsed_body(self) -> bytes:
        return self.body[: self.parse_bytes]

    @property
    def text(self) -> str:
        charset = f"charset={self.encoding}"
        if self._cached_ubody is None or len(self._cached_ubody) > self.parse_bytes:
            self._cached_ubody = html_to_unicode(charset, self.parsed_body)[1]
        return self._cached_ubody


def parsed_body(response) -> bytes:
    """The bytes of ``response`` a parser should read: its first MAX_PAGE_BYTES."""
    return response.parsed_body if isinstance(response, BoundedHtmlResponse) else response.body


class BoundedPageMiddleware:
    """Hand the spider a page over ``MAX_PAGE_BYTES`` as a ``BoundedHtmlResponse``.

    Priority 575, below CharsetFixMiddleware (585) on the response path, so the charset is
    settled first.  Counted as ``nianbao/pages_over_max_bytes``.
    """

    def __init__(self, max_bytes: int, stats=None):
        self.max_bytes, self.stats = max_bytes, stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("MAX_PAGE_BYTES", 2 * 1024**2), crawler.stats)

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse) or len(response.body) <= self.max_bytes:
            return response
        logger.warning("page %s is %d bytes, over MAX_PAGE_BYTES=%d: its links and titles are read "
                       "from its first %d bytes", response.url, len(response.body), self.max_bytes,
                       self.max_bytes)
        if self.stats is not None:
            self.stats.inc_value("nianbao/pages_over_max_bytes")
        bounded = response.replace(cls=BoundedHtmlResponse, encoding=response.encoding)
        bounded.parse_bytes = self.max_bytes
        return bounded
