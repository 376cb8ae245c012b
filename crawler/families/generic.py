"""Plain HTML pages: every ``<a href>`` with its best title, and generic pagination links
(``下一页`` anchors, ``?page=N`` / ``pageNum=N`` / ``pageIndex=N`` query strings,
``list_N.shtml``/``index_N.html`` siblings).  Used on every page, whatever the family: Hanweb
column pages sometimes list ``/art/`` links directly, and menus are plain links everywhere.
"""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html

from . import Link
from ..classify import is_next_page

_PAGE_QUERY_RE = re.compile(r"(?:^|&)(?:page|pageNum|pageNo|pageIndex|currpage|p)=(\d+)(?:&|$)",
                            re.IGNORECASE)
_PAGE_FILE_RE = re.compile(r"/(?:index|list|default)_(\d+)\.s?html?$", re.IGNORECASE)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#", "data:")
_JS_OPEN_RE = re.compile(r"""(?:window\.open|location(?:\.href)?\s*=|openUrl|goUrl)\s*\(?\s*['"]([^'"]+)['"]""")
_DATE_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def parse(text: str) -> "lxml.html.HtmlElement | None":
    """Parse once; every function here also takes the parsed tree instead of the text."""
    try:
        return lxml.html.document_fromstring(text)
    except Exception:  # lxml raises several types on empty or non-HTML bodies
        return None


def _parse(doc):
    return parse(doc) if isinstance(doc, str) else doc


def links(text, base_url: str) -> list[Link]:
    """All anchors: title attribute when it is longer than the (maybe truncated) text."""
    root = _parse(text)
    if root is None:
        return []
    base = root.find(".//base[@href]")
    if base is not None:
        base_url = urljoin(base_url, base.get("href"))
    out: list[Link] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.lower().startswith(_SKIP_SCHEMES):
            # <a href="javascript:void(0)" onclick="window.open('/art/…')">
            m = _JS_OPEN_RE.search(a.get("onclick") or "") or _JS_OPEN_RE.search(href)
            if not m:
                continue
            href = m.group(1)
        text_ = " ".join(a.text_content().split())
        title = " ".join((a.get("title") or "").split())
        best = title if len(title) >= len(text_.rstrip(".…")) else text_
        parent = a.getparent()
        date = None
        if parent is not None:
            m = _DATE_RE.search(parent.text_content().replace(text_, ""))
            if m:
                date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        context = _block_heading(a) if _MORE_RE.match(best or text_) else ""
        out.append(Link(url=urljoin(base_url, href).split("#", 1)[0], title=best or text_, date=date,
                        context=context))
    return out


_MORE_RE = re.compile(r"^\s*(?:更多|更多>+|more|MORE|More|>>|查看更多)\s*[>》]*\s*$")


def _block_heading(a) -> str:
    """Text of the block around a "更多" link, minus the link (e.g. "政府信息公开年报")."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            break
        t = " ".join(node.text_content().replace(a.text_content(), "").split())
        if t:
            return t[:30]
        node = node.getparent()
    return ""


def page_titles(text) -> list[str]:
    """Candidate titles of an article page: ArticleTitle meta, <title>, <h1>, the xxgk title cell."""
    root = _parse(text)
    if root is None:
        return []
    out: list[str] = []
    for xp in ("//meta[@name='ArticleTitle']/@content", "//title/text()", "//h1",
               "//*[contains(@class,'title') and not(self::title)][1]"):
        for v in root.xpath(xp):
            v = " ".join((v if isinstance(v, str) else v.text_content()).split())
            if v:
                out.append(v)
                break
    return out


def page_title(text) -> str:
    """``<meta name=ArticleTitle>``, else ``<title>``, else the first ``<h1>``."""
    root = _parse(text)
    if root is None:
        return ""
    for xp in ("//meta[@name='ArticleTitle']/@content", "//title/text()", "//h1//text()"):
        vals = [v.strip() for v in root.xpath(xp) if v and v.strip()]
        if vals:
            return vals[0]
    return ""


def column_hints(text) -> list[str]:
    """What a page says about itself: ColumnName meta, <title>, breadcrumb-ish text."""
    root = _parse(text)
    if root is None:
        return []
    hints = [v.strip() for v in root.xpath("//meta[@name='ColumnName']/@content") if v.strip()]
    hints += [v.strip() for v in root.xpath("//title/text()") if v.strip()]
    for el in root.xpath("//*[contains(@class,'position') or contains(@class,'crumb') or "
                         "contains(@class,'location') or contains(@class,'dqwz')]"):
        t = " ".join(el.text_content().split())
        if t:
            # the last crumb is the current column
            hints.append(re.split(r"[>›»＞]", t)[-1].strip())
    return hints


def next_pages(text, base_url: str) -> list[str]:
    """Pagination links of a generic listing, same path as ``base_url`` or 下一页 anchors."""
    here = urlsplit(base_url)
    found: list[str] = []
    for link in links(text, base_url):  # text: str or a parsed tree
        parts = urlsplit(link.url)
        if is_next_page(link.title):
            found.append(link.url)
        elif parts.path == here.path and _PAGE_QUERY_RE.search(parts.query or ""):
            found.append(link.url)
        elif _PAGE_FILE_RE.search(parts.path) and parts.path.rsplit("/", 1)[0] == here.path.rsplit("/", 1)[0]:
            found.append(link.url)
    seen: set[str] = set()
    return [u for u in found if not (u in seen or seen.add(u))]


def is_pager_link(url: str, base_url: str) -> bool:
    """A link to another page of the same listing (same path with ?page=N, or index_N.html)."""
    parts, here = urlsplit(url), urlsplit(base_url)
    if parts.path == here.path and _PAGE_QUERY_RE.search(parts.query or ""):
        return True
    return bool(_PAGE_FILE_RE.search(parts.path)) and \
        parts.path.rsplit("/", 1)[0] == here.path.rsplit("/", 1)[0]
