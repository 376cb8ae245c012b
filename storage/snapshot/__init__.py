"""A researcher's snapshot of the corpus: one immutable directory that pandas, R or DuckDB
open without glue.

    from storage.snapshot import SnapshotQuery, build_snapshot
    query = SnapshotQuery(years=(2020, 2021), level="township")
    manifest = build_snapshot(store, catalog, Path("out"), query, registry_entries())

`python -m storage snapshot OUT` and `scrapy snapshot OUT` run it (storage/snapshot/cli.py).
Steps: the catalog's corpus as of a time (select) → one report per body and year (select) →
cross-year checks (crossyear) → the filters (query) → tables (tables), coverage (coverage),
README (readme), files and manifest (write).
"""

from __future__ import annotations

import json
import logging
import subprocess
from pathlib import Path
from typing import Any

from ..base import Store
from ..catalog import Catalog
from ..keys import redact_uri
from . import coverage as cov
from .bodies import Registry, RegistryEntry, registry_entries
from .crossyear import cross_year_checks
from .query import QueryError, SnapshotQuery, parse_years, utc_time
from .readme import render
from .select import Chosen, Progress, candidates, no_progress, one_per_body_year
from .tables import (
    CELL_COLUMNS,
    COVERAGE_COLUMNS,
    GAP_COLUMNS,
    REPORT_COLUMNS,
    cell_rows,
    report_row,
)
from .write import datapackage, dump_json, file_entry, manifest, write_csv, write_parquet

logger = logging.getLogger(__name__)
FAR_FUTURE = "9999-12-31T23:59:59+00:00"

__all__ = [
    "QueryError",
    "SnapshotQuery",
    "build_snapshot",
    "parse_years",
    "registry_entries",
    "utc_time",
]


def code_version() -> dict[str, Any]:
    """The package version and, in a git checkout, the commit (with -dirty for local changes)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = version("nianbao")
    except PackageNotFoundError:
        package = "unknown"
    try:
        git = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        git = ""
    return {"package": package, "git": git or None}


def _selected(c: Chosen, query: SnapshotQuery) -> bool:
    w, report = c.winner, c.winner.report
    failed = any(r.get("ok") is False for r in report.get("checks") or [])
    return (
        query.body_matches(w.level, w.code, w.region)
        and (not query.years or w.year in query.years)
        and (not query.template or report.get("template") == query.template)
        and (not query.checks or failed == (query.checks == "failed"))
    )


def build_snapshot(
    store: Store,
    catalog: Catalog,
    out: Path,
    query: SnapshotQuery,
    entries: list[RegistryEntry],
    *,
    raw: bool = False,
    wacz: bool = False,
    progress: Progress = no_progress,
) -> dict[str, Any]:
    """Write the snapshot into the empty (or new) directory `out`; returns the manifest."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(
            f"snapshot: {out} is not empty; give a new or empty directory "
            "(a snapshot is never written over another)"
        )
    out.mkdir(parents=True, exist_ok=True)
    when = query.as_of or FAR_FUTURE
    as_of = query.as_of or catalog.last_fetched() or ""
    # streamed: only the captures that are reports are kept, not the whole corpus
    found, unplaced = candidates(
        catalog.as_of(when), store, Registry(entries), progress, total=catalog.as_of_count(when)
    )
    chosen = one_per_body_year(found, catalog, as_of)
    checks = cross_year_checks(chosen)
    window = query.window(
        {
            c.winner.year
            for c in chosen
            if query.body_matches(c.winner.level, c.winner.code, c.winner.region)
        }
    )
    selected = [c for c in chosen if _selected(c, query)]
    checks_of: dict[str, list[Any]] = {}
    for x in checks:
        checks_of.setdefault(x.report_id, []).append(x)

    (out / "texts").mkdir()
    reports, cells = [], []
    for c in progress(selected, len(selected)):
        text_file = _copy_text(store, c, out)
        reports.append(report_row(c, checks_of.get(c.report_id, []), text_file))
        cells += cell_rows(c, checks_of.get(c.report_id, []))
        if raw:
            _copy_raw(store, c, out)
    if wacz:
        from .wacz import write_wacz

        write_wacz(store, catalog, selected, out / "archive.wacz")
    gaps = cov.gaps([c.winner for c in chosen], entries, query, window)
    counts = cov.coverage_counts(reports)

    for name, rows, columns in (
        ("reports", reports, REPORT_COLUMNS),
        ("cells", cells, CELL_COLUMNS),
    ):
        write_parquet(out / f"{name}.parquet", rows, columns)
        write_csv(out / f"{name}.csv", rows, columns)
    write_csv(out / "coverage_gaps.csv", gaps, GAP_COLUMNS)
    write_csv(out / "coverage.csv", counts, COVERAGE_COLUMNS)
    labels, years, grid = cov.heatmap_data(counts, window)
    cov.plot_heatmap(out / "coverage.png", labels, years, grid)

    query_dict = {**query.to_dict(), "as_of": query.as_of or None}
    title = "nianbao corpus snapshot: 政府信息公开工作年度报告"
    dump_json(
        out / "datapackage.json",
        datapackage(
            out,
            [
                (
                    "reports",
                    "reports.csv",
                    REPORT_COLUMNS,
                    ["report_id"],
                    "one row per report (body and year)",
                ),
                (
                    "cells",
                    "cells.csv",
                    CELL_COLUMNS,
                    None,
                    "one row per table cell of every report",
                ),
                (
                    "coverage_gaps",
                    "coverage_gaps.csv",
                    GAP_COLUMNS,
                    ["body_id", "year"],
                    "bodies missing a year",
                ),
                (
                    "coverage",
                    "coverage.csv",
                    COVERAGE_COLUMNS,
                    ["region_code", "year"],
                    "reports per region and year",
                ),
            ],
            title,
            f"As of {as_of}; query {json.dumps(query_dict, ensure_ascii=False, sort_keys=True)}",
        ),
    )
    version = code_version()
    digests = {
        name: file_entry(out, out / name)["sha256"] for name in ("reports.parquet", "cells.parquet")
    }
    (out / "README.md").write_text(
        render(
            query=query.to_dict(),
            as_of=as_of,
            store=redact_uri(store.uri),
            code_version=version,
            reports=reports,
            coverage=counts,
            gaps=gaps,
            checks=[x for x in checks if x.report_id in {r["report_id"] for r in reports}],
            unplaced=len(unplaced),
            digests=digests,
            with_raw=raw,
            with_wacz=wacz,
        ),
        encoding="utf-8",
    )
    counts_summary = {
        "reports": len(reports),
        "cells": len(cells),
        "coverage_gaps": len(gaps),
        "cross_year_failed": sum(
            1 for x in checks if not x.ok and x.report_id in {r["report_id"] for r in reports}
        ),
        "unplaced": len(unplaced),
    }
    result = manifest(out, query_dict, as_of, redact_uri(store.uri), version, counts_summary)
    result["unplaced"] = [
        {"url": u.url, "fetched_at": u.fetched_at, "reason": u.reason} for u in unplaced
    ]
    dump_json(out / "manifest.json", result)
    return result


def _copy_text(store: Store, c: Chosen, out: Path) -> str | None:
    try:
        text = store.get(c.winner.capture.text_key)
    except KeyError:
        logger.warning(
            "snapshot: %s has no text in the store (%s); its text_file is empty",
            c.winner.capture.url,
            c.winner.capture.text_key,
        )
        return None
    name = f"texts/{c.winner.capture.sha256}.txt"
    (out / name).write_bytes(text)
    return name


def _copy_raw(store: Store, c: Chosen, out: Path) -> None:
    (out / "raw").mkdir(exist_ok=True)
    keys = [c.winner.record.get("raw_key")] + [
        a.get("raw_key") for a in c.winner.record.get("attachments") or []
    ]
    for key in filter(None, keys):
        try:
            (out / "raw" / key.rsplit("/", 1)[1]).write_bytes(store.get(key))
        except KeyError:
            logger.warning(
                "snapshot: raw bytes %s of %s are not in the store", key, c.winner.capture.url
            )
