"""A link's priority: what its anchor text, its URL shape and the page it sits on suggest.

The score orders the frontier (Scrapy priorities, best first) and, under the page budget,
decides what is fetched first; it never decides what a page is (``kinds.decide`` does, after
the fetch).  Scores run 0–100; below ``FETCH_FLOOR`` a link is held back: it is fetched only
when the portal's better links are spent and budget is left (``frontier``).
"""

from __future__ import annotations

import re

from .. import classify
from ..families import Link
from . import vocabulary as V
from .kinds import HUB, LISTING, REPORT
from .urls import is_calendar, is_document, looks_like_article, looks_like_listing

#: links scored below this wait until the portal's better links are spent
FETCH_FLOOR = 30
#: links scored below this are never fetched, even when exploring (decoys' titles)
EXPLORE_FLOOR = 10
#: a link never fetched at all (logins, print views, calendars)
NEVER = 0

_NOT_ROUTE_RE = re.compile(V.NOT_ROUTE)
_UNIT_DIR_RE = re.compile(V.UNIT_DIRECTORY)
_NEXT_RE = re.compile(V.NEXT_PAGE)
_PAGER_RE = re.compile(V.PAGER_WORDS)
_YEAR_ONLY_RE = re.compile(rf"^{V.YEAR_ONLY}$")


def score(
    link: Link,
    *,
    parent_kind: str,
    report_column: bool = False,
    unit_directory: bool = False,
    yielded: bool = False,
    depth: int = 0,
    pager: bool = False,
) -> int:
    """The priority of following ``link`` from a page of kind ``parent_kind``.

    ``report_column``: the page names itself a 年报 column; ``unit_directory``: a directory of
    townships and departments; ``yielded``: the page (or its pager chain) led to reports;
    ``pager``: the link is a step of the page's own pager.
    """
    title = classify.normalize_title(link.title)
    url = link.url
    if title and _NOT_ROUTE_RE.search(title):
        return NEVER
    if is_calendar(url):
        return NEVER
    if pager:
        return 92 if yielded or report_column else 70
    s = 20
    if classify.is_report_title(title):
        s = 90
    elif classify.maybe_report_title(title):
        s = 85
    elif classify.distractor_match(title):
        s = 8
    elif classify.is_route(title, url) or (link.context and classify.is_route(link.context)):
        s = (
            75
            if ("年报" in title or "年度报告" in title or classify.is_report_column(title, url=url))
            else 65
        )
    elif _YEAR_ONLY_RE.match(title):
        s = 72 if (report_column or parent_kind in (LISTING, HUB)) else 45
    elif classify.is_unit_name(title):
        s = 62 if unit_directory else 25
    elif _UNIT_DIR_RE.search(title) and len(title) <= 12:
        s = 55
    elif _NEXT_RE.match(title) or _PAGER_RE.match(title):
        s = 60
    if s == 20:
        # the title says nothing: the page around the link speaks for it
        entry = bool(link.date) or looks_like_article(url) or len(title) >= 8
        if report_column and (entry or not title):
            s = 70
        elif yielded and parent_kind == LISTING and entry:
            s = 50
        if link.via in ("frame", "iframe"):
            s = max(s, 68)
        elif link.via == "option":
            s = max(s, 40)
        elif link.via in ("record", "endpoint"):
            s = max(s, 45)
        if not title and link.via in ("script", "form"):
            s = min(s, 25)
    if is_document(url) and s < 85 and not report_column:
        s = min(s, 25)
    if parent_kind == REPORT and s < 85:
        s = min(s, 25)
    if looks_like_listing(url) and s == 20 and parent_kind == HUB:
        s = 28  # a section of a hub: explored once the better links are spent
    return max(1, min(100, s - min(depth, 8)))
