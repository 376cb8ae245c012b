"""Office documents: DOCX (python-docx), XLSX (openpyxl) and XLS (xlrd), tables included."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING

from .shape import cell_text, finish, row_line

if TYPE_CHECKING:  # python-docx is imported where a .docx is read
    from docx.table import Table, _Cell

# A zip whose members inflate beyond these is refused before any parser opens it (a "zip
# bomb": 40 KB that inflate to gigabytes).  Real reports stay far below: a 30-page DOCX with
# images inflates to a few MB.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # inflated / compressed, per member above 1 MB


class Refused(Exception):
    """The input is not worth opening (a zip bomb, too large); the message is the flag."""


def check_zip(body: bytes) -> zipfile.ZipFile:
    """The archive, after checking what its members claim to inflate to."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise Refused(f"corrupt:zip:{exc}") from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_MEMBER_BYTES
            or total > MAX_TOTAL_BYTES
            or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO)
        ):
            raise Refused(f"refused:zip_bomb:{info.filename}")
    return archive


# --- DOCX --------------------------------------------------------------------------------


def docx_text(body: bytes) -> tuple[str, list[str]]:
    import docx
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    check_zip(body)
    document = docx.Document(io.BytesIO(body))
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(_docx_rows(block, _Cell))
    return finish(lines), []


def _docx_rows(table: Table, cell_type: type[_Cell]) -> list[str]:
    """Each ``<w:tr>`` as a TAB row; a cell that continues a vertical merge is left out, as
    the row under a ``rowspan`` cell in HTML has no cell there (python-docx's ``row.cells``
    would repeat the merged cell in every grid column and row it covers)."""
    rows = []
    for tr in table._tbl.tr_lst:
        cells = [
            cell_text(cell_type(tc, table).text) for tc in tr.tc_lst if tc.vMerge != "continue"
        ]
        line = row_line(cells)
        if line:
            rows.append(line)
    return rows


# --- spreadsheets ------------------------------------------------------------------------

_DEFAULT_SHEET = re.compile(r"^(?:sheet|工作表)\s*\d+$", re.IGNORECASE)


def _value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return cell_text(value)


def _sheet_lines(title: str, rows: list[list[str]]) -> list[str]:
    lines = [] if _DEFAULT_SHEET.match(title.strip()) else [title]
    lines += [line for line in (row_line(r) for r in rows) if line]
    return lines


def xlsx_text(body: bytes) -> tuple[str, list[str]]:
    import openpyxl

    check_zip(body)
    book = openpyxl.load_workbook(io.BytesIO(body), data_only=True)
    lines: list[str] = []
    for sheet in book.worksheets:
        covered: set[tuple[int, int]] = set()
        for rng in sheet.merged_cells.ranges:
            covered.update(
                (r, c)
                for r in range(rng.min_row, rng.max_row + 1)
                for c in range(rng.min_col, rng.max_col + 1)
                if (r, c) != (rng.min_row, rng.min_col)
            )
        rows = [
            [_value(cell.value) for cell in row if (cell.row, cell.column) not in covered]
            for row in sheet.iter_rows()
        ]
        lines += _sheet_lines(sheet.title, rows)
    return finish(lines), []


def xls_text(body: bytes) -> tuple[str, list[str]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=body, formatting_info=True)
    except NotImplementedError:  # formatting_info is refused for some BIFF versions
        book = xlrd.open_workbook(file_contents=body)
    lines: list[str] = []
    for sheet in book.sheets():
        covered: set[tuple[int, int]] = set()
        for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", []):
            covered.update(
                (r, c) for r in range(rlo, rhi) for c in range(clo, chi) if (r, c) != (rlo, clo)
            )
        rows = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                if (r, c) in covered:
                    continue
                cell = sheet.cell(r, c)
                value: object = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE and isinstance(cell.value, float):
                    with contextlib.suppress(ValueError, OverflowError):  # kept as the number
                        value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                row.append(_value(value))
            rows.append(row)
        lines += _sheet_lines(sheet.name, rows)
    return finish(lines), []
