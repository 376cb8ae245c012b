"""report_year and org_name from titles and statistics periods seen on real reports."""

from __future__ import annotations

import pytest

from reports.normalize.identity import find_title, identify, period_year, title_parts


@pytest.mark.parametrize(
    ("title", "year", "org"),
    [
        ("张家坡镇2020年度政府信息公开工作年度报告", 2020, "张家坡镇"),
        ("平昌关镇 2023 年政府信息公开工作年度报告", 2023, "平昌关镇"),
        ("2013年度谢塘镇政府信息公开工作年度报告", 2013, "谢塘镇"),
        ("顾县镇人民政府2020年政府信息公开工作年度报告", 2020, "顾县镇人民政府"),
        ("衡阳市人民政府办公室2008年度政务信息公开年度报告", 2008, "衡阳市人民政府办公室"),
        ("开阳县市场监管局2019年政府信息公开年度工作报告", 2019, "开阳县市场监管局"),
        ("2008年度衡阳市政府信息公开工作年度报告", 2008, "衡阳市"),
    ],
)
def test_title_parts(title, year, org):
    assert title_parts(title) == (year, org)


def test_title_split_over_two_lines_and_bookmark():
    assert (
        find_title("张家坡镇2020年度政府信息公开工作年度\n报  告\n\n根据《条例》…")
        == "张家坡镇2020年度政府信息公开工作年度报告"
    )
    assert (
        find_title("[bookmark: _GoBack]鹿乡镇2020年政府信息公开工作年度报告\n正文")
        == "鹿乡镇2020年政府信息公开工作年度报告"
    )


def test_title_from_pipe_header():
    text = (
        "索引号 | 000014349/2021-337607 | ||\n标题 | "
        "花戛乡人民政府2020年政府信息公开工作年度报告 |\n一、总体情况"
    )
    assert find_title(text) == "花戛乡人民政府2020年政府信息公开工作年度报告"


def test_title_year_disagreeing_with_period_is_flagged():
    text = (
        "田黄镇2020年政府信息公开工作年度报告\n本报告所列数据的统计期限自2021年1月1日起至2021年1"
        "2月31日止。"
    )
    identity = identify(text, title=None, meta={})
    assert identity.report_year == 2021
    assert identity.org_name == "田黄镇"
    assert any("2020" in f and "2021" in f for f in identity.flags)


def test_period_with_dropped_year_characters_gives_the_year():
    text = "政府信息公开工作年度报告\n统计期限为20201月1日至202012月31日。\n…\n某某县水利局"
    identity = identify(text, title=None, meta={})
    assert identity.report_year == 2020
    assert identity.org_name == "某某县水利局"


def test_title_argument_wins_over_text():
    identity = identify(
        "无关的第一行\n正文", title="城关街道办事处2022年政府信息公开工作年度报告", meta={}
    )
    assert (identity.report_year, identity.org_name) == (2022, "城关街道办事处")


def test_year_after_the_report_name():
    assert title_parts("某某县水利局政府信息公开工作年度报告（2020年）") == (2020, "某某县水利局")
    assert (
        find_title("某某县水利局政府信息公开工作年度报告（2020年）\n正文")
        == "某某县水利局政府信息公开工作年度报告(2020年)"
    )


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("本报告中所列数据统计期限自2020年1月1日起至2020年12月31日止。", 2020),
        ("统计期限为20201月1日至202012月31日。", 2020),  # 002: digits of spans stripped
        ("本年度报告中所列数据统计期限自20251月1日起至202512月31日止。", 2025),  # 037
        ("本报告所列数据统计期限为202111日起至20211230日止。", 2021),  # 吴起县周湾镇 2021
        ("本报告所列数据的统计期限自2020年1月1日起至2020你那12月31日止。", 2020),  # 019 typo
        (
            "本报告中所列数据的统计期限自2008年5月1日起至2008年12月31日止。",
            2008,
        ),  # old 条例 took effect 5月1日
        ("2019年5月15日，新修订的《条例》正式施行。", None),  # an event, not a period
    ],
)
def test_statistics_period(sentence, year):
    assert period_year(sentence) == year


@pytest.mark.parametrize(
    ("title", "year", "org"),
    [
        ("二〇二〇年度黄坪乡政府信息公开工作年度报告", 2020, "黄坪乡"),
        ("城南区人民政府办公室关于2019年政府信息公开工作年度报告", 2019, "城南区人民政府办公室"),
        ("关于2021年度大河镇政务公开工作年度报告", 2021, "大河镇"),
        ("石门县交通运输局2020年政府信息公开年报", 2020, "石门县交通运输局"),
        ("镇安县卫生健康局2012年政务信息公开年度报告", 2012, "镇安县卫生健康局"),
    ],
)
def test_more_title_forms(title, year, org):
    assert title_parts(title) == (year, org)


def test_title_after_site_chrome_and_ending_in_nianbao():
    text = (
        "首页 > 政务公开 > 年度报告\n字体:[大 中 小]  关怀版 无障碍\n发布时间:2021-01-20 "
        "浏览次数:120\n"
        "石门县交通运输局2020年政府信息公开年报\n根据《条例》…"
    )
    assert find_title(text) == "石门县交通运输局2020年政府信息公开年报"


def test_title_year_contradicted_by_the_body_without_a_period():
    # 邹城市田黄镇: title 2020, every statement of the body about 2021
    text = (
        "邹城市田黄镇2020年政府信息公开工作年度报告\n一、总体情况\n"
        "2021年，田黄镇认真贯彻落实《条例》。2021年共主动公开政府信息320条。\n"
        "2021年未收到政府信息公开申请。2020年同期为2件。\n五、存在的主要问题及改进情况\n"
    )
    identity = identify(text, title=None, meta={})
    assert identity.report_year == 2021
    assert any("2020" in f and "2021" in f and "body" in f for f in identity.flags)


def test_body_dates_and_next_years_plans_do_not_override_the_title():
    text = (
        "大河镇2020年政府信息公开工作年度报告\n一、总体情况\n"
        "2019年5月15日起施行的《条例》…本年度共公开信息88条。2019年12月10日召开会议。2019年6月1日…\n"
        "五、存在的主要问题及改进情况\n2021年，我镇将…2021年要…2021年继续…2021年力争…\n"
    )
    identity = identify(text, title=None, meta={})
    assert identity.report_year == 2020
    assert identity.flags == []


def test_republished_page_keeps_the_report_year():
    # 025/069: a 2008 report re-published in 2020; the publish date is not the report year
    text = "衡阳市人民政府办公室2008年度政务信息公开年度报告\n2008年，我办…"
    identity = identify(text, title=None, meta={"published_date": "2020-06-23"})
    assert identity.report_year == 2008


def test_org_from_the_opening_paragraph_when_the_title_has_none():
    text = (
        "2020年政府信息公开工作年度报告\n本报告由大河县水利局编制，全文包括总体情况…"
        "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
    )
    identity = identify(text, title=None, meta={})
    assert (identity.report_year, identity.org_name) == (2020, "大河县水利局")


def test_spam_mirror_name_is_not_trusted():
    # 024/059: a mirror replaced the agency's name with a gambling phrase
    text = (
        "澳门威尼斯人娱乐城2020年政府信息公开工作年度报告\n2020年，"
        "我局…\n大河县水利局\n2021年1月20日"
    )
    identity = identify(text, title=None, meta={})
    assert identity.report_year == 2020
    assert identity.org_name == "大河县水利局"
    assert "org name replaced by spam phrases (mirror page); not trusted" in identity.flags


def test_stale_period_sentence_loses_to_title_and_body():
    # the period sentence copied from last year's report; title and body say 2021
    text = (
        "大河镇2021年政府信息公开工作年度报告\n本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。\n"
        "一、总体情况\n2021年，我镇…。2021年共主动公开政府信息120条。2021年未收到申请。2021年未发生复议。\n"
    )
    identity = identify(text, title=None, meta={})
    assert identity.report_year == 2021
    assert any("period" in f and "using the title" in f for f in identity.flags)


def test_title_and_period_disagree_and_the_body_is_silent():
    text = (
        "邹城市田黄镇2020年政府信息公开工作年度报告\n本报告所列数据的统计期限自2021年1月1日起至2"
        "021年12月31日止。\n本年度…"
    )
    identity = identify(text, title=None, meta={})
    assert identity.report_year == 2021


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # metadata header forms of docs/report-templates.md §6.1 left in the text
        (
            "标      题：石门县交通运输局2020年政府信息公开工作年度报告\n正文",
            "石门县交通运输局2020年政府信息公开工作年度报告",
        ),  # 040
        (
            "- 索引号\n- 005452065/2021-00012\n- 标题\n- "
            "石门县交通运输局2020年政府信息公开工作年度报告\n正文",
            "石门县交通运输局2020年政府信息公开工作年度报告",
        ),  # 063
        (
            "名称：大河镇2021年政府信息公开工作年度报告\n文号：\n正文",
            "大河镇2021年政府信息公开工作年度报告",
        ),  # 067
        (
            "当前位置：首页 > 政务公开 > 大河镇2021年政府信息公开工作年度报告\n正文",
            "大河镇2021年政府信息公开工作年度报告",
        ),
        # the body's name on its own line above a title that has none (PDF line wrap)
        (
            "大河县人民政府办公室\n2020年政府信息公开工作年度报告\n正文",
            "大河县人民政府办公室2020年政府信息公开工作年度报告",
        ),
        (
            "发布机构：大河县水利局\n2020年政府信息公开工作年度报告\n正文",
            "2020年政府信息公开工作年度报告",
        ),
    ],
)
def test_title_found_among_header_and_chrome_lines(text, title):
    assert find_title(text) == title


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("二〇二〇年度青溪县政府信息公开工作年度报告", 2020),
        ("青溪县二○二一年政府信息公开工作年度报告", 2021),  # ○ (U+25CB) for zero, as typed
        ("青溪县二零一九年政府信息公开工作年度报告", 2019),
    ],
)
def test_title_year_in_chinese_numerals(title: str, year: int) -> None:
    from reports.normalize.identity import title_parts

    assert title_parts(title) == (year, "青溪县")


# --- issue 10: the tables' labels and form take part in identity ------------------------

EMPTY_2019_TABLES = """青溪县2020年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项 | ||||
信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
规章 | | | |
规范性文件 | | | |
第二十条第(五)项 | ||||
信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
行政许可 | | | |
其他对外管理服务事项 | | | |
三、收到和处理政府信息公开申请情况
"""


def test_empty_2019_tables_are_of_the_2019_form_not_free_form() -> None:
    # A 2019-format table whose data cells are all empty: its labels decide the form.
    from reports.normalize import normalize_text

    report = normalize_text(EMPTY_2019_TABLES, source="inline")
    assert report["template"] == "2019"
    assert "template 2019 from the tables' labels; the tables print no values" in report["flags"]


STALE_PERIOD_2021 = """龙田镇2021年政府信息公开工作年度报告
本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。
一、总体情况
二、主动公开政府信息情况
第二十条第(一)项
信息内容→本年制发件数→本年废止件数→现行有效件数
规章→0→0→0
行政规范性文件→2→0→9
第二十条第(五)项
信息内容→本年处理决定数量
行政许可→31
"""


def test_a_stale_period_sentence_loses_to_the_title_the_tables_agree_with() -> None:
    # Period sentence copied from the 2020 report; the title says 2021 and the tables are of
    # the 2021 form (本年制发件数), which no 2020 report used.
    from reports.normalize import normalize_text

    report = normalize_text(STALE_PERIOD_2021.replace("→", "\t"), source="inline")
    assert (report["template"], report["report_year"]) == ("2021", 2021)
    assert (
        "report_year 2021 from the title: the statistics period says 2020, but the tables are of "
        "the 2021 form, used from 2021"
    ) in report["flags"]
    assert not any(f.startswith("title year 2021 differs") for f in report["flags"])


def test_the_period_still_wins_when_the_tables_cannot_tell() -> None:
    # 2019-form tables fit both 2019 and 2020: the period sentence decides, flagged as before.
    from reports.normalize import normalize_text

    text = EMPTY_2019_TABLES.replace("青溪县2020年", "青溪县2019年").replace(
        "二、主动公开", "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。\n二、主动公开"
    )
    report = normalize_text(text, source="inline")
    assert report["report_year"] == 2020
    assert (
        "title year 2019 differs from statistics period year 2020; using the period"
        in report["flags"]
    )


def test_template_from_the_year_alone_says_so() -> None:
    from reports.normalize import normalize_text

    text = (
        "青溪县2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、"
        "本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"
    )
    report = normalize_text(text, source="inline")
    assert report["template"] == "2021"
    assert "template 2021 from the report year: no label or row of one form only" in report["flags"]
