"""Metadata-header layouts of docs/portals.md §9.2, one small page each."""

from __future__ import annotations

import pytest

from reports.extract.dom import flat_text, parse_document
from reports.extract.meta import extract_meta, to_iso_date
from reports.extract.meta_labels import CONTRACT_KEYS, LABELS, canonical_key, normalize_label

BODY = "<div id='zoom'><p>一、总体情况</p><p>本年度正文。</p></div>"


def run(header: str, head: str = "") -> tuple[dict[str, str], list[str], str]:
    root = parse_document(f"<html><head>{head}</head><body>{header}{BODY}</body></html>")
    meta, flags = extract_meta(root)
    return meta, flags, flat_text(root.find("body"))


def test_two_cell_rows_bold_labels() -> None:
    meta, _, rest = run(
        "<table>"
        "<tr><td><b>索　引　号：</b></td><td>000014349/2024-00012</td></tr>"
        "<tr><td><b>主题分类：</b></td><td>政务公开</td></tr>"
        "<tr><td><b>发文机关：</b></td><td>国务院办公厅</td></tr>"
        "<tr><td><b>成文日期：</b></td><td>2024年01月05日</td></tr>"
        "<tr><td><b>标　　题：</b></td><td>国务院办公厅2023年政府信息公开工作年度报告</td></tr>"
        "<tr><td><b>发文字号：</b></td><td>— —</td></tr>"
        "<tr><td><b>发布日期：</b></td><td>2024年01月08日</td></tr>"
        "</table>"
    )
    assert meta == {
        "index_no": "000014349/2024-00012",
        "category": "政务公开",
        "publisher": "国务院办公厅",
        "written_date": "2024-01-05",
        "published_date": "2024-01-08",
        "title": "国务院办公厅2023年政府信息公开工作年度报告",
    }
    assert rest == "一、总体情况 本年度正文。"


def test_four_cell_rows_with_empty_cells() -> None:
    # Zhangye Ganzhou 2026 (docs/portals.md §4.3)
    meta, _, rest = run(
        "<table class='xxgk_table'>"
        "<tr><td>索引号</td><td>620702081/2026-00007</td><td>发文字号</td><td></td></tr>"
        "<tr><td>关键词</td><td></td><td>发布机构</td><td>北街办事处</td></tr>"
        "<tr><td>公开形式</td><td></td><td>责任部门</td><td></td></tr>"
        "<tr><td>生成日期</td><td>2026-01-23 16:24:38</td><td>是否有效</td><td></td></tr>"
        "</table>"
    )
    assert meta == {
        "index_no": "620702081/2026-00007",
        "publisher": "北街办事处",
        "written_date": "2026-01-23",
    }
    assert rest == "一、总体情况 本年度正文。"


def test_th_td_with_stray_spaces_and_half_width_colons() -> None:
    meta, _, _ = run(
        "<table><tr><th> 制发机关 : </th><td> 青溪县财政局 </td>"
        "<th>效力状况</th><td>有效</td><th>文件编号</th><td>青财〔2024〕3号</td></tr></table>"
    )
    assert meta == {
        "publisher": "青溪县财政局",
        "doc_number": "青财〔2024〕3号",
        "validity": "有效",
    }


def test_six_cell_rows_comment_wrapped_values_and_commented_out_row() -> None:
    # Wuxi (docs/portals.md §9.2 layouts 3, 8 and 11)
    meta, _, rest = run(
        "<table>"
        "<tr><td class='t'>信息索引号</td><td><!--<$[SYH]>-->014006438/2026-03652<!--<$[SYH]>-->"
        "</td>"
        "<td class='t'>生成日期</td><td>2026-01-06</td><td class='t'>公开日期</td><td>2026-01-07"
        "</td></tr>"
        "<tr><td class='t'>文件编号</td><td>无</td><td class='t'>效力状况</td><td>有效</td>"
        "<td class='t'>公开方式</td><td>主动公开</td></tr>"
        "<!--<tr><td class='t'>附件下载</td><td colspan='3'>—  —</td></tr>-->"
        "</table>"
    )
    assert meta == {
        "index_no": "014006438/2026-03652",
        "written_date": "2026-01-06",
        "published_date": "2026-01-07",
        "validity": "有效",
        "disclosure": "主动公开",
    }
    assert "附件下载" not in rest


def test_label_row_then_value_row() -> None:
    # Gansu Liangzhou 2009 template
    meta, _, _ = run(
        "<table><tr><td>索引号</td><td>公开方式</td><td>发布机构</td></tr>"
        "<tr><td>013995120/2009-00001</td><td>主动公开</td><td>凉州区人民政府</td></tr></table>"
    )
    assert meta == {
        "index_no": "013995120/2009-00001",
        "publisher": "凉州区人民政府",
        "disclosure": "主动公开",
    }


def test_ul_li_with_spans() -> None:
    meta, _, rest = run(
        "<div class='sub'><ul>"
        "<li><span class='lab'>索引号：</span><span>K28044908/2026-04277</span></li>"
        "<li><span>发文机构</span>：青溪县民政局</li>"
        "<li>成文日期：2026年02月13日</li>"
        "<li>有效性：</li>"
        "</ul></div>"
    )
    assert meta == {
        "index_no": "K28044908/2026-04277",
        "publisher": "青溪县民政局",
        "written_date": "2026-02-13",
    }
    assert rest == "一、总体情况 本年度正文。"


def test_dl_dt_dd() -> None:
    meta, _, _ = run(
        "<div class='xxgkml-content'><dl><dt>索引号</dt><dd>014000001/2024-00001</dd>"
        "<dt>发布机构</dt><dd>苏州市某局</dd><dt>文号</dt><dd>无</dd>"
        "<dt>内容概述</dt><dd>2023年度报告</dd></dl></div>"
    )
    assert meta == {
        "index_no": "014000001/2024-00001",
        "publisher": "苏州市某局",
        "summary": "2023年度报告",
    }


def test_label_value_paragraphs_inside_the_body_are_removed() -> None:
    root = parse_document(
        "<html><body><div id='zoom'><p>索引号：000014349/2024-00012</p>"
        "<p>发布机构：青溪县人民政府</p><p>一、总体情况</p><p>正文。</p></div></body></html>"
    )
    meta, _ = extract_meta(root)
    assert meta == {"index_no": "000014349/2024-00012", "publisher": "青溪县人民政府"}
    assert flat_text(root.find("body")) == "一、总体情况 正文。"


def test_byline_and_one_label_paragraph() -> None:
    meta, _, rest = run(
        "<div class='info'>来源：青溪县人民政府　发布时间：2017-01-12 10:01　"
        "浏览次数：<span>12</span></div><p>来源：新华社</p>"
    )
    assert meta == {"publisher": "青溪县人民政府", "published_date": "2017-01-12"}
    assert rest.startswith("来源：新华社")  # one label alone is not a header


def test_strong_label_beats_weak_one_and_meta_tags_fill_missing_fields() -> None:
    head = (
        '<meta name="ArticleTitle" content="青溪县2023年政府信息公开工作年度报告">'
        '<meta name="PubDate" content="2024-01-22 10:30">'
        '<meta name="ContentSource" content="青溪县人民政府办公室">'
    )
    meta, _, _ = run(
        "<table><tr><td>所属机构</td><td>青溪县</td><td>发布机构</td><td>青溪县政府办</td></tr>"
        "<tr><td>索引号</td><td>1/2024-1</td></tr></table>",
        head,
    )
    assert meta == {
        "index_no": "1/2024-1",
        "publisher": "青溪县政府办",
        "published_date": "2024-01-22",
        "title": "青溪县2023年政府信息公开工作年度报告",
    }


def test_meta_tags_only() -> None:
    meta, flags, _ = run(
        "",
        '<meta name="ArticleTitle" content="报告"><meta name="PubDate" '
        'content="2021-01-28 16:53"><meta name="ContentSource" content="花戛乡">',
    )
    assert meta == {"publisher": "花戛乡", "published_date": "2021-01-28", "title": "报告"}
    assert "meta_no_header" in flags


def test_empty_publisher_cell_is_not_filled_from_content_source() -> None:
    meta, _, _ = run(
        "<table><tr><td>索引号</td><td>1/2024-1</td><td>发布机构</td><td></td></tr></table>",
        '<meta name="ContentSource" content="花戛乡">',
    )
    assert meta == {"index_no": "1/2024-1"}


def test_index_number_in_doc_number_is_flagged() -> None:
    meta, flags, _ = run(
        "<table><tr><td>索引号</td><td>696785044/2026-00018</td>"
        "<td>发文字号</td><td>696785044/2026-00017</td></tr></table>"
    )
    assert meta == {"index_no": "696785044/2026-00018"}
    assert flags == ["meta_index_no_in_doc_number:696785044/2026-00017"]


def test_report_tables_are_not_headers() -> None:
    root = parse_document(
        "<html><body><table><tr><td>信息内容</td><td>本年制发件数</td></tr>"
        "<tr><td>规章</td><td>0</td></tr></table></body></html>"
    )
    meta, _ = extract_meta(root)
    assert meta == {} and "规章" in flat_text(root)


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("2024年01月05日", "2024-01-05"),
        ("2024-01-05", "2024-01-05"),
        ("2026-01-23 16:24:38", "2026-01-23"),
        ("2021-01-28 16:53", "2021-01-28"),
        ("2024年1月5日", "2024-01-05"),
        ("2024/1/5", "2024-01-05"),
        ("2024.01.05", "2024-01-05"),
        ("无", None),
        ("2024-13-01", None),
    ],
)
def test_to_iso_date(raw: str, iso: str | None) -> None:
    assert to_iso_date(raw) == iso


def test_label_table_uses_schema_names() -> None:
    assert set(CONTRACT_KEYS) == {
        "index_no",
        "category",
        "publisher",
        "written_date",
        "published_date",
        "doc_number",
        "validity",
        "title",
    }
    used = {key for key, _ in LABELS.values()}
    assert set(CONTRACT_KEYS) <= used
    assert not used & {"date_written", "date_published", "doc_no", "classification"}
    # every label of docs/report-schema.md's meta table
    schema = {
        "index_no": "索引号,信息索引号,索 引 号",
        "category": "信息分类,分类,主题分类,组配分类,体裁分类",
        "publisher": "发布机构,发布单位,发文机关,发文单位,来源",
        "written_date": "成文日期,发文日期,生成日期",
        "published_date": "发布日期,公开日期,发布时间",
        "doc_number": "文号,发文字号",
        "validity": "是否有效,有效性,时效",
        "title": "标题,名称",
    }
    for key, labels in schema.items():
        for label in labels.split(","):
            assert canonical_key(label) == key, label


def test_normalize_label() -> None:
    assert normalize_label("索\u3000引\u3000号：") == "索引号"
    assert normalize_label(" 制发机关 : ") == "制发机关"
    assert normalize_label("标\xa0\xa0题") == "标题"
    assert canonical_key("索 引 号") == "index_no"


def test_fzja_byline_with_bare_time_label() -> None:
    meta, _, rest = run("<div class='info'>来源：区人民政府办公室 时间：2017-01-12 10:01</div>")
    assert meta == {"publisher": "区人民政府办公室", "published_date": "2017-01-12"}
    assert rest == "一、总体情况 本年度正文。"


def test_colon_in_the_value_cell() -> None:
    meta, _, _ = run(
        "<table><tr><td>索引号</td><td>：000014349/2024-00012</td></tr>"
        "<tr><td>发布机构</td><td>: 青溪县人民政府</td></tr></table>"
    )
    assert meta == {"index_no": "000014349/2024-00012", "publisher": "青溪县人民政府"}


def test_a_centred_byline_paragraph_that_dates_the_page() -> None:
    # sh-shanghai-office-html-2019: <p style='text-align: center'>发布日期：2020-01-31</p> under
    # the title paragraph; one dated pair is a header, one undated pair is not
    meta, _, rest = run(
        "<p>2019年上海市人民政府办公厅政府信息公开工作年度报告</p>"
        "<p style='text-align: center'>发布日期：2020-01-31</p>"
    )
    assert meta == {"published_date": "2020-01-31"}
    assert "发布日期" not in rest and "2019年上海市人民政府办公厅" in rest
    meta, _, rest = run("<p>来源：上海市人民政府办公厅</p>")
    assert meta == {} and "来源：上海市人民政府办公厅" in rest


def test_traditional_labels_in_table_cells() -> None:
    meta, _, _ = run(
        "<table><tr><td>索引號：</td><td>000014349/2024-00012</td>"
        "<td>發(fā)布機構：</td><td>國務院辦公廳</td></tr></table>"
    )
    assert meta == {"index_no": "000014349/2024-00012", "publisher": "國務院辦公廳"}


def test_a_traditional_byline_paragraph() -> None:
    # a traditional-script mirror's byline under the title (as in tests/realset's trad cases)
    meta, _, rest = run("<p>來源：上海市人民政府辦公廳　發佈時間：2021-01-29</p>")
    assert meta == {"publisher": "上海市人民政府辦公廳", "published_date": "2021-01-29"}
    assert "來源" not in rest
