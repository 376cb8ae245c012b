"""Tables 二/三/四 from HTML grids, cells mapped by row label and column header.

Each grid (one <table>, spans expanded) is scanned row by row. Header rows (labels, no
numbers) give a column → key map; data rows give a row key from their label cell and read
the cells in the mapped columns. Columns may come in any order and rows may be missing.
Where a block has no readable header (an image, or the second half of a table cut by a page
break), each row's own cells right of its label are read: in a grid, empty <td>s are real
cells, so exactly the form's width of cells is the row, blanks included; otherwise the filled
cells must be exactly that many (values.fit). Table 四 is read in the official order when a
row has exactly its fifteen cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from .applicants import applicant_order
from .grid import Grid, GridCell, html_grids
from .labels import (
    ACTIVE_COLUMNS,
    ACTIVE_ROWS,
    ACTIVE_STRUCTURE,
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    REVIEW_GROUPS,
    REVIEW_LEAVES,
    LabelTable,
    lookup,
    money_unit,
)
from .layout import (
    APPLICANT_ORDER,
    MONEY_COLUMNS,
    REVIEW_GROUP_ORDER,
    REVIEW_LEAF_ORDER,
    active_columns,
)
from .money import settle_money
from .tables import Tables
from .template import from_rows, from_year, vote
from .values import (
    Reading,
    fit,
    read_cell,
    store_review_in_template_order,
    store_row,
    store_short_row,
)

# A table-三 header is trusted once it names at least this many applicant columns; fewer
# is more likely a stray 总计/其他 cell of another table.
_MIN_HEADER = 3
# Without a header, a row needs this many values before it counts as a table-三 data row.
_MIN_POSITIONAL = 3
_REVIEW_WIDTH = len(REVIEW_GROUP_ORDER) * len(REVIEW_LEAF_ORDER)


def parse_html_tables(root: etree._Element, *, year: int | None = None) -> Tables:
    grids = html_grids(root)
    texts = [cell.text for grid in grids for row in grid for cell in _origins(row)]
    voted = vote(texts)
    by_rows = _row_template(texts)
    tables = Tables(
        template=voted or by_rows or from_year(year),
        voted=voted is not None,
        labelled=(voted or by_rows) is not None,
    )
    for grid in grids:
        # which rows print a number: each of the three readers asks it of every row
        numbers = [any(_is_number(cell) for cell in row) for row in grid]
        _read_active(grid, numbers, tables)
        _read_applications(grid, numbers, tables)
        _read_review(grid, numbers, tables)
    return tables


def _row_template(texts: list[str]) -> str | None:
    keys = [lookup(ACTIVE_ROWS, t) for t in texts] + [lookup(APPLICATION_ROWS, t) for t in texts]
    return from_rows(k for k in keys if k)


def _origins(row: list[GridCell | None]) -> list[GridCell]:
    """The distinct cells of a grid row, left to right."""
    seen: set[tuple[int, int]] = set()
    cells: list[GridCell] = []
    for cell in row:
        if cell is not None and cell.origin not in seen:
            seen.add(cell.origin)
            cells.append(cell)
    return cells


def _is_number(cell: GridCell | None) -> bool:
    reading = None if cell is None else read_cell(cell.text)
    return reading is not None and not reading.placeholder


def _is_value(cell: GridCell | None) -> bool:
    """A number or a placeholder ("/", "-", "无"): a cell a reader fills in."""
    return cell is not None and read_cell(cell.text) is not None


def _column_keys(row: list[GridCell | None], table: LabelTable) -> dict[int, str]:
    keys: dict[int, str] = {}
    for c, cell in enumerate(row):
        key = None if cell is None else lookup(table, cell.text)
        if key is not None:
            keys[c] = key
    return keys


def _read_mapped(
    row: list[GridCell | None], colmap: dict[int, str], keys: list[str], after: int
) -> list[Reading | None]:
    """For each key, the cell in the first column mapped to it right of ``after``."""
    first: dict[str, int] = {}  # each key's first mapped column right of the label
    for c in sorted(colmap):
        if c > after:
            first.setdefault(colmap[c], c)
    readings: list[Reading | None] = []
    for key in keys:
        column = first.get(key)
        cell = None if column is None else row[column]
        readings.append(
            None if column is None else read_cell(cell.text if cell else None, blank_is_value=True)
        )
    return readings


def _row_label(
    row: list[GridCell | None], table: LabelTable, skip: dict[int, str], rightmost: bool
) -> tuple[int, str] | None:
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


def _cells_right_of(row: list[GridCell | None], column: int) -> list[Reading | None]:
    """The cells right of the label, each merged cell once; an empty or text cell is None."""
    return [read_cell(cell.text) for cell in _origins(row[column + 1 :]) if cell.origin[1] > column]


def _read_active(grid: Grid, row_numbers: list[bool], tables: Tables) -> None:
    colmap: dict[int, str] = {}
    header_unit = None
    for row, numbers in zip(grid, row_numbers, strict=True):
        header = _column_keys(row, ACTIVE_COLUMNS)
        if header and not numbers:
            colmap = header
            units = [
                money_unit(cell.text)
                for c, key in header.items()
                if key in MONEY_COLUMNS and (cell := row[c]) is not None
            ]
            header_unit = next((u for u in units if u), None)
            continue
        label = _row_label(row, ACTIVE_ROWS, {}, rightmost=False)
        if label is None:
            if any(
                cell is not None and lookup(ACTIVE_STRUCTURE, cell.text) == "caption"
                for cell in row
            ):
                colmap, header_unit = {}, None
            continue
        column, row_key = label
        if row_key in tables.active:
            continue
        columns = active_columns(tables.template, row_key)
        readings: Sequence[Reading | None] | None
        if colmap and set(columns) <= set(colmap.values()):
            readings = _read_mapped(row, colmap, columns, column)
        else:
            cells = _cells_right_of(row, column)
            if not any(c is not None for c in cells):
                continue
            readings = fit(cells, len(columns))
            if readings is None:
                store_short_row(
                    tables.active,
                    "active",
                    row_key,
                    columns,
                    sum(c is not None for c in cells),
                    tables.flags,
                )
                continue
        store_row(tables.active, "active", row_key, columns, readings, tables.flags)
        settle_money(
            tables.active[row_key],
            row_key,
            dict(zip(columns, readings, strict=True)),
            header_unit if colmap else None,
            tables.flags,
        )


def _read_applications(grid: Grid, row_numbers: list[bool], tables: Tables) -> None:
    colmap: dict[int, str] = {}
    data: list[tuple[str, int, list[GridCell | None]]] = []  # (row key, label column, grid row)
    for row, numbers in zip(grid, row_numbers, strict=True):
        header = _column_keys(row, APPLICANT_COLUMNS)
        if not data and header and not numbers:
            colmap.update(header)
            continue
        if data and any(cell is not None and lookup(REVIEW_GROUPS, cell.text) for cell in row):
            break
        label = _row_label(row, APPLICATION_ROWS, colmap, rightmost=True)
        if label is None:
            continue
        column, row_key = label
        has_header = len(set(colmap.values())) >= _MIN_HEADER
        # a row of blank cells counts once the table has shown data rows (a header, earlier rows)
        blank_row = bool(data or tables.applications) and (
            has_header or _own_cells(row, column) is not None
        )
        if not (numbers or blank_row):
            continue
        if row_key in tables.applications or any(key == row_key for key, _, _ in data):
            continue
        if (
            has_header
            or blank_row
            or (sum(c is not None for c in _cells_right_of(row, column)) >= _MIN_POSITIONAL)
        ):
            data.append((row_key, column, row))
    if not data:
        return
    if len(set(colmap.values())) >= _MIN_HEADER:
        _store_mapped(data, colmap, tables)
        return
    # No header (an image, or the second half of a table cut by a page break): each row's own
    # cells right of its label, which in a grid are real <td>s, blank ones included.
    rows = {row_key: _own_cells(row, column) for row_key, column, row in data}
    columns = applicant_order(
        [r for r in rows.values() if r is not None and not any(x.placeholder for x in r)],
        False,
        tables.flags,
    )
    for (row_key, column, row), readings in zip(data, rows.values(), strict=True):
        if readings is None:
            cells = _cells_right_of(row, column)
            store_short_row(
                tables.applications,
                "applications",
                row_key,
                APPLICANT_ORDER,
                sum(c is not None for c in cells),
                tables.flags,
            )
            tables.printed[f"applications.{row_key}"] = [c.value for c in cells if c is not None]
        else:
            store_row(tables.applications, "applications", row_key, columns, readings, tables.flags)


def _own_cells(row: list[GridCell | None], column: int) -> list[Reading] | None:
    """The seven values right of a header-less row's label: exactly seven cells (blank ones
    read as 0), or exactly seven filled ones among more; None otherwise."""
    cells = _origins([c for c in row[column + 1 :] if c is not None and c.origin[1] > column])
    readings = [read_cell(c.text, blank_is_value=True) for c in cells]
    filled = [r for r in readings if r is not None]
    if len(readings) == len(filled) == len(APPLICANT_ORDER):
        return filled
    return fit([read_cell(c.text) for c in cells], len(APPLICANT_ORDER))


def _store_mapped(
    data: list[tuple[str, int, list[GridCell | None]]], colmap: dict[int, str], tables: Tables
) -> None:
    for row_key, column, row in data:
        readings = _read_mapped(row, colmap, APPLICANT_ORDER, column)
        for key, reading in zip(APPLICANT_ORDER, readings, strict=True):
            if reading is None:
                tables.flags.append(f"no readable cell: applications.{row_key}.{key}")
        store_row(
            tables.applications, "applications", row_key, APPLICANT_ORDER, readings, tables.flags
        )


def _spread(row: list[GridCell | None], keys: dict[int, str]) -> dict[int, str]:
    """Group labels carried over the empty cells to their right: a header written without
    colspan ("行政复议 | | | | |") still covers its five columns."""
    spread = dict(keys)
    for c in keys:
        k = c + 1
        while (
            k < len(row) and k not in keys and ((cell := row[k]) is None or not cell.text.strip())
        ):
            spread[k] = keys[c]
            k += 1
    return spread


def _read_review(grid: Grid, row_numbers: list[bool], tables: Tables) -> None:
    groups: dict[int, str] = {}
    leaves: dict[int, str] = {}
    for row, numbers in zip(grid, row_numbers, strict=True):
        if not numbers:
            groups.update(
                _spread(
                    row,
                    {
                        c: g
                        for c, g in _column_keys(row, REVIEW_GROUPS).items()
                        if g != "litigation"
                    },
                )
            )
            if groups:
                leaves.update(_column_keys(row, REVIEW_LEAVES))
            continue
        if tables.review_litigation or not groups:
            continue
        colmaps = {
            group: {c: leaf for c, leaf in leaves.items() if groups.get(c) == group}
            for group in REVIEW_GROUP_ORDER
        }
        complete = all(
            len(set(colmap.values())) == len(REVIEW_LEAF_ORDER) for colmap in colmaps.values()
        )
        readings = (
            None
            if complete
            else fit([read_cell(cell.text) for cell in _origins(row)], _REVIEW_WIDTH)
        )
        if readings is not None:
            tables.flags.append("table 四 header not recognised; official column order assumed")
            store_review_in_template_order(tables.review_litigation, readings, tables.flags)
            return
        for group, colmap in colmaps.items():
            if colmap:
                store_row(
                    tables.review_litigation,
                    "review_litigation",
                    group,
                    REVIEW_LEAF_ORDER,
                    _read_mapped(row, colmap, REVIEW_LEAF_ORDER, -1),
                    tables.flags,
                )
        return
