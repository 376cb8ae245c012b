"""HTML pages as real portals serve them: reordered columns, provincial rows, lost group
labels, traditional script, broken headers, and tables that are not <table>s at all.
Every snippet is hand-written; expected values are read off the snippet."""

from __future__ import annotations

from reports.normalize import normalize_html

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


def _tr(*cells: str) -> str:
    return "<tr>" + "".join(c if c.startswith("<t") else f"<td>{c}</td>" for c in cells) + "</tr>"


def _table(*rows: str) -> str:
    return "<table border=1>" + "".join(rows) + "</table>"


APPS_HEADER = (
    _tr(
        "<td rowspan=3 colspan=3>（本列数据的勾稽关系为：第一项加第二项之和，"
        "等于第三项加第四项之和）</td>",
        "<td colspan=7>申请人情况</td>",
    ),
    _tr(
        "<td rowspan=2>自然人</td>", "<td colspan=5>法人或其他组织</td>", "<td rowspan=2>总计</td>"
    ),
    _tr("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
)


def test_active_columns_in_another_order_and_one_table_per_block():
    html = (
        "<p>城西街道2020年政府信息公开工作年度报告</p>"
        + _table(
            _tr("<td colspan=4>第二十条第（一）项</td>"),
            _tr("信息内容", "对外公开总数量", "本年新制作数量", "本年新公开数量"),
            _tr("规章", "0", "0", "0"),
            _tr("规范性文件", "31", "4", "3"),
        )
        + _table(
            _tr("<td colspan=4>第二十条第（五）项</td>"),
            _tr("信息内容", "处理决定数量", "本年增/减", "上一年项目数量"),
            _tr("行政许可", "905", "-3", "40"),
        )
    )
    report = normalize_html(html, source="inline")
    assert report["active"]["normative_documents"] == {
        "new_made": 4,
        "new_published": 3,
        "total_published": 31,
    }
    assert report["active"]["licensing"] == {"prev_items": 40, "change": -3, "decisions": 905}


def test_provincial_rows_in_html_are_skipped():
    # 湖北 2020 (054): 其他主动公开文件 under (一); 吉林 2020 (seed 003): a region total at the end
    html = _table(
        _tr("<td colspan=4>第二十条第（一）项</td>"),
        _tr("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"),
        _tr("规章", "0", "0", "0"),
        _tr("规范性文件", "2", "2", "17"),
        _tr("其他主动公开文件", "356", "356", "2210"),
        _tr("<td colspan=4>第二十条第（九）项</td>"),
        _tr("信息内容", "采购项目数量", "采购总金额（万元）", ""),
        _tr("政府集中采购", "5", "128.6", ""),
        _tr(
            "<td colspan=3>2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、"
            "消息类）</td>",
            "1840",
        ),
    )
    report = normalize_html(html, source="inline")
    assert report["active"] == {
        "rules": {"new_made": 0, "new_published": 0, "total_published": 0},
        "normative_documents": {"new_made": 2, "new_published": 2, "total_published": 17},
        "procurement": {"projects": 5, "amount": 128.6, "amount_unit": "万元"},
    }


def test_lost_group_label_and_traditional_script():
    # seed 004's "(五)·" and a traditional mirror (043, 054) of the same rows
    html = _table(
        *APPS_HEADER,
        _tr(
            "<td colspan=3>一、本年新收政府信息公開申請數量</td>", "3", "1", "0", "0", "0", "0", "4"
        ),
        _tr(
            "<td rowspan=3>三、本年度辦理結果</td>",
            "<td rowspan=2>(五)·</td>",
            "1.信訪舉報投訴類申請",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1",
        ),
        _tr("2.重複申請", "0", "1", "0", "0", "0", "0", "1"),
        _tr("<td colspan=2>(七)總計</td>", "2", "1", "0", "0", "0", "0", "3"),
    )
    report = normalize_html(html, source="inline")
    apps = report["applications"]
    assert apps["new_received"] == _row(3, 1, 0, 0, 0, 0, 4)
    assert apps["rejected_petition"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["rejected_duplicate"] == _row(0, 1, 0, 0, 0, 0, 1)
    assert apps["total_handled"] == _row(2, 1, 0, 0, 0, 0, 3)


def test_headerless_applications_table_reads_each_rows_own_cells():
    # the header is an image; blanks (Shanghai 2019 style) and "/" (020) sit in their columns
    html = _table(
        _tr(
            "<td colspan=3>一、本年新收政府信息公开申请数量</td>",
            "821",
            "35",
            "",
            "",
            "2",
            "1",
            "859",
        ),
        _tr(
            "<td colspan=3>二、上年结转政府信息公开申请数量</td>", "4", "0", "0", "0", "0", "0", "4"
        ),
        _tr(
            "<td rowspan=2>三、本年度办理结果</td>",
            "<td colspan=2>（一）予以公开</td>",
            "402",
            "/",
            "/",
            "/",
            "1",
            "/",
            "403",
        ),
        _tr("<td colspan=2>（七）总计</td>", "800", "30", "0", "0", "2", "1", "833"),
    )
    report = normalize_html(html, source="inline")
    apps = report["applications"]
    assert apps["new_received"] == _row(821, 35, 0, 0, 2, 1, 859)
    assert apps["granted"] == _row(402, 0, 0, 0, 1, 0, 403)
    assert apps["total_handled"] == _row(800, 30, 0, 0, 2, 1, 833)
    assert "blank cell read as 0: applications.new_received.research" in report["flags"]
    assert "blank cell read as 0: applications.granted.commercial" in report["flags"]


def test_review_table_with_header_words_over_two_rows():
    # 016 as HTML: the leaf labels split across two header rows, so none is recognised
    html = _table(
        _tr("<td colspan=5>行政复议</td>", "<td colspan=10>行政诉讼</td>"),
        _tr(
            "结果",
            "结果",
            "其他",
            "尚未",
            "总",
            "<td colspan=5>未经复议直接起诉</td>",
            "<td colspan=5>复议后起诉</td>",
        ),
        _tr(
            "维持",
            "纠正",
            "结果",
            "审结",
            "计",
            *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        ),
        _tr("1", "1", "0", "0", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"),
    )
    report = normalize_html(html, source="inline")
    review = report["review_litigation"]
    assert review["review"] == dict(zip(LEAVES, [1, 1, 0, 0, 2], strict=True))
    assert review["suit_direct"] == dict(zip(LEAVES, [0, 0, 0, 1, 1], strict=True))
    assert review["suit_after_review"] == dict(zip(LEAVES, [0, 0, 0, 0, 0], strict=True))


def test_one_paragraph_per_cell_beside_a_real_table():
    # table 二 pasted as paragraphs, table 三 a real <table>
    html = (
        "<p>二、主动公开政府信息情况</p><p>第二十条第（五）项</p><p>信息内容</p><p>本年处理决定数量</p>"
        "<p>行政许可</p><p>1205</p>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        + _table(
            *APPS_HEADER,
            _tr(
                "<td colspan=3>一、本年新收政府信息公开申请数量</td>",
                "9",
                "0",
                "0",
                "0",
                "0",
                "0",
                "9",
            ),
            _tr(
                "<td rowspan=4>三、本年度办理结果</td>",
                "<td rowspan=3>（六）其他处理</td>",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                "1",
                "0",
                "0",
                "0",
                "0",
                "0",
                "1",
            ),
            _tr(
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
            ),
            _tr("3.其他", "0", "0", "0", "0", "0", "0", "0"),
            _tr("<td colspan=2>（七）总计</td>", "8", "0", "0", "0", "0", "0", "8"),
        )
    )
    report = normalize_html(html, source="inline")
    assert report["template"] == "2021"
    assert report["active"] == {"licensing": {"decisions": 1205}}
    assert report["applications"]["other_no_correction"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert "table 二 read from the page's text, not a <table>" in report["flags"]


def test_pre_block_with_space_aligned_columns():
    html = """<p>河口乡2020年政府信息公开工作年度报告</p><pre>
四、政府信息公开行政复议、行政诉讼情况
行政复议                        行政诉讼
结果维持 结果纠正 其他结果 尚未审结 总计   未经复议直接起诉     复议后起诉
   0        0        0        0      0     0  0  1  0  1      0  0  0  0  0
五、存在的主要问题及改进情况
</pre>"""
    report = normalize_html(html, source="inline")
    assert report["review_litigation"]["suit_direct"] == dict(
        zip(LEAVES, [0, 0, 1, 0, 1], strict=True)
    )
    assert report["review_litigation"]["review"]["total"] == 0
    assert report["flags"][0] == "no usable <table>; read as text"


def test_whole_report_in_one_table_cell():
    # 071: the page's layout table holds the whole report in one cell, lines as <br>
    html = (
        "<table><tr><td>2013年度谢塘镇政府信息公开工作年度报告<br>"
        "一、概述<br>本年度共主动公开政府信息339条。<br>"
        "二、主动公开政府信息情况<br>第二十条第（一）项<br>"
        "信息内容 本年新制作数量 本年新公开数量 对外公开总数量<br>"
        "规章 0 0 0<br>规范性文件 2 2 9<br></td></tr></table>"
    )
    report = normalize_html(html, source="inline")
    assert (report["report_year"], report["org_name"]) == (2013, "谢塘镇")
    assert report["active"]["normative_documents"] == {
        "new_made": 2,
        "new_published": 2,
        "total_published": 9,
    }


def test_th_header_cells_in_thead():
    html = (
        "<table><thead><tr><th colspan=5>行政复议</th><th colspan=10>行政诉讼</th></tr>"
        "<tr>"
        + "".join(
            f"<th rowspan=2>{t}</th>"
            for t in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
        )
        + "<th colspan=5>未经复议直接起诉</th><th colspan=5>复议后起诉</th></tr>"
        "<tr>"
        + "".join(
            f"<th>{t}</th>" for t in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
        )
        + "</tr></thead><tbody><tr>"
        + "".join(f"<td>{v}</td>" for v in [2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1])
        + "</tr></tbody></table>"
    )
    report = normalize_html(html, source="inline")
    assert report["review_litigation"]["review"] == dict(zip(LEAVES, [2, 0, 0, 0, 2], strict=True))
    assert report["review_litigation"]["suit_after_review"] == dict(
        zip(LEAVES, [1, 0, 0, 0, 1], strict=True)
    )


def test_table_cut_by_a_page_break_continues_without_header_or_group_cells():
    # Word pastes a table that crosses a page as two <table>s; the second has no header, and its
    # first rows lost the merged group cells (三、本年度办理结果, (三)不予公开) to the first part
    html = (
        _table(
            *APPS_HEADER,
            _tr(
                "<td colspan=3>一、本年新收政府信息公开申请数量</td>",
                "12",
                "2",
                "0",
                "0",
                "0",
                "0",
                "14",
            ),
            _tr(
                "<td rowspan=3>三、本年度办理结果</td>",
                "<td colspan=2>（一）予以公开</td>",
                "7",
                "1",
                "0",
                "0",
                "0",
                "0",
                "8",
            ),
            _tr(
                "<td rowspan=2>（三）不予公开</td>",
                "1.属于国家秘密",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
                "0",
            ),
            _tr("2.其他法律行政法规禁止公开", "1", "0", "0", "0", "0", "0", "1"),
        )
        + "<p>（续表）</p>"
        + _table(
            _tr("3.危及“三安全一稳定”", "0", "1", "0", "0", "0", "0", "1"),
            _tr(
                "<td rowspan=2>（四）无法提供</td>",
                "1.本机关不掌握相关政府信息",
                "3",
                "0",
                "0",
                "0",
                "0",
                "0",
                "3",
            ),
            _tr("2.没有现成信息需要另行制作", "", "", "", "", "", "", ""),
            _tr("<td colspan=2>（七）总计</td>", "11", "2", "0", "0", "0", "0", "13"),
            _tr("<td colspan=3>四、结转下年度继续办理</td>", "1", "0", "0", "0", "0", "0", "1"),
        )
    )
    apps = normalize_html(html, source="inline")["applications"]
    assert apps["denied_law_prohibited"] == _row(1, 0, 0, 0, 0, 0, 1)
    assert apps["denied_security_stability"] == _row(0, 1, 0, 0, 0, 0, 1)
    assert apps["unable_not_held"] == _row(3, 0, 0, 0, 0, 0, 3)
    assert apps["unable_needs_creation"] == _row(0, 0, 0, 0, 0, 0, 0)
    assert apps["total_handled"] == _row(11, 2, 0, 0, 0, 0, 13)
    assert apps["carried_forward"] == _row(1, 0, 0, 0, 0, 0, 1)
