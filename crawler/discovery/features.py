"""What a fetched page looks like, measured on its one parse: the inputs of ``kinds.decide``.

Every feature is a count or a short list, so a decision can be logged and tested; none of
them alone decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reports.normalize.labels import normalize_label

from .. import classify
from . import vocabulary as V
from .links import JS_NAV_RE
from .page import Page
from .urls import is_document

_DATE_RE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}(?:[-/.月]\d{1,2})?")
_ROW_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "span", "td", "h3", "h4", "h5"})
_NEXT_RE = re.compile(V.NEXT_PAGE)
_PAGER_WORD_RE = re.compile(V.PAGER_WORDS)
_PAGER_TEXT_RE = re.compile(
    r"共\s*\d+\s*页|第\s*\d+\s*/\s*\d+\s*页|\d+\s*/\s*\d+\s*页|"
    r"页次\s*[:：]?\s*\d+|总\s*\d+\s*页"
)
_PAGER_SCRIPT_RE = re.compile(
    r"createPage(?:HTML)?\s*\(|(?:countPage|totalPage|pageCount|totalPages|page_count|pageTotal|"
    r"maxPage|pagecount|allPage)\s*[=:]\s*['\"]?\d+",
    re.IGNORECASE,
)
_NOTICE_RE = re.compile(V.NOTICE_TITLE)
_GONE_RE = re.compile(V.GONE_TEXT)
_ATTACH_LABEL_RE = re.compile(V.ATTACHMENT_LABEL)
_SECTIONS = V.compile_named(V.SECTIONS)
# every label of the template's tables in one alternation, longest first: a long label is read
# whole, never also as a shorter label inside it
_TABLE_LABEL_RE = re.compile(
    "|".join(re.escape(label) for label in sorted(V.TABLE_LABELS, key=len, reverse=True))
)


@dataclass(frozen=True)
class Features:
    links: int  # anchors with a target
    text_chars: int  # visible characters, whitespace removed
    link_chars: int  # of those, inside anchors
    dated_rows: int  # rows (li, tr, dd …) holding a link and a date
    entry_rows: int  # rows holding one link whose text reads like a title (≥ 8 chars)
    pager: bool  # next/previous/numbered links, "共N页", or a pager script
    sections: tuple[str, ...]  # the report's fixed sections the text holds
    stat_tables: int  # tables carrying the report's statistical labels
    documents: tuple[tuple[str, str], ...]  # (URL, text) of links to files (PDF, Word …)
    frames: int  # frame / iframe elements
    soft_error: str | None  # why a 200 page is an error page, if it is
    wall: str | None  # why it is an anti-bot wall, if it is

    @property
    def content_chars(self) -> int:
        """Text outside links: what a listing or a menu lacks and an article has."""
        return max(0, self.text_chars - self.link_chars)

    @property
    def link_density(self) -> float:
        return self.link_chars / self.text_chars if self.text_chars else 0.0


def compute(page: Page) -> Features:
    root = page.tree
    wall = _wall(page)
    if root is None:
        return Features(
            0,
            0,
            0,
            0,
            0,
            False,
            (),
            0,
            (),
            0,
            None if page.document_kind else ("empty page" if not page.body.strip() else None),
            wall,
        )
    anchors = [
        a
        for a in root.iter("a")
        if (a.get("href") or "").strip() and not a.get("href", "").strip().startswith("#")
    ]
    # rows that navigate by script (``<div onclick="location='…'">``) are links as much as <a>s
    anchors += [
        el
        for el in root.xpath("//*[@onclick or @ondblclick][not(self::a[@href])]")
        if any(
            JS_NAV_RE.search(v or "") for k, v in el.attrib.items() if k.lower().startswith("on")
        )
    ]
    link_chars = 0
    # the rows themselves, not their id(): lxml makes a new proxy object per access
    dated: list = []
    entries: list = []
    numbered = 0
    pager = False
    documents: list[tuple[str, str]] = []
    for a in anchors:
        text = "".join(a.text_content().split())
        link_chars += len(text)
        if _NEXT_RE.match(text) or _PAGER_WORD_RE.match(text):
            pager = True
        elif text.isdigit() and len(text) <= 3:
            numbered += 1
        href = a.get("href", "")
        if (
            is_document(href)
            or text.lower().endswith(V.DOCUMENT_SUFFIXES)
            or (_ATTACH_LABEL_RE.search(text) and "javascript" not in href)
        ):
            documents.append((href, text))
        row = _row_of(a)
        if row is None:
            continue
        row_text = "".join(row.text_content().split())
        if len(row_text) > 200:
            continue
        if _DATE_RE.search(row_text.replace(text, "", 1)) and row not in dated:
            dated.append(row)
        if len((a.get("title") or text).strip()) >= 8 and row not in entries:
            entries.append(row)
    compact = page.compact_text
    pager = (
        pager
        or numbered >= 2
        or bool(_PAGER_TEXT_RE.search(compact))
        or any(_PAGER_SCRIPT_RE.search(s) for s in page.scripts)
    )
    sections = tuple(name for name, rx in _SECTIONS if rx.search(compact))
    tables = sum(1 for table in root.iter("table") if is_report_table(table.text_content()))
    frames = sum(1 for _ in root.iter("frame", "iframe"))
    features = Features(
        links=len(anchors),
        text_chars=len(compact),
        link_chars=link_chars,
        dated_rows=len(dated),
        entry_rows=len(entries),
        pager=pager,
        sections=sections,
        stat_tables=tables,
        documents=tuple(documents),
        frames=frames,
        soft_error=None,
        wall=wall,
    )
    return _with_soft_error(page, features)


def table_concepts(text: str) -> set[str]:
    """The template's concepts (rows, columns, groups) a table's text names by their labels,
    read in the normalizer's folded form (width, spaces, traditional characters, 本单位)."""
    return {V.TABLE_LABELS[m.group()] for m in _TABLE_LABEL_RE.finditer(normalize_label(text))}


def is_report_table(text: str) -> bool:
    """A table of the report's template: it names enough of the template's concepts."""
    return len(table_concepts(text)) >= V.MIN_TABLE_CONCEPTS


def _row_of(a):
    """The nearest row-like ancestor of an anchor (the <li>, <tr> … it is listed in)."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            return None
        if isinstance(node.tag, str) and node.tag.lower() in _ROW_TAGS:
            return node
        node = node.getparent()
    return None


def _wall(page: Page) -> str | None:
    if classify.js_challenge(page.body):
        return "JS challenge"
    title = page.head_title
    if classify.block_page(title):
        return f"block page titled {title[:40]!r}"
    return None


def _with_soft_error(page: Page, f: Features) -> Features:
    title = page.head_title or page.title
    if title and classify.SOFT_ERROR_TITLE_RE.search(title) and not f.sections:
        return replace(f, soft_error=f"error page titled {title[:40]!r}")
    # a short page saying the document is gone: under a 提示信息 title, or with almost no text
    notice = _NOTICE_RE.match("".join(title.split())) is not None
    if (
        not f.sections
        and ((notice and f.content_chars < 400) or f.content_chars < 200)
        and _GONE_RE.search(page.compact_text)
    ):
        return replace(f, soft_error=f"page says the document is gone (titled {title[:40]!r})")
    return f
