"""`python -m simulator` serves any portal on its fixed port, the same across restarts."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from simulator import ports
from tests.conftest import ROOT, free_base_port

PORTALS = ["yunxi", "gbk-meta", "deep-param", "generated:7"]


def _free_base() -> int:
    return free_base_port(PORTALS)


def _serve(base: int, tmp_path, *extra: str) -> tuple[subprocess.Popen, list[str]]:
    ready = tmp_path / f"ready-{time.monotonic_ns()}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--base-port",
            str(base),
            "--ready-file",
            str(ready),
            "--portals",
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"simulator did not start: {proc.stderr.read()}")
        time.sleep(0.2)
    return proc, ready.read_text(encoding="utf-8").splitlines()


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def test_every_portal_has_its_fixed_port_across_restarts(tmp_path):
    base = _free_base()
    proc, first = _serve(base, tmp_path, *PORTALS)
    try:
        urls = {line.split()[0]: line.split()[2] for line in first}
        assert urls == {name: f"http://127.0.0.1:{base + ports.offset(name)}/" for name in PORTALS}
        for url in urls.values():
            with urllib.request.urlopen(url, timeout=30) as response:
                assert response.status == 200 and b"<html" in response.read().lower()
    finally:
        _stop(proc)
    proc, second = _serve(base, tmp_path, *PORTALS)
    _stop(proc)
    assert second == first


def test_a_taken_port_or_an_unknown_portal_is_one_clear_line(tmp_path):
    base = _free_base()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", base + ports.offset("yunxi")))
        taken.listen()
        proc = subprocess.run(
            [sys.executable, "-m", "simulator", "--base-port", str(base), "--portals", "yunxi"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"simulator: port {base} of portal yunxi is in use (another simulator running?): stop that "
        "one, or give another base port (python -m simulator --base-port N; 0 = any free port)"
    ]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "--base-port",
            str(base),
            "--portals",
            "nowhere-county",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "nowhere-county" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def test_port_offsets_are_distinct_and_known_names_only():
    names = [*ports.known_names(), "generated:0", f"generated:{ports.MAX_SEED}"]
    offsets = [ports.offset(n) for n in names]
    assert len(set(offsets)) == len(offsets)
    with pytest.raises(ValueError, match="not one of the simulator's"):
        ports.offset("nowhere-county")
    with pytest.raises(ValueError, match="seeds 0 to"):
        ports.offset(f"generated:{ports.MAX_SEED + 1}")
