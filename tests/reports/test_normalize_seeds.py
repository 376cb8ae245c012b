"""The five seed reports (real texts): identity, template and every table value.

Expected values are read off the seed files by hand (view them with `sed 's/\t/→/g'`).
"""

from __future__ import annotations

import pytest

from reports.normalize import normalize_text
from tests.conftest import SEED_DIR

SEEDS = SEED_DIR

ROWS_2019 = [
    "new_received",
    "carried_over",
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
    "unable_not_held",
    "unable_needs_creation",
    "unable_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
    "other_handling",
    "total_handled",
    "carried_forward",
]
ROWS_2021 = [r for r in ROWS_2019 if r != "other_handling"]
ROWS_2021[ROWS_2021.index("total_handled") : ROWS_2021.index("total_handled")] = [
    "other_no_correction",
    "other_unpaid_fee",
    "other_misc",
]
COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other",
    "total",
]
ZERO_REVIEW = {
    g: dict.fromkeys(["upheld", "corrected", "other", "pending", "total"], 0)
    for g in ("review", "suit_direct", "suit_after_review")
}
ZERO_ACTIVE_2019 = {
    "rules": {"new_made": 0, "new_published": 0, "total_published": 0},
    "normative_documents": {"new_made": 0, "new_published": 0, "total_published": 0},
    "licensing": {"prev_items": 0, "change": 0, "decisions": 0},
    "other_services": {"prev_items": 0, "change": 0, "decisions": 0},
    "penalty": {"prev_items": 0, "change": 0, "decisions": 0},
    "coercion": {"prev_items": 0, "change": 0, "decisions": 0},
    "fees": {"prev_items": 0, "change": 0},
    "procurement": {"projects": 0, "amount": 0, "amount_unit": None},
}


def _seed(prefix: str) -> dict:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return normalize_text(path.read_text(encoding="utf-8"), source=str(path))


def _all_zero(applications: dict, rows: list[str], except_rows: tuple[str, ...] = ()) -> None:
    assert sorted(applications) == sorted(rows)
    for row in rows:
        if row in except_rows:
            continue
        assert applications[row] == dict.fromkeys(COLUMNS, 0), row


def test_seed_000_guxianzhen_short_rows_derived_from_the_tables_totals():
    report = _seed("000")
    assert report["schema_version"] == 1
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2019",
        2020,
        "顾县镇人民政府",
    )
    expected_active = {
        **ZERO_ACTIVE_2019,
        "procurement": {"projects": 0, "amount": 0, "amount_unit": "万元"},
    }
    assert report["active"] == expected_active
    # Three rows print 5 values (all 0) for 7 columns: their places are unknown, but the 总计
    # row (七) is 0 in every column, so every result cell is 0 (issue 10, derived cells).
    short = ("granted", "partially_granted", "denied_state_secret")
    _all_zero(report["applications"], ROWS_2019)
    for row in short:
        assert f"row has 5 values, expected 7; left null: applications.{row}" in report["flags"]
        for column in COLUMNS:
            assert (
                f"derived from the report's own sums (C3): applications.{row}.{column} = 0"
                in report["flags"]
            )
    derived = [f for f in report["flags"] if f.startswith("derived")]
    assert len(derived) == 21  # nothing but the three rows
    # "4.无正当理由由大量反复申请" (typo) is still the rejected_excessive row
    assert report["applications"]["rejected_excessive"]["total"] == 0
    assert report["review_litigation"] == ZERO_REVIEW
    assert report["checks"] and all(c["ok"] is True for c in report["checks"])


def test_seed_001_zhangjiapo_cell_per_line_and_benDanwei():
    report = _seed("001")
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2019",
        2020,
        "张家坡镇",
    )
    assert report["active"] == ZERO_ACTIVE_2019
    _all_zero(report["applications"], ROWS_2019)
    assert "unable_not_held" in report["applications"]  # labelled "1．本单位不掌握相关政府信息"
    assert report["review_litigation"] == ZERO_REVIEW
    assert report["flags"] == []
    assert report["checks"] and all(c["ok"] is True for c in report["checks"])


def test_seed_002_pingchangguan_2021_misnested_rows():
    report = _seed("002")
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2021",
        2023,
        "平昌关镇",
    )
    assert report["active"] == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
        "licensing": {"decisions": 0},
        "penalty": {"decisions": 0},
        "coercion": {"decisions": 0},
        "fees": {"amount_wan_yuan": 0},
    }
    _all_zero(report["applications"], ROWS_2021)
    for row in ("other_no_correction", "other_unpaid_fee", "other_misc", "total_handled"):
        assert report["applications"][row] == dict.fromkeys(COLUMNS, 0)
    assert "other_handling" not in report["applications"]
    assert report["review_litigation"] == ZERO_REVIEW
    assert all(c["ok"] is True for c in report["checks"])


def test_seed_003_luxiangzhen_nonzero_item_counts_and_extra_jilin_row():
    report = _seed("003")
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2019",
        2020,
        "鹿乡镇",
    )
    active = report["active"]
    assert active["licensing"] == {"prev_items": 2, "change": 0, "decisions": 0}
    assert active["other_services"] == {"prev_items": 1, "change": 0, "decisions": 0}
    assert active["penalty"] == {"prev_items": 109, "change": 0, "decisions": 0}
    rest = {k: v for k, v in active.items() if k not in ("licensing", "other_services", "penalty")}
    assert rest == {k: v for k, v in ZERO_ACTIVE_2019.items() if k in rest}
    assert set(active) == set(ZERO_ACTIVE_2019)
    _all_zero(report["applications"], ROWS_2019)
    assert report["review_litigation"] == ZERO_REVIEW


def test_seed_004_huajia_pipe_dump_and_lost_group_label():
    report = _seed("004")
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2019",
        2020,
        "花戛乡人民政府",
    )
    assert report["active"]["procurement"] == {"projects": 4, "amount": 790000, "amount_unit": None}
    assert report["active"]["rules"] == {"new_made": 0, "new_published": 0, "total_published": 0}
    _all_zero(report["applications"], ROWS_2019)  # rows under "(五)·" included
    for row in ("rejected_petition", "rejected_duplicate", "rejected_confirmation"):
        assert report["applications"][row]["total"] == 0
    assert report["review_litigation"] == ZERO_REVIEW


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_has_one_check_per_row_and_column(prefix):
    report = _seed(prefix)
    rows = len(report["applications"])
    rules = [c["rule"] for c in report["checks"]]
    assert rules.count("C1") == rows
    assert rules.count("C2") == rules.count("C3") == 7
    assert [r for r in rules if r in ("C5", "C6", "C7")] == ["C5", "C6", "C7"]
