"""Attachment conversion: CPU per file with a fresh Python child per file (the converter before
warm workers, ``python -m reports.extract.attachments`` with the same limits) against the warm
worker pool of ``convert_isolated``, alternating, on the seed reports as PDF, DOCX and XLSX.
CPU is the children's user + system time (RUSAGE_CHILDREN: the pool's workers are closed, and
so counted, before it is read)."""
from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

from reports.extract.attachments import ISOLATED_MEMORY, ISOLATED_TIMEOUT_S, convert_isolated
from reports.extract.attachments.workers import WorkerPool
from simulator.documents import report_docx, report_pdf, report_xlsx
from simulator.seeds import SEEDS, seed_report

ROUNDS = 3


def _files() -> list[tuple[bytes, str]]:
    files = []
    for key in list(SEEDS)[:4]:
        title, report = SEEDS[key].title, seed_report(key)
        files += [(report_pdf(title, report), f"{key}.pdf"), (report_docx(title, report), f"{key}.docx"),
                  (report_xlsx(title, report), f"{key}.xlsx")]
    return files


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cold(files) -> None:
    for body, name in files:
        subprocess.run([sys.executable, "-m", "reports.extract.attachments", "--filename", name,
                        "--memory", str(ISOLATED_MEMORY), "--cpu", str(ISOLATED_TIMEOUT_S + 5)],
                       input=body, capture_output=True, check=True)


def _warm(files) -> None:
    import reports.extract.attachments.workers as workers

    pool, workers.POOL = workers.POOL, WorkerPool()
    try:
        for body, name in files:
            convert_isolated(body, name)
    finally:
        workers.POOL.close()
        workers.POOL = pool


def summary(rounds: int = ROUNDS) -> str:
    files = _files()
    cpu: dict[str, list[float]] = {"cold": [], "warm": []}
    wall: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(rounds):
        for kind, run in (("cold", _cold), ("warm", _warm)):
            before, started = _children_cpu(), time.perf_counter()
            run(files)
            cpu[kind].append((_children_cpu() - before) / len(files) * 1000)
            wall[kind].append((time.perf_counter() - started) / len(files) * 1000)
    lines = [f"attachment conversion, {len(files)} files (PDF, DOCX, XLSX), {rounds} rounds: "
             "CPU ms per file min / median / max, wall ms per file median"]
    for kind, label in (("cold", "a fresh Python child per file"), ("warm", "warm worker pool")):
        c = sorted(cpu[kind])
        lines.append(f"  {label:<32} {c[0]:7.0f} / {statistics.median(c):7.0f} / {c[-1]:7.0f}"
                     f"   {statistics.median(wall[kind]):7.0f}")
    lines.append(f"  ratio warm / cold CPU: {statistics.median(cpu['warm']) / statistics.median(cpu['cold']):.2f}"
                 "  (goal <= 0.5)")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
