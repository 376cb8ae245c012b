"""大汉 Hanweb JCMS pages: /col/col{ID}/index.html listings with a <datastore> data island,
/module/web/jpage/dataproxy.jsp paging (POST by record range, GET by page), and
/art/YYYY/M/D/art_{col}_{id}.html articles with a table.xxgk_table header (docs/portals.md §1).
"""

from __future__ import annotations

import math
from datetime import date
from html import escape
from urllib.parse import quote

from . import chrome
from .attachments import article_body
from .model import Article, Column, Response, Site, html_response
from .reports import report_body

FAMILY = "hanweb"
GROUP_SIZE = 2  # pages per datastore group: the column page embeds per_page * GROUP_SIZE records
PROXY = "/module/web/jpage/dataproxy.jsp"
_SECTIONS = {"xxgk": 1001, "towns": 1015, "depts": 1016}
_COLUMNS = {"news": 1002, "guide": 1011, "rules": 1012, "fdzdgk": 1013, "nb": 1014}
_SEP = "\u3000"


def section_path(key: str) -> str:
    return f"/col/col{_SECTIONS[key]}/index.html"


def column_place(
    key: str, unit_index: int | None, unit_kind: str | None, slug: str | None
) -> tuple[str, int, int]:
    """(listing path, columnid, unitid) of a column; unit columns get ids from 1100 up."""
    col_id = _COLUMNS[key] if unit_index is None else 1100 + unit_index
    return f"/col/col{col_id}/index.html", col_id, 4411000 + col_id


def article_path(column: Column, published: date, article_id: int) -> str:
    d = published
    return f"/art/{d.year}/{d.month}/{d.day}/art_{column.col_id}_{article_id}.html"


def _href(art: Article, root: str) -> str:
    return root.rstrip("/") + art.path if art.absolute_link else art.path


def _record(art: Article, root: str) -> str:
    short = art.title if len(art.title) <= 22 else art.title[:20] + "..."
    return (
        f'<li><a href="{escape(_href(art, root))}" target="_blank" title="{escape(art.title)}">'
        f"{escape(short)}</a><span>{art.published.isoformat()}</span></li>"
    )


def _cdata_records(arts: list[Article], root: str) -> str:
    return "\n".join(f"<record><![CDATA[{_record(a, root)}]]></record>" for a in arts)


def _shell(
    site: Site,
    column_name: str,
    title: str,
    body: str,
    article: Article | None = None,
    root: str = "",
    extra_head: str = "",
) -> str:
    head = chrome.meta_block(
        site, column_name, article, root.rstrip("/") + (article.path if article else "")
    )
    head += '\n<script src="/module/jslib/jquery/jquery.js"></script>' + extra_head
    top = (
        f'<div class="header"><div class="logo">{escape(site.county)}人民政府</div>'
        f"{chrome.nav(site)}</div>"
    )
    foot = chrome.footer(site, "<p>Produced By 大汉网络 大汉版通发布系统</p>")
    return chrome.page(
        head=head, title=f"{title}_{site.county}人民政府", body=f"{top}\n{body}\n{foot}"
    )


def home(site: Site, root: str) -> str:
    news = site.columns["news"]
    items = "".join(_record(a, root) for a in news.entries[:6])
    xxgk = site.sections["xxgk"]
    links = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for t, p in xxgk.links[:4])
    body = (
        f'<div class="main"><div class="news"><h3><a href="{news.path}">新闻中心</a></h3><ul>'
        f"{items}</ul></div>"
        f'<div class="zwgk"><h3><a href="{xxgk.path}">政府信息公开</a></h3><ul>{links}</ul>'
        "</div></div>"
    )
    return _shell(site, "首页", "首页", body, root=root)


def section(site: Site, key: str, root: str) -> str:
    sec = site.sections[key]
    links = "".join(f'<li><a href="{p}" target="_blank">{escape(t)}</a></li>' for t, p in sec.links)
    body = (
        f'{chrome.breadcrumbs(sec.breadcrumb, sec.name)}<div class="bt-left-list"><h2>'
        f"{escape(sec.name)}</h2>"
        f"<ul>{links}</ul></div>"
    )
    return _shell(site, sec.name, sec.name, body, root=root)


def column_page(site: Site, col: Column, root: str) -> str:
    first = col.entries[: col.per_page * GROUP_SIZE]
    webname = quote(quote(f"{site.county}人民政府"))
    nextgroup = (
        f'<a href="{PROXY}?page=2&amp;appid=1&amp;webid={site.webid}&amp;path=/&amp;columnid='
        f"{col.col_id}"
        f'&amp;unitid={col.unit_id}&amp;webname={webname}&amp;permissiontype=0"></a>'
    )
    island = (
        f'<div id="{col.unit_id}"><script type="text/xml"><datastore>\n'
        f"<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n<recordset>"
        f"\n{_cdata_records(first, root)}\n"
        f"</recordset></datastore></script></div>"
    )
    script = (
        f"<script>var param_{col.unit_id}={{col:1,appid:1,webid:{site.webid},path:'/',"
        f"columnid:{col.col_id},sourceContentType:1,unitid:'{col.unit_id}',"
        f"webname:'{site.county}人民政府',permissiontype:0}};\n"
        f"$(document).ready(function(){{ $('#{col.unit_id}').jpage({{dataStore: dataStore, "
        f"totalRecord:{len(col.entries)}, perPage:{col.per_page}, groupSize:{GROUP_SIZE}, "
        f"barPosition:'bottom', proxyUrl:'{PROXY}', ajaxParam: param_{col.unit_id}}}); }});"
        "</script>"
    )
    body = (
        f'{chrome.breadcrumbs(col.breadcrumb, col.name)}<div class="bt-box"><h2>'
        f"{escape(col.name)}</h2>"
        f"{island}\n{script}</div>"
    )
    head = (
        '\n<script src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>'
        f'\n<meta name="i_columnid" content="{col.col_id}">'
    )
    return _shell(site, col.name, col.name, body, root=root, extra_head=head)


def _header_table(art: Article) -> str:
    def val(key: str) -> str:
        return chrome.header_value(art.header, key)

    return (
        '<table class="xxgk_table" cellspacing="0" cellpadding="0"><tbody>'
        f'<tr><td class="td_lable">索 引 号</td><td>{val("index_no")}</td>'
        f'<td class="td_lable">分{_SEP}{_SEP}类</td><td>{val("category")}</td></tr>'
        f'<tr><td class="td_lable">发布机构</td><td>{val("publisher")}</td>'
        f'<td class="td_lable">发文日期</td><td>{val("written_date")}</td></tr>'
        f'<tr><td class="td_lable">标{_SEP}{_SEP}题</td><td colspan="3">{val("title")}</td></tr>'
        f'<tr><td class="td_lable">文{_SEP}{_SEP}号</td><td>{val("doc_number")}</td>'
        f'<td class="td_lable">主 题 词</td><td></td></tr></tbody></table>'
    )


def _source(art: Article) -> str:
    """The byline source: the header's 发布机构 (empty there, empty here), so the two never
    disagree."""
    return escape(art.header.get("publisher", art.publisher) if art.header else art.publisher)


def article_page(site: Site, art: Article, root: str) -> str:
    col = art.column
    content = article_body(art, report_body(art.title, art.report) if art.report else art.body_html)
    header = _header_table(art) if art.header else ""
    body = (
        f'{chrome.breadcrumbs(col.breadcrumb + [(col.name, col.path)])}<div class="bt-article">'
        f"{header}"
        f'<div class="xxgk-title">{escape(art.title)}</div>'
        f'<div class="xxgk-info">信息来源：<!--<$[信息来源]>begin-->{_source(art)}<!--'
        "<$[信息来源]>end-->"
        f"{_SEP}发布时间：{art.published.isoformat()} 09:30{_SEP}浏览次数：<span>{art.views}"
        "</span></div>"
        f"{chrome.font_tools()}"
        '<div id="zoom"><!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta '
        'name="ContentStart">\n'
        f'{content}\n<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end-->'
        "</div>"
        f"{chrome.close_tools()}</div>"
    )
    head = (
        f'\n<meta name="i_columnid" content="{col.col_id}">'
        f'\n<meta name="i_articleid" content="{art.path.rsplit("_", 1)[-1][:-5]}">'
    )
    return _shell(site, col.name, art.title, body, article=art, root=root, extra_head=head)


def _xml(total: int, pages: int, arts: list[Article], root: str) -> Response:
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore><totalrecord>{total}</totalrecord>'
        f"<totalpage>{pages}</totalpage><recordset>\n{_cdata_records(arts, root)}\n</recordset>"
        "</datastore>"
    )
    return html_response(text, "text/xml; charset=UTF-8")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def dataproxy(site: Site, method: str, params: dict, root: str) -> Response:
    """POST ?startrecord=&endrecord=&perpage= (+ form columnid/unitid), or
    GET ?page=N&columnid=&unitid=."""
    col = next((c for c in site.columns.values() if str(c.col_id) == params.get("columnid")), None)
    if col is None or str(col.unit_id) != params.get("unitid"):
        return _xml(0, 0, [], root)  # a columnid with someone else's unitid gives nothing
    total = len(col.entries)
    if method == "POST" or "startrecord" in params:
        per = max(1, _int(params.get("perpage"), col.per_page))
        start = max(1, _int(params.get("startrecord"), 1))
        end = _int(params.get("endrecord"), start + per - 1)
        return _xml(total, math.ceil(total / per), col.entries[start - 1 : end], root)
    size = max(1, _int(params.get("perpage"), col.per_page * GROUP_SIZE))
    page = max(1, _int(params.get("page"), 1))
    return _xml(total, math.ceil(total / size), col.entries[(page - 1) * size : page * size], root)


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    if path in ("/", "/index.html"):
        return html_response(home(site, root))
    if path == PROXY:
        return dataproxy(site, method, params, root)
    for key, sec in site.sections.items():
        if path == sec.path:
            return html_response(section(site, key, root))
    for col in site.columns.values():
        if path == col.path:
            return html_response(column_page(site, col, root))
    art = site.articles.get(path)
    if art is not None:
        return html_response(article_page(site, art, root))
    return None
