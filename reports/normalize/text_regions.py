"""Where tables 二, 三 and 四 lie in a report's cell stream.

Each table starts at its own labels: table 二 at a 第二十条 caption, 信息内容 or a row label;
table 三 at its 勾稽 note, 申请人情况 or 一、本年新收… (at any of its row labels in a text
that begins inside it); table 四 at 行政复议/行政诉讼, or at the
section heading of 三 or 四 where that comes first (PDF text breaks the labels beyond
recognition; a lost note line would leave the header out).
Each ends where the next begins or at the next section heading, so a number in the prose
around a table is never read as a cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .labels import (
    ACTIVE_ROWS,
    ACTIVE_STRUCTURE,
    APPLICANT_COLUMNS,
    APPLICATION_ANCHORS,
    APPLICATION_ROWS,
    REVIEW_GROUPS,
    SECTION_HEADINGS,
    lookup,
)
from .textprep import Cell

# Section headings are short lines; a longer cell that starts like one is prose.
MAX_HEADING_CHARS = 40

Span = tuple[int, int]


@dataclass(frozen=True)
class Regions:
    active: Span | None
    applications: Span | None
    review: Span | None


def _first(cells: list[Cell], start: int, test: Callable[[str], bool]) -> int | None:
    return next(
        (k for k in range(start, len(cells)) if cells[k].is_text and test(cells[k].text)), None
    )


def _heading(key: str) -> Callable[[str], bool]:
    return lambda text: len(text) <= MAX_HEADING_CHARS and lookup(SECTION_HEADINGS, text) == key


def _starts_active(text: str) -> bool:
    return lookup(ACTIVE_STRUCTURE, text) is not None or lookup(ACTIVE_ROWS, text) is not None


def _starts_applications(text: str) -> bool:
    return (
        lookup(APPLICATION_ANCHORS, text) is not None
        or lookup(APPLICATION_ROWS, text) == "new_received"
    )


def _continues_applications(text: str) -> bool:
    """Any row label of table 三 that is no column label too (其他, 总计): where a text begins
    inside the table (a flipbook page, "四、结转下年度继续办理 0 0 0 0 0 0 0"), it has neither
    the table's header nor its first row."""
    return lookup(APPLICATION_ROWS, text) is not None and lookup(APPLICANT_COLUMNS, text) is None


def _starts_review(text: str) -> bool:
    return lookup(REVIEW_GROUPS, text) in ("review", "litigation")


def _earliest(anchor: int | None, heading: int | None) -> int | None:
    """A table starts at its section heading when that comes first: the header rows between
    the heading and the first recognised label (总计 before 自然人) belong to the table."""
    found = [k for k in (anchor, heading) if k is not None]
    return min(found) if found else None


def _end(cells: list[Cell], start: int, *candidates: int | None) -> int:
    return min([c for c in candidates if c is not None and c > start] or [len(cells)])


def find_regions(cells: list[Cell]) -> Regions:
    def heading(key: str, start: int = 0) -> int | None:
        return _first(cells, start, _heading(key))

    t2 = _first(cells, heading("active") or 0, _starts_active)
    t3 = _earliest(_first(cells, t2 or 0, _starts_applications), heading("applications", t2 or 0))
    if t3 is None:
        t3 = _first(cells, t2 or 0, _continues_applications)
    after3 = t3 if t3 is not None else (t2 or 0)
    t4 = _earliest(_first(cells, after3, _starts_review), heading("review", after3))
    active = applications = review = None
    if t2 is not None:
        active = (t2, _end(cells, t2, t3, heading("applications", t2), t4, heading("problems", t2)))
    if t3 is not None:
        applications = (t3, _end(cells, t3, t4, heading("review", t3 + 1), heading("problems", t3)))
    if t4 is not None:
        review = (t4, _end(cells, t4, heading("problems", t4), heading("other", t4)))
    return Regions(active, applications, review)
