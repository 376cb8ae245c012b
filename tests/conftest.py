"""Shared fixtures: the portal simulator, and running a crawl the way a user does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.redisserver import redis_url  # noqa: F401  (fixture)
from tests.s3server import s3_env, s3_store_uri, seaweed  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ROOT = ROOT / "tests" / "fixtures"
# The seed texts: one copy, the simulator's (simulator/seeds.py).
SEED_DIR = ROOT / "simulator" / "corpus"
SCRAPY = [sys.executable, "-m", "scrapy"]

# The crawler alone: no pipelines, no run summary, and a feed of what the spider yields.
CRAWLER_ONLY = {
    "ITEM_PIPELINES": "{}",
    "EXTENSIONS": "{}",
    "FEED_EXPORT_FIELDS": "url,portal,list_title,listing_url,status",
}


# A test that uses one of these servers is slow (`make test-fast` leaves it out) without having
# to say so; modules that crawl in a subprocess carry `pytestmark = pytest.mark.slow` themselves.
SERVER_FIXTURES = frozenset({"live_sim", "seaweed", "s3_env", "s3_store_uri", "redis_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def live_sim():
    from simulator import Simulator

    with Simulator().running() as live:
        yield live


def free_base_port(names) -> int:
    """A simulator base port (simulator/ports.py) whose ports for these portals are all free
    now: picked at run time, since other test runs share the machine."""
    import random
    import socket

    from simulator import ports

    for _ in range(200):
        base = random.randrange(20000, 50000)
        try:
            for name in names:
                with socket.socket() as s:
                    s.bind(("127.0.0.1", base + ports.offset(name)))
        except OSError:
            continue
        return base
    pytest.skip("no free range of ports found")


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict]
    log: str
    store_dir: Path


def run_crawl(
    out_dir: Path,
    *spider_args: str,
    settings: dict | None = None,
    timeout: int = 300,
    env: dict | None = None,
) -> CrawlResult:
    """`scrapy crawl portal` in a subprocess, exactly as a user runs it, into out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    store_dir = out_dir / "store"
    feed = out_dir / "items.jsonl"
    cmd = [*SCRAPY, "crawl", "portal", "-O", str(feed)]
    for arg in spider_args:
        cmd += ["-a", arg]
    merged = {
        "STORE_URI": f"file://{store_dir}",
        "STATE_DIR": str(out_dir / "state"),  # the catalog and the spool of this crawl's store
        # Loopback simulator: politeness delays only slow the tests down.
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
        "LOG_LEVEL": "INFO",
        # Tests crawl dead and hostile portals on purpose; the error-ratio monitor is tested
        # where a test sets it (tests/crawler/test_operators.py), not in every crawl's exit status.
        "MONITOR_MAX_ERROR_RATIO": "1.0",
        **(settings or {}),
    }
    for name, value in merged.items():
        cmd += ["-s", f"{name}={value}"]
    env = {**(env or os.environ), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    items = []
    if feed.exists():
        items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line]
    return CrawlResult(proc.returncode, items, proc.stderr, store_dir)
