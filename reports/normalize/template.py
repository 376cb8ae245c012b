"""Which national form a report's tables follow: "2019", "2021" or "freeform".

Decided from the labels, never from the year alone (docs/report-templates.md §1: 2021 reports that
reuse the 2019 tables exist, and 2021 tables that keep the label 规范性文件). Order of evidence:

1. labels that exist in one form only (本年制发件数, 上一年项目数量, 申请人逾期未按收费…);
2. rows that exist in one form only, found through their row labels (其他对外管理服务事项 and
   政府集中采购 are 2019; the three (六) sub-rows are 2021);
3. only when the labels say nothing: the report year (2021 on → 2021).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .labels import TEMPLATE_MARKERS, lookup

ROWS_2019 = frozenset({"other_services", "procurement"})
ROWS_2021 = frozenset({"other_no_correction", "other_unpaid_fee"})
FIRST_2021_YEAR = 2021


def vote(labels: Iterable[str]) -> str | None:
    """ "2021" or "2019" from the form-only labels present, None if there are none.

    A 2021 report that keeps a 2019 row label (规范性文件) still has more 2021 markers.
    Header cells split over two lines ("本年新" + "制作数量") are tried joined as well.
    """
    votes: Counter[str] = Counter()
    previous = ""
    for label in labels:
        key = lookup(TEMPLATE_MARKERS, label)
        if key is None and previous:
            key = lookup(TEMPLATE_MARKERS, previous + label)
        if key:
            votes[key] += 1
        previous = label if key is None else ""
    if not votes:
        return None
    return "2021" if votes["2021"] > votes["2019"] else "2019"


def from_rows(row_keys: Iterable[str]) -> str | None:
    keys = set(row_keys)
    if keys & ROWS_2021:
        return "2021"
    if keys & ROWS_2019:
        return "2019"
    return None


def from_year(year: int | None) -> str:
    return "2021" if year is not None and year >= FIRST_2021_YEAR else "2019"
