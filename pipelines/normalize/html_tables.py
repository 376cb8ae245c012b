"""Tables 二/三/四 from HTML grids, cells mapped by row label and column header.

Each grid (one <table>, spans expanded) is scanned row by row. Header rows (labels, no
numbers) give a column → key map; data rows give a row key from their label cell and read
the cells in the mapped columns. Columns may come in any order and rows may be missing.
Where a block has no readable header the official column order is used, and only when the
row has exactly as many values as that order.
"""

from __future__ import annotations

from .grid import Grid, GridCell, html_grids
from .labels import (
    ACTIVE_COLUMNS,
    ACTIVE_ROWS,
    ACTIVE_STRUCTURE,
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    REVIEW_GROUPS,
    REVIEW_LEAVES,
    lookup,
    money_unit,
)
from .layout import MONEY_COLUMNS, APPLICANT_ORDER, REVIEW_GROUP_ORDER, REVIEW_LEAF_ORDER, active_columns
from .money import settle_money
from .tables import Tables
from .template import from_rows, from_year, vote
from .values import Reading, read_cell, store_positional, store_row

# A table-三 header is trusted once it names at least this many applicant columns; fewer
# is more likely a stray 总计/其他 cell of another table.
_MIN_HEADER = 3
# Without a header, a row needs this many values before it counts as a table-三 data row.
_MIN_POSITIONAL = 3


def parse_html_tables(root, *, year: int | None = None) -> Tables:
    grids = html_grids(root)
    texts = [cell.text for grid in grids for row in grid for cell in _origins(row)]
    tables = Tables(template=vote(texts) or _row_template(texts) or from_year(year))
    for grid in grids:
        _read_active(grid, tables)
        _read_applications(grid, tables)
        _read_review(grid, tables)
    return tables


def _row_template(texts: list[str]) -> str | None:
    keys = [lookup(ACTIVE_ROWS, t) for t in texts] + [lookup(APPLICATION_ROWS, t) for t in texts]
    return from_rows(k for k in keys if k)


def _origins(row: list[GridCell | None]) -> list[GridCell]:
    """The distinct cells of a grid row, left to right."""
    seen, cells = set(), []
    for cell in row:
        if cell is not None and cell.origin not in seen:
            seen.add(cell.origin)
            cells.append(cell)
    return cells


def _is_number(cell: GridCell | None) -> bool:
    reading = None if cell is None else read_cell(cell.text)
    return reading is not None and not reading.placeholder


def _column_keys(row: list[GridCell | None], table: LabelTable) -> dict[int, str]:
    keys = {}
    for c, cell in enumerate(row):
        key = None if cell is None else lookup(table, cell.text)
        if key is not None:
            keys[c] = key
    return keys


def _read_mapped(row, colmap: dict[int, str], keys: list[str], after: int) -> list[Reading | None]:
    """For each key, the cell in the first column mapped to it right of ``after``."""
    readings: list[Reading | None] = []
    for key in keys:
        column = next((c for c in sorted(colmap) if c > after and colmap[c] == key), None)
        cell = None if column is None else row[column]
        readings.append(None if column is None else read_cell(cell.text if cell else None, blank_is_value=True))
    return readings


def _row_label(row, table: LabelTable, skip: dict[int, str], rightmost: bool) -> tuple[int, str] | None:
    """(column, key) of the label cell naming this row, outside header-mapped columns."""
    found = None
    for c, cell in enumerate(row):
        if cell is None or c in skip or cell.origin[1] != c:
            continue
        key = lookup(table, cell.text)
        if key is not None:
            found = (c, key)
            if not rightmost:
                return found
    return found


def _value_cells(row, after: int) -> list[Reading]:
    """Positional fallback: the value cells right of the label, blank ones dropped."""
    readings = [read_cell(cell.text) for cell in _origins(row[after + 1:])]
    return [r for r in readings if r is not None]


def _read_active(grid: Grid, tables: Tables) -> None:
    colmap: dict[int, str] = {}
    header_unit = None
    for row in grid:
        numbers = any(_is_number(cell) for cell in row)
        header = _column_keys(row, ACTIVE_COLUMNS)
        if header and not numbers:
            colmap = header
            units = [money_unit(row[c].text) for c, key in header.items() if key in MONEY_COLUMNS]
            header_unit = next((u for u in units if u), None)
            continue
        label = _row_label(row, ACTIVE_ROWS, {}, rightmost=False)
        if label is None:
            if any(cell is not None and lookup(ACTIVE_STRUCTURE, cell.text) == "caption" for cell in row):
                colmap, header_unit = {}, None
            continue
        column, row_key = label
        if row_key in tables.active:
            continue
        columns = active_columns(tables.template, row_key)
        if colmap and set(columns) <= set(colmap.values()):
            readings = _read_mapped(row, colmap, columns, column)
            store_row(tables.active, "active", row_key, columns, readings, tables.flags)
        else:
            readings = _value_cells(row, column)
            if not readings:
                continue
            store_positional(tables.active, "active", row_key, columns, readings, tables.flags)
        placed = dict(zip(columns, readings)) if len(readings) == len(columns) else {}
        settle_money(tables.active[row_key], row_key, placed, header_unit if colmap else None, tables.flags)


def _read_applications(grid: Grid, tables: Tables) -> None:
    colmap: dict[int, str] = {}
    started = False
    for row in grid:
        numbers = any(_is_number(cell) for cell in row)
        header = _column_keys(row, APPLICANT_COLUMNS)
        if not started and header and not numbers:
            colmap.update(header)
            continue
        if started and any(cell is not None and lookup(REVIEW_GROUPS, cell.text) for cell in row):
            return
        label = _row_label(row, APPLICATION_ROWS, colmap, rightmost=True)
        if label is None or not (numbers or (started and colmap)):
            continue
        column, row_key = label
        if row_key in tables.applications:
            continue
        if len(set(colmap.values())) >= _MIN_HEADER:
            started = True
            readings = _read_mapped(row, colmap, APPLICANT_ORDER, column)
            for key, reading in zip(APPLICANT_ORDER, readings):
                if reading is None:
                    tables.flags.append(f"no readable cell: applications.{row_key}.{key}")
            store_row(tables.applications, "applications", row_key, APPLICANT_ORDER, readings, tables.flags)
            continue
        readings = _value_cells(row, column)
        if len(readings) >= _MIN_POSITIONAL:
            started = True
            store_positional(tables.applications, "applications", row_key, APPLICANT_ORDER, readings, tables.flags)


def _read_review(grid: Grid, tables: Tables) -> None:
    groups: dict[int, str] = {}
    leaves: dict[int, str] = {}
    for row in grid:
        if not any(_is_number(cell) for cell in row):
            row_groups = {c: g for c, g in _column_keys(row, REVIEW_GROUPS).items() if g != "litigation"}
            groups.update(row_groups)
            if groups:
                leaves.update(_column_keys(row, REVIEW_LEAVES))
            continue
        if len(leaves) < len(REVIEW_LEAF_ORDER) or tables.review_litigation:
            continue
        for group in REVIEW_GROUP_ORDER:
            colmap = {c: leaf for c, leaf in leaves.items() if groups.get(c) == group}
            if colmap:
                store_row(tables.review_litigation, "review_litigation", group, REVIEW_LEAF_ORDER,
                          _read_mapped(row, colmap, REVIEW_LEAF_ORDER, -1), tables.flags)
        return
