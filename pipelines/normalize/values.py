"""Reading one table cell as a number, and storing a row's readings with their flags."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .layout import MONEY_COLUMNS

# Cells that mean "nothing to report"; read as 0 and flagged (report-schema: Blank cells).
PLACEHOLDERS = frozenset({"", "/", "\\", "-", "--", "—", "——", "－", "无", "無", "空"})

_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)(万元|元|件|个|项|条|次)?$")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


@dataclass(frozen=True)
class Reading:
    """A cell read as a value: the number, whether it was a placeholder, and any unit."""

    value: int | float
    placeholder: bool = False
    unit: str | None = None


def read_cell(text: str | None, *, blank_is_value: bool = False) -> Reading | None:
    """Read ``text`` as a value cell, or None if it is not one (a label, prose).

    An empty cell is a value (0, placeholder) only where the caller knows the cell belongs
    to a column (HTML grids); in text dumps empty cells are merged-cell residue.
    """
    if text is None:
        return Reading(0, placeholder=True) if blank_is_value else None
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    if s in PLACEHOLDERS:
        if s == "" and not blank_is_value:
            return None
        return Reading(0, placeholder=True)
    s = _THOUSANDS.sub("", s)
    match = _NUMBER.match(s)
    if match is None:
        return None
    sign, digits, unit = match.groups()
    number: int | float = float(digits) if "." in digits else int(digits)
    if sign == "-":
        number = -number
    return Reading(number, unit=unit if unit in ("万元", "元") else None)


def store_row(
    section: dict,
    path: str,
    row_key: str,
    columns: list[str],
    readings: list[Reading | None],
    flags: list[str],
) -> None:
    """Put one row into ``section[row_key]`` as {column: value}.

    ``readings`` line up with ``columns``; a None reading means the cell is missing and the
    value stays null. Placeholders are stored as 0 and named in ``flags``.
    """
    row: dict = {}
    for column, reading in zip(columns, readings):
        if reading is None:
            row[column] = None
            continue
        if reading.placeholder:
            flags.append(f"blank cell read as 0: {path}.{row_key}.{column}")
        row[column] = float(reading.value) if column in MONEY_COLUMNS else reading.value
    section[row_key] = row


def store_short_row(section: dict, path: str, row_key: str, columns: list[str], found: int, flags: list[str]) -> None:
    """A row with fewer (or more) values than columns: never shifted, all values null."""
    section[row_key] = {column: None for column in columns}
    flags.append(
        f"row has {found} values, expected {len(columns)}; left null: {path}.{row_key}"
    )


def store_positional(section: dict, path: str, row_key: str, columns: list[str], readings: list[Reading], flags: list[str]) -> None:
    """Values read in order with no header to place them: kept only if they fill the row exactly."""
    if len(readings) == len(columns):
        store_row(section, path, row_key, columns, list(readings), flags)
    else:
        store_short_row(section, path, row_key, columns, len(readings), flags)
