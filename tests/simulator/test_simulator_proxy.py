"""The proxy simulator: county hosts under real-looking names, nothing else answered."""

from __future__ import annotations

import http.client
import re

import pytest

from simulator.proxy import ProxySimulator
from simulator.scale import NATIONAL


@pytest.fixture(scope="module")
def live():
    with ProxySimulator(counties=600).running() as running:
        yield running


def ask(live, line: str, host: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(live.proxy_url.removeprefix("http://"), timeout=30)
    method, target = line.split(" ", 1)
    conn.putrequest(method, target, skip_host=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    resp = conn.getresponse()
    resp.read()
    return resp


def test_a_thousand_hosts_with_names_as_on_the_web(live):
    hosts = live.hosts
    assert len(hosts) >= 1000
    names = list(hosts.hosts)
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"((www|xxgk)\.)?[a-z]+[0-9]*\.gov\.cn", h) for h in names), names[:5]
    kinds = {role for _, role in hosts.hosts.values()}
    assert kinds == {"www", "xxgk", "bare"}
    # names only: no portal is built before it is asked for
    assert hosts.builds == 0


def test_the_proxy_serves_simulated_hosts_and_refuses_every_other(live):
    county = live.hosts.counties[0]
    home = ask(live, f"GET http://{county.www}/")
    assert home.status == 200 and live.hosts.builds == 1
    bare = ask(live, f"GET http://{county.domain}/a?b=1")
    assert bare.status == 301 and bare.getheader("Location") == f"http://{county.www}/a?b=1"
    assert ask(live, f"GET http://{county.xxgk}/").status == 200
    before = len(live.refused)
    for line in (
        f"GET http://{NATIONAL}/",
        "GET http://example.com/",
        "GET http://127.0.0.1:1/",
        f"GET http://{county.www}:8080/",
        f"CONNECT {county.www}:443",
    ):
        assert ask(live, line).status in (403, 405), line
    assert len(live.refused) == before + 5
    # origin form, by Host header: the same rule
    assert ask(live, "GET /", host=county.www).status == 200
    assert ask(live, "GET /", host="www.example.org").status == 403


def test_a_portal_links_its_xxgk_platform_its_neighbours_and_the_national_portal(live):
    county = live.hosts.counties[2]
    site = live.hosts.site(county.www)
    assert f'href="http://{county.xxgk}/"' in site.nav_html
    for n in county.neighbours:
        assert f'href="http://www.{live.hosts.counties[n].domain}/"' in site.nav_html
    assert f'href="http://{NATIONAL}/"' in site.nav_html
    truth = live.reports(county)
    assert {r.url.split("/")[2] for r in truth} == {county.www, county.xxgk}
