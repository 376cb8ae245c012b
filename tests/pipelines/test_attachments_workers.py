"""Warm converter workers (reports/extract/attachments/workers.py): reused, and replaced after
a timeout, a crash or MAX_JOBS files, each job with the limits of a fresh child."""

from __future__ import annotations

import pytest

import reports.extract.attachments.workers as workers
from reports.extract.attachments import convert, convert_isolated
from simulator.documents import report_docx, report_pdf
from simulator.seeds import SEEDS, seed_report


@pytest.fixture
def pool(monkeypatch):
    fresh = workers.WorkerPool(keep=1)
    monkeypatch.setattr(workers, "POOL", fresh)
    yield fresh
    fresh.close()


def _pids(pool) -> list[int]:
    return [w.proc.pid for idle in pool._idle.values() for w in idle]


def test_one_worker_serves_file_after_file_with_the_same_results(pool):
    pdf = report_pdf(SEEDS["002"].title, seed_report("002"))
    docx = report_docx(SEEDS["002"].title, seed_report("002"))
    assert convert_isolated(pdf, "002.pdf") == convert(pdf, "002.pdf")
    [first] = _pids(pool)
    assert convert_isolated(docx, "002.docx") == convert(docx, "002.docx")
    assert _pids(pool) == [first]


def test_a_timed_out_worker_is_replaced_and_the_next_file_converts(pool):
    pdf = report_pdf(SEEDS["002"].title, seed_report("002"))
    convert_isolated(pdf, "002.pdf")
    [first] = _pids(pool)
    assert convert_isolated(pdf, "002.pdf", timeout=0.01).flags == ["timeout:convert_0s"]
    assert _pids(pool) == []  # the killed worker is not handed out again
    assert convert_isolated(pdf, "002.pdf") == convert(pdf, "002.pdf")
    assert _pids(pool) and _pids(pool) != [first]


def test_a_worker_that_cannot_start_under_its_memory_limit_is_a_flag(pool):
    pdf = report_pdf(SEEDS["002"].title, seed_report("002"))
    starved = convert_isolated(pdf, "002.pdf", memory=40 * 2**20)
    assert starved.text == "" and starved.flags[0].startswith("failed:convert:")


def test_a_worker_is_retired_after_max_jobs(pool, monkeypatch):
    monkeypatch.setattr(workers, "MAX_JOBS", 2)
    pdf = report_pdf(SEEDS["002"].title, seed_report("002"))
    convert_isolated(pdf, "002.pdf")
    [first] = _pids(pool)
    convert_isolated(pdf, "002.pdf")
    assert _pids(pool) == []
    convert_isolated(pdf, "002.pdf")
    assert _pids(pool) != [first]
