"""拓尔思 TRS WCM pages: static index.html / index_1.html … listings paged by
createPageHTML(N, cur, "index", "html") from /js/page.js, and articles at
{listing dir}/YYYYMM/tYYYYMMDD_ID.html with a gov.cn "Template A" header (docs/portals.md §4).
"""

from __future__ import annotations

import math
import posixpath
import re
from datetime import date
from html import escape

from . import chrome
from .attachments import article_body
from .model import Article, Column, Response, Site, html_response
from .reports import report_body

FAMILY = "trs"
# Declared only in the page's <meta>, as many TRS sites do (docs/portals.md §0.5).
CONTENT_TYPE = "text/html"
CHARSET_META = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
_SECTIONS = {
    "xxgk": "/zwgk/zfxxgk/index.html",
    "towns": "/zwgk/zfxxgk/xzxxgk/index.html",
    "depts": "/zwgk/zfxxgk/bmxxgk/index.html",
}
_COLUMNS = {
    "news": "/xwzx/",
    "guide": "/zwgk/zfxxgk/zfxxgkzn/",
    "rules": "/zwgk/zfxxgk/zfxxgkzd/",
    "fdzdgk": "/zwgk/zfxxgk/fdzdgknr/",
    "nb": "/zwgk/zfxxgk/zfxxgknb/",
}
_PAGE_RE = re.compile(r"^(?P<dir>/.*/)index(?:_(?P<n>\d+))?\.html$")

PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  function url(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  document.write("<a href=\\"" + url(0) + "\\">首页</a> ");
  if(nCurrIndex > 0){ document.write("<a href=\\"" + url(nCurrIndex - 1) + "\\">上一页</a> "); }
  else { document.write("<span>上一页</span> "); }
  if(nCurrIndex < _nPageCount - 1){ document.write("<a href=\\"" + url(nCurrIndex + 1) + "\\">下一页</a> "); }
  else { document.write("<span>下一页</span> "); }
  document.write("<a href=\\"" + url(_nPageCount - 1) + "\\">尾页</a>");
  document.write(" 共" + _nPageCount + "页");
}
"""  # noqa: E501


def section_path(key: str) -> str:
    return _SECTIONS[key]


def column_place(
    key: str, unit_index: int | None, unit_kind: str | None, slug: str | None
) -> tuple[str, int, int]:
    if unit_index is None:
        return _COLUMNS[key] + "index.html", 0, 0
    if unit_kind == "township":  # TRS adds the channel id when a folder name clashes
        return f"/zwgk/zfxxgk/xzxxgk/{slug}/zfxxgknb_{20931 + unit_index}/index.html", 0, 0
    return f"/zwgk/zfxxgk/bmxxgk/{slug}/zfxxgknb/index.html", 0, 0


def article_path(column: Column, published: date, article_id: int) -> str:
    d = published
    return f"{posixpath.dirname(column.path)}/{d:%Y%m}/t{d:%Y%m%d}_{article_id}.html"


def _shell(
    site: Site,
    column_name: str,
    title: str,
    body: str,
    article: Article | None = None,
    root: str = "",
    depth_prefix: str = "/",
) -> str:
    head = chrome.meta_block(
        site, column_name, article, root.rstrip("/") + (article.path if article else "")
    )
    head += f'\n<script src="{depth_prefix}js/page.js"></script>'
    top = (
        f'<div class="header"><div class="logo">{escape(site.county)}人民政府</div>'
        f"{chrome.nav(site)}</div>"
    )
    return chrome.page(
        head=head,
        title=title,
        body=f"{top}\n{body}\n{chrome.footer(site)}",
        charset_meta=CHARSET_META,
    )


def _rel(from_dir: str, art: Article, root: str) -> str:
    if art.absolute_link:
        return root.rstrip("/") + art.path
    rel = posixpath.relpath(art.path, from_dir.rstrip("/") or "/")
    return rel if rel.startswith("..") else "./" + rel


def home(site: Site, root: str) -> str:
    news = site.columns["news"]
    items = "".join(
        f'<li><a href="{_rel("/", a, root)}" target="_blank" title="{escape(a.title)}">'
        f"{escape(a.title)}</a><span>{a.published:%m-%d}</span></li>"
        for a in news.entries[:6]
    )
    body = f'<div class="main"><div class="news"><h3>要闻动态</h3><ul>{items}</ul></div></div>'
    return _shell(site, "首页", f"{site.county}人民政府", body, root=root)


def section(site: Site, key: str, root: str) -> str:
    sec = site.sections[key]
    links = "".join(
        f'<li><a href="{posixpath.relpath(p, posixpath.dirname(sec.path))}">{escape(t)}</a></li>'
        for t, p in sec.links
    )
    body = (
        f'{chrome.breadcrumbs(sec.breadcrumb, sec.name)}<div class="zfxxgk-nav"><h2>'
        f"{escape(sec.name)}</h2><ul>{links}</ul></div>"
    )
    return _shell(site, sec.name, f"{sec.name}_{site.county}人民政府", body, root=root)


def page_count(col: Column) -> int:
    return max(1, math.ceil(len(col.entries) / col.per_page))


def listing_page(site: Site, col: Column, index: int, root: str) -> str:
    directory = posixpath.dirname(col.path) + "/"
    rows = col.entries[index * col.per_page : (index + 1) * col.per_page]
    items = "\n".join(
        f'<li><a href="{escape(_rel(directory, a, root))}" target="_blank" '
        f'title="{escape(a.title)}">'
        f"{escape(a.title)}</a><span>{a.published.isoformat()}</span></li>"
        for a in rows
    )
    prefix = "../" * (directory.count("/") - 1)
    body = (
        f'{chrome.breadcrumbs(col.breadcrumb, col.name)}<div class="list-box"><h2>'
        f"{escape(col.name)}</h2>"
        f'<ul class="list">\n{items}\n</ul>'
        f'<div class="page"><script>createPageHTML({page_count(col)}, {index}, "index", "html");'
        "</script></div></div>"
    )
    return _shell(site, col.name, col.name, body, root=root, depth_prefix=prefix)


def _header_table(art: Article) -> str:
    labels = (
        ("index_no", "索　引　号："),
        ("category", "主题分类："),
        ("publisher", "发文机关："),
        ("written_date", "成文日期："),
        ("title", "标　　题："),
        ("doc_number", "发文字号："),
        ("published_date", "发布日期："),
    )
    rows = []
    for key, label in labels:
        v = art.header.get(key, "")
        text = f"{v:%Y年%m月%d日}" if isinstance(v, date) else escape(str(v))
        rows.append(f'<tr><td class="t1"><b>{label}</b></td><td class="t2">{text}</td></tr>')
    return (
        '<table class="xxgk_table" border="0" cellspacing="0" cellpadding="0"><tbody>'
        f"{''.join(rows)}</tbody></table>"
    )


def article_page(site: Site, art: Article, root: str) -> str:
    col = art.column
    content = article_body(art, report_body(art.title, art.report) if art.report else art.body_html)
    header = _header_table(art) if art.header else ""
    body = (
        f"{chrome.breadcrumbs(col.breadcrumb + [(col.name, col.path)], '正文')}<div "
        f'class="article">{header}'
        f'<h1 class="article-title">{escape(art.title)}</h1>'
        '<div class="article-info">来源：'
        f"{escape(art.header.get('publisher', art.publisher) if art.header else art.publisher)}"
        f"　发布时间：{art.published.isoformat()}　"
        f"浏览次数：<span>{art.views}</span>{chrome.font_tools()}</div>"
        f'<div class="view TRS_UEDITOR trs_paper_default trs_web">\n{content}\n</div>'
        f"{chrome.close_tools()}</div>"
    )
    return _shell(site, col.name, art.title, body, article=art, root=root)


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    def page(text: str) -> Response:
        return html_response(text, CONTENT_TYPE)

    if path in ("/", "/index.html"):
        return page(home(site, root))
    if path == "/js/page.js":
        return html_response(PAGE_JS, "application/javascript; charset=utf-8")
    for key, sec in site.sections.items():
        if path == sec.path:
            return page(section(site, key, root))
    m = _PAGE_RE.match(path)
    if m:
        for col in site.columns.values():
            if posixpath.dirname(col.path) + "/" == m["dir"]:
                index = int(m["n"] or 0)
                if index < page_count(col) and m["n"] != "0":
                    return page(listing_page(site, col, index, root))
    art = site.articles.get(path)
    if art is not None:
        return page(article_page(site, art, root))
    return None
