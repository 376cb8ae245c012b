"""One long-lived headless LibreOffice per converting process, instead of a soffice per file.

A ``soffice --convert-to`` per .doc/.wps/.rtf costs about 1.4 s of CPU, nearly all of it
LibreOffice starting.  ``OfficeServer`` starts soffice once, through a small UNO bridge
(soffice_bridge.py) that runs under the Python ``python3-uno`` belongs to, and sends it file
after file.  The limits per conversion stay those of a soffice per file:

* memory: soffice's address-space limit (RLIMIT_AS, ``SOFFICE_MEMORY``), set when it starts;
* CPU: during each file the bridge reads soffice's CPU time and kills it once the file has
  cost more than its allowance (the file's timeout + 5 s, as the Python workers get);
* time: the answer is awaited at most ``timeout`` seconds, then the bridge's whole process
  group (bridge, oosplash, soffice.bin) is killed.

An instance that crashed, timed out or converted ``MAX_JOBS`` files is closed and the next file
starts a new one.  Each instance holds a LibreOffice profile of its own (two instances cannot
share one), reused across runs from a numbered slot under the temp dir, locked while in use.

Without ``python3-uno`` (or with ``NIANBAO_SOFFICE_SERVER=0``) ``available()`` is False and
legacy.py runs a soffice per file, as before.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from functools import cache
from pathlib import Path
from typing import IO, Any

from .workers import read_line

__all__ = ["SERVER", "OfficeFailed", "OfficeServer", "available"]

#: files one instance converts before it is replaced (its caches and heap stay bounded)
MAX_JOBS = 50
#: seconds an instance may take to start and answer that it is ready
START_TIMEOUT_S = 120
_BRIDGE = str(Path(__file__).with_name("soffice_bridge.py"))
#: Pythons that may carry LibreOffice's ``uno`` module: LibreOffice's own build ships one,
#: Debian's python3-uno installs it for /usr/bin/python3
_UNO_PYTHONS = (
    "/usr/lib/libreoffice/program/python",
    "/opt/libreoffice/program/python",
    "/usr/bin/python3",
)


class OfficeFailed(RuntimeError):
    """soffice failed on this file (the message says how); ``fatal``: the instance is gone."""

    def __init__(self, message: str, fatal: bool) -> None:
        super().__init__(message)
        self.fatal = fatal


@cache
def uno_python() -> str | None:
    """The first Python that can import ``uno``, or None (asked once per process)."""
    for python in _UNO_PYTHONS:
        if (
            os.access(python, os.X_OK)
            and subprocess.run(
                [python, "-c", "import uno"], capture_output=True, timeout=30
            ).returncode
            == 0
        ):
            return python
    return None


def available(soffice: str | None) -> bool:
    if os.environ.get("NIANBAO_SOFFICE_SERVER", "1") == "0" or soffice is None:
        return False
    return uno_python() is not None


def _profile_slot() -> tuple[Path, IO[str]]:
    """A profile directory no other instance uses, and the open lock file that keeps it ours."""
    base = Path(tempfile.gettempdir()) / f"nianbao-soffice-{os.getuid()}"
    base.mkdir(mode=0o700, exist_ok=True)
    slot = 0
    while True:
        # held open for the instance's life: the flock on it is what reserves the slot
        lock = open(base / f"server-{slot}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            slot += 1
            continue
        path = base / f"server-{slot}"
        path.mkdir(mode=0o700, exist_ok=True)
        return path, lock


class OfficeInstance:
    """One soffice behind its bridge; ``convert`` one file at a time."""

    def __init__(self, soffice: str, memory: int) -> None:
        python = uno_python()
        if python is None:
            raise OfficeFailed("no Python with LibreOffice's uno module (apt python3-uno)", True)
        self.profile, self._lock = _profile_slot()
        # held until close(): soffice writes into it for the instance's whole life
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                python,
                _BRIDGE,
                "--soffice",
                soffice,
                "--profile",
                str(self.profile),
                "--memory",
                str(memory),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            start_new_session=True,
        )  # its own group: a timeout kills bridge and soffice together
        self.jobs = 0
        self.healthy = True
        answer = self._answer(START_TIMEOUT_S)
        if not answer.get("ready"):
            self.close()
            raise OfficeFailed(f"soffice did not start: {answer.get('error', '')}", True)

    def convert(self, src: Path, dst: Path, *, timeout: float, cpu: int) -> None:
        self.jobs += 1
        job = json.dumps({"src": str(src), "dst": str(dst), "cpu": cpu}).encode() + b"\n"
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(job)
            self.proc.stdin.flush()
        except OSError:
            self.healthy = False
            raise OfficeFailed(f"soffice bridge gone: {self._tail()}", True) from None
        answer = self._answer(timeout)
        if "error" in answer:
            if answer.get("fatal"):
                self.healthy = False
            raise OfficeFailed(str(answer["error"]), bool(answer.get("fatal")))

    def _answer(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = read_line(self.proc.stdout.fileno(), time.monotonic() + timeout)
        if line is None:
            self.healthy = False
            self._kill()
            raise subprocess.TimeoutExpired("soffice", timeout)
        if not line:
            self.healthy = False
            raise OfficeFailed(f"soffice bridge exit {self.proc.wait()}: {self._tail()}", True)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _tail(self) -> str:
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return (lines[-1:] or ["no output"])[0][:160]

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def close(self) -> None:
        """End of input: the bridge terminates soffice and waits for it (so its CPU is counted
        in ours, RUSAGE_CHILDREN); one that does not leave in time is killed, group and all."""
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(timeout=20)
            except (OSError, subprocess.TimeoutExpired):
                self._kill()
        # soffice.bin may outlive a killed bridge for a moment: the group goes too
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._stderr.close()
        self._lock.close()


class OfficeServer:
    """This process's instance, started on first use and replaced after a crash, a timeout or
    ``MAX_JOBS`` files; conversions through it are serialized."""

    def __init__(self, max_jobs: int = MAX_JOBS) -> None:
        self.max_jobs = max_jobs
        self._instance: OfficeInstance | None = None
        self._memory = 0
        self._lock = threading.Lock()

    def convert(self, soffice: str, src: Path, dst: Path, *, timeout: float, memory: int) -> None:
        with self._lock:
            instance = self._instance
            if instance is not None and instance.proc.poll() is None and self._memory != memory:
                instance.close()  # started with another limit
                instance = None
            if instance is None or instance.proc.poll() is not None:
                instance = self._instance = OfficeInstance(soffice, memory)
                self._memory = memory
            try:
                instance.convert(src, dst, timeout=timeout, cpu=int(timeout) + 5)
            finally:
                if not instance.healthy or instance.jobs >= self.max_jobs:
                    instance.close()
                    self._instance = None

    def close(self) -> None:
        with self._lock:
            if self._instance is not None:
                self._instance.close()
                self._instance = None


SERVER = OfficeServer()
atexit.register(SERVER.close)
