"""Tables 二/三/四 from report text: every shape of docs/report-templates.md §6.1.

The text becomes lines of cells (textprep), the tables' regions are found by their labels
(text_regions), and inside a region every row label starts a row whose values follow it
(text_rows). Values are placed by the report's own header where the header can be read
(table 二), by the official column order otherwise, and only when the row has exactly as
many values as columns: a short row is left null and flagged, never shifted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .applicants import applicant_order
from .labels import (
    ACTIVE_COLUMNS,
    ACTIVE_EXTRA_ROWS,
    ACTIVE_ROWS,
    ACTIVE_STRUCTURE,
    APPLICANT_COLUMNS,
    APPLICATION_ANCHORS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    REVIEW_LEAVES,
    SECTION_HEADINGS,
    LabelTable,
    lookup,
    money_unit,
)
from .layout import (
    ALL_APPLICATION_ROWS,
    APPLICANT_ORDER,
    MONEY_COLUMNS,
    OTHER_ROWS,
    REVIEW_GROUP_ORDER,
    REVIEW_LEAF_ORDER,
    active_columns,
)
from .money import settle_money
from .tables import Tables
from .template import from_rows, from_year, vote
from .text_regions import Regions, find_regions
from .text_rows import Layout, RowCells, by_place, printed_prefix, row_after, values_from
from .textprep import Cell, text_cells
from .values import (
    Reading,
    fit,
    store_printed_prefix,
    store_review_in_template_order,
    store_row,
    store_short_row,
)

# Header cells of table 二 split over lines are joined back up to this many pieces
# ("本年新" + "制作数量"; PDF text breaks a label into at most three).
_MAX_HEADER_PIECES = 3
_REVIEW_WIDTH = len(REVIEW_GROUP_ORDER) * len(REVIEW_LEAF_ORDER)


def _stop(*tables: LabelTable) -> Callable[[str], bool]:
    """A cell that ends a row's search for values: any label of the region."""
    return lambda text: any(lookup(table, text) is not None for table in tables)


_ACTIVE_STOP = _stop(
    ACTIVE_ROWS, ACTIVE_COLUMNS, ACTIVE_STRUCTURE, ACTIVE_EXTRA_ROWS, SECTION_HEADINGS
)
_APPLICATION_STOP = _stop(
    APPLICATION_ROWS, APPLICANT_COLUMNS, APPLICATION_GROUPS, APPLICATION_ANCHORS, SECTION_HEADINGS
)


def parse_text_tables(text: str, *, year: int | None = None, template: str | None = None) -> Tables:
    """The tables of ``text``; ``template`` forces the form (an HTML page's grids decided it)."""
    cells = text_cells(text)
    regions = find_regions(cells)
    found, voted = _template(cells, regions)
    tables = Tables(
        template=template or found or from_year(year), voted=voted, labelled=found is not None
    )
    if regions.active:
        _read_active(cells, *regions.active, tables)
    if regions.applications:
        _read_applications(cells, *regions.applications, tables)
    if regions.review:
        _read_review(cells, *regions.review, tables)
    return tables


def _template(cells: list[Cell], regions: Regions) -> tuple[str | None, bool]:
    """(form, whether form-only labels said so) from the labels of the table regions."""
    spans = [span for span in (regions.active, regions.applications) if span]
    texts = [c.text for lo, hi in spans for c in cells[lo:hi] if c.is_text]
    found = vote(texts)
    if found is not None:
        return found, True
    keys = [lookup(ACTIVE_ROWS, t) for t in texts] + [lookup(APPLICATION_ROWS, t) for t in texts]
    return from_rows(k for k in keys if k), False


def _header_columns(texts: list[str]) -> list[str]:
    """Column keys of a table-二 header, joining cells split over lines ("本年新" + "制作数量")."""
    words = [w for text in texts for w in text.split()]
    keys, i = [], 0
    while i < len(words):
        for pieces in range(1, _MAX_HEADER_PIECES + 1):
            key = lookup(ACTIVE_COLUMNS, "".join(words[i : i + pieces]))
            if key is not None:
                keys.append(key)
                i += pieces
                break
        else:
            i += 1
    return keys


def _read_active(cells: list[Cell], lo: int, hi: int, tables: Tables) -> None:
    header: list[str] = []
    header_units: list[str] = []
    pending: list[str] = []
    i = lo
    while i < hi:
        cell = cells[i]
        row_key = lookup(ACTIVE_ROWS, cell.text) if cell.is_text else None
        if row_key is None:
            if cell.is_text:
                pending.append(cell.text)
            i += 1
            continue
        if pending:
            header, header_units = _new_header(pending, header, header_units)
            pending = []
        row = row_after(cells, i, hi, _ACTIVE_STOP)
        if row is None or row_key in tables.active:
            i += 1
            continue
        _store_active(tables, row_key, header, header_units, row)
        i = row.end


def _new_header(
    pending: list[str], header: list[str], units: list[str]
) -> tuple[list[str], list[str]]:
    """The header in force after the text cells since the last row: a new block resets it.

    A money unit is read from the block's whole header text: PDF text breaks
    "采购总金额（万元）" across lines and words of other columns.
    """
    keys = _header_columns(pending)
    if keys:
        money = [key for key in keys if key in MONEY_COLUMNS]
        unit = money_unit("".join(pending)) if money else None
        return keys, [unit] if unit else []
    if any(lookup(ACTIVE_STRUCTURE, t) == "caption" for t in pending):
        unit = money_unit("".join(pending))
        return [], [unit] if unit else []
    return header, units


def _store_active(
    tables: Tables, row_key: str, header: list[str], header_units: list[str], row: RowCells
) -> None:
    columns = active_columns(tables.template, row_key)
    if sorted(header) == sorted(columns):
        columns = header  # the report's own order
    readings: Sequence[Reading | None] | None = fit(list(row.cells), len(columns)) or by_place(
        row, len(columns)
    )
    if readings is None:
        readings = printed_prefix(row, len(columns))
        if readings is None:
            store_short_row(tables.active, "active", row_key, columns, row.filled, tables.flags)
            return
        store_printed_prefix(tables.active, "active", row_key, columns, readings, tables.flags)
    else:
        store_row(tables.active, "active", row_key, columns, readings, tables.flags)
    settle_money(
        tables.active[row_key],
        row_key,
        dict(zip(columns, readings, strict=True)),
        next(iter(header_units), None),
        tables.flags,
    )


def _read_applications(cells: list[Cell], lo: int, hi: int, tables: Tables) -> None:
    candidates: dict[str, list[RowCells]] = {}
    header: list[tuple[int, str]] = []  # (line, column key) of the header's applicant labels
    layout = Layout(len(APPLICANT_ORDER))
    i = lo
    while i < hi:
        cell = cells[i]
        row_key = lookup(APPLICATION_ROWS, cell.text) if cell.is_text else None
        if (
            row_key is not None
            and not candidates
            and lookup(APPLICANT_COLUMNS, cell.text) is not None
        ):
            row_key = None  # a bare 其他/总计 before any data row is the header's column label
        row = None if row_key is None else row_after(cells, i, hi, _APPLICATION_STOP)
        if row is None or row_key is None:
            column = (
                lookup(APPLICANT_COLUMNS, cell.text) if cell.is_text and not candidates else None
            )
            if column:
                header.append((cell.line, column))
            i += 1
            continue
        candidates.setdefault(row_key, []).append(row)
        layout.learn(row)
        i = row.end
    rows: dict[str, list[Reading] | None] = {}
    short: dict[str, RowCells] = {}
    for row_key, found in candidates.items():
        rows[row_key] = next((r for r in map(layout.fit, found) if r is not None), None)
        if rows[row_key] is None:
            short[row_key] = found[0]
    if sum(key in rows for key in OTHER_ROWS["2021"]) >= 2:
        rows.pop("other_handling", None)  # (六)其他处理 is a group label in the 2021 form
        short.pop("other_handling", None)
        tables.applications.pop("other_handling", None)
    columns = _applicant_order(rows, header, tables.flags)
    for row_key, readings in rows.items():
        if readings is not None:
            store_row(tables.applications, "applications", row_key, columns, readings, tables.flags)
    for row_key, row in short.items():
        kept = _partial_application_row(row, total_first=columns != APPLICANT_ORDER)
        if kept is not None:
            store_printed_prefix(
                tables.applications, "applications", row_key, columns, kept, tables.flags
            )
        else:
            store_short_row(
                tables.applications,
                "applications",
                row_key,
                APPLICANT_ORDER,
                row.filled,
                tables.flags,
            )
            tables.printed[f"applications.{row_key}"] = [
                c.value for c in row.cells if c is not None
            ]
    tables.applications = {
        k: tables.applications[k] for k in ALL_APPLICATION_ROWS if k in tables.applications
    }


def _partial_application_row(row: RowCells, *, total_first: bool) -> list[Reading | None] | None:
    """A table-三 row that printed only some of its places, in column order, without a guess.

    * Two values in a pipe or TAB row are 自然人 and 总计 (076 "3 | 3": the five 法人 columns
      left out), when 自然人 is not above the total; with 总计 first they come in that order.
    * A last row cut short keeps its printed values in their places from the left.
    """
    width = len(APPLICANT_ORDER)
    values = [c for c in row.cells if c is not None]
    if row.positional and len(values) == 2 and len(row.cells) < width:
        total, natural = values if total_first else values[::-1]
        if natural.value <= total.value:
            return (
                [total, natural, *[None] * (width - 2)]
                if total_first
                else [natural, *[None] * (width - 2), total]
            )
    if row.last:
        return printed_prefix(row, width)
    return None


def _applicant_order(
    rows: dict[str, list[Reading] | None], header: list[tuple[int, str]], flags: list[str]
) -> list[str]:
    """Official order or 总计 first; a TAB dump prints 总计 (two header rows high) on the line
    above 自然人, so only a header line naming 总计 before 自然人 says "总计 first"."""
    lines = {line for line, key in header if key == "natural_person"}
    header_first = any(
        key == "total" and line in lines and (line, "natural_person") in header[i + 1 :]
        for i, (line, key) in enumerate(header)
    )
    return applicant_order(rows.values(), header_first, flags)


def _read_review(cells: list[Cell], lo: int, hi: int, tables: Tables) -> None:
    """The 15 values after the header of table 四, in the official order.

    A header broken beyond recognition (PDF text: "结果 结果 其他 / 维持 纠正 结果", or one
    character per line) still gives the table when exactly 15 values follow it.
    """
    leaves = 0
    for k in range(lo, hi):
        cell = cells[k]
        if cell.is_text:
            leaves += lookup(REVIEW_LEAVES, cell.text) is not None
            continue
        if cell.reading is None:
            continue
        row = values_from(cells, k, hi)
        readings = fit(list(row.cells), _REVIEW_WIDTH)
        if readings is None:
            for group in REVIEW_GROUP_ORDER:
                store_short_row(
                    tables.review_litigation,
                    "review_litigation",
                    group,
                    REVIEW_LEAF_ORDER,
                    row.filled,
                    tables.flags,
                )
            return
        if leaves < len(REVIEW_LEAF_ORDER):
            tables.flags.append("table 四 header not recognised; official column order assumed")
        store_review_in_template_order(tables.review_litigation, readings, tables.flags)
        return
