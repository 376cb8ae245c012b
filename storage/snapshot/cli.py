"""`snapshot OUT` for both command lines: `python -m storage snapshot` and `scrapy snapshot`.

OUT is a directory, or a store URI (file:… or s3://BUCKET/PREFIX) the snapshot is uploaded
under; for S3 a presigned URL of its manifest.json is printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from .. import open_store
from ..catalog import Catalog, state_dir
from ..keys import redact_uri
from . import build_snapshot
from .bodies import registry_entries
from .query import SnapshotQuery, parse_years, utc_time

PRESIGN_SECONDS = 7 * 24 * 3600
_T = TypeVar("_T")


# The query's options (each a string, "" for any) and the output's switches: one table each.
_QUERY_OPTIONS = (
    ("--years", "2019-2023, 2021 or 2019,2021 (default: every year)"),
    ("--region", "a 行政区划代码 prefix (37, 3707) or part of a region name (山东)"),
    ("--level", "county, township or department"),
    ("--template", "2019, 2021 or freeform"),
    ("--checks", "passed (no failed check C1–C8) or failed"),
    ("--as-of", "the corpus as the store held it then (ISO time or date, UTC)"),
)
_SWITCHES = (
    ("--raw", "also copy the bytes each portal served into raw/"),
    (
        "--wacz",
        "also package the report pages' WARC records as archive.wacz (extra: nianbao[wacz])",
    ),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "out", help="a new directory, or a store URI (file:…, s3://bucket/prefix) to upload to"
    )
    for flag, text in _QUERY_OPTIONS:
        parser.add_argument(flag, default="", help=text)
    parser.add_argument(
        "--sites",
        action="append",
        default=[],
        help="registry file(s) beside crawler/sites.json (as the SITES_FILE setting; "
        "python -m storage also reads $SITES_FILE)",
    )
    for flag, text in _SWITCHES:
        parser.add_argument(flag, action="store_true", help=text)


def query_of(args: argparse.Namespace) -> SnapshotQuery:
    return SnapshotQuery(
        years=parse_years(args.years) if args.years else (),
        region=args.region,
        level=args.level,
        template=args.template,
        checks=args.checks,
        as_of=utc_time(args.as_of) if args.as_of else "",
    )


def _progress(it: Iterable[_T], total: int) -> Iterable[_T]:
    """A tqdm bar on stderr when stdout is a terminal and the snapshot is long enough."""
    if not sys.stdout.isatty() or total < 50:
        return it
    from tqdm import tqdm

    return tqdm(it, total=total, unit="report", file=sys.stderr)


def _is_uri(out: str) -> bool:
    return out.startswith(("file:", "s3:")) or "://" in out


def run(
    args: argparse.Namespace, store_uri: str, state_root: str, sites_files: Iterable[str] = ()
) -> int:
    query = query_of(args)
    store = open_store(store_uri)
    catalog = Catalog(state_dir(state_root, store_uri) / "catalog.sqlite")
    if not catalog.complete:
        n = catalog.rebuild(store)
        print(
            f"snapshot: the catalog of {redact_uri(store_uri)} did not hold the whole store; "
            "rebuilt "
            f"it from the store ({n} captures)",
            file=sys.stderr,
        )
    entries = registry_entries([*sites_files, *args.sites])
    if not _is_uri(args.out):
        manifest = build_snapshot(
            store,
            catalog,
            Path(args.out),
            query,
            entries,
            raw=args.raw,
            wacz=args.wacz,
            progress=_progress,
        )
        print(
            f"snapshot: {manifest['counts']['reports']} reports as of {manifest['as_of']} "
            f"in {args.out}",
            file=sys.stderr,
        )
        print(Path(args.out).resolve() / "manifest.json")
        return 0
    target = open_store(args.out)
    if next(iter(target.list()), None) is not None:
        raise SystemExit(
            f"snapshot: {redact_uri(args.out)} is not empty; give a new prefix "
            "(a snapshot is never written over another)"
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-snapshot-") as tmp:
        root = Path(tmp) / "snapshot"
        manifest = build_snapshot(
            store, catalog, root, query, entries, raw=args.raw, wacz=args.wacz, progress=_progress
        )
        for entry in manifest["files"]:
            target.put_file(entry["path"], root / entry["path"])
        target.put_file("manifest.json", root / "manifest.json", "application/json")
    print(
        f"snapshot: {manifest['counts']['reports']} reports as of {manifest['as_of']} under "
        f"{redact_uri(args.out)}",
        file=sys.stderr,
    )
    presign = getattr(target, "presigned_url", None)
    print(
        presign("manifest.json", PRESIGN_SECONDS)
        if presign
        else f"{args.out.rstrip('/')}/manifest.json"
    )
    return 0
