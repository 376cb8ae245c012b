"""The parse pool: report pages read in worker processes come back as the same plain data as
when read in this process; a big input goes to the memory-limited child; a dead worker fails
its one call."""

from __future__ import annotations

import asyncio
import os

import pytest
from scrapy.utils.test import get_crawler

from pipelines.offload import ParsePool, crawler_parse_pool
from reports.reading import read_report_page
from tests.conftest import SEED_DIR

URL = "http://www.example.gov.cn/art/2024/1/20/art_1014_1.html"


def _report_page() -> bytes:
    seed = SEED_DIR / "002_e3992751381c814a.txt"
    rows = "".join(
        f"<p>{line}</p>" for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    return (
        "<html><head><title>平昌关镇 2023 年政府信息公开工作年度报告</title></head><body>"
        "<table class='xxgk_table'><tr><td>索 引 号</td><td>1141152100/2024-00003</td>"
        f"<td>发布机构</td><td>平昌关镇人民政府</td></tr></table><div id='zoom'>{rows}</div>"
        "</body></html>"
    ).encode()


def _die() -> None:
    os._exit(3)  # what an out-of-memory kill looks like to the pool


def _stats():
    crawler = get_crawler()
    return crawler.stats


def test_a_page_read_in_a_worker_is_the_page_read_here() -> None:
    body = _report_page()
    stats = _stats()
    pool = ParsePool(workers=2, threshold=len(body) * 2, stats=stats)
    try:
        reading = asyncio.run(
            pool.run(read_report_page, body, URL, "utf-8", "年报", size=len(body))
        )
    finally:
        pool.close()
    assert reading == read_report_page(body, URL, "utf-8", "年报")
    assert reading.page.meta == {
        "index_no": "1141152100/2024-00003",
        "publisher": "平昌关镇人民政府",
    }
    assert (reading.report["template"], reading.report["report_year"]) == ("2021", 2023)
    assert stats.get_value("nianbao/parse/workers_calls") == 1
    assert stats.get_value("nianbao/parse/cpu_seconds") > 0


def test_an_input_over_the_threshold_goes_to_the_child_of_its_own() -> None:
    body = _report_page()
    stats = _stats()
    pool = ParsePool(workers=0, threshold=1024, stats=stats)
    try:
        big = asyncio.run(pool.run(read_report_page, body, URL, "utf-8", size=len(body)))
        small = asyncio.run(pool.run(len, body, size=10))  # no workers: read in this thread
    finally:
        pool.close()
    assert big.report["report_year"] == 2023 and small == len(body)
    assert stats.get_value("nianbao/parse/big_calls") == 1
    assert stats.get_value("nianbao/parse/workers_calls") is None


def test_a_worker_that_dies_fails_its_call_and_the_next_gets_a_new_pool() -> None:
    pool = ParsePool(workers=1)

    async def both():
        with pytest.raises(RuntimeError, match="parser process died in _die"):
            await pool.run(_die)
        return await pool.run(sum, [1, 2, 3])

    try:
        assert asyncio.run(both()) == 6
    finally:
        pool.close()


def test_the_pool_is_sized_by_the_setting_or_the_machine() -> None:
    assert crawler_parse_pool(get_crawler(settings_dict={"PARSE_WORKERS": 3})).workers == 3
    assert crawler_parse_pool(get_crawler()).workers == (os.cpu_count() or 1)
    with pytest.raises(ValueError, match="PARSE_WORKERS=-1"):
        crawler_parse_pool(get_crawler(settings_dict={"PARSE_WORKERS": -1}))


def test_a_page_cut_at_max_page_bytes_is_read_at_a_lower_cpu_priority() -> None:
    """Reading the head of a 50 MB page takes seconds of CPU: the background process that does
    it runs niced, and the child for ordinary long inputs does not."""
    from pipelines.offload import BACKGROUND_NICE

    stats = _stats()
    pool = ParsePool(workers=1, threshold=1024, stats=stats)
    try:
        # os.nice(0) changes nothing and answers the niceness of the process it runs in
        background = asyncio.run(pool.run(os.nice, 0, size=2048, background=True))
        big = asyncio.run(pool.run(os.nice, 0, size=2048))
        worker = asyncio.run(pool.run(os.nice, 0, size=10))
    finally:
        pool.close()
    assert worker == big == os.nice(0)
    assert background == min(19, worker + BACKGROUND_NICE) > worker
    assert stats.get_value("nianbao/parse/background_calls") == 1
