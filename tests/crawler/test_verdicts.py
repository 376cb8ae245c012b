"""The verdict memo (crawler/verdicts.py): a report page met again byte for byte is not read
again, and what the spider makes of it is what a fresh read makes; a page that changed is
read afresh.  Pages are the simulator's, fetched over loopback as a crawl fetches them."""

from __future__ import annotations

import hashlib
import logging
import urllib.request
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.discovery import kinds
from crawler.items import ReportPage
from crawler.verdicts import KnownReport, VerdictMemo, page_key, verdict_memo
from simulator import Simulator
from tests.crawler.test_spider_portal import html, make_spider, page_request, run


@pytest.fixture(scope="module")
def live():
    with Simulator(portals=["yunxi", "tongqiao"]).running() as running:
        yield running


def _fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as answer:  # loopback: the simulator
        return answer.read(), dict(answer.headers.items())


def _spider(root: str, memo: VerdictMemo | None):
    spider = make_spider(url=root)
    crawler: Any = spider.crawler
    crawler._nianbao_verdicts = memo  # what verdict_memo() opens for a crawl
    return spider


def _response(spider, url: str, body: bytes, headers: dict[str, str], anchor: str):
    request = page_request(spider, url, step="report", anchor=anchor)
    cls = responsetypes.from_args(headers=Headers(headers), url=url, body=body)
    return cls(url=url, body=body, headers=headers, request=request, status=200)


def _outcome(out: list) -> list[tuple]:
    """What a parse gave, without the clock: attachment requests (with the files still to come)
    and report items (with what made them reports)."""
    seen: list[tuple] = []
    for thing in out:
        if isinstance(thing, Request):
            state = thing.meta["nb"]
            seen.append(
                (
                    "request",
                    thing.url,
                    state.step,
                    state.anchor,
                    tuple(thing.meta.get("nb_pending", ())),
                )
            )
        elif isinstance(thing, ReportPage):
            seen.append(
                ("item", thing.url, thing.list_title, repr(thing.evidence), tuple(thing.aliases))
            )
    return seen


def _pages(live) -> list[tuple[str, str, bytes, dict[str, str]]]:
    """Every report of the two portals and every page the simulator lists as no report, each
    with the title a listing shows for it."""
    pages = []
    for truth in live.reports:
        pages.append((truth.url, truth.title, *_fetch(truth.url)))
    for url in live.non_reports[:40]:
        pages.append((url, "", *_fetch(url)))
    return pages


def _judged_report(outcome: list[tuple]) -> bool:
    return any(t[0] == "item" or t[2] == "attachment" for t in outcome)


def test_a_page_read_from_the_memo_gives_what_a_fresh_read_gives(tmp_path, live, monkeypatch):
    pages = _pages(live)

    def crawl(memo: VerdictMemo | None) -> list[list[tuple]]:
        outcomes = []
        for url, anchor, body, headers in pages:
            scheme, _, host = url.split("/", 3)[:3]
            spider = _spider(f"{scheme}//{host}/", memo)
            response = _response(spider, url, body, headers, anchor)
            outcomes.append(_outcome(run(spider.parse(response))))
        if memo is not None:
            memo.close()
        return outcomes

    fresh = crawl(None)
    reports = sum(map(_judged_report, fresh))
    assert reports >= len(live.reports)
    assert crawl(VerdictMemo(tmp_path / "verdicts.sqlite")) == fresh
    # a second crawl classifies no report page again: each report's reading is the memo's
    decide = kinds.decide
    decided: list[str] = []

    def counting(page, anchor=""):
        verdict = decide(page, anchor)
        decided.append(verdict.kind)
        return verdict

    monkeypatch.setattr(kinds, "decide", counting)
    assert crawl(VerdictMemo(tmp_path / "verdicts.sqlite")) == fresh
    assert kinds.REPORT not in decided and len(decided) == len(pages) - reports


REPORT = (
    "<html><head><meta name='ArticleTitle' content='湖口县2023年政府信息公开工作年度报告'>"
    "<title>湖口县2023年政府信息公开工作年度报告</title></head><body>"
    "<div class='TRS_Editor'><p>湖口县2023年政府信息公开工作年度报告</p>"
    "<p>附件：{links}</p></div></body></html>"
)
ARTICLE = (
    "<html><head><title>关于开展2023年度政府信息公开工作年度报告编制工作的通知</title></head>"
    "<body><div class='TRS_Editor'><h1>关于开展2023年度政府信息公开工作年度报告编制工作的通知</h1>"
    + "<p>各乡镇人民政府、县直各单位：请于1月31日前完成年度报告的编制和发布工作。</p>" * 8
    + "</div></body></html>"
)
TRS = "http://www.hukou.gov.cn/"
PAGE = TRS + "zwgk/zfxxgknb/202401/t20240122_8812345.html"
HTML = {"Content-Type": "text/html; charset=utf-8"}
PDF_A = "<a href='./P1.pdf'>湖口县2023年年报.pdf</a>"
PDF_B = "<a href='./P2.xls'>统计表.xls</a>"


def _parse(memo: VerdictMemo, body: str, anchor: str = "湖口县2023年政府信息公开工作年度报告"):
    spider = _spider(TRS, memo)
    request = page_request(spider, PAGE, step="report", anchor=anchor)
    out = run(spider.parse(html(PAGE, body, request)))
    memo.flush()
    return out, spider.crawler.stats.get_value("nianbao/recrawl/verdicts_reused", 0)


def _files(out: list) -> list[str]:
    """The 附件 a report page's parse asks for: the first request and the ones it holds."""
    for thing in out:
        if isinstance(thing, Request) and thing.meta["nb"].step == "attachment":
            return [thing.url, *(u for u, _ in thing.meta["nb_pending"])]
    return []


def test_an_attachment_added_to_the_page_is_fetched(tmp_path):
    memo = VerdictMemo(tmp_path / "verdicts.sqlite")
    one, reused = _parse(memo, REPORT.format(links=PDF_A))
    assert _files(one) == [TRS + "zwgk/zfxxgknb/202401/P1.pdf"] and reused == 0
    same, reused = _parse(memo, REPORT.format(links=PDF_A))
    assert _files(same) == _files(one) and reused == 1
    two, reused = _parse(memo, REPORT.format(links=PDF_A + " " + PDF_B))
    assert reused == 0
    assert _files(two) == [
        TRS + "zwgk/zfxxgknb/202401/P1.pdf",
        TRS + "zwgk/zfxxgknb/202401/P2.xls",
    ]
    none, reused = _parse(memo, REPORT.format(links="见正文"))
    assert reused == 0 and _files(none) == []


def test_a_page_that_becomes_a_report_is_judged_again_and_so_is_one_that_stops_being_one(
    tmp_path,
):
    memo = VerdictMemo(tmp_path / "verdicts.sqlite")
    notice, _ = _parse(memo, ARTICLE, anchor="")
    assert not [t for t in notice if isinstance(t, ReportPage)] and not _files(notice)
    report, reused = _parse(memo, REPORT.format(links=PDF_A), anchor="")
    assert reused == 0 and _files(report)
    report_again, reused = _parse(memo, REPORT.format(links=PDF_A), anchor="")
    assert reused == 1 and _files(report_again) == _files(report)
    notice_again, reused = _parse(memo, ARTICLE, anchor="")
    assert reused == 0 and not _files(notice_again)
    assert not [t for t in notice_again if isinstance(t, ReportPage)]


def test_the_key_is_made_of_everything_the_reading_depends_on():
    url, content_type, anchor = "http://a.gov.cn/1.html", "text/html", "年报"
    body = hashlib.sha256(b"<p>1</p>").hexdigest()  # the parsed bytes, by their digest
    key = page_key(url, content_type, anchor, body)
    assert page_key(url, content_type, anchor, body) == key
    assert page_key("http://a.gov.cn/2.html", content_type, anchor, body) != key
    assert page_key(url, "text/html; charset=gbk", anchor, body) != key
    assert page_key(url, content_type, "解读", body) != key
    assert page_key(url, content_type, anchor, hashlib.sha256(b"<p>2</p>").hexdigest()) != key
    # the parts are kept apart: moving a character from one to the next is another key
    assert page_key(url, content_type + "年", "报", body) != key


def test_a_known_report_reads_back_as_written():
    known = KnownReport(
        kinds.Verdict(
            kinds.REPORT, "某县2023年年报", 2023, {"sections": ["一、总体情况"], "stat_tables": 2}
        ),
        "c0ffee",
        (("http://a.gov.cn/1.pdf", "附件1"),),
    )
    assert KnownReport.from_json(known.to_json()) == known


def test_a_damaged_memo_costs_a_fresh_read_not_the_report(tmp_path, caplog):
    path = tmp_path / "verdicts.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    memo = VerdictMemo(path)
    with caplog.at_level(logging.WARNING):
        out, reused = _parse(memo, REPORT.format(links=PDF_A))
    assert reused == 0 and _files(out) == [TRS + "zwgk/zfxxgknb/202401/P1.pdf"]
    assert "verdict memo" in caplog.text and str(path) in caplog.text


def test_no_memo_without_a_store_or_when_switched_off(tmp_path):
    spider = make_spider(url=TRS)
    assert verdict_memo(spider.crawler) is None  # no CrawlStorage: nowhere to keep it
    crawler = make_spider(
        {"STATE_DIR": str(tmp_path), "STORE_URI": f"file://{tmp_path}/s"}, url=TRS
    ).crawler
    from pipelines.store import crawler_storage

    crawler_storage(crawler)
    memo = verdict_memo(crawler)
    assert memo is not None and memo.path.parent == crawler_storage(crawler).state_dir
    off = make_spider(
        {
            "STATE_DIR": str(tmp_path),
            "STORE_URI": f"file://{tmp_path}/s",
            "RECRAWL_REUSE_VERDICTS": False,
        },
        url=TRS,
    ).crawler
    crawler_storage(off)
    assert verdict_memo(off) is None


def test_readings_of_other_code_are_dropped_when_the_memo_opens(tmp_path, monkeypatch):
    import sqlite3

    from crawler import verdicts

    path = tmp_path / "verdicts.sqlite"
    memo = VerdictMemo(path)
    _parse(memo, REPORT.format(links=PDF_A))
    memo.close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM known_reports").fetchone() == (1,)
    again = VerdictMemo(path)
    _, reused = _parse(again, REPORT.format(links=PDF_A))
    again.close()
    assert reused == 1  # the same code: the entry stands
    monkeypatch.setattr(verdicts, "code_version", lambda: "a crawler changed since")
    changed = VerdictMemo(path)
    out, reused = _parse(changed, REPORT.format(links=PDF_A))
    changed.close()
    assert reused == 0 and _files(out) == [TRS + "zwgk/zfxxgknb/202401/P1.pdf"]
    versions = sqlite3.connect(path).execute("SELECT DISTINCT version FROM known_reports")
    assert versions.fetchall() == [("a crawler changed since",)]


def test_a_memo_of_another_layout_is_made_anew(tmp_path):
    import sqlite3

    path = tmp_path / "verdicts.sqlite"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE known_reports (key TEXT PRIMARY KEY, reading TEXT NOT NULL)")
    old.commit()
    old.close()
    memo = VerdictMemo(path)
    _parse(memo, REPORT.format(links=PDF_A))
    memo.close()
    again = VerdictMemo(path)
    out, reused = _parse(again, REPORT.format(links=PDF_A))
    assert reused == 1 and _files(out) == [TRS + "zwgk/zfxxgknb/202401/P1.pdf"]


def test_the_digest_taken_for_the_memo_is_the_one_the_archive_records(tmp_path, monkeypatch):
    """The spider hashes a report page once, for its memo key; the item carries that SHA-256 of
    its body on to the pipelines, which do not hash the page again (issue 15)."""
    import asyncio

    from pipelines.store import sha256_of
    from storage import keys

    body = REPORT.format(links="见正文").encode("utf-8")
    out, _ = _parse(VerdictMemo(tmp_path / "verdicts.sqlite"), body.decode("utf-8"))
    (item,) = [t for t in out if isinstance(t, ReportPage)]
    assert item.body == body
    assert keys.known_body_sha256(item) == hashlib.sha256(body).hexdigest()
    hashed: list[bytes] = []

    def counting(data: bytes) -> str:
        hashed.append(data)
        return ""

    monkeypatch.setattr(keys, "sha256_hex", counting)
    assert asyncio.run(sha256_of(item)) == hashlib.sha256(body).hexdigest() and not hashed
