"""The S3 backend against a real S3 server on loopback (SeaweedFS, tests/s3server.py)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import subprocess
import sys

import pytest

from storage import StoreError, StoreUnavailable, open_store
from storage.s3 import composite_sha256
from tests.conftest import ROOT, run_crawl

MiB = 1024 * 1024


def test_round_trip_with_sha256_checked_by_the_server(s3_store_uri):
    uri, _ = s3_store_uri
    store = open_store(uri)
    body = "第一部分 总体情况".encode("gb18030")
    store.put("pages/h/1/text.txt", body, "text/plain")
    assert store.get("pages/h/1/text.txt") == body
    head = store.client.head_object(
        Bucket=store.bucket, Key="archive/pages/h/1/text.txt", ChecksumMode="ENABLED"
    )
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert head["ContentType"] == "text/plain"
    assert list(store.list("pages/")) == ["pages/h/1/text.txt"]
    with pytest.raises(KeyError):
        store.get("pages/h/1/none.txt")


def test_large_objects_go_up_in_parts_and_the_composite_checksum_is_verified(
    s3_store_uri, tmp_path
):
    uri, _ = s3_store_uri
    store = open_store(uri)
    store.multipart_threshold = store.multipart_chunksize = 5 * MiB  # S3's minimum part size
    data = os.urandom(11 * MiB + 123)
    store.put("raw/big.bin", data)
    path = tmp_path / "file.warc.gz"
    path.write_bytes(data[::-1])
    store.put_file("warc/f.warc.gz", path)
    assert store.get("raw/big.bin") == data and store.get("warc/f.warc.gz") == data[::-1]
    head = store.client.head_object(
        Bucket=store.bucket, Key="archive/raw/big.bin", ChecksumMode="ENABLED"
    )
    # Three parts, each with its own SHA-256, and the server's composite equals ours.
    assert head["ChecksumSHA256"] == composite_sha256(data, 5 * MiB)
    assert head["ChecksumSHA256"].endswith("-3")


def test_put_if_absent_writes_content_addressed_bytes_once(s3_store_uri):
    store = open_store(s3_store_uri[0])
    assert store.put_if_absent("raw/sha256/ab/x", b"page") is True
    assert store.put_if_absent("raw/sha256/ab/x", b"page") is False


def test_configuration_comes_from_a_boto3_profile_alone(
    seaweed, s3_store_uri, tmp_path, monkeypatch
):
    """Endpoint, addressing style and credentials from ~/.aws-style files, nothing else."""
    uri, _ = s3_store_uri
    config = tmp_path / "config"
    config.write_text(
        f"[profile archive]\nregion = us-east-1\nendpoint_url = {seaweed.endpoint}\n"
        "s3 =\n    addressing_style = path\n"
    )
    creds = tmp_path / "credentials"
    creds.write_text(
        f"[archive]\naws_access_key_id = {seaweed.access_key}\n"
        f"aws_secret_access_key = {seaweed.secret_key}\n"
    )
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    ):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_PROFILE", "archive")
    store = open_store(uri)
    assert store.client.meta.config.s3["addressing_style"] == "path"
    store.put("runs/r/summary.json", b"{}")
    assert store.get("runs/r/summary.json") == b"{}"


def test_wrong_credentials_fail_clearly_and_never_show_the_secret(
    seaweed, s3_store_uri, monkeypatch
):
    uri, _ = s3_store_uri
    wrong = "wrong-" + seaweed.secret_key[::-1]
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", wrong)
    store = open_store(uri)
    with pytest.raises(StoreError) as info:
        store.put("runs/r/summary.json", b"{}")
    assert not isinstance(info.value, StoreUnavailable)
    message = str(info.value)
    assert "SignatureDoesNotMatch" in message and "runs/r/summary.json" in message
    assert wrong not in message and seaweed.secret_key not in message


def test_an_unreachable_endpoint_is_store_unavailable_naming_key_and_endpoint(
    s3_store_uri, monkeypatch
):
    from tests.end_to_end.test_end_to_end import _closed_port

    dead = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", dead)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    store = open_store(s3_store_uri[0])
    with pytest.raises(StoreUnavailable, match=re.escape(dead)) as info:
        store.put("raw/sha256/ab/abc", b"x")
    assert "archive/raw/sha256/ab/abc" in str(info.value)


def test_credentials_in_the_uri_are_refused_without_echoing_them():
    with pytest.raises(StoreError) as info:
        open_store("s3://AKIAEXAMPLE:sup3rs3cret@bucket/prefix")
    assert "sup3rs3cret" not in str(info.value) and "AKIAEXAMPLE" not in str(info.value)


# -- the end-to-end crawl, into the directory and into SeaweedFS --------------------------------

_STAMP = re.compile(r"/\d{8}T\d{6}\d*Z-([0-9a-f]{12})\b")
# Fields of a capture record that differ between two fetches of the same bytes (listing_url:
# the listing a report was first reached from depends on the order responses arrive).
_PER_FETCH = {"fetched_at", "run_id", "headers", "received", "change", "previous", "listing_url"}


def _contents(store) -> dict[str, bytes]:
    """Every object by key, with the fetch-time segment of page keys masked."""
    out = {}
    for key in store.list():
        if key.startswith("runs/"):
            continue  # one summary per run, compared separately
        data = store.get(key)
        if key.startswith("warc/"):  # named by run; records differ by id and date, not by payload
            key = re.sub(r"\d{8}T\d{6}Z-[0-9a-f]{8}", "<run>", key)
            data = repr(sorted(_warc_payloads(data))).encode()
        if key.endswith("/meta.json"):
            record = json.loads(data)
            for attachment in record.get("attachments") or []:
                attachment.pop("fetched_at", None), attachment.pop("headers", None)
            data = json.dumps(
                {k: v for k, v in record.items() if k not in _PER_FETCH}, sort_keys=True
            )
            data = _STAMP.sub(r"/<stamp>-\1", data).encode()  # "version" names a capture
        out[_STAMP.sub(r"/<stamp>-\1", key)] = data
    return out


def _warc_payloads(data: bytes):
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
        headers = record.rec_headers
        if record.rec_type in ("request", "response", "revisit"):  # not warcinfo, metadata: per run
            yield (
                record.rec_type,
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Payload-Digest"),
            )


def test_the_crawl_into_s3_equals_the_crawl_into_the_directory(live_sim, s3_store_uri, tmp_path):
    uri, env = s3_store_uri
    roots = "url=" + ",".join(p.root_url for p in live_sim.portals)
    local = run_crawl(tmp_path / "file", roots)
    remote = run_crawl(tmp_path / "s3", roots, settings={"STORE_URI": uri}, env=env)
    assert local.returncode == 0, local.log[-3000:]
    assert remote.returncode == 0, remote.log[-3000:]
    assert {i["url"] for i in remote.items} == {r.url for r in live_sim.reports}

    file_store, s3_store = open_store(f"file://{local.store_dir}"), open_store(uri)
    in_file, in_s3 = _contents(file_store), _contents(s3_store)
    assert sorted(in_file) == sorted(in_s3)
    raw = [k for k in in_file if k.startswith("raw/")]
    attachments = {
        a["sha256"] for i in local.items for a in i.get("attachments") or [] if a.get("sha256")
    }
    assert (
        len(raw) == len({i["sha256"] for i in local.items} | attachments) >= len(live_sim.reports)
    )
    differing = [k for k in in_file if in_file[k] != in_s3[k]]
    assert not differing, differing[:5]
    # Raw keys are exact (content-addressed), and hold what the feed says.
    for item in remote.items:
        assert hashlib.sha256(s3_store.get(item["raw_key"])).hexdigest() == item["sha256"]
    [summary] = [k for k in s3_store.list("runs/") if k.endswith("summary.json")]
    assert json.loads(s3_store.get(summary))["reports"] == len(live_sim.reports)

    # Copying the directory into the bucket gives a valid store: a crawl into the copy, from a
    # machine without its catalog, finds every report unchanged and stores no raw bytes again.
    copied_uri = uri.rsplit("/", 1)[0] + "/copied"
    proc = subprocess.run(
        [sys.executable, "-m", "storage", "copy", f"file://{local.store_dir}", copied_uri],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    copied = open_store(copied_uri)
    assert list(copied.list()) == list(file_store.list())
    raw_before = list(copied.list("raw/"))
    again = run_crawl(tmp_path / "again", roots, settings={"STORE_URI": copied_uri}, env=env)
    assert again.returncode == 0, again.log[-3000:]
    assert {i["change"] for i in again.items} == {"unchanged"}
    assert list(copied.list("raw/")) == raw_before


def test_make_demo_s3_crawls_into_a_local_seaweedfs(live_sim, tmp_path):
    """`make demo S3=1` runs `scrapy demo --s3`: the S3 path end to end, with nothing to set up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "demo",
            "--s3",
            "--items",
            str(tmp_path / "items.jsonl"),
            "--base-port",
            "0",
            "-s",
            f"STATE_DIR={tmp_path / 'state'}",
        ],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    n = len(live_sim.reports)
    assert f"ground truth: {n} of {n} simulator reports found" in proc.stdout
    assert "store:   s3://nianbao/demo" in proc.stdout
    assert re.search(
        r"SeaweedFS at http://127\.0\.0\.1:\d+ .*: (\d+) objects under pages/", proc.stdout
    )
    assert (
        int(re.search(r"(\d+) objects under raw/", proc.stdout).group(1)) >= n
    )  # pages and attachments
    assert (tmp_path / "state" / "seaweedfs").is_dir()
