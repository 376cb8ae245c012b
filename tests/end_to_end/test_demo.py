"""`make demo` runs `scrapy demo`: the whole job on the simulator, ending in a summary."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from storage import open_store
from tests.conftest import ROOT


def test_demo_crawls_the_simulator_and_prints_its_summary(live_sim, tmp_path):
    store_uri = f"file://{tmp_path / 'store'}"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "demo", "--items", str(tmp_path / "items.jsonl"),
         "-s", f"STORE_URI={store_uri}"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    n = len(live_sim.reports)
    planted = sum(len(r.failing_checks) for r in live_sim.reports)
    assert f"ground truth: {n} of {n} simulator reports found, 0 pages archived" in proc.stdout
    assert f"{planted} failed" in proc.stdout
    for portal in live_sim.portals:
        assert f"  {portal.name}: {sum(r.portal == portal.name for r in live_sim.reports)} reports" in proc.stdout

    store = open_store(store_uri)
    [summary_key] = list(store.list("runs/"))
    summary = json.loads(store.get(summary_key))
    assert summary["reports"] == n and summary["checks"]["failed"] == planted
    assert sorted(summary["by_portal"]) == sorted(p.name for p in live_sim.portals)
