"""Store faults during a real crawl into SeaweedFS: an outage and its end, a dead endpoint,
wrong credentials.  Nothing is lost, nothing is written twice, no secret reaches the log."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter

import pytest

from crawler import exitcodes
from storage import keys, open_store
from tests.conftest import run_crawl
from tests.end_to_end.test_end_to_end import _closed_port

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess


def _bucket_keys(client, bucket: str) -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [o["Key"] for page in pages for o in page.get("Contents", [])]


def test_the_store_stops_mid_crawl_and_returns_every_report_is_stored_exactly_once(
    live_sim, seaweed, s3_store_uri, tmp_path
):
    uri, env = s3_store_uri
    bucket = uri.split("/")[2]
    client = seaweed.client()
    # With versioning on, a key written twice keeps two versions: "exactly once" is checkable.
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    roots = "url=" + ",".join(p.root_url for p in live_sim.portals)
    settings = {
        "STORE_URI": uri,
        "DOWNLOAD_DELAY": "0.15",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "STORE_SPOOL_CLOSE_WAIT": "120",
        "AWS_MAX_ATTEMPTS": "2",
    }
    result = {}
    crawl = threading.Thread(
        target=lambda: result.update(
            r=run_crawl(tmp_path, roots, settings=settings, env={**env, "AWS_MAX_ATTEMPTS": "2"})
        )
    )
    crawl.start()
    try:
        deadline = time.monotonic() + 120
        while sum(k.endswith("/meta.json") for k in _bucket_keys(client, bucket)) < 3:
            assert crawl.is_alive() and time.monotonic() < deadline, (
                "the crawl ended before the outage"
            )
            time.sleep(0.1)
        seaweed.stop()
        time.sleep(5)  # the crawl goes on, into the spool
        assert crawl.is_alive(), "the crawl finished during the outage: make it slower"
    finally:
        seaweed.start()
    crawl.join(300)
    r = result["r"]
    assert r.returncode == 0, r.log[-3000:]
    notes = [
        line
        for line in r.log.splitlines()
        if "WARNING" in line or "ERROR" in line or "store" in line
    ]
    assert "spooling writes" in r.log and "flushed in order" in r.log, notes[-20:]
    assert "left_in_spool': 0" in r.log or "'nianbao/store/left_in_spool': 0" in r.log

    truth = {rep.url for rep in live_sim.reports}
    assert {i["url"] for i in r.items} == truth
    objects = _bucket_keys(client, bucket)
    store = open_store(uri)
    # Every report: one capture with its record, text and report; its raw bytes.
    for item in r.items:
        captures = {k.rsplit("/", 2)[1] for k in store.list(keys.url_prefix(item["url"]) + "/")}
        assert len(captures) == 1, item["url"]
        for key in (item["meta_key"], item["text_key"], item["report_key"], item["raw_key"]):
            assert store.exists(key), key
        assert json.loads(store.get(item["meta_key"]))["sha256"] == item["sha256"]
    assert sum(k.endswith("/meta.json") for k in objects) == len(truth)
    # …and no key was written twice.
    versions = Counter()
    for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for v in page.get("Versions", []):
            versions[v["Key"]] += 1
    assert versions and max(versions.values()) == 1, versions.most_common(3)
    assert any(k.endswith("summary.json") for k in objects)


def test_a_store_gone_for_good_fills_the_spool_and_stops_the_crawl_saying_what_to_do(
    live_sim, seaweed, s3_store_uri, tmp_path
):
    uri, env = s3_store_uri
    bucket = uri.split("/")[2]
    client = seaweed.client()
    roots = "url=" + ",".join(p.root_url for p in live_sim.portals)
    settings = {
        "STORE_URI": uri,
        "STORE_SPOOL_MAX_BYTES": "300000",
        "STORE_SPOOL_CLOSE_WAIT": "1",
        "DOWNLOAD_DELAY": "0.15",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "LOG_LEVEL": "DEBUG",
    }
    result = {}
    crawl = threading.Thread(
        target=lambda: result.update(
            r=run_crawl(tmp_path, roots, settings=settings, env={**env, "AWS_MAX_ATTEMPTS": "1"})
        )
    )
    crawl.start()
    try:
        deadline = time.monotonic() + 120
        while sum(k.endswith("/meta.json") for k in _bucket_keys(client, bucket)) < 1:
            assert crawl.is_alive() and time.monotonic() < deadline, (
                "the crawl ended before the outage"
            )
            time.sleep(0.1)
        seaweed.stop()  # and it stays down until the crawl has given up
        crawl.join(300)
    finally:
        seaweed.start()
    r = result["r"]
    assert "stopping the crawl: the store s3://" in r.log
    message = r.log[r.log.index("stopping the crawl") :].splitlines()[0]
    assert "STORE_SPOOL_MAX_BYTES" in message and "http://127.0.0.1" in message
    assert re.search(r"step (archive|normalize)", message), message
    assert "run the crawl again" in message
    assert "finish_reason': 'store_unreachable'" in r.log
    assert 0 < len(r.items) < len(live_sim.reports)
    # Nothing lost: every write waits in the spool for the next crawl; the exit status says so.
    spool = list((tmp_path / "state").glob("s3-*/spool/*/*.entry"))
    assert len(spool) >= 3 * (len(r.items) - 1)
    assert "writes stay spooled" in r.log
    assert r.returncode == exitcodes.STOPPED and "crawl exit status 6" in r.log
    assert "writes are still spooled" in r.log.splitlines()[-1]
    assert seaweed.secret_key not in r.log
    assert all(seaweed.secret_key.encode() not in p.read_bytes() for p in spool)


def test_a_dead_endpoint_at_the_start_stops_before_any_request(seaweed, s3_store_uri, tmp_path):
    from simulator.faults import Tripwire

    uri, env = s3_store_uri
    portal = Tripwire()
    try:
        dead = {
            **env,
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{_closed_port()}",
            "AWS_MAX_ATTEMPTS": "1",
        }
        r = run_crawl(tmp_path, f"url={portal.url}/", env=dead, settings={"STORE_URI": uri})
    finally:
        portal.close()
    assert r.returncode == exitcodes.CONFIG and portal.hits == []
    last = r.log.strip().splitlines()[-1]
    assert (
        last.startswith("nianbao: not crawling: the store of STORE_URI=s3://")
        and "start the store" in last
    )


def test_wrong_credentials_stop_the_crawl_at_once_and_the_secret_is_never_logged(
    live_sim, seaweed, s3_store_uri, tmp_path
):
    uri, env = s3_store_uri
    secret = "nb-wrong-" + seaweed.secret_key[::-1]
    r = run_crawl(
        tmp_path,
        "url=" + live_sim.portals[0].root_url,
        env={**env, "AWS_SECRET_ACCESS_KEY": secret},
        settings={"STORE_URI": uri, "LOG_LEVEL": "DEBUG"},
    )
    # stopped before the first request (the crawl command's check of the store), in one line
    last = r.log.strip().splitlines()[-1]
    assert r.returncode == exitcodes.CONFIG and not r.items
    assert last.startswith("nianbao: not crawling: the store of STORE_URI=")
    # HEAD bucket answers a bare 403 (no body to name SignatureDoesNotMatch)
    assert "(403)" in last and "credentials" in last
    assert secret not in r.log and seaweed.secret_key not in r.log
    for path in (tmp_path / "state").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
