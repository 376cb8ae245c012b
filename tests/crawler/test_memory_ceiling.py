"""The crawl's memory ceiling, MEMUSAGE_LIMIT_MB, on the crawl process's own peak RSS
(crawler/memory.py).  The figure for 20 portals with hostile pages is `make bench`
(bench/memory.py); here: the measure is of the crawl itself, and the ceiling stops it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from crawler import exitcodes
from simulator.faults import hostile_portal
from tests.conftest import ROOT

# The parent touches this much before it execs the crawl, as a bench or a scheduler that once
# held that much would: Linux carries its ru_maxrss over into the crawl process.
PARENT_PEAK_MB = 1200
EXEC_CRAWL = (
    "import os, sys\n"
    f"block = bytearray({PARENT_PEAK_MB} * 2**20)\n"
    "for i in range(0, len(block), 4096): block[i] = 1\n"
    "del block\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'scrapy', *sys.argv[1:]])\n"
)


@pytest.fixture(scope="module")
def portal():
    with hostile_portal(faults=()) as live:
        yield live


def _crawl(tmp_path, url: str, **settings: str) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable,
        "-c",
        EXEC_CRAWL,
        "crawl",
        "portal",
        "-a",
        f"url={url}",
        "-O",
        str(tmp_path / "items.jsonl"),
    ]
    for name, value in {
        "STORE_URI": f"file://{tmp_path / 'store'}",
        "STATE_DIR": str(tmp_path / "state"),
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "LOG_LEVEL": "INFO",
        "MONITOR_MAX_ERROR_RATIO": "1.0",
        **settings,
    }.items():
        cmd += ["-s", f"{name}={value}"]
    return subprocess.run(
        cmd,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _stat(log: str, name: str) -> int:
    match = re.search(rf"'{name}': (\d+)", log)
    assert match, f"no {name} in the crawl's stats"
    return int(match.group(1))


def test_the_crawl_measures_its_own_memory_not_what_started_it(tmp_path, portal):
    r = _crawl(tmp_path, portal.root_url, MEMUSAGE_LIMIT_MB="1024")
    assert "Memory usage exceeded" not in r.stderr, r.stderr[-3000:]
    assert "'finish_reason': 'finished'" in r.stderr, r.stderr[-3000:]
    # the parent's 1.2 GB is not the crawl's: Scrapy's own extension would say >= 1200 MiB
    startup, peak = _stat(r.stderr, "memusage/startup"), _stat(r.stderr, "memusage/max")
    assert 0 < startup <= peak < 600 * 2**20, (startup, peak)
    assert (tmp_path / "items.jsonl").read_text(encoding="utf-8").count("\n") >= 1


def test_past_the_ceiling_the_crawl_stops_and_exits_6_saying_why(tmp_path, portal):
    # the interpreter with Scrapy and the project imported is well over 40 MiB
    r = _crawl(tmp_path, portal.root_url, MEMUSAGE_LIMIT_MB="40")
    assert r.returncode == exitcodes.STOPPED, r.stderr[-3000:]
    assert "Memory usage exceeded 40MiB" in r.stderr
    assert (
        r.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "nianbao: crawl exit status 6: the crawl stopped before it was done (memusage_exceeded)"
        )
    )


def test_discovery_parses_a_page_over_max_page_bytes_only_that_far():
    """The spider's one parse of a response (crawler/spiders/portal.py `_page`) reads the first
    MAX_PAGE_BYTES: an lxml tree of a whole 50 MB page took 1.2 GB of the crawl process."""
    from scrapy.http import HtmlResponse

    from crawler.limits import BoundedPageMiddleware
    from crawler.spiders.portal import _page

    with hostile_portal(faults=("big",), big_page_bytes=6 * 2**20) as portal:
        body = portal.big_page()
    response = HtmlResponse(
        "http://127.0.0.1:1/nb/big.html",
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    bounded = BoundedPageMiddleware(2**20).process_response(None, response)
    page = _page(bounded)
    assert len(bounded.body) == len(body) > 6 * 2**20 - 100  # the archive still gets it whole
    # the head ends before a tag, at most 64 KiB short of the bound (no character cut in two)
    assert 2**20 - 2**16 <= len(page.body) <= 2**20 and body[len(page.body)] == ord("<")
    assert len(page.text) <= 2**20
    assert page.tree is not None and "2019年政府信息公开工作年度报告" in page.text
