"""HTML tables as rectangular grids (rowspan/colspan expanded), and HTML as structured text."""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

# Caps on spans: Word exports sometimes carry rowspan="9999"; real tables are small.
_MAX_ROWSPAN = 200
_MAX_COLSPAN = 60

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)


class GridCell(NamedTuple):
    """One slot of the grid: the text of the <td> covering it and that <td>'s position (a
    tuple, built for every cell of every table: a frozen dataclass cost twice as much)."""

    text: str
    origin: tuple[int, int]


Grid = list[list[GridCell | None]]


def parse_html(html: str) -> etree._Element | None:
    html = _XML_DECLARATION.sub("", html)
    if not html.strip():
        return None
    try:
        root = etree.fromstring(html, _PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root


# A plain lxml tree: lxml.html's HtmlElement classes cost a class lookup on every node visited,
# and nothing here needs their methods.
_PARSER = etree.HTMLParser()


def _span(value: str | None, cap: int) -> int:
    """A rowspan or colspan attribute's value as a span (1 when absent or unreadable)."""
    if not value:  # most cells
        return 1
    try:
        return min(max(int(value.strip() or 1), 1), cap)
    except ValueError:
        return 1


# The string value in libxml2, as a plain str: the same text as joining itertext().
_STRING = etree.XPath("string()", smart_strings=False)


def cell_text(cell: etree._Element) -> str:
    """The cell's text; split header lines ("本年新<br>制作数量") join up."""
    return str(_STRING(cell)).strip()


_ROWS = etree.XPath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
# (rowspan, colspan, text) of each cell, row by row: a table as html_grids reads it.
_Rows = list[list[tuple[str | None, str | None, str]]]


def _grid(rows: _Rows) -> Grid:
    """The rows as a grid with spans expanded."""
    slots: dict[tuple[int, int], GridCell] = {}
    for r, cells in enumerate(rows):
        c = 0
        for rowspan_attr, colspan_attr, text in cells:
            while (r, c) in slots:
                c += 1
            rowspan = _span(rowspan_attr, _MAX_ROWSPAN)
            colspan = _span(colspan_attr, _MAX_COLSPAN)
            cell = GridCell(text.strip(), (r, c))
            if rowspan == colspan == 1:
                slots.setdefault((r, c), cell)
            else:
                for dr in range(rowspan):
                    for dc in range(colspan):
                        slots.setdefault((r + dr, c + dc), cell)
            c += colspan
    if not slots:
        return []
    height = max(r for r, _ in slots) + 1
    width = max(c for _, c in slots) + 1
    return [[slots.get((r, c)) for c in range(width)] for r in range(height)]


def table_grid(table: etree._Element) -> Grid:
    """The table's own rows (not nested tables') as a grid with spans expanded."""
    rows = _ROWS(table)
    assert isinstance(rows, list)
    return _grid(
        [
            [
                (td.get("rowspan"), td.get("colspan"), str(_STRING(td)))
                for td in tr.iterchildren("td", "th")
            ]
            for tr in rows
        ]
    )


# Every table's cells in one XSLT pass, as marked text: a table, a row, a cell, then the
# cell's rowspan, colspan and text (Unicode noncharacters as the marks; a tree whose text holds
# one is read table by table instead, and an attribute holding one reads as unreadable).
_TABLE, _ROW, _CELL, _FIELD = "\ufdd5", "\ufdd6", "\ufdd7", "\ufdd8"
_GRID_MARKS = _TABLE + _ROW + _CELL + _FIELD
_GRID_STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:for-each select="descendant::table"><xsl:text>{_TABLE}</xsl:text>
<xsl:for-each select="tr|thead/tr|tbody/tr|tfoot/tr"><xsl:text>{_ROW}</xsl:text>
<xsl:for-each select="td|th"><xsl:text>{_CELL}</xsl:text>
<xsl:value-of select="translate(@rowspan, '{_GRID_MARKS}', 'xxxx')"/><xsl:text>{_FIELD}</xsl:text>
<xsl:value-of select="translate(@colspan, '{_GRID_MARKS}', 'xxxx')"/><xsl:text>{_FIELD}</xsl:text>
<xsl:value-of select="."/></xsl:for-each></xsl:for-each></xsl:for-each></xsl:template>
</xsl:stylesheet>"""
_GRID_TRANSFORM = etree.XSLT(etree.fromstring(_GRID_STYLESHEET))


def html_grids(root: etree._Element) -> list[Grid]:
    """The grid of every table under ``root`` (itself included), in document order."""
    if any(mark in str(_STRING(root)) for mark in _GRID_MARKS):
        return [grid for grid in (table_grid(t) for t in root.iter("table")) if grid]
    grids = []
    for table in str(_GRID_TRANSFORM(root)).split(_TABLE)[1:]:
        rows: _Rows = []
        for row in table.split(_ROW)[1:]:
            cells: list[tuple[str | None, str | None, str]] = []
            for cell in row.split(_CELL)[1:]:
                rowspan, colspan, text = cell.split(_FIELD, 2)
                cells.append((rowspan, colspan, text))
            rows.append(cells)
        if grid := _grid(rows):
            grids.append(grid)
    return grids


_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "table",
        "section",
        "article",
        "title",
    }
)


# html_text in libxslt: the walk below as a stylesheet, with no Python per element.
_TEXT_STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates select="*"/></xsl:template>
<xsl:template match="text()"><xsl:value-of select="."/></xsl:template>
<xsl:template match="script|style|head"/>
<xsl:template match="td|th"><xsl:apply-templates/><xsl:text>&#9;</xsl:text></xsl:template>
<xsl:template match="{"|".join(sorted(_BLOCKS))}"><xsl:apply-templates/>\
<xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>"""
_TEXT_TRANSFORM = etree.XSLT(etree.fromstring(_TEXT_STYLESHEET))


def html_text(root: etree._Element) -> str:
    """Structured text: blocks on their own lines, table cells separated by TABs."""
    return str(_TEXT_TRANSFORM(root))


def html_text_walk(root: etree._Element) -> str:
    """``html_text`` by a walk in Python: the reference the stylesheet is tested against."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head"):
            if el.tail:
                parts.append(el.tail)
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if el.tag in ("td", "th"):
            parts.append("\t")
        elif el.tag in _BLOCKS:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    if root.tail:  # the element's own tail is its parent's text, not the element's
        parts.pop()
    return "".join(parts)
