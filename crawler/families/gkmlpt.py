"""Guangdong ``gkmlpt`` (docs/portals.md §6): the index is a Vue shell with ``window._CONFIG``
(``SID`` and the catalogue ``TREE``); the 年报 node's records come from
``…/gkmlpt/api/all/{catId}?page=N&sid={SID}`` as JSON.  Page size is the server's; pages are
counted from ``total`` and the first answer's length (page 0 repeats page 1, so start at 1)."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urljoin, urlsplit

from .. import classify
from ..limits import cap_count
from . import Link
from .api import Call, Page

NAME = "gkmlpt"
_CONFIG_RE = re.compile(r"window\._CONFIG\s*=\s*\{(?P<body>.*?)\}\s*;?\s*</script>", re.S)
_SID_RE = re.compile(r"""SID\s*:\s*['"]?(\w+)""")
_TREE_RE = re.compile(r"TREE\s*:\s*(\[.*\])\s*,\s*\w+\s*:", re.S)


def matches(text: str) -> bool:
    return "window._CONFIG" in text and "TREE" in text and "gkmlpt" in text


def _nodes(tree: list) -> list[dict]:
    out = []
    for node in tree or []:
        out.append(node)
        out += _nodes(node.get("children") or [])
    return out


def calls(text: str, url: str) -> list[Call]:
    m = _CONFIG_RE.search(text)
    if not m:
        return []
    sid, tree = _SID_RE.search(m["body"]), _TREE_RE.search(m["body"])
    if not sid or not tree:
        return []
    try:
        nodes = _nodes(json.loads(tree.group(1)))
    except ValueError:
        return []
    prefix = urlsplit(url).path.split("/gkmlpt/", 1)[0]  # "/dbz" for a unit's own platform site
    base = urljoin(url, prefix + "/gkmlpt/")
    return [
        Call(
            urljoin(base, f"api/all/{n['id']}?page=1&sid={sid.group(1)}"),
            NAME,
            1,
            extra=(("node", str(n["id"])), ("report_column", "1")),
        )
        for n in nodes
        if classify.is_report_column(n.get("name"))
    ]


def parse(body: str, call: Call) -> Page:
    try:
        data = json.loads(body)
    except ValueError:
        return Page()
    arts = data.get("articles") or []
    links = [
        Link(urljoin(call.url, a.get("post_url") or a["url"]), a.get("title") or "", a.get("date"))
        for a in arts
        if a.get("url") or a.get("post_url")
    ]
    page = Page(links)
    if call.page == 1 and arts:
        pages = math.ceil(cap_count(data.get("total"), 0) / len(arts))
        stem = call.url.replace("page=1&", "page={}&", 1)
        page.calls = [Call(stem.format(k), NAME, k, extra=call.extra) for k in range(2, pages + 1)]
    return page
