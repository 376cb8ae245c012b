"""龙讯 Lonsun ``/public/`` 信息公开 platform (docs/portals.md §7), one organ per unit (§10.4
``unitsites``): ``/public/column/{organId}?type=4&catId={catId}&action=list&pageIndex=N`` lists
a unit's 年报 catalogue; the pager is a ``<div class="pagination" data-total data-page-index
data-page-size>`` drawn by script (no page links in the HTML); details at
``/public/{organId}/{contentId}.html`` with a 组配分类 header."""

from __future__ import annotations

from html import escape

from . import lite
from .model import Column, Response, Site

FAMILY = "lonsun"
SITE_ID = 6781961
CAT = 7001


def _organ(unit) -> int:
    return SITE_ID + 10 * unit.index


def column_path(spec, unit) -> tuple[str, int]:
    return f"/public/column/{_organ(unit)}", _organ(unit)


def _list_url(unit, k: int = 1) -> str:
    return f"/public/column/{_organ(unit)}?type=4&catId={CAT}&action=list&pageIndex={k}"


def article_path(spec, col: Column, published, article_id: int) -> str:
    return f"/public/{col.col_id}/{article_id}.html"


def _links(site: Site, title: str, links, column: str | None = None) -> str:
    items = "".join(f'<li><a href="{escape(p)}">{escape(t)}</a></li>' for t, p in links)
    return lite.page(
        site,
        title,
        f'<div class="position">首页 &gt; {escape(title)}</div><ul>{items}</ul>',
        column or title,
    )


def listing(site: Site, unit, k: int) -> str:
    col = unit.column
    rows = col.entries[(k - 1) * col.per_page : k * col.per_page]
    items = "\n".join(lite.li(a.path, a) for a in rows)
    body = (
        f'<div class="position">首页 &gt; {escape(unit.name)} &gt; 政府信息公开年报</div>'
        f'<ul class="clearfix xxgk_nav_list">{items}</ul>'
        f'<div class="pagination" data-total="{len(col.entries)}" data-page-index="{k}" '
        f'data-page-size="{col.per_page}"></div><script src="/assets/js/page.js"></script>'
    )
    return lite.page(site, "政府信息公开年报", body, "政府信息公开年报")


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    out = lambda html: lite.encode(site, html)  # noqa: E731
    units = site.units
    if path in ("/", "/index.html"):
        return out(
            lite.page(
                site,
                f"{site.county}人民政府",
                '<a href="/public/xxgk.html">政府信息公开</a>',
                "首页",
            )
        )
    if path == "/public/xxgk.html":
        return out(
            _links(
                site,
                "政府信息公开",
                [
                    ("政府信息公开年报", _list_url(units[0])),
                    ("乡镇信息公开", "/public/xzxxgk.html"),
                    ("部门信息公开", "/public/bmxxgk.html"),
                ],
            )
        )
    for kind, page_path, name in (
        ("township", "/public/xzxxgk.html", "乡镇信息公开"),
        ("department", "/public/bmxxgk.html", "部门信息公开"),
    ):
        if path == page_path:
            return out(
                _links(
                    site,
                    name,
                    [
                        (u.name, f"/public/column/{_organ(u)}?type=4&action=index")
                        for u in units
                        if u.kind == kind
                    ],
                )
            )
    for unit in units:
        if path == unit.column.path:
            if params.get("action") == "index":  # the unit's own platform home
                return out(
                    _links(
                        site,
                        f"{unit.name}信息公开",
                        [("机构职能", "/public/jgzn.html"), ("政府信息公开年报", _list_url(unit))],
                    )
                )
            if params.get("action") == "list" and params.get("catId") == str(CAT):
                k = int(params.get("pageIndex") or 1)
                if 1 <= k <= max(1, -(-len(unit.column.entries) // unit.column.per_page)):
                    return out(listing(site, unit, k))
            return None
    art = site.articles.get(path)
    if art is not None:
        return out(lite.article_page(site, art, root))
    return None
