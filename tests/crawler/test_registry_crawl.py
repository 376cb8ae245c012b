"""Crawls select from the registry (-a region / level / site), `scrapy sites` prints the
selection, and the state a crawl records lets `scrapy sites --failed` name the roots that
failed in the last run."""

from __future__ import annotations

import json
import logging
import socket
import subprocess

import pytest
from scrapy.utils.test import get_crawler

from crawler.spiders.portal import PortalSpider
from tests.conftest import ROOT, SCRAPY, run_crawl

JINAN = {
    "历下区",
    "市中区",
    "槐荫区",
    "天桥区",
    "历城区",
    "长清区",
    "章丘区",
    "济阳区",
    "莱芜区",
    "钢城区",
    "平阴县",
    "商河县",
}


def make_spider(settings: dict | None = None, **kwargs) -> PortalSpider:
    crawler = get_crawler(PortalSpider, settings)
    return crawler._create_spider(**kwargs)


def sites_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SCRAPY, "sites", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_region_argument_targets_the_prefectures_portals():
    spider = make_spider(region="3701")
    assert len(spider.targets) == 12
    assert {name for _, name, _ in spider.targets} == {
        "370102",
        "370103",
        "370104",
        "370105",
        "370112",
        "370113",
        "370114",
        "370115",
        "370116",
        "370117",
        "370124",
        "370126",
    }
    assert ("http://www.licheng.gov.cn/", "370112", None) in spider.targets


def test_region_and_level_together():
    spider = make_spider(region="37", level="县")
    assert len(spider.targets) == 52  # 山东's 52 counties, all with a portal in the list
    assert all(name.startswith("37") for _, name, _ in spider.targets)


def test_site_by_name_and_url_together():
    spider = make_spider(site="历城区", url="http://127.0.0.1:8123/")
    assert [name for _, name, _ in spider.targets] == ["127.0.0.1:8123", "370112"]


def test_entries_without_a_portal_are_skipped_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        spider = make_spider(region="5104")  # 攀枝花市: 东区 and 西区 have no URL in the list
    names = {name for _, name, _ in spider.targets}
    assert "510411" in names and not names & {"510402", "510403"}
    assert "site 510402" in caplog.text and "120102" in caplog.text


def test_a_selection_without_any_portal_stops_with_a_clear_error():
    with pytest.raises(
        ValueError, match="none of the 2 selected registry entries has a portal URL"
    ):
        make_spider(region="4603")  # 三沙市: 西沙区, 南沙区
    with pytest.raises(ValueError, match="no registry entry has region=9999"):
        make_spider(region="9999")


@pytest.mark.slow
def test_scrapy_sites_prints_the_selection_one_json_object_a_line():
    proc = sites_command("--region", "3701")
    assert proc.returncode == 0, proc.stderr
    entries = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {e["name"] for e in entries} == JINAN
    for e in entries:
        assert {"code", "name", "level", "province", "url"} <= set(e)
        assert e["province"] == "山东省" and e["level"] == "county" and e["code"].startswith("3701")
    proc = sites_command("--region", "37", "--level", "县级市")
    assert len(proc.stdout.splitlines()) == 26
    proc = sites_command("--region", "3")
    assert proc.returncode == 2 and "GB/T 2260 prefix" in proc.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_crawl_records_each_root_and_sites_failed_names_the_failed_ones(live_sim, tmp_path):
    portal = live_sim.portals[0]
    sites = tmp_path / "sites.json"
    sites.write_text(
        json.dumps(
            [
                {
                    "name": "370112",
                    "code": "370112",
                    "start_url": portal.root_url,
                },  # 历城区 → the simulator
                {
                    "name": "370102",
                    "code": "370102",
                    "start_url": f"http://127.0.0.1:{_closed_port()}/",
                },
                {
                    "name": "370103",
                    "code": "370103",
                    "start_url": portal.root_url + "no-such-root/",
                },
            ]
        ),
        encoding="utf-8",
    )
    state_file = tmp_path / "registry-state.json"
    settings = {
        "SITES_FILE": str(sites),
        "REGISTRY_STATE_FILE": str(state_file),
        "ITEM_PIPELINES": "{}",
        "CLOSESPIDER_PAGECOUNT": "20",
        "RETRY_ENABLED": "False",
        "WARC_ENABLED": "False",
    }
    # by name, so that nothing but these loopback roots is fetched
    result = run_crawl(tmp_path / "crawl", "site=370112,370102,370103", settings=settings)
    # CLOSESPIDER_PAGECOUNT ends the crawl early: exit 6 (crawler/exitcodes.py) outranks the
    # dead roots' 4, which the run summary still lists among its reasons
    assert result.returncode == 6, result.log[-3000:]
    assert "2 of 3 portal roots failed (370102, 370103)" in result.log

    state = json.loads(state_file.read_text(encoding="utf-8"))
    run_id = state["last_run"]["run_id"]
    assert state["last_run"]["sites"] == ["370102", "370103", "370112"]
    ok = state["sites"]["370112"]
    assert ok["root_ok"] is True and ok["root_status"] == 200 and ok["last_run"] == run_id
    assert ok["family"] == portal.family and ok["robots_obeyed"] is True
    dead = state["sites"]["370102"]
    assert (
        dead["root_ok"] is False
        and dead["root_status"] is None
        and "no response" in dead["root_error"]
    )
    missing = state["sites"]["370103"]
    assert missing["root_ok"] is False and missing["root_status"] == 404

    proc = sites_command(
        "--failed",
        "--region",
        "370102,370103,370112",
        "-s",
        f"SITES_FILE={sites}",
        "-s",
        f"REGISTRY_STATE_FILE={state_file}",
    )
    assert proc.returncode == 0, proc.stderr
    failed = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [e["code"] for e in failed] == ["370102", "370103"]
    assert failed[1]["state"]["root_error"] == "HTTP 404"


@pytest.mark.slow
def test_failed_roots_are_those_of_the_last_run_only(tmp_path):
    from crawler.registry.state import failed_roots, read_state

    path = tmp_path / "state.json"
    assert read_state(path) == {"last_run": None, "sites": {}}
    path.write_text(
        json.dumps(
            {
                "last_run": {"run_id": "r2", "sites": ["370102", "370112"]},
                "sites": {
                    "370102": {"last_run": "r2", "root_ok": False},
                    "370112": {"last_run": "r2", "root_ok": True},
                    "370103": {"last_run": "r1", "root_ok": False},
                },
            }
        ),
        encoding="utf-8",
    )
    assert [name for name, _ in failed_roots(read_state(path))] == ["370102"]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"not JSON.*move it aside"):
        read_state(path)


@pytest.mark.slow
def test_sites_failed_also_names_roots_crawled_by_url(tmp_path):
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps(
            {
                "last_run": {"run_id": "r1", "sites": ["127.0.0.1:9", "370112"]},
                "sites": {
                    "127.0.0.1:9": {
                        "last_run": "r1",
                        "root_ok": False,
                        "root_url": "http://127.0.0.1:9/",
                        "root_error": "no response",
                    },
                    "370112": {"last_run": "r1", "root_ok": True},
                },
            }
        ),
        encoding="utf-8",
    )
    proc = sites_command("--failed", "-s", f"REGISTRY_STATE_FILE={state}")
    assert proc.returncode == 0, proc.stderr
    (line,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert line["site"] == "127.0.0.1:9" and line["code"] is None
    assert line["url"] == "http://127.0.0.1:9/" and line["state"]["root_error"] == "no response"
    proc = sites_command("--failed", "--region", "37", "-s", f"REGISTRY_STATE_FILE={state}")
    assert proc.stdout == ""


def _watch(jobdir, roots):
    from types import SimpleNamespace

    from crawler.registry.state import RootWatch

    crawler = get_crawler(settings_dict={"JOBDIR": str(jobdir)})
    crawler.spider = SimpleNamespace(targets=[(url, name, None) for name, url in roots.items()])
    watch = RootWatch(crawler)
    watch.spider_opened(crawler.spider)
    return watch


def test_a_resumed_crawl_keeps_the_roots_its_killed_sessions_fetched(tmp_path):
    """A JOBDIR crawl killed after its roots answered does not fetch them again when resumed:
    the state it writes at the end must still say they answered, not "no response"."""
    from scrapy.http import HtmlResponse, Request

    roots = {"a": "http://127.0.0.1:1/", "b": "http://127.0.0.1:2/index.htm"}
    first = _watch(tmp_path / "job", roots)
    for name, status in (("a", 200), ("b", 503)):
        url = roots[name]
        first.response_received(
            HtmlResponse(url, status=status, body=b"<html><title>x</title></html>"),
            Request(url),
        )
    robots = "http://127.0.0.1:1/robots.txt"
    first.response_received(HtmlResponse(robots, status=404, body=b""), Request(robots))
    # the kill cut the session's last line in half
    with open(tmp_path / "job" / "roots.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"portal": "a", "sta')

    resumed = _watch(tmp_path / "job", roots)  # fetches nothing: its roots are done
    entries = resumed.entries("run-1", "2026-01-01T00:00:00Z")
    assert entries["a"]["root_ok"] is True and entries["a"]["root_status"] == 200
    assert entries["a"]["robots_txt"] == 404
    assert entries["b"]["root_ok"] is False and entries["b"]["root_error"] == "HTTP 503"

    # another JOBDIR is another crawl: it starts blank
    fresh = _watch(tmp_path / "other", roots)
    assert fresh.entries("run-2", "2026-01-01T00:00:00Z")["a"]["root_status"] is None
