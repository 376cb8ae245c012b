"""Rules C1–C7 on a tab-separated report whose table 三 has one row error and one column error."""

from __future__ import annotations

from reports.normalize import normalize_text
from reports.normalize.checks import run_checks

# A 2019-format table 三 as extract renders it (one TAB between cells). Hand-made numbers:
# carried_forward.natural_person is 2 where 1 would balance, and its row total (1) was not
# updated, so C1 fails on that row and C2 fails on the natural_person column only.
REPORT = """白沙镇2020年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t总计
\t\t自然人\t法人或其他组织\t\t\t\t\t
\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t
一、本年新收政府信息公开申请数量\t\t5\t1\t0\t0\t0\t0\t6
二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0
三、本年度办理结果\t(一) 予以公开\t3\t1\t0\t0\t0\t0\t4
\t(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t1\t0\t0\t0\t0\t0\t1
\t(三) 不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0
\t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
\t\t4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0
\t\t5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
\t\t6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
\t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0
\t(四) 无法提供\t1.本机关不掌握相关政府信息\t0\t0\t0\t0\t0\t0\t0
\t\t2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0
\t\t3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
\t(五) 不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0
\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0
\t\t3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
\t\t4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
\t\t5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
\t\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0
\t\t(七) 总计\t4\t1\t0\t0\t0\t0\t5
四、结转下年度继续办理\t\t2\t0\t0\t0\t0\t0\t1

四、政府信息公开行政复议、行政诉讼情况
行政复议\t\t\t\t\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
0\t0\t0\t1\t1\t1\t0\t0\t0\t1\t0\t0\t0\t0\t0
"""


def test_one_row_error_and_one_column_error_fail_exactly_c1_and_c2():
    report = normalize_text(REPORT, source="inline")
    assert report["applications"]["carried_forward"]["natural_person"] == 2
    failing = [(c["rule"], c["where"]) for c in report["checks"] if c["ok"] is False]
    assert sorted(failing) == [
        ("C1", "applications.carried_forward"),
        ("C2", "applications.*.natural_person"),
    ]
    c2 = next(c for c in report["checks"] if c["ok"] is False and c["rule"] == "C2")
    assert c2["detail"] == "new_received + carried_over = 5, total_handled + carried_forward = 6"
    assert all(c["ok"] is True for c in report["checks"] if (c["rule"], c["where"]) not in failing)
    assert [c["where"] for c in report["checks"] if c["rule"] in ("C5", "C6", "C7")] == [
        "review_litigation.review",
        "review_litigation.suit_direct",
        "review_litigation.suit_after_review",
    ]


def test_null_cells_are_not_evaluable_never_passed():
    apps = {
        "new_received": {
            "natural_person": None,
            "commercial": 0,
            "research": 0,
            "social_org": 0,
            "legal_service": 0,
            "other": 0,
            "total": 0,
        }
    }
    checks = run_checks(apps, {}, "2019")
    c1 = next(c for c in checks if c["rule"] == "C1")
    assert c1["ok"] is None and "new_received.natural_person" in c1["detail"]
    assert all(c["ok"] is None for c in checks)  # C2/C3 need rows that are absent


def test_review_groups_checked_separately():
    review = {
        "review": {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2},
        "suit_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 2, "total": 1},
        "suit_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": None},
    }
    checks = {c["rule"]: c for c in run_checks({}, review, "2021")}
    assert checks["C5"]["ok"] is True
    assert checks["C6"]["ok"] is False and checks["C6"]["detail"] == "total = 1, sum of results = 2"
    assert checks["C7"]["ok"] is None


def test_pdf_text_with_broken_table_4_header_is_read_in_official_order():
    text = """四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
结果 结果 其他 尚未 总
维持 纠正 结果 审结 计
未经复议直接起诉 复议后起诉
2\t0\t0\t1\t3\t0\t0\t0\t0\t0\t1\t0\t0\t0\t1
"""
    report = normalize_text(text, source="inline")
    assert report["review_litigation"]["review"] == {
        "upheld": 2,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 3,
    }
    assert report["review_litigation"]["suit_after_review"]["total"] == 1
    assert "table 四 header not recognised; official column order assumed" in report["flags"]


def test_text_table_with_total_column_first_is_detected_by_its_sums():
    # 073-style: the header lists 总计 before 自然人; the tab dump cannot show that order
    text = """(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况
\t\t总计\t自然人\t法人或其他组织
\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他
一、本年新收政府信息公开申请数量\t\t9\t7\t2\t0\t0\t0\t0
二、上年结转政府信息公开申请数量\t\t1\t1\t0\t0\t0\t0\t0
"""
    report = normalize_text(text, source="inline")
    assert report["applications"]["new_received"] == {
        "natural_person": 7,
        "commercial": 2,
        "research": 0,
        "social_org": 0,
        "legal_service": 0,
        "other": 0,
        "total": 9,
    }
    assert any("总计 read as the first column" in f for f in report["flags"])


def test_a_printed_value_against_a_blank_total_fails_in_text_rows_too():
    # Blank = 0 with a flag (docs/report-schema.md): a pipe row printing 18 under 自然人 and nothing
    # under 总计 does not add up, and must say so rather than be not evaluable.
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | "
        "总计 |\n"
        "| 一、本年新收政府信息公开申请数量 | 18 | 0 | 0 | 0 | 0 | 0 | |\n"
        "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        "| (一)予以公开 | 18 | 0 | 0 | 0 | 0 | 0 | |\n"
        "| (七)总计 | 18 | 0 | 0 | 0 | 0 | 0 | 18 |\n"
        "| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    )
    report = normalize_text(text, source="inline")
    assert report["applications"]["new_received"]["total"] == 0
    assert "blank cell read as 0: applications.new_received.total" in report["flags"]
    failed = {(c["rule"], c["where"]) for c in report["checks"] if c["ok"] is False}
    assert {
        ("C1", "applications.new_received"),
        ("C1", "applications.granted"),
        ("C2", "applications.*.total"),
    } <= failed
