"""The normalizer takes any text or HTML without raising and always returns the schema."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.normalize import normalize_html, normalize_text

KEYS = {
    "schema_version",
    "source",
    "report_year",
    "org_name",
    "template",
    "meta",
    "active",
    "applications",
    "review_litigation",
    "checks",
    "flags",
}
PIECES = st.sampled_from(
    [
        "\t",
        "|",
        "\n",
        " ",
        "0",
        "12",
        "-3",
        "/",
        "—",
        "规章",
        "行政许可",
        "总计",
        "其他",
        "(七) 总计",
        "一、本年新收政府信息公开申请数量",
        "行政复议",
        "结果维持",
        "信息内容",
        "本年处理决定数量",
        "2020年",
        "政府信息公开工作年度报告",
        "<table>",
        "<tr>",
        "<td colspan=3>",
        "</td>",
        "</table>",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_text_never_raises(text):
    report = normalize_text(text, source="fuzz")
    assert set(report) >= KEYS


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_html_never_raises(html):
    report = normalize_html(html, source="fuzz")
    assert set(report) >= KEYS


# --- issue 11 fuzzing findings: huge numbers, negative and absurd counts -------------------

import json  # noqa: E402

import pytest  # noqa: E402

from reports.extract import parse_text_header  # noqa: E402

ROW = "一、本年新收政府信息公开申请数量\t{}\t0\t0\t0\t0\t0\t{}\n"


def _dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, allow_nan=False)  # raises on inf / huge ints


def test_a_number_of_more_than_4300_digits_does_not_raise():
    huge = "9" * 5000
    report = normalize_text(
        ROW.format(huge, huge) + f"全年共主动公开政府信息{huge}条。\n", source="fuzz"
    )
    _dumps(report)
    assert report["applications"]["new_received"]["natural_person"] is None
    assert (
        "number of 5000 digits not kept: applications.new_received.natural_person"
        in report["flags"]
    )
    assert "proactive_items" not in report["prose_facts"]


def test_negative_and_absurd_counts_are_kept_but_flagged():
    report = normalize_text(ROW.format("-3", "1" + "0" * 30), source="fuzz")
    row = report["applications"]["new_received"]
    assert row["natural_person"] == -3 and row["total"] == 10**30
    assert (
        "negative value kept as printed: applications.new_received.natural_person = -3"
        in report["flags"]
    )
    assert (
        f"implausibly large value kept as printed: applications.new_received.total = {10**30}"
        in report["flags"]
    )
    _dumps(report)


def test_a_signed_change_of_items_is_not_flagged():
    report = normalize_text(
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t8249\t-1942\t6307\n",
        source="fuzz",
    )
    assert report["active"]["licensing"]["change"] == -1942
    assert not any("negative" in f for f in report["flags"])


# Pieces of every kind of input the readers see: header labels and separators, table labels,
# numbers of every size and sign, Chinese numerals, control characters, mark-up.
FUZZ_PIECES = st.sampled_from(
    [
        "\t",
        "|",
        "\n",
        "\r",
        " ",
        "\u3000",
        "\x00",
        "\x0b",
        "\ufeff",
        "\u200b",
        ":",
        "：",
        "- ",
        ">",
        "0",
        "7",
        "-3",
        "+43",
        "26.55",
        "1" + "0" * 30,
        "9" * 4400,
        "1,286",
        "20.001万元",
        "/",
        "—",
        "索引号",
        "索 引 号",
        "发布机构",
        "发文日期",
        "2024年01月05日",
        "您现在的位置：首页",
        "标      题",
        "规章",
        "行政许可",
        "总计",
        "(七) 总计",
        "一、本年新收政府信息公开申请数量",
        "四、结转下年度继续办理",
        "行政复议",
        "本年处理决定数量",
        "统计期限自2020年1月1日起至2020年12月31日止",
        "二〇二一年",
        "一百二十件",
        "共收到政府信息公开申请",
        "政府信息公开工作年度报告",
        "<table>",
        "<tr>",
        "<td>",
        "</td>",
        "<td colspan=99999>",
        "<td rowspan=0>",
        "</table>",
        "<p>",
        "&#0;",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(FUZZ_PIECES, max_size=60).map("".join) | st.text(max_size=200))
def test_no_exception_escapes_any_reader(text):
    meta, rest = parse_text_header(text)
    # the rest is the text without the header's lines: its lines, in order, are the text's
    lines = iter(text.splitlines(keepends=True))
    assert all(line in lines for line in rest.splitlines(keepends=True))
    assert all(isinstance(v, str) for v in meta.values())
    for read in (normalize_text, normalize_html):
        report = read(text, source="fuzz")
        assert set(report) >= KEYS
        _dumps(report)


@pytest.mark.parametrize("digits", [4299, 4301, 20000])
def test_huge_numbers_in_every_reader(digits):
    n = "8" * digits
    for read in (normalize_text, normalize_html):
        _dumps(
            read(
                f"<table><tr><td>规章</td><td>{n}</td><td>0</td><td>0</td></tr></table>"
                f"\n{ROW.format(n, n)}",
                source="fuzz",
            )
        )
