"""A real redis-server (Debian's) on 127.0.0.1, a free port and a temporary directory."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def redis_url():
    from crawler.cluster.redis_server import RedisServer

    if shutil.which("redis-server") is None:
        pytest.fail(
            "redis-server is not installed: run `make sysdeps` (Debian package redis-server)"
        )
    with RedisServer() as server:
        yield server.url
