"""Checks across years: a body's report against its report of the year before.

    X1  applications.carried_over.<column>: 上年结转 = last year's 结转下年度继续办理
    X2  active.<row>.prev_items: 上一年项目数量 = last year's 上一年项目数量 + 本年增/减
    X3  active.<row>.total_published: 对外公开总数量 = last year's 对外公开总数量 + 本年新公开数量

X2 and X3 need two reports of the 2019 form (the 2021 form dropped those columns).  A rule is
evaluated only where both years' cells are numbers; each result belongs to a cell of the later
report (the `path`), which is how cells.parquet carries it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reports.normalize.layout import APPLICANT_ORDER

from .select import Chosen

# the columns of table 三, in the contract's order (docs/report-schema.md)
APPLICANT_COLUMNS = tuple(APPLICANT_ORDER)
STOCK_ROWS = ("licensing", "other_services", "penalty", "coercion", "fees")
PUBLISHED_ROWS = ("rules", "normative_documents")
RULES = {
    "X1": "上年结转 equals last year's 结转下年度继续办理 (table 三)",
    "X2": "上一年项目数量 equals last year's 上一年项目数量 + 本年增/减 (table 二, 2019 form)",
    "X3": (
        "对外公开总数量 equals last year's 对外公开总数量 + this year's 本年新公开数量 "
        "(table 二, 2019 form)"
    ),
}


@dataclass(frozen=True)
class CrossYearResult:
    report_id: str  # the later report
    previous_id: str  # the report of the year before
    rule: str
    path: str  # the later report's cell: applications.carried_over.total
    value: float
    expected: float
    ok: bool

    @property
    def message(self) -> str:
        return (
            f"{self.rule} {'passed' if self.ok else 'failed'}: {self.path} is {_num(self.value)}, "
            f"{_num(self.expected)} expected from {self.previous_id}"
        )


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _cell(report: dict[str, Any], path: str) -> float | None:
    node: object = report
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node if isinstance(node, (int, float)) and not isinstance(node, bool) else None


# Each rule: (name, the form both reports must be of or None, the rows or columns it runs
# over, the later report's cell, the cells whose sum that cell must equal, each from the
# report of the year before ("last") or the later one ("this")).  A rule is one row here.
_Rule = tuple[str, str | None, tuple[str, ...], str, tuple[tuple[str, str], ...]]
_RULE_TABLE: tuple[_Rule, ...] = (
    (
        "X1",
        None,
        APPLICANT_COLUMNS,
        "applications.carried_over.{}",
        (("last", "applications.carried_forward.{}"),),
    ),
    (
        "X2",
        "2019",
        STOCK_ROWS,
        "active.{}.prev_items",
        (("last", "active.{}.prev_items"), ("last", "active.{}.change")),
    ),
    (
        "X3",
        "2019",
        PUBLISHED_ROWS,
        "active.{}.total_published",
        (("last", "active.{}.total_published"), ("this", "active.{}.new_published")),
    ),
)


def _pairs(
    last: dict[str, Any], this: dict[str, Any]
) -> Iterable[tuple[str, str, float | None, float | None]]:
    """(rule, path, value, expected) for every rule evaluable between the two reports."""
    reports = {"last": last, "this": this}
    for rule, form, keys, cell, terms in _RULE_TABLE:
        if form is not None and not this.get("template") == last.get("template") == form:
            continue
        for key in keys:
            path = cell.format(key)
            parts = [_cell(reports[side], term.format(key)) for side, term in terms]
            known = [p for p in parts if p is not None]
            expected = sum(known) if len(known) == len(parts) else None
            yield rule, path, _cell(this, path), expected


def cross_year_checks(chosen: Iterable[Chosen]) -> list[CrossYearResult]:
    by_body: dict[str, dict[int, Chosen]] = {}
    for c in chosen:
        by_body.setdefault(c.winner.body_id, {})[c.winner.year] = c
    results = []
    for body_id in sorted(by_body):
        years = by_body[body_id]
        for year in sorted(years):
            if year - 1 not in years:
                continue
            last, this = years[year - 1], years[year]
            for rule, path, value, expected in _pairs(last.winner.report, this.winner.report):
                if value is None or expected is None:
                    continue
                results.append(
                    CrossYearResult(
                        this.report_id,
                        last.report_id,
                        rule,
                        path,
                        float(value),
                        float(expected),
                        value == expected,
                    )
                )
    return results
