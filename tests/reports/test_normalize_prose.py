"""Free-form reports (before 2019): no tables are invented; the numbers the prose states are
read with the sentence they came from. Sentences are written after the real reports the
notes quote (docs/report-templates.md §1, §6.3: "主动公开政府信息339条", "收到12起…申请")."""

from __future__ import annotations

import pytest

from reports.normalize import normalize_html, normalize_text
from reports.normalize.checks import run_checks
from reports.normalize.prose import prose_facts

FREEFORM_2012 = """镇安县卫生局2012年政府信息公开工作年度报告
根据《中华人民共和国政府信息公开条例》（国务院令第492号）第三十二条规定，现公布2012年度我局政府信息公开工作年度报告。本报告中所列数据的统计期限自2012年1月1日起至2012年12月31日止。
一、概述
2012年，我局进一步加强对政府信息公开工作的领导。
二、主动公开政府信息情况
全年共主动公开政府信息1,286条，其中通过政府网站公开1,020条。
三、依申请公开政府信息和不予公开政府信息情况
2012年，我局共收到12起要求公开政府信息的申请，均已按期答复。
四、政府信息公开的收费及减免情况
本年度未收取任何费用。
五、因政府信息公开申请行政复议、提起行政诉讼的情况
2012年，我局因政府信息公开被申请行政复议1件，经复议维持原答复；未发生因政府信息公开提起行政诉讼的情况。
六、存在的主要问题及改进措施
一是公开内容不够全面。
"""


def test_freeform_report_facts_with_their_sentences():
    report = normalize_text(FREEFORM_2012, source="inline")
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "freeform",
        2012,
        "镇安县卫生局",
    )
    assert (
        report["active"] == {}
        and report["applications"] == {}
        and report["review_litigation"] == {}
    )
    assert report["checks"] == []
    facts = report["prose_facts"]
    assert facts["proactive_items"] == {
        "value": 1286,
        "sentence": "全年共主动公开政府信息1,286条，其中通过政府网站公开1,020条",
    }
    assert facts["applications_received"] == {
        "value": 12,
        "sentence": "2012年，我局共收到12起要求公开政府信息的申请，均已按期答复",
    }
    assert facts["fees_yuan"] == {"value": 0, "sentence": "本年度未收取任何费用"}
    assert facts["review_cases"]["value"] == 1
    assert facts["review_cases"]["sentence"].startswith(
        "2012年，我局因政府信息公开被申请行政复议1件"
    )
    assert facts["litigation_cases"] == {
        "value": 0,
        "sentence": "未发生因政府信息公开提起行政诉讼的情况",
    }


@pytest.mark.parametrize(
    ("sentence", "fact", "value"),
    [
        ("本年度共主动公开政府信息339条。", "proactive_items", 339),  # 谢塘镇 2013
        (
            "2020年，顾县镇通过网站、电子显示屏、宣传栏等形式公开政府信息172条，网络舆情事件6次。",
            "proactive_items",
            172,
        ),
        (
            "全年共收到政府信息公开申请16件，除2件结转下年办理外均已答复。",
            "applications_received",
            16,
        ),
        ("2008年5月至12月，共受理依申请公开事项3件。", "applications_received", 3),
        ("今年共收到两件政府信息公开申请。", "applications_received", 2),
        ("2020年，顾县镇未收到公开政府信息的申请。", "applications_received", 0),
        (
            "因政府信息公开被申请行政复议6件，其中维持5件，尚未审结1件；提起行政诉讼3件，均维持。",
            "review_cases",
            6,
        ),  # 023
        (
            "因政府信息公开被申请行政复议6件，其中维持5件，尚未审结1件；提起行政诉讼3件，均维持。",
            "litigation_cases",
            3,
        ),
        ("2025年有 1 件政府信息公开申请案件收取信息处理费 380 元。", "fees_yuan", 380),
        ("本年度政府信息公开信息处理费为0", "fees_yuan", 0),  # seed 002
        ("本年度没有发生因政府信息公开申请行政复议和提起行政诉讼的情况。", "review_cases", 0),
        ("本年度没有发生因政府信息公开申请行政复议和提起行政诉讼的情况。", "litigation_cases", 0),
        # Chinese numerals of any size (issue 10): hundreds, thousands with 零, ten thousands.
        ("全年共收到政府信息公开申请一百二十件，均已按期答复。", "applications_received", 120),
        ("本年度共主动公开政府信息一千零五十条。", "proactive_items", 1050),
        ("全年共主动公开政府信息三万五千二百条。", "proactive_items", 35200),
        ("今年共收到十二件政府信息公开申请。", "applications_received", 12),
        ("因政府信息公开被申请行政复议二十三件。", "review_cases", 23),
    ],
)
def test_one_sentence(sentence, fact, value):
    assert prose_facts(sentence)[fact]["value"] == value


def test_a_review_application_is_not_an_information_request():
    assert prose_facts("未收到行政复议申请。") == {
        "review_cases": {"value": 0, "sentence": "未收到行政复议申请"}
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "国务院令第492号自2008年5月1日起施行。",
        "镇级人大代表深入调查，共提出建议7条。",
        "主动公开政府信息百条。",  # 百 alone is no number
    ],
)
def test_sentences_that_state_none_of_the_facts(sentence):
    assert prose_facts(sentence) == {}


def test_prose_facts_of_an_html_report():
    html = (
        "<div><p>2013年度谢塘镇政府信息公开工作年度报告</p><p>本年度共主动公开政府信息339条。"
        "</p></div>"
    )
    assert normalize_html(html, source="inline")["prose_facts"]["proactive_items"]["value"] == 339


def test_c4_and_c8_flag_cells_that_are_not_counts():
    apps = {
        "granted": {
            "natural_person": 3,
            "commercial": -1,
            "research": 0,
            "social_org": 0,
            "legal_service": 0,
            "other": 0.5,
            "total": 2,
        }
    }
    review = {"review": {"upheld": 0, "corrected": 0, "other": 0, "pending": None, "total": 0}}
    checks = {(c["rule"], c["where"]): c for c in run_checks(apps, review, "2019")}
    assert checks[("C4", "applications.granted")]["ok"] is False
    assert checks[("C4", "applications.granted")]["detail"] == "commercial = -1; other = 0.5"
    assert checks[("C8", "review_litigation.review")]["ok"] is None
