"""The date window of a backfill or a re-crawl: ``-a since=DATE`` and ``-a until=DATE``.

A listing shows its entries newest first, each with its date (``Link.date``, read from the
entry's row by ``links.page_links``).  With a window, a pager is walked by those dates instead
of all at once:

* a page whose dated entries are all **older** than ``since`` ends the pager: nothing past
  it is asked for, so a ``since=`` crawl fetches the listing pages of the window and one more;
* a page with an entry **inside** the window gives its entries (those dated before ``since``
  left out) and the next page (the smallest page number after its own);
* a page whose entries are all **newer** than ``until`` gives no entry; when the pager numbers
  its pages and declares their count (``index_N``, ``page=N``: ``paging.page_count``), the
  first page of the window is found by a binary search over the page numbers, so a backfill
  of old years does not walk the pages of the new ones;
* a page without dated entries is walked as a page inside the window.

Dates say when an entry was published, not the year a report covers: a report is published
the year after, and some are re-published years later.  So ``years=`` never bounds pagination
by itself (a backfill of years walks the whole archive); ``until=`` and ``since=`` are the
operator's promise about publication dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..families import Link
from .paging import Step
from .urls import page_number

NEWER, INSIDE, OLDER, UNDATED = "newer", "inside", "older", "undated"


@dataclass(frozen=True)
class Window:
    since: date | None = None
    until: date | None = None

    def place(self, dates: list[date]) -> str:
        """Where a listing page with entries of these dates lies against the window."""
        if not dates:
            return UNDATED
        if self.since is not None and max(dates) < self.since:
            return OLDER
        if self.until is not None and min(dates) > self.until:
            return NEWER
        return INSIDE

    def admits(self, link: Link) -> bool:
        """An entry is asked for unless its date is before ``since``."""
        d = entry_date(link)
        return d is None or self.since is None or d >= self.since


def parse(since: str | None, until: str | None) -> Window | None:
    """``-a since=2024-01-01 -a until=2018-12-31`` → a Window; neither → None."""
    bounds: list[date | None] = []
    for name, value in (("since", since), ("until", until)):
        if value is None or not str(value).strip():
            bounds.append(None)
            continue
        try:
            bounds.append(date.fromisoformat(str(value).strip()))
        except ValueError:
            raise ValueError(
                f"-a {name}={value!r}: give a date as YYYY-MM-DD, e.g. -a {name}=2024-01-01"
            ) from None
    if bounds[0] and bounds[1] and bounds[0] > bounds[1]:
        raise ValueError(f"-a since={since} is after -a until={until}: the window is empty")
    return Window(*bounds) if any(bounds) else None


def entry_date(link: Link) -> date | None:
    try:
        return date.fromisoformat(link.date) if link.date else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Search:
    """A binary search for the first page of the window: ``urls`` are the pager's pages after
    the first, in page order; the page at ``at`` is the one being asked."""

    urls: tuple[str, ...]
    lo: int
    hi: int
    at: int


@dataclass(frozen=True)
class Moves:
    entries: bool  # follow the page's entries
    steps: tuple[Step, ...] = ()  # pager steps to ask for, walked as usual
    probe: Search | None = None  # the next page of a binary search
    restart: str | None = None  # the first page of the window, found: asked afresh


def moves(window: Window, place: str, steps: list[Step], url: str, search: Search | None) -> Moves:
    """What a listing page at ``url`` (with its pager ``steps``) leads to, inside a window."""
    if search is not None:
        lo, hi = (search.at + 1, search.hi) if place == NEWER else (search.lo, search.at)
        if lo < hi:
            return Moves(False, probe=Search(search.urls, lo, hi, (lo + hi) // 2))
        if lo >= len(search.urls):
            return Moves(False)  # every page is newer than the window
        if lo != search.at:
            return Moves(False, restart=search.urls[lo])
        # this very page is the first of the window: walked from here
    if place == OLDER:
        return Moves(False)
    here = page_number(url)
    later = sorted(
        (
            s
            for s in steps
            if s.form is None and s.number is not None and (here is None or s.number > here)
        ),
        key=lambda s: s.number or 0,
    )
    if place == NEWER and search is None and window.until is not None:
        numbered = _numbered(later)
        if len(numbered) > 2:
            last = len(numbered) - 1
            return Moves(False, probe=Search(numbered, 0, last, last // 2))
    if later:
        nxt: tuple[Step, ...] = (later[0],)
    else:  # a next link without a number (下一页 to an opaque URL)
        nxt = tuple(s for s in steps if s.form is None and s.number is None)[:1]
    return Moves(place != NEWER, nxt)


def _numbered(steps: list[Step]) -> tuple[str, ...]:
    """The planned pages (from a declared count), one URL per number, in order."""
    by_number: dict[int, str] = {}
    for s in steps:
        if s.probe and s.number is not None:
            by_number.setdefault(s.number, s.url)
    return tuple(by_number[n] for n in sorted(by_number))
