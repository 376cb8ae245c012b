"""A crawl of county portals under their real-looking names, through the proxy simulator.

The crawler reaches the hosts as on the web behind a proxy (``http_proxy`` in the
environment): scope is judged on www.xx.gov.cn, xxgk.xx.gov.cn and the neighbours' names, not
on 127.0.0.1 ports.
"""

from __future__ import annotations

import os

import pytest

from crawler.scope import registered_domain
from simulator.proxy import ProxySimulator
from simulator.scale import NATIONAL
from tests.conftest import CRAWLER_ONLY, run_crawl

#: county 0 (seed 100000) is a known discovery gap on the plain simulator too (1 report of 32)
COUNTIES = (1, 2)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    with ProxySimulator(counties=40).running() as live:
        counties = [live.hosts.counties[i] for i in COUNTIES]
        roots = ",".join(f"http://{c.www}/" for c in counties)
        env = {**os.environ, **live.env()}
        result = run_crawl(
            tmp_path_factory.mktemp("proxy"),
            f"url={roots}",
            settings=CRAWLER_ONLY,
            env=env,
            timeout=600,
        )
        yield live, counties, result


def test_the_crawl_finds_the_reports_of_each_portal_and_its_xxgk_platform(crawl):
    live, counties, result = crawl
    assert result.returncode == 0, result.log[-3000:]
    found = {i["url"] for i in result.items}
    truth = {r.url: c for c in counties for r in live.reports(c)}
    aliases = {a for c in counties for r in live.reports(c) for a in r.aliases}
    assert found <= set(truth) | aliases, sorted(found - set(truth) - aliases)[:5]
    assert len(found & set(truth)) >= 0.95 * len(truth), sorted(set(truth) - found)[:5]
    for county in counties:
        hosts = {u.split("/")[2] for u in found if truth.get(u) is county}
        # the xxgk platform is another host of the same registered domain: in scope
        assert hosts == {h for h in (county.www, county.xxgk) if h}, (county.domain, hosts)


def test_scope_keeps_the_crawl_on_each_portals_registered_domain(crawl):
    live, counties, _result = crawl
    domains = {c.domain for c in counties}
    asked = {r.host for r in live.requests}
    assert asked, "nothing went through the proxy"
    assert {registered_domain(h) for h in asked} == domains, sorted(asked)
    # every page links two neighbours (simulated hosts) and www.gov.cn: none was asked
    neighbours = {f"www.{live.hosts.counties[n].domain}" for c in counties for n in c.neighbours}
    assert not (asked & (neighbours - {c.www for c in counties}))
    assert live.refused == [], live.refused[:5]
    assert NATIONAL not in asked and "beian.miit.gov.cn" not in asked
