"""大汉 Hanweb JPaaS / 集约化 (docs/portals.md §3): the column page ``/col/col{id}/index.html``
is an empty shell with ``<div id="pagination" count rows pageNo unitUrl queryData>``; its list comes
from ``/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&…&pageNo=N``
as ``{"data":{"html":"<li>…"}}``.  Articles at ``/art/{YYYY}/art_{32hex}.html``.  The county
column lists every unit's report (§10.4 ``summary``)."""

from __future__ import annotations

import hashlib
import json
from html import escape

from . import lite
from .model import Column, Response, Site

FAMILY = "jpaas"
UNIT_API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
TAG = "当前栏目列表"
TPL = "kUBgP3Qz"


def column_path(spec, unit) -> tuple[str, int]:
    col = 1229000088 + unit.index
    return f"/col/col{col}/index.html", col


def article_path(spec, col: Column, published, article_id: int) -> str:
    return (
        f"/art/{published.year}/art_"
        f"{hashlib.md5(f'{spec.name}-{article_id}'.encode()).hexdigest()}.html"
    )


DATACALL = "/module/datacall/nbList.do"


def datacall_shell(site: Site, col: Column) -> str:
    """A Jinan/Tianjin-style "datacall" shell (docs/portals.md §1.3 variant 3): the records come
    from an endpoint the page's script only builds at run time, so no parser can read it off the
    page."""
    import base64

    enc = base64.b64encode(f"{DATACALL}?c={col.col_id}".encode()).decode()
    script = (
        f"<script>fetch(atob('{enc}')).then(function(r){{return r.json();}}).then(function(d){{"
        "document.querySelector('.list-box').innerHTML=d.data.html;});</script>"
    )
    body = (
        '<div class="bt-position">当前位置：<a href="/">首页</a> &gt; 政府信息公开 &gt; '
        f"{col.name}</div>"
        f'<div class="list-box"></div>{script}'
    )
    return lite.page(site, col.name, body, col.name)


def shell(site: Site, col: Column) -> str:
    if site.spec.options.get("datacall"):
        return datacall_shell(site, col)
    q = f"{{'webId':'{site.webid}','pageId':'{col.col_id}','tagId':'{TAG}','tplSetId':'{TPL}'}}"
    body = (
        '<div class="bt-position">当前位置：<a href="/">首页</a> &gt; 政府信息公开 &gt; '
        f"{col.name}</div>"
        f'<div class="list-box"></div><div id="pagination" count="{len(col.entries)}" '
        f'rows="{col.per_page}" '
        f'pageNo="1" unitUrl="{UNIT_API}" queryData="{escape(q)}"></div><script '
        'src="/js/page.js"></script>'
    )
    return lite.page(site, col.name, body, col.name)


def unit_api(site: Site, params: dict, root: str) -> Response:
    col = next((c for c in site.columns.values() if str(c.col_id) == params.get("pageId")), None)
    if col is None or params.get("parseType") != "bulidstatic" or params.get("tagId") != TAG:
        return Response(200, "application/json", b'{"code":400,"data":null}')
    rows = max(1, int(params.get("rows") or 15))
    k = max(1, int(params.get("pageNo") or 1))
    html = (
        "<ul>"
        + "".join(
            f'<li><a title="{escape(a.title)}" href="{a.path}" target="_blank">'
            f"{escape(a.title[:16])}…</a><b>{a.published}</b></li>"
            for a in col.entries[(k - 1) * rows : k * rows]
        )
        + "</ul>"
    )
    return Response(
        200,
        "application/json;charset=UTF-8",
        json.dumps({"code": 200, "data": {"html": html}}, ensure_ascii=False).encode(),
    )


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    out = lambda html: lite.encode(site, html)  # noqa: E731
    county = site.units[0]
    if path in ("/", "/index.html"):
        return out(
            lite.page(
                site,
                f"{site.county}人民政府",
                '<a href="/col/col1229000001/index.html">政府信息公开</a>',
            )
        )
    if path == "/col/col1229000001/index.html":
        return out(
            lite.page(
                site,
                "政府信息公开",
                f'<ul><li><a href="{county.column.path}">政府信息公开年报</a></li>'
                '<li><a href="/col/col1229000002/index.html">政府信息公开指南</a></li></ul>',
                "政府信息公开",
            )
        )
    if path == UNIT_API:
        return unit_api(site, params, root)
    if path == DATACALL and site.spec.options.get("datacall"):
        col = next((c for c in site.columns.values() if str(c.col_id) == params.get("c")), None)
        html = "".join(
            f'<li><a href="{a.path}" title="{escape(a.title)}">{escape(a.title)}</a></li>'
            for a in (col.entries if col else [])
        )
        return Response(
            200,
            "application/json",
            json.dumps({"data": {"html": f"<ul>{html}</ul>"}}, ensure_ascii=False).encode(),
        )
    for unit in site.units:
        if path == unit.column.path:
            return out(shell(site, unit.column))
    art = site.articles.get(path)
    if art is not None:
        return out(lite.article_page(site, art, root))
    return None
