"""One report per body and year, from the catalog as of a time.

The catalog gives the last capture of every URL at or before the as-of time; each capture's
report (version/report.json) says whose report it is and for which year.  Several URLs can
hold one body's report of a year: a copy (the same tables under another URL, e.g. a township
report also listed by the county) collapses into one; of different revisions the latest wins
(publication date, then when its content was first captured, then URL).  The others are
listed with the winner, as are the earlier contents of the winner's own URL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sized
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ..base import Store
from ..catalog import Capture, Catalog
from .bodies import Registry, RegistryEntry, body_name, level_of

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


class Progress(Protocol):
    """Wraps an iterable of ``total`` items, yielding the same items (a progress bar)."""

    def __call__(self, items: Iterable[_T], total: int, /) -> Iterable[_T]: ...


def no_progress(items: Iterable[_T], total: int, /) -> Iterable[_T]:
    return items


TABLES = ("active", "applications", "review_litigation")


@dataclass
class Candidate:
    """A URL's report as of the snapshot: its latest capture, capture record and report."""

    capture: Capture
    record: dict[str, Any]  # the capture's meta.json
    report: dict[str, Any]  # the version's report.json
    body: str
    level: str
    region: str
    code: str
    portal: str
    version_time: str  # when this content was first captured

    @property
    def body_id(self) -> str:
        return f"{self.code or self.portal}/{self.body}"

    @property
    def year(self) -> int:
        return int(self.report["report_year"])

    @property
    def published(self) -> str:
        return str((self.record.get("meta") or {}).get("published_date") or "")

    def same_content(self, other: Candidate) -> bool:
        return self.capture.sha256 == other.capture.sha256 or (
            all(self.report.get(t) == other.report.get(t) for t in TABLES)
            and self.report.get("title") == other.report.get("title")
        )


@dataclass
class Chosen:
    """A body's report of a year, and the captures that lost to it."""

    winner: Candidate
    others: list[dict[str, Any]] = field(
        default_factory=list
    )  # {url, fetched_at, sha256, relation}

    @property
    def report_id(self) -> str:
        return f"{self.winner.body_id}/{self.winner.year}"


@dataclass
class Unplaced:
    url: str
    fetched_at: str
    reason: str


def _stamp_time(capture_key: str) -> str:
    """The fetch time in a capture key (…/20261123T211246123456Z-<h12>), as ISO UTC."""
    stamp = capture_key.rsplit("/", 1)[-1].split("-", 1)[0]
    return (
        f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}+00:00"
    )


def candidates(
    captures: Iterable[Capture],
    store: Store,
    registry: Registry,
    progress: Progress = no_progress,
    total: int = 0,
) -> tuple[list[Candidate], list[Unplaced]]:
    """Each capture's report (the last capture of every URL as of a time, from Catalog.as_of,
    read once as it streams); captures without a readable body or year are unplaced."""
    found, unplaced = [], []
    if not total and isinstance(captures, Sized):
        total = len(captures)
    for capture in progress(captures, total):
        try:
            record = json.loads(store.get(f"{capture.capture}/meta.json"))
            report = json.loads(store.get(capture.report_key))
        except KeyError as exc:
            unplaced.append(
                Unplaced(capture.url, capture.fetched_at, f"not in the store: {exc.args[0]}")
            )
            continue
        org, year = report.get("org_name"), report.get("report_year")
        if not org or not isinstance(year, int):
            unplaced.append(
                Unplaced(
                    capture.url,
                    capture.fetched_at,
                    "report names no body" if not org else "report year not found",
                )
            )
            continue
        entry: RegistryEntry | None = registry.entry_for(
            capture.portal or record.get("portal"), capture.url
        )
        body = body_name(org)
        level = entry.level if entry is not None and entry.body == body else level_of(body)
        found.append(
            Candidate(
                capture=capture,
                record=record,
                report=report,
                body=body,
                level=level,
                region=entry.region if entry else "",
                code=entry.code if entry else "",
                portal=entry.portal if entry else (capture.portal or ""),
                version_time=_stamp_time(capture.version),
            )
        )
    return found, unplaced


def _rank(c: Candidate) -> tuple[Any, ...]:
    return (c.published, c.version_time, c.capture.url)


def one_per_body_year(found: Iterable[Candidate], catalog: Catalog, as_of: str) -> list[Chosen]:
    groups: dict[tuple[str, int], list[Candidate]] = {}
    for c in found:
        groups.setdefault((c.body_id, c.year), []).append(c)
    chosen = []
    for key in sorted(groups):
        ranked = sorted(groups[key], key=_rank, reverse=True)
        winner = ranked[0]
        others = [
            {
                "url": c.capture.url,
                "fetched_at": c.capture.fetched_at,
                "sha256": c.capture.sha256,
                "relation": "copy" if c.same_content(winner) else "older revision",
            }
            for c in ranked[1:]
        ]
        others += [
            {
                "url": e.url,
                "fetched_at": e.fetched_at,
                "sha256": e.sha256,
                "relation": "earlier version",
            }
            for e in _earlier_versions(catalog, winner, as_of)
        ]
        chosen.append(
            Chosen(winner, sorted(others, key=lambda o: (o["relation"], o["url"], o["fetched_at"])))
        )
    return chosen


def _earlier_versions(catalog: Catalog, c: Candidate, as_of: str) -> Iterator[Capture]:
    """Captures of the winner's URL that held other content before (changed since)."""
    for e in catalog.captures_of(c.capture.url):
        if e.fetched_at <= as_of and e.version == e.capture and e.version != c.capture.version:
            yield e
