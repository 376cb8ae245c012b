"""The data-endpoint family parsers (crawler/families/{ucap,gkmlpt,lonsun,jpaas,hanweb_xxgk}.py)
on pages the simulator serves: each finds the calls the page's script makes and reads the
answers into links and next pages."""

from __future__ import annotations

import urllib.request

import pytest

from crawler.families import api_families
from crawler.families.api import Call
from simulator import Simulator

FAMS = api_families()


@pytest.fixture(scope="module")
def live():
    with Simulator(
        portals=[
            "ucap-county",
            "gkmlpt-county",
            "lonsun-county",
            "jpaas-county",
            "xxgk-county",
            "generic-county",
        ]
    ).running() as live:
        yield live


def get(url: str) -> str:
    with urllib.request.urlopen(url) as resp:
        return resp.read().decode("utf-8")


def run_calls(fam, calls: list[Call]) -> set[str]:
    """Follow the calls (and the calls their answers plan), return every linked URL."""
    urls: set[str] = set()
    todo = list(calls)
    while todo:
        call = todo.pop()
        page = fam.parse(get(call.url), call)
        urls |= {link.url for link in page.links}
        todo += page.calls
    return urls


def _truth(live, portal, unit_prefix=""):
    return {r.url for r in live.reports if r.portal == portal and unit_prefix in r.org_name}


def test_ucap_json_shell_gives_search_api_pages(live):
    root = live.portal("ucap-county").root_url
    shell = get(root + "zwgk/c100201/list.shtml")  # 东坝镇: a JSON shell, no records in the HTML
    assert FAMS["ucap"].matches(shell) and "<li>" not in shell
    calls = FAMS["ucap"].calls(shell, root + "zwgk/c100201/list.shtml")
    assert [c.url.split("?")[0] for c in calls] == [root + "common/search/100201"]
    assert run_calls(FAMS["ucap"], calls) == _truth(live, "ucap-county", "东坝镇")


def test_gkmlpt_config_tree_gives_the_nianbao_node_api(live):
    root = live.portal("gkmlpt-county").root_url
    page = get(root + "dbz/gkmlpt/index")
    calls = FAMS["gkmlpt"].calls(page, root + "dbz/gkmlpt/index")
    assert len(calls) == 1 and calls[0].url.startswith(
        root + "dbz/gkmlpt/api/all/"
    )  # only 政府信息公开年报
    assert "sid=760001" in calls[0].url
    assert run_calls(FAMS["gkmlpt"], calls) == _truth(live, "gkmlpt-county", "东坝镇")


def test_gkmlpt_pages_follow_the_server_page_size(live):
    root = live.portal("gkmlpt-county").root_url
    calls = FAMS["gkmlpt"].calls(get(root + "gkmlpt/index"), root + "gkmlpt/index")
    first = FAMS["gkmlpt"].parse(get(calls[0].url), calls[0])
    assert len(first.links) == 4 and [c.page for c in first.calls] == [2, 3]  # 11 records, 4 a page


def test_lonsun_computes_pages_from_the_scripted_pager(live):
    root = live.portal("lonsun-county").root_url
    url = root + "public/column/6781961?type=4&catId=7001&action=list&pageIndex=1"
    page = get(url)
    calls = FAMS["lonsun"].calls(page, url)
    assert [c.url.rsplit("pageIndex=", 1)[1] for c in calls] == ["2", "3"]
    assert FAMS["lonsun"].calls(get(calls[0].url), calls[0].url) == []  # page 2 plans nothing


def test_jpaas_shell_asks_every_page_of_the_unit_api(live):
    root = live.portal("jpaas-county").root_url
    url = root + "col/col1229000088/index.html"
    shell = get(url)
    assert FAMS["jpaas"].matches(shell) and "<li>" not in shell
    calls = FAMS["jpaas"].calls(shell, url)
    assert len(calls) == 6 and all("parseType=bulidstatic" in c.url for c in calls)
    found = run_calls(FAMS["jpaas"], calls)
    assert _truth(live, "jpaas-county") <= found


def test_hanweb_xxgk_asks_every_year_and_unit(live):
    root = live.portal("xxgk-county").root_url
    url = root + "col/col1229000100/index.html"
    calls = FAMS["hanweb-xxgk"].calls(get(url), url)
    assert len(calls) == 3 * 5 and all("xxgkAnnualReport.jsp?fbtime=" in c.url for c in calls)
    assert _truth(live, "xxgk-county") <= run_calls(FAMS["hanweb-xxgk"], calls)


def test_no_api_family_claims_a_plain_page(live):
    page = get(live.portal("generic-county").root_url + "html/channel_37.html")
    assert not [name for name, fam in FAMS.items() if fam.matches(page)]
