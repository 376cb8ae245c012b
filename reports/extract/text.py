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

The rendering runs as an XSLT stylesheet in libxslt with the marks resolved by a few regexes
over the whole text, not as a walk in Python (which cost three parses of the page); the walk
stays as the reference the stylesheet is tested against, and renders the rare tree the
stylesheet cannot.
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


def _render_text_walk(el: etree._Element) -> str:
    """``render_text`` by a walk in Python: the reference the XSLT rendering below must equal,
    and the renderer of the few trees that one leaves out."""
    lines = []
    for line in _rendered(el).split(_NL):
        line = _resolve(line)
        if line.strip():
            lines.extend(split_run_in(line))
    return "\n".join(lines)


# The rendering in libxslt, so that no Python runs per element: the stylesheet writes every
# text node as it is, followed by _PIECE, and the structure as marks (Unicode noncharacters,
# which no page prints: a tree holding one is rendered by the walk instead); the marks are
# then resolved over the whole string with the walk's rules, a regex at a time.
_PIECE = "\ufdd0"  # ends a text node: whitespace runs are collapsed per node, as the walk does
_LINE = "\ufdd1"  # a line break
_CELL_BREAK = "\ufdd2"  # a line break inside a table cell: a source line break there
_CELL_SEP = "\ufdd3"  # between two cells of a row
_CELL_NBSP = "\ufdd4"  # an NBSP inside a cell, where it collapses with the spaces around it
_MARKS = _PIECE + _LINE + _CELL_BREAK + _CELL_SEP + _CELL_NBSP
_RUN_IN_ATTR = "data-nianbao-run-in"  # set on a run-in heading for the stylesheet, then removed
_BLOCK_NAMES = "|".join(sorted(BLOCK_TAGS))
_SKIP_NAMES = "|".join(sorted(SKIP_TAGS))
_RUN_IN_BREAK = f"<xsl:if test='@{_RUN_IN_ATTR}'><xsl:text>{{}}</xsl:text></xsl:if>"
_STYLESHEET = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates select="*/node()"/></xsl:template>
<xsl:template match="text()"><xsl:value-of select="."/><xsl:text>{_PIECE}</xsl:text></xsl:template>
<xsl:template match="text()" mode="cell"><xsl:value-of select="translate(., '\xa0', \
'{_CELL_NBSP}')"/><xsl:text>{_PIECE}</xsl:text></xsl:template>
<xsl:template match="*"><xsl:apply-templates/>{_RUN_IN_BREAK.format(_LINE)}</xsl:template>
<xsl:template match="*" mode="cell"><xsl:apply-templates mode="cell"/>\
{_RUN_IN_BREAK.format(_CELL_BREAK)}</xsl:template>
<xsl:template match="{_BLOCK_NAMES}"><xsl:text>{_LINE}</xsl:text><xsl:apply-templates/>\
<xsl:text>{_LINE}</xsl:text></xsl:template>
<xsl:template match="{_BLOCK_NAMES}" mode="cell"><xsl:text>{_CELL_BREAK}</xsl:text>\
<xsl:apply-templates mode="cell"/><xsl:text>{_CELL_BREAK}</xsl:text></xsl:template>
<xsl:template match="{_SKIP_NAMES}">{_RUN_IN_BREAK.format(_LINE)}</xsl:template>
<xsl:template match="{_SKIP_NAMES}" mode="cell">{_RUN_IN_BREAK.format(_CELL_BREAK)}</xsl:template>
<xsl:template match="br"><xsl:text>{_LINE}</xsl:text></xsl:template>
<xsl:template match="br" mode="cell"><xsl:text>{_CELL_BREAK}</xsl:text></xsl:template>
<xsl:template match="table[not(.//td//table or .//th//table)]"><xsl:text>{_LINE}</xsl:text>
<xsl:for-each select="caption"><xsl:apply-templates mode="cell"/><xsl:text>{_LINE}</xsl:text>\
</xsl:for-each>
<xsl:for-each select="tr|thead/tr|tbody/tr|tfoot/tr"><xsl:for-each select="td|th">\
<xsl:if test="position() &gt; 1"><xsl:text>{_CELL_SEP}</xsl:text></xsl:if>\
<xsl:apply-templates mode="cell"/></xsl:for-each><xsl:text>{_LINE}</xsl:text></xsl:for-each>
</xsl:template>
</xsl:stylesheet>"""
_TRANSFORM = etree.XSLT(etree.fromstring(_STYLESHEET))
# Trees the stylesheet does not render as the walk does: a table inside a caption (the walk
# resolves the inner cells before the caption), a page printing one of the marks, or a form
# feed or vertical tab, which no XPath below can name (a parsed page has none: dom._xml_safe).
_CAPTION_TABLE = etree.XPath("boolean(descendant::caption[descendant::table])")
_ALL_TEXT = etree.XPath("string()")
_UNRENDERABLE_CHARS = _MARKS + "\f\v"
# _TRIM, as XPath's translate() may name it: normalize-space() strips space, TAB, CR and LF.
_BLANKS = _TRIM.replace(" ", "").replace("\r", "").replace("\f", "").replace("\v", "")
# Text nodes that start with a Chinese numeral: a run-in heading (MARKED_HEADING) starts
# with one, so only their ancestors are asked _run_in_heading.
_NUMERALS = "一二三四五六七八九十"
_NUMERAL_TEXTS = etree.XPath(
    f"descendant::text()[contains('{_NUMERALS}', substring(normalize-space(translate(., "
    f"'{_BLANKS}', ' ')), 1, 1)) and normalize-space(translate(., '{_BLANKS}', ' '))]"
)
_LINE_BREAK_RUN = re.compile("[ \t\f\v]*[\r\n][ \t\r\n\f\v]*")
_OTHER_RUN = re.compile("[ \t\f\v]*[\t\f\v][ \t\f\v]*")
_CELL_EDGE = re.compile(f"[{_TRIM}{_CELL_NBSP}]*{_CELL_SEP}[{_TRIM}{_CELL_NBSP}]*")
_CELL_SPACES = re.compile(f" *{_CELL_NBSP}[ {_CELL_NBSP}]*")
_LINE_TRIM = _TRIM + _CELL_NBSP


def _walked_block(el: etree._Element, root: etree._Element) -> bool:
    """Does the walk render ``el`` as a block (and so look for a run-in heading in it)?  Not
    the root, and not a row or cell of a data table, whose cells are rendered as cells."""
    if el is root or tag_of(el) not in BLOCK_TAGS:
        return False
    tag = tag_of(el)
    if tag in ("td", "th", "tr", "caption", "thead", "tbody", "tfoot"):
        table = next((a for a in el.iterancestors() if tag_of(a) == "table"), None)
        return table is None or _is_layout_table(table)
    return True


def _first_child(el: etree._Element) -> bool:
    """Is ``el`` the first element among its siblings (comments aside)?"""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev is None


def _run_in_leads(root: etree._Element) -> list[etree._Element]:
    """The children the walk would end a line after (_run_in_heading) in ``root``."""
    leads: list[etree._Element] = []
    seen: set[etree._Element] = set()
    for text in _NUMERAL_TEXTS(root):
        owner = text.getparent()
        if owner is not None and text.is_tail:
            owner = owner.getparent()
        node: etree._Element | None = owner
        while node is not None and node is not root and node not in seen:
            seen.add(node)
            block = node.getparent()
            if (
                block is not None
                and _first_child(node)
                and _run_in_heading(block) is node
                and _walked_block(block, root)
            ):
                leads.append(node)
            node = block
    return leads


def render_text(el: etree._Element) -> str:
    """Structured text of ``el`` (see the module docstring)."""
    text = str(_ALL_TEXT(el))
    if _CAPTION_TABLE(el) or any(c in text for c in _UNRENDERABLE_CHARS):
        return _render_text_walk(el)
    leads = _run_in_leads(el)
    try:
        for lead in leads:
            lead.set(_RUN_IN_ATTR, "")
        marked = str(_TRANSFORM(el))
    finally:
        for lead in leads:
            del lead.attrib[_RUN_IN_ATTR]
    marked = _OTHER_RUN.sub(" ", _LINE_BREAK_RUN.sub(_SOFT, marked))  # _inline, node by node
    marked = marked.replace(_PIECE, "").replace(_CELL_BREAK, _SOFT)
    marked = _SOFT_CJK.sub("", marked).replace(_SOFT, " ")
    marked = _SPACES.sub(" ", marked)
    marked = _CELL_EDGE.sub(_CELL_SEP, marked)  # each cell trimmed
    marked = _CELL_SPACES.sub(" ", marked).replace("\xa0", " ")
    lines = []
    for line in marked.replace(_CELL_SEP, "\t").split(_LINE):
        line = line.strip(_LINE_TRIM)
        if line.strip():
            lines.extend(split_run_in(line))
    return "\n".join(lines)
