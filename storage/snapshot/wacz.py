"""The snapshot's web archive: the WARC records of its report pages, packaged as one WACZ.

For every report in the snapshot its capture's response record (or revisit record, with the
response it refers to) is copied byte for byte out of the store's WARC files; each record is a
gzip member of its own, so digests still verify.  Webrecorder's `wacz` tool (which indexes with
cdxj-indexer) packages them with a pages list of the reports, so replay tools such as pywb and
ReplayWeb.page open the file.  The tool stamps the package with the time it ran: archive.wacz
is the one file of a snapshot that differs between two runs.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..base import Store
from ..catalog import Catalog
from .select import Chosen

logger = logging.getLogger(__name__)


def gzip_member(data: bytes, offset: int) -> bytes:
    """The gzip member (one WARC record) that starts at `offset`."""
    view = memoryview(data)[offset:]
    inflater = zlib.decompressobj(wbits=31)
    inflater.decompress(view)
    if not inflater.eof:
        raise ValueError(f"no complete gzip member at offset {offset}")
    return bytes(view[: len(view) - len(inflater.unused_data)])


def _records(catalog: Catalog, chosen: list[Chosen]) -> Iterator[tuple[str, int]]:
    """(WARC key, offset) of each report's record, and of the response a revisit refers to."""
    for c in chosen:
        capture = c.winner.capture
        if capture.warc_key is None or capture.warc_offset is None:
            logger.warning(
                "snapshot: %s has no WARC record in the catalog; it is not in archive.wacz",
                capture.url,
            )
            continue
        if capture.warc_type == "revisit" and capture.warc_payload_digest:
            original = catalog.original_response(capture.url, capture.warc_payload_digest)
            location = original and catalog.warc_location(original[0])
            if location:
                yield location
        yield capture.warc_key, capture.warc_offset


def write_wacz(store: Store, catalog: Catalog, chosen: list[Chosen], path: Path) -> int:
    """Write archive.wacz at `path`; returns the number of WARC records in it."""
    from wacz.main import main as wacz_main

    locations = sorted(set(_records(catalog, chosen)))
    with tempfile.TemporaryDirectory(prefix="nianbao-wacz-") as tmp:
        warc = Path(tmp) / "snapshot.warc.gz"
        files: dict[str, bytes] = {}
        with open(warc, "wb") as out:
            for key, offset in locations:
                if key not in files:
                    files = {key: store.get(key)}  # locations are sorted: one WARC file at a time
                out.write(gzip_member(files[key], offset))
        pages = Path(tmp) / "pages.jsonl"
        lines = [{"format": "json-pages-1.0", "id": "pages", "title": "reports"}]
        # A page's ts is its record's WARC-Date, which replay looks the page up by.
        lines += [
            {
                "url": c.winner.capture.url,
                "ts": c.winner.capture.warc_date or c.winner.capture.fetched_at,
                "title": c.winner.report.get("title") or c.report_id,
            }
            for c in chosen
        ]
        pages.write_text(
            "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
        )
        with contextlib.redirect_stdout(sys.stderr):  # the tool talks on stdout, which is ours
            code = wacz_main(
                [
                    "create",
                    "-o",
                    str(path),
                    "-p",
                    str(pages),
                    "--copy-pages",
                    "--title",
                    "nianbao snapshot",
                    str(warc),
                ]
            )
        if code:
            raise RuntimeError(
                f"wacz create failed (exit {code}) for {path}; the snapshot's other files "
                "are written"
            )
    return len(locations)
