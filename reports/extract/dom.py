"""Small lxml helpers shared by the extract modules."""

from __future__ import annotations

import functools
import re

from lxml import etree

# Elements whose text is never page text.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "object",
        "embed",
        "select",
        "option",
        "button",
        "svg",
        "canvas",
    }
)

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "ul",
        "body",
        "html",
    }
)

_WS = re.compile(r"\s+")


def tag_of(el: etree._Element) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def text_pieces(el: etree._Element) -> list[str | None]:
    """Text of ``el`` in pieces split at every tag and comment; None marks a block boundary.

    Comments and scripts give no text.
    """
    out: list[str | None] = []

    def walk(node: etree._Element) -> None:
        tag = tag_of(node)
        if not tag or tag in SKIP_TAGS:
            return
        block = tag == "br" or tag in BLOCK_TAGS
        if block:
            out.append(None)
        if node.text:
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if tag in BLOCK_TAGS:
            out.append(None)

    walk(el)
    return out


def block_text(el: etree._Element) -> str:
    """Text of ``el`` with a newline at block boundaries; comments and scripts skipped."""
    return "".join("\n" if piece is None else piece for piece in text_pieces(el))


def head_text(el: etree._Element, chars: int = 24) -> str:
    """The first ``chars`` or so characters of ``el``'s text, read lazily (a cheap pre-check)."""
    buf = ""
    for piece in el.itertext():
        buf += str(piece)
        if len(buf.strip()) >= chars:
            break
    return buf.lstrip()


def own_text(el: etree._Element) -> str:
    """Text directly inside ``el``: its text and its children's tails."""
    return str(el.text or "") + "".join(str(c.tail or "") for c in el)


@functools.lru_cache(maxsize=256)
def _compiled(xpath: str) -> etree.XPath:
    return etree.XPath(xpath)


def elements(el: etree._Element, xpath: str) -> list[etree._Element]:
    """The elements an XPath selects (lxml types ``xpath()`` as any XPath result).

    The expression is compiled once: ``el.xpath(str)`` would compile it on every call, which
    was most of the cost of reading a table row by row.
    """
    result = _compiled(xpath)(el)
    if not isinstance(result, list):
        return []
    return [node for node in result if isinstance(node, etree._Element)]


_ROW_GROUPS = ("thead", "tbody", "tfoot")


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, in order: ``./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr`` (read
    off the children: an XPath per table row was most of the cost of rendering a report)."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in _ROW_GROUPS:
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def row_cells(row: etree._Element) -> list[etree._Element]:
    """The row's cells, in order: ``./td | ./th``."""
    return [c for c in row if c.tag == "td" or c.tag == "th"]


def drop(el: etree._Element) -> None:
    """Remove ``el`` and its subtree, keeping its tail text in place (lxml.html's drop_tree)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def flat_text(el: etree._Element) -> str:
    """Text of ``el`` with every run of whitespace (incl. U+3000, NBSP) collapsed to one space."""
    return _WS.sub(" ", block_text(el)).strip()


# libxml2 drops, without a word, any text node or attribute value over 10 MB, and everything
# after it (a page that is one giant paragraph, an inline base64 image).  A page that long (in
# characters: up to three UTF-8 bytes each) is parsed without that limit.
HUGE_PAGE_CHARS = 3_000_000


def parse_document(text: str) -> etree._Element:
    """Parse decoded HTML; raises ``etree.ParserError`` for an empty document.

    The tree is a plain lxml tree (lxml.html's element classes cost a class lookup on every
    node visited, and nothing here needs their methods)."""
    # lxml refuses str input that carries an XML encoding declaration, and NULs.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text).replace("\x00", "")
    if len(text) > HUGE_PAGE_CHARS:
        # a parser per call: lxml parsers must not be shared between threads
        root = etree.fromstring(text, etree.HTMLParser(huge_tree=True))
    else:
        root = etree.HTML(text)  # lxml's default parser, one per thread
    if root is None:
        raise etree.ParserError("Document is empty")
    return _xml_safe(root) if _may_be_unsafe(text) else root


# Characters lxml's setters refuse ("All strings must be XML compatible") but its HTML parser
# keeps, from the bytes or from a reference (&#x1b;): C0 controls but TAB/LF/CR, surrogates,
# U+FFFE/U+FFFF.  Removed once here, so no later `el.text = …` can raise.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_CHAR_REF = re.compile(r"&#([xX][0-9a-fA-F]+|[0-9]+)")
# The UTF-8 bytes other than the C0 controls _XML_UNSAFE names: deleting them from the encoded
# text leaves those controls (found in C; the regex over a whole page was a fifth of its parse).
_XML_SAFE_BYTES = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 13))


def _may_be_unsafe(text: str) -> bool:
    """Can the parsed tree hold such a character?  Only if the text does, or a numeric
    reference names one (or none at all: &#0;, past U+10FFFF); most pages are clean, and the
    walk over every element is then skipped."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True  # a lone surrogate
    if data.translate(None, _XML_SAFE_BYTES) or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data:
        return True  # a C0 control, U+FFFE or U+FFFF
    if "&#" not in text:
        return False
    for m in _CHAR_REF.finditer(text):
        ref = m.group(1)
        if len(ref) > 8:  # past U+10FFFF however written (and no 5,000-digit int())
            return True
        n = int(ref[1:], 16) if ref[0] in "xX" else int(ref)
        if n == 0 or n > 0x10FFFF or _XML_UNSAFE.match(chr(n)):
            return True
    return False


def _xml_safe(root: etree._Element) -> etree._Element:
    for el in root.iter():
        if el.text and _XML_UNSAFE.search(el.text):
            el.text = _XML_UNSAFE.sub("", el.text)
        if el.tail and _XML_UNSAFE.search(el.tail):
            el.tail = _XML_UNSAFE.sub("", el.tail)
        for name, value in el.items():
            if _XML_UNSAFE.search(value):
                el.set(name, _XML_UNSAFE.sub("", value))
    return root
