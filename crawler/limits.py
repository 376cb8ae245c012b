"""Bounds on what a page can make the crawler do: the counts it declares, the bytes it parses.

A listing's record or page count (Hanweb ``totalRecord``, JPaaS ``count``, TRS
``createPageHTML(N, …)``, gkmlpt/UCAP ``total``, Lonsun ``data-total``) decides how many
requests are queued; a hostile or broken page declaring ``count: 100000`` (or a number of
4,301 digits, which ``int()`` refuses) must not queue that many.  Every family parser reads such
counts through ``cap_count``, which never raises and never returns more than
``PAGE_COUNT_CAP`` (a setting, applied when the crawl opens; see crawler/settings.py).
The other bounds of what a page makes the crawl do (pages of an endpoint, pages of a listing
planned, bytes of an attachment, bytes of a page read) are settings read here too, and only
here.
"""

from __future__ import annotations

import logging
from typing import overload

from scrapy.http import HtmlResponse, TextResponse
from w3lib.encoding import html_to_unicode

from crawler import settings as _defaults
from reports.extract.encoding import decode_bytes

logger = logging.getLogger(__name__)

#: the bounds, each a setting whose default is in crawler/settings.py; read once, when the crawl
#: opens (``configure``), and asked of this module by every part they bound
SETTINGS = {
    # a count read from a page (records, pages of a listing)
    "PAGE_COUNT_CAP": _defaults.PAGE_COUNT_CAP,
    # pages of one data endpoint asked for (and ids of a unit tree filled into its calls)
    "ENDPOINT_MAX_PAGES": _defaults.ENDPOINT_MAX_PAGES,
    # pages of one listing planned from the count or pager it shows
    "LISTING_MAX_PLANNED_PAGES": _defaults.LISTING_MAX_PLANNED_PAGES,
    # bytes of one attachment fetched; a larger file is recorded with its error
    "MAX_ATTACHMENT_BYTES": _defaults.MAX_ATTACHMENT_BYTES,
    # bytes of one page read (it is archived whole)
    "MAX_PAGE_BYTES": _defaults.MAX_PAGE_BYTES,
}
#: the default of the PAGE_COUNT_CAP setting
DEFAULT_COUNT_CAP = _defaults.PAGE_COUNT_CAP
_values = dict(SETTINGS)
# a count longer than this is absurd; int() of it would be slow or refused (4,300 digits)
_MAX_DIGITS = 12


def problem(settings) -> str | None:
    """Why the bounds the settings give cannot be used (one line naming the setting and the
    fix), or None.  Checked by ``scrapy crawl`` before its first request."""
    for name, default in SETTINGS.items():
        raw = settings.get(name, default)
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if value < 1:
            return (
                f"{name}={raw!r} is not a whole number of at least 1; set it to one "
                f"(default {default})"
            )
    return None


def configure(settings) -> None:
    """Apply the crawl's bounds (called by ScopeMiddleware.from_crawler)."""
    for name in SETTINGS:
        _values[name] = max(1, settings.getint(name, SETTINGS[name]))


def count_cap() -> int:
    return _values["PAGE_COUNT_CAP"]


def endpoint_pages() -> int:
    """Pages of one endpoint asked for at most, never more than PAGE_COUNT_CAP."""
    return min(_values["ENDPOINT_MAX_PAGES"], count_cap())


def planned_pages() -> int:
    """Pages of one listing planned at most, never more than PAGE_COUNT_CAP."""
    return min(_values["LISTING_MAX_PLANNED_PAGES"], count_cap())


def attachment_bytes() -> int:
    return _values["MAX_ATTACHMENT_BYTES"]


def page_bytes() -> int:
    """Bytes of a page read by anything that reads it (the rest is only archived)."""
    return _values["MAX_PAGE_BYTES"]


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
            n = sign * (count_cap() + 1)
        else:
            n = sign * int(digits)
    if n < 0:
        return 0
    cap = count_cap()
    if n > cap:
        logger.warning(
            "a page declares a count of %s; capped at PAGE_COUNT_CAP=%d (raise the "
            "setting if a portal really lists that many)",
            str(value)[:20],
            cap,
        )
        return cap
    return n


# ------------------------------------------------------------------------------ big pages


#: how far back from MAX_PAGE_BYTES a page's head may be cut to end before a tag
_CUT_WINDOW = 64 * 1024


def page_head(body: bytes, max_bytes: int | None = None) -> bytes:
    """The part of a page that is read: all of ``body`` up to ``max_bytes`` (MAX_PAGE_BYTES),
    else its first ``max_bytes`` cut just before a ``<``.  A cut in the middle of a character
    makes the decoder doubt the page's charset (a GBK page cut after the first byte of a
    character reads as mac-greek); ``<`` is never part of a multi-byte character in UTF-8,
    GBK/GB18030 or Big5."""
    limit = page_bytes() if max_bytes is None else max_bytes
    if len(body) <= limit:
        return body
    cut = body.rfind(b"<", max(0, limit - _CUT_WINDOW), limit + 1)
    return body[: cut if cut > 0 else limit]


class BoundedHtmlResponse(HtmlResponse):
    """A page over MAX_PAGE_BYTES: ``body`` is all of it (archived whole), ``text`` (and so
    every selector and parser of the spider) its head (``page_head``) only."""

    parse_bytes: int = 2 * 1024**2

    @property
    def parsed_body(self) -> bytes:
        return page_head(self.body, self.parse_bytes)

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

    Priority 582: below CharsetFixMiddleware (585) on the response path, so the charset is
    settled first, and above MetaRefreshMiddleware (580), whose ``response.text`` would
    otherwise decode all of a 50 MB page.  The bounded response's encoding is read from the
    head alone (the one decoder), never by Scrapy's detection over the whole body.  Counted as
    ``nianbao/pages_over_max_bytes``.
    """

    def __init__(self, max_bytes: int, stats=None):
        self.max_bytes, self.stats = max_bytes, stats

    @classmethod
    def from_crawler(cls, crawler):
        max_bytes = crawler.settings.getint("MAX_PAGE_BYTES", _defaults.MAX_PAGE_BYTES)
        return cls(max_bytes, crawler.stats)

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse) or len(response.body) <= self.max_bytes:
            return response
        logger.warning(
            "page %s is %d bytes, over MAX_PAGE_BYTES=%d: its links and titles are read "
            "from its first %d bytes",
            response.url,
            len(response.body),
            self.max_bytes,
            self.max_bytes,
        )
        if self.stats is not None:
            self.stats.inc_value("nianbao/pages_over_max_bytes")
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        head = page_head(response.body, self.max_bytes)
        encoding = decode_bytes(head, content_type or None).encoding
        bounded = response.replace(cls=BoundedHtmlResponse, encoding=encoding)
        bounded.parse_bytes = self.max_bytes
        return bounded
