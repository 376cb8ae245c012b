"""One report page read whole: extraction and normalization over one parse.

``read_report_page(body, url, declared_encoding, fallback_title)`` decodes and parses the page
once (``reports.extract.extract_main``) and normalizes the body container that parse found
(``reports.normalize.normalize_tree``), instead of serializing it as ``main_html`` and parsing
that again.  Bytes in, a ``ReportReading`` of plain data out: it is what the crawl's parse
workers return across the process boundary (pipelines/offload.py).

The report is of the page's own body.  When the report text later comes from an attachment
instead (pipelines/extraction.py), the caller normalizes that text and drops this report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .extract import ExtractedPage, extract_main
from .normalize import normalize_html, normalize_text, normalize_tree


@dataclass(frozen=True)
class ReportReading:
    page: ExtractedPage
    report: dict[str, Any] | None  # normalized from the page's body; None if that failed
    report_error: str = ""  # why the report is None ("" when it is not)


def read_report_page(
    body: bytes, url: str, declared_encoding: str | None = None, fallback_title: str | None = None
) -> ReportReading:
    """Extract the page and normalize its body, titled ``page.title or fallback_title`` (the
    link's text) as the crawl titles its item.  Raises only what ``extract_page`` would."""
    page, main = extract_main(body, url, declared_encoding)
    kw: dict[str, Any] = {
        "source": url,
        "title": page.title or fallback_title,
        "meta": dict(page.meta),
    }
    try:
        if main is not None:
            report = normalize_tree(main, **kw)
        elif page.main_html:  # a text page: its HTML is the extractor's own, one <p> per line
            report = normalize_html(page.main_html, **kw)
        else:
            report = normalize_text(page.text, **kw)
    except Exception as exc:  # a report we cannot read is data too: the caller flags it
        return ReportReading(page, None, f"{type(exc).__name__}: {exc}")
    return ReportReading(page, report)
