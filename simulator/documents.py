"""A report as the attachment a portal links: DOCX (python-docx) and PDF (reportlab).

Both are made from the same `ReportContent` as the HTML page, and their tables from the same
HTML tables (`tables.py`), cell spans included, so an attachment says exactly what its page
says.  Output is deterministic: fixed document dates and ids, no compression randomness.

Legacy .doc files cannot be written from Python; ``python -m simulator.documents DIR`` writes
the DOCX of every seed and converts them with LibreOffice (``soffice --convert-to doc``); the
results are checked in as ``simulator/corpus/doc/<seed>.doc``.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import html as lxml_html

from . import tables
from .model import ReportContent

# One fixed moment for every document's metadata, so the bytes never change between runs.
_FIXED = datetime(2024, 1, 20, 9, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str


def grid(table_html: str) -> tuple[int, int, list[Cell]]:
    """(rows, columns, cells at their grid positions) of one HTML table with spans."""
    table = lxml_html.fragment_fromstring(table_html)
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for td in tr.iter("td", "th"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            cells.append(Cell(r, c, rs, cs, td.text_content().strip()))
            taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
            c += cs
    rows = 1 + max(c.row + c.rowspan - 1 for c in cells)
    cols = 1 + max(c.col + c.colspan - 1 for c in cells)
    return rows, cols, cells


def _blocks(title: str, report: ReportContent) -> list[tuple[str, str]]:
    """The report in reading order: ("title"|"p"|"h"|"table"|"sign", text or table HTML)."""
    out = [("title", title)] + [("p", p) for p in report.preamble]
    tabs = {
        1: lambda: tables.active_table(
            report.template, report.active, amount_label=report.amount_label
        ),
        2: lambda: tables.applications_table(report.template, report.applications),
        3: lambda: tables.review_table(report.review_litigation),
    }
    for i, heading in enumerate(report.headings):
        out.append(("h", heading))
        out += [("p", p) for p in report.sections[i]]
        if i in tabs:
            out.append(("table", tabs[i]()))
    out += [("sign", s) for s in report.signature]
    return out


# --- DOCX --------------------------------------------------------------------------------


def report_docx(title: str, report: ReportContent) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "nianbao simulator"
    props.created = props.modified = _FIXED.replace(tzinfo=None)
    props.revision = 1
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    style.font.name = "仿宋_GB2312"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    for kind, value in _blocks(title, report):
        if kind == "table":
            rows, cols, cells = grid(value)
            table = doc.add_table(rows=rows, cols=cols)
            table.style = "Table Grid"
            # Every corner cell looked up once, before any merge: table.cell() rebuilds the
            # whole grid on each call, which made table 三 take seconds.
            grid_cells = table._cells
            for cell in cells:
                target = grid_cells[cell.row * cols + cell.col]
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(
                        grid_cells[
                            (cell.row + cell.rowspan - 1) * cols + cell.col + cell.colspan - 1
                        ]
                    )
                target.text = cell.text
            continue
        para = doc.add_paragraph()
        run = para.add_run(value)
        if kind in ("title", "h"):
            run.bold = True
        if kind == "title":
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.font.size = Pt(18)
        elif kind == "sign":
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            para.paragraph_format.first_line_indent = Pt(24)
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())


_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every member dated ``_FIXED``: zipfile stamps members with the
    current time, and openpyxl writes the time of saving into docProps/core.xml."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = _FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            member = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                member = _STAMP.sub(rb"\g<1>" + stamp + rb"\2", member)
            dst.writestr(fixed, member)
    return out.getvalue()


# --- XLSX --------------------------------------------------------------------------------


def report_xlsx(title: str, report: ReportContent) -> bytes:
    """Tables 二, 三 and 四 on one sheet, each under its heading, cell spans merged (some
    counties publish the statistics as a spreadsheet beside the prose)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "年度报告统计表"
    sheet.cell(1, 1, title)
    row = 3
    for kind, value in _blocks(title, report):
        if kind == "h" and value[:1] in "二三四":
            sheet.cell(row, 1, value)
            row += 1
        elif kind == "table":
            rows, _, cells = grid(value)
            for cell in cells:
                r, c = row + cell.row, 1 + cell.col
                number = cell.text.lstrip("-").replace(".", "", 1)
                sheet.cell(
                    r,
                    c,
                    (float(cell.text) if "." in cell.text else int(cell.text))
                    if number.isdigit()
                    else cell.text,
                )
                if cell.rowspan > 1 or cell.colspan > 1:
                    sheet.merge_cells(
                        start_row=r,
                        start_column=c,
                        end_row=r + cell.rowspan - 1,
                        end_column=c + cell.colspan - 1,
                    )
            row += rows + 1
    book.properties.creator = "nianbao simulator"
    book.properties.created = book.properties.modified = _FIXED.replace(tzinfo=None)
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


# --- PDF ---------------------------------------------------------------------------------


def _widths(cols: int, total: float) -> list[float]:
    """Column widths: table 三 (ten columns) gives its three label columns the room they need,
    so that its tall 本年度办理结果 cell still fits on one page."""
    if cols != 10:
        return [total / cols] * cols
    labels = [0.11 * total, 0.15 * total, 0.24 * total]
    return labels + [(total - sum(labels)) / 7] * 7


_FONT = "STSong-Light"  # reportlab's built-in Adobe-GB1 CID font: no font file needed


def report_pdf(title: str, report: ReportContent) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    body = ParagraphStyle(
        "body", fontName=_FONT, fontSize=12, leading=20, firstLineIndent=24, wordWrap="CJK"
    )
    styles = {
        "p": body,
        "h": ParagraphStyle("h", parent=body, fontSize=13, spaceBefore=6),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontSize=16,
            leading=26,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=10,
        ),
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
    }
    cell_style = ParagraphStyle("cell", fontName=_FONT, fontSize=7.5, leading=9, wordWrap="CJK")
    flow: list = []
    for kind, value in _blocks(title, report):
        if kind != "table":
            flow.append(Paragraph(value, styles[kind]))
            continue
        rows, cols, cells = grid(value)
        data: list[list] = [["" for _ in range(cols)] for _ in range(rows)]
        spans = []
        for cell in cells:
            data[cell.row][cell.col] = Paragraph(cell.text, cell_style) if cell.text else ""
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append(
                    (
                        "SPAN",
                        (cell.col, cell.row),
                        (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1),
                    )
                )
        table = Table(data, colWidths=_widths(cols, A4[0] - 40 * mm), repeatRows=0)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    *spans,
                ]
            )
        )
        flow += [Spacer(1, 4), table, Spacer(1, 4)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="nianbao simulator",
        creator="nianbao simulator",
        invariant=1,
    )
    doc.build(flow)
    return out.getvalue()


# --- DOC, made once with LibreOffice and checked in ------------------------------------------


def doc_path(seed: str):
    """Where the checked-in .doc of a seed report lives (beside its text in corpus/)."""
    from importlib import resources

    from .seeds import SEEDS

    stem = SEEDS[seed].file.rsplit(".", 1)[0]
    return resources.files(__package__).joinpath("corpus", f"{stem}.doc")


def report_doc(seed: str) -> bytes:
    return doc_path(seed).read_bytes()


def _write_docs(out_dir: str) -> None:
    """Write every seed's DOCX to ``out_dir`` and convert it to .doc with LibreOffice."""
    import subprocess
    from pathlib import Path

    from .seeds import SEEDS, seed_report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for key, seed in SEEDS.items():
        docx = out / f"{seed.file.rsplit('.', 1)[0]}.docx"
        docx.write_bytes(report_docx(seed.title, seed_report(key)))
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{out}/profile",
                "--convert-to",
                "doc:MS Word 97",
                "--outdir",
                str(out),
                str(docx),
            ],
            check=True,
        )
        print(out / docx.with_suffix(".doc").name)


if __name__ == "__main__":
    import sys

    _write_docs(sys.argv[1] if len(sys.argv) > 1 else "simulator/corpus")
