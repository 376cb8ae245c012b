"""Decide from titles and URLs what the crawl is looking at.

The Chinese words live in ``crawler.discovery.vocabulary`` and the URL shapes in
``crawler.discovery.urls``; the functions here only combine them.  Three questions are answered:

(a) ``is_report_title``: does a link or page title name a 政府信息公开工作年度报告?
(b) ``is_route``: is a link a step on the way to such reports (an 信息公开 platform, the 年报
    column, a township or department sub-tree)?
(c) ``title_year``: which year does a title name?  Used only for the ``years`` filter, before
    the page is read (``year_wanted``).

Titles are normalised first (full-width spaces and ASCII spaces removed, full-width digits
folded), so "平昌关镇 2023 年…" and "２０２３年" read like "2023年".
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

from reports.extract.encoding import decode_bytes
from reports.vocabulary import CN_YEAR
from reports.vocabulary import year as cn_year

from .discovery import vocabulary as V

# The words come from crawler/discovery/vocabulary.py; the URL shapes from
# crawler/discovery/urls.py.
from .discovery.urls import (  # noqa: F401
    REPORT_COLUMN_SLUG_RE,
    ROUTE_SLUG_RE,
    _looks_like_article,
    looks_like_article,
    looks_like_listing,
)

REPORT_PATTERNS = V.compile_named(V.REPORT_NAMES)
DISTRACTOR_PATTERNS = V.compile_named(V.DISTRACTORS)
ROUTE_TEXT_PATTERNS = V.compile_named(V.ROUTE_WORDS)
REPORT_COLUMN_PATTERNS = V.compile_named(
    (
        ("nianbao_column", r"信息公开(?:工作)?年报|信息公开(?:工作)?年度报告"),
        ("short_column", r"^(?:年报|年度报告|政府信息公开年报)$"),
    )
)
COLUMN_NAME_RE = re.compile(V.COLUMN_NAME)
UNIT_NAME_RE = V.unit_name_pattern()
NOT_ROUTE_RE = re.compile(V.NOT_ROUTE)
NEXT_PAGE_RE = re.compile(V.NEXT_PAGE)
TRUNCATED_RE = re.compile(V.TRUNCATION)
REPORT_NAMES = V.FULL_REPORT_NAMES
PARTIAL_REPORT_RE = re.compile(V.PARTIAL_REPORT)
SOFT_ERROR_TITLE_RE = re.compile(V.SOFT_ERROR_TITLE, re.IGNORECASE)
SOFT_ERROR_BODY_RE = re.compile(
    rb"\$_ts\s*=|__jsl_clearance|__jsluid|wzws_|WZWSREL|document\.cookie\s*=.{0,200}location\.href",
    re.DOTALL,
)
BLOCK_TITLE_RE = re.compile(V.BLOCK_TITLE)
#: a JavaScript challenge that a normal browser passes by running the page's own script.
CHALLENGE_BODY_RE = re.compile(
    rb"\$_ts\s*=|__jsl_clearance|__jsluid|go\(\{\s*\"bts\"|document\.cookie\s*=.{0,300}"
    rb"(?:location\.(?:href|reload|replace)|window\.location)",
    re.DOTALL,
)

#: the fixed parts of the report format
SECTION_PATTERNS = V.compile_named(V.SECTIONS)
REPORT_PARTS = tuple(name for name, _ in SECTION_PATTERNS[:3])
_TAG_RE = re.compile(r"<[^>]+>")


def is_report_content(title: str | None, html: str) -> bool:
    """(a) by content: the page holds the report's fixed parts and its title is no decoy's.
    (A 解读 or 图解 page quotes the parts too; its title vetoes it.)"""
    if _first(DISTRACTOR_PATTERNS, normalize_title(title)) is not None:
        return False
    text = re.sub(r"\s+", "", _TAG_RE.sub("", html))
    return sum(rx.search(text) is not None for _, rx in SECTION_PATTERNS) >= 2


_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def head_title(head: bytes, declared: str | None = None) -> str | None:
    """The ``<title>`` of a page read from ``head``, the bytes of it the caller bounds (a
    regular expression over bytes, so a 50 MB page is neither decoded nor parsed to learn its
    title); None when there is none."""
    m = _TITLE_RE.search(head)
    if m is None:
        return None
    title = html.unescape(decode_bytes(m.group(1), declared).text).strip()
    return title or None


def block_page(title: str | None) -> bool:
    """A 200 page whose title says the client is blocked for the moment."""
    return bool(title) and BLOCK_TITLE_RE.search(title) is not None


def js_challenge(body: bytes) -> bool:
    """A small page whose script sets a cookie and reloads (瑞数 $_ts, 加速乐 __jsl_clearance)."""
    return bool(body) and len(body) < 30000 and CHALLENGE_BODY_RE.search(body[:30000]) is not None


YEAR_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(rx) for rx in V.YEAR_FORMS)

# --------------------------------------------------------------------------------------


def normalize_title(title: str | None) -> str:
    """Fold width, drop whitespace (ASCII, full-width, nbsp) so patterns see one shape."""
    if not title:
        return ""
    t = unicodedata.normalize("NFKC", title)
    return re.sub(r"\s+", "", t)


def _first(patterns, text: str) -> str | None:
    for name, rx in patterns:
        if rx.search(text):
            return name
    return None


def report_match(title: str | None) -> str | None:
    """Name of the REPORT_PATTERNS entry the title matches, or None."""
    return _first(REPORT_PATTERNS, normalize_title(title))


def distractor_match(title: str | None) -> str | None:
    """Name of the DISTRACTOR_PATTERNS entry the title matches, or None."""
    return _first(DISTRACTOR_PATTERNS, normalize_title(title))


def is_report_title(title: str | None) -> bool:
    """(a) True when ``title`` names an annual disclosure report and no distractor."""
    t = normalize_title(title)
    if not t or COLUMN_NAME_RE.match(t):
        return False
    return _first(REPORT_PATTERNS, t) is not None and _first(DISTRACTOR_PATTERNS, t) is None


def is_truncated(title: str | None) -> bool:
    return bool(title) and TRUNCATED_RE.search(title.strip()) is not None


def maybe_report_title(title: str | None) -> bool:
    """A listing title cut short that could still be a report: "…2023年政府信息公开工作年...",
    or cut without a marker (CSS ellipsis) in the middle of a report name
    ("…信息公开工作年度报")."""
    t = normalize_title(title)
    if not t or _first(DISTRACTOR_PATTERNS, t) is not None:
        return False
    if is_truncated(title):
        return bool(PARTIAL_REPORT_RE.search(TRUNCATED_RE.sub("", t)))
    # without a marker, demand a year and a cut past the 年 of the name ("…公开工作年度报")
    return title_year(t) is not None and any(
        t.endswith(name[:k])
        for name in REPORT_NAMES
        for k in range(name.index("年", name.index("公开")) + 1, len(name))
    )


#: in a 年报 column, a listed title worth fetching to read the page's own title: none at all,
#: a bare year ("2023年"), or one that speaks of a report.
COLUMN_ENTRY_RE = re.compile(V.COLUMN_ENTRY)


def could_be_report(title: str | None) -> bool:
    """An entry of a report column whose title alone does not decide (no distractor)."""
    t = normalize_title(title)
    return bool(COLUMN_ENTRY_RE.search(t)) and _first(DISTRACTOR_PATTERNS, t) is None


def is_route(text: str | None, url: str | None = None) -> bool:
    """(b) True when a link (anchor text and/or URL) leads toward the reports."""
    t = normalize_title(text)
    if t and NOT_ROUTE_RE.search(t):
        return False
    if t and len(t) <= 30 and _first(ROUTE_TEXT_PATTERNS, t):
        # A long text is an article title ("关于…信息公开…的通知"), not a menu entry.
        return _first(DISTRACTOR_PATTERNS, t) is None or "年报" in t
    if url:
        path = urlsplit(url).path
        if ROUTE_SLUG_RE.search(path) and not _looks_like_article(path):
            return True
    return False


def is_report_column(*texts: str | None, url: str | None = None) -> bool:
    """Is the page itself a report list (title, ColumnName, breadcrumb or URL slug)?"""
    for text in texts:
        t = normalize_title(text)
        if t and _first(REPORT_COLUMN_PATTERNS, t):
            return True
    return bool(url and REPORT_COLUMN_SLUG_RE.search(urlsplit(url).path))


def is_unit_directory(*texts: str | None) -> bool:
    """Is the page a 乡镇（街道）/部门 信息公开 directory whose links are unit names?"""
    for text in texts:
        t = normalize_title(text)
        if t and re.search(V.UNIT_DIRECTORY, t) and re.search(r"信息公开|政务公开", t):
            return True
    return False


def is_unit_name(text: str | None) -> bool:
    t = normalize_title(text)
    return bool(t) and UNIT_NAME_RE.match(t) is not None and not NOT_ROUTE_RE.search(t)


def is_next_page(text: str | None) -> bool:
    return bool(text) and NEXT_PAGE_RE.match(text) is not None


def title_year(title: str | None) -> int | None:
    """(c) The year a title names, or None ("XX县2021年度…", "平昌关镇 2023 年…")."""
    t = normalize_title(title)
    if not t:
        return None
    for rx in YEAR_PATTERNS:
        m = rx.search(t)
        if m:
            return int(m.group(1))
    m = CN_YEAR.search(t)
    return cn_year(m.group(0)) if m else None


def soft_error(title: str | None, body: bytes = b"") -> str | None:
    """Why a 200 page is not content: "soft 404"/"blocked" page title, or a WAF challenge."""
    t = (title or "").strip()
    if t and SOFT_ERROR_TITLE_RE.search(t):
        return f"error page titled {t[:40]!r}"
    if body and len(body) < 20000 and SOFT_ERROR_BODY_RE.search(body[:20000]):
        return "anti-bot challenge page"
    return None


def parse_years(spec: str | None) -> frozenset[int] | None:
    """``"2019-2023"``, ``"2021"`` or ``"2019,2021,2023-2024"`` → a set; empty/None → None."""
    if spec is None or not str(spec).strip():
        return None
    years: set[int] = set()
    for part in str(spec).split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})\s*[-–~]\s*(\d{4})", part)
        if m:
            lo, hi = sorted((int(m.group(1)), int(m.group(2))))
            years.update(range(lo, hi + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.add(int(part))
        else:
            raise ValueError(f"bad years spec {spec!r}: use 2021, 2019-2023 or 2019,2021")
    return frozenset(years)


def year_wanted(
    title: str | None, years: frozenset[int] | None, data_year: int | None = None
) -> bool:
    """Keep a report unless it lies outside ``years``: by the year its data covers when that was
    read (``data_year``: the statistics period, crawler/discovery/kinds.py), else by its title.
    A title often names the year of publication, the year after the data's, so a title year Y
    keeps the report when Y or Y-1 is wanted; no year at all keeps it."""
    if not years:
        return True
    if data_year is not None:
        return data_year in years
    y = title_year(title)
    return y is None or y in years or y - 1 in years
