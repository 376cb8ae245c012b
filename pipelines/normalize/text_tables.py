"""Tables 二/三/四 from report text: tab rows, cell-per-line dumps, pipe dumps.

The text is turned into a stream of non-empty cells (split on newlines, TABs and "|";
empty merged-cell residue is dropped). Row labels are found through the label tables and
each row takes the value cells that follow it up to the next non-value cell.
"""

from __future__ import annotations

import re

from .labels import (
    ACTIVE_COLUMNS,
    ACTIVE_ROWS,
    ACTIVE_STRUCTURE,
    APPLICATION_ANCHORS,
    APPLICATION_ROWS,
    REVIEW_GROUPS,
    REVIEW_LEAVES,
    lookup,
    money_unit,
)
from .layout import APPLICANT_ORDER, REVIEW_GROUP_ORDER, REVIEW_LEAF_ORDER, active_columns
from .tables import Tables, vote_template
from .values import Reading, read_cell, store_positional, store_row, store_short_row

_SPLIT = re.compile(r"[\t|]")
_TRIM = " \u00a0\u3000\ufeff\u200b"


def text_cells(text: str) -> list[str]:
    """Every non-empty cell of the text, in reading order."""
    cells = []
    for line in text.splitlines():
        for part in _SPLIT.split(line):
            part = part.strip(_TRIM)
            if part:
                cells.append(part)
    return cells


def _values_after(cells: list[str], start: int) -> list[Reading]:
    """The run of value cells that starts at ``start``."""
    readings = []
    for cell in cells[start:]:
        reading = read_cell(cell)
        if reading is None:
            break
        readings.append(reading)
    return readings


def _first(cells: list[str], test, start: int = 0) -> int | None:
    return next((i for i in range(start, len(cells)) if test(cells[i])), None)


def parse_text_tables(text: str) -> Tables:
    cells = text_cells(text)
    tables = Tables(template=vote_template(cells))
    t3 = _first(cells, lambda c: lookup(APPLICATION_ANCHORS, c) is not None or lookup(APPLICATION_ROWS, c) == "new_received")
    t4 = _first(cells, lambda c: lookup(REVIEW_GROUPS, c) == "review", t3 or 0)
    t2 = _first(cells, lambda c: lookup(ACTIVE_STRUCTURE, c) is not None) or 0
    t2_end = t3 if t3 is not None else (t4 if t4 is not None else len(cells))
    _read_active(cells[t2:t2_end], tables)
    if t3 is not None:
        _read_applications(cells[t3:t4], tables)
    if t4 is not None:
        _read_review(cells[t4:], tables)
    return tables


def _header_columns(cells: list[str]) -> list[str]:
    """Column keys of a one-row header, joining cells split over lines ("本年新" + "制作数量")."""
    keys, i = [], 0
    while i < len(cells):
        key = lookup(ACTIVE_COLUMNS, cells[i])
        if key is None and i + 1 < len(cells):
            key = lookup(ACTIVE_COLUMNS, cells[i] + cells[i + 1])
            i += key is not None
        if key is not None:
            keys.append(key)
        i += 1
    return keys


def _read_active(cells: list[str], tables: Tables) -> None:
    header: list[str] = []
    header_cells: list[str] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        structure = lookup(ACTIVE_STRUCTURE, cell)
        row_key = lookup(ACTIVE_ROWS, cell)
        if structure == "caption":
            header, header_cells = [], []
        elif structure == "header":
            end = _first(cells, lambda c: lookup(ACTIVE_ROWS, c) or lookup(ACTIVE_STRUCTURE, c), i + 1) or len(cells)
            header_cells = cells[i + 1:end]
            header = _header_columns(header_cells)
            i = end
            continue
        elif row_key is not None and row_key not in tables.active:
            readings = _values_after(cells, i + 1)
            _store_active(tables, row_key, header, header_cells, readings)
            i += 1 + len(readings)
            continue
        i += 1


def _store_active(tables: Tables, row_key: str, header: list[str], header_cells: list[str], readings: list[Reading]) -> None:
    if not readings:
        return
    columns = active_columns(tables.template, row_key)
    if sorted(header) == sorted(columns):
        columns = header  # the report's own order
    store_positional(tables.active, "active", row_key, columns, readings, tables.flags)
    if row_key == "procurement":
        units = [money_unit(c) for c in header_cells if lookup(ACTIVE_COLUMNS, c) == "amount"]
        units += [r.unit for r in readings if r.unit]
        tables.active[row_key]["amount_unit"] = next((u for u in units if u), None)


def _read_applications(cells: list[str], tables: Tables) -> None:
    """Each row label with the values after it; a label with no values is a header or group."""
    found: dict[str, list[Reading]] = {}
    for i, cell in enumerate(cells):
        row_key = lookup(APPLICATION_ROWS, cell)
        if row_key is None:
            continue
        readings = _values_after(cells, i + 1)
        if not readings:
            continue
        previous = found.get(row_key)
        if previous is None or (len(previous) != len(APPLICANT_ORDER) and len(readings) == len(APPLICANT_ORDER)):
            found[row_key] = readings
    columns = APPLICANT_ORDER
    if _total_first(found.values()):
        columns = APPLICANT_ORDER[-1:] + APPLICANT_ORDER[:-1]
        tables.flags.append("applications: 总计 read as the first column (only that order adds up)")
    for row_key, readings in found.items():
        store_positional(tables.applications, "applications", row_key, columns, readings, tables.flags)


def _total_first(rows) -> bool:
    """True when the rows add up only with 总计 as the first column (073 lists it first).

    A text dump cannot show a multi-row header's column order, so the numbers decide; an
    all-zero table or one that adds up either way keeps the official order.
    """
    full = [[r.value for r in row] for row in rows if len(row) == len(APPLICANT_ORDER)]
    last_ok = all(sum(v[:-1]) == v[-1] for v in full)
    first_ok = all(sum(v[1:]) == v[0] for v in full)
    return bool(full) and first_ok and not last_ok


def _read_review(cells: list[str], tables: Tables) -> None:
    """The 15 values after the header of table 四, in the official order.

    A header broken beyond recognition (PDF text: "结果 结果 其他 / 维持 纠正 结果") still
    gives the table when exactly 15 values follow it.
    """
    expected = len(REVIEW_GROUP_ORDER) * len(REVIEW_LEAF_ORDER)
    leaves = 0
    for i, cell in enumerate(cells):
        if lookup(REVIEW_LEAVES, cell) is not None:
            leaves += 1
            continue
        if read_cell(cell) is None:
            continue
        readings = _values_after(cells, i)
        if leaves < len(REVIEW_LEAF_ORDER):
            if len(readings) != expected:
                continue
            tables.flags.append("table 四 header not recognised; official column order assumed")
        for g, group in enumerate(REVIEW_GROUP_ORDER):
            chunk = readings[g * len(REVIEW_LEAF_ORDER):(g + 1) * len(REVIEW_LEAF_ORDER)]
            if len(readings) == expected:
                store_row(tables.review_litigation, "review_litigation", group, REVIEW_LEAF_ORDER, chunk, tables.flags)
            else:
                store_short_row(tables.review_litigation, "review_litigation", group, REVIEW_LEAF_ORDER, len(readings), tables.flags)
        return
