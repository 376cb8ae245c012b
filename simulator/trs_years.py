"""拓尔思 TRS WCM variant (docs/portals.md §4.2, §10.4 ``yearfolders``): one county 年报 column
with a folder per year (``2023n/``), each listing the county's and the townships' reports of that
year in rows written by ``document.writeln`` (no ``<a>`` in the HTML), numbered from 1
(``index.html``, ``index_2.html`` …; ``index_1.html`` does not exist), and a ``bmnb2023/``
subfolder for the departments' reports."""

from __future__ import annotations

import json
import posixpath

from . import lite
from .model import Column, Response, Site

FAMILY = "trs-years"
NB = "/zfxxgk/zfxxgknb/"
PER_PAGE = 3


def column_path(spec, unit) -> tuple[str, int]:
    return NB + ("bmnb/" if unit.kind == "department" else "") + "index.html", 0


def _folder(art) -> str:
    year = getattr(art, "year", art.published.year - 1)
    dept = art.column.path.startswith(NB + "bmnb/")
    return f"{NB}{year}n/" + (f"bmnb{year}/" if dept else "")


def article_path(spec, col: Column, published, article_id: int) -> str:
    return f"{{folder}}{published:%Y%m}/t{published:%Y%m%d}_{article_id}.html"


def finish(site: Site) -> None:
    """Article paths depend on the report year: fill the folder in once the site is built."""
    arts = list(site.articles.values())
    site.articles.clear()
    for art in arts:
        folder = _folder(art) if art.report else f"{NB}tzgg/"
        art.path = art.path.replace("{folder}", folder)
        site.articles[art.path] = art


def _rows(arts, folder: str) -> str:
    lines = []
    for a in arts:
        rel = "./" + posixpath.relpath(a.path, folder)
        lines.append(
            f"var url = {json.dumps(rel)}; var title = {json.dumps(a.title, ensure_ascii=False)};\n"
            'document.writeln("<li><a href=\'" + url + "\' title=\'" + title + "\'>" + title + "'
            "</a>"
            f'<span>{a.published}</span></li>");'
        )
    return '<ul class="list"><script>\n' + "\n".join(lines) + "\n</script></ul>"


def listing(site: Site, folder: str, arts, k: int, extra: str = "") -> str | None:
    pages = max(1, -(-len(arts) // PER_PAGE))
    if not 1 <= k <= pages:
        return None
    body = (
        f'<div class="bt-position">当前位置：首页 &gt; 政府信息公开年报</div>{extra}'
        f"{_rows(arts[(k - 1) * PER_PAGE : k * PER_PAGE], folder)}"
        f'<div class="page"><script>createPageHTML({pages}, {k - 1}, "index", "html");</script>'
        "</div>"
    )
    return lite.page(
        site,
        "政府信息公开年报",
        body,
        "政府信息公开年报",
        head='\n<script src="/js/page.js"></script>',
    )


def respond(site: Site, method: str, path: str, params: dict, root: str) -> Response | None:
    out = lambda html: lite.encode(site, html)  # noqa: E731
    reports = sorted(
        (a for a in site.articles.values() if a.report), key=lambda a: a.path, reverse=True
    )
    years = sorted({a.year for a in reports}, reverse=True)  # type: ignore[attr-defined]
    if path in ("/", "/index.html"):
        return out(
            lite.page(
                site, f"{site.county}人民政府", '<a href="/zfxxgk/index.html">政府信息公开</a>'
            )
        )
    if path == "/zfxxgk/index.html":
        return out(
            lite.page(
                site,
                "政府信息公开",
                f'<a href="{NB}">政府信息公开年报</a> '
                '<a href="/zfxxgk/zfxxgkzn/">政府信息公开指南</a>',
                "政府信息公开",
            )
        )
    if path in (NB, NB + "index.html"):
        decoys = [a for a in site.articles.values() if not a.report]
        links = "".join(f'<li><a href="./{y}n/">{y}年</a></li>' for y in years)
        return out(listing(site, NB, decoys, 1, f'<ul class="years">{links}</ul>') or "")
    if path.startswith(NB + "tzgg/") and path in site.articles:
        return out(lite.article_page(site, site.articles[path], root))
    for y in years:
        for folder, dept in ((f"{NB}{y}n/", False), (f"{NB}{y}n/bmnb{y}/", True)):
            if not path.startswith(folder):
                continue
            rest = path[len(folder) :]
            if rest in ("", "index.html") or (rest.startswith("index_") and rest.endswith(".html")):
                k = 1 if rest in ("", "index.html") else int(rest[6:-5] or 0)
                arts = [a for a in reports if _folder(a) == folder]
                extra = "" if dept else f'<div class="sub"><a href="./bmnb{y}/">部门年报</a></div>'
                html = listing(site, folder, arts, k, extra) if rest != "index_1.html" else None
                return out(html) if html else None
    art = site.articles.get(path)
    if art is not None:
        return out(lite.article_page(site, art, root))
    return None
