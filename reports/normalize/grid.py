"""HTML tables as rectangular grids (rowspan/colspan expanded), and HTML as structured text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

# Caps on spans: Word exports sometimes carry rowspan="9999"; real tables are small.
_MAX_ROWSPAN = 200
_MAX_COLSPAN = 60

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)


@dataclass(frozen=True)
class GridCell:
    """One slot of the grid: the text of the <td> covering it and that <td>'s position."""

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


def _span(cell: etree._Element, name: str, cap: int) -> int:
    try:
        return min(max(int(cell.get(name, "1").strip() or 1), 1), cap)
    except ValueError:
        return 1


def cell_text(cell: etree._Element) -> str:
    """The cell's text; split header lines ("本年新<br>制作数量") join up."""
    return "".join(cell.itertext()).strip()


def table_grid(table: etree._Element) -> Grid:
    """The table's own rows (not nested tables') as a grid with spans expanded."""
    slots: dict[tuple[int, int], GridCell] = {}
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.iterchildren("td", "th"):
            while (r, c) in slots:
                c += 1
            rowspan, colspan = (
                _span(td, "rowspan", _MAX_ROWSPAN),
                _span(td, "colspan", _MAX_COLSPAN),
            )
            cell = GridCell(cell_text(td), (r, c))
            for dr in range(rowspan):
                for dc in range(colspan):
                    slots.setdefault((r + dr, c + dc), cell)
            c += colspan
    if not slots:
        return []
    height = max(r for r, _ in slots) + 1
    width = max(c for _, c in slots) + 1
    return [[slots.get((r, c)) for c in range(width)] for r in range(height)]


def html_grids(root: etree._Element) -> list[Grid]:
    return [grid for grid in (table_grid(t) for t in root.iter("table")) if grid]


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


def html_text(root: etree._Element) -> str:
    """Structured text: blocks on their own lines, table cells separated by TABs."""
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
