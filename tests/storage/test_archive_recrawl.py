"""Capture records across crawls: new, changed, unchanged, and what a re-crawl adds to the store."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import ReportPage
from pipelines.archive import ArchivePipeline
from pipelines.catalog import CatalogPipeline
from pipelines.extraction import ExtractPipeline
from pipelines.normalizing import NormalizePipeline
from pipelines.store import crawler_storage
from storage import open_store
from storage.catalog import Catalog
from tests.conftest import run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess

URL = "http://www.example.gov.cn/art/2024/1/20/art_1014_1.html"
PAGE = (
    "<html><head><title>平昌关镇 2023 年政府信息公开工作年度报告</title></head><body>"
    "<div id='zoom'><p>一、总体情况</p><p>{}</p></div></body></html>"
)


def _storage(tmp_path, store_dir="store", state="state"):
    crawler = get_crawler(
        settings_dict={
            "STORE_URI": f"file://{tmp_path / store_dir}",
            "STATE_DIR": str(tmp_path / state),
        }
    )
    return crawler_storage(crawler)


def _fetch(storage, body: str, fetched_at: str) -> ReportPage:
    item = ReportPage(
        url=URL,
        portal="test",
        body=PAGE.format(body).encode(),
        status=200,
        headers={"Content-Type": "text/html; charset=utf-8"},
        fetched_at=fetched_at,
    )
    item = ExtractPipeline().extract(
        item
    )  # process_item is a coroutine; extract() is its work in this thread
    for pipeline in (ArchivePipeline, NormalizePipeline, CatalogPipeline):
        item = asyncio.run(pipeline(storage.store, storage).process_item(item))
    return item


def test_new_unchanged_changed_and_where_text_and_report_live(tmp_path):
    storage = _storage(tmp_path)
    first = _fetch(storage, "本机关主动公开信息 12 条。", "2024-01-20T08:00:00+00:00")
    again = _fetch(storage, "本机关主动公开信息 12 条。", "2024-02-20T08:00:00+00:00")
    edited = _fetch(storage, "本机关主动公开信息 13 条。", "2024-03-20T08:00:00+00:00")
    assert [first.change, again.change, edited.change] == ["new", "unchanged", "changed"]

    store = storage.store
    # The unchanged capture has a record of its own but shares the first one's text and report.
    assert again.meta_key != first.meta_key
    assert (again.text_key, again.report_key) == (first.text_key, first.report_key)
    assert edited.text_key != first.text_key and "13" in store.get(edited.text_key).decode()
    record = json.loads(store.get(again.meta_key))
    assert record["change"] == "unchanged" and record["run_id"] == storage.run_id
    assert record["previous"]["fetched_at"] == "2024-01-20T08:00:00+00:00"
    assert record["version"] == first.meta_key.rpartition("/")[0]
    assert [k for k in store.list("pages/") if k.endswith("report.json")] == [
        first.report_key,
        edited.report_key,
    ]
    assert len(list(store.list("raw/"))) == 2

    captures = storage.catalog.captures_of(URL)
    assert [c.change for c in captures] == ["new", "unchanged", "changed"]
    assert [c.fetched_at[:7] for c in captures] == ["2024-01", "2024-02", "2024-03"]


def test_without_the_local_catalog_the_store_itself_tells_what_changed(tmp_path):
    """A second machine (fresh STATE_DIR) crawling into the same store still sees 'unchanged'."""
    _fetch(
        _storage(tmp_path, state="state-a"),
        "本机关主动公开信息 12 条。",
        "2024-01-20T08:00:00+00:00",
    )
    item = _fetch(
        _storage(tmp_path, state="state-b"),
        "本机关主动公开信息 12 条。",
        "2024-02-20T08:00:00+00:00",
    )
    assert item.change == "unchanged"


def test_a_catalog_that_outlived_its_store_is_not_trusted(tmp_path):
    import shutil

    _fetch(_storage(tmp_path), "本机关主动公开信息 12 条。", "2024-01-20T08:00:00+00:00")
    shutil.rmtree(tmp_path / "store")  # `rm -rf data`, the catalog in STATE_DIR stays
    item = _fetch(_storage(tmp_path), "本机关主动公开信息 12 条。", "2024-02-20T08:00:00+00:00")
    assert item.change == "new"
    assert _storage(tmp_path).store.exists(item.report_key)


@pytest.fixture(scope="module")
def two_crawls(live_sim, tmp_path_factory):
    out = tmp_path_factory.mktemp("recrawl")
    roots = "url=" + ",".join(p.root_url for p in live_sim.portals)
    # A small WARC_MAX_SIZE: the first crawl's records fill several files.
    settings = {
        "STORE_URI": f"file://{out / 'store'}",
        "STATE_DIR": str(out / "state"),
        "WARC_MAX_SIZE": "400000",
    }
    first = run_crawl(out / "first", roots, settings=settings)
    store = open_store(settings["STORE_URI"])
    before = sorted(store.list())
    second = run_crawl(out / "second", roots, settings=settings)
    assert first.returncode == 0 and second.returncode == 0, second.log[-3000:]
    for log in (first.log, second.log):
        assert "Error caught on signal handler" not in log and "Error processing" not in log, log[
            -3000:
        ]
    return first, second, before, sorted(store.list()), store


def test_a_recrawl_of_an_unchanged_portal_adds_capture_records_but_no_raw_objects(
    live_sim, two_crawls
):
    first, second, before, after, store = two_crawls
    n = len(live_sim.reports)
    assert {i["change"] for i in first.items} == {"new"} and len(first.items) == n
    assert {i["change"] for i in second.items} == {"unchanged"} and len(second.items) == n

    added = sorted(set(after) - set(before))
    assert not [k for k in added if k.startswith("raw/")], "a re-crawl stored raw bytes again"
    assert set(before) <= set(after)
    # One new capture record per report, the run's summary and WARC files; no new text or report.
    records = [k for k in added if k.endswith("/meta.json")]
    assert len(records) == n
    assert sorted(set(added) - set(records)) == [
        k for k in added if k.startswith(("runs/", "warc/"))
    ]
    # Every item still points at its text and report, and the record at the version holding them.
    for item in second.items:
        record = json.loads(store.get(item["meta_key"]))
        assert record["change"] == "unchanged" and record["previous"]["sha256"] == item["sha256"]
        assert (
            store.exists(item["text_key"])
            and json.loads(store.get(item["report_key"]))["source"] == item["url"]
        )
        assert item["report_key"].rpartition("/")[0] == record["version"]


def test_the_run_ids_of_the_two_crawls_are_on_their_records(two_crawls):
    first, second, _, _, store = two_crawls
    runs = {json.loads(store.get(i["meta_key"]))["run_id"] for i in first.items}
    reruns = {json.loads(store.get(i["meta_key"]))["run_id"] for i in second.items}
    assert len(runs) == len(reruns) == 1 and runs != reruns
    assert sorted(k.split("/")[1] for k in store.list("runs/")) == sorted(runs | reruns)


def _warc_records(store, run_id):
    """Every record of a run's WARC files, digests checked, with the file key and offset."""
    from warcio.archiveiterator import ArchiveIterator

    out = []
    for key in store.list(f"warc/{run_id}/"):
        stream = ArchiveIterator(io.BytesIO(store.get(key)), check_digests="raise")
        for record in stream:
            record.content_stream().read()
            out.append((key, stream.get_record_offset(), record))
    return out


def test_the_crawls_are_in_warc_files_responses_first_then_revisits(live_sim, two_crawls):
    first, second, _, _, store = two_crawls
    truth = {r.url for r in live_sim.reports}
    [run1] = {json.loads(store.get(i["meta_key"]))["run_id"] for i in first.items}
    [run2] = {json.loads(store.get(i["meta_key"]))["run_id"] for i in second.items}
    one, two = _warc_records(store, run1), _warc_records(store, run2)
    assert len({key for key, _, _ in one}) >= 2, (
        "WARC_MAX_SIZE=400000 should roll the first crawl over"
    )

    # Report pages and the attachments fetched with them.
    fetched = truth | {
        a["url"] for i in first.items for a in i.get("attachments") or [] if not a.get("error")
    }
    responses = {
        r.rec_headers.get_header("WARC-Target-URI"): r
        for _, _, r in one
        if r.rec_type == "response"
    }
    assert set(responses) == fetched
    assert sum(r.rec_type == "request" for _, _, r in one) == len(fetched)
    revisits = [r for _, _, r in two if r.rec_type == "revisit"]
    assert {r.rec_headers.get_header("WARC-Target-URI") for r in revisits} == fetched
    assert not [r for _, _, r in two if r.rec_type == "response"]
    for revisit in revisits:
        original = responses[revisit.rec_headers.get_header("WARC-Target-URI")]
        assert revisit.rec_headers.get_header("WARC-Refers-To") == original.rec_headers.get_header(
            "WARC-Record-ID"
        )
        assert revisit.rec_headers.get_header(
            "WARC-Payload-Digest"
        ) == original.rec_headers.get_header("WARC-Payload-Digest")
    metadata = [r for _, _, r in one if r.rec_type == "metadata"]
    assert {m.rec_headers.get_header("WARC-Target-URI") for m in metadata} == fetched


def test_the_catalog_points_at_each_captures_warc_record(live_sim, two_crawls):
    from warcio.archiveiterator import ArchiveIterator

    first, second, _, _, store = two_crawls
    [catalog_path] = (first.store_dir.parent.parent / "state").glob("*/catalog.sqlite")
    catalog = Catalog(catalog_path)
    for item in first.items + second.items:
        [capture] = [
            c for c in catalog.captures_of(item["url"]) if c.capture == item["meta_key"][:-10]
        ]
        assert (capture.change, capture.warc_type) in (
            ("new", "response"),
            ("unchanged", "revisit"),
        )
        data = store.get(capture.warc_key)
        record = next(iter(ArchiveIterator(io.BytesIO(data[capture.warc_offset :]))))
        assert record.rec_headers.get_header("WARC-Record-ID") == capture.warc_record_id
        assert record.rec_headers.get_header("WARC-Target-URI") == item["url"]
        if capture.warc_type == "response":  # the body replays to the bytes kept under raw/
            assert hashlib.sha256(record.content_stream().read()).hexdigest() == item["sha256"]


def test_the_catalog_answers_from_the_command_line_and_rebuilds_from_the_store(
    live_sim, two_crawls, tmp_path
):
    import subprocess
    import sys

    first, _second, _, _, store = two_crawls
    state = first.store_dir.parent.parent / "state"
    cli = [sys.executable, "-m", "storage", "--store", store.uri, "--state-dir", str(state)]
    report = live_sim.reports[0]

    def ask(*args):
        out = subprocess.run([*cli, *args], capture_output=True, text=True, check=True).stdout
        return [json.loads(line) for line in out.splitlines()]

    captures = ask("captures", report.url)
    assert [c["change"] for c in captures] == ["new", "unchanged"]
    assert captures[0]["fetched_at"] <= captures[1]["fetched_at"]
    reports = ask("reports", report.org_name, str(report.report_year))
    assert report.url in {r["url"] for r in reports}
    assert all(
        r["org_name"] == report.org_name and r["report_year"] == report.report_year for r in reports
    )
    assert {c["url"] for c in ask("as-of", "2999-01-01T00:00:00+00:00")} == {
        r.url for r in live_sim.reports
    }
    assert ask("as-of", "2000-01-01T00:00:00+00:00") == []
    # As of the first crawl's last fetch, the corpus is the first crawl's captures.
    end_of_first = max(i["fetched_at"] for i in first.items)
    assert {c["change"] for c in ask("as-of", end_of_first)} == {"new"}

    [live_path] = state.glob("*/catalog.sqlite")
    rebuilt = Catalog(tmp_path / "rebuilt.sqlite")
    assert rebuilt.rebuild(store) == 2 * len(live_sim.reports)
    live = Catalog(live_path)
    for r in live_sim.reports:
        assert rebuilt.captures_of(r.url) == live.captures_of(r.url)
