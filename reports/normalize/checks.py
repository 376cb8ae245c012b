"""Checks C1–C8 (docs/report-templates.md §4; docs/report-schema.md and docs/data-dictionary.md,
checks).

C1, C2, C3, C5, C6, C7 compare sums; C4 and C8 say every cell of tables 三 and 四 is a
non-negative integer (a negative or fractional count is a misread or a data error).

A check whose cells are null or whose rows are missing is not evaluable: ok is None and
the detail says why. It is never reported as passed.
"""

from __future__ import annotations

from typing import Any

from .layout import APPLICANT_ORDER, OTHER_ROWS, RESULT_ROWS, REVIEW_LEAF_ORDER
from .tables import Record, Table

#: One side of a comparison: its description and the (cell path, value) pairs it sums.
Side = tuple[str, list[tuple[str, Any]]]

_SIX = APPLICANT_ORDER[:-1]
_REVIEW_RULES = (("C5", "review"), ("C6", "suit_direct"), ("C7", "suit_after_review"))


def _entry(rule: str, where: str, left: Side, right: Side) -> Record:
    """Compare two sums; each side is (description, [(name, value), ...])."""
    missing = [name for name, value in left[1] + right[1] if value is None]
    if missing:
        return {
            "rule": rule,
            "ok": None,
            "where": where,
            "detail": "not evaluable: null or missing " + ", ".join(missing),
        }
    lsum = sum(value for _, value in left[1])
    rsum = sum(value for _, value in right[1])
    ok = lsum == rsum
    detail = "" if ok else f"{left[0]} = {lsum}, {right[0]} = {rsum}"
    return {"rule": rule, "ok": ok, "where": where, "detail": detail}


def _cell(table: Table, row: str, column: str) -> tuple[str, Any]:
    return f"{row}.{column}", table.get(row, {}).get(column)


def check_applications(apps: Table, template: str) -> list[Record]:
    if not apps:
        return []
    checks = []
    for row, values in apps.items():
        six = [(f"{row}.{c}", values.get(c)) for c in _SIX]
        checks.append(
            _entry(
                "C1",
                f"applications.{row}",
                ("total", [(f"{row}.total", values.get("total"))]),
                ("sum of six applicant columns", six),
            )
        )
    use_2021 = template == "2021" or any(r in apps for r in OTHER_ROWS["2021"])
    result_rows = RESULT_ROWS["2021" if use_2021 else "2019"]
    for column in APPLICANT_ORDER:
        where = f"applications.*.{column}"
        checks.append(
            _entry(
                "C2",
                where,
                (
                    "new_received + carried_over",
                    [_cell(apps, "new_received", column), _cell(apps, "carried_over", column)],
                ),
                (
                    "total_handled + carried_forward",
                    [_cell(apps, "total_handled", column), _cell(apps, "carried_forward", column)],
                ),
            )
        )
        checks.append(
            _entry(
                "C3",
                where,
                ("total_handled", [_cell(apps, "total_handled", column)]),
                ("sum of results", [_cell(apps, row, column) for row in result_rows]),
            )
        )
    return checks


def _counts(rule: str, where: str, values: dict[str, object]) -> Record:
    """Every cell a non-negative integer (C4 per table-三 row, C8 per table-四 group)."""
    missing = [column for column, value in values.items() if value is None]
    if missing:
        return {
            "rule": rule,
            "ok": None,
            "where": where,
            "detail": "not evaluable: null " + ", ".join(missing),
        }
    bad = [
        f"{column} = {value}"
        for column, value in values.items()
        if not isinstance(value, int) or value < 0
    ]
    return {"rule": rule, "ok": not bad, "where": where, "detail": "; ".join(bad)}


def check_counts(apps: Table, review: Table) -> list[Record]:
    return [_counts("C4", f"applications.{row}", values) for row, values in apps.items()] + [
        _counts("C8", f"review_litigation.{group}", values) for group, values in review.items()
    ]


def check_review(review: Table) -> list[Record]:
    checks = []
    for rule, group in _REVIEW_RULES:
        if group not in review:
            continue
        parts = [_cell(review, group, leaf) for leaf in REVIEW_LEAF_ORDER[:-1]]
        checks.append(
            _entry(
                rule,
                f"review_litigation.{group}",
                ("total", [_cell(review, group, "total")]),
                ("sum of results", parts),
            )
        )
    return checks


def run_checks(apps: Table, review: Table, template: str) -> list[Record]:
    return check_applications(apps, template) + check_review(review) + check_counts(apps, review)
