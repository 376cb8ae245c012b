"""Cell readings: integers, decimals, signed changes, units, placeholders."""

from __future__ import annotations

import pytest

from reports.normalize.values import Reading, fit, read_cell


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("0", Reading(0)),
        ("\u00a012 ", Reading(12)),
        ("+43", Reading(43)),
        ("-1942", Reading(-1942)),
        ("26.55", Reading(26.55)),
        ("20.001万元", Reading(20.001, unit="万元")),
        ("79000.1元", Reading(79000.1, unit="元")),
        ("1,205", Reading(1205)),
        ("１２", Reading(12)),
        ("? 0", Reading(0)),  # a space the mirror's encoding lost, before a value
        ("\ufffd5", Reading(5)),
        ("/", Reading(0, placeholder=True)),
        ("—", Reading(0, placeholder=True)),
        ("无", Reading(0, placeholder=True)),
        ("-", Reading(0, placeholder=True)),
        ("规章", None),
        ("2020年本行政区域政府信息公开发布总数量", None),
    ],
)
def test_read_cell(text, reading):
    assert read_cell(text) == reading


def test_blank_is_a_value_only_where_the_caller_knows_the_column():
    assert read_cell("") is None
    assert read_cell(" ", blank_is_value=True) == Reading(0, placeholder=True)
    assert read_cell(None, blank_is_value=True) == Reading(0, placeholder=True)


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("暂无", Reading(0, placeholder=True)),
        ("–", Reading(0, placeholder=True)),  # en dash
        ("3件", Reading(3)),
        ("477.35", Reading(477.35)),  # 059
        ("380 元", Reading(380, unit="元")),
        ("0 ", Reading(0)),  # " 0" with blank spaces (seed 003, 005, 066)
        ("第3项", None),
    ],
)
def test_more_cells(text, reading):
    assert read_cell(text) == reading


@pytest.mark.parametrize(
    ("cells", "width", "expected"),
    [
        # exactly as many filled cells as columns: empty ones are merged-cell residue
        ([None, 1, 2, None, 3, None], 3, [1, 2, 3]),
        # empty cells between filled ones make up the width: blank values
        (
            [3, None, None, None, None, None, 3],
            7,
            [3, "blank", "blank", "blank", "blank", "blank", 3],
        ),
        ([None, 3, None, 3, None], 3, [3, "blank", 3]),
        # too few, and no way to tell which are missing: nothing
        ([None, 0, 0, 0, 0, 0], 7, None),
        ([], 1, None),
    ],
)
def test_fit(cells, width, expected):
    readings = [None if c is None else Reading(c) for c in cells]
    result = fit(readings, width)
    if expected is None:
        assert result is None
    else:
        assert [("blank" if r.placeholder else r.value) for r in result] == expected
