"""The long-lived LibreOffice (reports/extract/attachments/libreoffice.py): one instance converts
file after file to the text a soffice per file gives, keeps the per-file limits (address space,
CPU, time), and is replaced after a crash, a timeout or MAX_JOBS files.  Needs LibreOffice and
python3-uno (`make sysdeps`)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from reports.extract.attachments import convert, legacy, libreoffice
from simulator.documents import report_doc

pytestmark = pytest.mark.skipif(
    not libreoffice.available(legacy._soffice()),
    reason="needs LibreOffice and python3-uno: run `make sysdeps`",
)


@pytest.fixture
def server(monkeypatch):
    fresh = libreoffice.OfficeServer()
    monkeypatch.setattr(libreoffice, "SERVER", fresh)
    yield fresh
    fresh.close()


def _office_pid(server) -> int:
    """soffice.bin of the server's instance: the bridge's grandchild, under oosplash."""

    def children(pid: int) -> list[int]:
        return [
            int(c)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for c in (task / "children").read_text().split()
        ]

    [launcher] = children(server._instance.proc.pid)
    return max(children(launcher), default=launcher)


def _limits(pid: int) -> dict[str, str]:
    rows = Path(f"/proc/{pid}/limits").read_text().splitlines()[1:]
    return {row[:26].strip(): row[26:47].strip() for row in rows}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_one_instance_converts_file_after_file_to_the_text_of_a_soffice_per_file(
    server, monkeypatch
):
    warm = [convert(report_doc(key), f"{key}.doc") for key in ("002", "003", "004")]
    instance = server._instance
    assert instance is not None and instance.jobs == 3  # one soffice for the three
    monkeypatch.setenv("NIANBAO_SOFFICE_SERVER", "0")
    cold = [convert(report_doc(key), f"{key}.doc") for key in ("002", "003", "004")]
    assert warm == cold
    assert all(c.kind == "doc" and c.flags == [] and "政府信息公开" in c.text for c in warm)
    assert server._instance is instance  # the per-file path left it alone


def test_the_instance_has_the_per_file_memory_limit(server):
    convert(report_doc("002"), "002.doc")
    assert _limits(_office_pid(server))["Max address space"] == str(legacy.SOFFICE_MEMORY)


def _wide_rtf(rows: int) -> bytes:
    """An RTF table of ``rows`` rows of six cells: seconds of LibreOffice's CPU to lay out."""
    cells = "".join(f"\\cellx{1000 * (j + 1)}" for j in range(6))
    body = "".join(
        "\\trowd" + cells + "".join(f"\\intbl {i}-{j}\\cell" for j in range(6)) + "\\row\n"
        for i in range(rows)
    )
    return ("{\\rtf1\\ansi " + body + "}").encode()


def test_a_file_over_its_cpu_allowance_ends_that_soffice_and_says_so(server, tmp_path):
    src = tmp_path / "wide.rtf"
    src.write_bytes(_wide_rtf(20_000))
    soffice = legacy._soffice()
    assert soffice is not None  # the module skips without one
    instance = libreoffice.OfficeInstance(soffice, legacy.SOFFICE_MEMORY)
    try:
        with pytest.raises(libreoffice.OfficeFailed, match="cpu_limit_1s") as failed:
            instance.convert(src, tmp_path / "wide.docx", timeout=120, cpu=1)
        assert failed.value.fatal and not instance.healthy
    finally:
        instance.close()
    assert instance.proc.poll() is not None


def test_a_crashed_soffice_costs_one_flag_and_the_next_file_gets_a_new_instance(server):
    convert(report_doc("002"), "002.doc")
    first = server._instance
    os.kill(_office_pid(server), signal.SIGKILL)
    crashed = convert(report_doc("003"), "003.doc")
    assert any(f.startswith("failed:soffice:") for f in crashed.flags), crashed.flags
    # antiword still read the Word 97 file; its tables are flagged approximate
    assert "tables_approximate:antiword" in crashed.flags and crashed.text
    again = convert(report_doc("003"), "003.doc")
    assert again.flags == [] and server._instance is not first


def test_a_conversion_over_its_time_kills_bridge_and_soffice_and_the_next_starts_fresh(
    server, tmp_path
):
    src = tmp_path / "in.doc"
    src.write_bytes(report_doc("002"))
    server.convert(
        legacy._soffice(), src, tmp_path / "in.docx", timeout=60, memory=legacy.SOFFICE_MEMORY
    )
    bridge, office = server._instance.proc.pid, _office_pid(server)
    with pytest.raises(subprocess.TimeoutExpired):
        server.convert(
            legacy._soffice(),
            src,
            tmp_path / "again.docx",
            timeout=0.001,
            memory=legacy.SOFFICE_MEMORY,
        )
    assert server._instance is None
    deadline = time.monotonic() + 10
    while (_alive(bridge) or _alive(office)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(bridge) and not _alive(office)
    assert convert(report_doc("002"), "002.doc").flags == []


def test_an_instance_is_retired_after_max_jobs(server, monkeypatch):
    monkeypatch.setattr(server, "max_jobs", 2)
    convert(report_doc("002"), "002.doc")
    first = server._instance
    convert(report_doc("003"), "003.doc")
    assert server._instance is None and first.proc.poll() is not None  # closed, not just dropped
    convert(report_doc("004"), "004.doc")
    assert server._instance is not None and server._instance is not first


def test_an_unreadable_file_is_a_flag_and_the_instance_stays(server):
    convert(report_doc("002"), "002.doc")
    first = server._instance
    # a Word file cut in half (a download that broke off): neither LibreOffice nor antiword reads it
    whole = report_doc("002")
    broken = convert(whole[: len(whole) // 2], "x.doc")
    assert broken.text == "" and any(f.startswith("failed:soffice:") for f in broken.flags)
    assert server._instance is first and first.healthy
