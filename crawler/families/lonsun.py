"""龙讯 Lonsun ``/public/column/…&action=list&pageIndex=N`` listings (docs/portals.md §7): the first
page is plain HTML; the pager is a ``div.pagination`` with ``data-total``/``data-page-size`` and
no links, so the other pages are computed and asked for."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..limits import cap_count
from . import generic
from .api import Call, Page

NAME = "lonsun"
_PAGER_RE = re.compile(
    r'class="pagination"[^>]*data-total="(\d+)"[^>]*data-page-index="(\d+)"[^>]*'
    r'data-page-size="(\d+)"'
)


def matches(text: str) -> bool:
    return _PAGER_RE.search(text) is not None


def _page_url(url: str, k: int) -> str:
    parts = urlsplit(url)
    q = dict(parse_qsl(parts.query, keep_blank_values=True))
    q["pageIndex"] = str(k)
    return urlunsplit(parts._replace(query=urlencode(q)))


def calls(text: str, url: str) -> list[Call]:
    m = _PAGER_RE.search(text)
    if not m or "/public/column/" not in url or cap_count(m.group(2)) != 1:
        return []  # page 1 plans them all
    pages = math.ceil(cap_count(m.group(1), 0) / (cap_count(m.group(3), 1) or 1))
    return [Call(_page_url(url, k), NAME, k) for k in range(2, pages + 1)]


def parse(body: str, call: Call) -> Page:
    return Page(generic.links(body, call.url))
