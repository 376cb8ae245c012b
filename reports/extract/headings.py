"""The report's section headings 一 to 六, so that each one ends up on a line of its own.

Editors often run a heading into its paragraph: ``<p><strong>一、总体情况</strong>2023年，…</p>``,
or, in text taken from a PDF or a Word file, "一、总体情况2023年，…" with no mark-up at all.  The
text renderer and the attachment converters both split such lines here.
"""

from __future__ import annotations

import re

from reports.vocabulary import SECTIONS

# The official headings of both national formats and the variants seen in real reports
# (docs/report-templates.md §2; the spellings live in reports/vocabulary.py), each after its
# number.  Only these are split out of plain text: any other "一、…" at the start of a line may
# be a whole sentence.
_NUMBERED = (
    ("一", "overview"),
    ("二", "active"),
    ("三", "applications"),
    ("四", "review"),
    ("五", "problems"),
    ("六", "other"),
)
_OFFICIAL = tuple(
    f"{number}、(?:{'|'.join(re.escape(s) for s in sorted(SECTIONS[key], key=len, reverse=True))})"
    for number, key in _NUMBERED
)
# A heading, the punctuation that may close it, then the paragraph's own text (not a TAB: a
# table row keeps its cells).
_RUN_IN = re.compile(
    f"^((?:{'|'.join(_OFFICIAL)})[。．.：:]?)[ \u3000]*(?=[^\\s。．.：:，,、；;）)])"
)

# What a marked-up heading looks like: a Chinese numeral and 、, a short title, no full stop
# inside (a bold "一、…。" sentence is a paragraph, not a heading).
MARKED_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、．.]\s*[^。；;]{1,40}[。：:]?$")


def split_run_in(line: str) -> list[str]:
    """``"一、总体情况2023年，…"`` → ``["一、总体情况", "2023年，…"]``; other lines unchanged."""
    m = _RUN_IN.match(line)
    if m is None:
        return [line]
    return [m.group(1), line[m.end() :]]
