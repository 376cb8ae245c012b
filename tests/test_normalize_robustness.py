"""The normalizer takes any text or HTML without raising and always returns the schema."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.normalize import normalize_html, normalize_text

KEYS = {"schema_version", "source", "report_year", "org_name", "template", "meta", "active",
        "applications", "review_litigation", "checks", "flags"}
PIECES = st.sampled_from([
    "\t", "|", "\n", " ", "0", "12", "-3", "/", "—", "规章", "行政许可", "总计", "其他", "(七) 总计",
    "一、本年新收政府信息公开申请数量", "行政复议", "结果维持", "信息内容", "本年处理决定数量",
    "2020年", "政府信息公开工作年度报告", "<table>", "<tr>", "<td colspan=3>", "</td>", "</table>",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_text_never_raises(text):
    report = normalize_text(text, source="fuzz")
    assert KEYS <= set(report)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join))
def test_html_never_raises(html):
    report = normalize_html(html, source="fuzz")
    assert KEYS <= set(report)
