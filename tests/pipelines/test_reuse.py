"""Unchanged means cheap, and a report's version is its page and its attachments."""

from __future__ import annotations

import asyncio
import hashlib
import json

from scrapy.utils.test import get_crawler

from crawler.items import Attachment, ReportPage
from pipelines.archive import ArchivePipeline
from pipelines.catalog import CatalogPipeline
from pipelines.extraction import ExtractPipeline
from pipelines.normalizing import NormalizePipeline
from pipelines.reuse import ReusePipeline, reused
from pipelines.store import crawler_storage

URL = "http://www.example.gov.cn/art/2024/1/20/art_1014_1.html"
FILE = "http://www.example.gov.cn/module/download/downfile.jsp?filename=240120.txt"
PAGE = (
    "<html><head><title>平昌关镇 2023 年政府信息公开工作年度报告</title></head><body>"
    "<div id='zoom'><p>一、总体情况</p><p>本机关主动公开信息 12 条。</p>"
    "<p>附件：<a href='/module/download/downfile.jsp?filename=240120.txt'>年报.txt</a></p></div>"
    "</body></html>"
)


class CountingExtract(ExtractPipeline):
    def __init__(self):
        super().__init__()
        self.pages = 0

    def read_page(self, item):
        self.pages += 1
        super().read_page(item)


def _storage(tmp_path):
    crawler = get_crawler(
        settings_dict={
            "STORE_URI": f"file://{tmp_path / 'store'}",
            "STATE_DIR": str(tmp_path / "state"),
        }
    )
    return crawler_storage(crawler)


def _fetch(storage, extract, attachment: bytes, fetched_at: str) -> ReportPage:
    item = ReportPage(
        url=URL,
        portal="test",
        body=PAGE.encode(),
        status=200,
        headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'},
        fetched_at=fetched_at,
        attachments=[
            Attachment(
                url=FILE,
                status=200,
                body=attachment,
                fetched_at=fetched_at,
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )
        ],
    )
    item = asyncio.run(ReusePipeline(storage.store, storage).process_item(item))
    if reused(item) is None:
        item = extract.extract(item)
    for pipeline in (ArchivePipeline, NormalizePipeline, CatalogPipeline):
        item = asyncio.run(pipeline(storage.store, storage).process_item(item))
    return item


def test_unchanged_page_and_attachments_are_not_read_again(tmp_path):
    storage, extract = _storage(tmp_path), CountingExtract()
    text = "一、总体情况\n本机关主动公开信息\t12\n".encode()
    first = _fetch(storage, extract, text, "2024-01-20T08:00:00+00:00")
    again = _fetch(storage, extract, text, "2024-02-20T08:00:00+00:00")
    assert extract.pages == 1  # the second capture was not extracted
    assert again.change == "unchanged" and reused(again) is not None
    assert (again.title, again.meta, again.report, again.org_name) == (
        first.title,
        first.meta,
        first.report,
        first.org_name,
    )
    assert again.report_key == first.report_key and again.text_key == first.text_key
    assert again.attachments[0].kind == first.attachments[0].kind
    record = json.loads(storage.store.get(again.meta_key))
    assert record["validators"] == {"ETag": '"abc"'} and record["change"] == "unchanged"
    assert storage.catalog.validators_of(URL).etag == '"abc"'
    assert storage.catalog.validators_of(FILE).sha256 == again.attachments[0].sha256


def test_a_replaced_attachment_is_a_new_version(tmp_path):
    storage, extract = _storage(tmp_path), CountingExtract()
    first = _fetch(storage, extract, b"old file", "2024-01-20T08:00:00+00:00")
    replaced = _fetch(storage, extract, b"new file", "2024-02-20T08:00:00+00:00")
    assert first.sha256 == replaced.sha256  # the page is byte for byte the same
    assert replaced.change == "changed" and extract.pages == 2
    assert replaced.text_key != first.text_key and storage.store.exists(first.text_key)
    assert [c.change for c in storage.catalog.captures_of(URL)] == ["new", "changed"]


def test_each_body_is_hashed_once_and_the_recorded_digest_is_that_of_the_stored_bytes(
    tmp_path, monkeypatch
):
    """Reuse, archive and catalog share one SHA-256 per body (issue 15); the digest every one of
    them records is the SHA-256 of the bytes the store holds, computed here from the store."""
    from storage import keys

    storage, extract = _storage(tmp_path), CountingExtract()
    attachment = "一、总体情况\n本机关主动公开信息\t12\n".encode()
    hashed: list[bytes] = []
    sha256_hex = keys.sha256_hex

    def counting(data: bytes) -> str:
        hashed.append(bytes(data))
        return sha256_hex(data)

    monkeypatch.setattr(keys, "sha256_hex", counting)
    for fetched_at in ("2024-01-20T08:00:00+00:00", "2024-02-20T08:00:00+00:00"):
        hashed.clear()
        item = _fetch(storage, extract, attachment, fetched_at)
        assert hashed.count(PAGE.encode()) == 1 and hashed.count(attachment) == 1
    monkeypatch.undo()
    assert item.change == "unchanged"  # the second fetch went the reuse way, hashed once too

    store = storage.store
    record = json.loads(store.get(item.meta_key))
    raw = store.get(record["raw_key"])
    assert raw == PAGE.encode()  # the exact bytes served
    assert record["sha256"] == hashlib.sha256(raw).hexdigest() == item.sha256
    assert record["raw_key"].endswith("/" + hashlib.sha256(raw).hexdigest())
    (stored_att,) = record["attachments"]
    assert stored_att["sha256"] == hashlib.sha256(store.get(stored_att["raw_key"])).hexdigest()
    assert store.get(stored_att["raw_key"]) == attachment
    assert [c.sha256 for c in storage.catalog.captures_of(URL)] == [
        hashlib.sha256(raw).hexdigest()
    ] * 2


def test_a_body_replaced_after_its_digest_was_taken_is_hashed_again():
    """A digest is bound to the bytes it was taken of, never handed to other bytes."""
    from pipelines.store import sha256_of

    item = ReportPage(url=URL, portal="test", body=b"first")
    assert asyncio.run(sha256_of(item)) == hashlib.sha256(b"first").hexdigest()
    item.body = b"second"
    assert asyncio.run(sha256_of(item)) == hashlib.sha256(b"second").hexdigest()
