"""The crawl state a request carries: one typed record in ``request.meta["nb"]``.

A request's record says which portal it serves, why it was made (``step``), how good the link
looked (``score``), where it came from and what the page it came from was; a response's
callback reads it and hands a derived record (``dataclasses.replace``) to the requests it makes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..families.api import Call
from .paging import Step
from .window import Search

META_KEY = "nb"

# why a request was made (log lines and stats say it: "nianbao report failed: …")
ROUTE, LISTING, REPORT, ENDPOINT, SITEMAP, SEARCH, ATTACHMENT = (
    "route",
    "listing",
    "report",
    "endpoint",
    "sitemap",
    "search",
    "attachment",
)


@dataclass(frozen=True, slots=True)
class CrawlState:
    portal: str
    step: str = ROUTE
    score: int = 100
    depth: int = 0
    anchor: str = ""  # the link's text as the linking page showed it
    via: str = "a"  # how the link was found (links.page_links)
    parent_kind: str | None = None  # kind of the page that linked it
    listing: str | None = None  # the listing (or hub) the link was found on
    chain: str | None = None  # pager key of the listing this page continues
    report_column: bool = False  # the linking page names itself a 年报 column
    call: Call | None = None  # a data endpoint's call (family or read off a script)
    post: Step | None = None  # a POST pager's step
    probe: bool = False  # a planned page whose 404 is expected
    rendered: str | None = None  # why this request goes through the browser
    passed: bool = False  # asked again with the cookies the browser got past a wall
    search: Search | None = None  # a binary search for the first page of a date window
    browser_tries: int = 0  # times the browser timed out on this request (busy, not refused)
    # the section (page) of the held-back link this request's branch was explored from; None
    # on the focused crawl (discovery/explore.py credits the section with what it finds)
    explored: str | None = None


def state_of(request_or_response) -> CrawlState | None:
    return request_or_response.meta.get(META_KEY)


def step_of(request) -> str:
    """The step a request serves, for log lines and stats ("unknown" for foreign requests)."""
    state = request.meta.get(META_KEY)
    return state.step if state is not None else "unknown"
