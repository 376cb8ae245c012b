"""A portal built on no known CMS (ASP/PHP era): plain links, opaque ``/html/channel_N.html``
column URLs (the 年报 column is found only by its link text), ``?page=N`` paging with a
下一页 link that never ends (past the last page the last page comes back: a calendar-style
trap), a 上一月/下一月 calendar, and ``/show.php?id=N`` articles.  Units sit in sub-trees
(docs/portals.md §10.4 ``subtrees``).  The charset mode of its Spec serves the GBK variants.
"""

from __future__ import annotations

from html import escape

from . import lite
from .model import Column, Response, Site

FAMILY = "generic"
XXGK, TOWNS, DEPTS = "/html/channel_12.html", "/html/channel_40.html", "/html/channel_41.html"


def column_path(spec, unit) -> tuple[str, int]:
    col_id = 37 if unit.kind == "county" else 150 + 13 * unit.index
    return f"/html/channel_{col_id}.html", col_id


def article_path(spec, col: Column, published, article_id: int) -> str:
    return f"/show.php?id={article_id}"


def _unit_page(unit) -> str:
    return f"/html/unit_{unit.slug}.html"


def home(site: Site, root: str) -> str:
    body = (
        f'<div class="nav"><a href="/">首页</a> <a href="{XXGK}">政务公开</a> <a '
        'href="/html/channel_2.html">'
        f'新闻动态</a> <a href="/html/channel_3.html">走进{escape(site.county)}</a></div>'
        '<div class="box"><h3>通知公告</h3><ul><li><a href="/html/channel_4.html">更多</a></li>'
        "</ul></div>"
    )
    return lite.page(site, f"{site.county}人民政府", body, "首页", root=root)


def xxgk(site: Site) -> str:
    county = site.units[0]
    links = [
        ("政府信息公开指南", "/html/channel_30.html"),
        ("法定主动公开内容", "/html/channel_31.html"),
        ("政府信息公开年报", county.column.path),
        ("乡镇信息公开", TOWNS),
        ("部门信息公开", DEPTS),
    ]
    items = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for t, p in links)
    return lite.page(site, "政务公开", f'<div class="left"><ul>{items}</ul></div>', "政务公开")


def directory(site: Site, kind: str, name: str) -> str:
    items = "".join(
        f'<li><a href="{_unit_page(u)}">{escape(u.name)}</a></li>'
        for u in site.units
        if u.kind == kind
    )
    return lite.page(
        site, name, f'<div class="position">当前位置：首页 &gt; {name}</div><ul>{items}</ul>', name
    )


def unit_page(site: Site, unit) -> str:
    items = (
        f'<li><a href="/html/channel_9{len(unit.slug)}.html">机构职能</a></li>'
        f'<li><a href="{unit.column.path}">政府信息公开年报</a></li>'
    )
    return lite.page(site, f"{unit.name}信息公开", f"<ul>{items}</ul>", f"{unit.name}信息公开")


def column_page(site: Site, col: Column, page_no: int) -> str:
    pages = max(1, -(-len(col.entries) // col.per_page))
    k = min(page_no, pages)  # past the end: the last page again (the trap)
    rows = col.entries[(k - 1) * col.per_page : k * col.per_page]
    items = "\n".join(lite.li(a.path, a) for a in rows)
    pager = (
        f'<div class="pages">第{page_no}页 <a href="{col.path}?page=1">首页</a> '
        + (f'<a href="{col.path}?page={page_no - 1}">上一页</a> ' if page_no > 1 else "")
        + f'<a href="{col.path}?page={page_no + 1}">下一页</a></div>'
    )
    calendar = (
        '<div class="calendar"><a href="/calendar.php?month=2024-01">上一月</a> 2024年2月 '
        '<a href="/calendar.php?month=2024-03">下一月</a></div>'
    )
    body = (
        f'<div class="position">当前位置：首页 &gt; 政务公开 &gt; {col.name}</div>'
        f'<ul class="list">{items}</ul>{pager}{calendar}'
    )
    return lite.page(site, col.name, body, col.name)


def calendar(site: Site, month: str) -> str:
    y, m = (int(x) for x in month.split("-")) if "-" in month else (2024, 2)
    prev = f"{y - (m == 1)}-{12 if m == 1 else m - 1:02d}"
    nxt = f"{y + (m == 12)}-{1 if m == 12 else m + 1:02d}"
    return lite.page(
        site,
        f"{y}年{m}月",
        f'<a href="/calendar.php?month={prev}">上一月</a> '
        f'<a href="/calendar.php?month={nxt}">下一月</a>',
    )


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    def out(html: str) -> Response:
        return lite.encode(site, html)

    if path in ("/", "/index.html"):
        return out(home(site, root))
    if path == XXGK:
        return out(xxgk(site))
    if path == TOWNS:
        return out(directory(site, "township", "乡镇信息公开"))
    if path == DEPTS:
        return out(directory(site, "department", "部门信息公开"))
    if path in ("/html/channel_30.html", "/html/channel_31.html"):
        return out(
            lite.page(
                site,
                "政府信息公开指南" if path.endswith("30.html") else "法定主动公开内容",
                "<ul></ul>",
            )
        )
    if path == "/calendar.php":
        return out(calendar(site, params.get("month", "")))
    for unit in site.units:
        if path == _unit_page(unit):
            return out(unit_page(site, unit))
        if path == unit.column.path:
            try:
                n = max(1, int(params.get("page", "1")))
            except ValueError:
                n = 1
            return out(column_page(site, unit.column, n))
    if path == "/show.php":
        art = site.articles.get(f"/show.php?id={params.get('id', '')}")
        if art is not None:
            return out(lite.article_page(site, art, root))
    return None
