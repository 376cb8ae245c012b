"""Setting right what a crawl killed mid-way (kill -9, OOM killer, a lost machine) left behind,
before the next crawl on the same store writes anything.

    lock = RunLock(state_dir, run_id)            # held while the crawl runs; a dead crawl's is free
    report = recover(state_dir, store, catalog)  # WARC files left open, captures left half-written

A crawl writes a report in steps (raw bytes, text, capture record, catalog row, WARC records),
and a kill can fall between any two.  Two things make every step recoverable:

* **WARC files left open** (``STATE_DIR/<store>/warc-open/``): the writer flushes each exchange
  before the catalog learns of it, so what a kill can cut is the tail of the file.  The file is
  cut back to the end of its last complete page exchange (its attachments' exchanges, then the
  page's, ending with the metadata record that names the capture), indexed
  into the catalog (records written but not yet cataloged are learnt, records cut off are
  forgotten) and stored under ``warc/<run id>/`` like any finished file.  So no revisit record
  refers to a record that is not in a stored file, and no catalog row names a missing file.
* **Captures begun and not finished** (the catalog's ``pending_captures``, noted by
  ArchivePipeline before its first write, cleared once the WARC records are in): a capture
  whose WARC response or revisit record survived is finished; one without is rolled back
  (its meta.json, text.txt and report.json deleted, its catalog row dropped).  The raw bytes
  under ``raw/`` stay: they are content-addressed and may be shared.  The page is fetched again
  by the resumed crawl (JOBDIR) or by the next one.

Only the leftovers of crawls that are no longer running are touched: each crawl holds an
exclusive lock (`RunLock`) that the kernel releases when its process dies.
"""

from __future__ import annotations

import logging
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from .base import Store
from .catalog import Catalog
from .locks import FileLock, held

logger = logging.getLogger(__name__)

WARC_OPEN = "warc-open"  # where the WARC writer keeps the files it is writing
_LOCKS = "live"
_WARC_NAME = re.compile(r"^nianbao-(?P<run>.+)-\d{5}\.warc\.gz$")
_CAPTURE_FILES = ("meta.json", "text.txt", "report.json")


class RunLock(FileLock):
    """An exclusive lock saying "run RUN_ID is alive in process PID", freed when the process dies
    (storage/locks.py, the one lock mechanism)."""

    def __init__(self, state_dir: Path, run_id: str):
        super().__init__(Path(state_dir) / _LOCKS / f"{run_id}.{os.getpid()}.lock", remove=True)


def live_runs(state_dir: Path) -> set[str]:
    """Run ids held by other live processes; locks of dead processes are cleared on the way."""
    alive: set[str] = set()
    for path in sorted((Path(state_dir) / _LOCKS).glob("*.lock")):
        run_id, _, pid = path.stem.rpartition(".")
        if pid == str(os.getpid()):
            continue
        if held(path):
            alive.add(run_id)
            continue
        path.unlink(missing_ok=True)
    return alive


@dataclass
class Recovery:
    warc_files: int = 0  # WARC files of killed crawls stored now
    warc_bytes_cut: int = 0  # bytes of cut records removed from their tails
    warc_records_learnt: int = 0
    captures_finished: int = 0  # half-written captures whose WARC record was there
    captures_rolled_back: int = 0

    def __bool__(self) -> bool:
        return any(vars(self).values())


def recover(state_dir: Path, store: Store, catalog: Catalog) -> Recovery:
    """Store the WARC files and settle the captures that crawls no longer running left."""
    report = Recovery()
    alive = live_runs(state_dir)
    for path in sorted((Path(state_dir) / WARC_OPEN).glob("*.warc.gz")):
        match = _WARC_NAME.match(path.name)
        if match is None or match["run"] in alive:
            continue
        _recover_warc(path, match["run"], store, catalog, report)
    for capture, url, run_id in catalog.pending_captures():
        if run_id in alive:
            continue
        row = catalog.capture(capture)
        if row is not None and row.warc_key:
            catalog.finish_capture(capture)
            report.captures_finished += 1
            continue
        for name in _CAPTURE_FILES:
            store.delete(f"{capture}/{name}")
        catalog.forget_capture(capture)
        report.captures_rolled_back += 1
        logger.info(
            "rolled back the capture %s of %s, cut short when run %s stopped", capture, url, run_id
        )
    return report


def _recover_warc(
    path: Path, run_id: str, store: Store, catalog: Catalog, report: Recovery
) -> None:
    key = f"warc/{run_id}/{path.name}"
    size = path.stat().st_size
    end, exchanges = complete_prefix(path)
    if end < size:
        os.truncate(path, end)
        report.warc_bytes_cut += size - end
    catalog.forget_warc_from(key, end)
    if not exchanges:
        path.unlink()  # nothing but a warcinfo record, or not even that
        return
    before = catalog.warc_record_count(key)
    catalog.index_warc(key, path.read_bytes())
    report.warc_records_learnt += catalog.warc_record_count(key) - before
    store.put_file(key, path, "application/warc")
    path.unlink()
    report.warc_files += 1
    logger.warning(
        "stored the WARC file %s, left open when run %s stopped, as %s%s",
        path.name,
        run_id,
        key,
        f" (cut back by {size - end} bytes to its last complete record)" if end < size else "",
    )


def complete_prefix(path: Path, chunk: int = 1 << 16) -> tuple[int, int]:
    """(length, page exchanges) of the longest prefix of a per-record-gzipped WARC file that
    ends with a complete page exchange or, failing one, with the warcinfo record."""
    end = pos = exchanges = 0
    with open(path, "rb") as fh:
        while True:
            fh.seek(pos)
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out, consumed = bytearray(), 0
            while not member.eof:
                data = fh.read(chunk)
                if not data:
                    return end, exchanges
                try:
                    out += member.decompress(data)
                except zlib.error:
                    return end, exchanges
                consumed += len(data)
            pos += consumed - len(member.unused_data)
            parsed = _parse_record(bytes(out))
            if parsed is None:
                return end, exchanges
            kind, block = parsed
            # A page's exchange ends with the metadata record naming its capture; its attachments'
            # exchanges come before it (pipelines.warc), so they are kept only with their page.
            if kind == "metadata" and any(
                line.startswith(b"capture: ") for line in block.split(b"\r\n")
            ):
                end, exchanges = pos, exchanges + 1
            elif kind == "warcinfo" and end == 0:
                end = pos


def _parse_record(record: bytes) -> tuple[str, bytes] | None:
    """(WARC-Type, block) of one whole record, or None if it is not one."""
    head, sep, rest = record.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"WARC/"):
        return None
    fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:] if b":" in line)
    fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
    try:
        length = int(fields[b"content-length"])
    except (KeyError, ValueError):
        return None
    if len(rest) != length + 4 or not rest.endswith(b"\r\n\r\n"):
        return None
    return fields.get(b"warc-type", b"").decode("ascii", "replace"), rest[:length]
