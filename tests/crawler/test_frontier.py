"""The JOBDIR frontier (crawler.frontier): requests, their order and the seen set survive a
process that is never closed, as after kill -9."""

from __future__ import annotations

import json
import logging

import scrapy
from scrapy.utils.test import get_crawler

from crawler.frontier import FrontierScheduler, dedupe_feed, exported_captures, resume_feeds


class Walker(scrapy.Spider):
    name = "walker"

    def parse_page(self, response):
        pass


def _scheduler(jobdir, **settings) -> FrontierScheduler:
    crawler = get_crawler(
        Walker,
        {"JOBDIR": str(jobdir), "SCHEDULER": "crawler.frontier.FrontierScheduler", **settings},
    )
    crawler.spider = crawler._create_spider()
    scheduler = FrontierScheduler.from_crawler(crawler)
    scheduler.open(crawler.spider)
    return scheduler


def _request(scheduler, path, **kwargs):
    return scrapy.Request(
        f"http://127.0.0.1:8000/{path}",
        callback=scheduler.spider.parse_page,
        meta={"nb_step": "route", "nb_scope": (("netloc", "127.0.0.1:8000"),)},
        **kwargs,
    )


def _killed(scheduler) -> None:
    """What kill -9 leaves: no close(), no checkpoint, the SQLite connection simply gone."""
    scheduler._loop.stop()
    scheduler.frontier._db.close()


def test_without_jobdir_it_is_scrapys_own_scheduler():
    from scrapy.core.scheduler import Scheduler

    crawler = get_crawler(Walker, {"SCHEDULER": "crawler.frontier.FrontierScheduler"})
    assert type(FrontierScheduler.from_crawler(crawler)) is Scheduler


def test_requests_come_best_first_and_a_killed_crawl_gets_back_its_queue_and_in_flight_ones(
    tmp_path, caplog
):
    first = _scheduler(tmp_path / "job")
    for path, priority in (("a", 0), ("b", 5), ("c", 0), ("d", -3), ("e", 5)):
        assert first.enqueue_request(_request(first, path, priority=priority))
    taken = [first.next_request().url.rsplit("/", 1)[1] for _ in range(2)]
    # highest priority first; within one priority the last queued first (Scrapy's LIFO default)
    assert taken == ["e", "b"]
    _killed(first)

    with caplog.at_level(logging.WARNING, logger="crawler.frontier"):
        again = _scheduler(tmp_path / "job")
    assert (
        "resuming the crawl: 5 requests queued, of which 2 were in flight when it stopped"
        in caplog.text
    )
    assert again.crawler.stats.get_value("frontier/resumed") == 5
    order = []
    while (request := again.next_request()) is not None:
        order.append(request.url.rsplit("/", 1)[1])
        # restored with its callback and meta, tuples and all
        assert request.callback == again.spider.parse_page
        assert request.meta["nb_scope"] == (("netloc", "127.0.0.1:8000"),)
    assert order == ["e", "b", "c", "a", "d"]


def test_the_seen_set_outlives_the_process_and_dont_filter_passes(tmp_path):
    first = _scheduler(tmp_path / "job")
    assert first.enqueue_request(_request(first, "a"))
    assert not first.enqueue_request(_request(first, "a"))
    _killed(first)
    again = _scheduler(tmp_path / "job")
    assert not again.enqueue_request(_request(again, "a"))
    assert again.enqueue_request(_request(again, "a", dont_filter=True))
    assert again.crawler.stats.get_value("dupefilter/filtered") == 1
    assert len(again) == 2


def test_a_request_that_cannot_be_pickled_is_kept_in_memory_with_a_warning(tmp_path, caplog):
    scheduler = _scheduler(tmp_path / "job")
    with caplog.at_level(logging.WARNING, logger="crawler.frontier"):
        assert scheduler.enqueue_request(
            scrapy.Request("http://127.0.0.1:8000/x", callback=lambda r: None)
        )
    assert "cannot be kept on disk" in caplog.text and "lost if the crawl is killed" in caplog.text
    assert scheduler.crawler.stats.get_value("scheduler/unserializable") == 1
    assert scheduler.next_request().url == "http://127.0.0.1:8000/x"


def test_a_finished_jobdir_says_so_instead_of_finishing_silently(tmp_path, caplog):
    first = _scheduler(tmp_path / "job")
    first.close("finished")
    with caplog.at_level(logging.WARNING, logger="crawler.frontier"):
        _scheduler(tmp_path / "job")
    assert "had finished: nothing is left to fetch" in caplog.text


def test_a_resumed_feed_loses_its_cut_line_and_knows_the_captures_it_holds(tmp_path):
    feed = tmp_path / "items.jsonl"
    lines = [
        json.dumps({"url": f"http://h/{n}", "meta_key": f"pages/h/{n}/meta.json"}) for n in range(3)
    ]
    feed.write_text("\n".join(lines) + '\n{"url": "http://h/3", "meta_k', encoding="utf-8")
    crawler = get_crawler(Walker, {"FEEDS": {str(feed): {"format": "jsonlines"}}})
    resume_feeds(crawler, resuming=True)
    assert feed.read_text(encoding="utf-8") == "\n".join(lines) + "\n"
    assert exported_captures(crawler) == {f"pages/h/{n}/meta.json" for n in range(3)}


def test_dedupe_keeps_the_first_line_of_each_capture(tmp_path):
    feed = tmp_path / "items.jsonl"
    rows = [
        {"url": "http://h/1", "meta_key": "k1"},
        {"url": "http://h/2", "meta_key": "k2"},
        {"url": "http://h/1", "meta_key": "k1", "n": 2},
        {"url": "http://h/1", "meta_key": "k3"},
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert dedupe_feed(feed) == (3, 1)
    assert [json.loads(line) for line in feed.read_text().splitlines()] == [
        rows[0],
        rows[1],
        rows[3],
    ]
