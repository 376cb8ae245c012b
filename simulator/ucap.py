"""开普云 UCAP portal (docs/portals.md §5): static ``list.shtml`` / ``list_2.shtml`` listings
(1-based), unit columns that are JSON shells (``<meta name="channelid">`` and a script calling
``/common/search/{channelId}?page=N&_isJson=true``), articles at
``/zwgk/c{channelId}/YYYYMM/<32hex>.shtml`` marked up with ``<ucaptitle>``/``<ucapcontent>``.
Units sit in sub-trees (乡镇/部门信息公开 → unit column).
"""

from __future__ import annotations

import hashlib
import json
from html import escape

from . import lite
from .model import Column, Response, Site

FAMILY = "ucap"
XXGK, TOWNS, DEPTS = "/zwgk/index.shtml", "/zwgk/xzxxgk/index.shtml", "/zwgk/bmxxgk/index.shtml"
API = "/common/search/"


def column_path(spec, unit) -> tuple[str, int]:
    ch = 100123 if unit.kind == "county" else 100200 + unit.index
    return f"/zwgk/c{ch}/list.shtml", ch


def article_path(spec, col: Column, published, article_id: int) -> str:
    h = hashlib.md5(f"{spec.name}-{article_id}".encode()).hexdigest()
    return f"/zwgk/c{col.col_id}/{published:%Y%m}/{h}.shtml"


def _wrap(art, content: str) -> str:
    return (
        f'<div id="zoomcon"><ucaptitle>{escape(art.title)}</ucaptitle>'
        f"<publishtime>{art.published.isoformat()} 09:00</publishtime><ucapcontent>{content}"
        "</ucapcontent></div>"
    )


def _links_page(site: Site, title: str, links) -> str:
    items = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for t, p in links)
    return lite.page(
        site, title, f'<div class="position">首页 &gt; {escape(title)}</div><ul>{items}</ul>', title
    )


def static_list(site: Site, col: Column, n: int) -> str | None:
    pages = max(1, -(-len(col.entries) // col.per_page))
    if n > pages:
        return None
    rows = col.entries[(n - 1) * col.per_page : n * col.per_page]
    items = "\n".join(lite.li(a.path, a) for a in rows)
    name = lambda k: "list.shtml" if k == 1 else f"list_{k}.shtml"  # noqa: E731
    pager = " ".join(f'<a href="{name(k)}">{k}</a>' for k in range(1, pages + 1))
    if n < pages:
        pager += f' <a href="{name(n + 1)}">下一页</a>'
    return lite.page(
        site, col.name, f'<ul class="list">{items}</ul><div class="page">{pager}</div>', col.name
    )


def json_shell(site: Site, col: Column) -> str:
    script = (
        f"<script>$.getJSON('{API}{col.col_id}?page=1&_pageSize={col.per_page}&_isAgg=true&_isJson=true"
        f"&_template=index', function(d){{ render(d.data.results); }});</script>"
    )
    body = (
        f'<div class="position">首页 &gt; {col.name}</div><ul id="list"></ul><div id="page">'
        f"</div>{script}"
    )
    return lite.page(
        site, col.name, body, col.name, head=f'\n<meta name="channelid" content="{col.col_id}">'
    )


def search_api(site: Site, channel: str, params: dict, root: str) -> Response:
    col = next((c for c in site.columns.values() if str(c.col_id) == channel), None)
    arts = col.entries if col is not None else []
    size = max(1, int(params.get("_pageSize") or 15))
    page = max(1, int(params.get("page") or 1))
    host = root.split("://", 1)[1].rstrip("/")
    results = [
        {
            "title": a.title,
            "url": f"//{host}{a.path}",
            "publishedTimeStr": f"{a.published} 09:00:00",
            "domainMetaList": [
                {
                    "resultList": [
                        {"key": "indexnumber", "value": a.header.get("index_no", "")},
                        {"key": "pubdate", "value": a.published.isoformat()},
                    ]
                }
            ],
        }
        for a in arts[(page - 1) * size : page * size]
    ]
    data = {
        "data": {
            "total": len(arts),
            "page": page,
            "rows": size,
            "channelId": channel,
            "results": results,
        }
    }
    return Response(
        200, "application/json;charset=UTF-8", json.dumps(data, ensure_ascii=False).encode()
    )


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    out = lambda html: lite.encode(site, html)  # noqa: E731
    units = site.units
    if path in ("/", "/index.shtml"):
        return out(
            lite.page(
                site,
                f"{site.county}人民政府",
                f'<a href="{XXGK}">政务公开</a> <a href="/xwzx/">新闻</a>',
            )
        )
    if path == XXGK:
        return out(
            _links_page(
                site,
                "政务公开",
                [
                    ("政府信息公开年报", units[0].column.path),
                    ("乡镇信息公开", TOWNS),
                    ("部门信息公开", DEPTS),
                ],
            )
        )
    if path == TOWNS:
        return out(
            _links_page(
                site,
                "乡镇信息公开",
                [(u.name, u.column.path) for u in units if u.kind == "township"],
            )
        )
    if path == DEPTS:
        return out(
            _links_page(
                site,
                "部门信息公开",
                [(u.name, u.column.path) for u in units if u.kind == "department"],
            )
        )
    if path.startswith(API):
        return search_api(site, path[len(API) :], params, root)
    for unit in units:
        d = unit.column.path.rsplit("/", 1)[0] + "/"
        if path.startswith(d) and path[len(d) :].startswith("list"):
            if unit.kind != "county":
                return out(json_shell(site, unit.column)) if path.endswith("/list.shtml") else None
            tail = path[len(d) :]
            n = 1 if tail == "list.shtml" else int(tail[5:-6]) if tail[5:-6].isdigit() else 0
            html = static_list(site, unit.column, n) if n >= 1 and tail != "list_1.shtml" else None
            return out(html) if html else None
    art = site.articles.get(path)
    if art is not None:
        return out(lite.article_page(site, art, root, wrap=_wrap))
    return None
