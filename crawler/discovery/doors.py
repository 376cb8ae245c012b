"""Other doors into a portal: ``sitemap.xml``, the ``Sitemap:`` lines of robots.txt, and the
portal's own search, asked for the report's names (``vocabulary.SEARCH_TERMS``).

What comes through them is fetched and judged like any other page (``kinds.decide``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import etree

from reports.extract.encoding import decode_bytes, normalize_charset, xml_encoding

from . import vocabulary as V
from .page import Page, form_controls

_SITEMAP_LINE_RE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_LOC_RE = re.compile(r"<(?:\w+:)?loc>\s*(.*?)\s*</(?:\w+:)?loc>", re.DOTALL | re.IGNORECASE)
_SEARCH_NAME_RE = re.compile(
    r"^(?:q|query|keyword|keywords|key|kw|wd|word|searchword|search|searchkey|searchtext|title|"
    r"qt|sw|k|text|content|searchvalue|keys)$",
    re.IGNORECASE,
)
_SEARCH_ACTION_RE = re.compile(r"search|sousuo|jansearch|was5|query|find|ss\b", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    url: str
    form: tuple[tuple[str, str], ...] | None = None  # a POST search form's fields
    term: str = ""


def is_search(url: str, waiting: Sequence[str] = ()) -> bool:
    """A URL that looks like the portal's search (its form's action, its API), or a call whose
    one value bound at run time (``waiting``: its names) is named like a search box
    (``{q: document.getElementById("kw").value}``)."""
    return _SEARCH_ACTION_RE.search(url) is not None or any(
        _SEARCH_NAME_RE.match(name) for name in waiting
    )


def robots_sitemaps(text: str, base: str) -> list[str]:
    return [urljoin(base, m) for m in _SITEMAP_LINE_RE.findall(text)]


def sitemap_locs(body: bytes, content_type: str | None = None) -> tuple[list[str], bool]:
    """The ``<loc>`` URLs of a sitemap, and whether it is an index of other sitemaps. The text
    comes through the one page decoder, told the charset the header or the XML declaration
    names (a GBK portal's sitemap lists GBK paths)."""
    declared = normalize_charset(content_type) or xml_encoding(body)  # the header wins (RFC 7303)
    text = decode_bytes(body, declared).text
    index = "<sitemapindex" in text[:2000].lower()
    locs = [m.strip() for m in _LOC_RE.findall(text)]
    return [
        etree.fromstring(f"<x>{u}</x>".encode()).text or u if "&amp;" in u else u for u in locs if u
    ], index


def search_queries(page: Page) -> list[Query]:
    """The portal's search forms, filled in with each search term."""
    root = page.tree
    if root is None:
        return []
    out: list[Query] = []
    for form in root.iter("form"):
        fields: list[tuple[str, str]] = []
        box = None
        for name, kind, el in form_controls(form):
            if box is None and kind in ("text", "search", "") and _SEARCH_NAME_RE.match(name):
                box = name
            elif kind in ("hidden", "select"):
                fields.append((name, el.get("value") or ""))
        action = form.get("action") or ""
        if box is None:
            continue
        if not _SEARCH_ACTION_RE.search(action) and not _SEARCH_ACTION_RE.search(
            " ".join(form.attrib.values())
        ):
            continue
        url = urljoin(page.base_url, action or page.url)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        post = (form.get("method") or "get").lower() == "post"
        for term in V.SEARCH_TERMS:
            data = fields + [(box, term)]
            if post:
                out.append(Query(url, tuple(data), term))
            else:
                out.append(Query(f"{url.split('?')[0]}?{urlencode(data)}", None, term))
    return out
