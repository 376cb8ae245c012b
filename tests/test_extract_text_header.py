"""parse_text_header: the metadata header at the top of text copied off a page."""
from __future__ import annotations

from pathlib import Path

from pipelines.extract import parse_text_header

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def test_seed_004_pipe_form() -> None:
    text = (SEEDS / "004_d99be4c0911699a4.txt").read_text(encoding="utf-8")
    meta, rest = parse_text_header(text)
    # 发布机构, 文号 and 是否有效 are each followed directly by another label: empty, no key.
    assert meta == {
        "index_no": "000014349/2021-337607",
        "written_date": "2021-01-28",
        "title": "花戛乡人民政府2020年政府信息公开工作年度报告",
    }
    assert rest.startswith("一、总体情况\n2020年,花戛乡人民政府认真贯彻落实")
    assert "索引号" not in rest and "000014349" not in rest
    assert text.endswith(rest)


def test_label_colon_line_form() -> None:
    text = (
        "索 引 号：000014349/2024-00012\n"
        "发布机构：青溪县人民政府办公室　　成文日期：2024年01月05日\n"
        "文　　号：无\n"
        "发布日期：2024-01-08 09:00\n"
        "有效性：\n"
        "青溪县2023年政府信息公开工作年度报告\n"
        "一、总体情况\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "000014349/2024-00012",
        "publisher": "青溪县人民政府办公室",
        "written_date": "2024-01-05",
        "published_date": "2024-01-08",
    }
    assert rest == "青溪县2023年政府信息公开工作年度报告\n一、总体情况\n"


def test_text_without_header_is_unchanged() -> None:
    for seed in sorted(SEEDS.glob("00[0-3]_*.txt")):
        text = seed.read_text(encoding="utf-8")
        assert parse_text_header(text) == ({}, text), seed.name


def test_a_single_label_line_is_not_a_header() -> None:
    text = "来源：青溪县人民政府\n一、总体情况\n本年度……\n"
    assert parse_text_header(text) == ({}, text)


def test_empty_text() -> None:
    assert parse_text_header("") == ({}, "")


def test_bullet_list_form_with_labels_on_their_own_lines() -> None:
    # private-set 063: "- 索引号" then "- 005452065/…"
    text = ("- 索引号\n- 005452065/2021-00003\n- 发布机构\n- 龙田镇人民政府\n- 文号\n- 成文日期\n"
            "- 2021年1月15日\n龙田镇2020年政府信息公开工作年度报告\n一、总体情况\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "005452065/2021-00003", "publisher": "龙田镇人民政府",
                    "written_date": "2021-01-15"}
    assert rest == "龙田镇2020年政府信息公开工作年度报告\n一、总体情况\n"


def test_space_separated_labels_without_colons() -> None:
    # private-set 019 / 040: "标      题" with its value after spaces
    text = ("索 引 号 GCX0048/2020-00201\n标      题 高村乡2019年政府信息公开工作年度报告\n"
            "发布机构 高村乡人民政府　　成文日期 2020-01-16\n一、总体情况\n时间 紧任务重。\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "GCX0048/2020-00201", "publisher": "高村乡人民政府",
                    "written_date": "2020-01-16", "title": "高村乡2019年政府信息公开工作年度报告"}
    assert rest == "一、总体情况\n时间 紧任务重。\n"


# Real header layouts quoted in issue 10 and the notes (report-templates §6.1), each as the
# page's text gives it.

def test_taizhou_2018_spaced_labels_in_pipe_rows() -> None:
    # 泰州市人民政府 2017 report as a mirror serves it (zwinkt.com copy of the gov.cn page).
    text = ("索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报 综合政务,文秘工作 其他 |\n"
            "发布机构 | 市政府办 | 发文日期 | 2018-02-28 |\n"
            "文 号 | 有 效 性 |\n"
            "根据《中华人民共和国政府信息公开条例》规定,现公布泰州市人民政府2017年政府信息公开工作年度报告。\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "014416330/2018-04736", "category": "政府信息公开年报 综合政务,文秘工作 其他",
                    "publisher": "市政府办", "written_date": "2018-02-28"}
    assert rest.startswith("根据《中华人民共和国政府信息公开条例》规定") and "索" not in rest


def test_spaced_label_with_half_width_colon_on_its_own_line() -> None:
    # private-set 007: "索 引 号:GCX0048/2020-00201", then 发文机关 / 成文日期 lines.
    text = ("索 引 号:GCX0048/2020-00201\n发文机关:高村乡人民政府\n成文日期:2020-01-16\n"
            "高村乡2019年政府信息公开工作年度工作报告\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "GCX0048/2020-00201", "publisher": "高村乡人民政府", "written_date": "2020-01-16"}
    assert rest == "高村乡2019年政府信息公开工作年度工作报告\n"


def test_leading_pipe_row() -> None:
    text = ("| 索引号 | 000014349/2021-337607 | 分类 | 政府信息公开年报 |\n"
            "| 发布机构 | 花戛乡人民政府 | 成文日期 | 2021-01-28 |\n"
            "花戛乡人民政府2020年政府信息公开工作年度报告\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "000014349/2021-337607", "category": "政府信息公开年报",
                    "publisher": "花戛乡人民政府", "written_date": "2021-01-28"}
    assert rest == "花戛乡人民政府2020年政府信息公开工作年度报告\n"


def test_no_separator_and_two_labels_run_together() -> None:
    # "索引号000014349/…" with nothing between label and value; "发布机构发文日期 2023-…": the
    # publisher cell is empty, the date belongs to 发文日期.
    text = ("索引号000014349/2023-00012\n发布机构发文日期 2023-01-05\n标题 青溪县2022年政府信息公开工作年度报告\n"
            "一、总体情况\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "000014349/2023-00012", "written_date": "2023-01-05",
                    "title": "青溪县2022年政府信息公开工作年度报告"}
    assert rest == "一、总体情况\n"


def test_pairs_sharing_a_line() -> None:
    # Zhejiang catalogue header: "生成日期 2021-01-28 公开方式 主动公开" on one line.
    text = ("索引号 002493520/2021-00035 发布机构 龙泉市人民政府办公室\n生成日期 2021-01-28 公开方式 主动公开\n"
            "龙泉市人民政府2020年政府信息公开工作年度报告\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "002493520/2021-00035", "publisher": "龙泉市人民政府办公室",
                    "written_date": "2021-01-28", "disclosure": "主动公开"}
    assert rest == "龙泉市人民政府2020年政府信息公开工作年度报告\n"


def test_breadcrumb_lines_before_the_header_go_with_it() -> None:
    text = ("您现在的位置:首页 > 政务公开 > 政府信息公开年报\n\n索 引 号:GCX0048/2020-00201\n"
            "发布机构:高村乡人民政府\n一、总体情况\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "GCX0048/2020-00201", "publisher": "高村乡人民政府"}
    assert rest == "一、总体情况\n"


def test_a_breadcrumb_without_a_header_is_left_alone() -> None:
    text = "您现在的位置:首页 > 政务公开\n一、总体情况\n来源于群众的意见。\n"
    assert parse_text_header(text) == ({}, text)


def test_label_row_then_value_row() -> None:
    # Liangzhou 2009 (portals.md §9.2 layout 4) as text: the labels in one row, values in the next.
    text = ("索引号\t发布机构\t发布日期\n620602000/2009-00011\t凉州区人民政府办公室\t2009-03-30\n"
            "凉州区2008年政府信息公开工作年度报告\n")
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "620602000/2009-00011", "publisher": "凉州区人民政府办公室",
                    "published_date": "2009-03-30"}
    assert rest == "凉州区2008年政府信息公开工作年度报告\n"


def test_a_last_label_without_value_does_not_take_the_body_s_first_line() -> None:
    # "- 有效性" ends the header with an empty cell; the heading and title below are body.
    for first in ("一、总体情况\n", "龙田镇2020年政府信息公开工作年度报告\n一、总体情况\n"):
        text = "- 索引号\n- 005452065/2021-00003\n- 发布机构\n- 龙田镇人民政府\n- 有效性\n" + first
        meta, rest = parse_text_header(text)
        assert meta == {"index_no": "005452065/2021-00003", "publisher": "龙田镇人民政府"}
        assert rest == first


def test_a_giant_first_line_is_body_not_header() -> None:
    text = "索引号 000014349/2024-00012 " + "发布机构 青溪县 " * 400 + "\n一、总体情况\n"
    assert parse_text_header(text) == ({}, text)
