"""The browser path (crawler/browser.py) on its own: it starts only when a request needs it,
is restarted every BROWSER_RESTART_EVERY rendered pages, and never fetches attachments; the
full pipeline archives an image-only report and flags it as having no text."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.browser import process_tree
from crawler.browser import abort_request, is_attachment
from simulator import Simulator
from tests.conftest import CRAWLER_ONLY, ROOT, run_crawl

pytestmark = pytest.mark.slow  # a browser crawl in a subprocess


@pytest.fixture(scope="module")
def live():
    with Simulator(
        portals=["hostile-rs412", "hostile-jsl521", "hostile-odd", "generic-county"]
    ).running() as live:
        yield live


def test_browser_restarts_every_n_pages_and_finds_everything(live, tmp_path):
    # A wall is passed once per portal and its cookies go to plain requests, so each walled
    # portal renders about one page: two of them, restarting after every page.
    walled = ("hostile-rs412", "hostile-jsl521")
    roots = ",".join(live.portal(name).root_url for name in walled)
    result = run_crawl(
        tmp_path, f"url={roots}", settings={**CRAWLER_ONLY, "BROWSER_RESTART_EVERY": "1"}
    )
    assert result.returncode == 0, result.log[-3000:]
    assert {i["url"] for i in result.items} == {r.url for r in live.reports if r.portal in walled}
    rendered = int(re.search(r"'nianbao/rendered': (\d+)", result.log).group(1))
    assert rendered >= 2
    restarts = int(re.search(r"'nianbao/browser_restarts': (\d+)", result.log).group(1))
    assert restarts == rendered - 1
    launches = int(re.search(r"'playwright/browser_count': (\d+)", result.log).group(1))
    assert launches == restarts + 1
    # every page opened was closed again
    assert re.search(r"'playwright/page_count': (\d+)", result.log).group(1) == re.search(
        r"'playwright/page_count/closed': (\d+)", result.log
    ).group(1)


def _chromium_browser_pids(pid: int) -> list[int]:
    """The chromium browser processes (not its renderers or services) under ``pid``."""
    found = []
    for p in process_tree(pid)[1:]:
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes()
        except OSError:
            continue
        if b"chromium" in cmd.split(b"\0")[0] and b"--type=" not in cmd:
            found.append(p)
    return found


def test_a_browser_killed_mid_crawl_is_relaunched_and_every_page_is_answered(live, tmp_path):
    """With --single-process a crashed page takes the whole browser with it: the next request
    launches a new browser, and every page asked for is still rendered."""
    out = tmp_path / "stats.json"
    pages = 30
    cmd = [sys.executable, "-m", "bench.browser_crawl", "render", "--pages", str(pages)]
    cmd += ["--url", live.portal("hostile-rs412").root_url, "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not (browsers := _chromium_browser_pids(proc.pid)):
            assert proc.poll() is None and time.monotonic() < deadline, "no browser was launched"
            time.sleep(0.1)
        time.sleep(2)  # a few pages in
        for pid in browsers:
            os.kill(pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=300)
    finally:
        proc.kill()
    assert proc.returncode == 0, err.decode()[-3000:]
    stats = json.loads(out.read_text())
    assert stats["pages"] == pages
    assert stats["launches"] >= 2  # the kill came mid-crawl and a new browser took over


def test_a_crawl_that_needs_no_browser_never_starts_one(live, tmp_path):
    result = run_crawl(
        tmp_path, "url=" + live.portal("generic-county").root_url, settings=CRAWLER_ONLY
    )
    assert result.returncode == 0 and result.items
    assert "Starting download handler" not in result.log and "Launching browser" not in result.log


@pytest.mark.parametrize(
    "url,kind,aborted",
    [
        ("http://x.gov.cn/upload/P0201.pdf", "document", True),
        ("http://x.gov.cn/a.docx?x=1", "other", True),
        ("http://x.gov.cn/W0.jpg", "image", True),
        ("http://x.gov.cn/show.php?id=1", "document", False),
        ("http://x.gov.cn/api/list.json", "fetch", False),
    ],
)
def test_the_browser_never_fetches_attachments_or_images(url, kind, aborted):
    assert asyncio.run(abort_request(SimpleNamespace(url=url, resource_type=kind))) is aborted
    assert is_attachment(url) is (kind != "fetch" and aborted)


def test_image_only_report_is_archived_and_flagged_no_text(live, tmp_path):
    root = live.portal("hostile-odd").root_url
    result = run_crawl(tmp_path, f"url={root}")
    assert result.returncode == 0, result.log[-3000:]
    items = {i["url"]: i for i in result.items}
    for report in (r for r in live.reports if r.portal == "hostile-odd"):
        assert report.url in items, report.url
        if report.flags == ("no_text",):
            assert "no_text" in (items[report.url]["flags"] or []), items[report.url]["flags"]
    summary = next(result.store_dir.glob("runs/*/summary.json"))
    assert json.loads(summary.read_text())["errors"]["report"] >= 3  # soft 404, .pdf → HTML, loop


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        kids = [p for p, pp in parents.items() if pp == parent]
        found += kids
        todo += kids
    return found


def test_chromium_gets_each_flag_from_one_place_and_keeps_playwrights_disabled_features():
    asyncio.run(_chromium_command_line())


async def _chromium_command_line() -> None:
    from playwright.async_api import async_playwright

    from crawler.settings import PLAYWRIGHT_LAUNCH_OPTIONS

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**PLAYWRIGHT_LAUNCH_OPTIONS)
        try:
            lines = []
            for pid in _descendants(os.getpid()):
                try:
                    lines.append(Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0"))
                except OSError:
                    continue
            [argv] = [a for a in lines if b"--remote-debugging-pipe" in a]  # the browser process
        finally:
            await browser.close()
    flags = [a.decode() for a in argv[1:] if a.startswith(b"--")]
    names = [f.split("=", 1)[0] for f in flags]
    # Playwright's switches and Debian's wrapper (/etc/chromium.d) overlap on their own; ours
    # are each given once, by the settings alone
    for ours in PLAYWRIGHT_LAUNCH_OPTIONS["args"]:
        assert ours in flags and names.count(ours.split("=", 1)[0]) == 1, ours
    [disabled] = [f for f in flags if f.startswith("--disable-features=")]
    # Playwright's own list is the one chromium keeps (a second one would replace it)
    assert "HttpsUpgrades" in disabled.split("=", 1)[1].split(",")
