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
