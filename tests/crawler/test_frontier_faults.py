"""Fault injection (issue 11): kill -9 at random points of a simulator crawl, then the same
command, against a clean crawl.  The long version (20 kills) is `make bench` (bench/faults.py)."""

from __future__ import annotations

import pytest

from bench import faults

pytestmark = pytest.mark.slow  # kill -9 and resume crawls of the simulator in subprocesses

KILLS = 3


def test_killed_and_resumed_jobdir_crawl_matches_a_clean_crawl(live_sim, tmp_path):
    urls = ",".join(p.root_url for p in live_sim.portals)
    result, killed, _ = faults.run(tmp_path, urls, KILLS, seed=11)
    assert len(killed.kills) == KILLS, killed
    assert killed.resumed_logged >= 1, "a resumed session must log how many requests it resumed"
    assert result.reports == len(live_sim.reports)
    assert (result.lost_store, result.lost_feed, result.raw_missing) == (0, 0, 0), result
    assert result.archived_twice == 0, result
    assert (result.dangling_warc, result.orphans, result.broken_feed_lines) == (0, 0, 0), result
    assert result.feed_duplicates == 0, result


def test_a_plain_rerun_after_kill_leaves_no_dangling_warc_reference_and_no_orphan(
    live_sim, tmp_path
):
    urls = ",".join(p.root_url for p in live_sim.portals)
    faults.killed_then_rerun(tmp_path, urls, len(live_sim.reports), seed=5)
    got = faults.outcome(tmp_path)
    assert got.dangling_revisits == 0 and got.dangling_catalog == 0, got
    assert got.orphans == 0, got
    assert {r.url for r in live_sim.reports} <= set(got.catalog_urls)
    # the killed run's WARC file was stored by the re-run, so its records are there to refer to
    from storage import open_store

    runs = {key.split("/")[1] for key in open_store(f"file://{tmp_path / 'store'}").list("warc/")}
    assert len(runs) == 2, runs
