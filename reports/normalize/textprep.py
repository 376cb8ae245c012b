"""Report text as lines of cells: the one input shape of every text-table reader.

Every text shape of docs/report-templates.md §6.1 comes down to lines of cells:

* TAB rows and pipe rows split at TAB and "|"; an outer "|" border is not a cell.
* Runs of two or more spaces separate cells too (``<pre>`` blocks, PDF text), and numbers
  that end a cell after a space are cells of their own ("一、本年新收…申请数量 3 0 0 0 0 0 3").
* Cells are trimmed, with a "?" that stands for a space the page's encoding lost before a
  value ("? 0"); an empty cell is kept ("" between delimiters), because "3 | | | 3" says
  where the blank values are. A line with no text at all but a delimiter (a lone TAB, "|",
  "||||") is one empty cell; a line with nothing is no cell.
* Page furniture of PDF and flipbook text ("Page 8 - …", "P. 8", "- 8 -") and docx
  bookmarks are dropped before anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import BOOKMARK, PAGE_MARKERS
from .values import LOST_SPACE, Reading, read_cell

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
    delimiter: str = ""  # "|" or "\t" when its line divides cells by one: places are kept

    @property
    def empty(self) -> bool:
        return not self.text

    @property
    def is_text(self) -> bool:
        return bool(self.text) and self.reading is None


def _number_words(words: list[str]) -> list[tuple[str, bool]]:
    """Each word with whether it reads as a value; a unit word joins its number ("20.001 万元")."""
    out: list[tuple[str, bool]] = []
    for word in words:
        if read_cell(word) is not None:
            out.append((word, True))
        elif (
            out
            and out[-1][1]
            and word
            and not word[0].isdigit()
            and read_cell(out[-1][0] + word) is not None
        ):
            out[-1] = (out[-1][0] + word, True)
        else:
            out.append((word, False))
    return out


def _split_numbers(cell: str) -> list[str]:
    """ "label 0 0 3" → ["label", "0", "0", "3"]; a unit word stays with its number.

    Flipbook and PDF text may run several rows into one line ("(七)总计 3 0 3 四、结转下年度继续
    办理 0 0 0"): a run of two or more numbers inside the cell is cut out as cells too.  A lone
    number inside text ("国务院令第 492 号") stays in its text.
    """
    words = _WORD.split(cell)
    if len(words) < 2:
        return [cell]
    tagged = _number_words(words)
    runs = [k for k in range(1, len(tagged)) if tagged[k][1] and tagged[k - 1][1]]
    if not tagged[-1][1] and not runs:
        return [cell]
    cells: list[str] = []
    text: list[str] = []
    i = 0
    while i < len(tagged):
        j = i
        while j < len(tagged) and tagged[j][1]:
            j += 1
        if j > i and (j - i >= 2 or j == len(tagged)):
            if text:
                cells.append(" ".join(text))
                text = []
            cells.extend(word for word, _ in tagged[i:j])
            i = j
        else:
            text.append(tagged[i][0])
            i += 1
    if text:
        cells.append(" ".join(text))
    return cells


def _line_cells(line: str) -> list[str]:
    parts = [LOST_SPACE.sub("", p.strip(_TRIM)) for p in _CELL_DELIMITER.split(line)]
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
        delimiter = "|" if "|" in line else "\t" if "\t" in line else ""
        for part in _line_cells(line):
            cells.append(Cell(part, number, read_cell(part) if part else None, delimiter))
    return cells
