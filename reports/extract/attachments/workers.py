"""Warm converter workers: long-lived Python processes, imports done, one conversion at a time.

A fresh interpreter per attachment spends about half its CPU importing the parsers.  A worker
(``python -m reports.extract.attachments --serve``) limits its address space once, imports
every converter, then reads jobs on stdin and answers each with one JSON line.  The limits per
conversion stay those of a fresh child:

* memory: the worker's address-space limit (RLIMIT_AS), set before any import;
* CPU: before each job the worker sets its soft RLIMIT_CPU to the CPU it has used plus the
  job's allowance, so a looping parser is killed by SIGXCPU;
* time: the parent waits at most ``timeout`` seconds for the answer, then kills the worker.

A worker that crashed, timed out, ran out of memory or served ``MAX_JOBS`` jobs is replaced by
a new one; a job never sees the state another left behind for long.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

#: jobs a worker serves before it is replaced (parsers' caches and fragmentation stay bounded)
MAX_JOBS = 50
_ROOT = str(Path(__file__).resolve().parents[3])


class WorkerLost(Exception):
    """The worker died or overran its time: the job's flag is the message."""


def read_line(fd: int, deadline: float) -> bytes | None:
    """A child's answer line on ``fd``; None when the deadline (monotonic) passed, b"" when the
    child closed its end (it died)."""
    chunks = []
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b""
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)


class Worker:
    def __init__(self, memory: int):
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")])),
        }
        # A file, not a pipe: a chatty parser never blocks. Held for the worker's life.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reports.extract.attachments",
                "--serve",
                "--memory",
                str(memory),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self.jobs = 0
        self.healthy = True

    def convert(
        self, body: bytes, filename: str, content_type: str, *, timeout: float, cpu: int
    ) -> dict[str, Any]:
        """One job; raises WorkerLost (and marks the worker unhealthy) if it did not answer."""
        self.jobs += 1
        header = (
            json.dumps(
                {"filename": filename, "content_type": content_type, "cpu": cpu, "size": len(body)}
            ).encode()
            + b"\n"
        )
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(header + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._lost(None) from None
        assert self.proc.stdout is not None
        line = read_line(self.proc.stdout.fileno(), time.monotonic() + timeout)
        if not line:  # None: out of time; b"": the worker died
            raise self._lost(timeout if line is None else None)
        result: dict[str, Any] = json.loads(line)
        if any("out_of_memory" in f for f in result.get("flags", ())):
            self.healthy = False  # memory exhausted once: do not trust the heap again
        return result

    def _lost(self, timeout: float | None) -> WorkerLost:
        self.healthy = False
        if timeout is not None:
            self.proc.kill()
            self.proc.wait()
            return WorkerLost(f"timeout:convert_{int(timeout)}s")
        code = self.proc.wait()
        self._stderr.seek(0)
        tail = self._stderr.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        why = "out_of_memory" if "MemoryError" in tail[0] else f"exit_{code}"
        return WorkerLost(f"failed:convert:{why}:{tail[0][:160]}")

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                assert self.proc.stdin is not None
                self.proc.stdin.close()  # EOF: the worker leaves its loop (and its soffice)
                self.proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()


class WorkerPool:
    """Idle warm workers by memory limit; a caller takes one, or a new one is started."""

    def __init__(self, keep: int | None = None):
        self.keep = keep or os.cpu_count() or 2
        self._idle: dict[int, list[Worker]] = {}
        self._lock = threading.Lock()

    def convert(
        self, body: bytes, filename: str, content_type: str, *, timeout: float, memory: int
    ) -> dict[str, Any]:
        with self._lock:
            idle = self._idle.setdefault(memory, [])
            worker = idle.pop() if idle else None
        if worker is None or worker.proc.poll() is not None:
            worker = Worker(memory)
        try:
            return worker.convert(
                body, filename, content_type, timeout=timeout, cpu=int(timeout) + 5
            )
        finally:
            self._give_back(worker, memory)

    def _give_back(self, worker: Worker, memory: int) -> None:
        if worker.healthy and worker.jobs < MAX_JOBS and worker.proc.poll() is None:
            with self._lock:
                idle = self._idle.setdefault(memory, [])
                if len(idle) < self.keep:
                    idle.append(worker)
                    return
        worker.close()

    def close(self) -> None:
        with self._lock:
            workers = [w for idle in self._idle.values() for w in idle]
            self._idle.clear()
        for worker in workers:
            worker.close()


POOL = WorkerPool()
atexit.register(POOL.close)


def serve(memory: int) -> None:
    """The worker's loop (``--serve``): limits, imports, then a job per header line on stdin."""
    import resource

    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Answers go to a private copy of stdout; anything a library prints lands on stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    from . import convert, legacy, office, pdf  # noqa: F401  (the imports a cold child paid per file)

    for module in ("pdfplumber", "docx", "openpyxl", "xlrd"):
        with contextlib.suppress(ImportError):  # convert() flags a missing library per file
            __import__(module)
    stdin = sys.stdin.buffer
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    while header := stdin.readline():
        job = json.loads(header)
        body = stdin.read(job["size"])
        usage = resource.getrusage(resource.RUSAGE_SELF)
        allowance = int(usage.ru_utime + usage.ru_stime) + 1 + job["cpu"]
        resource.setrlimit(
            resource.RLIMIT_CPU,
            (allowance if hard == resource.RLIM_INFINITY else min(allowance, hard), hard),
        )
        result = convert(body, job["filename"], job["content_type"])
        out.write(
            json.dumps(
                {"kind": result.kind, "text": result.text, "flags": result.flags},
                ensure_ascii=False,
            ).encode()
            + b"\n"
        )
        out.flush()
