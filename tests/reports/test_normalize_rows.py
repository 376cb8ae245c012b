"""Rows read by their places, and cells the report's own sums determine (issue 10).

Each snippet keeps the layout of a real text the issue or the notes quote (docs/report-templates.md
§6.1, §6.3); the expected values are read off the snippets by hand.
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


def _row(*values):
    return dict(zip(COLUMNS, values, strict=True))


def _read(text: str) -> dict:
    return normalize_text(text.replace("→", "\t"), source="inline")


ACTIVE_PIPE = """二、主动公开政府信息情况
第二十条第(一)项 | ||||
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章 | 0 | 0 | 0 |
规范性文件 | 11 | ||
第二十条第(五)项 | ||||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | 0 | 0 | 
行政处罚 | 5 | 0 | 5 |
"""


def test_pipe_row_with_blank_places_keeps_what_it_printed():
    # "规范性文件 | 11 | ||": three places, the last two blank; "0 | 0 | ": two places printed
    report = _read(ACTIVE_PIPE)
    active = report["active"]
    assert active["normative_documents"] == {
        "new_made": 11,
        "new_published": 0,
        "total_published": 0,
    }
    assert "blank cell read as 0: active.normative_documents.new_published" in report["flags"]
    assert "blank cell read as 0: active.normative_documents.total_published" in report["flags"]
    assert active["licensing"] == {"prev_items": 0, "change": 0, "decisions": None}
    assert (
        "row has 2 of 3 cells; printed cells kept in their places: active.licensing"
        in report["flags"]
    )
    assert active["penalty"] == {"prev_items": 5, "change": 0, "decisions": 5}


PIPE_PER_LINE = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 |
18 |
 |
 |
 |
 |
 |
 |
二、上年结转政府信息公开申请数量 |
0 |
0 |
0 |
0 |
0 |
0 |
0 |
"""


def test_blank_cells_of_a_pipe_cell_per_line_table_are_zero_with_a_flag():
    # 004/020/076 pipe cell-per-line: a blank cell is a line " |"; the printed 18 against a
    # blank total is then the report's own error, and check C1 says so.
    report = _read(PIPE_PER_LINE)
    assert report["applications"]["new_received"] == _row(18, 0, 0, 0, 0, 0, 0)
    assert "blank cell read as 0: applications.new_received.total" in report["flags"]
    c1 = {c["where"]: c for c in report["checks"] if c["rule"] == "C1"}
    assert c1["applications.new_received"]["ok"] is False


def test_a_row_printing_only_natural_person_and_total():
    # 076: "3 | 3" with the five 法人 columns left out; the other five are 0 by C1.
    report = _read("""| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |
| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 三、本年度办理结果 | (一)予以公开 | 3 | 3 |
""")
    granted = report["applications"]["granted"]
    assert granted == _row(3, 0, 0, 0, 0, 0, 3)
    assert (
        "derived from the report's own sums (C1): applications.granted.commercial = 0"
        in report["flags"]
    )


TABLE_3_HEAD = """三、收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |
| 二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
"""


def test_a_last_row_cut_after_its_first_value_keeps_it_and_the_sums_give_the_rest():
    # A page cut inside the last row (052): "| 四、结转下年度继续办理 | 2" and nothing after.
    # 结转下年度 = 新收 + 上年结转 − 办理总计 (C2) column by column.
    rows = "".join(
        f"| {label} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        for label in (
            "(一)予以公开",
            "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
            "1.本机关不掌握相关政府信息",
            "2.没有现成信息需要另行制作",
            "3.补正后申请内容仍不明确",
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
            "(六)其他处理",
        )
    )
    text = (
        TABLE_3_HEAD
        + rows.replace(
            "| (一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "| (一)予以公开 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |",
        )
        + "| (七)总计 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |\n| 四、结转下年度继续办理 | 2"
    )
    report = _read(text)
    apps = report["applications"]
    assert apps["carried_forward"] == _row(2, 0, 0, 0, 0, 0, 2)
    assert (
        "row has 1 of 7 cells; printed cells kept in their places: applications.carried_forward"
        in report["flags"]
    )
    assert (
        "derived from the report's own sums (C2): applications.carried_forward.commercial = 0"
        in report["flags"]
    )
    assert all(c["ok"] is True for c in report["checks"])


def test_flipbook_rows_run_together_on_one_line():
    # A PDF flipbook page's text joins the table's lines with single spaces.
    report = _read(
        "三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 3 0 0 0 0 0 3 "
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 (七)总计 3 0 0 0 0 0 3 "
        "四、结转下年度继续办理 0 0 0 0 0 0 0 四、因政府信息公开工作被申请行政复议、"
        "提起行政诉讼情况\n"
    )
    apps = report["applications"]
    assert apps["new_received"] == _row(3, 0, 0, 0, 0, 0, 3)
    assert apps["total_handled"] == _row(3, 0, 0, 0, 0, 0, 3)
    assert apps["carried_forward"] == _row(0, 0, 0, 0, 0, 0, 0)


def test_a_lone_number_in_prose_stays_in_its_sentence():
    report = _read("一、总体情况\n根据国务院令第 492 号 要求 全年公开信息 1200 条\n")
    assert report["applications"] == {} and report["active"] == {}


SEED_000_SHAPE = """三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量→0→0→0→0→0→0→0
二、上年结转政府信息公开申请数量→0→0→0→0→0→0→0
三、本年度办理结果→(一) 予以公开→→{granted}
→(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)→→0→0→0→0→0
→(三) 不予公开→1.属于国家秘密→0→0→0→0→0→0→0
→→2.其他法律行政法规禁止公开→0→0→0→0→0→0→0
→→3.危及“三安全一稳定”→0→0→0→0→0→0→0
→→4.保护第三方合法权益→0→0→0→0→0→0→0
→→5.属于三类内部事务信息→0→0→0→0→0→0→0
→→6.属于四类过程性信息→0→0→0→0→0→0→0
→→7.属于行政执法案卷→0→0→0→0→0→0→0
→→8.属于行政查询事项→0→0→0→0→0→0→0
→(四) 无法提供→1.本机关不掌握相关政府信息→0→0→0→0→0→0→0
→→2.没有现成信息需要另行制作→0→0→0→0→0→0→0
→→3.补正后申请内容仍不明确→0→0→0→0→0→0→0
→(五) 不予处理→1.信访举报投诉类申请→0→0→0→0→0→0→0
→→2.重复申请→0→0→0→0→0→0→0
→→3.要求提供公开出版物→0→0→0→0→0→0→0
→→4.无正当理由大量反复申请→0→0→0→0→0→0→0
→→5.要求行政机关确认或重新出具已获取信息→0→0→0→0→0→0→0
→(六) 其他处理→→0→0→0→0→0→0→0
→(七) 总计→→0→0→0→0→0→0→0
四、结转下年度继续办理→0→0→0→0→0→0→0
"""


def test_every_cell_of_a_column_whose_total_is_zero_is_derived():
    report = _read(SEED_000_SHAPE.format(granted="0→0→0→0→0"))
    apps = report["applications"]
    assert apps["granted"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert apps["partially_granted"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert (
        "derived from the report's own sums (C3): applications.granted.total = 0" in report["flags"]
    )


def test_derived_cells_that_contradict_the_printed_values_are_not_kept():
    # The short row prints a 5 while its columns' totals say 0: the report disagrees with
    # itself, so nothing is filled in for that row.
    report = _read(SEED_000_SHAPE.format(granted="0→0→0→0→5"))
    assert report["applications"]["granted"] == dict.fromkeys(COLUMNS, None)
    assert (
        "derived cells disagree with the printed values; left null: applications.granted"
        in report["flags"]
    )
    assert report["applications"]["partially_granted"] == _row(0, 0, 0, 0, 0, 0, 0)


def test_nothing_is_derived_where_the_sums_leave_two_answers():
    report = _read("""一、本年新收政府信息公开申请数量→4→0→0→0→0→0→4
二、上年结转政府信息公开申请数量→0→0→0→0→0
三、本年度办理结果→(一) 予以公开→→2→1→0→0→3
""")
    assert report["applications"]["carried_over"] == dict.fromkeys(COLUMNS, None)
    assert report["applications"]["granted"] == dict.fromkeys(COLUMNS, None)
    assert not any(f.startswith("derived") for f in report["flags"])


def test_two_values_with_total_first_are_total_then_natural_person():
    # 073 prints 总计 before 自然人; the full rows add up only that way.
    report = _read("""| 一、本年新收政府信息公开申请数量 | 6 | 5 | 1 | 0 | 0 | 0 | 0 |
| 二、上年结转政府信息公开申请数量 | 2 | 1 | 0 | 1 | 0 | 0 | 0 |
| 三、本年度办理结果 | (一)予以公开 | 4 | 3 |
""")
    assert report["applications"]["new_received"] == _row(5, 1, 0, 0, 0, 0, 6)
    granted = report["applications"]["granted"]
    assert (granted["total"], granted["natural_person"]) == (4, 3)
    assert granted["commercial"] is None  # 4 − 3 = 1 lies in one of five columns: not derived


def test_html_short_row_is_derived_like_text():
    # The seed 000 shape as an HTML grid: one row of five <td>s among rows of seven.
    rows = []
    for line in SEED_000_SHAPE.format(granted="0→0→0→0→0").splitlines()[1:]:
        parts = [p for p in line.split("→") if p]
        label = next(p for p in reversed(parts) if not p.isdigit())
        values = [p for p in parts if p.isdigit()]
        rows.append(f"<tr><td>{label}</td>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    html = (
        "<p>顾县镇人民政府2020年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
        f"<table>{''.join(rows)}</table>"
    )
    from reports.normalize import normalize_html

    report = normalize_html(html, source="inline")
    assert report["applications"]["granted"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert (
        "derived from the report's own sums (C3): applications.granted.other = 0" in report["flags"]
    )


# The layout of 区统计局's 2023 report (tests/realset xx-district-stats-bureau-2023): pipe
# cells one per line, a row printing only its 总计 after six blank places and a "||" line,
# and a row printing nothing at all before the next row's label, here cut short.
PIPE_PER_LINE_BLANK_FIRST = """三、收到和处理政府信息公开申请情况
申请人情况 |
||||||||
自然人 |
法人或其他组织 |
总计 |
|||||||
商业企业 |
科研机构 |
社会公益组织 |
法律服务机构 |
其他 |
|||||
一、本年新收政府信息公开申请数量 |
|
|
|
|
|
|
4 |
||
二、上年结转政府信息公开申请数量 |
|
|
|
|
|
|
0 |
||
三、本年度办理结果 |
(一)予以公开 |
|
|
|
|
|
|
|
|
(二)部分公
"""


def test_blank_places_before_the_first_value_of_a_pipe_cell_per_line_row_are_places():
    report = _read(PIPE_PER_LINE_BLANK_FIRST)
    apps = report["applications"]
    assert apps["new_received"] == _row(0, 0, 0, 0, 0, 0, 4)
    assert apps["carried_over"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert apps["granted"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert "blank cell read as 0: applications.new_received.natural_person" in report["flags"]
    assert "blank cell read as 0: applications.granted.total" in report["flags"]
    # a printed 4 against six blank applicant cells does not add up
    failed = {(c["rule"], c["where"]) for c in report["checks"] if c["ok"] is False}
    assert ("C1", "applications.new_received") in failed


def test_a_flipbook_page_that_begins_inside_table_three():
    # The layout of 文登区审计局's 2020 flipbook page 9 (tests/realset
    # sd-wendeng-audit-flipbook-2020): the page starts at the table's last row, so the text
    # has neither the table's heading nor its header nor its first row.
    report = _read(
        "Page 9 - 2020年报_审计局\nP. 9\n四、结转下年度继续办理 0 0 0 0 0 0 0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n2020 年,我单位未出现申请行政复议的情况。\n"
    )
    assert report["applications"]["carried_forward"] == _row(0, 0, 0, 0, 0, 0, 0)


def test_a_lost_space_before_a_value_in_a_traditional_mirror():
    # The layout of a traditional-script mirror (tests/realset xx-trad-mirror-bureau-2021):
    # pipe cells one per line with pinyin after some characters, and "? 0" where the page's
    # encoding lost a space before the value.
    report = _read(
        "二、主動(dòng)公開政府信息情況\n第二十條第(一)項(xiàng) | |||\n信息內(nèi)容 |\n"
        "本年制發(fā)件數(shù) |\n本年廢止件數(shù) |\n現(xiàn)行有效件數(shù) |\n"
        "規(guī)章 |\n2 |\n? 0 |\n7 |\n行政規(guī)范性文件 |\n0 |\n? 1 |\n3 |\n"
    )
    active = report["active"]
    assert active["rules"] == {"issued": 2, "repealed": 0, "in_force": 7}
    assert active["normative_documents"] == {"issued": 0, "repealed": 1, "in_force": 3}
