"""storage.recovery: what a killed crawl left (a WARC file open, captures half-written) is set
right by the next one, and what a live crawl is writing is left alone."""

from __future__ import annotations

import io
import subprocess
import sys

from warcio.archiveiterator import ArchiveIterator

from storage import open_store
from storage.catalog import Capture, Catalog
from storage.recovery import WARC_OPEN, RunLock, complete_prefix, recover
from storage.warc import Exchange, RollingWarcWriter

RUN = "20261201T101010Z-deadbeef"


def _exchange(n: int) -> Exchange:
    body = f"<html><title>2023年第{n}号政府信息公开工作年度报告</title></html>".encode() * 40
    return Exchange(
        url=f"http://127.0.0.1:8000/art/{n}.html",
        method="GET",
        request_headers=[("Accept", "*/*")],
        request_body=b"",
        status=200,
        response_headers=[("Content-Type", "text/html")],
        body=body,
        date=f"2026-12-01T10:10:{n:02d}.000000Z",
        metadata={"capture": f"pages/h/{n}/c"},
    )


def _killed_writer(state, exchanges: int, cut: int):
    """A writer that wrote `exchanges` exchanges and then `cut` bytes of one more, then died."""
    writer = RollingWarcWriter(
        state / WARC_OPEN, prefix=f"nianbao-{RUN}", max_size=1 << 30, info={"x": "y"}
    )
    locations = [writer.write_exchange(_exchange(n)) for n in range(exchanges + 1)]
    path = writer.path
    size_before_last = locations[-1].offset
    writer._fh.close()
    data = path.read_bytes()
    path.write_bytes(data[: size_before_last + cut])
    return path, locations, size_before_last


def test_a_cut_warc_file_is_cut_back_to_its_last_exchange_indexed_and_stored(tmp_path):
    state, store = tmp_path / "state", open_store(f"file://{tmp_path / 'store'}")
    catalog = Catalog(state / "catalog.sqlite")
    path, locations, good = _killed_writer(state, exchanges=3, cut=700)
    key = f"warc/{RUN}/{path.name}"
    # the catalog had heard of the first exchange only, and of one in the part that is cut off
    catalog.add_warc_record(
        locations[0].record_id,
        "u0",
        locations[0].payload_digest,
        "response",
        locations[0].date,
        key,
        locations[0].offset,
    )
    catalog.add_warc_record(
        locations[3].record_id,
        "u3",
        locations[3].payload_digest,
        "response",
        locations[3].date,
        key,
        locations[3].offset,
    )
    assert complete_prefix(path) == (good, 3)

    report = recover(state, store, catalog)

    assert report.warc_files == 1 and report.warc_bytes_cut == 700
    assert not path.exists()
    stored = store.get(key)
    assert len(stored) == good
    records = [r.rec_type for r in ArchiveIterator(io.BytesIO(stored), check_digests="raise")]
    assert records == ["warcinfo"] + ["response", "request", "metadata"] * 3
    ids = {locations[n].record_id for n in range(3)}
    assert {
        catalog.original_response(
            f"http://127.0.0.1:8000/art/{n}.html", locations[n].payload_digest
        )[0]
        for n in range(3)
    } == ids
    assert catalog.warc_record_count(key) == 3  # the cut record is forgotten


def test_half_written_captures_are_finished_or_rolled_back(tmp_path):
    state, store = tmp_path / "state", open_store(f"file://{tmp_path / 'store'}")
    catalog = Catalog(state / "catalog.sqlite")
    for n, warc in ((1, True), (2, False)):
        capture = f"pages/h/{n}/20261201T101010000000Z-abc"
        catalog.begin_capture(capture, f"http://h/{n}", RUN)
        store.put(f"{capture}/meta.json", b"{}")
        store.put(f"{capture}/text.txt", b"text")
        catalog.add(
            Capture(
                capture=capture,
                url=f"http://h/{n}",
                fetched_at="2026-12-01T10:10:10+00:00",
                sha256="0" * 64,
                change="new",
                version=capture,
                run_id=RUN,
            )
        )
        if warc:
            catalog.set_warc(
                capture, f"warc/{RUN}/f.warc.gz", 10, "<urn:uuid:1>", "response", "sha1:X", "d"
            )

    report = recover(state, store, catalog)

    assert (report.captures_finished, report.captures_rolled_back) == (1, 1)
    assert catalog.pending_captures() == []
    assert store.exists("pages/h/1/20261201T101010000000Z-abc/meta.json")
    assert list(store.list("pages/h/2/")) == []
    assert [c.url for c in catalog.as_of("2030-01-01")] == ["http://h/1"]


def test_the_leftovers_of_a_crawl_still_running_are_not_touched(tmp_path):
    state, store = tmp_path / "state", open_store(f"file://{tmp_path / 'store'}")
    catalog = Catalog(state / "catalog.sqlite")
    path, _, _ = _killed_writer(state, exchanges=1, cut=0)
    catalog.begin_capture("pages/h/1/c", "http://h/1", RUN)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from storage.recovery import RunLock; "
            f"lock = RunLock(sys.argv[1], {RUN!r}); print('locked', flush=True); time.sleep(60)",
            str(state),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert not recover(state, store, catalog)
        assert path.exists() and catalog.pending_captures()
    finally:
        holder.kill()
        holder.wait()
    # once that process is gone (killed: the kernel freed its lock) they are recovered
    assert recover(state, store, catalog).warc_files == 1
    assert not path.exists()


def test_a_run_lock_is_released_with_its_process(tmp_path):
    lock = RunLock(tmp_path, RUN)
    assert lock.path.exists()
    lock.release()
    assert not lock.path.exists()


def test_attachment_exchanges_without_their_page_are_cut_with_the_tail(tmp_path):
    writer = RollingWarcWriter(tmp_path, prefix=f"nianbao-{RUN}", max_size=1 << 30, info={})
    writer.write_exchange(_exchange(1))
    attachment = _exchange(2)
    attachment.metadata = {
        "attachment-of": "pages/h/3/c"
    }  # written before its page, which never came
    at = writer.write_exchange(attachment)
    writer._fh.close()
    assert complete_prefix(writer.path) == (at.offset, 1)
