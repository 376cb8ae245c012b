"""The snapshot's tables: their columns (one home for names, types and meanings) and rows.

Parquet, CSV, datapackage.json and the README's data dictionary are all written from
REPORT_COLUMNS / CELL_COLUMNS / GAP_COLUMNS / COVERAGE_COLUMNS, so they cannot disagree.
In CSV a list is a JSON array, a missing value an empty field, a boolean true/false.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from .crossyear import CrossYearResult
from .select import Chosen

_OTHER = pa.list_(
    pa.struct(
        [
            ("url", pa.string()),
            ("fetched_at", pa.string()),
            ("sha256", pa.string()),
            ("relation", pa.string()),
        ]
    )
)


@dataclass(frozen=True)
class Column:
    name: str
    arrow: pa.DataType
    kind: str  # Frictionless field type
    description: str


REPORT_COLUMNS = (
    Column(
        "report_id",
        pa.string(),
        "string",
        "region code (or portal) / body / report year: one row per body and year",
    ),
    Column(
        "body",
        pa.string(),
        "string",
        "the reporting body, one name across years (顾县镇人民政府 → 顾县镇)",
    ),
    Column("org_name", pa.string(), "string", "the body as this report names itself"),
    Column("level", pa.string(), "string", "county, township or department"),
    Column(
        "region", pa.string(), "string", "region of the registry entry the report was found under"
    ),
    Column(
        "region_code", pa.string(), "string", "its 行政区划代码; empty when the registry gives none"
    ),
    Column("portal", pa.string(), "string", "registry name of the portal (or its host)"),
    Column(
        "report_year",
        pa.int64(),
        "integer",
        "the year the report covers (not the year it was published)",
    ),
    Column(
        "template", pa.string(), "string", "2019 or 2021 national form, or freeform (no tables)"
    ),
    Column("title", pa.string(), "string", "the report's title"),
    Column("published_date", pa.date32(), "date", "发布日期 of the page's metadata header"),
    Column("written_date", pa.date32(), "date", "成文日期 of the page's metadata header"),
    Column("index_no", pa.string(), "string", "索引号 of the page's metadata header"),
    Column("publisher", pa.string(), "string", "发布机构 of the page's metadata header"),
    Column("url", pa.string(), "string", "the page the report was read from"),
    Column("fetched_at", pa.string(), "string", "capture time of the page used (ISO 8601, UTC)"),
    Column("sha256", pa.string(), "string", "SHA-256 of the bytes the portal served"),
    Column(
        "text_file",
        pa.string(),
        "string",
        "the report's text in this snapshot (texts/<sha256>.txt)",
    ),
    Column(
        "checks_passed", pa.int64(), "integer", "arithmetic checks C1–C8 of the report that hold"
    ),
    Column("checks_failed", pa.int64(), "integer", "arithmetic checks C1–C8 that fail"),
    Column("failed_checks", pa.list_(pa.string()), "array", "each failed check: rule and where"),
    Column(
        "cross_year_failed",
        pa.list_(pa.string()),
        "array",
        "each failed cross-year check X1–X3 against last year's report",
    ),
    Column(
        "flags", pa.list_(pa.string()), "array", "how the report was read where it was not plain"
    ),
    Column(
        "other_captures",
        _OTHER,
        "array",
        "captures that lost to this one: copies, older revisions, earlier versions of the URL",
    ),
)

CELL_COLUMNS = (
    Column("report_id", pa.string(), "string", "the report (reports.report_id)"),
    Column("report_year", pa.int64(), "integer", "its year, for convenience"),
    Column(
        "table",
        pa.string(),
        "string",
        "active (table 二), applications (三), review_litigation (四)",
    ),
    Column("row", pa.string(), "string", "row key (docs/report-schema.md)"),
    Column("column", pa.string(), "string", "column key"),
    Column(
        "value", pa.float64(), "number", "the number; empty where the report gives nothing readable"
    ),
    Column(
        "unit",
        pa.string(),
        "string",
        "件 for counts; 元 or 万元 for money (empty: the report gives none)",
    ),
    Column(
        "derived",
        pa.bool_(),
        "boolean",
        "true: not printed in the report, computed by the 2019↔2021 crosswalk",
    ),
    Column(
        "flags",
        pa.list_(pa.string()),
        "array",
        "the report's flags about this cell, and failed cross-year checks",
    ),
    Column(
        "cross_year_check",
        pa.string(),
        "string",
        "X1–X3 when this cell was checked against last year's report",
    ),
    Column("cross_year_ok", pa.bool_(), "boolean", "that check's result"),
)

GAP_COLUMNS = (
    Column("body_id", pa.string(), "string", "region code (or portal) / body"),
    Column("body", pa.string(), "string", "the body"),
    Column("level", pa.string(), "string", "county, township or department"),
    Column("region", pa.string(), "string", "its region"),
    Column("region_code", pa.string(), "string", "its 行政区划代码"),
    Column("year", pa.int64(), "integer", "a year of the window without a report of the body"),
    Column(
        "reason",
        pa.string(),
        "string",
        "why the body is expected: reports in other years, or the registry",
    ),
)

COVERAGE_COLUMNS = (
    Column(
        "region_code",
        pa.string(),
        "string",
        "行政区划代码 (or portal when the registry gives none)",
    ),
    Column("region", pa.string(), "string", "region name"),
    Column("year", pa.int64(), "integer", "report year"),
    Column("reports", pa.int64(), "integer", "reports in the snapshot"),
)

# Money cells and their unit; every other cell counts items (件).
_MONEY = {"active.fees.amount_wan_yuan": "万元"}
_UNIT_OF = {"active.procurement.amount": "amount_unit"}
# 2019 ↔ 2021: a 2019 row that is the sum of 2021 rows (docs/report-schema.md, crosswalk).
DERIVED_SUMS = {
    ("applications", "other_handling"): ("other_no_correction", "other_unpaid_fee", "other_misc")
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FLAG_PATH = re.compile(r":\s*((?:active|applications|review_litigation)(?:\.[A-Za-z_*]+)*)\s*$")


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and _DATE.match(value) else None


def _flags_by_path(flags: list[str]) -> dict[str, list[str]]:
    """The report's flags that name a path (…: applications.granted.research)."""
    paths: dict[str, list[str]] = {}
    for flag in flags:
        match = _FLAG_PATH.search(flag)
        if match:
            paths.setdefault(match[1], []).append(flag)
    return paths


def _applies(flag_path: str, cell_path: str) -> bool:
    return cell_path == flag_path or cell_path.startswith(flag_path + ".")


def report_row(c: Chosen, checks: list[CrossYearResult], text_file: str | None) -> dict[str, Any]:
    w, report = c.winner, c.winner.report
    meta = w.record.get("meta") or {}
    results = report.get("checks") or []
    return {
        "report_id": c.report_id,
        "body": w.body,
        "org_name": report.get("org_name"),
        "level": w.level,
        "region": w.region,
        "region_code": w.code,
        "portal": w.portal,
        "report_year": w.year,
        "template": report.get("template"),
        "title": report.get("title") or w.record.get("title"),
        "published_date": _date(meta.get("published_date")),
        "written_date": _date(meta.get("written_date")),
        "index_no": meta.get("index_no"),
        "publisher": meta.get("publisher"),
        "url": w.capture.url,
        "fetched_at": w.capture.fetched_at,
        "sha256": w.capture.sha256,
        "text_file": text_file,
        "checks_passed": sum(1 for r in results if r.get("ok") is True),
        "checks_failed": sum(1 for r in results if r.get("ok") is False),
        "failed_checks": [
            f"{r['rule']} {r.get('where', '')}".strip() for r in results if r.get("ok") is False
        ],
        "cross_year_failed": [f"{x.rule} {x.path}" for x in checks if not x.ok],
        "flags": list(report.get("flags") or []) + list(w.record.get("flags") or []),
        "other_captures": c.others,
    }


def cell_rows(c: Chosen, checks: list[CrossYearResult]) -> list[dict[str, Any]]:
    report = c.winner.report
    flagged = _flags_by_path(list(report.get("flags") or []))
    by_path = {x.path: x for x in checks}
    rows = []

    def add(
        table: str, row: str, column: str, value: float | None, unit: str | None, derived: bool
    ) -> None:
        path = f"{table}.{row}.{column}"
        flags = [f for p, fs in flagged.items() if _applies(p, path) for f in fs]
        check = by_path.get(path)
        if check is not None and not check.ok:
            flags.append(check.message)
        rows.append(
            {
                "report_id": c.report_id,
                "report_year": c.winner.year,
                "table": table,
                "row": row,
                "column": column,
                "value": _number(value),
                "unit": unit,
                "derived": derived,
                "flags": flags,
                "cross_year_check": check.rule if check else None,
                "cross_year_ok": check.ok if check else None,
            }
        )

    for table in ("active", "applications", "review_litigation"):
        for row, cells in sorted((report.get(table) or {}).items()):
            if not isinstance(cells, dict):
                continue
            for column, value in sorted(cells.items()):
                if column == "amount_unit":
                    continue  # the unit of the amount cell, not a cell
                path = f"{table}.{row}.{column}"
                unit = _MONEY.get(path) or (cells.get(_UNIT_OF[path]) if path in _UNIT_OF else "件")
                add(table, row, column, value, unit, False)
        for (t, row), parts in DERIVED_SUMS.items():
            cells = report.get(t) or {}
            if t != table or row in cells or not all(p in cells for p in parts):
                continue
            for column in sorted(cells[parts[0]]):
                values = [_number(cells[p].get(column)) for p in parts]
                known = [v for v in values if v is not None]
                add(t, row, column, sum(known) if len(known) == len(values) else None, "件", True)
    return rows


def arrow_table(rows: list[dict[str, Any]], columns: Iterable[Column]) -> pa.Table:
    schema = pa.schema([pa.field(col.name, col.arrow) for col in columns])
    return pa.Table.from_pylist(rows, schema=schema)
