"""parse_text_header: the metadata header at the top of text copied off a page."""

from __future__ import annotations

from reports.extract import parse_text_header
from tests.conftest import SEED_DIR

SEEDS = SEED_DIR


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
    text = (
        "- 索引号\n- 005452065/2021-00003\n- 发布机构\n- 龙田镇人民政府\n- 文号\n- 成文日期\n"
        "- 2021年1月15日\n龙田镇2020年政府信息公开工作年度报告\n一、总体情况\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "005452065/2021-00003",
        "publisher": "龙田镇人民政府",
        "written_date": "2021-01-15",
    }
    assert rest == "龙田镇2020年政府信息公开工作年度报告\n一、总体情况\n"


def test_space_separated_labels_without_colons() -> None:
    # private-set 019 / 040: "标      题" with its value after spaces
    text = (
        "索 引 号 GCX0048/2020-00201\n标      题 高村乡2019年政府信息公开工作年度报告\n"
        "发布机构 高村乡人民政府　　成文日期 2020-01-16\n一、总体情况\n时间 紧任务重。\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "GCX0048/2020-00201",
        "publisher": "高村乡人民政府",
        "written_date": "2020-01-16",
        "title": "高村乡2019年政府信息公开工作年度报告",
    }
    assert rest == "一、总体情况\n时间 紧任务重。\n"


# Real header layouts quoted in issue 10 and the notes (docs/report-templates.md §6.1), each as the
# page's text gives it.


def test_taizhou_2018_spaced_labels_in_pipe_rows() -> None:
    # 泰州市人民政府 2017 report as a mirror serves it (zwinkt.com copy of the gov.cn page).
    text = (
        "索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报 综合政务,文秘工作 其他 |\n"
        "发布机构 | 市政府办 | 发文日期 | 2018-02-28 |\n"
        "文 号 | 有 效 性 |\n"
        "根据《中华人民共和国政府信息公开条例》规定,现公布泰州市人民政府2017年政府信息公开工作年度报告。\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "014416330/2018-04736",
        "category": "政府信息公开年报 综合政务,文秘工作 其他",
        "publisher": "市政府办",
        "written_date": "2018-02-28",
    }
    assert rest.startswith("根据《中华人民共和国政府信息公开条例》规定") and "索" not in rest


def test_spaced_label_with_half_width_colon_on_its_own_line() -> None:
    # private-set 007: "索 引 号:GCX0048/2020-00201", then 发文机关 / 成文日期 lines.
    text = (
        "索 引 号:GCX0048/2020-00201\n发文机关:高村乡人民政府\n成文日期:2020-01-16\n"
        "高村乡2019年政府信息公开工作年度工作报告\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "GCX0048/2020-00201",
        "publisher": "高村乡人民政府",
        "written_date": "2020-01-16",
    }
    assert rest == "高村乡2019年政府信息公开工作年度工作报告\n"


def test_leading_pipe_row() -> None:
    text = (
        "| 索引号 | 000014349/2021-337607 | 分类 | 政府信息公开年报 |\n"
        "| 发布机构 | 花戛乡人民政府 | 成文日期 | 2021-01-28 |\n"
        "花戛乡人民政府2020年政府信息公开工作年度报告\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "000014349/2021-337607",
        "category": "政府信息公开年报",
        "publisher": "花戛乡人民政府",
        "written_date": "2021-01-28",
    }
    assert rest == "花戛乡人民政府2020年政府信息公开工作年度报告\n"


def test_no_separator_and_two_labels_run_together() -> None:
    # "索引号000014349/…" with nothing between label and value; "发布机构发文日期 2023-…": the
    # publisher cell is empty, the date belongs to 发文日期.
    text = (
        "索引号000014349/2023-00012\n发布机构发文日期 2023-01-05\n标题 "
        "青溪县2022年政府信息公开工作年度报告\n"
        "一、总体情况\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "000014349/2023-00012",
        "written_date": "2023-01-05",
        "title": "青溪县2022年政府信息公开工作年度报告",
    }
    assert rest == "一、总体情况\n"


def test_pairs_sharing_a_line() -> None:
    # Zhejiang catalogue header: "生成日期 2021-01-28 公开方式 主动公开" on one line.
    text = (
        "索引号 002493520/2021-00035 发布机构 龙泉市人民政府办公室\n生成日期 2021-01-28 "
        "公开方式 主动公开\n"
        "龙泉市人民政府2020年政府信息公开工作年度报告\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "002493520/2021-00035",
        "publisher": "龙泉市人民政府办公室",
        "written_date": "2021-01-28",
        "disclosure": "主动公开",
    }
    assert rest == "龙泉市人民政府2020年政府信息公开工作年度报告\n"


def test_breadcrumb_lines_before_the_header_go_with_it() -> None:
    text = (
        "您现在的位置:首页 > 政务公开 > 政府信息公开年报\n\n索 引 号:GCX0048/2020-00201\n"
        "发布机构:高村乡人民政府\n一、总体情况\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {"index_no": "GCX0048/2020-00201", "publisher": "高村乡人民政府"}
    assert rest == "一、总体情况\n"


def test_a_breadcrumb_without_a_header_is_left_alone() -> None:
    text = "您现在的位置:首页 > 政务公开\n一、总体情况\n来源于群众的意见。\n"
    assert parse_text_header(text) == ({}, text)


def test_label_row_then_value_row() -> None:
    # Liangzhou 2009 (docs/portals.md §9.2 layout 4) as text: the labels in one row, values in the
    # next.
    text = (
        "索引号\t发布机构\t发布日期\n620602000/2009-00011\t凉州区人民政府办公室\t2009-03-30\n"
        "凉州区2008年政府信息公开工作年度报告\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "620602000/2009-00011",
        "publisher": "凉州区人民政府办公室",
        "published_date": "2009-03-30",
    }
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


# --- layouts of the real set (tests/realset): each snippet keeps a real text's layout -----


def test_byline_under_the_title_after_site_lines() -> None:
    # jl-longtan-district-2017: "登录 注册", the title, then the byline with a counter
    text = (
        "登录 注册\n\n龙潭区人民政府2017年政府信息公开工作年度报告\n\n发布日期:2018-02-26    "
        "点击数:\n"
        "  \n\n龙潭区人民政府\n\n根据《中华人民共和国政府信息公开条例》的规定，"
        "特向社会公布本年报。\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {"published_date": "2018-02-26"}
    assert "发布日期" not in rest and rest.startswith("登录 注册\n\n龙潭区人民政府2017年")
    assert rest.endswith("特向社会公布本年报。\n")


def test_byline_of_pipe_separated_pairs_with_widgets() -> None:
    # gd-jianxin-town-2018: 作者 | 来源 | 时间 and widgets; "本站原创" names no one
    text = (
        "2018年建新镇政府信息公开工作年度报告\n\n"
        "作者:本站原创 | 来源:本站原创 | 时间:2019-01-18 点击数:- 分享到:\n\n"
        "  建新镇根据《中华人民共和国政府信息公开条例》规定，特向社会公开年度报告。\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {"published_date": "2019-01-18"}
    assert rest == (
        "2018年建新镇政府信息公开工作年度报告\n\n\n"
        "  建新镇根据《中华人民共和国政府信息公开条例》规定，特向社会公开年度报告。\n"
    )


def test_space_separated_pairs_after_a_greeting_and_a_second_byline() -> None:
    # nm-shadege-sumu-2021: a greeting line, pairs two to a line, an empty 效力属性, 文  号
    # spaced, the title, then a byline with 发布人 and counters
    text = (
        "您好,欢迎登录乌拉特前旗政务公开平台\n索引号 wqqsdg/2022-06258 效力属性\n"
        "发布机构 沙德格苏木 文  号 沙政发〔2022〕5号\n成文日期 2022-01-08 发布日期 2022-09-06\n"
        "沙德格苏木2021年度政府信息公开工作年度报告\n"
        "发布单位:沙德格苏木 发布人:李姣 发布时间:2022-09-06 点击量:1 字体:\n\n一、总体情况\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "wqqsdg/2022-06258",
        "publisher": "沙德格苏木",
        "written_date": "2022-01-08",
        "published_date": "2022-09-06",
        "doc_number": "沙政发〔2022〕5号",
        "poster": "李姣",
    }
    assert rest == (
        "您好,欢迎登录乌拉特前旗政务公开平台\n沙德格苏木2021年度政府信息公开工作年度报告\n\n"
        "一、总体情况\n"
    )


def test_traditional_labels_with_pinyin_in_pipe_rows() -> None:
    # zj-xiaguan-town-trad-header-2009: a traditional-script mirror with pinyin after some
    # characters; values are kept as printed
    text = (
        "當(dāng)前位置 : 首頁 |\n|\n索引號: | 1133068200259085XF/2015-28256 | 公開方式: | "
        "主動公開 |\n"
        "文號: | 公開日期: | 2015-07-27 16:32 | |\n發(fā)布單位: | 下管鎮(zhèn) |\n"
        "2009年度下管鎮(zhèn)政府信息公開年度報(bào)告 | "
        "||\n根據(jù)《條例》有關(guān)規(guī)定,現(xiàn)將年度報告如下:\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "1133068200259085XF/2015-28256",
        "publisher": "下管鎮(zhèn)",
        "published_date": "2015-07-27",
        "disclosure": "主動公開",
    }
    assert "索引號" not in rest and "2009年度下管鎮(zhèn)" in rest


def test_a_doc_number_line_with_its_signer() -> None:
    # fj-minhou-water-dept-2010: the 文号 without a label, then 签发人
    text = (
        "侯水利〔2011〕47号 签发人:林振东\n根据《中华人民共和国政府信息公开条例》有关规定，"
        "特向社会公布。\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {"doc_number": "侯水利〔2011〕47号", "signer": "林振东"}
    assert rest == "根据《中华人民共和国政府信息公开条例》有关规定，特向社会公布。\n"


def test_a_markdown_rule_inside_a_pipe_header() -> None:
    # sd-linzi-forestry-spam-mirror-2008: "---|---|" under the first row; 无文号 is no 文号
    text = (
        "标题: | 林业局2008年政府信息公开年度报告 | ||\n---|---|---|---|\n"
        "索引号: | 12370305MB2887776R/2009-5098229 | 文号: | 无文号 |\n"
        "发文日期: | 2009-02-27 15:19:45 | 发布机构: | 林业服务中心 |\n"
        "根据市政府办公厅通知要求，现将我单位2008年度政府信息公开工作情况报告如下:\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "12370305MB2887776R/2009-5098229",
        "publisher": "林业服务中心",
        "written_date": "2009-02-27",
        "title": "林业局2008年政府信息公开年度报告",
    }
    assert rest == (
        "---|---|---|---|\n根据市政府办公厅通知要求，"
        "现将我单位2008年度政府信息公开工作情况报告如下:\n"
    )


def test_label_row_over_value_row_then_a_byline_under_the_title() -> None:
    # gs-zhangyi-town-label-row-2008; and xj-wuheshalu-township-2025's "〔〕号" placeholder
    text = (
        "索引号 | 公开方式 | 发布机构 |\n116223010139324488/2009-00021 | 主动公开 | "
        "凉州区张义镇人民政府 |\n"
        "2008年张义镇人民政府信息公开工作年度报告\n"
        "信息来源: 凉州区张义镇人民政府 发布日期: 2009-01-06 浏览次数: 次\n"
        "| 文 号 | 〔〕号 | 有 效 性 | |\n一、主动公开政府信息情况\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {
        "index_no": "116223010139324488/2009-00021",
        "publisher": "凉州区张义镇人民政府",
        "published_date": "2009-01-06",
        "disclosure": "主动公开",
    }
    assert rest == "2008年张义镇人民政府信息公开工作年度报告\n一、主动公开政府信息情况\n"


def test_a_dated_line_in_the_body_is_not_a_byline() -> None:
    # the top ends at the first heading or sentence: a date label further down is body
    text = "青溪县2023年政府信息公开工作年度报告\n一、总体情况\n时间：2023-05-06\n"
    assert parse_text_header(text) == ({}, text)


def test_a_byline_after_an_unlabelled_source_keeps_its_line() -> None:
    # the publisher printed without a label before the dated pair: the date is read, and the
    # line stays in the text, since its first words belong to no label
    text = (
        "青溪县2023年政府信息公开工作年度报告\n青溪县人民政府办公室 发布日期：2024-01-31 "
        "浏览次数：5\n"
        "一、总体情况\n"
    )
    meta, rest = parse_text_header(text)
    assert meta == {"published_date": "2024-01-31"}
    assert rest == text
