"""The store and its catalog from the command line.

    python -m storage captures URL                 every capture of a URL, oldest first
    python -m storage reports ORG_NAME YEAR        the reports of a body and year (latest capture)
    python -m storage as-of 2025-01-01T00:00:00Z   the corpus as it stood then, one line per URL
    python -m storage rebuild                      rebuild the catalog from the store
    python -m storage verify                       re-hash every raw/ object (fixity check)
    python -m storage copy SRC_URI DST_URI         copy a store into another (file <-> s3)
    python -m storage snapshot OUT [--years 2019-2023 --level township --region 37 --as-of T …]
                                                   a researcher's snapshot (storage/snapshot)
    python -m storage runs                         every run of the store, oldest first
    python -m storage run RUN_ID [--json]          one run's report: portals, counts, gone, monitors
    python -m storage gone                         reports recorded as gone, with the date last seen

Options: --store URI (default $STORE_URI, else file:./data, as the crawler) and --state-dir
(default .nianbao, the crawler's STATE_DIR).  Answers are JSON lines on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from . import keys, open_store
from .base import Store
from .catalog import Capture, Catalog, state_dir
from .snapshot import QueryError
from .snapshot import cli as snapshot_cli
from .snapshot.query import utc_time as _utc


def _catalog(args: argparse.Namespace) -> Catalog:
    return Catalog(state_dir(args.state_dir, args.store) / "catalog.sqlite")


def _print(captures: Iterable[Capture]) -> None:
    for capture in captures:
        print(json.dumps(asdict(capture), ensure_ascii=False))


def copy(src: Store, dst: Store) -> int:
    """Copy every object; raw/ objects are re-hashed on the way and written only if absent."""
    n = 0
    for key in src.list():
        data = src.get(key)
        if key.startswith("raw/sha256/"):
            if keys.sha256_hex(data) != key.rsplit("/", 1)[1]:
                raise SystemExit(
                    f"copy: {src.uri} {key} does not hash to its name; the source is damaged, "
                    "nothing after it was copied"
                )
            dst.put_if_absent(key, data)
        else:
            dst.put(key, data)
        n += 1
    return n


def verify(store: Store) -> list[str]:
    return [
        key
        for key in store.list("raw/sha256/")
        if keys.sha256_hex(store.get(key)) != key.rsplit("/", 1)[1]
    ]


def run_line(summary: dict[str, Any]) -> dict[str, Any]:
    """One run in a line: what `runs` prints."""
    return {
        "run_id": summary.get("run_id"),
        "finish_reason": summary.get("finish_reason"),
        "reports": summary.get("reports"),
        "pages_fetched": summary.get("pages_fetched"),
        "captures": summary.get("captures"),
        "portals": summary.get("portal_status"),
        "gone": len(summary.get("gone") or []),
        "monitors_failed": summary.get("monitors_failed"),
    }


def runs(store: Store) -> list[dict[str, Any]]:
    return [
        json.loads(store.get(key)) for key in store.list("runs/") if key.endswith("/summary.json")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage", description=__doc__.split("\n\n")[0])
    # the crawl's defaults (crawler/settings.py), so both command lines find the same store
    from crawler import settings as defaults

    parser.add_argument("--store", default=os.environ.get("STORE_URI", defaults.STORE_URI))
    parser.add_argument("--state-dir", default=defaults.STATE_DIR)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("captures").add_argument("url")
    reports = sub.add_parser("reports")
    reports.add_argument("org_name")
    reports.add_argument("year", type=int)
    reports.add_argument("--as-of")
    sub.add_parser("as-of").add_argument("when")
    sub.add_parser("rebuild")
    sub.add_parser("verify")
    sub.add_parser("runs")
    one = sub.add_parser("run")
    one.add_argument("run_id")
    one.add_argument("--json", action="store_true", help="the summary as stored")
    sub.add_parser("gone")
    cp = sub.add_parser("copy")
    cp.add_argument("src")
    cp.add_argument("dst")
    snapshot_cli.add_arguments(sub.add_parser("snapshot", help="a researcher's corpus snapshot"))
    args = parser.parse_args(argv)

    if args.command == "captures":
        _print(_catalog(args).captures_of(args.url))
    elif args.command == "reports":
        _print(
            _catalog(args).reports_of(
                args.org_name, args.year, as_of=args.as_of and _utc(args.as_of)
            )
        )
    elif args.command == "as-of":
        _print(_catalog(args).as_of(_utc(args.when)))
    elif args.command == "rebuild":
        n = _catalog(args).rebuild(open_store(args.store))
        print(f"catalog of {args.store}: {n} captures", file=sys.stderr)
    elif args.command == "verify":
        bad = verify(open_store(args.store))
        for key in bad:
            print(
                f"{args.store} {key}: bytes do not hash to the key; restore it from a copy",
                file=sys.stderr,
            )
        return 1 if bad else 0
    elif args.command == "snapshot":
        try:
            return snapshot_cli.run(
                args, args.store, args.state_dir, [os.environ.get("SITES_FILE") or ""]
            )
        except (QueryError, FileExistsError) as exc:
            print(exc, file=sys.stderr)
            return 2
    elif args.command == "runs":
        for summary in runs(open_store(args.store)):
            print(json.dumps(run_line(summary), ensure_ascii=False))
    elif args.command == "run":
        try:
            summary = json.loads(open_store(args.store).get(keys.run_summary_key(args.run_id)))
        except (KeyError, keys.UnsafeKey):
            print(
                f"no run {args.run_id} in {args.store}; `python -m storage runs` lists them",
                file=sys.stderr,
            )
            return 1
        if args.json:
            print(json.dumps(summary, ensure_ascii=False, indent=1))
        else:
            from crawler.extensions import format_summary  # the same text the crawl logged

            print(format_summary(summary))
    elif args.command == "gone":
        for row in _catalog(args).gone():
            print(json.dumps(row, ensure_ascii=False))
    elif args.command == "copy":
        n = copy(open_store(args.src), open_store(args.dst))
        print(f"copied {n} objects from {args.src} to {args.dst}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
