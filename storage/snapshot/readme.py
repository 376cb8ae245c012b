"""The snapshot's README.md: counts, coverage, gaps, cross-year checks, the data dictionary,
queries that run as written (tests/storage/test_snapshot.py runs them), and how to cite."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .crossyear import RULES, CrossYearResult
from .tables import CELL_COLUMNS, COVERAGE_COLUMNS, GAP_COLUMNS, REPORT_COLUMNS, Column

QUERIES_SQL = (
    (
        "Reports per year",
        (
            "SELECT report_year, count(*) AS reports FROM 'reports.parquet' "
            "GROUP BY report_year ORDER BY report_year;"
        ),
    ),
    (
        "Cells that fail a cross-year check",
        (
            'SELECT report_id, "row", "column", value, cross_year_check '
            "FROM 'cells.parquet' WHERE cross_year_ok = false ORDER BY ALL;"
        ),
    ),
    (
        "Bodies missing a year",
        (
            'SELECT body_id, list("year" ORDER BY "year") AS missing FROM '
            "'coverage_gaps.csv' GROUP BY body_id ORDER BY body_id;"
        ),
    ),
)
QUERIES_PY = (
    (
        "DuckDB from Python: reports per level",
        (
            'import duckdb; print(duckdb.sql("SELECT level, count(*) FROM '
            "'reports.parquet' GROUP BY level "
            'ORDER BY level").fetchall())'
        ),
    ),
    (
        "pandas: reports per year",
        (
            "import pandas as pd; "
            "print(pd.read_parquet('reports.parquet').groupby('report_year').size().to_dict())"
        ),
    ),
    (
        "pandas: reports that give 本年新收 (总计), from the long cells table",
        (
            "import pandas as pd; c = pd.read_parquet('cells.parquet'); print(len(c.query("
            "\"table == 'applications' and row == 'new_received' and column == 'total'\")))"
        ),
    ),
)


def _years(years: list[int]) -> str:
    """2019, 2020, 2021, 2023 → 2019–2021, 2023."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(v) for v in row) + " |" for row in rows]
    return out


def _dictionary(name: str, columns: tuple[Column, ...]) -> list[str]:
    return [
        f"### {name}",
        "",
        *_table(
            ["column", "type", "meaning"], [[f"`{c.name}`", c.kind, c.description] for c in columns]
        ),
        "",
    ]


def render(
    *,
    query: dict[str, Any],
    as_of: str,
    store: str,
    code_version: dict[str, Any],
    reports: list[dict[str, Any]],
    coverage: list[dict[str, Any]],
    gaps: list[dict[str, Any]],
    checks: list[CrossYearResult],
    unplaced: int,
    digests: dict[str, str],
    with_raw: bool,
    with_wacz: bool = False,
) -> str:
    by_year = Counter(r["report_year"] for r in reports)
    by_level = Counter(r["level"] for r in reports)
    by_template = Counter(r["template"] for r in reports)
    bodies = {r["report_id"].rsplit("/", 1)[0] for r in reports}
    failed = sum(r["checks_failed"] for r in reports)
    passed = sum(r["checks_passed"] for r in reports)
    filters = (
        ", ".join(
            f"{k} {v if not isinstance(v, list) else _years(v)}"
            for k, v in query.items()
            if v and k != "as_of"
        )
        or "none"
    )
    lines = [
        "# nianbao corpus snapshot: 政府信息公开工作年度报告",
        "",
        (
            f"Reports of Chinese government bodies on their information disclosure, as the store "
            f"`{store}` held them at **{as_of}**. Filters: {filters}."
        ),
        "",
        "## Counts",
        "",
        (
            f"{len(reports)} reports of {len(bodies)} bodies, one per body and year; "
            f"arithmetic checks C1–C8: {passed} passed, {failed} failed. {unplaced} captured pages "
            "name no body or year and "
            "are left out (manifest.json, `unplaced`)."
        ),
        "",
        *_table(["year", "reports"], [[y, by_year[y]] for y in sorted(by_year)]),
        "",
        *_table(["level", "reports"], [[k, by_level[k]] for k in sorted(by_level)]),
        "",
        *_table(
            ["template", "reports"], [[k, by_template[k]] for k in sorted(by_template, key=str)]
        ),
        "",
        "## Coverage",
        "",
        (
            "`coverage.png` is the heatmap of this table (rows by region code); "
            "`coverage.csv` holds it."
        ),
        "",
    ]
    years = sorted({c["year"] for c in coverage})
    regions = sorted({(c["region_code"], c["region"]) for c in coverage})
    cell = {(c["region_code"], c["year"]): c["reports"] for c in coverage}
    lines += _table(
        ["region code", "region", *map(str, years)],
        [[code, name, *(cell.get((code, y), 0) for y in years)] for code, name in regions],
    )
    lines += [
        "",
        "## Coverage gaps",
        "",
        (
            "A body with reports in some years of the window but not in others, or "
            "named by the registry "
            "with no report at all, is listed with the years it is missing (`coverage_gaps.csv`)."
        ),
        "",
    ]
    missing: dict[str, list[dict[str, Any]]] = {}
    for g in gaps:
        missing.setdefault(g["body_id"], []).append(g)
    lines += [
        f"- {bid} ({rows[0]['level']}): no report for {', '.join(str(g['year']) for g in rows)} "
        f"({rows[0]['reason']})"
        for bid, rows in missing.items()
    ] or ["- none"]
    bad = [x for x in checks if not x.ok]
    lines += [
        "",
        "## Cross-year checks",
        "",
        "Each report is checked against the same body's report of the year before:",
        "",
        *[f"- {rule}: {text}" for rule, text in RULES.items()],
        "",
        (
            f"{len(checks)} evaluated, {len(bad)} failed. Each result is on its cell in `cells` "
            "(`cross_year_check`, `cross_year_ok`, and a flag when it fails):"
        ),
        "",
    ]
    lines += [f"- {x.report_id}: {x.message}" for x in bad] or ["- none failed"]
    lines += [
        "",
        "## Files",
        "",
        "- `reports.parquet`, `reports.csv`: one row per report",
        "- `cells.parquet`, `cells.csv`: one row per table cell (long format)",
        "- `coverage.csv`, `coverage.png`, `coverage_gaps.csv`",
        "- `texts/<sha256>.txt`: each report's text (tables as TAB-separated rows)",
    ]
    if with_raw:
        lines += ["- `raw/<sha256>`: the bytes each portal served (page and attachments)"]
    if with_wacz:
        lines += [
            (
                "- `archive.wacz`: the report pages' WARC records as the portals sent them, "
                "for pywb or ReplayWeb.page (the one file stamped with the time it was packaged)"
            )
        ]
    lines += [
        (
            "- `datapackage.json`: a Frictionless data package of the CSV tables "
            "(`frictionless validate datapackage.json`)"
        ),
        (
            "- `manifest.json`: every file with its SHA-256 and size, the query, the as-of "
            "time and the code version; the same store, query and as-of time give the same manifest"
        ),
        "",
        (
            "CSV files are UTF-8; a list is a JSON array, a missing value an empty field. "
            "The field names of the tables are those of the normalized report "
            "(`docs/report-schema.md` of nianbao)."
        ),
        "",
        "## Data dictionary",
        "",
        *_dictionary("reports", REPORT_COLUMNS),
        *_dictionary("cells", CELL_COLUMNS),
        *_dictionary("coverage_gaps", GAP_COLUMNS),
        *_dictionary("coverage", COVERAGE_COLUMNS),
        "## Querying",
        "",
        "With the DuckDB command line (`duckdb`), in this directory:",
        "",
    ]
    for title, sql in QUERIES_SQL:
        lines += [f"{title}:", "", "```sql", sql, "```", ""]
    lines += ["From Python (`pip install duckdb pandas pyarrow`), in this directory:", ""]
    for title, code in QUERIES_PY:
        lines += [f"{title}:", "", "```python", code, "```", ""]
    version = code_version.get("git") or code_version.get("package")
    lines += [
        "## How to cite",
        "",
        (
            f"nianbao corpus snapshot of 政府信息公开工作年度报告, {len(reports)} reports, as "
            f"of {as_of} "
            f"(filters: {filters}); made with nianbao {version}. "
            f"reports.parquet SHA-256 {digests.get('reports.parquet', '')}; "
            "manifest.json lists every file."
        ),
        "",
        (
            "Cite the report itself by its body, year, URL and capture time "
            "(`reports`: `org_name`, `report_year`, `url`, `fetched_at`); the `sha256` identifies "
            "the bytes archived."
        ),
        "",
    ]
    return "\n".join(lines)
