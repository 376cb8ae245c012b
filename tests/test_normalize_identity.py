"""report_year and org_name from titles and statistics periods seen on real reports."""

from __future__ import annotations

import pytest

from pipelines.normalize.identity import find_title, identify, title_parts


@pytest.mark.parametrize(("title", "year", "org"), [
    ("张家坡镇2020年度政府信息公开工作年度报告", 2020, "张家坡镇"),
    ("平昌关镇 2023 年政府信息公开工作年度报告", 2023, "平昌关镇"),
    ("2013年度谢塘镇政府信息公开工作年度报告", 2013, "谢塘镇"),
    ("顾县镇人民政府2020年政府信息公开工作年度报告", 2020, "顾县镇人民政府"),
    ("衡阳市人民政府办公室2008年度政务信息公开年度报告", 2008, "衡阳市人民政府办公室"),
    ("开阳县市场监管局2019年政府信息公开年度工作报告", 2019, "开阳县市场监管局"),
    ("2008年度衡阳市政府信息公开工作年度报告", 2008, "衡阳市"),
])
def test_title_parts(title, year, org):
    assert title_parts(title) == (year, org)


def test_title_split_over_two_lines_and_bookmark():
    assert find_title("张家坡镇2020年度政府信息公开工作年度\n报  告\n\n根据《条例》…") == "张家坡镇2020年度政府信息公开工作年度报告"
    assert find_title("[bookmark: _GoBack]鹿乡镇2020年政府信息公开工作年度报告\n正文") == "鹿乡镇2020年政府信息公开工作年度报告"


def test_title_from_pipe_header():
    text = "索引号 | 000014349/2021-337607 | ||\n标题 | 花戛乡人民政府2020年政府信息公开工作年度报告 |\n一、总体情况"
    assert find_title(text) == "花戛乡人民政府2020年政府信息公开工作年度报告"


def test_title_year_disagreeing_with_period_is_flagged():
    text = "田黄镇2020年政府信息公开工作年度报告\n本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。"
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
    identity = identify("无关的第一行\n正文", title="城关街道办事处2022年政府信息公开工作年度报告", meta={})
    assert (identity.report_year, identity.org_name) == (2022, "城关街道办事处")


def test_year_after_the_report_name():
    assert title_parts("某某县水利局政府信息公开工作年度报告（2020年）") == (2020, "某某县水利局")
    assert find_title("某某县水利局政府信息公开工作年度报告（2020年）\n正文") == "某某县水利局政府信息公开工作年度报告(2020年)"
