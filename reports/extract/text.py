"""Render the report body's HTML as structured text.

* Block elements (p, div, h1–h6, li, …) and ``<br>`` end lines; empty lines are dropped.
* Each table row is one line, its cells (``<td>``/``<th>``, in order, a colspan cell once)
  joined by one TAB; cell text is flattened to one line.  A table with tables nested in its
  cells is a layout table, and its cells render as blocks instead.
* Source line breaks collapse to a space, or to nothing between two CJK characters (editors
  wrap Chinese text anywhere); NBSP becomes a space; U+3000 is kept; lines are trimmed.
* A section heading run into its paragraph gets a line of its own: a bold or heading-styled
  "一、…" leading a block (``<p><strong>一、总体情况</strong>2023年…</p>``), and any of the
  report's official headings 一 to 六 at the start of a line (headings.py).
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import BLOCK_TAGS, SKIP_TAGS, elements, row_cells, table_rows, tag_of
from .headings import MARKED_HEADING, split_run_in

_NL = "\n"
_SOFT = "\x01"  # a source line break, resolved once its neighbours are known
_ASCII_WS = re.compile(r"[ \t\r\n\f\v]+")
_CJKISH = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SOFT_CJK = re.compile(f"(?<=[{_CJKISH}]){_SOFT}+(?=[{_CJKISH}])")
_SPACES = re.compile(r" {2,}")
# Characters trimmed at both ends of a line (not TAB: a row may start with an empty cell).
_TRIM = " \u3000\xa0\u2002\u2003\u2009\u200b\ufeff\r\f\v"
# Inline mark-up that makes a heading: bold, or the 黑体 face Word uses for 一级标题.
_EMPHASIS_TAGS = frozenset({"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"})
_EMPHASIS_STYLE = re.compile(r"bold|font-weight\s*:\s*[6-9]00|黑体|SimHei", re.IGNORECASE)


def _inline(raw: str) -> str:
    def sub(m: re.Match[str]) -> str:
        return _SOFT if ("\n" in m.group(0) or "\r" in m.group(0)) else " "

    return _ASCII_WS.sub(sub, raw)


def _resolve(line: str) -> str:
    line = _SOFT_CJK.sub("", line).replace(_SOFT, " ")
    # NBSP is an explicit space: it never collapses, so it is replaced only after collapsing.
    return _SPACES.sub(" ", line).strip(_TRIM).replace("\xa0", " ")


class _Renderer:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def newline(self) -> None:
        self.parts.append(_NL)

    def text(self, raw: str | None) -> None:
        if raw:
            self.parts.append(_inline(raw))

    def walk(self, node: etree._Element) -> None:
        tag = tag_of(node)
        if not tag or tag in SKIP_TAGS:
            return  # the caller emits the tail
        if tag == "br":
            self.newline()
            return
        if tag == "table" and not _is_layout_table(node):
            self.newline()
            for row in _rows(node):
                if tag_of(row) == "caption":
                    self.parts.append(_cell_text(row))
                else:
                    self.parts.append("\t".join(_cell_text(c) for c in row_cells(row)))
                self.newline()
            return
        block = tag in BLOCK_TAGS
        if block:
            self.newline()
        self.text(node.text)
        lead = _run_in_heading(node) if block else None
        for child in node:
            self.walk(child)
            if child is lead:
                self.newline()
            self.text(child.tail)
        if block:
            self.newline()


def _flat(el: etree._Element) -> str:
    return "".join(t for t in el.itertext() if isinstance(t, str)).strip(_TRIM + " \t\n")


def _emphasised(el: etree._Element) -> bool:
    """Is all of ``el``'s text bold or heading-styled (``<b>``, ``<span style=黑体>``…)?"""
    for e in el.iter():
        if not isinstance(e.tag, str):
            continue
        if tag_of(e) in _EMPHASIS_TAGS or _EMPHASIS_STYLE.search(
            f"{e.get('style') or ''} {e.get('face') or ''}"
        ):
            return _flat(e) == _flat(el)
    return False


def _run_in_heading(block: etree._Element) -> etree._Element | None:
    """The child that opens ``block`` with a marked-up heading when more text follows it."""
    if (block.text or "").strip(_TRIM + " \t\n"):
        return None
    children = [c for c in block if isinstance(c.tag, str)]
    if not children:
        return None
    lead = children[0]
    if tag_of(lead) in BLOCK_TAGS or tag_of(lead) == "br":
        return None
    if not MARKED_HEADING.match(_flat(lead)) or not _emphasised(lead):
        return None
    rest = (lead.tail or "") + "".join(_flat(c) for c in children[1:])
    return lead if rest.strip(_TRIM + " \t\n") else None


def _rows(table: etree._Element) -> list[etree._Element]:
    rows = table_rows(table)
    caption = [c for c in table if c.tag == "caption"]
    return [*caption, *rows]


def _is_layout_table(table: etree._Element) -> bool:
    return bool(elements(table, ".//td//table | .//th//table"))


def _rendered(el: etree._Element) -> str:
    """What the renderer makes of ``el``'s content, its line and cell marks still in."""
    r = _Renderer()
    r.text(el.text)
    for child in el:
        r.walk(child)
        r.text(child.tail)
    return "".join(r.parts)


def _cell_text(cell: etree._Element) -> str:
    if len(cell) == 0:  # text only, the usual cell: _inline leaves no newline or TAB in it
        return _resolve(_inline(cell.text)) if cell.text else ""
    return _resolve(_rendered(cell).replace(_NL, _SOFT).replace("\t", " "))


def render_text(el: etree._Element) -> str:
    """Structured text of ``el`` (see the module docstring)."""
    lines = []
    for line in _rendered(el).split(_NL):
        line = _resolve(line)
        if line.strip():
            lines.extend(split_run_in(line))
    return "\n".join(lines)
