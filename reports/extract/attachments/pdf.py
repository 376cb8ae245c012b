"""PDF: text and tables with pdfplumber, in reading order, hard line wraps undone.

Per page: pdfplumber finds the ruled tables; each becomes TAB rows (a merged cell once, as
pdfplumber gives the cells it covers as None); the text outside the tables comes line by line,
and a line that reaches the right edge of the text block runs on into the next unless that
one is indented (a new paragraph) or a heading.  Page numbers in the top and bottom margins go.
A page without any character is a scan: it gives no text and a ``no_text`` flag.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..headings import MARKED_HEADING, split_run_in
from .shape import cell_text, finish, is_cjk, join_wrapped, row_line

if TYPE_CHECKING:  # pdfplumber is imported where a PDF is read
    from pdfplumber.page import Page

MAX_PAGES = 500
TIME_BUDGET_S = 120.0

_PAGE_NUMBER = re.compile(
    r"^(?:[-—－–\s]*\d{1,4}[-—－–\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+|Page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)
_MARGIN = 0.08  # of the page height: where page numbers and running heads live


@dataclass
class _Line:
    page: int
    top: float
    x0: float
    x1: float
    height: float
    text: str
    left: float  # the text block's left edge on this page
    right: float  # and its right edge
    lead: float  # width of the line's first word (a CJK character, or a run of Latin/digits)


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _is_heading(text: str) -> bool:
    return bool(MARKED_HEADING.match(text)) or len(split_run_in(text)) > 1


def _page_items(page: Page, n: int) -> list[tuple[float, object]]:
    items: list[tuple[float, object]] = []
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    for table in tables:
        rows = [row_line([cell_text(c) for c in row if c is not None]) for row in table.extract()]
        items.append((table.bbox[1], [r for r in rows if r]))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    raw = [
        ln for ln in outside.extract_text_lines(strip=True, return_chars=True) if ln["text"].strip()
    ]
    height = float(page.height)
    raw = [
        ln
        for ln in raw
        if not (
            _PAGE_NUMBER.match(ln["text"].strip())
            and (ln["top"] < _MARGIN * height or ln["bottom"] > (1 - _MARGIN) * height)
        )
    ]
    if raw:
        left = min(ln["x0"] for ln in raw)
        right = max(ln["x1"] for ln in raw)
        for ln in raw:
            items.append(
                (
                    ln["top"],
                    _Line(
                        n,
                        ln["top"],
                        ln["x0"],
                        ln["x1"],
                        ln["bottom"] - ln["top"],
                        ln["text"].strip(),
                        left,
                        right,
                        _lead(ln["chars"]),
                    ),
                )
            )
    items.sort(key=lambda item: item[0])
    return items


def _lead(chars: list[dict[str, Any]]) -> float:
    """Width of the first word of a line: what would not fit at the end of the line above."""
    word: list[dict[str, Any]] = []
    for ch in chars:
        if not ch["text"].strip() or (word and is_cjk(ch["text"])):
            break
        word.append(ch)
        if is_cjk(ch["text"]):
            break
    return (word[-1]["x1"] - word[0]["x0"]) if word else 0.0


_CLOSING = tuple("。！？；：.!?;:）)”」』")


def _runs_on(prev: _Line, line: _Line) -> bool:
    """Does ``line`` continue the paragraph ``prev`` started (a hard wrap, not a new one)?
    It does when its first word would not have fitted at the end of ``prev``, or when ``prev``
    stops a few characters short of the edge without closing a sentence (line-breaking rules
    keep punctuation off a line start by moving a character or two down with it)."""
    size = max(prev.height, 1.0)
    reaches_edge = prev.x1 + line.lead >= prev.right - 0.3 * size or (
        prev.x1 >= prev.right - 3 * size and not prev.text.endswith(_CLOSING)
    )
    indented = line.x0 > line.left + 0.8 * max(line.height, 1.0)
    return (
        reaches_edge and not indented and not _is_heading(prev.text) and not _is_heading(line.text)
    )


_CATALOG = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!>>).){0,400}?/Type\s*/Catalog", re.S)


def pdf_text(body: bytes) -> tuple[str, list[str]]:
    """Text and flags; a file cut off before its cross-reference table and trailer (an
    interrupted download, a CMS that truncates uploads) is read through its catalog object."""
    try:
        return _pdf_text(body)
    except Exception:
        catalog = _CATALOG.search(body)
        if catalog is None or b"trailer" in body[-4096:]:
            raise
        patched = body + b"\ntrailer\n<< /Root %s %s R >>\n%%%%EOF\n" % catalog.groups()
        try:
            text, flags = _pdf_text(patched)
        except Exception:
            pass
        else:
            return text, ["recovered:pdf_without_trailer", *flags]
        raise


def _pdf_text(body: bytes) -> tuple[str, list[str]]:
    import pdfplumber

    flags: list[str] = []
    lines: list[str] = []
    blank_pages: list[int] = []
    prev: _Line | None = None
    started = time.monotonic()
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            flags.append(f"truncated:pages_over_{MAX_PAGES}")
            pages = pages[:MAX_PAGES]
        for n, page in enumerate(pages, 1):
            if time.monotonic() - started > TIME_BUDGET_S:
                flags.append(f"truncated:time_at_page_{n}")
                break
            try:
                if not page.chars:
                    blank_pages.append(n)
                    continue
                items = _page_items(page, n)
            except Exception as exc:  # one broken page must not lose the others
                flags.append(f"corrupt:pdf_page_{n}:{type(exc).__name__}")
                continue
            finally:
                page.close()
            for _, item in items:
                if isinstance(item, _Line):
                    if prev is not None and lines and _runs_on(prev, item):
                        lines[-1] = join_wrapped(lines[-1], item.text)
                    else:
                        lines.append(item.text)
                    prev = item
                else:
                    lines.extend(item)  # type: ignore[arg-type]
                    prev = None
    if blank_pages and (lines or len(blank_pages) > 1):
        shown = ",".join(map(str, blank_pages[:10])) + (",…" if len(blank_pages) > 10 else "")
        flags.append(f"no_text_pages:{shown}")
    text = finish(lines)
    if not text:
        flags.append("no_text")
    return text, flags
