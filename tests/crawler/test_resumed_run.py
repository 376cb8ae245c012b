"""A run stopped part-way and resumed from its JOBDIR is one run: its summary, monitors and
exit status count the reports of every session, and nothing its earlier sessions met is
recorded gone (crawler/runreport.py ``take_earlier_sessions``)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from crawler import exitcodes
from tests.conftest import run_crawl

pytestmark = pytest.mark.slow  # three crawls of the simulator in a subprocess


def _summary(store_dir, run_id: str) -> dict:
    return json.loads((store_dir / "runs" / run_id / "summary.json").read_text(encoding="utf-8"))


def test_a_resumed_run_counts_every_session_and_records_nothing_gone(tmp_path, live_sim):
    urls = ",".join(p.root_url for p in live_sim.portals[:2])
    out = tmp_path / "crawl"  # one store and one catalog for all three crawls
    first = run_crawl(out, f"url={urls}")
    assert first.returncode == exitcodes.OK, first.log[-3000:]
    want = Counter(item["portal"] for item in first.items)
    assert len(want) == 2 and min(want.values()) >= 3

    # The re-crawl stops after a third of the reports (a graceful stop leaves the JOBDIR
    # resumable, as a kill does) and the same command finishes it.
    job = {"JOBDIR": str(tmp_path / "job")}
    stop = max(1, sum(want.values()) // 3)
    part = run_crawl(out, f"url={urls}", settings={**job, "CLOSESPIDER_ITEMCOUNT": str(stop)})
    assert part.returncode == exitcodes.STOPPED, part.log[-3000:]
    assert stop <= len(part.items) < sum(want.values())
    rest = run_crawl(out, f"url={urls}", settings=job)
    assert rest.returncode == exitcodes.OK, rest.log[-3000:]
    assert len(rest.items) < sum(want.values())  # the last session met only part of them

    run_id = json.loads((out / "state" / "registry-state.json").read_text(encoding="utf-8"))[
        "last_run"
    ]["run_id"]
    summary = _summary(out / "store", run_id)
    for portal, n in want.items():
        row = summary["portals"][portal]
        assert row["found"] == n, (portal, row)
        assert row["status"] == "ok", (portal, row)
    assert summary["gone"] == []
    assert all(m["ok"] for m in summary["monitors"]), summary["monitors"]
    state = json.loads((out / "state" / "registry-state.json").read_text(encoding="utf-8"))
    for portal, n in want.items():
        assert state["sites"][portal]["root_ok"] is True
        assert state["sites"][portal]["reports"] == n
