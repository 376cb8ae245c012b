"""Read the page's metadata header (信息公开要素表) into canonical keys, and remove it.

Layouts handled (docs/portals.md §9.2): 2-cell, 4-cell and 6-cell label/value rows (with a colspan
title row), a label row followed by a value row, ``<th>``/``<td>``, ``<ul><li>label：value``
and ``<li><label>label</label><span>value</span>``, rows of ``<div><span>label</span>…``,
``<dl><dt>/<dd>``, "label：value" bylines and paragraphs, labels standing apart without a
colon ("索 引 号 X　发布机构 Y"), comment-wrapped values, and, as per-field fallbacks, header
fields kept as script JSON (gkmlpt ``_CONFIG.DETAIL``, layout 10) and the §0.1 ``<meta>``
block.  The same header in text copied off a page is read by text_header.py.

Rules (docs/report-schema.md): empty cells give no key; dates become ``YYYY-MM-DD``; a 文号 of "无"
or "— —" is dropped; an index number sitting in 发文字号 is not a 文号 (flagged; it is the
index number when the page has none); a written_date taken from 生成日期 is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from reports.hanzi import TO_SIMPLIFIED, fold, to_simplified

from .dom import (
    SKIP_TAGS,
    drop,
    elements,
    flat_text,
    head_text,
    row_cells,
    table_rows,
    tag_of,
    text_pieces,
)
from .meta_labels import (
    CONTRACT_KEYS,
    DATE_KEYS,
    EXTRA_KEYS,
    GENERATION_STAMP_LABELS,
    LABELS,
    META_TAGS,
    NOT_META_LABELS,
    lookup,
    normalize_label,
)
from .scriptdata import config_detail, detail_meta

# A header is at least this many distinct recognised labels (one "来源：" line is not a header).
MIN_LABELS = 2
# Above these sizes an element is page content, not a header, whatever labels it contains.
_MAX_TABLE_CHARS = 1500
_MAX_INLINE_CHARS = 400
_MAX_VALUE_CHARS = 300
# Every header layout starts with a label at the start of a text node; the header element is
# at most this many levels above that node (<table><tbody><tr><td><b><font>索引号 is five).
_MAX_HEADER_DEPTH = 6
# Elements whose text, whitespace collapsed, is longer than this are no header of any layout:
# they are rejected on a length libxml2 computes, before any text is read in Python.
_MAX_HEADER_SPAN = 2 * _MAX_TABLE_CHARS
_SPAN = etree.XPath("string-length(normalize-space(.))")

_WS = re.compile(r"\s+")
# Empty cells as headers print them: dashes, 无, 无文号, and a 文号 template left unfilled (〔〕号);
# and a byline's "来源：本站原创" (the site's own page), which names no one.
_PLACEHOLDER = re.compile(
    r"^(?:[\s\-—–－―/／_.·…]*|[无無](?:文号|文號)?|暂无|空|null|none"
    r"|(?:本站|本网)?原创|本站|本网"
    r"|[〔\[［【(（]\s*[〕\]］】)）]\s*第?\s*号)$",
    re.IGNORECASE,
)
_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
# 000014349/2024-00012, 1133068200259085XF/2015-28256, 113417030032499282/202011-00140
_INDEX_NO = re.compile(r"^[0-9A-Za-z]{6,20}/\d{4,6}-\d{1,8}$")


_SP = "[\\s\u3000]"


def _spaced(name: str, sep: str) -> str:
    return sep.join(map(re.escape, name))


def _label_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(label at the start of a text, "label：" anywhere, label then colon or whitespace)."""
    names = sorted(set(LABELS) | NOT_META_LABELS, key=len, reverse=True)
    loose = "|".join(_spaced(n, _SP + "*") for n in names)
    # Without a colon a label must stand apart: "索 引 号 000014349/…", "发布机构 青溪县".  A
    # two-character label then needs a space inside it ("标　　题"), so that "时间紧" or "名称为"
    # in a sentence is never read as one.
    apart = "|".join(_spaced(n, _SP + ("+" if len(n) == 2 else "*")) for n in names)
    start = re.compile(f"{_SP}*(?:{loose})")
    colon = re.compile(f"({loose}){_SP}*[:：]")
    either = re.compile(f"({loose}){_SP}*[:：]|(?:^|(?<={_SP}))({apart}){_SP}+(?=\\S)")
    return start, colon, either


_LABEL_START, _LABEL_COLON, _LABEL_SPLIT = _label_regexes()
_LABEL_NAMES = set(LABELS) | NOT_META_LABELS
_LABEL_FIRST_CHARS = frozenset(n[0] for n in _LABEL_NAMES)
# A label cut by mark-up (<td>索<span>引</span>号</td>) starts with a text node holding only a
# beginning of it.
_LABEL_HEADS = frozenset(n[:i] for n in _LABEL_NAMES for i in range(1, len(n)))
_LEAD_WS = " \t\r\n\f\v\u3000\xa0"
# The text nodes that may start with a label, picked in libxml2 (reading every text node into
# Python was most of the header search): the first character, past spaces, is one a label
# starts with, or its traditional form, or "(" of a pinyin annotation.  A superset:
# _starts_with_label decides.  (A page parsed by dom.parse_document has no \f or \v, the two
# _LEAD_WS characters the XPath does not skip.)
_FIRST_CHARS = "".join(
    sorted(
        _LABEL_FIRST_CHARS
        | {chr(t) for t, s in TO_SIMPLIFIED.items() if s in _LABEL_FIRST_CHARS}
        | {"("}
    )
)
_MAYBE_LABEL_TEXTS = etree.XPath(
    f"descendant::text()[contains('{_FIRST_CHARS}', "
    "substring(normalize-space(translate(., '\u3000\xa0', '  ')), 1, 1))"
    " and normalize-space(translate(., '\u3000\xa0', '  '))]"
)


_KEY_ORDER = CONTRACT_KEYS + EXTRA_KEYS


def _key_order(key: str) -> int:
    return _KEY_ORDER.index(key) if key in _KEY_ORDER else len(_KEY_ORDER)


def to_iso_date(value: str) -> str | None:
    """2024年01月05日 / 2024-01-05 / 2026-01-23 16:24:38 / 2024/1/5 → YYYY-MM-DD."""
    m = _DATE.search(value)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1949 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def split_inline(text: str) -> list[tuple[str, str]] | None:
    """ "索引号：X 发布机构：Y" → [("索引号", "X"), ("发布机构", "Y")]; None unless a label
    starts it.

    A label is followed by a colon, or stands apart between spaces ("索 引 号 X　发布机构 Y").
    """
    stripped = text.strip()
    matches = list(_LABEL_SPLIT.finditer(to_simplified(stripped)))  # same places, 發佈時間 too
    if not matches or matches[0].start() != 0:
        return None
    pairs = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(stripped)
        pairs.append((m.group(1) or m.group(2), stripped[m.end() : end]))
    return pairs


@dataclass
class MetaCollector:
    """Accumulates label/value pairs from one page; lower label rank wins, then first seen."""

    values: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # key -> label it came from
    seen: set[str] = field(default_factory=set)
    flags: list[str] = field(default_factory=list)
    misplaced_index: str | None = None  # an index number found in 发文字号

    def add(self, label: str, value: str) -> bool:
        """Record one pair; returns False if ``label`` is not a metadata label."""
        hit = lookup(label)
        if hit is None:
            return False
        key, rank = hit
        self.seen.add(key)  # even when the cell is empty: the page says "none"
        self.add_key(key, value, rank=rank, source=normalize_label(label))
        return True

    def add_key(self, key: str, value: str, *, rank: int, source: str = "") -> None:
        cleaned = self._clean(key, value)
        if cleaned is None or (key in self.ranks and self.ranks[key] <= rank):
            return
        self.values[key] = cleaned
        self.ranks[key] = rank
        self.sources[key] = source

    def meta(self) -> dict[str, str]:
        """The values, contract keys first in docs/report-schema.md's order."""
        values = dict(self.values)
        if "index_no" not in values and self.misplaced_index:
            # The page has no 索引号 of its own: the code in 发文字号 is the index number.
            values["index_no"] = self.misplaced_index
        return {k: values[k] for k in sorted(values, key=_key_order)}

    def finish(self) -> tuple[dict[str, str], list[str]]:
        """``(meta, flags)`` once every pair is in."""
        flags = list(self.flags)
        if self.sources.get("written_date") in GENERATION_STAMP_LABELS:
            # A catalogue stamp, not the date the document was written (docs/portals.md §9.1).
            flags.append(f"meta_written_date_from:{self.sources['written_date']}")
        return self.meta(), flags

    def _clean(self, key: str, value: str) -> str | None:
        # A colon may sit in the value cell instead of the label cell: <td>：000014349/…</td>
        value = _WS.sub(" ", value).strip().lstrip(":：").strip()
        if _PLACEHOLDER.match(value) or len(value) > _MAX_VALUE_CHARS:
            return None
        if key in DATE_KEYS:
            iso = to_iso_date(value)
            if iso is None:
                self.flags.append(f"meta_unparsed_date:{key}={value}")
            return iso
        if key == "index_no":
            return value.replace(" ", "")
        if key == "doc_number" and _INDEX_NO.match(value.replace(" ", "")):
            # Jiangsu gxt puts the index code in 发文字号 (docs/portals.md §1.4).
            self.flags.append(f"meta_index_no_in_doc_number:{value}")
            self.misplaced_index = self.misplaced_index or value.replace(" ", "")
            return None
        return value


# --- HTML header -------------------------------------------------------------------------


def _rows(table: etree._Element) -> list[etree._Element]:
    return table_rows(table)


def _is_label(text: str) -> bool:
    norm = normalize_label(text)
    return bool(norm) and (norm in LABELS or norm in NOT_META_LABELS)


def _too_long(el: etree._Element) -> bool:
    return float(_SPAN(el)) > _MAX_HEADER_SPAN


def _table_pairs(table: etree._Element) -> list[tuple[str, str]] | None:
    if _too_long(table) or elements(table, ".//table"):
        return None  # a report table, or a layout table whose inner tables are examined alone
    if len(flat_text(table)) > _MAX_TABLE_CHARS:
        return None
    rows = [[flat_text(c) for c in row_cells(row)] for row in _rows(table)]
    pairs: list[tuple[str, str]] = []
    r = 0
    while r < len(rows):
        cells = rows[r]
        filled = [c for c in cells if c]
        # Labels in one row, values in the next (Liangzhou 2009, docs/portals.md §9.2 layout 4).
        if (
            len(filled) >= 2
            and all(_is_label(c) for c in filled)
            and r + 1 < len(rows)
            and len(rows[r + 1]) == len(cells)
            and not any(_is_label(c) for c in rows[r + 1])
        ):
            pairs.extend(zip(cells, rows[r + 1], strict=True))
            r += 2
            continue
        i = 0
        while i < len(cells):
            text = cells[i]
            if _is_label(text):
                nxt = cells[i + 1] if i + 1 < len(cells) else None
                if nxt is not None and not _is_label(nxt):
                    pairs.append((text, nxt))
                    i += 2
                    continue
                pairs.append((text, ""))  # a label followed by a label: empty value
            else:
                pairs.extend(split_inline(text) or [])
            i += 1
        r += 1
    return pairs


def _dl_pairs(dl: etree._Element) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    label: str | None = None
    for child in dl:
        tag = tag_of(child)
        if tag == "dt":
            if label is not None:
                pairs.append((label, ""))
            label = flat_text(child)
        elif tag == "dd" and label is not None:
            pairs.append((label, flat_text(child)))
            label = None
    if label is not None:
        pairs.append((label, ""))
    return pairs


def _segment_pairs(segments: list[str | None]) -> list[tuple[str, str]] | None:
    """Label/value pairs of a run of text pieces, or None if it is not a header.

    A piece that is a label on its own (``<span>发文机构</span>``, ``<label>索引号</label>``) takes
    the text after it, up to the next label, as its value; a piece may also hold several
    "label：value" pairs (a byline).  The text must start with a label, and a value may not
    run on into a following block: that is body text, not a header value.
    """
    pairs: list[tuple[str, str]] = []
    label: str | None = None
    value: list[str] = []
    closed = False  # a block boundary came after the current value's text

    def close() -> None:
        if label is not None:
            pairs.append((label, "".join(value)))

    for seg in segments:
        if seg is None:
            closed = closed or (label is not None and bool("".join(value).strip()))
            continue
        if not seg.strip():
            value.append(seg)
            continue
        if _is_label(seg):
            close()
            label, value, closed = seg, [], False
            continue
        matches = list(_LABEL_SPLIT.finditer(to_simplified(seg)))
        lead = seg[: matches[0].start()] if matches else seg
        if lead.strip():
            if label is None or closed:
                return None
            value.append(lead)
        for i, m in enumerate(matches):
            close()
            end = matches[i + 1].start() if i + 1 < len(matches) else len(seg)
            label, value, closed = m.group(1) or m.group(2), [seg[m.end() : end]], False
    close()
    return pairs


def _inline_pairs(el: etree._Element) -> list[tuple[str, str]] | None:
    if not _LABEL_START.match(fold(head_text(el))):
        return None  # cheap rejection: most elements do not start with a label
    if _too_long(el) or elements(el, ".//table"):
        return None
    segments = text_pieces(el)
    if sum(len(_WS.sub("", s)) for s in segments if s) > _MAX_INLINE_CHARS:
        return None
    return _segment_pairs(segments)


def _known(pairs: list[tuple[str, str]]) -> int:
    return len({hit[0] for label, _ in pairs if (hit := lookup(label))})


# A byline's values are short ("发布日期：2018-02-26    点击数："); a longer one is a sentence.
_MAX_BYLINE_VALUE = 40


def is_header(pairs: list[tuple[str, str]]) -> bool:
    """Whether label/value pairs are a header: two distinct labels, or a byline that dates
    the page ("发布时间：2011-03-14 18:20:44" under the title), whose date makes it one."""
    if _known(pairs) >= MIN_LABELS:
        return True
    if any(len(value.strip()) > _MAX_BYLINE_VALUE for _, value in pairs):
        return False
    return any(
        (hit := lookup(label)) is not None
        and hit[0] in DATE_KEYS
        and to_iso_date(value) is not None
        for label, value in pairs
    )


def _header_pairs(el: etree._Element) -> list[tuple[str, str]] | None:
    tag = tag_of(el)
    if tag == "table":
        pairs = _table_pairs(el)
    elif tag == "dl":
        pairs = None if _too_long(el) else _dl_pairs(el)
    elif tag in {"ul", "ol", "div", "p", "span", "td", "section", "li", "font"}:
        pairs = _inline_pairs(el)
    else:
        return None
    if not pairs or not is_header(pairs):
        return None
    return pairs


Header = tuple[list[etree._Element], list[tuple[str, str]]]


def _sibling_runs(
    parent: etree._Element, taken: set[etree._Element], candidates: set[etree._Element]
) -> list[Header]:
    """Runs of sibling blocks holding one "label：value" each
    (``<p>索引号：…</p><p>发布机构：…</p>``)."""
    runs: list[Header] = []
    run: list[etree._Element] = []
    pairs: list[tuple[str, str]] = []

    def close() -> None:
        if run and _known(pairs) >= MIN_LABELS:
            runs.append((list(run), list(pairs)))
        run.clear()
        pairs.clear()

    for child in parent:
        if not isinstance(child.tag, str) or tag_of(child) in SKIP_TAGS or tag_of(child) == "br":
            continue
        got = None
        if child in candidates and child not in taken and not (child.tail or "").strip():
            got = _inline_pairs(child)
        if got and _known(got):
            run.append(child)
            pairs.extend(got)
        else:
            close()
    close()
    return runs


def _starts_with_label(text: str) -> bool:
    lead = text.lstrip(_LEAD_WS)
    if not lead or (lead[0] != "(" and to_simplified(lead[0]) not in _LABEL_FIRST_CHARS):
        return False  # most text nodes: rejected before the whole paragraph is folded
    stripped = fold(lead)  # 索引號, 發(fā)布機構 start with a label too
    if not stripped or stripped[0] not in _LABEL_FIRST_CHARS:
        return False
    if _LABEL_START.match(stripped):
        return True
    return len(stripped) <= 4 and normalize_label(stripped) in _LABEL_HEADS


class _Positions:
    """Document-order keys (the child index at each level below ``start``) of the elements
    asked about, None for one outside ``start``: a position for every element of the page,
    each read into Python, cost more than the header search itself."""

    def __init__(self, start: etree._Element) -> None:
        self.keys: dict[etree._Element, tuple[int, ...] | None] = {start: ()}

    def __contains__(self, el: etree._Element) -> bool:
        return self.key(el) is not None

    def key(self, el: etree._Element) -> tuple[int, ...] | None:
        chain = []
        node = el
        base: tuple[int, ...] | None = None
        while node not in self.keys:
            chain.append(node)
            parent = node.getparent()
            if parent is None:
                break
            node = parent
        else:
            base = self.keys[node]
        for below in reversed(chain):
            parent = below.getparent()
            if base is not None and parent is not None:
                base = (*base, parent.index(below))
            self.keys[below] = base
        return self.keys[el]

    def sort_key(self, el: etree._Element) -> tuple[int, ...]:
        return self.key(el) or ()


def _candidates(start: etree._Element) -> tuple[list[etree._Element], _Positions]:
    """The elements that may be a header, in document order, and the positions below start.

    One pass over the text nodes finds those that start with a label; only they and their
    ancestors up to ``_MAX_HEADER_DEPTH`` levels up are examined, not every element of a page
    that is mostly report body.
    """
    order = _Positions(start)
    owners: list[etree._Element] = []
    for text in _MAYBE_LABEL_TEXTS(start):
        el = text.getparent()
        if el is None or not _starts_with_label(str(text)):
            continue
        if not text.is_tail:
            if tag_of(el) not in SKIP_TAGS:
                owners.append(el)
        elif (parent := el.getparent()) is not None:
            owners.append(parent)
    found: set[etree._Element] = set()
    for owner in owners:
        node: etree._Element | None = owner
        for _ in range(_MAX_HEADER_DEPTH + 1):
            if node is None or node not in order:
                break
            found.add(node)
            node = node.getparent()
    return sorted((el for el in found if tag_of(el) not in SKIP_TAGS), key=order.sort_key), order


def find_headers(root: etree._Element) -> list[Header]:
    """Header elements (outermost first, document order) with their label/value pairs."""
    found: list[Header] = []
    taken: set[etree._Element] = set()
    body = root.find(".//body")
    start = body if body is not None else root
    nodes, order = _candidates(start)
    for el in nodes:
        if any(anc in taken for anc in el.iterancestors()):
            continue
        pairs = _header_pairs(el)
        if pairs is not None:
            found.append(([el], pairs))
            taken.add(el)
    candidates = set(nodes)
    parents = {p for el in nodes if (p := el.getparent()) is not None and p in order}
    for el in sorted(parents, key=order.sort_key):
        if el in taken or any(anc in taken for anc in el.iterancestors()):
            continue
        for run in _sibling_runs(el, taken, candidates):
            found.append(run)
            taken.update(run[0])
    return found


def meta_tag_values(root: etree._Element) -> dict[str, str]:
    """``<meta name=…>`` contents by lower-cased name."""
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        name = (m.get("name") or "").strip().lower()
        content = m.get("content")
        if name and content is not None and name not in out:
            out[name] = content
    return out


def extract_meta(root: etree._Element) -> tuple[dict[str, str], list[str]]:
    """Parse every header of the page into canonical keys and remove the header elements.

    The §0.1 ``<meta>`` tags fill title / published_date / publisher only when the page's
    header has no label for that field at all (an empty header cell still means "none").
    """
    collector = MetaCollector()
    headers = find_headers(root)
    for _, pairs in headers:
        for label, value in pairs:
            collector.add(label, value)
    for els, _ in headers:
        for el in els:
            drop(el)  # keeps the element's tail text, which is not part of the header
    # Header fields a script keeps as JSON (gkmlpt _CONFIG.DETAIL), then the §0.1 <meta>
    # tags: each only for a field the page's header has no label for.
    detail = config_detail(root)
    from_script = detail_meta(detail) if detail else {}
    for key, value in from_script.items():
        if key not in collector.seen:
            collector.add_key(key, value, rank=98)
    tags = meta_tag_values(root)
    for name, key in META_TAGS.items():
        if key not in collector.seen and tags.get(name):
            collector.add_key(key, tags[name], rank=99)
    if not headers and not from_script:
        collector.flags.append("meta_no_header")
    return collector.finish()
