"""HTML reports: Word-pasted tables with rowspan/colspan, reordered columns, missing rows,
arithmetic errors. Fixtures are in tests/fixtures/normalize/; expected values are typed
from the fixture tables by hand."""

from __future__ import annotations

from reports.normalize import normalize_html
from tests.conftest import FIXTURE_ROOT

FIXTURES = FIXTURE_ROOT / "normalize"
COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other",
    "total",
]


def _row(*values):
    return dict(zip(COLUMNS, values, strict=True))


def _load(name: str, **kwargs) -> dict:
    path = FIXTURES / name
    return normalize_html(path.read_text(encoding="utf-8"), source=str(path), **kwargs)


def _failing(report: dict) -> set[tuple[str, str]]:
    return {(c["rule"], c["where"]) for c in report["checks"] if c["ok"] is False}


def test_2019_word_tables_all_values():
    report = _load("word_2019_sifaju.html")
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2019",
        2020,
        "东川县司法局",
    )
    assert report["active"] == {
        "rules": {"new_made": 0, "new_published": 0, "total_published": 0},
        "normative_documents": {"new_made": 2, "new_published": 2, "total_published": 15},
        "licensing": {"prev_items": 12, "change": 1, "decisions": 340},
        "other_services": {"prev_items": 5, "change": 0, "decisions": 27},
        "penalty": {"prev_items": 30, "change": -2, "decisions": 118},
        "coercion": {"prev_items": 3, "change": 0, "decisions": 9},
        "fees": {"prev_items": 4, "change": -1},
        "procurement": {"projects": 6, "amount": 128.5, "amount_unit": "万元"},
    }
    apps = report["applications"]
    assert len(apps) == 23
    assert apps["new_received"] == _row(20, 3, 0, 1, 0, 0, 24)
    assert apps["carried_over"] == _row(2, 0, 0, 0, 0, 0, 2)
    assert apps["granted"] == _row(10, 2, 0, 1, 0, 0, 13)  # research blank, legal_service "/"
    assert apps["partially_granted"] == _row(3, 0, 0, 0, 0, 0, 3)
    assert apps["denied_third_party"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["unable_not_held"] == _row(4, 1, 0, 0, 0, 0, 5)
    assert apps["rejected_duplicate"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["other_handling"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert apps["total_handled"] == _row(19, 3, 0, 1, 0, 0, 23)
    assert apps["carried_forward"] == _row(3, 0, 0, 0, 0, 0, 3)
    assert report["review_litigation"] == {
        "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
        "suit_direct": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1},
        "suit_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    }
    assert report["flags"] == [
        "blank cell read as 0: applications.granted.research",
        "blank cell read as 0: applications.granted.legal_service",
    ]
    assert all(c["ok"] is True for c in report["checks"])
    assert (
        len(report["checks"]) == 23 + 7 + 7 + 3 + 23 + 3
    )  # C1, C2, C3, C5-C7, then C4 per row, C8 per group


def test_2021_total_column_first_and_missing_row():
    report = _load(
        "word_2021_total_first.html",
        title="城关街道办事处2022年政府信息公开工作年度报告",
        meta={"publisher": "城关街道办事处"},
    )
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2021",
        2022,
        "城关街道办事处",
    )
    assert report["meta"] == {"publisher": "城关街道办事处"}
    assert report["active"] == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 3, "repealed": 1, "in_force": 12},
        "licensing": {"decisions": 1205},
        "penalty": {"decisions": 87},
        "coercion": {"decisions": 2},
        "fees": {"amount_wan_yuan": 26.55},
    }
    apps = report["applications"]
    # the page lists 总计 before 自然人; values land by header, not by position
    assert apps["new_received"] == _row(35, 4, 0, 0, 1, 0, 40)
    assert apps["granted"] == _row(15, 2, 0, 0, 0, 0, 17)
    assert apps["other_no_correction"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["other_misc"] == _row(0, 0, 0, 0, 1, 0, 1)
    assert apps["total_handled"] == _row(34, 3, 0, 0, 1, 0, 38)
    assert apps["carried_forward"] == _row(2, 1, 0, 0, 0, 0, 3)
    assert "rejected_confirmation" not in apps
    assert "row missing: applications.rejected_confirmation" in report["flags"]
    assert report["review_litigation"]["suit_direct"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 2,
    }
    assert _failing(report) == set()
    c3 = [c for c in report["checks"] if c["rule"] == "C3"]
    assert len(c3) == 7
    assert all(c["ok"] is None and "rejected_confirmation" in c["detail"] for c in c3)
    assert all(c["ok"] is True for c in report["checks"] if c["rule"] != "C3")


def test_2021_arithmetic_errors_fail_exactly_the_affected_checks():
    report = _load("word_2021_arith_error.html")
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2021",
        2021,
        "清溪乡人民政府",
    )
    assert report["active"]["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 4}
    assert report["applications"]["granted"] == _row(3, 1, 0, 0, 0, 0, 5)
    assert _failing(report) == {
        ("C1", "applications.granted"),  # 3 + 1 = 4, total says 5
        ("C3", "applications.*.total"),  # results add up to 8, 总计 says 7
        ("C5", "review_litigation.review"),  # 1 + 1 = 2, total says 3
    }
    details = {c["where"]: c["detail"] for c in report["checks"] if c["ok"] is False}
    assert "5" in details["applications.granted"] and "4" in details["applications.granted"]
    assert all(c["ok"] is not None for c in report["checks"])


def test_html_without_tables_falls_back_to_text():
    html = """<div><p>平安镇2020年政府信息公开工作年度报告</p>
    <p>第二十条第(九)项</p><p>信息内容\t采购项目数量\t采购总金额(元)</p><p>政府集中采购\t2\t79000.1</p>
    <p>三、收到和处理政府信息公开申请情况</p>
    <p>一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1</p></div>"""
    report = normalize_html(html, source="inline")
    assert report["flags"][0] == "no usable <table>; read as text"
    assert report["report_year"] == 2020 and report["org_name"] == "平安镇"
    assert report["active"]["procurement"] == {
        "projects": 2,
        "amount": 79000.1,
        "amount_unit": "元",
    }
    assert report["applications"]["new_received"] == _row(1, 0, 0, 0, 0, 0, 1)


def test_freeform_report_has_no_tables():
    html = (
        "<div><p>2013年度谢塘镇政府信息公开工作年度报告</p><p>本年度共主动公开政府信息339条。"
        "</p></div>"
    )
    report = normalize_html(html, source="inline")
    assert report["template"] == "freeform"
    assert (report["report_year"], report["org_name"]) == (2013, "谢塘镇")
    assert (
        report["active"] == {}
        and report["applications"] == {}
        and report["review_litigation"] == {}
    )
    assert report["checks"] == []
