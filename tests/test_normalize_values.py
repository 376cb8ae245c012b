"""Cell readings: integers, decimals, signed changes, units, placeholders."""

from __future__ import annotations

import pytest

from pipelines.normalize.values import Reading, read_cell


@pytest.mark.parametrize(("text", "reading"), [
    ("0", Reading(0)),
    ("\u00a012 ", Reading(12)),
    ("+43", Reading(43)),
    ("-1942", Reading(-1942)),
    ("26.55", Reading(26.55)),
    ("20.001万元", Reading(20.001, unit="万元")),
    ("79000.1元", Reading(79000.1, unit="元")),
    ("1,205", Reading(1205)),
    ("１２", Reading(12)),
    ("/", Reading(0, placeholder=True)),
    ("—", Reading(0, placeholder=True)),
    ("无", Reading(0, placeholder=True)),
    ("-", Reading(0, placeholder=True)),
    ("规章", None),
    ("2020年本行政区域政府信息公开发布总数量", None),
])
def test_read_cell(text, reading):
    assert read_cell(text) == reading


def test_blank_is_a_value_only_where_the_caller_knows_the_column():
    assert read_cell("") is None
    assert read_cell(" ", blank_is_value=True) == Reading(0, placeholder=True)
    assert read_cell(None, blank_is_value=True) == Reading(0, placeholder=True)
