"""Report normalizer: a report's HTML or text in, the normalized report dict out.

Pure parsing, no I/O. See docs/report-schema.md for the output contract.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .report import from_html, from_text, from_tree
from .tables import Record

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["normalize_html", "normalize_text", "normalize_tree"]


def normalize_html(
    html: str, *, source: str, title: str | None = None, meta: Record | None = None
) -> Record:
    """Normalize a report page's main HTML; falls back to its text when it has no usable tables."""
    return from_html(html, source=source, title=title, meta=meta)


def normalize_tree(
    root: etree._Element, *, source: str, title: str | None = None, meta: Record | None = None
) -> Record:
    """``normalize_html`` of a report body already parsed (the extractor's main element, an lxml
    element), so the HTML is not serialized and parsed a second time; ``root`` is not changed."""
    return from_tree(root, source=source, title=title, meta=meta)


def normalize_text(
    text: str, *, source: str, title: str | None = None, meta: Record | None = None
) -> Record:
    """Normalize a report given as text (TAB rows, cell-per-line or pipe dumps)."""
    return from_text(text, source=source, title=title, meta=meta)
