"""WARC records as written by storage.warc and taken off the wire by pipelines.warc."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from pipelines.warc import WIRE, WarcWireMiddleware
from storage.warc import Exchange, RollingWarcWriter, payload_digest

HTML = (
    "<html><head><meta charset='gbk'><title>2023年平昌关镇政府信息公开工作年度报告</title></head>"
    "<body><div id='zoom'><p>一、总体情况</p></div></body></html>"
).encode("gbk")
URL = "http://www.example.gov.cn/art/2024/1/20/art_1014_1.html?from=list"
WARCIO = [str(Path(sys.executable).parent / "warcio")]


def _wire_exchange() -> tuple[Exchange, HtmlResponse]:
    """A gzip-encoded, chunked response through our middleware and then Scrapy's decompression."""
    crawler = get_crawler(settings_dict={"WARC_ENABLED": True})
    request = Request(
        URL, headers={"User-Agent": "nianbao/0.1", "Accept-Encoding": "gzip, deflate"}
    )
    wire_body = gzip.compress(HTML, mtime=0)
    response = HtmlResponse(
        URL,
        status=200,
        body=wire_body,
        request=request,
        headers={
            "Content-Type": "text/html; charset=GBK",
            "Content-Encoding": "gzip",
            "Transfer-Encoding": "chunked",
            "Server": "nginx",
        },
    )
    response = WarcWireMiddleware.from_crawler(crawler).process_response(request, response)
    decoded = HttpCompressionMiddleware.from_crawler(crawler).process_response(request, response)
    assert decoded.body == HTML  # what the spider and raw/sha256 see
    return Exchange(**request.meta[WIRE]), decoded


def _records(path):
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, check_digests="raise"):
            yield record, record.content_stream().read()


def test_the_response_record_holds_the_body_as_transferred_and_replays_decoded(tmp_path):
    exchange, _ = _wire_exchange()
    writer = RollingWarcWriter(tmp_path, "nianbao-test", 1 << 30, {"software": "nianbao"})
    location = writer.write_exchange(exchange)
    writer.close()
    [path] = writer.files
    records = {r.rec_type: (r, body) for r, body in _records(path)}
    assert set(records) == {"warcinfo", "response", "request"}
    response, body = records["response"]
    assert body == HTML  # content_stream() undoes the gzip, as a replay does
    assert response.http_headers.get_header("Content-Encoding") == "gzip"
    assert response.http_headers.get_header("Transfer-Encoding") is None
    assert response.http_headers.statusline == "200 OK"
    assert response.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(
        gzip.compress(HTML, mtime=0)
    )
    assert response.rec_headers.get_header("WARC-Target-URI") == URL
    assert location.record_id == response.rec_headers.get_header("WARC-Record-ID")
    request, _ = records["request"]
    assert (
        request.http_headers.protocol == "GET"
        and "/art_1014_1.html?from=list" in request.http_headers.statusline
    )
    assert request.http_headers.get_header("Host") == "www.example.gov.cn"
    assert request.http_headers.get_header("Accept-Encoding") == "gzip, deflate"
    assert request.rec_headers.get_header("WARC-Concurrent-To") == location.record_id
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    # The offset the catalog keeps points at the response record.
    with open(path, "rb") as fh:
        fh.seek(location.offset)
        assert next(iter(ArchiveIterator(fh))).rec_type == "response"


def test_unchanged_content_is_a_revisit_naming_the_original(tmp_path):
    exchange, _ = _wire_exchange()
    writer = RollingWarcWriter(tmp_path, "nianbao-test", 1 << 30, {})
    first = writer.write_exchange(exchange)
    exchange.refers_to = (first.record_id, URL, first.date)
    exchange.date = "2024-03-01T08:00:00.000000Z"
    again = writer.write_exchange(exchange)
    writer.close()
    assert again.record_type == "revisit" and again.payload_digest == first.payload_digest
    [revisit] = [r for r, _ in _records(writer.files[0]) if r.rec_type == "revisit"]
    headers = revisit.rec_headers
    assert headers.get_header("WARC-Refers-To") == first.record_id
    assert headers.get_header("WARC-Refers-To-Target-URI") == URL
    assert headers.get_header("WARC-Refers-To-Date") == first.date
    assert headers.get_header("WARC-Profile").endswith("/warc/1.1/revisit/identical-payload-digest")
    assert revisit.http_headers.get_header("Content-Type") == "text/html; charset=GBK"


def test_files_roll_over_at_the_size_limit_and_warcio_reads_every_one(tmp_path):
    exchange, _ = _wire_exchange()
    closed = []
    writer = RollingWarcWriter(
        tmp_path, "nianbao-test", 2000, {"software": "nianbao"}, on_close=closed.append
    )
    locations = [writer.write_exchange(exchange) for _ in range(5)]
    writer.close()
    assert len(writer.files) == len(closed) >= 2
    assert [p.name for p in closed][:2] == [
        "nianbao-test-00001.warc.gz",
        "nianbao-test-00002.warc.gz",
    ]
    assert {loc.filename for loc in locations} == {p.name for p in closed}
    for path in closed:
        types = [r.rec_type for r, _ in _records(path)]
        assert types[0] == "warcinfo" and types.count("response") == types.count("request") >= 1
        index = subprocess.run(
            [*WARCIO, "index", "-f", "warc-type,warc-target-uri,http:status,offset", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert '"warc-type": "response"' in index and '"http:status": "200"' in index
        check = subprocess.run([*WARCIO, "check", "-v", str(path)], capture_output=True, text=True)
        assert check.returncode == 0 and "digest pass" in check.stdout, check.stdout + check.stderr


def test_the_capture_record_keeps_the_headers_as_received(tmp_path):
    """Scrapy's headers lose Content-Encoding with the gzip; the record keeps both views."""
    import asyncio
    import json

    from crawler.items import ReportPage
    from pipelines.archive import ArchivePipeline
    from pipelines.warc import WarcSpiderMiddleware
    from storage import open_store

    _exchange, decoded = _wire_exchange()
    item = ReportPage(
        url=URL,
        portal="test",
        body=decoded.body,
        status=200,
        fetched_at="2024-01-20T08:00:00+00:00",
        headers={k.decode(): v[0].decode() for k, v in decoded.headers.items()},
    )
    crawler = get_crawler(settings_dict={"WARC_ENABLED": True})
    WarcSpiderMiddleware.from_crawler(crawler).get_processed_item(item, decoded)
    store = open_store(f"file://{tmp_path}")
    item = asyncio.run(ArchivePipeline(store).process_item(item))
    record = json.loads(store.get(item.meta_key))
    assert "Content-Encoding" not in record["headers"] and store.get(item.raw_key) == HTML
    received = dict(record["received"]["headers"])
    assert received["Content-Encoding"] == "gzip" and received["Transfer-Encoding"] == "chunked"
    assert record["received"]["body_length"] == len(gzip.compress(HTML, mtime=0))
