"""Conditional re-crawls: ask the portal whether a report changed instead of fetching it again.

`ConditionalRequestMiddleware` (a downloader middleware, DOWNLOADER_MIDDLEWARES at 930: below
the WARC wire middleware at 950, above every other) works from the catalog's ``validators``
table, which CatalogPipeline fills with the ETag and Last-Modified each report page and
attachment last answered with:

* a request that is **conditional** gets ``If-None-Match`` / ``If-Modified-Since`` when the
  catalog has validators for its URL.  Which requests are conditional: the one a spider marks
  with ``meta["nianbao_conditional"] = True`` (``False`` forbids it); without the key, the
  requests of the report and attachment steps (``meta["nb_step"]`` ``report`` /
  ``attachment``).  Listing pages are never conditional: they are re-fetched every run, since
  that is where new reports show up;
* a **304** to such a request becomes the 200 the server would have sent, rebuilt from the
  stored headers and the bytes under ``raw/`` (flag ``nianbao_not_modified``): the spider reads
  it as before, the pipelines see unchanged bytes and reuse the stored text and report
  (pipelines/reuse.py), and the WARC keeps the 304 as it came;
* with ``RECRAWL_MAX_AGE`` (seconds, 0 = off), a conditional URL last fetched less than that
  ago is not fetched at all: the stored answer stands in for it (flag ``nianbao_skipped``), no
  capture record or WARC record is written, and the run summary counts it as skipped;
* a 404 / 410, or a soft 404 (a 200 page titled as an error page, crawler.classify), on a URL
  the catalog holds as a report page is noted as **gone** (the run report records it in the
  catalog with the date it was last seen).

Stats: ``nianbao/recrawl/conditional`` (requests sent with validators), ``…/not_modified``,
``…/skipped``, ``…/gone``.  Settings: RECRAWL_CONDITIONAL (on), RECRAWL_MAX_AGE.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, TextResponse
from scrapy.responsetypes import responsetypes

from crawler import settings as defaults
from crawler.classify import head_title, soft_error
from crawler.limits import page_head
from pipelines.reuse import recrawl_ledger
from pipelines.store import crawler_storage, in_thread
from pipelines.warc import WIRE
from storage import StoreError, keys
from storage.catalog import Validators

logger = logging.getLogger(__name__)

META_KEY = "nianbao_conditional"
#: steps whose requests are conditional unless a spider says otherwise (META_KEY)
CONDITIONAL_STEPS = ("report", "attachment")
NOT_MODIFIED = "nianbao_not_modified"
SKIPPED = "nianbao_skipped"
_SENT = "nb_conditional_sent"


def _age_seconds(fetched_at: str) -> float:
    then = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    return (datetime.now(UTC) - then).total_seconds()


class ConditionalRequestMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.max_age = crawler.settings.getfloat("RECRAWL_MAX_AGE", defaults.RECRAWL_MAX_AGE)
        self.stats = crawler.stats
        self.ledger = recrawl_ledger(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RECRAWL_CONDITIONAL", defaults.RECRAWL_CONDITIONAL):
            raise NotConfigured("RECRAWL_CONDITIONAL is off")
        return cls(crawler)

    @property
    def storage(self):
        return crawler_storage(self.crawler)

    @staticmethod
    def conditional(request) -> bool:
        flag = request.meta.get(META_KEY)
        if flag is not None:
            return bool(flag)
        return (
            request.method == "GET"
            and request.meta.get("nb_step") in CONDITIONAL_STEPS
            and not request.meta.get("playwright")
        )

    async def process_request(self, request, spider=None):
        if not self.conditional(request):
            return None
        found = self.storage.catalog.validators_of(request.url)  # one index probe
        if found is None:
            return None
        if self.max_age and _age_seconds(found.fetched_at) < self.max_age:
            response = await self._stored(request, found, SKIPPED)
            if response is not None:
                if request.meta.get("nb_step") != "attachment":
                    self.ledger.skipped[request.url] = request.meta.get("nb_portal") or ""
                self.stats.inc_value("nianbao/recrawl/skipped")
                return response
        if found.etag:
            request.headers["If-None-Match"] = found.etag
        if found.last_modified:
            request.headers["If-Modified-Since"] = found.last_modified
        if found.etag or found.last_modified:
            request.meta[_SENT] = found  # the 304 is read with these (no second catalog probe)
            self.stats.inc_value("nianbao/recrawl/conditional")
        return None

    async def process_response(self, request, response, spider=None):
        if SKIPPED in response.flags:
            request.meta.pop(WIRE, None)  # not fetched: nothing for the WARC
            return response
        if response.status == 304 and request.meta.get(_SENT):
            found = request.meta[_SENT]
            if not isinstance(found, Validators):  # a request queued by an older crawler
                found = self.storage.catalog.validators_of(request.url)
            rebuilt = await self._stored(request, found, NOT_MODIFIED, response) if found else None
            if rebuilt is None:
                # The stored bytes are not at hand: ask again, unconditionally.
                logger.warning(
                    "recrawl: %s answered 304 but its stored copy cannot be read; fetching it "
                    "again in full",
                    request.url,
                )
                retry = request.replace(dont_filter=True)
                for name in ("If-None-Match", "If-Modified-Since"):
                    retry.headers.pop(name, None)
                retry.meta[META_KEY] = False
                retry.meta.pop(_SENT, None)
                return retry
            self.ledger.not_modified.add(request.url)
            self.stats.inc_value("nianbao/recrawl/not_modified")
            return rebuilt
        if request.meta.get("nb_step") == "report":
            why = self._gone(response)
            if why and self.storage.catalog.last_capture(request.url) is not None:
                self.ledger.gone[request.url] = (request.meta.get("nb_portal"), why)
                self.stats.inc_value("nianbao/recrawl/gone")
        return response

    @staticmethod
    def _gone(response) -> str | None:
        """Why a report page's answer says the report is gone: 404 / 410, or a soft 404 (a 200
        page titled as an error page)."""
        if response.status in (404, 410):
            return f"HTTP {response.status}"
        if response.status == 200 and isinstance(response, TextResponse):
            # From the first MAX_PAGE_BYTES, as bytes: this runs before BoundedPageMiddleware,
            # and a selector here would decode and parse all of a 50 MB page in the reactor.
            content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
            title = head_title(page_head(response.body), content_type or None)
            reason = soft_error(title) if title else None
            if reason:
                return f"soft 404: {reason}"
        return None

    async def _stored(self, request, found, flag: str, not_modified=None):
        """The response as the catalog remembers it: stored headers (updated by a 304's own
        validators, RFC 9111 section 4.3.4) and the stored bytes."""
        try:
            body = await in_thread(self.storage.store.get, keys.raw_key(found.sha256))
        except (KeyError, StoreError) as exc:
            logger.debug("recrawl: no stored bytes for %s: %s", request.url, exc)
            return None
        headers = Headers(found.headers)
        if not_modified is not None:
            for name in ("ETag", "Last-Modified", "Date", "Cache-Control", "Expires"):
                if name in not_modified.headers:
                    headers[name] = not_modified.headers[name]
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=found.status or 200,
            headers=headers,
            body=body,
            request=request,
            flags=[flag],
            protocol=getattr(not_modified, "protocol", None),
            ip_address=getattr(not_modified, "ip_address", None),
        )
