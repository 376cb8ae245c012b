"""Fault injection on the store (issue 11 item 6), small versions; `make bench` runs them on the
whole simulator (bench/faults.py).  The real SeaweedFS (`weed mini`) is stopped under a JOBDIR
crawl and started again, or kept down until the spool is full and the crawl killed with -9;
either way the crawl, or the same command run again, leaves what a clean crawl leaves: no
report lost or archived twice, no dangling WARC reference, no orphan, every object's bytes
matching their checksum."""

from __future__ import annotations

import pytest

from bench import faults
from storage import open_store


@pytest.fixture(scope="module")
def clean(live_sim, tmp_path_factory):
    """What one uninterrupted crawl of the simulator's counties leaves (a file store)."""
    out = tmp_path_factory.mktemp("clean")
    faults.clean_crawl(out, _urls(live_sim))
    return faults.outcome(out)


def _urls(live_sim) -> str:
    return ",".join(p.root_url for p in live_sim.portals)


def _assert_like_clean(clean: faults.Outcome, got: faults.Outcome) -> None:
    result = faults.compare(clean, got)
    assert (result.lost_store, result.lost_feed, result.raw_missing) == (0, 0, 0), result
    assert (result.archived_twice, result.feed_duplicates) == (0, 0), result
    assert (result.dangling_warc, result.orphans, result.broken_feed_lines) == (0, 0, 0), result


def test_s3_stopped_and_restarted_mid_crawl_loses_nothing_and_every_checksum_is_right(
    live_sim, clean, seaweed, s3_store_uri, tmp_path
):
    uri, _ = s3_store_uri
    bucket = uri.split("/")[2]
    # slow enough that the crawl is still running when the store comes back
    fault = faults.s3_outage(
        tmp_path,
        _urls(live_sim),
        seaweed,
        bucket,
        after=3,
        down=5,
        settings={"DOWNLOAD_DELAY": "0.15", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"},
    )
    log = fault.log()
    assert fault.sessions == [0], log[-3000:]
    assert "spooling writes" in log and "flushed in order" in log, log[-3000:]
    assert "'nianbao/store/left_in_spool': 0" in log
    got = faults.outcome(tmp_path, uri)
    assert set(clean.catalog_urls) == {r.url for r in live_sim.reports}
    _assert_like_clean(clean, got)
    assert faults.bad_objects(open_store(uri)) == []


def test_kill_9_while_the_spool_is_full_then_the_same_command_flushes_it_once(
    live_sim, clean, seaweed, s3_store_uri, tmp_path
):
    uri, _ = s3_store_uri
    bucket = uri.split("/")[2]
    fault = faults.spool_full_kill(
        tmp_path,
        _urls(live_sim),
        seaweed,
        bucket,
        max_bytes=300_000,
        settings={"DOWNLOAD_DELAY": "0.1"},
    )
    killed, after = fault.log(0), fault.log(1)
    assert fault.sessions == [-9, 0], after[-3000:]
    # the kill fell with the spool at its limit (or the crawl stopping for it)
    assert fault.spooled_at_kill >= 300_000 or "STORE_SPOOL_MAX_BYTES" in killed, fault
    assert "spooling writes" in killed
    # the restart found the killed crawl's spool, flushed it before its own writes, and resumed
    assert "left spooled by an earlier crawl" in after and "flushed in order" in after, after[
        -3000:
    ]
    assert "resuming the crawl:" in after
    assert not list((tmp_path / "state").glob("*/spool/*/*.entry")), "the spool was not emptied"
    # only an entry the kill cut mid-write is set aside (it was never whole; its page is fetched
    # again)
    assert all(p.name.endswith(".part") for p in (tmp_path / "state").glob("*/spool-corrupt/*"))
    got = faults.outcome(tmp_path, uri)
    _assert_like_clean(clean, got)
    assert faults.bad_objects(open_store(uri)) == []
