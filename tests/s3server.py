"""Fixtures for a real S3 server on loopback: SeaweedFS `weed mini` (storage.seaweed).

* ``seaweed``: one server for the whole session, credentials in its environment (signature
  checks on), data in a temp dir, free ports; stopped at the end.  ``seaweed.stop()`` and
  ``seaweed.start()`` simulate an outage and a return on the same ports and data.
* ``s3_store_uri``: a fresh bucket per test, as (STORE_URI, environment for a crawl subprocess).

moto stays for fast in-process unit tests; nothing here patches boto3.
"""

from __future__ import annotations

import itertools
import os

import pytest

from storage.seaweed import SeaweedServer

_buckets = itertools.count(1)


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    server = SeaweedServer(tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_env(seaweed, monkeypatch):
    """The server's endpoint and credentials in this process's environment (for open_store)."""
    seaweed.start()  # a test that stopped it and failed half-way leaves it stopped
    for name, value in seaweed.env.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return {**os.environ, **seaweed.env}


@pytest.fixture
def s3_store_uri(seaweed, s3_env):
    bucket = f"nianbao-test-{os.getpid()}-{next(_buckets)}"
    seaweed.create_bucket(bucket)
    return f"s3://{bucket}/archive", s3_env
