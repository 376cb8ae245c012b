"""开普云 UCAP listings (docs/portals.md §5): static ``list.shtml``/``list_N.shtml`` pages (1-based;
the generic pager reads their links) and JSON shells whose records come from
``/common/search/{channelId}?page=N&_isJson=true`` (or ``/searchList/{guid}``)."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..limits import cap_count
from . import Link
from .api import Call, Page

NAME = "ucap"
_API_RE = re.compile(r"""['"](/(?:common/search|searchList)/[\w-]+\?[^'"]*)['"]""")
_CHANNEL_RE = re.compile(r"""<meta\s+name=["']channelid["']\s+content=["']([\w-]+)["']""", re.I)


def matches(text: str) -> bool:
    return bool(_API_RE.search(text) or _CHANNEL_RE.search(text) or "<ucapcontent" in text.lower())


def calls(text: str, url: str) -> list[Call]:
    """Page 1 of the search API the shell's script calls (or that its channelid implies)."""
    m = _API_RE.search(text)
    if m:
        api = urljoin(url, m.group(1))
    else:
        ch = _CHANNEL_RE.search(text)
        if not ch or "<ul" not in text:
            return []
        api = urljoin(
            url, f"/common/search/{ch.group(1)}?page=1&_pageSize=15&_isAgg=true&_isJson=true"
        )
    return [Call(_with(api, page=1, _isJson="true"), NAME, 1)]


def _with(url: str, **params) -> str:
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query, keep_blank_values=True))
    q.update({k: str(v) for k, v in params.items()})
    return urlunsplit(parts._replace(query=urlencode(q)))


def parse(body: str, call: Call) -> Page:
    try:
        data = json.loads(body).get("data") or {}
    except (ValueError, AttributeError):
        return Page()
    links = [
        Link(
            urljoin(call.url, r["url"]),
            r.get("title") or "",
            (r.get("publishedTimeStr") or "")[:10] or None,
        )
        for r in data.get("results") or []
        if r.get("url")
    ]
    page = Page(links)
    if call.page == 1 and links:
        rows = cap_count(data.get("rows"), len(links)) or len(links)
        pages = math.ceil(cap_count(data.get("total"), 0) / rows)
        page.calls = [Call(_with(call.url, page=k), NAME, k) for k in range(2, pages + 1)]
    return page
