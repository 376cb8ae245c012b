"""Item pipeline: decode the page, strip its metadata header and chrome, keep the report; read
its attachments, and take the report text from one of them when the page itself does not
carry the report (a page that only links its PDF)."""

from __future__ import annotations

import logging
import re

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool

from crawler import settings as defaults
from crawler.limits import page_head
from pipelines.offload import ParsePool, crawler_parse_pool
from pipelines.reuse import reused
from reports.extract.attachments import attachment_filename, convert_isolated
from reports.reading import ReportReading, read_report_page

logger = logging.getLogger(__name__)

# A table row with numbers in it: what tables 二–四 are made of.
_NUMERIC_ROW = re.compile(r"^[^\t\n]*\t.*\d", re.MULTILINE)
# Attachment flags that are problems with the file (not just a description of it).
_PROBLEMS = (
    "corrupt",
    "refused",
    "failed",
    "timeout",
    "converter_missing",
    "unsupported",
    "no_text",
    "truncated",
    "tables_approximate",
)


_PAGE_REPORT = "_nb_page_report"  # on an item: its page's ReportReading (not a field)


def take_page_report(item) -> ReportReading | None:
    """The report read together with the page (one parse, reports.reading), while the item's
    text is still the page's own; None once an attachment or the body document gave the text
    (then the normalizer reads that text).  The item lets go of it."""
    reading = getattr(item, "__dict__", {}).pop(_PAGE_REPORT, None)
    return reading if reading is not None and item.text_source == "page" else None


def table_rows(text: str) -> int:
    return len(_NUMERIC_ROW.findall(text or ""))


def _declared(content_type: str) -> str | None:
    """The Content-Type as the decoder reads it (reports/extract/encoding.py finds the charset)."""
    return content_type or None


def _read(
    body: bytes, url: str, declared: str | None, list_title: str | None
) -> ReportReading | Exception:
    try:
        return read_report_page(body, url, declared, list_title)
    except Exception as exc:  # a parser bug must not lose the page: it is still archived
        return exc


class ExtractPipeline:
    #: documents converted at once, each in a child process.  Their threads are a pool of their
    #: own: a LibreOffice conversion can take a minute, and the reactor's pool resolves DNS.
    CONVERSIONS = 2

    def __init__(
        self, max_page_bytes: int = 2 * 1024**2, parse_pool: ParsePool | None = None
    ) -> None:
        self._pool = None
        self.max_page_bytes = max_page_bytes
        self.parse_pool = parse_pool

    @classmethod
    def from_crawler(cls, crawler):
        max_bytes = crawler.settings.getint("MAX_PAGE_BYTES", defaults.MAX_PAGE_BYTES)
        return cls(max_bytes, crawler_parse_pool(crawler))

    async def process_item(self, item, spider=None):
        if (
            reused(item) is not None
        ):  # unchanged since its last capture: read then (pipelines/reuse.py)
            return item
        body = self._bounded(item)
        args = (body, item.url, _declared(item.headers.get("Content-Type", "")), item.list_title)
        if self.parse_pool is None:
            reading = _read(*args)
        else:
            # in a worker process (a big page: in the child of its own; a page cut at
            # MAX_PAGE_BYTES: in the niced background process), so the reactor goes on
            try:
                reading = await self.parse_pool.run(
                    read_report_page, *args, size=len(body), background=body is not item.body
                )
            except Exception as exc:  # the worker died, or a parser bug: the page is still archived
                reading = exc
        self.apply_reading(item, reading)
        if getattr(item, "attachments", None) or self._body_is_a_document(item):
            from twisted.internet import reactor

            # Scrapy 2.19 deprecates pipelines returning Deferreds: await it as a future.
            return await maybe_deferred_to_future(
                deferToThreadPool(reactor, self._threads(), self.read_documents, item)
            )
        return item

    def _threads(self):
        if self._pool is None:
            from twisted.internet import reactor
            from twisted.python.threadpool import ThreadPool

            self._pool = ThreadPool(0, self.CONVERSIONS, name="nianbao-convert")
            self._pool.start()
            reactor.addSystemEventTrigger("during", "shutdown", self._stop)
        return self._pool

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool = None

    def close_spider(self, spider=None) -> None:
        self._stop()  # every item is through by now: Scrapy waits for them before closing

    def extract(self, item):
        """All of it in this thread (tests, scripts)."""
        self.read_page(item)
        return self.read_documents(item)

    def _bounded(self, item) -> bytes:
        """The part of the page that is parsed: all of it, or its first MAX_PAGE_BYTES (the whole
        page is archived either way; ArchivePipeline stores ``item.body``)."""
        head = page_head(item.body, self.max_page_bytes)
        if head is item.body:
            return head
        item.flags.append(
            f"truncated:parsed the first {len(head)} of {len(item.body)} bytes (MAX_PAGE_BYTES)"
        )
        logger.warning(
            "page %s is %d bytes, over MAX_PAGE_BYTES=%d: archived whole, its first %d bytes read",
            item.url,
            len(item.body),
            self.max_page_bytes,
            len(head),
        )
        return head

    def read_page(self, item) -> None:
        self.apply_reading(
            item,
            _read(
                self._bounded(item),
                item.url,
                _declared(item.headers.get("Content-Type", "")),
                item.list_title,
            ),
        )

    def apply_reading(self, item, reading: ReportReading | Exception) -> None:
        """The page's fields from its reading; its report waits for NormalizePipeline."""
        if isinstance(reading, Exception):
            self.apply_page(item, reading)
            return
        self.apply_page(item, reading.page)
        item.__dict__[_PAGE_REPORT] = reading

    def apply_page(self, item, page) -> None:
        """Fill the item from the extracted page, or flag it when extraction failed."""
        item.text_source = "page"
        if isinstance(page, Exception):
            logger.error(
                "extract failed for %s: %s; the raw page is archived, text is empty", item.url, page
            )
            item.flags.append(f"extract_error: {page}")
            return
        item.encoding = page.encoding
        item.title = page.title or item.list_title
        item.meta = dict(page.meta)
        item.text = page.text
        item.main_html = page.main_html
        item.flags.extend(page.flags)

    def read_documents(self, item):
        if self._body_is_a_document(item):
            self.read_body_document(item)
        self.read_attachments(item)
        return item

    @staticmethod
    def _body_is_a_document(item) -> bool:
        return any(f.startswith("not_html:") for f in item.flags) and bool(item.body)

    def read_body_document(self, item) -> None:
        """The report URL answered with the document itself (a PDF, a .doc …): read it."""
        converted = self._convert(
            item.url,
            item.body,
            attachment_filename(item.url, item.list_title or ""),
            item.headers.get("Content-Type", ""),
            item.url,
        )
        if converted is None:
            return
        item.flags.extend(f for f in converted.flags if f not in item.flags)
        if converted.text:
            item.text, item.main_html, item.text_source = converted.text, "", item.url

    @staticmethod
    def _convert(url: str, body: bytes, name: str, content_type: str, page_url: str):
        try:
            return convert_isolated(body, name, content_type)
        except Exception as exc:  # the child could not even start: keep the file, say why
            logger.error(
                "document %s of %s could not be converted: %s; its bytes are archived",
                url,
                page_url,
                exc,
            )
            return None

    def read_attachments(self, item) -> None:
        """Convert every fetched attachment; when one carries the report's tables and the page
        does not, the report text is the page's text followed by that attachment's."""
        best = None
        for att in item.attachments:
            if att.error:
                item.flags.append(f"attachment_not_fetched:{att.url}")
                continue
            converted = self._convert(
                att.url,
                att.body,
                attachment_filename(att.url, att.link_text),
                att.headers.get("Content-Type", ""),
                item.url,
            )
            if converted is None:
                att.flags.append("failed:convert")
                continue
            att.kind, att.text, att.flags = converted.kind, converted.text, list(converted.flags)
            problems = [f for f in att.flags if f.startswith(_PROBLEMS)]
            if problems:
                logger.warning("attachment %s of %s: %s", att.url, item.url, ", ".join(problems))
            if att.text and (best is None or table_rows(att.text) > table_rows(best.text)):
                best = att
        page_rows = table_rows(item.text)
        if best is not None and table_rows(best.text) > page_rows:
            item.text = "\n".join(t for t in (item.text, best.text) if t)
            item.main_html = ""  # the normalizer reads the text: the tables are not in the HTML
            item.text_source = best.url
        elif page_rows == 0 and any("no_text" in a.flags for a in item.attachments):
            # The report is a scan (or an image): archived, but nothing could be read from it.
            item.flags.append("no_text")
