"""The one item type the crawl produces: a report page and everything learned about it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Attachment:
    """A file a report page links as its 附件 (PDF, Word, spreadsheet …), fetched with the page."""

    url: str  # final URL after redirects
    link_text: str = ""  # the link as the page shows it ("附件：XX年报.pdf")
    request_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""  # exactly what the server sent
    fetched_at: str | None = None
    error: str | None = None  # why it could not be fetched (then body is empty)
    # Filled by ExtractPipeline and ArchivePipeline.
    kind: str | None = None  # pdf, docx, doc … as sniffed from the bytes
    text: str | None = None  # the converted text, in the page's text shape
    sha256: str | None = None
    raw_key: str | None = None
    flags: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """Everything but the bytes and the text: for capture records and feeds."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("body", "text")
        }


def _attachment_records(attachments: list[Attachment]) -> list[dict[str, Any]]:
    return [a.record() for a in attachments]


@dataclass
class ReportPage:
    # Filled by the spider.
    url: str  # final URL after redirects
    portal: str  # registry name, or the host when crawled by URL
    body: bytes = b""  # exactly what the server sent (after transfer decoding)
    request_url: str | None = None
    listing_url: str | None = None
    list_title: str | None = None  # the title as the listing showed it (often truncated)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str | None = None  # ISO 8601 UTC
    # Why discovery took the page for a report (kinds.decide): the signals (fixed sections,
    # statistical tables, the page's own title, its files), the year it read, how it was found.
    evidence: dict[str, Any] = field(default_factory=dict)
    # Other URLs the same report was met under (redirects, the other scheme, a copy).
    aliases: list[str] = field(default_factory=list)
    # The page's 附件 links, fetched; feeds get their records, not their bytes.
    attachments: list[Attachment] = field(
        default_factory=list, metadata={"serializer": _attachment_records}
    )

    # Filled by ExtractPipeline.
    encoding: str | None = None
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    main_html: str | None = None
    text_source: str | None = None  # "page", or the URL of the attachment the report text is from

    # Filled by NormalizePipeline.
    report_year: int | None = None
    org_name: str | None = None
    report: dict[str, Any] | None = None

    # Filled by ArchivePipeline.
    sha256: str | None = None
    raw_key: str | None = None
    text_key: str | None = None
    meta_key: str | None = None
    report_key: str | None = None
    change: str | None = None  # new | changed | unchanged since the URL's last capture

    flags: list[str] = field(default_factory=list)
