"""Bounded resources against a hostile portal (simulator/faults.py): a page over MAX_PAGE_BYTES
is archived whole and parsed only that far (in the child process), a gzip bomb, a slowloris
answer, an endless body and bytes of no charset cost a bounded time and memory, and the crawl
finds the portal's ordinary report all the same.  The timing comparison with a 50 MB page is
in `make bench` (bench/hostile.py)."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from simulator.faults import hostile_portal
from tests.conftest import run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess

BIG = 6 * 1024 * 1024


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with hostile_portal(faults=("big", "bodies"), big_page_bytes=BIG) as portal:
        out = tmp_path_factory.mktemp("bodies")
        result = run_crawl(
            out,
            f"url={portal.root_url}",
            timeout=600,
            settings={
                "MAX_PAGE_BYTES": str(1024 * 1024),
                "DOWNLOAD_TIMEOUT": "8",
                "RETRY_TIMES": "0",
                "DOWNLOAD_MAXSIZE": str(16 * 1024 * 1024),
            },
        )
        yield portal, result, out


def test_the_crawl_finishes_with_the_ordinary_report(crawled):
    portal, result, _ = crawled
    assert result.returncode == 0, result.log[-3000:]
    urls = {i["url"] for i in result.items}
    assert portal.root_url + "nb/2023.html" in urls
    assert portal.trip.hits == [] and portal.trip2.hits == []


def test_a_page_over_max_page_bytes_is_archived_whole_and_parsed_only_that_far(crawled):
    portal, result, out = crawled
    item = next(i for i in result.items if i["url"].endswith("/nb/big.html"))
    body = portal.big_page()
    assert len(body) > BIG - 100
    raw = out / "store" / item["raw_key"]
    assert raw.stat().st_size == len(body) and item["sha256"] == hashlib.sha256(body).hexdigest()
    # the head read ends before a tag, at most 64 KiB short of the bound
    (parsed,) = [
        int(m.group(1))
        for f in item["flags"]
        if (m := re.fullmatch(rf"truncated:parsed the first (\d+) of {len(body)} bytes.*", f))
    ]
    assert 1048576 - 65536 <= parsed <= 1048576 and body[parsed : parsed + 1] == b"<"
    assert item["report"]["report_year"] == 2019  # read from the first megabyte
    assert portal.requests.count("/nb/big.html") == 1  # fetched once: never reset and asked again
    assert "over MAX_PAGE_BYTES=1048576" in result.log
    assert "'nianbao/pages_over_max_bytes': 1" in result.log
    assert "'nianbao/parse/background_calls': 1" in result.log  # its head read niced


def test_bombs_slowloris_and_endless_bodies_are_cut_off_and_logged(crawled):
    _, result, _ = crawled
    urls = {i["url"].rsplit("/", 1)[1] for i in result.items}
    assert not {"bomb.html", "slow.html", "endless.html"} & urls
    for name in ("bomb.html", "slow.html", "endless.html"):
        assert any(name in line and "failed" in line for line in result.log.splitlines()), name


def test_bytes_of_no_charset_make_a_flagged_item_not_a_crash(crawled):
    _, result, _ = crawled
    item = next(i for i in result.items if i["url"].endswith("/nb/badenc.html"))
    assert item["report"] is not None and item["report"]["report_year"] == 2015
    assert "Traceback" not in result.log, result.log[result.log.find("Traceback") - 500 :][:3000]
    json.dumps(item, ensure_ascii=False)
