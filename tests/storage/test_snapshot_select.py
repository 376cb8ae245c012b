"""One report per body and year: copies under several URLs collapse, the latest revision as of
the snapshot wins and the others are listed; bodies keep one name across years."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from storage import keys, open_store
from storage.catalog import Catalog
from storage.snapshot import SnapshotQuery, build_snapshot
from storage.snapshot.bodies import body_name, level_of
from storage.snapshot.crossyear import APPLICANT_COLUMNS
from storage.snapshot.query import QueryError, parse_years

T1, T2, T3 = "2021-02-01T08:00:00+00:00", "2021-03-05T08:00:00+00:00", "2021-06-01T08:00:00+00:00"
COUNTY_COPY = "http://www.yx.gov.cn/col/col1/art/2021/art_1.html"
TOWN_COPY = "http://www.yx.gov.cn/gxz/art/2021/art_2.html"
CORRECTED = "http://www.yx.gov.cn/gxz/art/2021/art_9.html"


def _report(org: str, forward: int) -> dict:
    cols = APPLICANT_COLUMNS
    return {
        "schema_version": 1,
        "source": "",
        "report_year": 2020,
        "org_name": org,
        "template": "2019",
        "title": f"{org}2020年政府信息公开工作年度报告",
        "meta": {},
        "active": {},
        "applications": {
            "carried_forward": {
                c: (forward if c in ("natural_person", "total") else 0) for c in cols
            }
        },
        "review_litigation": {},
        "checks": [{"rule": "C1", "ok": True, "where": "applications.carried_forward"}],
        "flags": [],
    }


def _capture(
    store,
    url: str,
    when: str,
    body: bytes,
    report: dict,
    published: str,
    version: str | None = None,
):
    sha = keys.sha256_hex(body)
    prefix = keys.capture_prefix(url, when, sha)
    store.put_if_absent(keys.raw_key(sha), body)
    record = {
        "url": url,
        "fetched_at": when,
        "sha256": sha,
        "raw_key": keys.raw_key(sha),
        "portal": "yx",
        "meta": {"published_date": published},
        "flags": [],
        "change": "unchanged" if version else "new",
        "version": version or prefix,
    }
    store.put(f"{prefix}/meta.json", json.dumps(record).encode())
    if version is None:
        store.put(f"{prefix}/text.txt", body)
        store.put(f"{prefix}/report.json", json.dumps(report, ensure_ascii=False).encode())
    return prefix


@pytest.fixture
def store(tmp_path):
    store = open_store(f"file://{tmp_path / 'store'}")
    page = "顾县镇人民政府2020年政府信息公开工作年度报告 …".encode()
    # One report listed by the county column and by the township's, byte for byte the same.
    _capture(store, COUNTY_COPY, T1, page, _report("顾县镇人民政府", 2), "2021-01-20")
    _capture(store, TOWN_COPY, T1, page, _report("顾县镇人民政府", 2), "2021-01-20")
    # A corrected version published later under a new URL, the body named without 人民政府.
    _capture(store, CORRECTED, T2, "更正版".encode(), _report("顾县镇", 3), "2021-03-01")
    # …and corrected once more in place.
    _capture(store, CORRECTED, T3, "再次更正".encode(), _report("顾县镇", 4), "2021-03-01")
    return store


def _snapshot(store, tmp_path, name: str, as_of: str = "") -> list[dict]:
    catalog = Catalog(tmp_path / f"{name}.sqlite")
    catalog.rebuild(store)
    build_snapshot(store, catalog, tmp_path / name, SnapshotQuery(as_of=as_of), [])
    return pq.read_table(tmp_path / name / "reports.parquet").to_pylist()


def test_copies_under_two_urls_are_one_report(store, tmp_path):
    [report] = _snapshot(store, tmp_path, "t1", as_of=T1)
    assert report["body"] == "顾县镇" and report["report_year"] == 2020
    assert {report["url"]} | {o["url"] for o in report["other_captures"]} == {
        COUNTY_COPY,
        TOWN_COPY,
    }
    assert [o["relation"] for o in report["other_captures"]] == ["copy"]


def test_the_latest_revision_wins_and_the_others_are_listed(store, tmp_path):
    [report] = _snapshot(store, tmp_path, "latest")
    assert report["url"] == CORRECTED and report["fetched_at"] == T3
    others = {(o["url"], o["fetched_at"], o["relation"]) for o in report["other_captures"]}
    assert others == {
        (COUNTY_COPY, T1, "older revision"),
        (TOWN_COPY, T1, "older revision"),
        (CORRECTED, T2, "earlier version"),
    }
    cells = pq.read_table(tmp_path / "latest" / "cells.parquet").to_pylist()
    forward = [
        c["value"] for c in cells if c["row"] == "carried_forward" and c["column"] == "total"
    ]
    assert forward == [4.0]  # the tables of the winning content


def test_as_of_between_revisions_gives_the_first_correction(store, tmp_path):
    [report] = _snapshot(store, tmp_path, "t2", as_of=T2)
    assert report["url"] == CORRECTED and report["fetched_at"] == T2
    assert {o["relation"] for o in report["other_captures"]} == {"older revision"}


def test_an_unchanged_recapture_reads_the_version_it_repeats(store, tmp_path):
    page = "再次更正".encode()
    version = keys.capture_prefix(CORRECTED, T3, keys.sha256_hex(page))
    later = "2021-09-01T08:00:00+00:00"
    _capture(store, CORRECTED, later, page, {}, "2021-03-01", version=version)
    [report] = _snapshot(store, tmp_path, "recapture")
    assert report["fetched_at"] == later and report["text_file"]
    assert (tmp_path / "recapture" / report["text_file"]).read_bytes() == page


def test_a_snapshot_never_writes_over_another(store, tmp_path):
    _snapshot(store, tmp_path, "once")
    with pytest.raises(FileExistsError, match="not empty"):
        _snapshot(store, tmp_path, "once")


@pytest.mark.parametrize(
    "org, body, level",
    [
        ("顾县镇人民政府", "顾县镇", "township"),
        ("顾县镇", "顾县镇", "township"),
        ("云溪县人民政府", "云溪县", "county"),
        ("云溪县人民政府办公室", "云溪县人民政府办公室", "department"),
        ("桐桥县卫生健康局", "桐桥县卫生健康局", "department"),
        ("城关街道办事处", "城关街道办事处", "township"),
        ("和平街道 ", "和平街道", "township"),
        ("锡林浩特市人民政府", "锡林浩特市", "county"),
        ("阿巴嘎旗人民政府", "阿巴嘎旗", "county"),
        ("宝格达山苏木", "宝格达山苏木", "township"),
        ("县人民政府", "县人民政府", "department"),  # no place name left: not guessed
        ("海淀区发展和改革委员会", "海淀区发展和改革委员会", "department"),
    ],
)
def test_a_body_keeps_one_name_across_years(org, body, level):
    assert body_name(org) == body
    assert level_of(body_name(org)) == level


@pytest.mark.parametrize(
    "spec, years",
    [
        ("2019-2023", (2019, 2020, 2021, 2022, 2023)),
        ("2021", (2021,)),
        ("2019,2021", (2019, 2021)),
        ("2019-2020，2023", (2019, 2020, 2023)),
    ],
)
def test_years(spec, years):
    assert parse_years(spec) == years


@pytest.mark.parametrize("spec", ["2023-2019", "19-23", "2021年", ""])
def test_years_that_cannot_be_read_name_the_option(spec):
    with pytest.raises(QueryError, match="--years"):
        parse_years(spec)


def test_an_unknown_level_names_the_choices():
    with pytest.raises(QueryError, match="county, township, department"):
        SnapshotQuery(level="village")
