"""拓尔思 TRS WCM static listings (docs/portals.md §4.2).

Page 0 is ``index.html``; further pages are ``index_1.html … index_{N-1}.html`` where N comes
from an inline ``createPageHTML(N, cur, "index", "html")`` (or ``createPage(…)``, the
6-argument ``createPageHTML('div', N, cur, 'name', 'ext', total)``, or ``var countPage = N``).
Some static sites are 1-based (``index_2.html`` is the second page), so the spider asks for
``index_1 … index_N`` and treats a 404 at either end as an expected probe miss; broken deep
pages (300-byte stubs) just add no links.  Some lists are drawn by inline
JS (``var url = "./2024…/t…html"; var title = "…"; document.writeln(…)``); those rows are
parsed here too.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from ..limits import cap_count
from . import Link

_CURRENT_VAR_RE = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
_JS_ROW_RE = re.compile(
    r"""var\s+url\s*=\s*["']([^"']+)["']\s*;?\s*(?:.{0,400}?var\s+title\s*=\s*["']([^"']*)["'])?""",
    re.DOTALL,
)
_INDEX_N_RE = re.compile(r"/([\w.-]+?)_(\d+)\.(\w+)$")


@dataclass(frozen=True)
class Pager:
    """A static pager: ``count`` pages named ``{prefix}.{ext}``, ``{prefix}_k.{ext}``."""

    count: int
    current: int
    prefix: str = "index"
    ext: str = "html"

    def page_url(self, listing_url: str, k: int) -> str:
        """URL of page ``k`` (0 → the bare index) next to ``listing_url``."""
        name = f"{self.prefix}.{self.ext}" if k == 0 else f"{self.prefix}_{k}.{self.ext}"
        return urljoin(listing_url, name)

    def candidates(self) -> range:
        """Page numbers worth asking for: 1 … N-1 when 0-based, 2 … N when 1-based."""
        return range(1, self.count + 1)


def parse_pager(text: str) -> Pager | None:
    """The pager a listing's script declares, read by discovery's readers of such scripts
    (crawler/discovery/paging.py), which plan the crawl's own index_N requests."""
    from ..discovery.paging import count_variable, create_page_call

    call = create_page_call(text)
    if call is not None:
        count, current, name, ext = call
        return Pager(cap_count(count, 0), cap_count(current, 0), name, ext)
    declared = count_variable(text)
    if declared is not None:
        cur = _CURRENT_VAR_RE.search(text)
        return Pager(cap_count(declared, 0), cap_count(cur.group(1), 0) if cur else 0)
    return None


def page_number(url: str) -> int:
    """0 for ``index.html`` or a directory URL, k for ``index_k.html``."""
    m = _INDEX_N_RE.search(urlsplit(url).path)
    return int(m.group(2)) if m else 0


def listing_base(url: str, pager: Pager | None = None) -> str:
    """The page-0 URL of a listing, whichever page ``url`` is."""
    path = urlsplit(url).path
    m = _INDEX_N_RE.search(path)
    if m:
        return urljoin(url, f"{m.group(1)}.{m.group(3)}")
    if path.endswith("/") and pager is not None:
        return urljoin(url, f"{pager.prefix}.{pager.ext}")
    return url


def js_rows(text: str, base_url: str) -> list[Link]:
    """Rows drawn by inline ``document.writeln`` (``var url = …; var title = …``)."""
    links = []
    for url, title in _JS_ROW_RE.findall(text):
        if url.startswith(("javascript:", "#")):
            continue
        links.append(Link(url=urljoin(base_url, url), title=html_lib.unescape(title or "").strip()))
    return links


# ------------------------------------------------------------------ the family protocol

NAME = "trs"
_FINGERPRINT_RE = re.compile(
    r"createPageHTML\s*\(|createPage\s*\(|TRS_(?:Editor|UEDITOR)|"
    r"var\s+countPage\s*=|document\.writeln",
    re.I,
)


def matches(text: str) -> bool:
    return _FINGERPRINT_RE.search(text) is not None


def links(text: str, url: str) -> list[Link]:
    """Rows drawn by ``document.writeln``; the ``index_N`` pager is generic paging's."""
    return js_rows(text, url)


def calls(text: str, url: str) -> list:
    return []  # static pages: crawler.discovery.paging plans index_N from the page count


def parse(body: str, call):  # never called: TRS makes no data calls
    from .api import Page

    return Page()
