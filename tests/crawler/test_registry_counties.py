"""The county-level registry (crawler/registry/counties.csv): it loads and validates, broken
rows are refused with the line at fault, and region / level / site select the right entries.

Expected values are written from the public record (the GB/T 2260 tables), not from the
registry's own output: the 31 provinces' names, 济南市's twelve districts and counties, 山东
's 136 county-level divisions (58 districts, 26 county-level cities, 52 counties), and the
nationwide numbers of 自治县 (117), 旗 (49), 自治旗 (3), 特区 (1) and 林区 (1).
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from crawler.registry import (
    COUNTIES_FILE,
    COUNTY_COLUMNS,
    RegistryError,
    UnknownSiteError,
    load_counties,
    read_counties,
    select,
)

PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}
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


def test_at_least_2800_county_level_entries_load_and_validate():
    rows = read_counties()
    assert len(rows) >= 2800
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    for r in rows:
        assert r["province_code"] == r["code"][:2] + "0000"
        assert r["prefecture_code"] == r["code"][:4] + "00"
    sites = load_counties()
    assert len(sites) == len(rows) and all(s.level == "county" for s in sites)


def test_province_names_are_right_and_every_province_is_there():
    by_province = Counter(s.code[:2] for s in load_counties())
    assert set(by_province) == set(PROVINCES)
    for site in load_counties():
        assert site.province == PROVINCES[site.code[:2]], site


def test_kinds_match_the_national_counts():
    kinds = Counter(s.kind for s in load_counties())
    assert (kinds["自治县"], kinds["旗"], kinds["自治旗"], kinds["特区"], kinds["林区"]) == (
        117,
        49,
        3,
        1,
        1,
    )
    assert kinds["县"] > 1250 and kinds["市辖区"] > 950 and kinds["县级市"] > 380


@pytest.mark.parametrize(
    "code, name, kind, prefecture, province",
    [
        ("370112", "历城区", "市辖区", "济南市", "山东省"),
        ("110105", "朝阳区", "市辖区", "北京市", "北京市"),
        ("220104", "朝阳区", "市辖区", "长春市", "吉林省"),
        ("500229", "城口县", "县", "重庆市", "重庆市"),
        ("429021", "神农架林区", "林区", "省直辖县级行政区划", "湖北省"),
        ("140109", "万柏林区", "市辖区", "太原市", "山西省"),
        ("520203", "六枝特区", "特区", "六盘水市", "贵州省"),
        ("150722", "莫力达瓦达斡尔族自治旗", "自治旗", "呼伦贝尔市", "内蒙古自治区"),
        ("130321", "青龙满族自治县", "自治县", "秦皇岛市", "河北省"),
        ("152921", "阿拉善左旗", "旗", "阿拉善盟", "内蒙古自治区"),
        ("330383", "龙港市", "县级市", "温州市", "浙江省"),
    ],
)
def test_real_entries(code, name, kind, prefecture, province):
    (site,) = select(site=code)
    assert (site.title, site.kind, site.prefecture, site.province) == (
        name,
        kind,
        prefecture,
        province,
    )


def test_urls_are_portal_roots_and_the_empty_ones_say_why():
    sites = load_counties()
    with_url = [s for s in sites if s.start_url]
    assert len(with_url) / len(sites) > 0.95
    assert all(re.fullmatch(r"https?://[a-z0-9.-]+/", s.start_url) for s in with_url)
    hosts = Counter(s.start_url.split("/")[2] for s in with_url)
    assert hosts.most_common(1)[0][1] == 1, "two counties share a portal host"
    assert all(s.note for s in sites if not s.start_url)
    # a few checked by hand against the counties' own sites
    assert select(site="370112")[0].start_url == "http://www.licheng.gov.cn/"
    assert select(site="130722")[0].start_url == "http://www.zjkzb.gov.cn/"
    # the public list gives 天津市河东区's host to 攀枝花市东区 too: left empty, with the reason
    (dongqu,) = select(site="510402")
    assert dongqu.start_url == "" and "120102" in dongqu.note


# ----------------------------------------------------------------------------- selection


def test_region_37_selects_shandong_only():
    sites = select(region="37")
    assert len(sites) == 136
    assert {s.province for s in sites} == {"山东省"}
    assert Counter(s.kind for s in sites) == {"市辖区": 58, "县级市": 26, "县": 52}


def test_region_3701_selects_jinan_districts_and_counties():
    sites = select(region="3701")
    assert {s.title for s in sites} == JINAN and len(sites) == 12
    assert {s.prefecture for s in sites} == {"济南市"}


def test_regions_combine_and_narrow():
    both = select(region="3701,3702")
    assert {s.prefecture for s in both} == {"济南市", "青岛市"}
    assert [s.name for s in select(region="370112")] == ["370112"]
    assert {s.kind for s in select(region="37", level="县")} == {"县"}
    assert len(select(region="37", level="county")) == 136
    assert [s.name for s in select(region="3701", site="历城区,历下区,槐荫区")] == [
        "370112",
        "370102",
        "370104",
    ]
    assert select(region="3702", site="历城区") == []


@pytest.mark.parametrize("region", ["3", "370", "3701120", "sd", "37-01"])
def test_a_region_that_is_no_code_prefix_is_refused(region):
    with pytest.raises(ValueError, match="GB/T 2260 prefix"):
        select(region=region)


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="level 'city'"):
        select(level="city")


def test_site_names_resolve_by_code_name_or_prefixed_name():
    assert select(site="历城区")[0].name == "370112"
    assert select(site="长春市朝阳区")[0].name == "220104"
    assert select(site="吉林省长春市朝阳区")[0].name == "220104"
    with pytest.raises(UnknownSiteError, match=r"ambiguous.*110105.*220104"):
        select(site="朝阳区")
    with pytest.raises(UnknownSiteError, match="unknown site 'atlantis'"):
        select(site="atlantis")


def test_a_sites_file_entry_with_a_county_code_takes_its_place(tmp_path):
    extra = tmp_path / "sites.json"
    extra.write_text(
        json.dumps(
            [
                {
                    "name": "sim-licheng",
                    "code": "370112",
                    "family": "hanweb",
                    "start_url": "http://127.0.0.1:9001/",
                }
            ]
        ),
        encoding="utf-8",
    )
    sites = select(region="3701", extra=[extra])
    assert len(sites) == 12
    (sim,) = [s for s in sites if s.code == "370112"]
    assert (sim.name, sim.start_url, sim.family) == (
        "sim-licheng",
        "http://127.0.0.1:9001/",
        "hanweb",
    )


# ----------------------------------------------------------------------------- validation


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COUNTY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


GOOD = {
    "code": "370112",
    "name": "历城区",
    "kind": "市辖区",
    "province_code": "370000",
    "province": "山东省",
    "prefecture_code": "370100",
    "prefecture": "济南市",
    "url": "http://www.licheng.gov.cn/",
    "note": "",
}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"code": "37011"}, r":2: code: '37011' does not match"),
        ({"code": "370100"}, r":2: code: '370100' does not match"),
        ({"prefecture_code": "370200"}, "first 2/4 digits"),
        ({"kind": "县"}, "its name says '市辖区'"),
        ({"url": "http://www.licheng.gov.cn/col/index.html"}, "url"),
        ({"url": "ftp://www.licheng.gov.cn/"}, "url"),
        ({"url": ""}, "note"),
        ({"province": "山东"}, "province"),
    ],
)
def test_a_broken_row_is_refused_with_its_line(tmp_path, change, message):
    path = _write(tmp_path / "counties.csv", [{**GOOD, **change}])
    with pytest.raises(RegistryError, match=message):
        read_counties(path)


def test_duplicate_codes_and_conflicting_parent_names_are_refused(tmp_path):
    with pytest.raises(RegistryError, match=":3: code 370112 appears twice"):
        read_counties(_write(tmp_path / "a.csv", [GOOD, GOOD]))
    other = {**GOOD, "code": "370102", "name": "历下区", "prefecture": "济南"}
    with pytest.raises(RegistryError, match="370100 is named '济南' here and '济南市' above"):
        read_counties(_write(tmp_path / "b.csv", [GOOD, other]))


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("code,name\n370112,历城区\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="header"):
        read_counties(path)


def test_the_shipped_file_is_the_one_validated():
    assert COUNTIES_FILE.name == "counties.csv" and COUNTIES_FILE.exists()


def test_divisions_changed_since_the_2023_table_are_current():
    (milin,) = select(site="米林市")
    assert (milin.code, milin.kind, milin.prefecture) == ("540481", "县级市", "林芝市")
    assert milin.start_url == "http://www.milin.gov.cn/"  # the portal stays with the division
    assert not select(region="540422") and not select(region="540530")
    (hekang,) = select(site="和康县")
    assert hekang.code == "653228" and hekang.start_url == "" and "2024" in hekang.note


# ----------------------------------------------------------------------------- the build


def test_build_reduces_addresses_to_roots_and_drops_a_host_given_to_two_codes():
    from crawler.registry.build import build

    divisions = {
        "370000": "山东省",
        "370100": "济南市",
        "370102": "历下区",
        "370103": "市中区",
        "370112": "历城区",
        "370113": "长清区",
        "540000": "西藏自治区",
        "540400": "林芝市",
        "540422": "米林县",
    }
    urls = {
        "370102": "http://www.lixia.gov.cn/col/col1/index.html",
        "370103": "https://WWW.Same.gov.cn",
        "370112": "http://www.same.gov.cn/",
        "540422": "http://www.milin.gov.cn",
    }
    rows = {
        r["code"]: r
        for r in build(
            divisions,
            urls,
            {"370113": "the list's address is malformed"},
            [
                {
                    "code": "540481",
                    "name": "米林市",
                    "replaces": "540422",
                    "why": "米林县 became 米林市",
                }
            ],
        )
    }
    assert rows["370102"]["url"] == "http://www.lixia.gov.cn/"
    assert rows["370103"]["url"] == rows["370112"]["url"] == ""
    assert "370112" in rows["370103"]["note"] and "370103" in rows["370112"]["note"]
    assert rows["370113"]["note"] == "the list's address is malformed"
    assert "540422" not in rows and rows["540481"]["url"] == "http://www.milin.gov.cn/"
    assert rows["540481"]["kind"] == "县级市" and "540422" in rows["540481"]["note"]
