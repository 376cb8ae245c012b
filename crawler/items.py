"""The one item type the crawl produces: a report page and everything learned about it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ReportPage:
    # Filled by the spider.
    url: str                       # final URL after redirects
    portal: str                    # registry name, or the host when crawled by URL
    body: bytes = b""              # exactly what the server sent (after transfer decoding)
    request_url: str | None = None
    listing_url: str | None = None
    list_title: str | None = None  # the title as the listing showed it (often truncated)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str | None = None  # ISO 8601 UTC

    # Filled by ExtractPipeline.
    encoding: str | None = None
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    main_html: str | None = None

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
    change: str | None = None      # new | changed | unchanged since the URL's last capture

    flags: list[str] = field(default_factory=list)
