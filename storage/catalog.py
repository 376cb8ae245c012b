"""The catalog: an index of every capture in a store, answering three questions fast.

    catalog = Catalog(path)                      # one SQLite file per store (see pipelines.store)
    catalog.captures_of(url)                     # every capture of a URL, oldest first
    catalog.reports_of(org_name, year)           # a body's reports of a year (latest capture each)
    catalog.as_of("2025-01-01T00:00:00+00:00")   # the corpus as it stood then: one capture per URL

Why SQLite beside the store, not a file in it: the store is the archive (the capture records
``pages/…/meta.json`` and report.json are the truth), the catalog is an index that can be
rebuilt from it (`Catalog.rebuild(store)`), and an index needs random reads and writes that
neither S3 nor a directory of JSON gives.  SQLite is one file, in the standard library, safe
for several processes (WAL), and at a million reports × a few captures the table is a few
hundred MB with every question answered from an index:

* ``captures(url, fetched_at)``: the captures of a URL in time order, the last one before a
  date (change detection during a crawl is one index probe per page), and "as of" (the
  last capture per URL at or before a time: one ordered pass over this index, no sort);
* ``captures(org_name, report_year, fetched_at)``: the reports of a body and year.

Rows are only ever added (one per fetch); nothing is updated except the WARC location, filled
in once the record is written.  Snapshots and incremental crawls read "as of" and the last
capture per URL.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .keys import redact_uri

if TYPE_CHECKING:
    from .base import Store

_SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    capture       TEXT PRIMARY KEY,   -- pages/<host>/<sha1(url)>/<stamp>-<h12>, whose meta.json
                                      -- is the record
    url           TEXT NOT NULL,      -- final URL
    fetched_at    TEXT NOT NULL,      -- ISO 8601 UTC, as in the record (sorts as text)
    sha256        TEXT NOT NULL,
    change        TEXT NOT NULL,      -- new | changed | unchanged
    version       TEXT NOT NULL,      -- the capture whose text.txt / report.json hold this content
    run_id        TEXT,
    status        INTEGER,
    portal        TEXT,
    title         TEXT,
    org_name      TEXT,
    report_year   INTEGER,
    template      TEXT,
    warc_key      TEXT,               -- the WARC file and record of this fetch, once written
    warc_offset   INTEGER,
    warc_record_id TEXT,
    warc_type     TEXT,               -- response | revisit
    warc_payload_digest TEXT,
    warc_date     TEXT,
    attachments_sha256 TEXT           -- digest of the attachments' SHA-256s: part of the version
);
-- The HTTP validators each URL (report page or attachment) last answered with, and where its
-- bytes are: the next crawl asks If-None-Match / If-Modified-Since and rebuilds a 304 from them.
CREATE TABLE IF NOT EXISTS validators (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    sha256        TEXT NOT NULL,      -- of the decoded body, as raw/sha256/<h>
    headers       TEXT NOT NULL,      -- JSON: the response headers as the crawl saw them
    status        INTEGER,
    fetched_at    TEXT NOT NULL,
    page_url      TEXT                -- for an attachment: the report page linking it
);
-- Report pages that vanished: 404 / soft-404 on their known URL, or dropped from every listing
-- of a portal crawled completely.  A URL captured again leaves this table.
CREATE TABLE IF NOT EXISTS gone (
    url           TEXT PRIMARY KEY,
    portal        TEXT,
    last_seen     TEXT NOT NULL,      -- fetched_at of its last capture
    gone_at       TEXT NOT NULL,
    run_id        TEXT,
    reason        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS catalog_state (name TEXT PRIMARY KEY, value TEXT);
-- Every WARC response and revisit record (pages and attachments): what a revisit refers to.
CREATE TABLE IF NOT EXISTS warc_records (
    record_id      TEXT PRIMARY KEY,
    url            TEXT NOT NULL,
    payload_digest TEXT NOT NULL,
    type           TEXT NOT NULL,     -- response | revisit
    date           TEXT NOT NULL,
    warc_key       TEXT NOT NULL,
    warc_offset    INTEGER NOT NULL
);
-- Captures being written: added before the first store write of a capture, removed once its
-- catalog row and WARC records are in (storage.recovery settles those a killed crawl left).
CREATE TABLE IF NOT EXISTS pending_captures (
    capture TEXT PRIMARY KEY,
    url     TEXT NOT NULL,
    run_id  TEXT
);
CREATE INDEX IF NOT EXISTS warc_records_url_digest
    ON warc_records (url, payload_digest, type, date);
CREATE INDEX IF NOT EXISTS captures_url_time ON captures (url, fetched_at);
CREATE INDEX IF NOT EXISTS captures_body_year ON captures (org_name, report_year, fetched_at);
"""


def state_dir(root: str | Path, uri: str) -> Path:
    """Local state of one store (catalog, spool): ROOT/<scheme>-<readable name>-<hash of URI>.

    ``root`` is the crawler's STATE_DIR; its default lives in crawler/settings.py only."""
    readable = re.sub(
        r"[^A-Za-z0-9]+", "-", redact_uri(uri).split("://", 1)[-1].split(":", 1)[-1]
    ).strip("-")
    name = f"{uri.split(':', 1)[0]}-{readable[-40:]}-{hashlib.sha1(uri.encode()).hexdigest()[:10]}"
    return Path(root).resolve() / name


@dataclass
class Capture:
    capture: str
    url: str
    fetched_at: str
    sha256: str
    change: str
    version: str
    run_id: str | None = None
    status: int | None = None
    portal: str | None = None
    title: str | None = None
    org_name: str | None = None
    report_year: int | None = None
    template: str | None = None
    warc_key: str | None = None
    warc_offset: int | None = None
    warc_record_id: str | None = None
    warc_type: str | None = None
    warc_payload_digest: str | None = None
    warc_date: str | None = None
    attachments_sha256: str | None = None

    @property
    def text_key(self) -> str:
        return f"{self.version}/text.txt"

    @property
    def report_key(self) -> str:
        return f"{self.version}/report.json"


_COLUMNS = [f.name for f in fields(Capture)]


@dataclass
class Validators:
    """What a conditional request needs of a URL's last answer (see the validators table)."""

    url: str
    etag: str | None
    last_modified: str | None
    sha256: str
    headers: dict[str, Any]
    status: int | None
    fetched_at: str
    page_url: str | None = None


_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM captures"
# Rows per fetch of a streamed query: big enough to amortize the call, small enough to not matter.
_STREAM_BATCH = 1000


class Catalog:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by the pipeline threads, serialized by a lock: SQLite writes are
        # serialized anyway, and a row is a few microseconds.
        self._db = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            # Catalogs made before a column existed get it (rows keep NULL there).
            have = {row[1] for row in self._db.execute("PRAGMA table_info(captures)")}
            for name in _COLUMNS:
                if name not in have:
                    self._db.execute(f"ALTER TABLE captures ADD COLUMN {name} TEXT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Capture]:
        with self._lock:
            return [Capture(*row) for row in self._db.execute(sql, args)]

    # -- writes -------------------------------------------------------------------------------
    def add(self, capture: Capture) -> None:
        """Record one capture; adding the same capture again (a replayed spool) changes nothing."""
        values = [getattr(capture, name) for name in _COLUMNS]
        with self._lock:
            self._db.execute(
                f"INSERT INTO captures ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))}) "
                "ON CONFLICT(capture) DO UPDATE SET "
                + ", ".join(
                    f"{c} = COALESCE(excluded.{c}, {c})" for c in _COLUMNS if c != "capture"
                ),
                values,
            )

    def set_warc(
        self,
        capture: str,
        warc_key: str,
        offset: int,
        record_id: str,
        record_type: str,
        payload_digest: str,
        warc_date: str,
    ) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE captures SET warc_key = ?, warc_offset = ?, warc_record_id = ?, "
                "warc_type = ?, warc_payload_digest = ?, warc_date = ? WHERE capture = ?",
                (warc_key, offset, record_id, record_type, payload_digest, warc_date, capture),
            )

    # -- captures being written (crash safety, storage.recovery) ---------------------------------
    def begin_capture(self, capture: str, url: str, run_id: str | None) -> None:
        """Note a capture before its first store write, so a crash mid-way is found again."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO pending_captures VALUES (?, ?, ?)", (capture, url, run_id)
            )

    def finish_capture(self, capture: str) -> None:
        """The capture's record, catalog row and WARC records are all written."""
        with self._lock:
            self._db.execute("DELETE FROM pending_captures WHERE capture = ?", (capture,))

    def pending_captures(self) -> list[tuple[str, str, str | None]]:
        """(capture, url, run id) of every capture begun and not finished."""
        with self._lock:
            return [
                tuple(r)
                for r in self._db.execute("SELECT capture, url, run_id FROM pending_captures")
            ]

    def is_pending(self, capture: str) -> bool:
        with self._lock:
            return (
                self._db.execute(
                    "SELECT 1 FROM pending_captures WHERE capture = ?", (capture,)
                ).fetchone()
                is not None
            )

    def forget_capture(self, capture: str) -> None:
        """Drop a capture that was rolled back (its objects deleted from the store)."""
        with self._lock:
            self._db.execute("DELETE FROM captures WHERE capture = ?", (capture,))
            self._db.execute("DELETE FROM pending_captures WHERE capture = ?", (capture,))

    def forget_warc_from(self, warc_key: str, offset: int) -> int:
        """Forget every record of `warc_key` at or after `offset` (a file cut back after a crash);
        captures pointing there lose their WARC location.  Returns how many records went."""
        with self._lock:
            n = self._db.execute(
                "DELETE FROM warc_records WHERE warc_key = ? AND warc_offset >= ?",
                (warc_key, offset),
            ).rowcount
            self._db.execute(
                "UPDATE captures SET warc_key = NULL, warc_offset = NULL, warc_record_id = NULL, "
                "warc_type = NULL, warc_payload_digest = NULL, warc_date = NULL "
                "WHERE warc_key = ? AND warc_offset >= ?",
                (warc_key, offset),
            )
        return n

    def capture_in_run(self, url: str, sha256: str, run_id: str) -> Capture | None:
        """The complete (not pending) capture of `url` with these bytes made by run `run_id`."""
        rows = self._rows(
            f"{_SELECT} WHERE url = ? AND sha256 = ? AND run_id = ? AND capture NOT IN "
            "(SELECT capture FROM pending_captures) ORDER BY fetched_at DESC LIMIT 1",
            (url, sha256, run_id),
        )
        return rows[0] if rows else None

    def warc_keys(self, prefix: str) -> list[str]:
        """The WARC files (keys under `prefix`) that hold a cataloged record."""
        with self._lock:
            return [
                r[0]
                for r in self._db.execute(
                    "SELECT DISTINCT warc_key FROM warc_records WHERE substr(warc_key, 1, ?) = ?",
                    (len(prefix), prefix),
                )
            ]

    def warc_record_count(self, warc_key: str) -> int:
        with self._lock:
            count: int = self._db.execute(
                "SELECT COUNT(*) FROM warc_records WHERE warc_key = ?", (warc_key,)
            ).fetchone()[0]
        return count

    def capture(self, capture: str) -> Capture | None:
        rows = self._rows(f"{_SELECT} WHERE capture = ?", (capture,))
        return rows[0] if rows else None

    def set_validators(self, v: Validators) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    v.url,
                    v.etag,
                    v.last_modified,
                    v.sha256,
                    json.dumps(v.headers),
                    v.status,
                    v.fetched_at,
                    v.page_url,
                ),
            )

    def validators_of(self, url: str) -> Validators | None:
        with self._lock:
            row = self._db.execute(
                "SELECT url, etag, last_modified, sha256, headers, status, fetched_at, "
                "page_url FROM validators WHERE url = ?",
                (url,),
            ).fetchone()
        if row is None:
            return None
        return Validators(
            row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], row[7]
        )

    def mark_gone(
        self,
        url: str,
        portal: str | None,
        last_seen: str,
        gone_at: str,
        run_id: str | None,
        reason: str,
    ) -> None:
        """Record a report as gone; a URL already gone keeps its first record."""
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO gone VALUES (?, ?, ?, ?, ?, ?)",
                (url, portal, last_seen, gone_at, run_id, reason),
            )

    def gone(self, run_id: str | None = None) -> list[dict[str, str | None]]:
        sql = "SELECT url, portal, last_seen, gone_at, run_id, reason FROM gone"
        args: tuple[str, ...] = ()
        if run_id is not None:
            sql, args = sql + " WHERE run_id = ?", (run_id,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY portal, url", args).fetchall()
        columns = ("url", "portal", "last_seen", "gone_at", "run_id", "reason")
        return [dict(zip(columns, r, strict=True)) for r in rows]

    def back(self, url: str) -> None:
        """A gone URL answered again with a report: it is no longer gone."""
        with self._lock:
            self._db.execute("DELETE FROM gone WHERE url = ?", (url,))

    def latest_reports(self, portal: str) -> list[Capture]:
        """The last capture of every report URL of a portal that is not gone."""
        sql = (
            f"SELECT {', '.join(_COLUMNS)}, MAX(fetched_at) FROM captures WHERE portal = ? "
            "AND url NOT IN (SELECT url FROM gone) GROUP BY url ORDER BY url"
        )
        with self._lock:
            rows = self._db.execute(sql, (portal,)).fetchall()
        return [Capture(*row[:-1]) for row in rows]

    def previous_run_count(self, portal: str, run_id: str) -> tuple[str, int] | None:
        """(run id, report URLs captured) of the last run before `run_id` that captured any
        report of `portal`: what a count monitor compares this run with."""
        with self._lock:
            row = self._db.execute(
                "SELECT run_id, COUNT(DISTINCT url) FROM captures "
                "WHERE portal = ? AND run_id IS NOT NULL AND run_id < ? "
                "GROUP BY run_id ORDER BY run_id DESC LIMIT 1",
                (portal, run_id),
            ).fetchone()
        return (row[0], row[1]) if row else None

    def run_count(self, portal: str, run_id: str) -> int:
        """Report URLs of `portal` captured in run `run_id` (all its sessions, when resumed)."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(DISTINCT url) FROM captures WHERE portal = ? AND run_id = ?",
                (portal, run_id),
            ).fetchone()
        return row[0] if row else 0

    def run_urls(self, portal: str, run_id: str) -> set[str]:
        """Report URLs of `portal` captured in run `run_id`, in all its sessions."""
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT url FROM captures WHERE portal = ? AND run_id = ?",
                (portal, run_id),
            ).fetchall()
        return {row[0] for row in rows}

    # -- questions ----------------------------------------------------------------------------
    def captures_of(self, url: str) -> list[Capture]:
        return self._rows(f"{_SELECT} WHERE url = ? ORDER BY fetched_at, capture", (url,))

    def last_capture(self, url: str, before: str | None = None) -> Capture | None:
        sql, args = f"{_SELECT} WHERE url = ?", [url]
        if before is not None:
            sql, args = sql + " AND fetched_at < ?", args + [before]
        rows = self._rows(sql + " ORDER BY fetched_at DESC, capture DESC LIMIT 1", tuple(args))
        return rows[0] if rows else None

    def add_warc_record(
        self,
        record_id: str,
        url: str,
        payload_digest: str,
        record_type: str,
        date: str,
        warc_key: str,
        offset: int,
    ) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO warc_records VALUES (?, ?, ?, ?, ?, ?, ?)",
                (record_id, url, payload_digest, record_type, date, warc_key, offset),
            )

    def original_response(self, url: str, payload_digest: str) -> tuple[str, str] | None:
        """(record id, WARC-Date) of the latest response record of `url` with this payload
        digest: what a revisit record refers to."""
        with self._lock:
            row = self._db.execute(
                "SELECT record_id, date FROM warc_records WHERE url = ? AND payload_digest = ? "
                "AND type = 'response' ORDER BY date DESC LIMIT 1",
                (url, payload_digest),
            ).fetchone()
        return tuple(row) if row else None

    def warc_location(self, record_id: str) -> tuple[str, int] | None:
        """(WARC key, offset) of a response or revisit record."""
        with self._lock:
            row = self._db.execute(
                "SELECT warc_key, warc_offset FROM warc_records WHERE record_id = ?", (record_id,)
            ).fetchone()
        return (row[0], row[1]) if row else None

    def last_response(self, url: str) -> tuple[str, str, str] | None:
        """(record id, WARC-Date, payload digest) of the latest response record of `url`: what
        a server-not-modified revisit refers to."""
        with self._lock:
            row = self._db.execute(
                "SELECT record_id, date, payload_digest FROM warc_records "
                "WHERE url = ? AND type = 'response' ORDER BY date DESC LIMIT 1",
                (url,),
            ).fetchone()
        return tuple(row) if row else None

    def as_of(self, when: str) -> Iterator[Capture]:
        """The last capture of every URL fetched at or before `when`, by URL, streamed: rows
        come off the cursor in batches, so a million URLs take the memory of one batch."""
        # SQLite returns the row holding MAX() for the bare columns: one pass over the index.
        sql = (
            f"SELECT {', '.join(_COLUMNS)}, MAX(fetched_at) FROM captures WHERE fetched_at <= ? "
            "GROUP BY url ORDER BY url"
        )
        for row in self._stream(sql, (when,)):
            yield Capture(*row[:-1])

    def as_of_count(self, when: str) -> int:
        """How many URLs `as_of(when)` yields (for progress bars), without reading them."""
        with self._lock:
            count: int = self._db.execute(
                "SELECT COUNT(DISTINCT url) FROM captures WHERE fetched_at <= ?", (when,)
            ).fetchone()[0]
        return count

    def last_fetched(self, when: str | None = None) -> str | None:
        """The latest fetch time in the catalog (at or before `when`)."""
        sql = "SELECT MAX(fetched_at) FROM captures"
        args: tuple[str, ...] = ()
        if when is not None:
            sql, args = sql + " WHERE fetched_at <= ?", (when,)
        with self._lock:
            latest: str | None = self._db.execute(sql, args).fetchone()[0]
        return latest

    def _stream(self, sql: str, args: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
        """Rows of a corpus-wide query through a read connection of its own: the shared one
        stays free for the pipeline's writes while a caller walks the rows at its own pace
        (WAL readers see the catalog as of the query's start and block no writer)."""
        db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            cursor = db.execute(sql, args)
            while batch := cursor.fetchmany(_STREAM_BATCH):
                yield from batch
        finally:
            db.close()

    def reports_of(self, org_name: str, year: int, as_of: str | None = None) -> list[Capture]:
        """Every report URL of a body and year, each at its latest capture (as of a time)."""
        sql = (
            f"SELECT {', '.join(_COLUMNS)}, MAX(fetched_at) FROM captures "
            "WHERE org_name = ? AND report_year = ?"
        )
        args: list[Any] = [org_name, year]
        if as_of is not None:
            sql, args = sql + " AND fetched_at <= ?", args + [as_of]
        with self._lock:
            rows = self._db.execute(sql + " GROUP BY url ORDER BY url", tuple(args)).fetchall()
        return [Capture(*row[:-1]) for row in rows]

    @property
    def complete(self) -> bool:
        """True when every capture in the store is in this catalog (it was started on an empty
        store, or rebuilt): then a URL missing here was never captured, and the crawl need not
        list the store to find out.  Another machine writing into the same store breaks this;
        `python -m storage rebuild` restores it."""
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM catalog_state WHERE name = 'complete'"
            ).fetchone()
        return row is not None

    def mark_complete(self, why: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO catalog_state VALUES ('complete', ?)", (why,))

    def count(self) -> int:
        with self._lock:
            count: int = self._db.execute("SELECT COUNT(*) FROM captures").fetchone()[0]
        return count

    # -- recovery -----------------------------------------------------------------------------
    def rebuild(self, store: Store) -> int:
        """Re-read every capture record of `store` (pages/**/meta.json) into this catalog, then
        the WARC files (warc/**) for where each capture's records are."""
        n = 0
        for key in store.list("pages/"):
            if not key.endswith("/meta.json"):
                continue
            record = json.loads(store.get(key))
            self.add(capture_from_record(record, key.rpartition("/")[0], store))
            n += 1
        for key in store.list("warc/"):
            if key.endswith((".warc.gz", ".warc")):
                self.index_warc(key, store.get(key))
        self.mark_complete(f"rebuilt from {store.uri}")
        return n

    def index_warc(self, key: str, data: bytes) -> None:
        """Each metadata record names its capture and (WARC-Concurrent-To) its response record."""
        from warcio.archiveiterator import ArchiveIterator

        records, captures = {}, {}
        stream = ArchiveIterator(io.BytesIO(data))
        for record in stream:
            headers = record.rec_headers
            if record.rec_type in ("response", "revisit"):
                record_id, offset = headers.get_header("WARC-Record-ID"), stream.get_record_offset()
                records[record_id] = (
                    offset,
                    record.rec_type,
                    headers.get_header("WARC-Payload-Digest"),
                    headers.get_header("WARC-Date"),
                )
                self.add_warc_record(
                    record_id,
                    headers.get_header("WARC-Target-URI"),
                    records[record_id][2],
                    record.rec_type,
                    records[record_id][3],
                    key,
                    offset,
                )
            elif record.rec_type == "metadata":
                fields_ = dict(
                    line.split(": ", 1)
                    for line in record.content_stream().read().decode("utf-8").splitlines()
                    if ": " in line
                )
                if "capture" in fields_:
                    captures[fields_["capture"]] = headers.get_header("WARC-Concurrent-To")
        for capture, record_id in captures.items():
            if record_id in records:
                offset, rec_type, digest, date = records[record_id]
                self.set_warc(capture, key, offset, record_id, rec_type, digest, date)


def capture_from_record(
    record: dict[str, Any], capture: str, store: Store | None = None
) -> Capture:
    """A catalog row from a stored capture record (and its version's report.json, if at hand)."""
    version = record.get("version") or capture
    org_name = record.get("org_name")
    year = record.get("report_year")
    template = record.get("template")
    if store is not None and org_name is None:
        try:
            report = json.loads(store.get(f"{version}/report.json"))
        except KeyError:
            report = {}
        org_name, year, template = (
            report.get("org_name"),
            report.get("report_year"),
            report.get("template"),
        )
    return Capture(
        capture=capture,
        url=record["url"],
        fetched_at=record["fetched_at"],
        sha256=record["sha256"],
        change=record.get("change") or "new",
        version=version,
        run_id=record.get("run_id"),
        status=record.get("status"),
        portal=record.get("portal"),
        title=record.get("title"),
        org_name=org_name,
        report_year=year,
        template=template,
        attachments_sha256=record.get("attachments_sha256"),
    )
