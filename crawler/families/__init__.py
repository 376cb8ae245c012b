"""Listing parsers, one module per CMS family (docs/portals.md §1, §4), plus family detection.

Every parser is a pure function on page text: it returns ``Link`` records and pagination
plans, never Scrapy requests, so the families can be tested without a crawler.  The
``portal`` spider turns them into requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FAMILIES = ("hanweb", "trs", "generic", "ucap", "gkmlpt", "lonsun", "jpaas", "hanweb-xxgk")


@dataclass(frozen=True)
class Link:
    """One anchor found on a listing: absolute URL, the best title shown, the listed date."""

    url: str
    title: str = ""
    date: str | None = None
    context: str = ""  # heading of the block a "更多" link sits in
    via: str = "a"  # how it was found: a, area, frame, iframe, onclick, option, form, script,
    #                    record (a family's data), endpoint, sitemap, search


# Fingerprints from docs/portals.md §1 (Hanweb JCMS) and §4 (TRS WCM); the first family whose
# pattern matches wins.
_FINGERPRINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "hanweb",
        re.compile(
            r"<datastore>|\.jpage\(|/module/web/jpage/|/col/col\d+/|大汉网络|大汉版通|i_columnid|"
            r"ZJEG_RSS",
            re.IGNORECASE,
        ),
    ),
    (
        "trs",
        re.compile(
            r"createPageHTML\s*\(|createPage\s*\(|TRS_(?:Editor|UEDITOR)|trs_editor|/t\d{8}_\d+\.s?html?|"
            r"var\s+countPage\s*=|/was5/web/search",
            re.IGNORECASE,
        ),
    ),
)


def detect_family(text: str) -> str:
    """Name the CMS family of a page from its content: hanweb, trs, or generic."""
    for name, rx in _FINGERPRINTS:
        if rx.search(text):
            return name
    return "generic"


def all_families():
    """Every family module (``crawler.families.api.Family``), by name."""
    from . import gkmlpt, hanweb, hanweb_xxgk, jpaas, lonsun, trs, ucap

    return {m.NAME: m for m in (hanweb, trs, ucap, gkmlpt, lonsun, jpaas, hanweb_xxgk)}


def api_families():
    """Families whose listings come from a data endpoint, by name (all but TRS's static pages)."""
    return {k: v for k, v in all_families().items() if k != "trs"}
