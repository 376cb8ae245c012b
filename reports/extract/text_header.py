"""The metadata header at the top of text copied off a page, read by a grammar.

A header is made of lines at the top of the text, each made of *labels* (meta_labels.LABELS,
written with or without spaces inside: 索引号, 索 引 号, 标　　题; in traditional script or with
a mirror's pinyin: 索引號, 發(fā)布單位) and *values*, divided by separators:

* separators: nothing at all (索引号000014349/…), spaces, ``:``, ``：``, ``|``, TAB, a line
  break, and a bullet (``- 索引号``) at the start of a line;
* layouts: one pair a line; several pairs a line (生成日期 2021-01-28 公开方式 主动公开); a label
  row then a value row with as many cells; two labels run together with the value after the
  second (发布机构发文日期 2023-01-05: the first is empty); leading and trailing pipes; a 文号
  without its label leading a line of pairs (侯水利〔2011〕47号 签发人:林振东);
* places: the header's lines may stand among the other short lines of the top (breadcrumbs,
  a site's greeting, the title, a markdown rule), so a byline under the title
  (发布时间：2011-03-14 18:20:44, 作者：… | 来源：… | 时间：…) is read as well.  The top ends at
  a numbered heading, a sentence, a line longer than a title, or after a few other lines.

A label is only a label at a boundary: at the start of its line, after a separator, or right
after another label; and it ends at a separator, at another label, at the end of the line or
before a Latin letter or digit (索引号000014349).  So "来源于" or "时间紧" in a sentence never
starts a header.  It takes two distinct labels to make a header, or one date label whose value
is a date (a byline that dates the page): one "来源：…" line is not a header.
"""

from __future__ import annotations

import re

from reports.hanzi import PINYIN_PATTERN, to_simplified

from .content import BREADCRUMB, WIDGET_TEXT
from .headings import MARKED_HEADING
from .meta import MetaCollector, is_header, to_iso_date
from .meta_labels import DATE_KEYS, LABELS, NOT_META_LABELS, lookup

# Characters that separate labels and values inside a line (and the brackets of a byline's
# widgets: "来源：县政府办公室  【字体：大 中 小】").
_SEPARATORS = " \t\u3000\xa0|:：\u200b\ufeff【】"
# Bullets that may start a header line ("- 索引号", "• 发布机构").
_BULLETS = "-•·*▪●◆"
_BULLET = re.compile(rf"^[\s\u3000]*[{re.escape(_BULLETS)}](?=[\s\u3000])")
_INNER_SPACE = "[ \u3000\xa0]*"
# A header line is short; a longer line is body text (and is not scanned for labels).
_MAX_HEADER_LINE = 1500
# A value on a line of its own (after a label line) is short and no sentence.
_MAX_LINE_VALUE = 100
_SENTENCE_END = re.compile(r"[。；;！？]$")
# Cells of a value row under a label row.
_CELL_SPLIT = re.compile(r"\s*(?:\||\t|[ \u3000\xa0]{2,})\s*")
_WORD_SPLIT = re.compile(r"[\s\u3000\xa0]+")
_INDEX_SHAPE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/\-_.]*$")
# The body's first lines, which a label line at the header's end must not take as its value:
# a numbered section heading ("一、总体情况") and, for any label but a title's, the report title.
_REPORT_TITLE = re.compile(r"(?:19|20)\d{2}.*(?:报告|年报)$")


# The top of a page's text, where a header or byline may stand among the title and site lines:
# at most this many other short lines, none longer than this; a heading or a sentence is body.
_MAX_TOP_LINES = 8
_MAX_TOP_LINE = 60
_BODY_START = re.compile(r"[。；;]")
# A 文号 printed without its label before a byline's pairs ("侯水利〔2011〕47号 签发人:林振东").
_DOC_NUMBER = re.compile(
    r"^(?:[\u4e00-\u9fff][ \u3000]*){1,12}[〔\[［【(（][ \u3000]*(?:19|20)\d{2}[ \u3000]*"
    r"[〕\]］】)）][ \u3000]*第?[ \u3000]*\d{1,5}[ \u3000]*号$"
)
# (it is filed under the table's first label of that key)
_DOC_NUMBER_LABEL = next(label for label, (key, _) in LABELS.items() if key == "doc_number")


def _label_pattern(name: str) -> re.Pattern[str]:
    """The label with spaces between its characters, and a mirror's pinyin after each one
    (發(fā)布單位); it is matched against text whose traditional characters are folded."""
    return re.compile((PINYIN_PATTERN + _INNER_SPACE).join(map(re.escape, name)) + PINYIN_PATTERN)


_NAMES = sorted(set(LABELS) | NOT_META_LABELS, key=len, reverse=True)  # longest first
_NAME_PATTERNS = [(n, _label_pattern(n)) for n in _NAMES]
_ANY_LABEL = re.compile("|".join(p.pattern for _, p in _NAME_PATTERNS))
_FIRST_CHARS = frozenset(n[0] for n in _NAMES)

Span = tuple[int, int]


def _ends_label(line: str, end: int) -> bool:
    """A label ends at a separator, the line's end, a Latin letter or digit, or another label."""
    if end == len(line) or line[end] in _SEPARATORS:
        return True
    return (line[end].isascii() and line[end].isalnum()) or _ANY_LABEL.match(line, end) is not None


def _label_at(line: str, i: int) -> int | None:
    """End of the longest label that starts at ``line[i]`` and ends at a boundary."""
    if line[i] not in _FIRST_CHARS:
        return None
    for name, pattern in _NAME_PATTERNS:
        if name[0] == line[i] and (m := pattern.match(line, i)) and _ends_label(line, m.end()):
            return m.end()
    return None


def _labels(line: str) -> list[Span]:
    """Where the labels of one line are, left to right."""
    spans: list[Span] = []
    i, n = 0, len(line)
    while i < n:
        at_boundary = i == 0 or line[i - 1] in _SEPARATORS or bool(spans and spans[-1][1] == i)
        if at_boundary and line[i] not in _SEPARATORS:
            end = _label_at(line, i)
            if end is not None:
                spans.append((i, end))
                i = end
                continue
        i += 1
    return spans


def _strip(text: str) -> str:
    return text.strip(_SEPARATORS)


def _line_pairs(line: str) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first label, [(label, value), …]) of one line."""
    spans = _labels(to_simplified(line))  # 索引號 is 索引号; the values stay as printed
    if not spans:
        return line, []
    pairs = []
    for k, (start, end) in enumerate(spans):
        stop = spans[k + 1][0] if k + 1 < len(spans) else len(line)
        pairs.append((line[start:end], _strip(line[end:stop])))
    return line[: spans[0][0]], pairs


def _fits(label: str, value: str) -> bool:
    """Whether a line of its own can be the value of ``label`` (the label line above it)."""
    if not value or len(value) > _MAX_LINE_VALUE or _SENTENCE_END.search(value):
        return False
    if MARKED_HEADING.match(value):
        return False
    hit = lookup(label)
    key = hit[0] if hit else None
    if key != "title" and _REPORT_TITLE.search(value):
        return False
    if key in DATE_KEYS:
        return to_iso_date(value) is not None
    if key == "index_no":
        return bool(_INDEX_SHAPE.match(value.replace(" ", "")))
    return True


def _value_row(line: str, labels: list[str]) -> list[str] | None:
    """The cells of ``line`` under a row of ``labels``, if it has one cell per label."""
    if len(labels) == 1:
        value = _strip(line)
        return [value] if _fits(labels[0], value) else None
    body = line.strip(" \t\u3000\xa0")
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    for splitter in (_CELL_SPLIT, _WORD_SPLIT):
        cells = [c.strip(_SEPARATORS) for c in splitter.split(body.strip())]
        if len(cells) == len(labels):
            return cells
    return None


# The brackets a widget leaves behind once its phrase is cut ("[字号：大 中 小]" → "[]").
_EMPTY_BRACKETS = re.compile(r"[\[【(（][ \u3000]*[\]】)）]")


def _unwidget(line: str) -> str:
    return _EMPTY_BRACKETS.sub("", WIDGET_TEXT.sub("", line))


def _ends_top(line: str) -> bool:
    """A line of the body: a numbered heading, a sentence, or longer than a title."""
    text = _strip(line)
    return bool(MARKED_HEADING.match(text) or _BODY_START.search(text)) or len(text) > _MAX_TOP_LINE


def parse_text_header(text: str) -> tuple[dict[str, str], str]:
    """Meta from the header at the top of ``text``, and the text without it.

    The header's lines may stand among the title and site lines of the text's top (a byline
    under the title); they are taken out, and so are breadcrumbs and blank lines above them,
    while every other line stays.  Text without a header (fewer than two recognised labels
    in its top lines, and no dated byline) is returned unchanged with ``{}``.
    """
    lines = text.splitlines(keepends=True)
    collected: list[tuple[str, str]] = []
    pending: list[str] = []  # labels of a line without values, waiting for a value row
    taken: list[int] = []  # the header's lines
    crumbs: list[int] = []  # site chrome lines above the header
    others = 0
    for i, raw in enumerate(lines):
        line = _BULLET.sub("", raw.rstrip("\r\n"), count=1)
        if not _strip(line):
            continue  # blank, or nothing but separators ("||||")
        if len(line) > _MAX_HEADER_LINE:
            break
        # (widgets that share a byline's line go first: "来源：… [字号：大 中 小]")
        lead, pairs = _line_pairs(line if BREADCRUMB.match(line) else _unwidget(line))
        lead = _strip(lead)
        if lead and pending:
            cells = _value_row(line, pending)
            if cells is not None:
                collected.extend(zip(pending, cells, strict=True))
                pending = []
                taken.append(i)
                continue
        collected.extend((label, "") for label in pending)
        pending = []
        if lead and pairs and _DOC_NUMBER.match(lead):
            pairs = [(_DOC_NUMBER_LABEL, lead), *pairs]
        elif lead:
            if BREADCRUMB.match(line) and not taken:
                crumbs.append(i)
                continue
            others += 1
            if _ends_top(line) or others > _MAX_TOP_LINES:
                break
            if pairs and is_header(pairs):
                # a byline after text of its own ("[ 2024-01-31 ] 来源：…", "青溪县人民政府
                # 发布日期：…"): its pairs are read, the line stays, its lead being no label's
                collected.extend(pairs)
            continue  # a title or site line among the header's lines
        colon_ended = line.rstrip(" \t\u3000\xa0|").endswith((":", "："))
        if all(not value for _, value in pairs) and not colon_ended:
            pending = [label for label, _ in pairs]  # a label row: its values may follow
        else:
            collected.extend(pairs)
        taken.append(i)
    collected.extend((label, "") for label in pending)
    if not is_header(collected):
        return {}, text
    collector = MetaCollector()
    for label, value in collected:
        collector.add(label, value)
    return collector.meta(), _without(lines, set(taken), set(crumbs))


def _without(lines: list[str], taken: set[int], crumbs: set[int]) -> str:
    """The lines that are not the header's; blank and separator lines go with the header
    while nothing but header stands above them, as do breadcrumbs above it."""
    last = max(taken, default=-1)
    kept: list[str] = []
    other_above = False  # a kept line (title, site line) stands above
    for i, line in enumerate(lines):
        if i in taken or i in crumbs:
            continue
        blank = not _strip(line.rstrip("\r\n"))
        if blank and i < last and not other_above:
            continue
        other_above = other_above or not blank
        kept.append(line)
    return "".join(kept)
