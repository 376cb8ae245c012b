"""Read the page's metadata header (信息公开要素表) into canonical keys, and remove it.

Layouts handled (portals.md §9.2): 2-cell, 4-cell and 6-cell label/value rows (with a colspan
title row), a label row followed by a value row, ``<th>``/``<td>``, ``<ul><li>label：value``,
``<dl><dt>/<dd>``, "label：value" bylines, comment-wrapped values, and the §0.1 ``<meta>`` block
as a per-field fallback.  ``parse_text_header`` reads the same header from text copied off a
page (the pipe form of seed 004, or "label：value" lines).

Rules (report-schema.md): empty cells give no key; dates become ``YYYY-MM-DD``; a 文号 of "无"
or "— —" is dropped; an index number sitting in 发文字号 is not a 文号 (flagged, dropped).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .dom import SKIP_TAGS, block_text, drop, elements, flat_text, head_text, tag_of
from .meta_labels import (
    CONTRACT_KEYS,
    DATE_KEYS,
    EXTRA_KEYS,
    LABELS,
    META_TAGS,
    NOT_META_LABELS,
    lookup,
    normalize_label,
)

# A header is at least this many distinct recognised labels (one "来源：" line is not a header).
_MIN_LABELS = 2
# Above these sizes an element is page content, not a header, whatever labels it contains.
_MAX_TABLE_CHARS = 1500
_MAX_INLINE_CHARS = 400
_MAX_VALUE_CHARS = 300

_WS = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"^(?:[\s\-—–－―/／_.·…]*|无|無|暂无|空|null|none)$", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
# 000014349/2024-00012, 1133068200259085XF/2015-28256, 113417030032499282/202011-00140
_INDEX_NO = re.compile(r"^[0-9A-Za-z]{6,20}/\d{4,6}-\d{1,8}$")


def _label_regex() -> re.Pattern[str]:
    # Any known label, its characters possibly separated by spaces, then a colon.
    names = sorted(set(LABELS) | NOT_META_LABELS, key=len, reverse=True)
    alts = ["[\\s\u3000]*".join(map(re.escape, name)) for name in names]
    return re.compile("(" + "|".join(alts) + ")[\\s\u3000]*[:：]")


_LABEL_COLON = _label_regex()


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
    """"索引号：X 发布机构：Y" → [("索引号", "X"), ("发布机构", "Y")]; None unless a label starts it."""
    stripped = text.strip()
    matches = list(_LABEL_COLON.finditer(stripped))
    if not matches or matches[0].start() != 0:
        return None
    pairs = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(stripped)
        pairs.append((m.group(1), stripped[m.end():end]))
    return pairs


@dataclass
class MetaCollector:
    """Accumulates label/value pairs from one page; lower label rank wins, then first seen."""

    values: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    flags: list[str] = field(default_factory=list)

    def add(self, label: str, value: str) -> bool:
        """Record one pair; returns False if ``label`` is not a metadata label."""
        hit = lookup(label)
        if hit is None:
            return False
        key, rank = hit
        self.seen.add(key)  # even when the cell is empty: the page says "none"
        self.add_key(key, value, rank=rank)
        return True

    def add_key(self, key: str, value: str, *, rank: int) -> None:
        cleaned = self._clean(key, value)
        if cleaned is None or (key in self.ranks and self.ranks[key] <= rank):
            return
        self.values[key] = cleaned
        self.ranks[key] = rank

    def meta(self) -> dict[str, str]:
        """The values, contract keys first in report-schema.md's order."""
        return {k: self.values[k] for k in sorted(self.values, key=_key_order)}

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
            # Jiangsu gxt puts the index code in 发文字号 (portals.md §1.4).
            self.flags.append(f"meta_index_no_in_doc_number:{value}")
            return None
        return value


# --- HTML header -------------------------------------------------------------------------


def _rows(table: etree._Element) -> list[etree._Element]:
    return elements(table, "./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _is_label(text: str) -> bool:
    norm = normalize_label(text)
    return bool(norm) and (norm in LABELS or norm in NOT_META_LABELS)


def _table_pairs(table: etree._Element) -> list[tuple[str, str]] | None:
    if elements(table, ".//table"):
        return None  # a layout table: its inner tables are examined on their own
    if len(flat_text(table)) > _MAX_TABLE_CHARS:
        return None
    rows = [[flat_text(c) for c in elements(row, "./td | ./th")] for row in _rows(table)]
    pairs: list[tuple[str, str]] = []
    r = 0
    while r < len(rows):
        cells = rows[r]
        filled = [c for c in cells if c]
        # Labels in one row, values in the next (Liangzhou 2009, portals.md §9.2 layout 4).
        if (len(filled) >= 2 and all(_is_label(c) for c in filled) and r + 1 < len(rows)
                and len(rows[r + 1]) == len(cells)
                and not any(_is_label(c) for c in rows[r + 1])):
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


def _inline_pairs(el: etree._Element) -> list[tuple[str, str]] | None:
    if not _LABEL_COLON.match(head_text(el)):
        return None  # cheap rejection: most elements do not start with "label："
    if elements(el, ".//table"):
        return None
    text = block_text(el)
    if len(_WS.sub("", text)) > _MAX_INLINE_CHARS:
        return None
    pairs = split_inline(text)
    # A value running on into the next block is body text, not a header value.
    if pairs and any("\n" in value.strip() for _, value in pairs):
        return None
    return pairs


def _known(pairs: list[tuple[str, str]]) -> int:
    return len({hit[0] for label, _ in pairs if (hit := lookup(label))})


def _header_pairs(el: etree._Element) -> list[tuple[str, str]] | None:
    tag = tag_of(el)
    if tag == "table":
        pairs = _table_pairs(el)
    elif tag == "dl":
        pairs = _dl_pairs(el)
    elif tag in {"ul", "ol", "div", "p", "span", "td", "section", "li", "font"}:
        pairs = _inline_pairs(el)
    else:
        return None
    if not pairs or _known(pairs) < _MIN_LABELS:
        return None
    return pairs


Header = tuple[list[etree._Element], list[tuple[str, str]]]


def _sibling_runs(parent: etree._Element, taken: set[etree._Element]) -> list[Header]:
    """Runs of sibling blocks holding one "label：value" each (``<p>索引号：…</p><p>发布机构：…</p>``)."""
    runs: list[Header] = []
    run: list[etree._Element] = []
    pairs: list[tuple[str, str]] = []

    def close() -> None:
        if run and _known(pairs) >= _MIN_LABELS:
            runs.append((list(run), list(pairs)))
        run.clear()
        pairs.clear()

    for child in parent:
        if not isinstance(child.tag, str) or tag_of(child) in SKIP_TAGS or tag_of(child) == "br":
            continue
        got = None if child in taken or (child.tail or "").strip() else _inline_pairs(child)
        if got and _known(got):
            run.append(child)
            pairs.extend(got)
        else:
            close()
    close()
    return runs


def find_headers(root: etree._Element) -> list[Header]:
    """Header elements (outermost first, document order) with their label/value pairs."""
    found: list[Header] = []
    taken: set[etree._Element] = set()
    body = root.find(".//body")
    start = body if body is not None else root
    nodes = [el for el in start.iter() if isinstance(el.tag, str) and tag_of(el) not in SKIP_TAGS]
    for el in nodes:
        if any(anc in taken for anc in el.iterancestors()):
            continue
        pairs = _header_pairs(el)
        if pairs is not None:
            found.append(([el], pairs))
            taken.add(el)
    for el in nodes:
        if el in taken or any(anc in taken for anc in el.iterancestors()):
            continue
        for run in _sibling_runs(el, taken):
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
    tags = meta_tag_values(root)
    for name, key in META_TAGS.items():
        if key not in collector.seen and tags.get(name):
            collector.add_key(key, tags[name], rank=99)
    if not headers:
        collector.flags.append("meta_no_header")
    return collector.meta(), collector.flags


# --- text header -------------------------------------------------------------------------


def _pipe_pairs(line: str) -> list[tuple[str, str]] | None:
    tokens = [t.strip() for t in line.split("|")]
    tokens = [t for t in tokens if t]
    if not tokens or not _is_label(tokens[0]):
        return None
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        if _is_label(tokens[i]):
            if i + 1 < len(tokens) and not _is_label(tokens[i + 1]):
                pairs.append((tokens[i], tokens[i + 1]))
                i += 2
                continue
            pairs.append((tokens[i], ""))  # label directly followed by a label: empty cell
        i += 1
    return pairs


def parse_text_header(text: str) -> tuple[dict[str, str], str]:
    """Meta from the header at the top of ``text`` and the text after it.

    Text without a header (fewer than two recognised labels in its leading lines) is
    returned unchanged with ``{}``.
    """
    lines = text.splitlines(keepends=True)
    collected: list[tuple[str, str]] = []
    end = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or set(stripped) <= set("|"):
            continue
        pairs = _pipe_pairs(stripped) if "|" in stripped else split_inline(stripped)
        if pairs is None:
            break
        collected.extend(pairs)
        end = i + 1
    if _known(collected) < _MIN_LABELS:
        return {}, text
    collector = MetaCollector()
    for label, value in collected:
        collector.add(label, value)
    return collector.meta(), "".join(lines[end:])
