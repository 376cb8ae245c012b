"""Reading one table cell as a number, fitting a row's cells to its columns, and storing it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .labels import COUNT_UNITS, MONEY_UNITS, PLACEHOLDER_WORDS
from .layout import MONEY_COLUMNS, REVIEW_GROUP_ORDER, REVIEW_LEAF_ORDER
from .tables import Table

# Cells that mean "nothing to report"; read as 0 and flagged (docs/report-schema.md: Blank cells).
PLACEHOLDERS = frozenset(
    {"", "/", "\\", "-", "--", "—", "——", "－", "–", "―", "─", "_", *PLACEHOLDER_WORDS}
)

_UNITS = "|".join(map(re.escape, MONEY_UNITS + COUNT_UNITS))
_NUMBER = re.compile(rf"^([+-]?)(\d+(?:\.\d+)?)({_UNITS})?$")
# A space the page's encoding could not hold comes out as "?" or U+FFFD before a value
# ("? 0" in a traditional-script mirror); it is no part of the number.
LOST_SPACE = re.compile(r"^[?\ufffd]+[ \u00a0\u3000]*(?=[+-]?\d)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
# A cell of more digits than this is no count or amount (a run of digits in a broken dump);
# it is not converted at all (int() refuses more than 4300 digits; JSON cannot hold inf).
MAX_DIGITS = 100
# Values above these are kept but flagged: no report has a billion applications or a trillion
# in an amount; a cell this large is a misread or a typo.
PLAUSIBLE_COUNT = 10**9
PLAUSIBLE_AMOUNT = 10**12
# Columns whose values may be negative: the 本年增/减 change of an item count.
SIGNED_COLUMNS = frozenset({"change"})


@dataclass(frozen=True, slots=True)
class Reading:
    """A cell read as a value: the number, whether it was a placeholder, and any money unit."""

    value: int | float
    placeholder: bool = False
    unit: str | None = None
    too_long: int = 0  # digits of a number too long to keep (value then 0)


BLANK = Reading(0, placeholder=True)


# Cell texts repeat heavily ("0", "1", "/"), within a report and across a crawl.
@lru_cache(maxsize=8192)
def read_cell(text: str | None, *, blank_is_value: bool = False) -> Reading | None:
    """Read ``text`` as a value cell, or None if it is not one (a label, prose).

    An empty cell is a value (0, placeholder) only where the caller knows the cell belongs
    to a column (HTML grids); in text dumps empty cells are merged-cell residue.
    """
    if text is None:
        return BLANK if blank_is_value else None
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    s = LOST_SPACE.sub("", s)
    if s in PLACEHOLDERS:
        if s == "" and not blank_is_value:
            return None
        return BLANK
    s = _THOUSANDS.sub("", s)
    match = _NUMBER.match(s)
    if match is None:
        return None
    sign, digits, unit = match.groups()
    if len(digits) > MAX_DIGITS:
        return Reading(0, too_long=len(digits))
    number: int | float = float(digits) if "." in digits else int(digits)
    if sign == "-":
        number = -number
    return Reading(number, unit=unit if unit in MONEY_UNITS else None)


def fit(cells: list[Reading | None], width: int) -> list[Reading] | None:
    """The row's ``width`` values from its cells (None = an empty cell), or None if unclear.

    Filled cells that number exactly ``width`` are the row, the empty ones being merged-cell
    residue. Otherwise empty cells between filled ones are blank values when that makes the
    row exactly ``width`` wide ("3 | | | | | | 3"). Anything else would need a guess: None.
    """
    filled = [c for c in cells if c is not None]
    if len(filled) == width:
        return filled
    first = next((i for i, c in enumerate(cells) if c is not None), None)
    if first is None:
        return None
    last = max(i for i, c in enumerate(cells) if c is not None)
    inner = cells[first : last + 1]
    if len(inner) == width:
        return [c if c is not None else BLANK for c in inner]
    return None


def _stored(column: str, reading: Reading) -> int | float:
    if column in MONEY_COLUMNS:
        return float(reading.value)
    value = reading.value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def store_row(
    section: Table,
    path: str,
    row_key: str,
    columns: list[str],
    readings: Sequence[Reading | None],
    flags: list[str],
) -> None:
    """Put one row into ``section[row_key]`` as {column: value}.

    ``readings`` line up with ``columns``; a None reading means the cell is missing and the
    value stays null. Placeholders are stored as 0 and named in ``flags``.
    """
    row: dict[str, int | float | None] = {}
    for column, reading in zip(columns, readings, strict=True):
        if reading is None:
            row[column] = None
            continue
        where = f"{path}.{row_key}.{column}"
        if reading.too_long:
            flags.append(f"number of {reading.too_long} digits not kept: {where}")
            row[column] = None
            continue
        if reading.placeholder:
            flags.append(f"blank cell read as 0: {where}")
        value = row[column] = _stored(column, reading)
        flags.extend(implausible(where, column, value))
    section[row_key] = row


def store_review_in_template_order(
    section: Table, readings: Sequence[Reading | None], flags: list[str]
) -> None:
    """Table 四 as one run of fifteen values in the template's own order: five leaves under each
    of its three groups (when its header could not be read, the template's order is assumed)."""
    width = len(REVIEW_LEAF_ORDER)
    for g, group in enumerate(REVIEW_GROUP_ORDER):
        store_row(
            section,
            "review_litigation",
            group,
            REVIEW_LEAF_ORDER,
            readings[g * width : (g + 1) * width],
            flags,
        )


def implausible(where: str, column: str, value: int | float) -> list[str]:
    """Flags for a value kept as printed that no report can mean: a negative count, a huge one."""
    if value < 0 and column not in SIGNED_COLUMNS:
        return [f"negative value kept as printed: {where} = {value}"]
    if abs(value) > (PLAUSIBLE_AMOUNT if column in MONEY_COLUMNS else PLAUSIBLE_COUNT):
        return [f"implausibly large value kept as printed: {where} = {value}"]
    return []


def store_short_row(
    section: Table, path: str, row_key: str, columns: list[str], found: int, flags: list[str]
) -> None:
    """A row with fewer (or more) values than columns: never shifted, all values null."""
    section[row_key] = dict.fromkeys(columns)
    flags.append(f"row has {found} values, expected {len(columns)}; left null: {path}.{row_key}")


def store_printed_prefix(
    section: Table,
    path: str,
    row_key: str,
    columns: list[str],
    readings: Sequence[Reading | None],
    flags: list[str],
) -> None:
    """A row that printed fewer places than it has: the printed ones kept, the rest null."""
    store_row(section, path, row_key, columns, readings, flags)
    printed = sum(r is not None for r in readings)
    flags.append(
        f"row has {printed} of {len(columns)} cells; printed cells kept in their places: "
        f"{path}.{row_key}"
    )


def store_positional(
    section: Table,
    path: str,
    row_key: str,
    columns: list[str],
    readings: Sequence[Reading],
    flags: list[str],
) -> None:
    """Values read in order with no header to place them: kept only if they fill the row exactly."""
    if len(readings) == len(columns):
        store_row(section, path, row_key, columns, list(readings), flags)
    else:
        store_short_row(section, path, row_key, columns, len(readings), flags)
