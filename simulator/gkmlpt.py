"""Guangdong 政府信息公开目录管理平台 ``gkmlpt`` (docs/portals.md §6), one platform "site" per unit
(§10.4 ``unitsites``): ``/{unit}/gkmlpt/index`` is a Vue shell whose ``window._CONFIG`` carries
``SID`` and the catalogue ``TREE``; records come from ``/{unit}/gkmlpt/api/all/{cat}?page=N&sid=``
(JSON; pages 0 and 1 are the same; the server's page size, not the client's); articles at
``/{unit}/gkmlpt/content/{id//1000000}/{id//1000}/post_{id}.html`` with ``_CONFIG.DETAIL``.
"""

from __future__ import annotations

import json
import re
from html import escape

from . import lite
from .model import Column, Response, Site

FAMILY = "gkmlpt"
PAGE_SIZE = 4
_API_RE = re.compile(r"^/(?:(?P<unit>\w+)/)?gkmlpt/api/all/(?P<cat>\d+)$")


def _prefix(unit) -> str:
    return "" if unit.kind == "county" else f"/{unit.slug}"


def column_path(spec, unit) -> tuple[str, int]:
    return f"{_prefix(unit)}/gkmlpt/index", 3001 + unit.index


def article_path(spec, col: Column, published, article_id: int) -> str:
    unit = col.path[: -len("/gkmlpt/index")]
    return (
        f"{unit}/gkmlpt/content/{article_id // 1000000}/{article_id // 1000}/post_{article_id}.html"
    )


def index(site: Site, unit) -> str:
    col = unit.column
    tree = [
        {"id": 2001, "name": "政府信息公开指南", "children": [], "post_count": 0},
        {"id": 2002, "name": "法定主动公开内容", "children": [], "post_count": 0},
        {
            "id": col.col_id,
            "name": "政府信息公开年报",
            "children": [],
            "post_count": len(col.entries),
        },
    ]
    config = (
        f"<script>window._CONFIG = {{ SID: '{760000 + unit.index}', "
        f"TREE: {json.dumps(tree, ensure_ascii=False)}, SERVICE_AREA_ID: 4420 }};</script>"
    )
    return lite.page(
        site,
        f"{unit.name}政府信息公开",
        f'<div id="app"></div>{config}'
        '<script src="/gkmlpt/gkml/pc/js/chunk-common.abc123.js"></script>',
        "政府信息公开",
    )


def api(site: Site, unit, cat: str, params: dict, root: str) -> Response:
    col = unit.column
    if cat != str(col.col_id) or params.get("sid") != str(760000 + unit.index):
        return Response(200, "application/json", b'{"articles":[],"total":0}')
    page = max(1, int(params.get("page") or 1))  # page 0 is page 1
    rows = col.entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    arts = [
        {
            "id": a.article_id,
            "title": a.title,
            "publisher": a.publisher,
            "identifier": a.header.get("index_no", ""),
            "date": a.published.isoformat(),
            "url": root.rstrip("/") + a.path,
            "attachment": [],
        }
        for a in rows
    ]
    data = {
        "classify": {"id": col.col_id, "name": "政府信息公开年报", "post_count": len(col.entries)},
        "articles": arts,
        "total": len(col.entries),
    }
    return Response(200, "application/json", json.dumps(data, ensure_ascii=False).encode())


def _detail(art) -> str:
    detail = {"id": art.article_id, "title": art.title, "content": lite.content_html(art)}
    text = json.dumps(detail, ensure_ascii=False).replace("<", "\\u003C").replace(">", "\\u003E")
    return f"<script>window._CONFIG = {{DETAIL: {text}}};</script>"


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    out = lambda html: lite.encode(site, html)  # noqa: E731
    units = site.units
    if path in ("/", "/index.html"):
        links = "".join(
            f'<li><a href="{u.column.path}">{escape(u.name)}政府信息公开</a></li>'
            for u in units[1:]
        )
        body = (
            '<a href="/gkmlpt/index">政府信息公开</a><div class="bmxxgk"><h3>部门和乡镇信息公开'
            "</h3>"
            f"<ul>{links}</ul></div>"
        )
        return out(lite.page(site, f"{site.county}人民政府", body, "首页"))
    for unit in units:
        if path == unit.column.path:
            return out(index(site, unit))
    m = _API_RE.match(path)
    if m:
        unit = next(
            (u for u in units if (u.slug if u.kind != "county" else None) == m["unit"]), None
        )
        return api(site, unit, m["cat"], params, root) if unit is not None else None
    art = site.articles.get(path)
    if art is not None:
        return out(lite.article_page(site, art, root, head=_detail(art)))
    return None
