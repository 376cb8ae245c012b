from __future__ import annotations

import pytest

from storage import StoreError, open_store
from storage import keys
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


@pytest.mark.parametrize("key", ["../etc/passwd", "pages/../../x", "/abs", "a//b", "a/./b", "a\\b", "", "a/\u7d22\u5f15"])
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
    # moto is an in-process fake: fine for the interface, not for integrity (it accepts bad checksums).
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
