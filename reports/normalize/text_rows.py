"""A table row in report text: a row label, then the cells that hold its values.

Shared by the readers of tables 二/三/四. A row label may be followed by a few fragments of
itself cut off by line breaks ("(二)部分公开(区分处理" / "的,只计这一情形,不计" / "其他情形)")
before its values start. Where the first value shares its line with the label or a fragment
(TAB rows, pipe rows, PDF rows), the row is the rest of that line, empty cells included;
where it is on a line of its own (one cell per line), the row runs over the following lines
up to the next text cell, a line holding only empty cells being one empty cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .textprep import Cell
from .values import BLANK, Reading, fit

# Fragments of a label cut by line breaks that may stand between it and its values; more
# than this, or a longer one, is prose or another row whose label we do not know.
MAX_FRAGMENTS = 3
MAX_FRAGMENT_CHARS = 30


@dataclass(frozen=True, slots=True)
class RowCells:
    """The cells of one row after its label: readings, None for an empty cell."""

    cells: tuple[Reading | None, ...]
    same_line: bool  # the values share a line with the label (TAB, pipe and PDF rows)
    end: int  # index of the first cell after the row
    label_column: int = -1  # same-line rows: the position of the label's cell in its line
    # The cells keep their places: a TAB or pipe row, or pipe cells one per line (" |" is a
    # blank there). Lone-TAB lines of cell-per-line dumps are merged-cell residue, not places.
    positional: bool = False
    last: bool = False  # nothing follows the row in the text: it may be cut short

    @property
    def filled(self) -> int:
        return sum(c is not None for c in self.cells)


def row_after(
    cells: list[Cell], i: int, end: int, is_stop: Callable[[str], bool]
) -> RowCells | None:
    """The row whose label is ``cells[i]``; None when no value follows it."""
    j, fragments = i + 1, 0
    places = j  # where the row's places begin: after the label and its fragments
    while j < end:
        cell = cells[j]
        if cell.reading is not None:
            break
        if cell.is_text:
            if (
                is_stop(cell.text)
                or fragments >= MAX_FRAGMENTS
                or len(cell.text) > MAX_FRAGMENT_CHARS
                or _own_line_pipes(cells, i, places, j)
            ):
                # (text after blank places is the next row's label, even one cut short)
                return _blank_places(cells, i, places, j)
            fragments += 1
            places = j + 1
        j += 1
    else:
        return _blank_places(cells, i, places, j)
    if _own_line_pipes(cells, i, places, j):
        # Pipe cells one per line: the blank places before the first value are places too
        # ("一、本年新收… |", six " |" lines, "0 |": 总计 = 0 after six blanks).
        readings, k = _stream(cells, places, end)
        return RowCells(tuple(readings), False, k, positional=True, last=k == len(cells))
    line = cells[j].line
    begin = j
    while begin - 1 > i and cells[begin - 1].line == line and cells[begin - 1].empty:
        begin -= 1
    same_line = cells[begin - 1].line == line and cells[begin - 1].is_text
    if same_line:
        k = begin
        while k < end and cells[k].line == line and not cells[k].is_text:
            k += 1
        first = begin - 1
        while first > 0 and cells[first - 1].line == line:
            first -= 1
        return RowCells(
            tuple(c.reading for c in cells[begin:k]),
            True,
            k,
            label_column=begin - 1 - first,
            positional=bool(cells[begin - 1].delimiter),
            last=k == len(cells),
        )
    readings, k = _stream(cells, j, end)
    piped = all(c.delimiter == "|" for c in cells[j:k])
    return RowCells(tuple(readings), False, k, positional=piped, last=k == len(cells))


def _own_line_pipes(cells: list[Cell], label: int, lo: int, hi: int) -> bool:
    """Whether ``cells[lo:hi]`` are one or more empty pipe cells, each on a line of its own
    below the label's: the blank places of a pipe cell-per-line row."""
    run = cells[lo:hi]
    lines = [c.line for c in run]
    return (
        bool(run)
        and all(c.empty and c.delimiter == "|" for c in run)
        and len(set(lines)) == len(lines)
        and lines[0] != cells[label].line
    )


def _blank_places(cells: list[Cell], label: int, lo: int, hi: int) -> RowCells | None:
    """A pipe cell-per-line row that prints no value at all (its places are " |" lines up to
    the next label): every place blank. Any other label without a value is no row."""
    if not _own_line_pipes(cells, label, lo, hi):
        return None
    return RowCells(
        tuple(None for _ in range(lo, hi)), False, hi, positional=True, last=hi == len(cells)
    )


def _stream(cells: list[Cell], k: int, end: int) -> tuple[list[Reading | None], int]:
    """Value cells line by line from ``k`` up to the next text cell."""
    readings: list[Reading | None] = []
    while k < end and not cells[k].is_text:
        line = cells[k].line
        values: list[Reading] = []
        while k < end and cells[k].line == line and not cells[k].is_text:
            reading = cells[k].reading
            if reading is not None:
                values.append(reading)

            k += 1
        readings.extend(values or [None])
    return readings, k


def by_place(row: RowCells, width: int) -> list[Reading] | None:
    """A positional row of exactly ``width`` places whose first place is printed: a blank
    place is a blank cell ("规范性文件 | 11 | ||", "18 |" then " |" lines). A row that starts
    with an empty cell is not read this way: that cell may be merged-cell residue."""
    cells = row.cells
    # (Pipe cells one per line have no merged-cell residue: a " |" line is a blank place.)
    own_lines = not row.same_line
    if not row.positional or not cells or (cells[0] is None and not own_lines):
        return None
    if len(cells) > width and all(c is None for c in cells[width:]):
        cells = cells[:width]  # separator lines ("||||") after the row's last place
    if len(cells) != width:
        return None
    return [c if c is not None else BLANK for c in cells]


def printed_prefix(row: RowCells, width: int) -> list[Reading | None] | None:
    """A row with fewer places than ``width`` that starts with a printed value: its cells in
    the first places, the rest unknown (a pipe row "0 | 0 |" of three, a last row cut short)."""
    cells = row.cells
    if not cells or cells[0] is None or len(cells) >= width or not (row.positional or row.last):
        return None
    if not row.positional and any(c is None for c in cells):
        return None  # a cut stream row with gaps: its places are not known
    return list(cells) + [None] * (width - len(cells))


def values_from(cells: list[Cell], k: int, end: int) -> RowCells:
    """A row of values that has no label of its own (table 四), starting at ``cells[k]``."""
    readings, stop = _stream(cells, k, end)
    return RowCells(tuple(readings), False, stop)


class Layout:
    """Where the values sit in the region's complete TAB and pipe rows, learnt from them.

    A row laid out like a complete one (its label in the same cell of its line, as many cells
    after it) takes its values from the same positions, so "| (一)予以公开 | | | | | | | 5 |" is
    总计 = 5 and blanks, not a short row. Both must match: TAB dumps are inconsistent about
    merged-cell residue, and a residue cell read as a blank value would shift the row.
    """

    def __init__(self, width: int):
        self.width = width
        self.offsets: dict[tuple[int, int], int] = {}

    def learn(self, row: RowCells) -> None:
        cells = row.cells
        if not row.same_line or row.filled != self.width:
            return
        first = next(i for i, c in enumerate(cells) if c is not None)
        if all(c is not None for c in cells[first : first + self.width]):
            self.offsets.setdefault((row.label_column, len(cells)), first)

    def fit(self, row: RowCells) -> list[Reading] | None:
        readings = fit(list(row.cells), self.width)
        if readings is None:
            readings = by_place(row, self.width)
        if readings is not None or not row.same_line:
            return readings
        offset = self.offsets.get((row.label_column, len(row.cells)))
        if offset is None:
            return None
        window = row.cells[offset : offset + self.width]
        if (
            len(window) == self.width
            and row.filled
            and sum(c is not None for c in window) == row.filled
        ):
            return [c if c is not None else BLANK for c in window]
        return None
