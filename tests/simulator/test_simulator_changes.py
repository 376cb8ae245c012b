"""The simulator's HTTP validators (ETag, Last-Modified, or neither) and its changes between
two crawls: reports added, edited, removed."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from simulator import Simulator
from tests.conftest import ROOT


def _get(url: str, **headers) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=10
        ) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_etag_and_last_modified_answer_304_until_the_report_changes():
    sim = Simulator(portals=["yunxi"])
    with sim.running() as live:
        url = live.reports[0].url
        status, headers, _body = _get(url)
        assert (
            status == 200 and headers["ETag"].startswith('"') and "GMT" in headers["Last-Modified"]
        )
        assert _get(url, **{"If-None-Match": headers["ETag"]})[0] == 304
        assert _get(url, **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert (
            _get(url, **{"If-None-Match": '"other"'})[0] == 200
        )  # If-None-Match wins over the date
        # a listing page has an ETag (its bytes) but no Last-Modified
        listing = _get(live.portal("yunxi").root_url)[1]
        assert "ETag" in listing and "Last-Modified" not in listing
        # a change elsewhere leaves this page's validators as they were
        changes = sim.change(edited=1, seed=0)
        if live.url_of(*changes.edited[0]) != url:
            assert _get(url, **{"If-None-Match": headers["ETag"]})[0] == 304


def test_an_edit_moves_etag_and_last_modified():
    sim = Simulator(portals=["tongqiao"])
    with sim.running() as live:
        urls = {t.url for t in live.reports}
        first = {u: _get(u)[1] for u in urls}
        changes = sim.change(edited=2, seed=1)
        for portal, path in changes.edited:
            url = live.url_of(portal, path)
            old = first[url]
            status, new, body = _get(url, **{"If-None-Match": old["ETag"]})
            assert (
                status == 200
                and new["ETag"] != old["ETag"]
                and new["Last-Modified"] != old["Last-Modified"]
            )
            assert "更正" in body.decode("utf-8")
            assert _get(url, **{"If-Modified-Since": old["Last-Modified"]})[0] == 200


@pytest.mark.parametrize(
    "switch,etag,modified",
    [("none", False, False), ("etag", True, False), ("last-modified", False, True)],
)
def test_per_portal_validator_switch(switch, etag, modified):
    sim = Simulator(portals=["yunxi", "tongqiao"], validators={"yunxi": switch})
    with sim.running() as live:
        yunxi = next(t.url for t in live.reports if t.portal == "yunxi")
        tongqiao = next(t.url for t in live.reports if t.portal == "tongqiao")
        headers = _get(yunxi)[1]
        assert ("ETag" in headers, "Last-Modified" in headers) == (etag, modified)
        assert _get(yunxi, **{"If-None-Match": "*"})[0] == (304 if etag else 200)
        assert {"ETag", "Last-Modified"} <= set(_get(tongqiao)[1])  # the other portal keeps both
    with pytest.raises(ValueError, match="validators='sometimes' for portal yunxi"):
        Simulator(portals=["yunxi"], validators="sometimes")


def test_changes_add_edit_and_remove_reports_in_pages_and_truth():
    sim = Simulator()
    with sim.running() as live:
        before = {t.url: t for t in live.reports}
        changes = sim.change(added=5, edited=3, removed=2, seed=4)
        after = {t.url: t for t in live.reports}
        added = {live.url_of(p, path) for p, path in changes.added}
        removed = {live.url_of(p, path) for p, path in changes.removed}
        edited = {live.url_of(p, path) for p, path in changes.edited}
        assert (len(added), len(edited), len(removed)) == (5, 3, 2)
        assert set(after) == (set(before) - removed) | added
        assert not edited & (added | removed) and edited <= set(after)
        for url in removed:
            assert _get(url)[0] == 404
        for url in added:
            status, _, body = _get(url)
            assert (
                status == 200 and "2025" in body.decode("utf-8") and after[url].report_year == 2025
            )
        # the same call on a fresh simulator changes the same reports
        again = Simulator().change(added=5, edited=3, removed=2, seed=4)
        assert again == changes


@pytest.mark.slow
def test_python_m_simulator_changes_on_sigusr1(tmp_path):
    ready = tmp_path / "ready"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--base-port",
            "0",
            "--ready-file",
            str(ready),
            "--change",
            "1,1,1",
            "--validators",
            "etag",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        portals = [proc.stdout.readline() for _ in range(2)]
        assert all(line.count(" ") == 2 for line in portals)
        proc.send_signal(signal.SIGUSR1)
        lines = [proc.stdout.readline().split() for _ in range(3)]
        assert sorted(kind for kind, _ in lines) == ["added", "edited", "removed"]
        removed = next(url for kind, url in lines if kind == "removed")
        assert _get(removed)[0] == 404
        added = next(url for kind, url in lines if kind == "added")
        headers = _get(added)[1]
        assert "ETag" in headers and "Last-Modified" not in headers
    finally:
        proc.terminate()
        proc.wait(timeout=10)
