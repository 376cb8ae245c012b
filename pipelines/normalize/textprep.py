"""Report text as lines of cells: the one input shape of every text-table reader.

Every text shape of docs/report-templates.md §6.1 comes down to lines of cells:

* TAB rows and pipe rows split at TAB and "|"; an outer "|" border is not a cell.
* Runs of two or more spaces separate cells too (``<pre>`` blocks, PDF text), and numbers
  that end a cell after a space are cells of their own ("一、本年新收…申请数量 3 0 0 0 0 0 3").
* Cells are trimmed; an empty cell is kept ("" between delimiters), because "3 | | | 3" says
  where the blank values are. A line with no text at all but a delimiter (a lone TAB, "|",
  "||||") is one empty cell; a line with nothing is no cell.
* Page furniture of PDF and flipbook text ("Page 8 - …", "P. 8", "- 8 -") and docx
  bookmarks are dropped before anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import BOOKMARK, PAGE_MARKERS
from .values import Reading, read_cell

_CELL_DELIMITER = re.compile(r"\t|\||[ \u00a0\u3000]{2,}")
_TRIM = " \u00a0\u3000\ufeff\u200b\r\f\v"
_WORD = re.compile(r"[ \u00a0\u3000]+")
# A line of nothing but these is one empty cell; a line of spaces is no cell.
_EMPTY_CELL_MARK = re.compile(r"[\t|]")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the text: where it is, and what it reads as."""

    text: str  # trimmed; "" for an empty cell
    line: int  # index of its line among the kept lines
    reading: Reading | None  # the cell as a value; None for text and empty cells

    @property
    def empty(self) -> bool:
        return not self.text

    @property
    def is_text(self) -> bool:
        return bool(self.text) and self.reading is None


def _split_numbers(cell: str) -> list[str]:
    """"label 0 0 3" → ["label", "0", "0", "3"]; a unit word stays with its number."""
    words = _WORD.split(cell)
    if len(words) < 2:
        return [cell]
    tail: list[str] = []
    while words:
        word = words[-1]
        if read_cell(word) is not None:
            tail.insert(0, words.pop())
        elif len(words) >= 2 and read_cell(words[-2] + word) is not None and word and not word[0].isdigit():
            tail.insert(0, words.pop(-2) + words.pop())  # "20.001 万元"
        else:
            break
    if not tail:
        return [cell]
    return ([" ".join(words)] if words else []) + tail


def _line_cells(line: str) -> list[str]:
    parts = [p.strip(_TRIM) for p in _CELL_DELIMITER.split(line)]
    stripped = line.strip(_TRIM)
    if stripped.startswith("|") and parts and not parts[0]:
        parts = parts[1:]
    if stripped.endswith("|") and parts and not parts[-1]:
        parts = parts[:-1]
    if not any(parts):
        return [""] if _EMPTY_CELL_MARK.search(line) else []
    cells: list[str] = []
    for part in parts:
        cells.extend(_split_numbers(part) if part else [part])
    return cells


def text_lines(text: str) -> list[str]:
    """The text's lines without page furniture and docx bookmarks."""
    text = BOOKMARK.sub("", text)
    return [line for line in text.splitlines() if not PAGE_MARKERS.match(line.strip(_TRIM))]


def text_cells(text: str) -> list[Cell]:
    """Every cell of the text in reading order, empty cells included."""
    cells: list[Cell] = []
    for number, line in enumerate(text_lines(text)):
        for part in _line_cells(line):
            cells.append(Cell(part, number, read_cell(part) if part else None))
    return cells
