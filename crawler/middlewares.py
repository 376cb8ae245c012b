"""Downloader middlewares for what Scrapy 2.19 and real portals do to a crawl.

Two work around Scrapy 2.19 behaviour (docs/stack-facts.md §1, §7) and are tied to the pinned
Scrapy (pyproject: scrapy==2.19.0); tests/crawler/test_spider_middlewares.py fails when the
behaviour they work around changes.  Three handle what county servers do (docs/portals.md §11).
The charset is settled by the project's one page decoder (reports/extract/encoding.py), so
``response.text`` is the text the extractor reads from the same bytes.

The crawl's other downloader middlewares live with what they serve: ``ScopeMiddleware`` (25,
crawler/scope.py), ``PortalLedgerMiddleware`` (100, crawler/runreport.py),
``BoundedPageMiddleware`` (582, crawler/limits.py), ``ConditionalRequestMiddleware`` (930,
crawler/recrawl.py) and ``WarcWireMiddleware`` (950, pipelines/warc.py).

Priorities of this module's (DOWNLOADER_MIDDLEWARES in crawler/settings.py):
* ``RedirectGuardMiddleware``: 610, before RedirectMiddleware (600): 302-to-self cookie walls
  pass, redirect loops are logged.
* ``SkipSniffOnCompressedMiddleware``: 595, just before HttpCompressionMiddleware (590) on the
  response path.
* ``CharsetFixMiddleware``: 585, after decompression (590) and before MetaRefresh (580), so
  MetaRefresh and the spider already read the corrected text.
* ``TlsAuditMiddleware``: 570: logs once per host a certificate that would not verify.
* ``BackoffMiddleware``: 560, above RetryMiddleware (550): a 429/503 or Retry-After closes the
  host for a while instead of an immediate retry.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque

from scrapy.http import TextResponse

from reports.extract.encoding import bom_encoding, declared_charset, decode_bytes

from .discovery.state import step_of
from .limits import page_head

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


def choose_encoding(body: bytes, content_type: str | None) -> str | None:
    """The encoding that really decodes ``body``, as the one page decoder
    (``reports.extract.encoding.decode_bytes``) reads it, or None to keep Scrapy's.

    None for a BOM (Scrapy honours it) or an ASCII body (any declaration decodes it).
    """
    if not body or body.isascii() or bom_encoding(body):
        return None
    return decode_bytes(body, content_type).encoding


class _WithStats:
    """A middleware that counts what it does in the crawl's stats."""

    def __init__(self, stats=None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)


class CharsetFixMiddleware(_WithStats):
    """Rebuild a text response whose declared charset does not decode its body.

    Scrapy trusts a wrong ``charset=utf-8`` header or ``<meta charset=gb2312>`` on UTF-8 bytes
    and silently decodes with replacement characters.  The body bytes are untouched; only the
    encoding used for ``response.text`` changes.
    """

    def process_response(self, request, response, spider=None):
        if not isinstance(response, TextResponse):
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        # Only the head of a page is read (crawler/limits.py): its charset is the one that
        # decodes the head, and a 50 MB page is not decoded whole to learn it.
        chosen = choose_encoding(page_head(response.body), content_type)
        if chosen is None:
            return response
        # Compare with what the response declares (header, then meta: Scrapy's order) rather
        # than response.encoding, which would run charset detection on undeclared pages.
        declared = declared_charset(response.body, content_type)
        if declared == chosen:
            return response
        if declared is not None:
            logger.debug(
                "charset of %s: declared %s, decodes as %s", response.url, declared, chosen
            )
            if self.stats is not None:
                self.stats.inc_value("nianbao/charset_fixed")
        # replace() reads the old response's encoding first, which on a page that declares
        # none runs charset detection over the body: the chosen one is set there beforehand
        response._encoding = chosen
        return response.replace(encoding=chosen)


# ------------------------------------------------------------------------------ back-off


def _retry_after(value: bytes | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    import time

    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class BackoffMiddleware:
    """Hosts that say "too many requests" wait before they are asked again.

    A response is a ban when its status is in ``BACKOFF_HTTP_CODES`` (429, 503 by default) or
    it carries ``Retry-After`` with a 4xx/5xx status.  The host (scheme-less netloc) is then
    closed for ``Retry-After`` seconds when the server says so, else for
    ``BACKOFF_BASE_DELAY × 2^(n-1)`` (n = bans in a row on that host), capped at
    ``BACKOFF_MAX_DELAY``; every request to it waits in ``process_request`` until then, and the
    banned request is scheduled again.  After ``BACKOFF_MAX_TRIES`` bans of one request the
    response goes on to the spider (which logs it as an HTTP error) and Scrapy's own retry is
    switched off for it, so a host that stays closed is not hammered.  A success on the host
    resets its count.

    A ban also says the host's rate: from then on its requests are paced, one every ``gap``
    seconds (half the rate it answered in the second before the ban, halved again at each
    later ban), so the waiting requests do not all come back at once and meet the next ban.
    A request that was already in flight when the ban began is asked again after the wait
    without counting as a try of its own: it met the same ban.

    Priority 560: above RetryMiddleware (550), so a ban is backed off here rather than retried
    at once there.
    """

    def __init__(
        self,
        stats=None,
        base: float = 5.0,
        cap: float = 600.0,
        tries: int = 4,
        codes: tuple[int, ...] = (429, 503),
    ):
        self.stats = stats
        self.base, self.cap, self.tries = base, cap, tries
        self.codes = frozenset(codes)
        self.closed_until: dict[str, float] = {}
        self.streak: dict[str, int] = {}
        self.gap: dict[str, float] = {}  # host -> seconds between its requests, once banned
        self.next_slot: dict[str, float] = {}  # host -> when its next paced request may go
        self.banned_at: dict[str, float] = {}  # host -> when its latest ban was met
        self.answered: dict[str, deque[float]] = {}  # host -> times of its latest answers

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(
            crawler.stats,
            base=s.getfloat("BACKOFF_BASE_DELAY", 5.0),
            cap=s.getfloat("BACKOFF_MAX_DELAY", 600.0),
            tries=s.getint("BACKOFF_MAX_TRIES", 4),
            codes=tuple(s.getlist("BACKOFF_HTTP_CODES", [429, 503])),
        )

    @staticmethod
    def _host(request) -> str:
        from urllib.parse import urlsplit

        return urlsplit(request.url).netloc.lower()

    async def process_request(self, request, spider=None):
        import asyncio
        import time

        host = self._host(request)
        now = time.monotonic()
        start = max(now, self.closed_until.get(host, 0.0))
        gap = self.gap.get(host)
        if gap:
            start = max(start, self.next_slot.get(host, 0.0))
            self.next_slot[host] = start + gap
        if start > now:
            await asyncio.sleep(start - now)
        # a ban met while it waited: wait that one out too
        while self.closed_until.get(host, 0.0) > time.monotonic():
            await asyncio.sleep(self.closed_until[host] - time.monotonic())
        request.meta["nb_sent_at"] = time.monotonic()
        return None

    def process_response(self, request, response, spider=None):
        import time

        host = self._host(request)
        retry_after = _retry_after(response.headers.get(b"Retry-After"))
        banned = response.status in self.codes or (
            retry_after is not None and response.status >= 400
        )
        if not banned and response.status == 200 and _is_block_page(response):
            banned = True  # a 200 "访问异常" page: blocked for now, not a page of the portal
        if banned and self.stats is not None:
            self.stats.inc_value(f"nianbao/blocked/{step_of(request)}")
        now = time.monotonic()
        if not banned:
            if response.status < 400:
                self.streak.pop(host, None)
            recent = self.answered.setdefault(host, deque(maxlen=256))
            recent.append(now)
            return response
        sent = request.meta.get("nb_sent_at")
        if sent is not None and sent < self.banned_at.get(host, -1.0):
            # in flight when the ban began: the same ban, waited out with the others
            retry = request.replace(dont_filter=True)
            if self.stats is not None:
                self.stats.inc_value("nianbao/backoff/waits")
            return retry
        self.banned_at[host] = now
        rate = sum(1 for t in self.answered.get(host, ()) if now - t < 1.0)
        self.gap[host] = min(self.cap, max(2 * self.gap.get(host, 0.0), 2.0 / max(2, rate)))
        n = request.meta.get("nb_backoff", 0) + 1
        streak = self.streak[host] = self.streak.get(host, 0) + 1
        if n > self.tries:
            logger.warning(
                "nianbao back-off gave up: %s (HTTP %d after %d tries); the host keeps "
                "refusing, crawl it later or lower the request rate",
                request.url,
                response.status,
                n - 1,
            )
            if self.stats is not None:
                self.stats.inc_value("nianbao/backoff/gave_up")
            request.meta["dont_retry"] = True
            return response
        delay = retry_after if retry_after is not None else self.base * 2 ** (streak - 1)
        delay = min(delay, self.cap)
        until = now + delay
        self.closed_until[host] = max(self.closed_until.get(host, 0.0), until)
        logger.info(
            "nianbao back-off: %s answered HTTP %d%s; waiting %.1f s before asking %s again",
            request.url,
            response.status,
            f" (Retry-After {retry_after:g})" if retry_after is not None else "",
            delay,
            host,
        )
        if self.stats is not None:
            self.stats.inc_value("nianbao/backoff/waits")
        retry = request.replace(dont_filter=True)
        retry.meta["nb_backoff"] = n
        return retry


def _is_block_page(response) -> bool:
    if len(response.body) > 20000:
        return False
    from .classify import block_page, head_title

    return block_page(head_title(response.body[:4000]))


def _sets_unsent_cookie(request, response) -> bool:
    """Does the response set a cookie (``name=value``) that the request did not send?"""
    set_cookies = {v.split(b";", 1)[0].strip() for v in response.headers.getlist(b"Set-Cookie")}
    sent = {
        part.strip().encode("latin-1")
        for value in request.headers.getlist(b"Cookie")
        for part in value.decode("latin-1").split(";")
    }
    return bool(set_cookies - sent - {b""})


class RedirectGuardMiddleware(_WithStats):
    """Redirects real portals use against crawlers, handled before RedirectMiddleware (600).

    * A 302 to the same URL that sets a cookie (openresty CT6T, docs/portals.md §11): Scrapy's
      dupefilter would drop the redirected request silently; it is let through whenever it sets
      a cookie the request did not send (the request goes back with it: progress; Scrapy's
      ``REDIRECT_MAX_TIMES`` bounds a server that sets a new one each time), and otherwise
      up to ``SELF_REDIRECTS`` times per URL.  Counting only would fail a request resumed from a
      killed session's JOBDIR: it carries the count of every session, each of which started
      with an empty cookie jar and so was sent the cookie again.
    * A redirect loop (A → B → A): logged as an error of its step, with the chain, instead of
      vanishing into the dupefilter.
    """

    SELF_REDIRECTS = 2

    def process_response(self, request, response, spider=None):
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        from urllib.parse import urljoin

        from scrapy.exceptions import IgnoreRequest

        target = urljoin(request.url, response.headers[b"Location"].decode("latin-1"))
        chain = list(request.meta.get("redirect_urls") or []) + [request.url]
        if target == request.url:
            n = request.meta.get("nb_self_redirects", 0) + 1
            if n <= self.SELF_REDIRECTS or _sets_unsent_cookie(request, response):
                request.meta["nb_self_redirects"] = n
                request.dont_filter = True  # copied onto the redirected request
                return response
        if target in chain:
            step = step_of(request)
            logger.warning(
                "nianbao %s failed: %s (redirect loop %s); the portal's redirects go round, "
                "report it to the portal or skip the link",
                step,
                chain[0],
                " → ".join(chain + [target]),
            )
            if self.stats is not None:
                self.stats.inc_value(f"nianbao/errors/{step}")
            raise IgnoreRequest(f"redirect loop at {request.url}")
        return response


# ------------------------------------------------------------------------------ legacy TLS


class TlsAuditMiddleware(_WithStats):
    """Log, once per host, an HTTPS certificate that would not pass verification.

    Scrapy does not verify certificates (its context factory accepts any), and the settings
    allow old protocol versions and ciphers (``DOWNLOADER_CLIENT_TLS_CIPHERS``), so a county
    server with a self-signed, expired or wrong-host certificate is crawled, not lost
    (docs/portals.md §11).  This middleware makes that visible: a WARNING naming the host and what
    is wrong, and ``nianbao/tls_untrusted`` in the stats.
    """

    def __init__(self, stats=None):
        super().__init__(stats)
        self.seen: set[str] = set()

    def process_response(self, request, response, spider=None):
        cert = getattr(response, "certificate", None)
        if cert is None or not response.url.startswith("https:"):
            return response
        from urllib.parse import urlsplit

        host = urlsplit(response.url).netloc.lower()
        if host in self.seen:
            return response
        self.seen.add(host)
        problems = certificate_problems(cert, urlsplit(response.url).hostname or "")
        if problems:
            logger.warning(
                "nianbao TLS: %s has an untrusted certificate (%s); fetched without "
                "verification. Check the portal's https setup, or crawl it over http.",
                host,
                "; ".join(problems),
            )
            if self.stats is not None:
                self.stats.inc_value("nianbao/tls_untrusted")
        return response


def certificate_problems(cert, hostname: str) -> list[str]:
    """What is wrong with a server certificate (a twisted/pyOpenSSL/cryptography one)."""
    import datetime
    import ipaddress

    from cryptography import x509

    original = getattr(cert, "original", cert)
    if hasattr(original, "to_cryptography"):
        original = original.to_cryptography()
    c: x509.Certificate = original
    problems = []
    if c.issuer == c.subject:
        problems.append("self-signed")
    now = datetime.datetime.now(datetime.UTC)
    if c.not_valid_after_utc < now:
        problems.append(f"expired {c.not_valid_after_utc:%Y-%m-%d}")
    elif c.not_valid_before_utc > now:
        problems.append(f"not valid before {c.not_valid_before_utc:%Y-%m-%d}")
    names: list = []
    with contextlib.suppress(x509.ExtensionNotFound):
        names = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    try:
        ip = ipaddress.ip_address(hostname)
        ok = any(isinstance(n, x509.IPAddress) and n.value == ip for n in names)
    except ValueError:
        dns = [n.value.lower() for n in names if isinstance(n, x509.DNSName)]
        h = hostname.lower()
        ok = any(d == h or (d.startswith("*.") and h.split(".", 1)[-1] == d[2:]) for d in dns)
    if hostname and not ok:
        problems.append(f"not issued for {hostname}")
    return problems
