"""大汉 Hanweb JPaaS shells (docs/portals.md §3): an empty column whose ``#pagination``
element names the list API (``unitUrl``), its parameters (``queryData``, single-quoted JSON),
``count`` and ``rows``.  Every page is asked for at once (``pageNo`` 1…⌈count/rows⌉); each answer is
``{"data":{"html":"<li>…"}}``, an HTML fragment of records."""

from __future__ import annotations

import json
import math
import re
from html import unescape
from urllib.parse import urlencode, urljoin

from ..limits import cap_count
from . import generic
from .api import Call, Page

NAME = "jpaas"
_ATTR_RE = re.compile(r'(count|rows|unitUrl|queryData)="([^"]*)"', re.I)


def matches(text: str) -> bool:
    return "unitUrl=" in text and "queryData=" in text


def calls(text: str, url: str) -> list[Call]:
    attrs = {k.lower(): unescape(v) for k, v in _ATTR_RE.findall(text)}
    if "uniturl" not in attrs or "querydata" not in attrs:
        return []
    try:
        query = json.loads(attrs["querydata"].replace("'", '"'))
    except ValueError:
        return []
    rows = cap_count(attrs.get("rows"), 15) or 15  # "0" must not divide by zero
    # counts read from the page are capped (crawler/limits.py): count: 100000 queues no 100,000
    pages = max(1, math.ceil(cap_count(attrs.get("count"), rows) / rows))
    base = {
        "parseType": "bulidstatic",
        "webId": query.get("webId", ""),
        "tplSetId": query.get("tplSetId", ""),
        "pageType": "column",
        "tagId": query.get("tagId", ""),
        "editType": "null",
        "pageId": query.get("pageId", ""),
        "rows": rows,
    }
    api = urljoin(url, attrs["uniturl"])
    return [Call(f"{api}?{urlencode({**base, 'pageNo': k})}", NAME, k) for k in range(1, pages + 1)]


def parse(body: str, call: Call) -> Page:
    try:
        html = ((json.loads(body) or {}).get("data") or {}).get("html") or ""
    except (ValueError, AttributeError):
        return Page()
    return Page(generic.links(f"<html><body>{html}</body></html>", call.url)) if html else Page()
