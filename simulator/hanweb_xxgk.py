"""大汉 Hanweb 信息公开目录 module (docs/portals.md §2): the 年报 column is a query form whose
script builds ``/module/xxgk/xxgkAnnualReport.jsp?fbtime={year}&area={unit code}`` from a year
``<select>`` and a unit ``<select>``; the answer is the module's result table
(``tr.tr_main_value_odd``/``even``, ``共N页``) linking ``/art/Y/M/D/art_C_N.html`` pages.
One platform, one code per unit (§10.4 ``unitsites``)."""

from __future__ import annotations

from html import escape

from . import lite
from .model import Column, Response, Site

FAMILY = "hanweb-xxgk"
REPORT_JSP = "/module/xxgk/xxgkAnnualReport.jsp"


def column_path(spec, unit) -> tuple[str, int]:
    col = 1229000100 + unit.index
    return f"/col/col{col}/index.html", col


def article_path(spec, col: Column, published, article_id: int) -> str:
    return (
        f"/art/{published.year}/{published.month}/{published.day}/art_{col.col_id}_{article_id}."
        "html"
    )


def form(site: Site) -> str:
    years = sorted({a.year for a in site.articles.values() if a.report}, reverse=True)
    y_opts = "".join(f'<option value="{y}">{y}年</option>' for y in years)
    a_opts = "".join(f'<option value="{u.code}">{escape(u.full)}</option>' for u in site.units)
    body = (
        f'<div class="bt-position">当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>'
        f'<form id="nbform"><select id="fbtime" name="fbtime">{y_opts}</select>'
        f'<select id="area" name="area">{a_opts}</select><a href="javascript:query()">查询</a>'
        "</form>"
        '<div id="result"></div><script>function query(){ '
        f'$("#result").load("{REPORT_JSP}?fbtime="'
        f'+$("#fbtime").val()+"&area="+$("#area").val()); }}</script>'
    )
    return lite.page(
        site,
        "政府信息公开年报",
        body,
        "政府信息公开年报",
        head='\n<script src="/module/jslib/jquery/jquery.js"></script>',
    )


def report_table(site: Site, year: str, area: str) -> str:
    unit = next((u for u in site.units if u.code == area), None)
    arts = (
        []
        if unit is None
        else [
            a
            for a in unit.column.entries
            if (getattr(a, "year", None) == int(year) if year.isdigit() else False)
            or (not a.report and a.published.year == int(year or 0) + 1)
        ]
    )
    rows = "".join(
        f'<tr class="tr_main_value_{"odd" if i % 2 == 0 else "even"}"><td>{i + 1}</td>'
        f'<td><a href="{a.path}" target="_blank" title="{escape(a.title)}">{escape(a.title)}</a>'
        "</td>"
        f"<td>{a.published}</td></tr>"
        for i, a in enumerate(arts)
    )
    return (
        '<table class="tb_main"><tr class="tr_main_title"><td>序号</td><td>名称</td><td>'
        "发布日期</td></tr>"
        f'{rows}</table><div class="page">共{len(arts)}条记录&nbsp;&nbsp;共1页&nbsp;</div>'
    )


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    out = lambda html: lite.encode(site, html)  # noqa: E731
    county = site.units[0]
    if path in ("/", "/index.html"):
        return out(
            lite.page(
                site,
                f"{site.county}人民政府",
                '<a href="/col/col1229000001/index.html">政府信息公开</a>'
                '<div class="footer">Produced By 大汉网络 大汉版通发布系统</div>',
            )
        )
    if path == "/col/col1229000001/index.html":
        return out(
            lite.page(
                site,
                "政府信息公开",
                f'<a href="{county.column.path}">政府信息公开年报</a>',
                "政府信息公开",
            )
        )
    if path == county.column.path:
        return out(form(site))
    if path == REPORT_JSP:
        return out(report_table(site, params.get("fbtime", ""), params.get("area", "")))
    art = site.articles.get(path)
    if art is not None:
        return out(lite.article_page(site, art, root))
    return None
