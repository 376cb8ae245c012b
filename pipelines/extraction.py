"""Item pipeline: decode the page, strip its metadata header and chrome, keep the report."""
from __future__ import annotations

import logging

from pipelines.extract import extract_page

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def process_item(self, item, spider=None):
        content_type = item.headers.get("Content-Type", "")
        declared = content_type.partition("charset=")[2].strip() or None
        try:
            page = extract_page(item.body, item.url, declared_encoding=declared)
        except Exception as exc:  # a parser bug must not lose the page: it is still archived
            logger.error("extract failed for %s: %s; the raw page is archived, text is empty", item.url, exc)
            item.flags.append(f"extract_error: {exc}")
            return item
        item.encoding = page.encoding
        item.title = page.title or item.list_title
        item.meta = dict(page.meta)
        item.text = page.text
        item.main_html = page.main_html
        item.flags.extend(page.flags)
        return item
