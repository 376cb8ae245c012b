"""Round trip: random valid reports of both forms, rendered into every text shape and HTML
layout of tests/fixtures/normalize/render.py, read back to exactly the values they were
made from — and with every check passing, since the reports are valid."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.normalize import normalize_html, normalize_text
from simulator import forms
from tests.fixtures.normalize.render import HTML_LAYOUTS, TEXT_SHAPES, Report, Style

ORGS = [
    "顾县镇人民政府",
    "城关街道办事处",
    "东川县司法局",
    "花戛乡人民政府",
    "石门县交通运输局",
    "鹿乡镇",
]
# Examples per shape in `make test`; NIANBAO_ROUNDTRIP_EXAMPLES=500 for a deeper local run.
EXAMPLES = int(os.environ.get("NIANBAO_ROUNDTRIP_EXAMPLES", "25"))

counts = st.integers(0, 40)
small = st.integers(0, 3)


@st.composite
def active_tables(draw, template: str) -> dict:
    active = {}
    for block in forms.ACTIVE_BLOCKS[template]:
        for row, _ in block.rows:
            values = {}
            for column, _ in block.columns:
                if column == "change":
                    values[column] = draw(st.integers(-60, 60))
                elif column == "amount_wan_yuan":
                    values[column] = draw(st.integers(0, 99999)) / 100
                elif column == "amount":
                    values[column] = draw(
                        st.one_of(
                            st.integers(0, 900000), st.integers(0, 99999).map(lambda v: v / 10)
                        )
                    )
                else:
                    values[column] = draw(st.integers(0, 9000))
            active[row] = values
    if template == "2019":
        active["procurement"]["amount_unit"] = draw(st.sampled_from(["元", "万元", None]))
    return active


@st.composite
def application_tables(draw, template: str) -> dict:
    """Valid table 三: every row adds up (C1), and per column results = 总计 (C3) and
    new + carried over = handled + carried forward (C2)."""
    rows = [key for key, *_ in forms.application_rows(template)]
    results = forms.result_keys(template)
    table = {key: {} for key in rows}
    for column in forms.APPLICANT_KEYS:
        draw_count = counts if column == "natural_person" else small
        handled = 0
        for key in results:
            table[key][column] = draw(draw_count)
            handled += table[key][column]
        forward = draw(small)
        carried = draw(st.integers(0, handled + forward))
        table["total_handled"][column] = handled
        table["carried_forward"][column] = forward
        table["carried_over"][column] = carried
        table["new_received"][column] = handled + forward - carried
    for values in table.values():
        values["total"] = sum(values[c] for c in forms.APPLICANT_KEYS)
    return table


@st.composite
def review_tables(draw) -> dict:
    review = {}
    for group, _ in forms.REVIEW_GROUPS:
        leaves = {c: draw(small) for c, _ in forms.REVIEW_COLUMNS[:4]}
        review[group] = {**leaves, "total": sum(leaves.values())}
    return review


@st.composite
def reports(draw) -> Report:
    template = draw(st.sampled_from(forms.TEMPLATES))
    year = draw(
        st.sampled_from([2019, 2020] if template == "2019" else [2021, 2022, 2023, 2024, 2025])
    )
    return Report(
        draw(st.sampled_from(ORGS)),
        year,
        template,
        draw(active_tables(template)),
        draw(application_tables(template)),
        draw(review_tables()),
    )


styles = st.builds(
    Style,
    half_width=st.booleans(),
    zero_as=st.sampled_from(["0", "0", "/", "-", "—", "无"]),
    plus_sign=st.booleans(),
    amount_in_cell=st.booleans(),
    pdf_page_break=st.integers(0, 20),
    traditional=st.booleans(),
)


def _assert_round_trip(normalized: dict, report: Report) -> None:
    assert (normalized["report_year"], normalized["org_name"]) == (report.year, report.org)
    assert normalized["template"] == report.template
    for section in ("active", "applications", "review_litigation"):
        got, made = normalized[section], getattr(report, section)
        wrong = {
            row: (got.get(row), made.get(row))
            for row in set(got) | set(made)
            if got.get(row) != made.get(row)
        }
        assert not wrong, f"{section} (read, made): {wrong}; flags: {normalized['flags']}"
    failed = [
        (c["rule"], c["where"], c["detail"]) for c in normalized["checks"] if c["ok"] is not True
    ]
    assert not failed


@pytest.mark.parametrize("shape", sorted(TEXT_SHAPES))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), style=styles)
def test_text_shapes_round_trip(shape, report, style):
    _assert_round_trip(normalize_text(TEXT_SHAPES[shape](report, style), source=shape), report)


@pytest.mark.parametrize("layout", sorted(HTML_LAYOUTS))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), style=styles)
def test_html_layouts_round_trip(layout, report, style):
    _assert_round_trip(normalize_html(HTML_LAYOUTS[layout](report, style), source=layout), report)
