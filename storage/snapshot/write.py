"""Writing a snapshot's files: CSV and Parquet tables, datapackage.json, README.md, manifest.json.

Everything here is a function of the selected data only (no clock, no temporary path, sorted
keys and rows), so the same store, query and as-of time give the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .tables import Column, arrow_table


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(path: Path, rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow([c.name for c in columns])
        for row in rows:
            out.writerow([_csv_value(row[c.name]) for c in columns])


def write_parquet(path: Path, rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> None:
    pq.write_table(arrow_table(rows, columns), path, compression="zstd")


def file_entry(root: Path, path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return {
        "path": path.relative_to(root).as_posix(),
        "sha256": digest.hexdigest(),
        "bytes": path.stat().st_size,
    }


def table_schema(
    columns: tuple[Column, ...], primary_key: list[str] | None = None
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [{"name": c.name, "type": c.kind, "description": c.description} for c in columns],
        "missingValues": [""],
    }
    if primary_key:
        schema["primaryKey"] = primary_key
    return schema


def datapackage(
    root: Path,
    resources: list[tuple[str, str, tuple[Column, ...], list[str] | None, str]],
    title: str,
    description: str,
) -> dict[str, Any]:
    """A Frictionless tabular data package of the CSV tables, each with its hash and size."""
    out = []
    for name, path, columns, key, desc in resources:
        entry = file_entry(root, root / path)
        out.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": desc,
                "hash": f"sha256:{entry['sha256']}",
                "bytes": entry["bytes"],
                "schema": table_schema(columns, key),
            }
        )
    return {
        "name": "nianbao-snapshot",
        "title": title,
        "description": description,
        "profile": "tabular-data-package",
        "resources": out,
    }


def dump_json(path: Path, obj: object) -> None:
    path.write_text(
        json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def manifest(
    root: Path,
    query: dict[str, Any],
    as_of: str,
    store: str,
    code_version: dict[str, Any],
    counts: dict[str, Any],
) -> dict[str, Any]:
    files = sorted(
        (file_entry(root, p) for p in root.rglob("*") if p.is_file() and p.name != "manifest.json"),
        key=lambda f: f["path"],
    )
    return {
        "nianbao_snapshot": 1,
        "query": query,
        "as_of": as_of,
        "store": store,
        "code_version": code_version,
        "counts": counts,
        "files": files,
    }
