"""Answers requests to a generated portal from its graph (the server's ``renderer``).

Pages are wrapped in the portal's chrome and encoded in its charset mode; report pages and
attachment files are rendered on request (files once per process). Past the end of a pager
the portal answers as it was drawn to: the first or last page again, an empty page, a 404,
or an endless trap; calendars never end.
"""

from __future__ import annotations

from html import escape

from .. import documents
from ..model import Response, Site
from ..reports import report_body
from .graph import Node, node_key
from .script import COMMON_JS

FAMILY = "generated"
#: charset mode -> (Content-Type header, <meta> in the page, bytes codec); "gbk" portals are
#: written in GB18030, as real ones are, with no character outside GBK
ENCODINGS = {
    "utf-8": ("text/html; charset=utf-8", '<meta charset="utf-8">', "utf-8"),
    "utf-8-bare": ("text/html", "", "utf-8"),
    "gbk-header": (
        "text/html; charset=GBK",
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "gb18030",
    ),
    "gbk-meta": (
        "text/html",
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
        "gb18030",
    ),
    "gbk-wrong": ("text/html; charset=utf-8", '<meta charset="utf-8">', "gb18030"),
    "gbk-bare": ("text/html", "", "gb18030"),
    "gb18030-header": ("text/html; charset=GB18030", "", "gb18030"),
    "gb18030-meta": ("text/html", '<meta charset="gb18030">', "gb18030"),
}
SEARCH_WORDS = ("年报", "报告", "年度")
FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_FILES: dict[tuple[str, str], bytes] = {}


def encode(site: Site, html: str, status: int = 200) -> Response:
    content_type, _, codec = ENCODINGS[site.construction["encoding"]]  # type: ignore[attr-defined]
    return Response(status, content_type, html.encode(codec))


def page(site: Site, title: str, body: str, root: str, nav: bool = True) -> str:
    meta = ENCODINGS[site.construction["encoding"]][1]  # type: ignore[attr-defined]
    if site.construction["base_href"]:  # type: ignore[attr-defined]
        meta += '<base href="{root}/">'
    meta += f'<script src="{site.construction["script"]}"></script>'  # type: ignore[attr-defined]
    if nav:
        body = site.nav_html + body  # type: ignore[attr-defined]
    footer = (
        f'<div class="footer">主办：{escape(site.county)}人民政府办公室　网站标识码：'
        f"{site.site_code}"
        f'　<a href="https://beian.miit.gov.cn/">{escape(site.icp)}</a></div>'
    )
    html = (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{escape(title)}</title></head>\n"
        f'<body><div class="wrap">{body}</div>{footer}</body></html>\n'
    )
    return html.replace("{root}", root)


def article_html(node: Node) -> str:
    art = node.article
    info = (
        f'<div class="info">发布时间：{art.published.isoformat()}　来源：{escape(art.publisher)}'
        "</div>"
    )
    head = ""
    if getattr(art, "header_shown", False):
        h = art.header
        head = (
            '<table class="meta"><tr><td>索引号：</td><td>' + escape(h["index_no"]) + "</td>"
            "<td>发布机构：</td><td>" + escape(h["publisher"]) + "</td></tr><tr><td>名称：</td>"
            f'<td colspan="3">{escape(art.title)}</td></tr><tr><td>发布日期：</td>'
            f"<td>{h['published_date'].isoformat()}</td></tr></table>"
        )
    if art.report is not None and art.files_only:
        href = escape(art.file_href, quote=True)
        line = "详见附件。" if len(art.title) % 2 else "具体内容详见附件。"
        content = (
            f"<p>{escape(art.title)}</p><p>{line}</p>"
            f'<p>附件：<a href="{href}">{escape(art.files[0].name)}</a></p>'
        )
    elif art.report is not None:
        content = report_body(art.title, art.report)
    else:
        content = art.body_html
    return (
        f'<div class="article">{head}<h1>{escape(art.title)}</h1>{info}<div id="zoom">{content}'
        "</div></div>"
    )


def file_bytes(site: Site, node: Node) -> bytes:
    key = (site.name, node.key)
    if key not in _FILES:
        art = node.article
        make = documents.report_pdf if art.file_kind == "pdf" else documents.report_docx
        _FILES[key] = make(art.title, art.report)
    return _FILES[key]


def endpoint(site: Site, node: Node, body: str, root: str) -> Response:
    """A data endpoint's answer: JSON and XML in UTF-8, an HTML fragment in the site's charset."""
    body = body.replace("{root}", root)
    if node.fmt == "fragment":
        return encode(site, body)
    kind = "text/xml" if node.fmt == "xml" else "application/json"
    return Response(200, f"{kind};charset=UTF-8", body.encode())


def render(site: Site, node: Node, root: str) -> Response:
    role = node.role
    if role == "json":
        return endpoint(site, node, node.body, root)
    if role == "sitemap":
        return Response(200, "application/xml", node.body.replace("{root}", root).encode())
    if role == "robots":
        return Response(200, "text/plain", node.body.replace("{root}", root).encode())
    if role == "redirect":
        return Response(302, "text/html", b"", (("Location", root + node.redirect),))
    if role == "file":
        kind = node.article.file_kind
        return Response(200, FILE_TYPES[kind], file_bytes(site, node))
    if role in ("frameset", "refresh"):  # no <body>: frames, or a <meta> refresh in the head
        meta = ENCODINGS[site.construction["encoding"]][1]  # type: ignore[attr-defined]
        head, body = (node.body, "") if role == "refresh" else ("", node.body)
        html = (
            f"<!DOCTYPE html>\n<html><head>{meta}{head}<title>{escape(node.title)}</title>"
            f"</head>{body}</html>\n"
        )
        return encode(site, html.replace("{root}", root))
    if role == "soft404":
        body = (
            f'<div class="tips"><h3>{escape(node.title)}</h3><p>{escape(node.article.body_html)}'
            "</p></div>"
        )
        return encode(site, page(site, node.title, body, root))
    if node.article is not None:
        title = node.article.title + getattr(node.article, "title_suffix", "")
        return encode(site, page(site, title, article_html(node), root))
    return encode(site, page(site, node.title, node.body, root, nav=role != "shell"))


def overflow(site: Site, node: Node, params: dict, root: str) -> Response | None:
    """A page number past the end of a pager."""
    trap = node.trap
    assert trap is not None
    graph = site.graph  # type: ignore[attr-defined]
    mode = trap["mode"]
    if mode == "json-empty":
        return endpoint(site, node, trap["empty"], root)
    if mode == "404":
        return None
    if mode == "first":
        return render(site, graph.nodes[trap["pages"][0]], root)
    if mode == "last":
        return render(site, graph.nodes[trap["pages"][-1]], root)
    if mode == "empty":
        return encode(site, page(site, node.title, '<div class="empty">暂无信息</div>', root))
    try:
        k = int(params.get(trap["param"], "1"))
    except ValueError:
        k = 1
    last = graph.nodes[trap["pages"][-1]]
    nxt = node_key(node.path, {**graph.nodes[trap["pages"][0]].params, trap["param"]: k + 1})
    body = (
        f"<h2>{escape(node.title)}</h2>{last.trap['rows']}"
        f'<div class="pages">第{k}页 <a href="{escape(nxt)}">下一页</a></div>'
    )
    return encode(site, page(site, node.title, body, root))


def calendar(site: Site, path: str, month: str, root: str) -> Response:
    try:
        y, m = (int(x) for x in month.split("-"))
    except ValueError:
        y, m = 2024, 2
    prev = f"{y - (m == 1)}-{12 if m == 1 else m - 1:02d}"
    nxt = f"{y + (m == 12)}-{1 if m == 12 else m + 1:02d}"
    body = (
        f'<h2>{y}年{m}月</h2><a href="{path}?ym={prev}">上一月</a> '
        f'<a href="{path}?ym={nxt}">下一月</a><div class="empty">本月暂无信息</div>'
    )
    return encode(site, page(site, f"{y}年{m}月", body, root))


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    root = root.rstrip("/")
    graph = site.graph  # type: ignore[attr-defined]
    conf = site.search_conf  # type: ignore[attr-defined]
    if conf and path == conf["path"]:
        node = graph.nodes[conf["node"]]
        query = params.get(conf["param"], "")
        # "\ufffd": a query the server could not read as UTF-8, as a GBK page's form sends it
        if any(w in query for w in SEARCH_WORDS) or "\ufffd" in query:
            return render(site, node, root)
        if conf["api"]:
            return Response(200, "application/json;charset=UTF-8", b'{"total": 0, "results": []}')
        return encode(site, page(site, "搜索结果", "<p>没有找到相关结果</p>", root))
    if path == site.construction["script"]:  # type: ignore[attr-defined]
        return Response(200, "application/javascript", COMMON_JS.encode())
    if path.startswith("/calendar."):
        return calendar(site, path, params.get("ym", ""), root)
    node = graph.lookup(path, params)
    if node is None:
        return None
    if node.trap is not None and params.get(node.trap["param"], "1") != str(node.trap["page"]):
        return overflow(site, node, params, root)
    return render(site, node, root)
