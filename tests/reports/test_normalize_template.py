"""Which form a report follows, decided from its table labels, never from the year alone."""

from __future__ import annotations

from reports.normalize import normalize_text
from reports.normalize.template import from_rows, from_year, vote


def _read(text: str) -> dict:
    return normalize_text(text.replace("→", "\t"), source="inline")


def test_2021_report_with_the_2019_tables_is_2019():
    # private-set 001 龙田镇 and 045 略阳县自然资源局: report year 2021, 2019 tables
    report = _read("""龙田镇2021年政府信息公开工作年度报告
本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。
二、主动公开政府信息情况
第二十条第（一）项→→→
信息内容→本年新制作数量→本年新公开数量→对外公开总数量
规章→0→0→0
规范性文件→1→1→6
第二十条第（五）项→→→
信息内容→上一年项目数量→本年增/减→处理决定数量
行政许可→61→36→97
""")
    assert (report["template"], report["report_year"]) == ("2019", 2021)
    assert report["active"]["licensing"] == {"prev_items": 61, "change": 36, "decisions": 97}


def test_2021_tables_keeping_the_label_guifanxing_wenjian_are_2021():
    # private-set 011: 规范性文件 (the 2019 row label) in a 2021 table
    report = _read("""第二十条第(一)项→→→
信息内容→本年制发件数→本年废止件数→现行有效件数
规章→0→0→0
规范性文件→2→0→15
第二十条第(五)项→→→
信息内容→本年处理决定数量→→
行政许可→76→→
""")
    assert report["template"] == "2021"
    assert report["active"]["normative_documents"] == {"issued": 2, "repealed": 0, "in_force": 15}
    assert report["active"]["licensing"] == {"decisions": 76}


def test_without_form_only_labels_the_rows_decide():
    assert vote(["规章", "行政许可", "总计"]) is None
    assert from_rows(["rules", "other_services"]) == "2019"
    assert from_rows(["granted", "other_unpaid_fee"]) == "2021"
    assert from_rows(["granted"]) is None
    assert from_year(2022) == "2021" and from_year(2020) == "2019" and from_year(None) == "2019"


def test_split_header_cells_still_vote():
    assert vote(["信息内容", "本年新", "制作数量", "本年新", "公开数量"]) == "2019"
    assert vote(["本年制发", "件数"]) == "2021"


def test_2021_fee_written_in_yuan_is_converted_to_wan_yuan():
    report = _read("""第二十条第（八）项→→→
信息内容→本年收费金额（单位：万元）→→
行政事业性收费→380元→→
""")
    assert report["active"]["fees"] == {"amount_wan_yuan": 0.038}
    assert "amount in 元 converted to 万元: active.fees.amount_wan_yuan" in report["flags"]
