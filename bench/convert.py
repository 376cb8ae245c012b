"""Attachment conversion: CPU per file with a fresh Python child per file and a soffice per
.doc (the converters before warm workers: ``python -m reports.extract.attachments`` with the same
limits, ``NIANBAO_SOFFICE_SERVER=0``) against the warm worker pool of ``convert_isolated`` with
its long-lived LibreOffice, alternating, on the seed reports as PDF, DOCX, XLSX and DOC.
CPU is the children's user + system time (RUSAGE_CHILDREN: the pool's workers, and the soffice
each holds, are closed, and so counted, before it is read)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

from reports.extract.attachments import ISOLATED_MEMORY, ISOLATED_TIMEOUT_S, convert_isolated
from reports.extract.attachments.workers import WorkerPool
from simulator.documents import report_doc, report_docx, report_pdf, report_xlsx
from simulator.seeds import SEEDS, seed_report

ROUNDS = 3
#: .doc files per round: one LibreOffice start is shared by this many conversions
LEGACY_FILES = 5


def _files() -> dict[str, list[tuple[bytes, str]]]:
    """The bench's files by group: what Python reads, and what LibreOffice converts."""
    python: list[tuple[bytes, str]] = []
    legacy: list[tuple[bytes, str]] = []
    for key in list(SEEDS)[:LEGACY_FILES]:
        title, report = SEEDS[key].title, seed_report(key)
        if len(python) < 12:
            python += [
                (report_pdf(title, report), f"{key}.pdf"),
                (report_docx(title, report), f"{key}.docx"),
                (report_xlsx(title, report), f"{key}.xlsx"),
            ]
        legacy.append((report_doc(key), f"{key}.doc"))
    return {"PDF, DOCX, XLSX": python, "DOC (LibreOffice)": legacy}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cold(files) -> None:
    env = {**os.environ, "NIANBAO_SOFFICE_SERVER": "0"}  # a soffice per file, as before
    for body, name in files:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "reports.extract.attachments",
                "--filename",
                name,
                "--memory",
                str(ISOLATED_MEMORY),
                "--cpu",
                str(ISOLATED_TIMEOUT_S + 5),
            ],
            input=body,
            capture_output=True,
            check=True,
            env=env,
        )


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
    lines = [
        f"attachment conversion, {rounds} rounds: CPU ms per file min / median / max, "
        f"wall ms per file median; load {os.getloadavg()[0]:.1f} at start"
    ]
    for group, files in _files().items():
        cpu: dict[str, list[float]] = {"cold": [], "warm": []}
        wall: dict[str, list[float]] = {"cold": [], "warm": []}
        for _ in range(rounds):
            for kind, run in (("cold", _cold), ("warm", _warm)):
                before, started = _children_cpu(), time.perf_counter()
                run(files)
                cpu[kind].append((_children_cpu() - before) / len(files) * 1000)
                wall[kind].append((time.perf_counter() - started) / len(files) * 1000)
        lines.append(f"  {group}, {len(files)} files:")
        for kind, label in (
            ("cold", "a fresh Python child per file"),
            ("warm", "warm worker pool"),
        ):
            c = sorted(cpu[kind])
            lines.append(
                f"    {label:<30} {c[0]:7.0f} / {statistics.median(c):7.0f} / {c[-1]:7.0f}"
                f"   {statistics.median(wall[kind]):7.0f}"
            )
        ratio = statistics.median(cpu["warm"]) / statistics.median(cpu["cold"])
        lines.append(
            f"    ratio warm / cold CPU: {ratio:.2f}  (goal <= 0.5); load {os.getloadavg()[0]:.1f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary())
