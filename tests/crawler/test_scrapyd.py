"""Scheduled crawls through the real Scrapyd: deploy with scrapyd-deploy, schedule.json, poll
listjobs.json until the job finishes, then read what it put in the store."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from simulator import Simulator
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # a real Scrapyd daemon, deploy and a scheduled crawl

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Scrapyd answers listspiders.json and schedule.json by starting `scrapy list` on the egg:
# seconds on an idle machine, far more on a loaded one.
ANSWER_TIMEOUT = 180


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=ANSWER_TIMEOUT) as resp:
        return json.loads(resp.read())


def _post(url: str, fields: list[tuple[str, str]]) -> dict:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data)
    with urllib.request.urlopen(request, timeout=ANSWER_TIMEOUT) as resp:
        return json.loads(resp.read())


@pytest.fixture()
def scrapyd(tmp_path):
    if not (BIN / "scrapyd").exists():
        pytest.fail(
            "scrapyd is not installed: `make setup` installs the test extras (nianbao[scheduling])"
        )
    port = _free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\nitems_dir = {home / 'items'}\n"
        f"dbs_dir = {home / 'dbs'}\nmax_proc = 1\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [str(BIN / "scrapyd")],
        cwd=home,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(url + "daemonstatus.json")["status"] == "ok":
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"scrapyd did not start on {url}: {proc.stdout.read()[-2000:]}")
            time.sleep(0.3)
    yield url, home
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_scrapyd_deploys_the_project_and_runs_a_scheduled_crawl(tmp_path, scrapyd):
    url, home = scrapyd
    env = {**os.environ, "SCRAPYD_URL": url}
    deploy = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "env", "-v", "test1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # what bdist_egg leaves behind
    assert deploy.returncode == 0, deploy.stderr[-3000:]
    listed = _get(url + "listspiders.json?project=nianbao")
    assert "portal" in listed.get("spiders", ()), listed

    store = tmp_path / "store"
    with Simulator(portals=["tongqiao"]).running() as live:
        job = _post(
            url + "schedule.json",
            [
                ("project", "nianbao"),
                ("spider", "portal"),
                ("url", live.portal("tongqiao").root_url),
                ("setting", f"STORE_URI=file://{store}"),
                ("setting", f"STATE_DIR={tmp_path / 'state'}"),
                ("setting", "DOWNLOAD_DELAY=0"),
                ("setting", "AUTOTHROTTLE_ENABLED=False"),
                ("setting", "CONCURRENT_REQUESTS_PER_DOMAIN=8"),
            ],
        )
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 400
        while True:
            jobs = _get(url + "listjobs.json?project=nianbao")
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(1)
        truth = {r.url for r in live.reports}
    log = next((home / "logs" / "nianbao" / "portal").glob(f"{job['jobid']}.log")).read_text(
        encoding="utf-8"
    )
    items = [
        json.loads(line)
        for line in next((home / "items" / "nianbao" / "portal").glob(f"{job['jobid']}.jl"))
        .read_text()
        .splitlines()
    ]
    assert {i["url"] for i in items} == truth, log[-3000:]
    [summary_path] = (store / "runs").glob("*/summary.json")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert summary["finish_reason"] == "finished" and summary["reports"] == len(truth)
    assert [p["status"] for p in summary["portals"].values()] == ["ok"]
    assert "run summary" in log
