from __future__ import annotations

import base64
import hashlib

import pytest

from storage import StoreError, StoreUnavailable, keys, open_store
from storage.keys import UnsafeKey


def test_file_store_round_trip_and_listing(tmp_path):
    store = open_store(f"file://{tmp_path}")
    store.put("pages/a/2.txt", "第二".encode())
    store.put("pages/a/1.txt", b"one")
    store.put("raw/x", b"\x00\xff")
    assert store.get("pages/a/2.txt").decode() == "第二"
    assert list(store.list("pages/")) == ["pages/a/1.txt", "pages/a/2.txt"]
    assert store.exists("raw/x") and not store.exists("raw/y")
    with pytest.raises(KeyError):
        store.get("raw/y")


def test_relative_file_uri_is_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = open_store("file:./data")
    store.put("runs/r/summary.json", b"{}")
    assert (tmp_path / "data" / "runs" / "r" / "summary.json").read_bytes() == b"{}"


def test_content_addressed_put_writes_once(tmp_path):
    store = open_store(f"file://{tmp_path}")
    key = keys.raw_key(keys.sha256_hex(b"page"))
    assert store.put_if_absent(key, b"page") is True
    assert store.put_if_absent(key, b"page") is False


@pytest.mark.parametrize(
    "key", ["../etc/passwd", "pages/../../x", "/abs", "a//b", "a/./b", "a\\b", "", "a/\u7d22\u5f15"]
)
def test_unsafe_keys_are_refused(tmp_path, key):
    store = open_store(f"file://{tmp_path}")
    with pytest.raises(UnsafeKey):
        store.put(key, b"x")
    assert list(store.list()) == []


def test_keys_derived_from_hostile_urls_stay_inside_their_prefix():
    url = "http://evil.example/../../../etc/passwd?x=/../../索引号"
    prefix = keys.capture_prefix(url, "2024-01-22T10:30:00+00:00", "ab" * 32)
    assert keys.check_key(prefix + "/text.txt")
    assert prefix.startswith("pages/evil.example/") and ".." not in prefix.split("/")


def test_captures_of_one_url_sort_in_time_order():
    url = "http://127.0.0.1:8000/art/2024/1/22/art_1_2.html"
    early = keys.capture_prefix(url, "2024-01-22T09:00:00Z", "0" * 64)
    late = keys.capture_prefix(url, "2024-02-01T08:00:00Z", "f" * 64)
    assert early.rsplit("/", 1)[0] == late.rsplit("/", 1)[0] == keys.url_prefix(url)
    assert sorted([late, early]) == [early, late]


def test_unknown_scheme_names_the_known_ones():
    with pytest.raises(StoreError, match="known schemes: file, s3"):
        open_store("ftp://host/path")


def test_s3_store_round_trip_with_moto(monkeypatch):
    # moto is an in-process fake: fine for the interface, not for integrity (it accepts bad
    # checksums).
    moto = pytest.importorskip("moto")
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with moto.mock_aws():
        boto3.client("s3").create_bucket(Bucket="archive")
        store = open_store("s3://archive/nianbao")
        store.put("pages/h/1/text.txt", "报告".encode(), "text/plain")
        store.put("raw/sha256/ab/abc", b"raw")
        assert store.get("pages/h/1/text.txt").decode() == "报告"
        assert store.exists("raw/sha256/ab/abc") and not store.exists("raw/none")
        assert list(store.list("pages/")) == ["pages/h/1/text.txt"]
        assert sorted(store.list()) == ["pages/h/1/text.txt", "raw/sha256/ab/abc"]
        with pytest.raises(KeyError):
            store.get("raw/none")


def _stubbed_s3():
    import boto3
    from botocore.stub import Stubber

    from storage.s3 import S3Store

    client = boto3.client(
        "s3",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="y",
        endpoint_url="http://127.0.0.1:9",
    )
    return S3Store("s3://archive/nb", client=client), Stubber(client)


def test_s3_put_sends_our_sha256_and_refuses_a_different_echo():
    """The server recomputes the checksum we send; if it reports another, the write is not
    trusted."""
    store, stub = _stubbed_s3()
    body = "报告正文".encode()
    ours = base64.b64encode(hashlib.sha256(body).digest()).decode()
    expected = {
        "Bucket": "archive",
        "Key": "nb/raw/x",
        "Body": body,
        "ChecksumAlgorithm": "SHA256",
        "ChecksumSHA256": ours,
    }
    stub.add_response("put_object", {"ChecksumSHA256": ours}, expected)
    stub.add_response(
        "put_object", {"ChecksumSHA256": base64.b64encode(b"\0" * 32).decode()}, expected
    )
    with stub:
        store.put("raw/x", body)
        with pytest.raises(StoreUnavailable, match="the server stored SHA-256"):
            store.put("raw/x", body)
    stub.assert_no_pending_responses()


def test_s3_errors_name_the_key_and_say_what_to_do():
    store, stub = _stubbed_s3()
    stub.add_client_error("put_object", "AccessDenied", "Access Denied", 403)
    stub.add_client_error("put_object", "SlowDown", "Reduce your request rate", 503)
    with stub:
        with pytest.raises(
            StoreError,
            match=r"put s3://archive/nb/pages/a/1/meta.json: S3 error AccessDenied "
            r"\(403\).*credentials",
        ) as denied:
            store.put("pages/a/1/meta.json", b"{}")
        assert not isinstance(denied.value, StoreUnavailable)
        with pytest.raises(StoreUnavailable, match="SlowDown"):
            store.put("pages/a/1/meta.json", b"{}")


def test_a_file_store_that_cannot_write_is_unavailable_not_a_crash(tmp_path):
    """A full disk or a lost mount is an outage the crawl spools through (storage.spool)."""
    store = open_store(f"file://{tmp_path}")
    (tmp_path / "pages").write_bytes(
        b""
    )  # a file where a directory must go: mkdir fails like a bad mount
    with pytest.raises(StoreUnavailable, match=r"put pages/a/1/text.txt in .*check the disk"):
        store.put("pages/a/1/text.txt", b"x")
    assert not list(tmp_path.glob("**/.tmp-*"))
