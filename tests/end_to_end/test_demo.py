"""`make demo` runs `scrapy demo`: the whole job on the simulator, ending in a summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from storage import open_store
from tests.conftest import ROOT, free_base_port


def test_demo_crawls_the_simulator_and_prints_its_summary(live_sim, tmp_path):
    store_uri = f"file://{tmp_path / 'store'}"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "demo",
            "--items",
            str(tmp_path / "items.jsonl"),
            "--base-port",
            "0",
            "-s",
            f"STORE_URI={store_uri}",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    n = len(live_sim.reports)
    planted = sum(len(r.failing_checks) for r in live_sim.reports)
    assert f"ground truth: {n} of {n} simulator reports found, 0 pages archived" in proc.stdout
    assert f"{planted} failed" in proc.stdout
    for portal in live_sim.portals:
        assert (
            f"  {portal.name}: {sum(r.portal == portal.name for r in live_sim.reports)} reports"
            in proc.stdout
        )

    store = open_store(store_uri)
    [summary_key] = list(store.list("runs/"))
    summary = json.loads(store.get(summary_key))
    assert summary["reports"] == n and summary["checks"]["failed"] == planted
    assert sorted(summary["by_portal"]) == sorted(p.name for p in live_sim.portals)


def test_a_second_demo_finds_every_report_unchanged(live_sim, tmp_path):
    """The simulator's portals keep their ports across runs (simulator/ports.py), so the second
    demo re-crawls the same URLs into the same store and reports them unchanged."""
    base = free_base_port([p.name for p in live_sim.portals])
    n = len(live_sim.reports)
    outputs = []
    for _ in range(2):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "demo",
                "--items",
                str(tmp_path / "items.jsonl"),
                "--base-port",
                str(base),
                "-s",
                f"STORE_URI=file://{tmp_path / 'store'}",
                "-s",
                f"STATE_DIR={tmp_path / 'state'}",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        outputs.append(proc.stdout)
    assert f"http://127.0.0.1:{base}/" in outputs[0] and f"http://127.0.0.1:{base}/" in outputs[1]
    assert f"since the last capture: {n} new" in outputs[0]
    assert f"since the last capture: {n} unchanged" in outputs[1]
    assert f"{n} reports reused unchanged, {n} report pages not read again" in outputs[1]
