"""Articles whose page keeps the header fields and the body in a script's JSON (docs/portals.md §6,
§9.2 layout 10): Guangdong gkmlpt content pages carry
``window._CONFIG = {…, DETAIL: {"identifier": …, "publisher": …, "content": "\\u003Cp\\u003E…"}}``
and render them in the browser, so the HTML may hold only a partial header table and no body.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from lxml import etree

# The JSON object after "DETAIL:" inside a window._CONFIG assignment.
_DETAIL = re.compile(r"_CONFIG\s*=\s*\{.*?\bDETAIL\s*:\s*(?=\{)", re.S)
_MAX_SCRIPT_CHARS = 20_000_000

# gkmlpt DETAIL keys → canonical keys (docs/portals.md §6 lists the API's fields).  "date" is left
# out: which of 成文日期 and 发布日期 it holds differs between sites.
DETAIL_KEYS: dict[str, str] = {
    "identifier": "index_no",
    "document_number": "doc_number",
    "publisher": "publisher",
    "title": "title",
    "keywords": "keywords",
    "classify_main_name": "category",
    "display_publish_time": "published_date",
    "abstract": "summary",
}


def config_detail(root: etree._Element) -> dict[str, Any] | None:
    """The ``_CONFIG.DETAIL`` object of the page, or None."""
    for script in root.iter("script"):
        text = script.text or ""
        if "DETAIL" not in text or len(text) > _MAX_SCRIPT_CHARS:
            continue
        m = _DETAIL.search(text)
        if m is None:
            continue
        try:
            detail, _ = json.JSONDecoder().raw_decode(text, m.end())
        except ValueError:
            continue
        if isinstance(detail, dict):
            return detail
    return None


_CHINA = timezone(timedelta(hours=8))


def _epoch_date(value: str) -> str | None:
    """1705910400 (seconds) or 1705910400000 (ms) → the date in China, 2024-01-22."""
    if not value.isdigit() or len(value) not in (10, 13):
        return None
    seconds = int(value) / (1000 if len(value) == 13 else 1)
    return datetime.fromtimestamp(seconds, _CHINA).date().isoformat()


def detail_meta(detail: dict[str, Any]) -> dict[str, str]:
    """Canonical key → value as written, for the DETAIL fields that are header fields; an
    epoch timestamp becomes the date it is in China."""
    out = {}
    for name, key in DETAIL_KEYS.items():
        value = detail.get(name)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            text = str(value).strip()
            out[key] = (_epoch_date(text) or text) if key == "published_date" else text
    return out
