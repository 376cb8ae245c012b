"""Regular expressions over report prose: page furniture, dates, titles, prose facts.

Label text lives in labels.py; the patterns here match running text (the statistics period,
a title, a sentence stating a number), which a label lookup cannot. Parsers import these
compiled patterns and never write Chinese text of their own.
"""

from __future__ import annotations

import re

# docx conversion artefacts: "[bookmark: _GoBack]" (seeds 001, 003).
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")

# A whole line that is page furniture of PDF or flipbook text (report-templates §6.1):
# "Page 8 - 某县2020年…", "P. 8", "- 8 -", "第 8 页", "第8页 共12页", "8 / 12".
PAGE_MARKERS = re.compile(
    r"^(?:Page\s*\d+(?:\s*[-–—].*)?"
    r"|P\.\s*\d+"
    r"|[-–—]\s*\d+\s*[-–—]"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+)$",
    re.IGNORECASE,
)
