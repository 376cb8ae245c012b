"""Plain HTML: the anchors of a page or of an HTML fragment a data endpoint answered.

Families whose answers are HTML (JPaaS fragments, Lonsun pages, the Hanweb 信息公开 module's
result tables) read them here; link finding itself is ``crawler.discovery.links``'s, and
generic paging ``crawler.discovery.paging``'s, on every page whatever its family.
"""

from __future__ import annotations

from . import Link


def links(text: str, base_url: str) -> list[Link]:
    """Every link of the page or fragment ``text`` (``crawler.discovery.links.page_links``)."""
    from ..discovery.links import page_links
    from ..discovery.page import Page

    return page_links(Page.from_text(base_url, text))
