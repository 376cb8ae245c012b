"""Every text shape of docs/report-templates.md §6.1, each from a hand-written snippet.

The snippets imitate the real dumps the notes describe (TAB rows with merged-cell residue,
one cell per line with and without blank lines, pipe rows, pipe cell-per-line, PDF text);
the expected values are typed from the snippets by hand.
"""

from __future__ import annotations

from reports.normalize import normalize_text

COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other",
    "total",
]
LEAVES = ["upheld", "corrected", "other", "pending", "total"]


def _row(*values):
    return dict(zip(COLUMNS, values, strict=True))


def _review(*values):
    return {
        g: dict(zip(LEAVES, values[i * 5 : (i + 1) * 5], strict=True))
        for i, g in enumerate(["review", "suit_direct", "suit_after_review"])
    }


def _read(text: str) -> dict:
    return normalize_text(text.replace("→", "\t"), source="inline")


def test_tab_rows_with_residue_and_misnested_2021_other_rows():
    # seed 002 shape: leading/trailing empty cells; "3. 其他" and "(七) 总计" start at column 0
    report = _read("""三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)→→申请人情况→→→→→→总计→
→→自然人→法人或其他组织→→→→→→
→→→商业企业→科研机构→社会公益组织→法律服务机构→其他→→
一、本年新收政府信息公开申请数量→→14→3→0→0→1→0→18→
二、上年结转政府信息公开申请数量→→2→0→0→0→0→0→2→
三、本年度办理结果→(一) 予以公开→8→2→0→0→0→0→10→
→(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)→1→0→0→0→1→0→2→
→(六) 其他处理→1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请→1→0→0→0→0→0→1
→→2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请→0→0→0→0→0→0→0
3. 其他→→0→1→0→0→0→0→1→
(七) 总计→→13→3→0→0→1→0→17→
四、结转下年度继续办理→→3→0→0→0→0→0→3→
""")
    apps = report["applications"]
    assert report["template"] == "2021"
    assert apps["new_received"] == _row(14, 3, 0, 0, 1, 0, 18)
    assert apps["partially_granted"] == _row(1, 0, 0, 0, 1, 0, 2)
    assert apps["other_no_correction"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["other_misc"] == _row(0, 1, 0, 0, 0, 0, 1)
    assert apps["total_handled"] == _row(13, 3, 0, 0, 1, 0, 17)
    assert apps["carried_forward"] == _row(3, 0, 0, 0, 0, 0, 3)
    assert "other_handling" not in apps


def test_one_cell_per_line_with_blank_lines_between_cells():
    # private-set 001/049/066 shape: every cell a paragraph, an empty line after each
    report = _read("""二、主动公开政府信息情况

第二十条第（一）项

信息内容

本年制发件数

本年废止件数

现行有效件数

规章

0

0

0

行政规范性文件

4

1

27

第二十条第（五）项

信息内容

本年处理决定数量

行政许可

312

第二十条第（八）项

信息内容

本年收费金额（单位：万元）

行政事业性收费

4.6
""")
    assert report["template"] == "2021"
    assert report["active"] == {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {"issued": 4, "repealed": 1, "in_force": 27},
        "licensing": {"decisions": 312},
        "fees": {"amount_wan_yuan": 4.6},
    }


def test_one_cell_per_line_without_blank_lines_and_deep_indentation():
    # private-set 003 (no blank lines) and 035 (trailing spaces, deep indentation)
    report = _read("""四、政府信息公开行政复议、行政诉讼情况
行政复议
行政诉讼
结果维持
结果纠正
其他结果
尚未审结
总计
未经复议直接起诉
复议后起诉
结果维持
结果纠正
其他结果
尚未审结
总计
结果维持
结果纠正
其他结果
尚未审结
总计
                             2 
                             0 
                             0 
                             1 
                             3 
                             0 
                             1 
                             0 
                             0 
                             1 
                             0 
                             0 
                             0 
                             0 
                             0 
五、存在的主要问题及改进情况
""")
    assert report["review_litigation"] == _review(2, 0, 0, 1, 3, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0)
    assert not any("header" in f for f in report["flags"])


def test_tab_prefixed_cells_with_a_blank_value_as_a_lone_tab_line():
    # seeds 001/003 shape; the commercial..other cells of this row were left empty
    report = _read("""→一、本年新收政府信息公开申请数量
→6
→
→
→
→
→
→6

→二、上年结转政府信息公开申请数量
→0
→0
→0
→0
→0
→0
→0

""")
    assert report["applications"]["new_received"] == _row(6, 0, 0, 0, 0, 0, 6)
    assert report["applications"]["carried_over"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert "blank cell read as 0: applications.new_received.commercial" in report["flags"]
    assert not any("carried_over" in f for f in report["flags"])


def test_pipe_rows_with_residue_and_leading_pipe():
    # 007/009/017/059 shape: "a | b | c |", merged-cell residue "| ||||", rows starting with "| "
    report = _read("""第二十条第(五)项 | ||||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 8249 | -1942 | 6307 |
其他对外管理服务事项 | 12 | +3 | 40 |
三、收到和处理政府信息公开申请情况
| (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | ||||||
| 一、本年新收政府信息公开申请数量 | 25 | 2 | 0 | 1 | 0 | 0 | 28 |
| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
| 三、本年度办理结果 | (一)予以公开 | 15 | 1 | 0 | 1 | 0 | 0 | 17 |
""")
    assert report["active"]["licensing"] == {"prev_items": 8249, "change": -1942, "decisions": 6307}
    assert report["active"]["other_services"] == {"prev_items": 12, "change": 3, "decisions": 40}
    apps = report["applications"]
    assert apps["new_received"] == _row(25, 2, 0, 1, 0, 0, 28)
    assert apps["carried_over"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["granted"] == _row(15, 1, 0, 1, 0, 0, 17)


def test_pipe_rows_with_empty_cells_map_by_column_count():
    # 076: "3 | 3" with the five 法人 columns empty; 004/020: only 总计 filled
    report = _read("""| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 三、本年度办理结果 | (一)予以公开 | 3 | | | | | | 3 |
| (二)部分公开(区分处理的,只计这一情形,不计其他情形) | | | | | | | 0 |
""")
    apps = report["applications"]
    assert apps["granted"] == _row(3, 0, 0, 0, 0, 0, 3)
    assert apps["partially_granted"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert "blank cell read as 0: applications.granted.commercial" in report["flags"]
    assert "blank cell read as 0: applications.partially_granted.natural_person" in report["flags"]


def test_pipe_cell_per_line_with_separator_lines():
    # 011/018/045 shape: every cell on its own line ending " |", separators "||||" and "|"
    report = _read("""第二十条第(一)项 |
||||
信息内容 |
本年新制作数量 |
本年新公开数量 |
对外公开总数量 |
规章 |
0 |
0 |
0 |
|
规范性文件 |
2 |
2 |
19 | ||
第二十条第(九)项 |
||||
信息内容 |
采购项目数量 |
采购总金额 |
政府集中采购 |
3 |
20.001万元 |
""")
    assert report["active"]["rules"] == {"new_made": 0, "new_published": 0, "total_published": 0}
    assert report["active"]["normative_documents"] == {
        "new_made": 2,
        "new_published": 2,
        "total_published": 19,
    }
    assert report["active"]["procurement"] == {
        "projects": 3,
        "amount": 20.001,
        "amount_unit": "万元",
    }


def test_pdf_text_broken_headers_wrapped_labels_and_page_markers():
    # 016/075 shape: PDF text, numbers separated by spaces, header words over lines, a label
    # wrapped around its numbers, the page break between two rows of table 三
    report = _read("""三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一 申请人情况
项加第二项之和，等于第三项 法人或其他组织
加第四项之和） 自然人 商业 科研 社会公 法律服 其他 总计
企业 机构 益组织 务机构
一、本年新收政府信息公开申请数量 12 2 0 0 1 0 15
二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1
（一）予以公开 6 1 0 0 0 0 7
（二）部分公开（区分处理的，只计
三、本年度办理 这一情形，不计其他情形） 2 0 0 0 0 0 2
结果
Page 8 - 某某县人民政府2020年政府信息公开工作年度报告
P. 8
（三）不予公开 1.属于国家秘密 0 0 0 0 0 0 0
4.保护第三方合法 1 0 0 0 0 0 1
权益
（四）无法提供 1.本机关不掌握相关 3 1 0 0 1 0 5
政府信息
四、结转下年度继续办理 0 0 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结 结 其 尚 总
果 果 他 未 计
维 纠 结 审
持 正 果 结
未经复议直接起诉 复议后起诉
1 0 0 0 1 0 0 0 1 1 0 0 0 0 0
五、存在的主要问题及改进情况
""")
    apps = report["applications"]
    assert apps["new_received"] == _row(12, 2, 0, 0, 1, 0, 15)
    assert apps["carried_over"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["granted"] == _row(6, 1, 0, 0, 0, 0, 7)
    assert apps["partially_granted"] == _row(2, 0, 0, 0, 0, 0, 2)
    assert apps["denied_state_secret"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert apps["denied_third_party"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["unable_not_held"] == _row(3, 1, 0, 0, 1, 0, 5)
    assert apps["carried_forward"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert report["review_litigation"] == _review(1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0)


def test_pdf_2019_active_table_with_headers_split_over_lines():
    report = _read("""二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年新 本年新 对外公开
制作数量 公开数量 总数量
规章 0 0 0
规范性文件 3 3 41
第二十条第（五）项
信息内容 上一年 本年增/减 处理决定
项目数量 数量
行政许可 54 +2 1203
""")
    assert report["template"] == "2019"
    assert report["active"]["normative_documents"] == {
        "new_made": 3,
        "new_published": 3,
        "total_published": 41,
    }
    assert report["active"]["licensing"] == {"prev_items": 54, "change": 2, "decisions": 1203}


def test_numbers_on_their_own_lines_in_prose_are_not_cells():
    # 070: PDF→HTML puts numbers on their own lines inside prose ("国务院令第\n492\n号")
    report = _read("""一、总体情况
根据《中华人民共和国政府信息公开条例》（国务院令第
492
号）要求，全年主动公开信息
1200
条。
二、主动公开政府信息情况
""")
    assert report["active"] == {} and report["applications"] == {}
    assert report["template"] == "freeform"


def test_short_row_is_left_null_never_shifted_and_a_cut_last_row_keeps_its_cells():
    # 066: a table-三 row with 5 values of 7; 052: the last row cut at 6
    report = _read("""一、本年新收政府信息公开申请数量→4→0→0→0→0→0→4
二、上年结转政府信息公开申请数量→0→0→0→0→0
四、结转下年度继续办理→1→0→0→0→0→0
""")
    apps = report["applications"]
    assert apps["new_received"] == _row(4, 0, 0, 0, 0, 0, 4)
    assert apps["carried_over"] == dict.fromkeys(COLUMNS, None)
    assert "row has 5 values, expected 7; left null: applications.carried_over" in report["flags"]
    # The text ends inside the last row: its six printed cells keep their places; its total
    # is what the six add up to (C1), and says so.
    assert apps["carried_forward"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert (
        "row has 6 of 7 cells; printed cells kept in their places: applications.carried_forward"
        in report["flags"]
    )
    assert (
        "derived from the report's own sums (C1): applications.carried_forward.total = 1"
        in report["flags"]
    )


def test_provincial_extra_rows_are_not_read_as_table_rows():
    # 湖北 2020 (054) adds 其他主动公开文件 under (一); 吉林 2020 (seed 003) appends a total
    report = _read("""第二十条第(一)项→→→
信息内容→本年新制作数量→本年新公开数量→对外公开总数量
规章→0→0→0
规范性文件→5→5→33
其他主动公开文件→120→120→980
第二十条第(九)项→→→
信息内容→采购项目数量→采购总金额（元）→
政府集中采购→2→79000.1→
2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：→1536
三、收到和处理政府信息公开申请情况
""")
    assert report["active"] == {
        "rules": {"new_made": 0, "new_published": 0, "total_published": 0},
        "normative_documents": {"new_made": 5, "new_published": 5, "total_published": 33},
        "procurement": {"projects": 2, "amount": 79000.1, "amount_unit": "元"},
    }


def test_header_cell_qita_never_takes_a_row_whose_label_was_lost():
    # cell-per-line dump whose "一、本年新收…" line is missing: its values follow the header's
    # last cell "其他", which is also the 2021 row label 3.其他 — they must not become that row
    report = _read("""→（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
→申请人情况
→自然人
→法人或其他组织
→总计
→商业企业
→科研机构
→社会公益组织
→法律服务机构
→其他
→
→2
→0
→0
→0
→0
→0
→2
→二、上年结转政府信息公开申请数量
→0
→0
→0
→0
→0
→0
→0
→3.其他
→0
→0
→0
→0
→0
→1
→1
""")
    apps = report["applications"]
    assert "new_received" not in apps
    assert apps["other_misc"] == _row(0, 0, 0, 0, 0, 1, 1)
    assert apps["carried_over"] == _row(0, 0, 0, 0, 0, 0, 0)


def test_total_first_header_between_the_heading_and_the_rows_counts_without_the_note():
    # 073 without its note line: rows where only 其他 is filled add up in either order, so only
    # the header line (总计 before 自然人) can say which column is which
    report = _read("""三、收到和处理政府信息公开申请情况
→→总计→自然人→法人或其他组织
→→→→商业企业→科研机构→社会公益组织→法律服务机构→其他
一、本年新收政府信息公开申请数量→→1→0→0→0→0→0→1
二、上年结转政府信息公开申请数量→→0→0→0→0→0→0→0
""")
    assert report["applications"]["new_received"] == _row(0, 0, 0, 0, 0, 1, 1)
    assert (
        "applications: 总计 read as the first column (the header lists it first)" in report["flags"]
    )


def test_residue_cell_is_not_read_as_a_blank_value_by_another_rows_layout():
    # seed 000 shape: the (一) row has a residue cell after its label and six values; only rows
    # with the label in the first cell are complete, so nothing says where its columns are
    report = _read("""一、本年新收政府信息公开申请数量→5→1→0→0→0→0→6
二、上年结转政府信息公开申请数量→0→0→0→0→0→0→0
三、本年度办理结果→(一) 予以公开→→4→1→0→0→0→5
""")
    assert report["applications"]["new_received"] == _row(5, 1, 0, 0, 0, 0, 6)
    assert report["applications"]["granted"] == dict.fromkeys(COLUMNS, None)
    assert "row has 6 values, expected 7; left null: applications.granted" in report["flags"]
