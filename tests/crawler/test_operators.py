"""What an operator relies on: the run report lists every portal, the monitors fail a run whose
report count dropped, two crawls never share a store at once, `python -m storage runs`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from simulator import Simulator
from storage.catalog import state_dir
from tests.conftest import ROOT, run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


def _summaries(store_dir) -> list[dict]:
    return [
        json.loads((d / "summary.json").read_text(encoding="utf-8"))
        for d in sorted((store_dir / "runs").iterdir())
    ]


def _storage_cli(store_dir, state, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "storage",
            "--store",
            f"file://{store_dir}",
            "--state-dir",
            str(state),
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_report_count_drop_alone_fails_the_run_with_exit_7(tmp_path):
    """No dead portal, no spool: only the count monitor fails, and the crawl exits 7."""
    sim = Simulator(portals=["yunxi"])
    with sim.running() as live:
        root = live.portal("yunxi").root_url
        first = run_crawl(tmp_path / "crawl", f"url={root}")
        assert first.returncode == 0, first.log[-3000:]
        sim.change(removed=len(first.items) // 4, seed=5)
        second = run_crawl(tmp_path / "crawl", f"url={root}")
    assert second.returncode == 7, second.log[-3000:]
    _, two = _summaries(first.store_dir)
    # the exit reason names the failed check and why, in the summary and on the last line
    [reason] = two["exit"]["reasons"]
    assert reason.startswith("monitor failed: ") and "report count dropped" in reason, reason
    assert second.log.strip().splitlines()[-1] == f"nianbao: crawl exit status 7: {reason}"
    assert [r["name"] for r in two["monitors"] if not r["ok"]] == [
        r["name"] for r in two["monitors"] if "report count" in r["name"] and not r["ok"]
    ]


def test_run_report_monitors_and_a_report_count_drop(tmp_path):
    dead = f"127.0.0.1:{_closed_port()}"
    sim = Simulator(portals=["yunxi"])
    with sim.running() as live:
        root = live.portal("yunxi").root_url
        # LOG_LEVEL=ERROR: the run report is logged all the same
        first = run_crawl(
            tmp_path / "crawl",
            f"url={root},http://{dead}/",
            settings={"LOG_LEVEL": "ERROR", "RETRY_TIMES": "0"},
        )
        reports = len(first.items)
        assert reports > 20
        # a fifth and more of the portal's reports taken down: a drop the monitor must catch
        sim.change(removed=reports // 4, seed=3)
        second = run_crawl(
            tmp_path / "crawl", f"url={root},http://{dead}/", settings={"RETRY_TIMES": "0"}
        )
    one, two = _summaries(first.store_dir)
    portal = first.items[0]["portal"]

    # every portal of the run is in the report, the dead one too
    assert one["portals"][dead]["status"] == "unreachable" and one["portals"][dead]["found"] == 0
    assert one["portals"][dead]["errors"] >= 1
    assert one["portals"][portal]["status"] == "ok" and one["portals"][portal]["found"] == reports
    assert one["portals"][portal]["new"] == reports and one["portals"][portal]["pages"] > reports
    assert "run summary" in first.log and f"{dead}  unreachable" in first.log
    # schema, ratios: passed; the portal without a report: failed
    results = {r["name"]: r for r in one["monitors"]}
    assert results, one
    failed = {name for name, r in results.items() if not r["ok"]}
    assert any("without a report" in name for name in failed), results
    assert not any("report count" in name or "validation" in name.lower() for name in failed), (
        results
    )
    assert one["monitors_failed"] == len(failed)

    # at INFO: the dead host's robots.txt is one line, Scrapy's start-up lines are gone
    assert second.log.count(f"http://{dead}/robots.txt") == 1
    assert f"robots.txt not fetched: http://{dead}/robots.txt" in second.log
    assert "robotstxt.py" not in second.log and "twisted/internet" not in second.log  # no traceback
    assert "Enabled extensions" not in second.log and "Overridden settings" not in second.log
    assert "Spider opened" in second.log
    drop = {r["name"]: r for r in two["monitors"] if not r["ok"]}
    assert any("dropped" in r["reason"] for r in drop.values()), two["monitors"]
    assert two["monitors_failed"] >= 1
    assert "monitor failed" in second.log and "report count dropped" in second.log
    assert two["portals"][portal]["gone"] == reports // 4

    # python -m storage runs / run RUN_ID
    listed = _storage_cli(first.store_dir, tmp_path / "crawl" / "state", "runs")
    assert listed.returncode == 0, listed.stderr
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [line["run_id"] for line in lines] == [one["run_id"], two["run_id"]]
    assert lines[0]["portals"] == {"ok": 1, "unreachable": 1}
    shown = _storage_cli(first.store_dir, tmp_path / "crawl" / "state", "run", two["run_id"])
    assert shown.returncode == 0 and "gone: " in shown.stdout and portal in shown.stdout
    missing = _storage_cli(
        first.store_dir, tmp_path / "crawl" / "state", "run", "20990101T000000Z-nope"
    )
    assert missing.returncode == 1 and "python -m storage runs" in missing.stderr


def test_a_second_crawl_on_the_same_store_stops_naming_the_first(tmp_path):
    out = tmp_path / "crawl"
    store_uri = f"file://{out / 'store'}"
    lock = state_dir(str(out / "state"), store_uri) / "crawl.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from crawler.runlock import acquire; from pathlib import Path; "
            "h = acquire(Path(sys.argv[1])); print('held', flush=True); time.sleep(120)",
            str(lock),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = run_crawl(out, "url=http://127.0.0.1:9/", timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode != 0
    assert f"another crawl is running on this store: pid {holder.pid}" in result.log
    assert f"kill {holder.pid}" in result.log and str(lock) in result.log
    assert not (out / "store" / "pages").exists()
    # once the holder is gone the lock is free again: no stale lock to delete
    from crawler.runlock import acquire

    acquire(lock).close()


def test_progress_line_on_a_terminal_only(tmp_path):
    import os
    import pty

    with Simulator(portals=["tongqiao"]).running() as live:
        cmd = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "portal",
            "-a",
            f"url={live.portal('tongqiao').root_url}",
            "-s",
            f"STORE_URI=file://{tmp_path / 'store'}",
            "-s",
            f"STATE_DIR={tmp_path / 'state'}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "LOG_LEVEL=WARNING",
        ]
        main, child = pty.openpty()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=child, stdout=child, stderr=child)
        os.close(child)
        out = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        proc.wait(timeout=300)
        os.close(main)
        reports = len(live.reports)
    lines = out.decode("utf-8", "replace").replace("\r", "\n").splitlines()
    progress = [line for line in lines if line.startswith("portals ")]
    assert progress, out[-2000:]
    assert (
        progress[-1].startswith("portals 1/1 | pages ") and f"| reports {reports} |" in progress[-1]
    )
    assert any("ETA" in line for line in progress) and "spooled 0" in progress[-1]
    # off a terminal: no progress line in the log
    plain = run_crawl(tmp_path / "plain", f"url=http://127.0.0.1:{_closed_port()}/")
    assert "portals 0/" not in plain.log and "pages/s, ETA" not in plain.log
