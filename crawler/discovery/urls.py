"""URL shapes: what a URL alone suggests (an article, a column, a pager step, a document).

Shapes never decide what a page is; they only raise or lower a link's score
(``crawler.discovery.score``) and name the pages of one pager.  ``canonical`` is the one key
under which a URL is requested and emitted (http/https, fragment, query order folded).
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from reports import vocabulary as V

#: URL path segments that lead toward the reports (slugs seen on real portals)
ROUTE_SLUG_RE = re.compile(
    r"(?:^|/)(?:[a-z]*zfxxgknb[a-z0-9_]*|xxgknb[a-z0-9_]*|gknb[a-z0-9_]*|ndbg[a-z0-9_]*|"
    r"annual_report|[a-z]*xxgk[a-z0-9_]*|[a-z]*zwgk[a-z0-9_]*|zfxxgk[a-z0-9_]*|"
    r"bmxxgk|xzxxgk|bmhxzxxgk|xzjd[a-z0-9_]*|gzbm|bmnb\d*|\d{4}n)(?:/|$|\.)",
    re.IGNORECASE,
)

#: slugs that name the report column itself (stronger than ROUTE_SLUG_RE)
REPORT_COLUMN_SLUG_RE = re.compile(
    r"(?:^|/)(?:[a-z]*zfxxgknb[a-z0-9_]*|xxgknb[a-z0-9_]*|gknb[a-z0-9_]*|ndbg[a-z0-9_]*|"
    r"annual_report|bmnb\d*)(?:/|$)",
    re.IGNORECASE,
)

# the suffixes of the files a report comes as (reports/vocabulary.py, the one list)
_FILES = V.suffix_regex(V.DOCUMENT_SUFFIXES + V.ARCHIVE_SUFFIXES)

_ARTICLE_PATH_RE = re.compile(
    r"/art_[\w]+\.s?html?$|/t\d{8}_\d+\.s?html?$|/content_\d+\.s?html?$|/[0-9a-f]{32}\.s?html?$|"
    rf"/post_\d+\.html$|\.{_FILES}$|"
    # ASP/PHP-era article scripts (show.php?id=N) and Lonsun details (/public/{organ}/{id}.html)
    r"/(?:show|view|detail|article|content)\.(?:php|asp|aspx|jsp|do)$|/public/\d+/\d+\.html$",
    re.IGNORECASE,
)

_LISTING_PATH_RE = re.compile(
    r"/$|/(?:index|list|default)(?:_\d+)?\.s?html?$|/col/col\d+(?:/|$)|/\d{4}n/?$", re.IGNORECASE
)

#: a document a page links (its bytes are a file, not a page)
DOCUMENT_RE = re.compile(rf"\.{_FILES}(?:$|[?#])", re.IGNORECASE)
#: resources that are never pages
RESOURCE_RE = re.compile(
    r"\.(?:css|js|json|png|jpe?g|gif|bmp|ico|svg|webp|mp[34]|avi|flv|swf|woff2?|ttf|eot|apk|exe)"
    r"(?:$|[?#])",
    re.IGNORECASE,
)

#: a query parameter that numbers pages (any name a CMS picks; values are small integers)
PAGE_PARAM_RE = re.compile(
    r"^(?:page|pageno|pagenum|pageindex|pagenumber|currpage|curpage|currentpage|cur|pg|p|pn|"
    r"pageid|page_no|page_num|page_index|ipage|start|offset|startrecord|pagecur|paged)$",
    re.IGNORECASE,
)
#: ``index_3.html``, ``list_2.shtml`` siblings (``channel_37.html`` is a column's id, not a page)
PAGE_FILE_RE = re.compile(
    r"^(?P<stem>index|list|default|page|more|lists?)_(?P<n>\d{1,4})"
    r"(?P<ext>\.s?html?|\.jsp|\.php|\.aspx?)$",
    re.IGNORECASE,
)
#: calendar links: a date in the query or path is an endless axis, not content
CALENDAR_RE = re.compile(
    r"(?:calendar|rili|date|month|day)\b|[?&](?:y|m|d|year|month|day|date)="
    r"\d{4}(?:-\d{1,2})?",
    re.IGNORECASE,
)


def _looks_like_article(path: str) -> bool:
    return _ARTICLE_PATH_RE.search(path) is not None


def looks_like_listing(url: str) -> bool:
    """URL shape of a listing or section (directory, index_N.html, Hanweb /col/colN/)."""
    path = urlsplit(url).path or "/"
    return _LISTING_PATH_RE.search(path) is not None and not _looks_like_article(path)


def looks_like_article(url: str) -> bool:
    """URL shape of a CMS article page (Hanweb art_, TRS tYYYYMMDD_, UCAP hex …)."""
    return _looks_like_article(urlsplit(url).path)


def is_document(url: str) -> bool:
    return DOCUMENT_RE.search(urlsplit(url).path) is not None


def is_resource(url: str) -> bool:
    return RESOURCE_RE.search(urlsplit(url).path) is not None


def is_calendar(url: str) -> bool:
    parts = urlsplit(url)
    return CALENDAR_RE.search(parts.path + ("?" + parts.query if parts.query else "")) is not None


# canonical and pager_key are asked of one URL many times a page (links, seen sets, chains):
# pure, so kept for a crawl's worth of URLs
@functools.lru_cache(maxsize=1 << 16)
def canonical(url: str) -> str:
    """The key of a URL: scheme, fragment and query order do not make another page."""
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    return urlunsplit(("", host + port, parts.path or "/", query, ""))[2:]


@functools.lru_cache(maxsize=1 << 14)
def pager_key(url: str) -> str:
    """The URL with its page number taken out: the pages of one pager share it."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not PAGE_PARAM_RE.match(k)
    ]
    path = parts.path
    head, _, name = path.rpartition("/")
    m = PAGE_FILE_RE.match(name)
    if m:
        path = f"{head}/{m['stem']}{m['ext']}"
    return canonical(urlunsplit((parts.scheme, parts.netloc, path, urlencode(sorted(query)), "")))


def page_number(url: str) -> int | None:
    """The page number a URL carries (a page parameter, or ``name_N.html``), if any."""
    parts = urlsplit(url)
    for k, v in parse_qsl(parts.query, keep_blank_values=True):
        if PAGE_PARAM_RE.match(k) and v.isdigit():
            return int(v)
    m = PAGE_FILE_RE.match(parts.path.rpartition("/")[2])
    return int(m["n"]) if m else None


def with_param(url: str, name: str, value: object) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, str(value)))
    return urlunsplit(parts._replace(query=urlencode(query)))
