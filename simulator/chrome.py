"""Site chrome shared by both families: the 政府网站 <meta> block, breadcrumbs, tools, footer."""

from __future__ import annotations

from datetime import date
from html import escape

from .model import Article, Site


def meta_block(site: Site, column_name: str, article: Article | None = None, url: str = "") -> str:
    lines = [
        f'<meta name="SiteName" content="{escape(site.county)}人民政府">',
        f'<meta name="SiteDomain" content="{site.domain}">',
        f'<meta name="SiteIDCode" content="{site.site_code}">',
        f'<meta name="ColumnName" content="{escape(column_name)}">',
        f'<meta name="ColumnDescription" content="{escape(column_name)}">',
        f'<meta name="ColumnKeywords" content="{escape(column_name)}">',
        '<meta name="ColumnType" content="政务公开">',
    ]
    if article is not None:
        lines += [
            f'<meta name="ArticleTitle" content="{escape(article.title)}">',
            f'<meta name="PubDate" content="{article.published.isoformat()} 09:30">',
            f'<meta name="ContentSource" content="{escape(article.publisher)}">',
            f'<meta name="Keywords" content="{escape(column_name)}">',
            '<meta name="Author" content="">',
            f'<meta name="Description" content="{escape(article.title)}">',
            f'<meta name="Url" content="{escape(url)}">',
        ]
    return "\n".join(lines)


def header_value(header: dict, key: str) -> str:
    """A header field as a page's 信息公开要素表 cell shows it (dates in ISO form), escaped."""
    value = header.get(key, "")
    return escape(value.isoformat() if isinstance(value, date) else str(value))


def nav(site: Site) -> str:
    items = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for t, p in site.nav)
    return f'<div class="nav"><ul>{items}</ul></div>'


def breadcrumbs(trail: list[tuple[str, str]], current: str | None = None) -> str:
    links = ['<a href="/index.html">首页</a>'] + [
        f'<a href="{p}">{escape(t)}</a>' for t, p in trail
    ]
    if current:
        links.append(f"<span>{escape(current)}</span>")
    return f'<div class="bt-position">当前位置：{" &gt; ".join(links)}</div>'


def font_tools() -> str:
    return (
        '<div class="fontsize">字体:[<a href="javascript:doZoom(18)">大</a> '
        '<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>]</div>'
    )


def close_tools() -> str:
    return (
        '<div class="article-tools"><a href="javascript:window.print()">打印本页</a> '
        '<a href="javascript:window.close()">关闭窗口</a></div>'
    )


def footer(site: Site, extra: str = "") -> str:
    return (
        f'<div class="footer"><p>主办：{escape(site.county)}人民政府办公室　'
        f'网站标识码：{site.site_code}　<a href="https://beian.miit.gov.cn/">{escape(site.icp)}</a></p>'
        f"{extra}</div>"
    )


def page(*, head: str, title: str, body: str, charset_meta: str = '<meta charset="utf-8">') -> str:
    return (
        f"<!DOCTYPE html>\n<html><head>{charset_meta}\n{head}\n<title>{escape(title)}</title>"
        f"</head>\n<body>\n{body}\n</body></html>\n"
    )
